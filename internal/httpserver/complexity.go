package httpserver

import (
	"entgo.io/contrib/entgql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/graph"
	"github.com/vistasocial/aiusage/graph/generated"
	"github.com/vistasocial/aiusage/graph/model"
	"github.com/vistasocial/aiusage/internal/credits"
)

// dbFieldCost is the cost of a field that runs database queries, so that
// aliasing it many times in one request hits the limit.
const dbFieldCost = 50

// setComplexity makes connection fields cost their page size times their
// selection, and fields that query the database a fixed high price, so
// nesting or aliasing cannot multiply work past the limit.
func setComplexity(c *generated.ComplexityRoot) {
	perQuery := func(child int) int { return dbFieldCost + child }
	c.Query.CreditBalance = perQuery
	c.Query.UsageLink = perQuery
	c.Query.Viewer = perQuery
	c.Query.BundleOffers = perQuery
	c.Query.UsageByCategory = func(child int, _ *int) int { return perQuery(child) }
	c.Query.Node = func(child int, _ int) int { return perQuery(child) }
	c.Agent.Cost = perQuery
	c.Mutation.RecordUsage = func(child int, _ model.RecordUsageInput) int { return perQuery(child) }
	c.Mutation.PurchaseBundle = func(child int, _ model.PurchaseBundleInput) int { return perQuery(child) }
	c.Mutation.CreateAgent = func(child int, _ model.CreateAgentInput) int { return perQuery(child) }
	c.Mutation.UpdateAgent = func(child int, _ int, _ model.UpdateAgentInput) int { return perQuery(child) }
	c.Query.UsageRecords = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ *ent.UsageRecordOrder, _ *ent.UsageRecordWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Agents = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ *ent.AgentOrder, _ *ent.AgentWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Agent.Runs = func(child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ *ent.UsageRecordOrder, _ *ent.UsageRecordWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.TopAgents = func(child int, first *int) int { return dbFieldCost + pageCost(child, first, nil) }
	c.Query.Nodes = func(child int, ids []int) int { return 1 + child*max(len(ids), 1) }
	c.Mutation.RecordUsageBatch = func(child int, inputs []*model.RecordUsageInput) int { return 1 + child*max(len(inputs), 1) }
}

func pageCost(child int, first, last *int) int {
	n := graph.DefaultPageSize
	switch {
	case first != nil:
		n = *first
	case last != nil:
		n = *last
	}
	return 1 + child*max(min(n, credits.MaxPageSize), 1)
}
