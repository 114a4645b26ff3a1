// Package credits owns the credits ledger: balances, charges, bundle
// purchases and the figures derived from usage. It knows nothing of GraphQL;
// every balance change in the service goes through this package.
package credits

import (
	"errors"
	"fmt"
)

// Domain errors; the API maps each to a stable error code.
var (
	ErrInsufficientCredits  = errors.New("insufficient credits for this charge")
	ErrIdempotencyKeyReused = errors.New("idempotency key was already used with a different request")
	ErrNotFound             = errors.New("not found")
)

// InvalidArgumentError reports input that breaks a documented limit.
type InvalidArgumentError struct {
	Field  string
	Reason string
}

func (e *InvalidArgumentError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Field, e.Reason)
}

func invalid(field, format string, args ...any) error {
	return &InvalidArgumentError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// NotFoundError says which kind of object was not found for the caller.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " not found" }

// Is makes errors.Is(err, ErrNotFound) hold for every NotFoundError.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }
