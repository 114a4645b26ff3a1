package credits

import (
	"context"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/ent/usagerollup"
	"github.com/vistasocial/aiusage/internal/money"
)

// DailyUsage is one UTC day of usage, per category.
type DailyUsage struct {
	Day          time.Time
	TotalCredits int64
	Categories   []CategoryUsage
}

// DailyUsage returns the credits used per day over the last days UTC days
// (today included), oldest first, every day and category present.
func (s *Service) DailyUsage(ctx context.Context, accountID, days int) ([]*DailyUsage, error) {
	if err := ValidateDays(days); err != nil {
		return nil, err
	}
	from := windowStart(s.Now(), days)
	var rows []struct {
		Day      time.Time            `json:"day"`
		Category usagerecord.Category `json:"category"`
		Credits  int64                `json:"credits"`
		Value    int64                `json:"value"`
	}
	err := s.client.UsageRollup.Query().
		Where(usagerollup.AccountID(accountID), usagerollup.DayGTE(from)).
		GroupBy(usagerollup.FieldDay, usagerollup.FieldCategory).
		Aggregate(ent.As(ent.Sum(usagerollup.FieldCredits), "credits"), ent.As(ent.Sum(usagerollup.FieldValueMicros), "value")).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("summing daily usage: %w", err)
	}
	type key struct {
		day string
		cat usagerecord.Category
	}
	sums := make(map[key]CategoryUsage, len(rows))
	for _, r := range rows {
		sums[key{r.Day.UTC().Format(time.DateOnly), r.Category}] = CategoryUsage{Category: r.Category, Credits: r.Credits, Value: money.USD(r.Value)}
	}
	out := make([]*DailyUsage, days)
	for i := range out {
		day := from.AddDate(0, 0, i)
		d := &DailyUsage{Day: day}
		for _, c := range Categories {
			cu, ok := sums[key{day.Format(time.DateOnly), c}]
			if !ok {
				cu = CategoryUsage{Category: c, Value: money.USD(0)}
			}
			d.TotalCredits += cu.Credits
			d.Categories = append(d.Categories, cu)
		}
		for i := range d.Categories {
			d.Categories[i].Percent = percent(d.Categories[i].Credits, d.TotalCredits)
		}
		out[i] = d
	}
	return out, nil
}
