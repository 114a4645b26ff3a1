package credits

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/usagerollup"
)

// burnWindowDays is the window the daily burn is averaged over.
const burnWindowDays = 7

// forecastPeriods is how many plan resets a forecast looks ahead.
const forecastPeriods = 12

// Runway forecasts how long credits last at the recent pace.
type Runway struct {
	DailyBurn float64
	// RunsOutAt is nil when credits outlast the forecast (or nothing is used).
	RunsOutAt       *time.Time
	LastsUntilReset bool
}

// Runway forecasts the account's runway from its balance and the credits
// used over the last 7 UTC days.
func (s *Service) Runway(ctx context.Context, accountID int, b Balance) (Runway, error) {
	return runwayWith(ctx, s.client.UsageRollup, accountID, b, s.Now())
}

// RunwayTx forecasts inside a ledger transaction (for alert rules).
func (s *Service) RunwayTx(ctx context.Context, tx *ent.Tx, accountID int, b Balance) (Runway, error) {
	return runwayWith(ctx, tx.UsageRollup, accountID, b, s.Now())
}

func runwayWith(ctx context.Context, rollups *ent.UsageRollupClient, accountID int, b Balance, now time.Time) (Runway, error) {
	var sums []struct {
		Credits *int64 `json:"credits"` // NULL when nothing was used
	}
	err := rollups.Query().
		Where(usagerollup.AccountID(accountID), usagerollup.DayGTE(windowStart(now, burnWindowDays))).
		Aggregate(ent.As(ent.Sum(usagerollup.FieldCredits), "credits")).
		Scan(ctx, &sums)
	if err != nil {
		return Runway{}, fmt.Errorf("summing recent usage: %w", err)
	}
	var burned int64
	if len(sums) == 1 && sums[0].Credits != nil {
		burned = *sums[0].Credits
	}
	return forecast(b, float64(burned)/burnWindowDays, b.planMonthlyCredits, now), nil
}

// forecast walks forward period by period: plan credits are spent first and
// expire at each reset, bundles carry over, and each reset grants the plan's
// allowance again.
func forecast(b Balance, burn float64, allowance int64, now time.Time) Runway {
	r := Runway{DailyBurn: math.Round(burn*10) / 10, LastsUntilReset: true}
	if burn <= 0 {
		return r
	}
	plan, bundles := float64(b.PlanRemaining), float64(b.BundleRemaining)
	start, end := now, b.PeriodEnd
	for i := 0; i < forecastPeriods; i++ {
		days := end.Sub(start).Hours() / 24
		need := burn * days
		if need >= plan+bundles {
			at := start.Add(time.Duration((plan + bundles) / burn * 24 * float64(time.Hour)))
			r.RunsOutAt = &at
			r.LastsUntilReset = i > 0
			return r
		}
		bundles -= max(0, need-plan)
		plan = float64(allowance)
		start, end = end, end.AddDate(0, 1, 0)
	}
	return r
}
