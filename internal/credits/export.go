package credits

import (
	"context"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
)

// exportPage is how many records an export reads per query, so exports of
// any size stream in bounded memory.
const exportPage = 1000

// ExportUsage calls emit for each of the account's usage records that
// occurred on the UTC days from..to (inclusive), oldest first, with the name
// of its agent ("" when none).
func (s *Service) ExportUsage(ctx context.Context, accountID int, from, to time.Time, emit func(r *ent.UsageRecord, agentName string) error) error {
	from, end := dayOf(from), dayOf(to).AddDate(0, 0, 1)
	if !from.Before(end) || end.Sub(from) > MaxDays*24*time.Hour {
		return invalid("to", "the range must run forward and span at most %d days", MaxDays)
	}
	names := map[int]string{}
	agents, err := s.client.Agent.Query().Where(agent.AccountID(accountID)).All(ctx)
	if err != nil {
		return fmt.Errorf("loading agents: %w", err)
	}
	for _, a := range agents {
		names[a.ID] = a.Name
	}
	after := struct {
		at time.Time
		id int
	}{from, 0}
	for {
		recs, err := s.client.UsageRecord.Query().
			Where(
				usagerecord.AccountID(accountID),
				usagerecord.OccurredAtLT(end),
				usagerecord.Or(
					usagerecord.OccurredAtGT(after.at),
					usagerecord.And(usagerecord.OccurredAt(after.at), usagerecord.IDGT(after.id)),
				),
			).
			Order(usagerecord.ByOccurredAt(), usagerecord.ByID()).
			Limit(exportPage).
			All(ctx)
		if err != nil {
			return fmt.Errorf("reading usage records: %w", err)
		}
		for _, r := range recs {
			name := ""
			if r.AgentID != nil {
				name = names[*r.AgentID]
			}
			if err := emit(r, name); err != nil {
				return err
			}
		}
		if len(recs) < exportPage {
			return nil
		}
		last := recs[len(recs)-1]
		after.at, after.id = last.OccurredAt, last.ID
	}
}
