package credits_test

import (
	"testing"
	"time"

	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestPeriodContaining(t *testing.T) {
	tests := []struct {
		anchor     int
		at         time.Time
		start, end time.Time
	}{
		{15, date(2026, 3, 20, 8), date(2026, 3, 15, 0), date(2026, 4, 15, 0)},
		{15, date(2026, 3, 14, 23), date(2026, 2, 15, 0), date(2026, 3, 15, 0)},
		{15, date(2026, 1, 3, 0), date(2025, 12, 15, 0), date(2026, 1, 15, 0)}, // across a year
		{31, date(2026, 2, 15, 0), date(2026, 1, 31, 0), date(2026, 2, 28, 0)}, // 31st clamps in February
		{31, date(2026, 2, 28, 0), date(2026, 2, 28, 0), date(2026, 3, 31, 0)},
		{31, date(2028, 2, 29, 5), date(2028, 2, 29, 0), date(2028, 3, 31, 0)}, // leap year
		{30, date(2026, 4, 30, 0), date(2026, 4, 30, 0), date(2026, 5, 30, 0)},
		{1, date(2026, 12, 31, 23), date(2026, 12, 1, 0), date(2027, 1, 1, 0)},
	}
	for _, tt := range tests {
		start, end := credits.PeriodContaining(tt.anchor, tt.at)
		if !start.Equal(tt.start) || !end.Equal(tt.end) {
			t.Errorf("anchor %d at %v: [%v, %v), want [%v, %v)", tt.anchor, tt.at, start, end, tt.start, tt.end)
		}
	}
}

func TestPeriodRollOver(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 1, 31, 10)) // anchored on the 31st
		acct := f.account("Starter")
		f.buy(acct, f.seededOffer(1000), "bundle")
		f.mustChat(acct, 1200, "jan") // 1,000 plan + 200 bundle

		b := f.balance(acct)
		if b.Remaining != 800 || b.Used != 1200 || b.PlanRemaining != 0 || b.BundleRemaining != 800 || b.BundleCredits != 1000 {
			t.Fatalf("january: %+v", b)
		}
		// February has no 31st: the period ends on the 28th at midnight.
		f.clock.Set(date(2026, 2, 27, 23))
		if b := f.balance(acct); b.PlanRemaining != 0 || !b.PeriodEnd.Equal(date(2026, 2, 28, 0)) {
			t.Fatalf("end of january period: %+v", b)
		}
		f.clock.Set(date(2026, 2, 28, 0))
		b = f.balance(acct)
		if b.PlanRemaining != 1000 || b.Used != 0 || b.BundleRemaining != 800 || b.BundleCredits != 800 ||
			b.Remaining != 1800 || b.Allowance != 1800 || !b.PeriodStart.Equal(date(2026, 2, 28, 0)) || !b.PeriodEnd.Equal(date(2026, 3, 31, 0)) {
			t.Fatalf("after roll-over (plan credits must not carry over, bundles must): %+v", b)
		}
		f.mustChat(acct, 300, "feb")
		// Months skipped while the service was down: one fresh allowance, no accumulation.
		f.clock.Set(date(2026, 6, 2, 12))
		b = f.balance(acct)
		if b.PlanRemaining != 1000 || b.PlanIncluded != 1000 || b.Used != 0 || b.BundleRemaining != 800 ||
			!b.PeriodStart.Equal(date(2026, 5, 31, 0)) || !b.PeriodEnd.Equal(date(2026, 6, 30, 0)) {
			t.Fatalf("after skipped months: %+v", b)
		}
		f.verify(acct)
		// A charge is what triggers the roll-over just as well as a read.
		f.clock.Set(date(2026, 7, 1, 0))
		res := f.mustChat(acct, 10, "jul")
		if res.Balance.PlanRemaining != 990 || !res.Balance.PeriodStart.Equal(date(2026, 6, 30, 0)) {
			t.Fatalf("charge after period end: %+v", res.Balance)
		}
	})
}
