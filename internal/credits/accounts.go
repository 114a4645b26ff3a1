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
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	p, err := s.client.Plan.Query().Where(plan.Name(planName)).Only(ctx)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, &NotFoundError{What: fmt.Sprintf("plan %q", planName)}
		}
		return nil, fmt.Errorf("loading plan: %w", err)
	}
	now := s.Now()
	start, end := PeriodContaining(now.Day(), now)
	acct, err := s.client.Account.Create().
		SetName(name).
		SetPlan(p).
		SetAPIKeyHash(apiKeyHash).
		SetBillingAnchorDay(now.Day()).
		SetPeriodStart(start).
		SetPeriodEnd(end).
		SetPlanIncluded(p.MonthlyCredits).
		SetPlanRemaining(p.MonthlyCredits).
		SetCreatedAt(now).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating account: %w", err)
	}
	return acct, nil
}
