package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/credits"
)

// loaders batch per-object lookups that ent's eager loading cannot reach.
type loaders struct {
	agentCost *dataloadgen.Loader[*ent.Agent, *credits.AgentCost]
	runs      *dataloadgen.Loader[runsKey, *ent.UsageRecordConnection]
}

type loadersKey struct{}

// batchWait is how long a loader gathers keys before querying: long enough
// for every sibling field of a list to ask even on a loaded machine.
const batchWait = 5 * time.Millisecond

// WithLoaders is HTTP middleware giving each request its own loaders, so
// batches never mix requests (or accounts).
func (r *Resolver) WithLoaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		next.ServeHTTP(w, req.WithContext(r.LoadersContext(req.Context())))
	})
}

// LoadersContext returns ctx with fresh loaders, for each operation on a
// long-lived connection (a websocket) as for each HTTP request.
func (r *Resolver) LoadersContext(ctx context.Context) context.Context {
	l := &loaders{
		agentCost: dataloadgen.NewLoader(r.loadAgentCosts, dataloadgen.WithWait(batchWait)),
		runs:      dataloadgen.NewLoader(r.loadRuns, dataloadgen.WithWait(batchWait)),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFor(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}

func (r *Resolver) loadAgentCosts(ctx context.Context, agents []*ent.Agent) ([]*credits.AgentCost, []error) {
	id, err := accountID(ctx)
	if err == nil {
		var costs []*credits.AgentCost
		if costs, err = r.Credits.AgentCosts(ctx, id, agents); err == nil {
			return costs, nil
		}
	}
	return nil, []error{err}
}
