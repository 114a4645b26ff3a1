package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Error codes carried in extensions.code.
const (
	CodeUnauthenticated      = "UNAUTHENTICATED"
	CodeForbidden            = "FORBIDDEN"
	CodeInvalidArgument      = "INVALID_ARGUMENT"
	CodeNotFound             = "NOT_FOUND"
	CodeInsufficientCredits  = "INSUFFICIENT_CREDITS"
	CodeIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"
	CodeInternal             = "INTERNAL"
)

// PresentError maps domain errors to stable codes and hides internal
// failures behind one generic message.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if gqlErr.Extensions != nil && gqlErr.Extensions["code"] != nil {
		return gqlErr // parse, validation and argument errors already carry one
	}
	var invalid *credits.InvalidArgumentError
	switch {
	case errors.As(err, &invalid):
		gqlErr.Message = invalid.Error()
		errcode.Set(gqlErr, CodeInvalidArgument)
	case errors.Is(err, credits.ErrNotFound), ent.IsNotFound(err):
		gqlErr.Message = notFoundMessage(err)
		errcode.Set(gqlErr, CodeNotFound)
	case errors.Is(err, credits.ErrInsufficientCredits):
		errcode.Set(gqlErr, CodeInsufficientCredits)
	case errors.Is(err, credits.ErrIdempotencyKeyReused):
		errcode.Set(gqlErr, CodeIdempotencyKeyReused)
	case errors.Is(err, auth.ErrUnauthenticated):
		errcode.Set(gqlErr, CodeUnauthenticated)
	default:
		slog.ErrorContext(ctx, "resolving graphql field", "path", gqlErr.Path.String(), "err", err)
		gqlErr.Message = "internal error"
		errcode.Set(gqlErr, CodeInternal)
	}
	return gqlErr
}

func notFoundMessage(err error) string {
	var nf *credits.NotFoundError
	if errors.As(err, &nf) {
		return nf.Error()
	}
	return "not found"
}
