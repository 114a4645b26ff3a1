package graph

import (
	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/alerts"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Resolver is the resolver root. Resolvers stay thin: the credits package
// owns every rule, ent owns loading and pagination.
type Resolver struct {
	Client   *ent.Client
	Credits  *credits.Service
	Alerting *alerts.Service
}
