package credits

import (
	"context"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/ent/usagerollup"
)

// rollupKey identifies one row of the daily rollups.
type rollupKey struct {
	day      time.Time
	category usagerecord.Category
	agentID  int
}

type rollupSums struct{ events, credits, value int64 }

func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func keyOf(r *ent.UsageRecord) rollupKey {
	k := rollupKey{day: dayOf(r.OccurredAt), category: r.Category}
	if r.AgentID != nil {
		k.agentID = *r.AgentID
	}
	return k
}

// sumRollups sums records per rollup row, returning the rows' keys in the
// order the records first reach them.
func sumRollups(recs []*ent.UsageRecord) (map[rollupKey]*rollupSums, []rollupKey) {
	sums := map[rollupKey]*rollupSums{}
	var order []rollupKey
	for _, r := range recs {
		k := keyOf(r)
		s, ok := sums[k]
		if !ok {
			s = &rollupSums{}
			sums[k] = s
			order = append(order, k)
		}
		s.events++
		s.credits += r.Credits
		s.value += r.ValueMicros
	}
	return sums, order
}

// addToRollups adds new records to the daily rollups, in the charge's
// transaction, so rollups always equal the records.
func addToRollups(ctx context.Context, tx *ent.Tx, accountID int, recs []*ent.UsageRecord) error {
	sums, order := sumRollups(recs)
	for _, k := range order {
		s := sums[k]
		err := tx.UsageRollup.Create().
			SetAccountID(accountID).SetDay(k.day).SetCategory(usagerollup.Category(k.category)).SetAgentID(k.agentID).
			SetEvents(s.events).SetCredits(s.credits).SetValueMicros(s.value).
			OnConflictColumns(usagerollup.FieldAccountID, usagerollup.FieldDay, usagerollup.FieldCategory, usagerollup.FieldAgentID).
			Update(func(u *ent.UsageRollupUpsert) {
				u.AddEvents(s.events).AddCredits(s.credits).AddValueMicros(s.value)
			}).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("updating daily rollup: %w", err)
		}
	}
	return nil
}

// RebuildRollups recomputes an account's daily rollups from its usage
// records, repairing them after a manual data fix. It holds the account's
// ledger lock so no charge interleaves.
func (s *Service) RebuildRollups(ctx context.Context, accountID int) error {
	return s.withLockedAccount(ctx, accountID, func(tx *ent.Tx, _ *ent.Account, _ time.Time) error {
		if _, err := tx.UsageRollup.Delete().Where(usagerollup.AccountID(accountID)).Exec(ctx); err != nil {
			return fmt.Errorf("clearing rollups: %w", err)
		}
		const page = 5000
		for lastID := 0; ; {
			recs, err := tx.UsageRecord.Query().
				Where(usagerecord.AccountID(accountID), usagerecord.IDGT(lastID)).
				Order(usagerecord.ByID()).Limit(page).
				Select(usagerecord.FieldAgentID, usagerecord.FieldCategory, usagerecord.FieldCredits,
					usagerecord.FieldValueMicros, usagerecord.FieldOccurredAt).
				All(ctx)
			if err != nil {
				return fmt.Errorf("reading usage records: %w", err)
			}
			if len(recs) == 0 {
				return nil
			}
			if err := addToRollups(ctx, tx, accountID, recs); err != nil {
				return err
			}
			lastID = recs[len(recs)-1].ID
		}
	})
}

// rollupDrift compares an account's rollups with its records.
func (s *Service) rollupDrift(ctx context.Context, accountID int) ([]string, error) {
	recs, err := s.client.UsageRecord.Query().Where(usagerecord.AccountID(accountID)).
		Select(usagerecord.FieldAgentID, usagerecord.FieldCategory, usagerecord.FieldCredits,
			usagerecord.FieldValueMicros, usagerecord.FieldOccurredAt).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading usage records: %w", err)
	}
	want, _ := sumRollups(recs)
	rows, err := s.client.UsageRollup.Query().Where(usagerollup.AccountID(accountID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading rollups: %w", err)
	}
	var drift []string
	for _, row := range rows {
		k := rollupKey{day: row.Day.UTC(), category: usagerecord.Category(row.Category), agentID: row.AgentID}
		got, w := rollupSums{row.Events, row.Credits, row.ValueMicros}, rollupSums{}
		if s := want[k]; s != nil {
			w = *s
		}
		if got != w {
			drift = append(drift, fmt.Sprintf("rollup %s %s agent %d is %+v, records say %+v", k.day.Format(time.DateOnly), k.category, k.agentID, got, w))
		}
		delete(want, k)
	}
	for k, w := range want {
		drift = append(drift, fmt.Sprintf("rollup %s %s agent %d missing, records say %+v", k.day.Format(time.DateOnly), k.category, k.agentID, *w))
	}
	return drift, nil
}
