package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/graph/model"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/events"
)

// Error codes carried in extensions.code.
const (
	CodeUnauthenticated      = "UNAUTHENTICATED"
	CodeForbidden            = "FORBIDDEN"
	CodeInvalidArgument      = "INVALID_ARGUMENT"
	CodeNotFound             = "NOT_FOUND"
	CodeInsufficientCredits  = "INSUFFICIENT_CREDITS"
	CodeIdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"
	CodeCreditLimitExceeded  = "CREDIT_LIMIT_EXCEEDED"
	CodeInternal             = "INTERNAL"
	CodeBadRequest           = "BAD_REQUEST"
	CodeRequestTooLarge      = "REQUEST_TOO_LARGE"
	CodeRateLimited          = "RATE_LIMITED"
)

// PresentError maps domain errors to stable codes and hides internal
// failures behind one generic message.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if gqlErr.Extensions != nil && gqlErr.Extensions["code"] != nil {
		return gqlErr // parse, validation and argument errors already carry one
	}
	if len(gqlErr.Path) == 0 {
		// Request-level failures (an undecodable body, say) are the client's.
		errcode.Set(gqlErr, CodeBadRequest)
		return gqlErr
	}
	code, message := classify(err)
	if code == CodeInternal {
		slog.ErrorContext(ctx, "resolving graphql field", "path", gqlErr.Path.String(), "err", err)
		// Every mutation is idempotent, so a failure on our side (the
		// database restarting, say) is safe to retry with the same key.
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		gqlErr.Extensions["retryable"] = true
	}
	if message != "" {
		gqlErr.Message = message
	}
	errcode.Set(gqlErr, code)
	return gqlErr
}

// isIntrospectionDisabled recognises gqlgen's refusal of __schema and
// __type when introspection is off (an unexported, inline error).
func isIntrospectionDisabled(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e.Error() == "introspection disabled" {
			return true
		}
	}
	return false
}

// classify returns an error's code and, where the error's own text must not
// reach clients, the message to show instead ("" keeps the error's text).
func classify(err error) (code, message string) {
	var invalid *credits.InvalidArgumentError
	var nf *credits.NotFoundError
	switch {
	case errors.As(err, &invalid):
		return CodeInvalidArgument, invalid.Error()
	case errors.As(err, &nf):
		return CodeNotFound, nf.Error()
	case errors.Is(err, credits.ErrNotFound), ent.IsNotFound(err):
		return CodeNotFound, "not found"
	case ent.IsValidationError(err):
		return CodeInvalidArgument, err.Error()
	case isIntrospectionDisabled(err):
		return CodeForbidden, "introspection is disabled on this server"
	case errors.Is(err, credits.ErrInsufficientCredits):
		return CodeInsufficientCredits, err.Error()
	case errors.Is(err, credits.ErrIdempotencyKeyReused):
		return CodeIdempotencyKeyReused, err.Error()
	case errors.Is(err, credits.ErrCreditLimitExceeded):
		return CodeCreditLimitExceeded, err.Error()
	case errors.Is(err, auth.ErrUnauthenticated):
		return CodeUnauthenticated, err.Error()
	case errors.Is(err, events.ErrUnavailable):
		return CodeInvalidArgument, err.Error()
	case errors.Is(err, events.ErrTooManySubscriptions):
		return CodeRateLimited, err.Error()
	default:
		return CodeInternal, "internal error"
	}
}

// itemError presents one rejected batch item.
func itemError(err error) *model.ItemError {
	code, message := classify(err)
	return &model.ItemError{Code: code, Message: message}
}
