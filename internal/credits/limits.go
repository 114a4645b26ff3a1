package credits

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/creditlimit"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/ent/usagerollup"
)

// ErrCreditLimitExceeded rejects a charge that would cross a hard limit.
var ErrCreditLimitExceeded = errors.New("the charge would exceed a hard monthly credit limit")

// maxLimitCredits bounds a monthly limit.
const maxLimitCredits = 1_000_000_000

// LimitInput sets the monthly cap of one category or one agent.
type LimitInput struct {
	Category       *usagerecord.Category
	AgentID        *int
	MonthlyCredits int64
	Hard           bool
}

// SetCreditLimit sets a category's or agent's monthly cap, replacing any
// existing cap on the same target.
func (s *Service) SetCreditLimit(ctx context.Context, accountID int, in LimitInput) (*ent.CreditLimit, error) {
	if (in.Category == nil) == (in.AgentID == nil) {
		return nil, invalid("input", "give exactly one of category and agentID")
	}
	if in.Category != nil && usagerecord.CategoryValidator(*in.Category) != nil {
		return nil, invalid("category", "unknown category %q", *in.Category)
	}
	if in.MonthlyCredits < 1 || in.MonthlyCredits > maxLimitCredits {
		return nil, invalid("monthlyCredits", "must be between 1 and %d", maxLimitCredits)
	}
	var limit *ent.CreditLimit
	err := s.withLockedAccount(ctx, accountID, func(tx *ent.Tx, _ *ent.Account, now time.Time) error {
		target := creditlimit.AccountID(accountID)
		create := tx.CreditLimit.Create().SetAccountID(accountID).SetMonthlyCredits(in.MonthlyCredits).SetHard(in.Hard).SetCreatedAt(now)
		if in.AgentID != nil {
			owned, err := tx.Agent.Query().Where(agent.ID(*in.AgentID), agent.AccountID(accountID)).Exist(ctx)
			if err != nil {
				return err
			}
			if !owned {
				return &NotFoundError{What: "agent"}
			}
			target = creditlimit.And(target, creditlimit.AgentID(*in.AgentID))
			create.SetAgentID(*in.AgentID)
		} else {
			target = creditlimit.And(target, creditlimit.CategoryEQ(creditlimit.Category(*in.Category)))
			create.SetCategory(creditlimit.Category(*in.Category))
		}
		if _, err := tx.CreditLimit.Delete().Where(target).Exec(ctx); err != nil {
			return fmt.Errorf("replacing credit limit: %w", err)
		}
		var err error
		if limit, err = create.Save(ctx); err != nil {
			return err
		}
		return recountLimits(ctx, tx, accountID)
	})
	if err != nil {
		return nil, err
	}
	return limit.Unwrap(), nil
}

// RemoveCreditLimit deletes one of the account's limits.
func (s *Service) RemoveCreditLimit(ctx context.Context, accountID, limitID int) error {
	return s.withLockedAccount(ctx, accountID, func(tx *ent.Tx, _ *ent.Account, _ time.Time) error {
		n, err := tx.CreditLimit.Delete().
			Where(creditlimit.ID(limitID), creditlimit.AccountID(accountID)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("removing credit limit: %w", err)
		}
		if n == 0 {
			return &NotFoundError{What: "credit limit"}
		}
		return recountLimits(ctx, tx, accountID)
	})
}

// recountLimits keeps the account's limit count, which lets charges skip
// loading limits when there are none, in step with the limits.
func recountLimits(ctx context.Context, tx *ent.Tx, accountID int) error {
	n, err := tx.CreditLimit.Query().Where(creditlimit.AccountID(accountID)).Count(ctx)
	if err != nil {
		return err
	}
	return tx.Account.UpdateOneID(accountID).SetCreditLimitCount(n).Exec(ctx)
}

// CreditLimits lists the account's limits with the credits used under each
// this billing period.
func (s *Service) CreditLimits(ctx context.Context, accountID int) ([]*ent.CreditLimit, map[int]int64, error) {
	periodStart, err := s.periodStart(ctx, accountID)
	if err != nil {
		return nil, nil, err
	}
	g, err := loadGuard(ctx, s.client.CreditLimit, s.client.UsageRollup, accountID, periodStart)
	if err != nil {
		return nil, nil, err
	}
	used := make(map[int]int64, len(g.limits))
	for _, l := range g.limits {
		used[l.ID] = g.usedUnder(l)
	}
	return g.limits, used, nil
}

// periodStart is when the account's current billing period started: the
// stored one, or, if it has ended, the one the next ledger transaction will
// roll into (PeriodContaining, as rollPeriod stores it).
func (s *Service) periodStart(ctx context.Context, accountID int) (time.Time, error) {
	acct, err := s.client.Account.Query().Where(account.ID(accountID)).
		Select(account.FieldBillingAnchorDay, account.FieldPeriodStart, account.FieldPeriodEnd).Only(ctx)
	if ent.IsNotFound(err) {
		return time.Time{}, &NotFoundError{What: "account"}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("loading account: %w", err)
	}
	if now := s.Now(); !now.Before(acct.PeriodEnd) {
		start, _ := PeriodContaining(acct.BillingAnchorDay, now)
		return start, nil
	}
	return acct.PeriodStart, nil
}

// limitGuard checks a batch's charges against the account's limits, counting
// usage that occurred this billing period (from the daily rollups) plus the
// batch's accepted charges.
type limitGuard struct {
	limits     []*ent.CreditLimit
	byCategory map[usagerecord.Category]int64
	byAgent    map[int]int64
}

func loadGuard(ctx context.Context, limitsOf *ent.CreditLimitClient, rollups *ent.UsageRollupClient, accountID int, periodStart time.Time) (*limitGuard, error) {
	limits, err := limitsOf.Query().Where(creditlimit.AccountID(accountID)).
		Order(creditlimit.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading credit limits: %w", err)
	}
	g := &limitGuard{limits: limits, byCategory: map[usagerecord.Category]int64{}, byAgent: map[int]int64{}}
	if len(limits) == 0 {
		return g, nil
	}
	var rows []struct {
		Category usagerecord.Category `json:"category"`
		AgentID  int                  `json:"agent_id"`
		Credits  int64                `json:"credits"`
	}
	err = rollups.Query().
		Where(usagerollup.AccountID(accountID), usagerollup.DayGTE(periodStart)).
		GroupBy(usagerollup.FieldCategory, usagerollup.FieldAgentID).
		Aggregate(ent.As(ent.Sum(usagerollup.FieldCredits), "credits")).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("summing usage under limits: %w", err)
	}
	for _, r := range rows {
		g.byCategory[r.Category] += r.Credits
		if r.AgentID != 0 {
			g.byAgent[r.AgentID] += r.Credits
		}
	}
	return g, nil
}

func (g *limitGuard) usedUnder(l *ent.CreditLimit) int64 {
	if l.AgentID != nil {
		return g.byAgent[*l.AgentID]
	}
	return g.byCategory[usagerecord.Category(*l.Category)]
}

func covers(l *ent.CreditLimit, c *charge) bool {
	if l.AgentID != nil {
		return c.AgentID != nil && *c.AgentID == *l.AgentID
	}
	return string(*l.Category) == string(c.Category)
}

// check decides whether the charge fits under the hard limits and returns
// the soft limits it would make cross.
func (g *limitGuard) check(c *charge) ([]*ent.CreditLimit, error) {
	var crossed []*ent.CreditLimit
	for _, l := range g.limits {
		if !covers(l, c) {
			continue
		}
		used := g.usedUnder(l)
		if used+c.credits > l.MonthlyCredits {
			if l.Hard {
				return nil, ErrCreditLimitExceeded
			}
			if used <= l.MonthlyCredits {
				crossed = append(crossed, l)
			}
		}
	}
	return crossed, nil
}

// count adds an accepted charge to the usage under the limits.
func (g *limitGuard) count(c *charge) {
	if len(g.limits) == 0 {
		return
	}
	g.byCategory[c.Category] += c.credits
	if c.AgentID != nil {
		g.byAgent[*c.AgentID] += c.credits
	}
}
