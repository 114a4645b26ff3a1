package credits

import (
	"context"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/bundle"
	"github.com/vistasocial/aiusage/ent/predicate"
	"github.com/vistasocial/aiusage/internal/money"
)

// Balance is the account's credits in the current billing period.
type Balance struct {
	Remaining       int64
	Allowance       int64
	Used            int64
	UsedPercent     float64
	PlanIncluded    int64
	PlanRemaining   int64
	BundleCredits   int64
	BundleRemaining int64
	RemainingValue  money.Money
	PeriodStart     time.Time
	PeriodEnd       time.Time
	// CreditValueMicros is the plan's value of one credit.
	CreditValueMicros int64
	// planMonthlyCredits is the plan's allowance, granted again at each
	// reset (the runway forecast needs it).
	planMonthlyCredits int64
}

// Balance returns the account's current balance, rolling it into the current
// period first if the stored one has ended.
func (s *Service) Balance(ctx context.Context, accountID int) (Balance, error) {
	acct, err := s.client.Account.Query().Where(account.ID(accountID)).Only(ctx)
	if err == nil {
		acct.Edges.Plan, err = s.plan(ctx, s.client.Plan, acct.PlanID)
	}
	if err != nil {
		if ent.IsNotFound(err) {
			return Balance{}, &NotFoundError{What: "account"}
		}
		return Balance{}, fmt.Errorf("loading account: %w", err)
	}
	now := s.Now()
	if !now.Before(acct.PeriodEnd) {
		var b Balance
		err := s.withLockedAccount(ctx, accountID, func(tx *ent.Tx, acct *ent.Account, now time.Time) error {
			b, err = s.balance(ctx, tx.Bundle, acct, now)
			return err
		})
		return b, err
	}
	return s.balance(ctx, s.client.Bundle, acct, now)
}

// balance derives the balance figures from the account row (with its plan)
// and the unexpired bundles.
func (s *Service) balance(ctx context.Context, bundles *ent.BundleClient, acct *ent.Account, now time.Time) (Balance, error) {
	remainders, err := bundles.Query().
		Where(bundle.AccountID(acct.ID), bundle.RemainingGT(0), usable(now)).
		Select(bundle.FieldRemaining).
		Ints(ctx)
	if err != nil {
		return Balance{}, fmt.Errorf("summing bundles: %w", err)
	}
	var bundleRemaining int64
	for _, r := range remainders {
		bundleRemaining += int64(r)
	}
	return balanceOf(acct, bundleRemaining), nil
}

// balanceOf derives the balance figures from the account row (with its
// plan) and the credits left in its unexpired bundles.
func balanceOf(acct *ent.Account, bundleRemaining int64) Balance {
	cv := acct.Edges.Plan.CreditValueMicros
	b := Balance{
		PlanIncluded:      acct.PlanIncluded,
		PlanRemaining:     acct.PlanRemaining,
		BundleRemaining:   bundleRemaining,
		BundleCredits:     bundleRemaining + acct.PeriodBundleUsed,
		Remaining:         acct.PlanRemaining + bundleRemaining,
		Used:              acct.PlanIncluded - acct.PlanRemaining + acct.PeriodBundleUsed,
		PeriodStart:       acct.PeriodStart,
		PeriodEnd:         acct.PeriodEnd,
		CreditValueMicros: cv,

		planMonthlyCredits: acct.Edges.Plan.MonthlyCredits,
	}
	b.Allowance = b.Remaining + b.Used
	b.UsedPercent = percent(b.Used, b.Allowance)
	b.RemainingValue = money.USD(b.Remaining * cv)
	return b
}

// usable selects bundles that have not expired at now.
func usable(now time.Time) predicate.Bundle {
	return bundle.Or(bundle.ExpiresAtIsNil(), bundle.ExpiresAtGT(now))
}

// percent is part/total × 100 rounded half-up to one decimal, 0 when total is 0.
func percent(part, total int64) float64 {
	if total <= 0 {
		return 0
	}
	tenths := (part*2000 + total) / (2 * total)
	return float64(tenths) / 10
}
