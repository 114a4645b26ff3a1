package credits

import (
	"context"
	"fmt"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/plan"
)

// CreateAccount opens an account on the named plan, anchored on today, with
// the plan's allowance for its first period. apiKeyHash is the hash of the
// account's API key (see internal/auth).
func (s *Service) CreateAccount(ctx context.Context, name, planName, apiKeyHash string) (*ent.Account, error) {
	return s.CreateAccountAnchored(ctx, name, planName, apiKeyHash, s.Now().Day())
}

// CreateAccountAnchored opens an account whose billing periods start on
// anchorDay (1–31, clamped in short months).
func (s *Service) CreateAccountAnchored(ctx context.Context, name, planName, apiKeyHash string, anchorDay int) (*ent.Account, error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if anchorDay < 1 || anchorDay > 31 {
		return nil, invalid("anchorDay", "must be between 1 and 31")
	}
	p, err := s.client.Plan.Query().Where(plan.Name(planName)).Only(ctx)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, &NotFoundError{What: fmt.Sprintf("plan %q", planName)}
		}
		return nil, fmt.Errorf("loading plan: %w", err)
	}
	now := s.Now()
	start, end := PeriodContaining(anchorDay, now)
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating account: %w", err)
	}
	defer tx.Rollback()
	acct, err := tx.Account.Create().
		SetName(name).
		SetPlan(p).
		SetAPIKeyHash(apiKeyHash).
		SetBillingAnchorDay(anchorDay).
		SetPeriodStart(start).
		SetPeriodEnd(end).
		SetPlanIncluded(p.MonthlyCredits).
		SetPlanRemaining(p.MonthlyCredits).
		SetCreatedAt(now).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating account: %w", err)
	}
	if err := grantPlanCredits(ctx, tx.PlanGrant, acct.ID, start, end, p.MonthlyCredits, now); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("creating account: %w", err)
	}
	return acct.Unwrap(), nil
}
