package credits

import (
	"context"
	"fmt"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/ent/usagerollup"
	"github.com/vistasocial/aiusage/internal/money"
)

// UsageBreakdown is the credits used per category over a rolling window.
type UsageBreakdown struct {
	Days         int
	TotalCredits int64
	TotalValue   money.Money
	Categories   []CategoryUsage
}

// CategoryUsage is one category's share of a UsageBreakdown.
type CategoryUsage struct {
	Category usagerecord.Category
	Credits  int64
	Percent  float64
	Value    money.Money
}

// UsageByCategory sums the account's usage over the rolling window of days
// UTC calendar days ending today. Every category is listed, used or not.
func (s *Service) UsageByCategory(ctx context.Context, accountID, days int) (UsageBreakdown, error) {
	if err := ValidateDays(days); err != nil {
		return UsageBreakdown{}, err
	}
	// Read from the daily rollups: at most days × categories × agents rows,
	// however many records the window holds.
	var rows []struct {
		Category usagerecord.Category `json:"category"`
		Credits  int64                `json:"credits"`
		Value    int64                `json:"value"`
	}
	err := s.client.UsageRollup.Query().
		Where(usagerollup.AccountID(accountID), usagerollup.DayGTE(windowStart(s.Now(), days))).
		GroupBy(usagerollup.FieldCategory).
		Aggregate(
			ent.As(ent.Sum(usagerollup.FieldCredits), "credits"),
			ent.As(ent.Sum(usagerollup.FieldValueMicros), "value"),
		).
		Scan(ctx, &rows)
	if err != nil {
		return UsageBreakdown{}, fmt.Errorf("summing usage by category: %w", err)
	}
	byCategory := make(map[usagerecord.Category]CategoryUsage, len(rows))
	out := UsageBreakdown{Days: days}
	for _, r := range rows {
		byCategory[r.Category] = CategoryUsage{Category: r.Category, Credits: r.Credits, Value: money.USD(r.Value)}
		out.TotalCredits += r.Credits
		out.TotalValue.Micros += r.Value
	}
	out.TotalValue = money.USD(out.TotalValue.Micros)
	for _, c := range Categories {
		cu, ok := byCategory[c]
		if !ok {
			cu = CategoryUsage{Category: c, Value: money.USD(0)}
		}
		cu.Percent = percent(cu.Credits, out.TotalCredits)
		out.Categories = append(out.Categories, cu)
	}
	return out, nil
}
