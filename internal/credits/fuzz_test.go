package credits

import (
	"errors"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/usagerecord"
)

// FuzzUsageValidation: any input is either rejected as invalid or yields a
// charge within the documented limits; validation never panics.
func FuzzUsageValidation(f *testing.F) {
	f.Add("IMAGE", 2, false, 0, "key", int64(0), false)
	f.Add("CHAT", 1, true, 50, "k", int64(-3600), true)
	f.Add("AGENT", 1, true, 1_000_001, "\xff", int64(0), false)
	f.Add("VIDEO", -1, false, 0, "", int64(400), true)
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, category string, quantity int, hasCredits bool, creditsIn int, key string, offsetSeconds int64, hasTime bool) {
		in := UsageInput{Category: usagerecord.Category(category), Quantity: &quantity, IdempotencyKey: key}
		if hasCredits {
			in.Credits = &creditsIn
		}
		if in.Category == usagerecord.CategoryAGENT {
			id := 1
			in.AgentID = &id
		}
		if hasTime {
			at := now.Add(time.Duration(offsetSeconds) * time.Second)
			in.OccurredAt = &at
		}
		c, err := in.validate(now)
		if err != nil {
			var invalid *InvalidArgumentError
			if !errors.As(err, &invalid) {
				t.Fatalf("validation failed with a non-validation error: %v", err)
			}
			return
		}
		if c.credits < 1 || c.credits > MaxCredits {
			t.Fatalf("accepted charge of %d credits", c.credits)
		}
		if c.occurredAt.Before(now.Add(-MaxBackdate)) || c.occurredAt.After(now.Add(MaxClockSkew)) {
			t.Fatalf("accepted occurredAt %v", c.occurredAt)
		}
		if len(c.hash) != 64 {
			t.Fatalf("fingerprint %q", c.hash)
		}
	})
}
