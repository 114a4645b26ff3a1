package schema

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema/mixin"

	"github.com/vistasocial/aiusage/ent/intercept"
	"github.com/vistasocial/aiusage/internal/viewer"
)

// AccountScopedMixin restricts every query on an account-owned entity to the
// viewer's account, so no resolver can forget the tenancy filter. Contexts
// without a viewer (the ledger, the seed, CLI commands) see all rows.
type AccountScopedMixin struct {
	mixin.Schema
	// Column is the column holding the owning account's ID.
	Column string
}

// Interceptors of the AccountScopedMixin.
func (m AccountScopedMixin) Interceptors() []ent.Interceptor {
	column := m.Column
	return []ent.Interceptor{
		intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
			if v, ok := viewer.FromContext(ctx); ok {
				q.WhereP(sql.FieldEQ(column, v.AccountID))
			}
			return nil
		}),
	}
}
