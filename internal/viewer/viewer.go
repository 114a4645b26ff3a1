// Package viewer carries the account a request acts as through a context.
package viewer

import "context"

type ctxKey struct{}

// Viewer is the authenticated caller: every query is scoped to its account.
type Viewer struct {
	AccountID int
}

// NewContext returns a copy of ctx that acts as the given account.
func NewContext(ctx context.Context, accountID int) context.Context {
	return context.WithValue(ctx, ctxKey{}, Viewer{AccountID: accountID})
}

// FromContext returns the viewer of ctx, if the request is authenticated.
func FromContext(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(ctxKey{}).(Viewer)
	return v, ok
}
