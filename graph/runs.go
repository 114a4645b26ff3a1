package graph

import (
	"context"
	"maps"
	"slices"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
)

// runsKey asks for the first runs of one agent, newest first.
type runsKey struct {
	agentID int
	first   int
}

// loadRuns answers the first page of many agents' runs with two queries in
// all (rows limited per agent with a window function, and counts), so
// listing agents with their runs is not one query per agent.
func (r *Resolver) loadRuns(ctx context.Context, keys []runsKey) ([]*ent.UsageRecordConnection, []error) {
	l := loadersFor(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	pages := l.runsPages
	wanted := map[int]map[int]bool{} // page size → agent IDs
	for _, k := range keys {
		if _, done := pages[k]; done {
			continue
		}
		set, seen := wanted[k.first]
		if !seen {
			// Cover every listed agent with the same page size in this batch.
			set = map[int]bool{}
			for _, a := range l.listed {
				if _, done := pages[runsKey{a.ID, k.first}]; !done {
					set[a.ID] = true
				}
			}
			wanted[k.first] = set
		}
		set[k.agentID] = true
	}
	for first, set := range wanted {
		ids := slices.Sorted(maps.Keys(set))
		q := r.Client.UsageRecord.Query().Where(usagerecord.AgentIDIn(ids...))
		q.Modify(entgql.LimitPerRow(usagerecord.FieldAgentID, first+1,
			sql.ExprP(usagerecord.FieldOccurredAt+" DESC, "+usagerecord.FieldID+" DESC")))
		recs, err := q.All(ctx)
		if err != nil {
			return nil, []error{err}
		}
		var counts []struct {
			AgentID int `json:"agent_id"`
			Count   int `json:"count"`
		}
		if err := r.Client.UsageRecord.Query().Where(usagerecord.AgentIDIn(ids...)).
			GroupBy(usagerecord.FieldAgentID).Aggregate(ent.Count()).Scan(ctx, &counts); err != nil {
			return nil, []error{err}
		}
		for _, id := range ids {
			pages[runsKey{id, first}] = &ent.UsageRecordConnection{Edges: []*ent.UsageRecordEdge{}}
		}
		for _, c := range counts {
			pages[runsKey{c.AgentID, first}].TotalCount = c.Count
		}
		for _, rec := range sortedNewestFirst(recs) {
			page := pages[runsKey{*rec.AgentID, first}]
			if len(page.Edges) == first {
				page.PageInfo.HasNextPage = true
				continue
			}
			cursor := ent.Cursor{ID: rec.ID, Value: rec.OccurredAt}
			page.Edges = append(page.Edges, &ent.UsageRecordEdge{Node: rec, Cursor: cursor})
			if page.PageInfo.StartCursor == nil {
				page.PageInfo.StartCursor = &cursor
			}
			page.PageInfo.EndCursor = &cursor
		}
	}
	out := make([]*ent.UsageRecordConnection, len(keys))
	for i, k := range keys {
		out[i] = pages[k]
	}
	return out, nil
}

// sortedNewestFirst orders records as the connection lists them; the
// window query limits rows per agent but does not order the result.
func sortedNewestFirst(recs []*ent.UsageRecord) []*ent.UsageRecord {
	slices.SortFunc(recs, func(a, b *ent.UsageRecord) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return b.ID - a.ID
	})
	return recs
}

// isFirstPageNewestFirst reports whether a runs request is the default first
// page, which the batched loader answers.
func isFirstPageNewestFirst(after, before *entgql.Cursor[int], last *int, orderBy *ent.UsageRecordOrder, where *ent.UsageRecordWhereInput) bool {
	return after == nil && before == nil && last == nil && orderBy == nil && where == nil
}
