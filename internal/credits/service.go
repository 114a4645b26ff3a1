package credits

import (
	"context"
	"fmt"
	"sync"
	"time"

	"entgo.io/ent/dialect"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
)

// Service is the credits ledger and the reports derived from it.
type Service struct {
	client    *ent.Client
	dialect   string
	now       func() time.Time
	observers []Observer
	// plans caches the plan catalogue, which no API changes: a charge then
	// needs no query for its plan. Editing plans by hand needs a restart.
	plans sync.Map // plan ID → *ent.Plan
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces the wall clock, so tests can cross period boundaries.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New returns the ledger over client, whose database speaks dialectName
// (entgo.io/ent/dialect.Postgres or dialect.SQLite).
func New(client *ent.Client, dialectName string, opts ...Option) *Service {
	s := &Service{client: client, dialect: dialectName, now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Now is the ledger's clock, in UTC.
func (s *Service) Now() time.Time { return s.now().UTC() }

// withLockedAccount runs fn in one transaction holding the account's lock, so
// that balance changes on one account are serialized while other accounts
// proceed. On PostgreSQL the account row is locked FOR UPDATE; on SQLite the
// transaction is an immediate (write-locked) one, see internal/db.
// The account handed to fn is already rolled into the current period.
func (s *Service) withLockedAccount(ctx context.Context, accountID int, fn func(tx *ent.Tx, acct *ent.Account, now time.Time) error) error {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting ledger transaction: %w", err)
	}
	q := tx.Account.Query().Where(account.ID(accountID))
	if s.dialect == dialect.Postgres {
		q = q.ForUpdate()
	}
	acct, err := q.Only(ctx)
	if err == nil {
		acct.Edges.Plan, err = s.plan(ctx, tx.Plan, acct.PlanID)
	}
	if err != nil {
		_ = tx.Rollback()
		if ent.IsNotFound(err) {
			return &NotFoundError{What: "account"}
		}
		return fmt.Errorf("locking account: %w", err)
	}
	// The clock is read after the lock so that time never runs backwards
	// between serialized charges.
	now := s.Now()
	if acct, err = s.rollPeriod(ctx, tx, acct, now); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := fn(tx, acct, now); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing ledger transaction: %w", err)
	}
	return nil
}

// plan returns a plan from the cache, loading it through plans on first
// use (inside a ledger transaction, the transaction's: on SQLite every
// pooled connection may be waiting for the write lock that transaction
// holds). Like every helper here it takes the entity client it uses (tx.Plan,
// tx.Bundle...), not tx.Client(), which builds every entity client.
func (s *Service) plan(ctx context.Context, plans *ent.PlanClient, id int) (*ent.Plan, error) {
	if p, ok := s.plans.Load(id); ok {
		return p.(*ent.Plan), nil
	}
	p, err := plans.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	s.plans.Store(id, p)
	return p, nil
}

// rollPeriod starts the period containing now if the stored one has ended.
// Plan credits never carry over: the new period gets exactly the plan's
// allowance, however many periods were skipped.
func (s *Service) rollPeriod(ctx context.Context, tx *ent.Tx, acct *ent.Account, now time.Time) (*ent.Account, error) {
	if now.Before(acct.PeriodEnd) {
		return acct, nil
	}
	start, end := PeriodContaining(acct.BillingAnchorDay, now)
	plan := acct.Edges.Plan
	updated, err := tx.Account.UpdateOne(acct).
		SetPeriodStart(start).
		SetPeriodEnd(end).
		SetPlanIncluded(plan.MonthlyCredits).
		SetPlanRemaining(plan.MonthlyCredits).
		SetPeriodBundleUsed(0).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("rolling account into new period: %w", err)
	}
	updated.Edges.Plan = plan
	if err := grantPlanCredits(ctx, tx.PlanGrant, acct.ID, start, end, plan.MonthlyCredits, now); err != nil {
		return nil, err
	}
	return updated, nil
}

// grantPlanCredits records the plan credits given for a period.
func grantPlanCredits(ctx context.Context, grants *ent.PlanGrantClient, accountID int, start, end time.Time, credits int64, now time.Time) error {
	err := grants.Create().
		SetAccountID(accountID).SetPeriodStart(start).SetPeriodEnd(end).
		SetCredits(credits).SetGrantedAt(now).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("recording plan grant: %w", err)
	}
	return nil
}
