package graph

import (
	"github.com/vistasocial/aiusage/graph/model"
	"github.com/vistasocial/aiusage/internal/credits"
)

// usageInput maps the GraphQL input onto the ledger's.
func usageInput(in *model.RecordUsageInput) credits.UsageInput {
	return credits.UsageInput{
		Category:          in.Category,
		Quantity:          in.Quantity,
		Credits:           in.Credits,
		AgentID:           in.AgentID,
		ProfilesProcessed: in.ProfilesProcessed,
		Description:       in.Description,
		IdempotencyKey:    in.IdempotencyKey,
		OccurredAt:        in.OccurredAt,
	}
}

// batchPayload presents a batch's outcome item by item.
func batchPayload(res *credits.BatchResult) *model.RecordUsageBatchPayload {
	out := &model.RecordUsageBatchPayload{Balance: &res.Balance, Items: make([]*model.RecordUsageBatchItem, len(res.Items))}
	for i, it := range res.Items {
		item := &model.RecordUsageBatchItem{UsageRecord: it.Record, Replayed: it.Replayed}
		if it.Err != nil {
			item.Error = itemError(it.Err)
		}
		out.Items[i] = item
	}
	return out
}
