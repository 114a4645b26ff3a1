package graph

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/credits"
)

// loaders batch per-object lookups that ent's eager loading cannot reach.
// Besides dataloadgen's time window, a batch covers every agent the
// request's connections listed, so a busy machine that splits the window
// still runs one set of queries per list.
type loaders struct {
	agentCost *dataloadgen.Loader[*ent.Agent, *credits.AgentCost]
	runs      *dataloadgen.Loader[runsKey, *ent.UsageRecordConnection]

	mu        sync.Mutex
	listed    []*ent.Agent
	costs     map[int]*credits.AgentCost
	runsPages map[runsKey]*ent.UsageRecordConnection
	// limitsUsed is what listing the credit limits computed for each, so
	// their used fields need no query of their own.
	limitsUsed map[int]int64
}

// rememberLimitsUsed keeps the credits used under listed limits.
func (l *loaders) rememberLimitsUsed(used map[int]int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	maps.Copy(l.limitsUsed, used)
}

// limitUsed returns what listing computed for the limit, if it was listed.
func (l *loaders) limitUsed(id int) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, ok := l.limitsUsed[id]
	return n, ok
}

// list records agents a connection returned, to be batched together.
func (l *loaders) list(agents []*ent.Agent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.listed = append(l.listed, agents...)
}

type loadersKey struct{}

// batchWait is how long a loader gathers keys before querying: long enough
// for every sibling field of a list to ask even on a loaded machine.
const batchWait = 5 * time.Millisecond

// LoadersContext returns ctx ready to give the operation its own loaders,
// so batches never mix operations (or accounts). They are built on first
// use: most operations (a recordUsage, say) never need them.
func (r *Resolver) LoadersContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadersKey{}, &lazyLoaders{r: r})
}

type lazyLoaders struct {
	r    *Resolver
	once sync.Once
	l    *loaders
}

func loadersFor(ctx context.Context) *loaders {
	h := ctx.Value(loadersKey{}).(*lazyLoaders)
	h.once.Do(func() {
		h.l = &loaders{
			agentCost: dataloadgen.NewLoader(h.r.loadAgentCosts, dataloadgen.WithWait(batchWait)),
			runs:      dataloadgen.NewLoader(h.r.loadRuns, dataloadgen.WithWait(batchWait)),
			costs:     map[int]*credits.AgentCost{},
			runsPages: map[runsKey]*ent.UsageRecordConnection{},

			limitsUsed: map[int]int64{},
		}
	})
	return h.l
}

func (r *Resolver) loadAgentCosts(ctx context.Context, agents []*ent.Agent) ([]*credits.AgentCost, []error) {
	l := loadersFor(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	var missing []*ent.Agent
	for _, a := range append(agents, l.listed...) {
		if _, ok := l.costs[a.ID]; !ok {
			l.costs[a.ID] = nil // once per agent
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		id, err := accountID(ctx)
		if err != nil {
			return nil, []error{err}
		}
		costs, err := r.Credits.AgentCosts(ctx, id, missing)
		if err != nil {
			return nil, []error{err}
		}
		for i, a := range missing {
			l.costs[a.ID] = costs[i]
		}
	}
	out := make([]*credits.AgentCost, len(agents))
	for i, a := range agents {
		out[i] = l.costs[a.ID]
	}
	return out, nil
}

// listAgents registers a connection's agents for batched cost and runs.
func listAgents(ctx context.Context, conn *ent.AgentConnection) {
	agents := make([]*ent.Agent, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		agents = append(agents, e.Node)
	}
	loadersFor(ctx).list(agents)
}
