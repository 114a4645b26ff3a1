package credits

import (
	"context"

	"github.com/vistasocial/aiusage/ent"
)

// Change is one committed ledger transaction: the charges it wrote, the
// events it rejected, or the bundle it sold, and the balance after it.
type Change struct {
	AccountID int
	// Account is the account row as locked by the transaction.
	Account *ent.Account
	// Charged are the new usage records (replays are not repeated here).
	Charged []*ent.UsageRecord
	// Rejected are the batch's events that were refused, with why.
	Rejected []Rejection
	// Purchased is the new bundle of a purchase (or of an auto top-up).
	Purchased *ent.Bundle
	// SoftLimitsReached are the soft limits the charges made cross.
	SoftLimitsReached []*ent.CreditLimit
	Balance           Balance
}

// Rejection is one refused usage event.
type Rejection struct {
	Category string
	Err      error
}

// changed reports whether the balance moved.
func (c *Change) changed() bool { return len(c.Charged) > 0 || c.Purchased != nil }

// Observer learns of ledger changes, e.g. to publish events or count metrics.
type Observer interface {
	// BeforeCommit runs inside the ledger transaction when the balance moved;
	// an error aborts the transaction, so work done here (such as a
	// PostgreSQL NOTIFY) happens if and only if the change commits.
	BeforeCommit(ctx context.Context, tx *ent.Tx, change *Change) error
	// AfterCommit runs once the transaction is durable (or, for a batch that
	// changed nothing, once it ended). It must not block.
	AfterCommit(ctx context.Context, change *Change)
}

// WithObserver registers an observer of ledger changes.
func WithObserver(o Observer) Option {
	return func(s *Service) { s.AddObserver(o) }
}

// AddObserver registers an observer that needs the ledger itself (such as
// alerts, which forecast runway). Call it before serving.
func (s *Service) AddObserver(o Observer) { s.observers = append(s.observers, o) }

func (s *Service) beforeCommit(ctx context.Context, tx *ent.Tx, change *Change) error {
	if !change.changed() {
		return nil
	}
	for _, o := range s.observers {
		if err := o.BeforeCommit(ctx, tx, change); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) afterCommit(ctx context.Context, change *Change) {
	for _, o := range s.observers {
		o.AfterCommit(ctx, change)
	}
}
