package graph

import (
	"context"

	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/viewer"
)

// accountID is the caller's account; the HTTP layer has authenticated it.
func accountID(ctx context.Context) (int, error) {
	v, ok := viewer.FromContext(ctx)
	if !ok {
		return 0, auth.ErrUnauthenticated
	}
	return v.AccountID, nil
}
