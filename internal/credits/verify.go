package credits

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/bundle"
	"github.com/vistasocial/aiusage/ent/plangrant"
	"github.com/vistasocial/aiusage/ent/usagedraw"
	"github.com/vistasocial/aiusage/ent/usagerecord"
)

// ErrLedgerDrift means stored balances disagree with the records that
// explain them.
var ErrLedgerDrift = errors.New("ledger drift")

// Verify checks the account's ledger invariant from stored rows: the plan
// grant of the current period, plan credits
// used this period and bundle credits used match the usage records, every
// charge's split adds up, every bundle's remainder matches its draws, and
// the daily rollups equal the records.
func (s *Service) Verify(ctx context.Context, accountID int) error {
	acct, err := s.client.Account.Query().Where(account.ID(accountID)).Only(ctx)
	if err != nil {
		return fmt.Errorf("loading account: %w", err)
	}
	records, err := s.client.UsageRecord.Query().
		Where(usagerecord.AccountID(accountID)).
		WithDraws().
		All(ctx)
	if err != nil {
		return fmt.Errorf("loading usage records: %w", err)
	}
	var drift []error
	fail := func(format string, args ...any) {
		drift = append(drift, fmt.Errorf("%w: account %d: "+format, append([]any{ErrLedgerDrift, accountID}, args...)...))
	}
	var planUsed, bundleUsed int64
	for _, r := range records {
		var drawn int64
		for _, d := range r.Edges.Draws {
			drawn += d.Credits
		}
		if r.PlanCredits+r.BundleCredits != r.Credits || drawn != r.BundleCredits {
			fail("record %d splits %d credits as plan %d + bundles %d (drawn %d)",
				r.ID, r.Credits, r.PlanCredits, r.BundleCredits, drawn)
		}
		if !r.ChargedAt.Before(acct.PeriodStart) {
			planUsed += r.PlanCredits
			bundleUsed += r.BundleCredits
		}
	}
	if got := acct.PlanIncluded - acct.PlanRemaining; got != planUsed {
		fail("plan credits used this period %d, records say %d", got, planUsed)
	}
	if acct.PeriodBundleUsed != bundleUsed {
		fail("bundle credits used this period %d, records say %d", acct.PeriodBundleUsed, bundleUsed)
	}
	grant, err := s.client.PlanGrant.Query().
		Where(plangrant.AccountID(accountID), plangrant.PeriodStart(acct.PeriodStart)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		fail("no plan grant recorded for the period starting %s", acct.PeriodStart.Format(time.DateOnly))
	case err != nil:
		return fmt.Errorf("loading plan grant: %w", err)
	case grant.Credits != acct.PlanIncluded || !grant.PeriodEnd.Equal(acct.PeriodEnd):
		fail("plan grant of %d credits until %s, account says %d until %s", grant.Credits, grant.PeriodEnd, acct.PlanIncluded, acct.PeriodEnd)
	}
	if acct.PlanRemaining < 0 || acct.PlanRemaining > acct.PlanIncluded {
		fail("plan remaining %d outside 0..%d", acct.PlanRemaining, acct.PlanIncluded)
	}
	bundles, err := s.client.Bundle.Query().Where(bundle.AccountID(accountID)).
		WithDraws(func(q *ent.UsageDrawQuery) { q.Select(usagedraw.FieldBundleID, usagedraw.FieldCredits) }).
		All(ctx)
	if err != nil {
		return fmt.Errorf("loading bundles: %w", err)
	}
	for _, b := range bundles {
		var drawn int64
		for _, d := range b.Edges.Draws {
			drawn += d.Credits
		}
		if b.Remaining < 0 || b.Credits-b.Remaining != drawn {
			fail("bundle %d has %d of %d credits left, draws say %d used", b.ID, b.Remaining, b.Credits, drawn)
		}
	}
	rollups, err := s.rollupDrift(ctx, accountID)
	if err != nil {
		return err
	}
	for _, msg := range rollups {
		fail("%s", msg)
	}
	return errors.Join(drift...)
}
