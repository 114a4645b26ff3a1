package credits

import (
	"testing"
	"time"
)

func TestForecastAcrossResets(t *testing.T) {
	now := time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) // 12 days to reset
	tests := []struct {
		name      string
		plan, bun int64
		burn      float64
		allowance int64
		lasts     bool
		outIn     time.Duration // from now; 0 means never
	}{
		{"idle", 500, 0, 0, 1000, true, 0},
		{"runs out before reset", 300, 0, 100, 1000, false, 72 * time.Hour},
		{"bundles carry it past the reset", 300, 1000, 100, 1000, true, 0},
		{"plan refills cover the burn", 1200, 0, 30, 1000, true, 0},
		{"runs out after the reset", 1250, 0, 100, 1000, true, (12 + 10) * 24 * time.Hour},
	}
	for _, tt := range tests {
		r := forecast(Balance{PlanRemaining: tt.plan, BundleRemaining: tt.bun, PeriodEnd: end}, tt.burn, tt.allowance, now)
		if r.LastsUntilReset != tt.lasts {
			t.Errorf("%s: lasts until reset %v, want %v", tt.name, r.LastsUntilReset, tt.lasts)
		}
		switch {
		case tt.outIn == 0 && tt.name != "bundles carry it past the reset" && r.RunsOutAt != nil:
			t.Errorf("%s: runs out at %v, want never", tt.name, r.RunsOutAt)
		case tt.outIn != 0 && (r.RunsOutAt == nil || !r.RunsOutAt.Equal(now.Add(tt.outIn))):
			t.Errorf("%s: runs out at %v, want %v", tt.name, r.RunsOutAt, now.Add(tt.outIn))
		}
	}
}
