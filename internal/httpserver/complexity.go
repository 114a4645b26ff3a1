package httpserver

import (
	"entgo.io/contrib/entgql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/graph/generated"
	"github.com/vistasocial/aiusage/graph/model"
)

// setComplexity makes connection fields cost their page size times their
// selection, so nesting or aliasing large pages hits the limit.
func setComplexity(c *generated.ComplexityRoot) {
	c.Query.UsageRecords = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ *ent.UsageRecordOrder, _ *ent.UsageRecordWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Agents = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ *ent.AgentOrder, _ *ent.AgentWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Agent.Runs = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ *ent.UsageRecordOrder, _ *ent.UsageRecordWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.TopAgents = func(child int, first *int) int { return pageCost(child, first, nil) }
	c.Query.Nodes = func(child int, ids []int) int { return 1 + child*max(len(ids), 1) }
	c.Mutation.RecordUsageBatch = func(child int, inputs []*model.RecordUsageInput) int { return 1 + child*max(len(inputs), 1) }
}

func pageCost(child int, first, last *int) int {
	n := 20
	switch {
	case first != nil:
		n = *first
	case last != nil:
		n = *last
	}
	return 1 + child*max(min(n, 100), 1)
}
