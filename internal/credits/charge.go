package credits

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/bundle"
	"github.com/vistasocial/aiusage/ent/usagerecord"
)

// ChargeResult is a committed (or replayed) charge and the balance after it.
type ChargeResult struct {
	Record  *ent.UsageRecord
	Balance Balance
	// Replayed is true when the idempotency key matched an earlier charge and
	// nothing new was charged.
	Replayed bool
}

// RecordUsage charges the account for one usage event: all or nothing, plan
// credits first, then bundles by earliest expiry and oldest purchase.
func (s *Service) RecordUsage(ctx context.Context, accountID int, in UsageInput) (*ChargeResult, error) {
	c, err := in.validate(s.Now())
	if err != nil {
		return nil, err
	}
	var res ChargeResult
	err = s.withLockedAccount(ctx, accountID, func(tx *ent.Tx, acct *ent.Account, now time.Time) error {
		prev, err := tx.UsageRecord.Query().
			Where(usagerecord.AccountID(accountID), usagerecord.IdempotencyKey(c.IdempotencyKey)).
			Only(ctx)
		switch {
		case err == nil:
			if prev.RequestHash != c.hash {
				return ErrIdempotencyKeyReused
			}
			res.Record, res.Replayed = prev, true
		case ent.IsNotFound(err):
			if res.Record, acct, err = s.charge(ctx, tx, acct, c, now); err != nil {
				return err
			}
		default:
			return fmt.Errorf("looking up idempotency key: %w", err)
		}
		res.Balance, err = s.balance(ctx, tx.Client(), acct, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// charge writes one new charge inside the locked transaction and returns it
// with the debited account.
func (s *Service) charge(ctx context.Context, tx *ent.Tx, acct *ent.Account, c *charge, now time.Time) (*ent.UsageRecord, *ent.Account, error) {
	if c.AgentID != nil {
		ok, err := tx.Agent.Query().Where(agent.ID(*c.AgentID), agent.AccountID(acct.ID)).Exist(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("checking agent: %w", err)
		}
		if !ok {
			return nil, nil, &NotFoundError{What: "agent"}
		}
	}
	fromPlan := min(acct.PlanRemaining, c.credits)
	draws, err := s.drawBundles(ctx, tx, acct.ID, c.credits-fromPlan, now)
	if err != nil {
		return nil, nil, err
	}
	fromBundles := c.credits - fromPlan
	debited, err := tx.Account.UpdateOne(acct).
		AddPlanRemaining(-fromPlan).
		AddPeriodBundleUsed(fromBundles).
		Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("debiting plan credits: %w", err)
	}
	debited.Edges.Plan = acct.Edges.Plan
	rec, err := tx.UsageRecord.Create().
		SetAccountID(acct.ID).
		SetNillableAgentID(c.AgentID).
		SetCategory(c.Category).
		SetQuantity(c.quantity).
		SetCredits(c.credits).
		SetValueMicros(c.credits * acct.Edges.Plan.CreditValueMicros).
		SetPlanCredits(fromPlan).
		SetBundleCredits(fromBundles).
		SetNillableProfilesProcessed(c.ProfilesProcessed).
		SetNillableDescription(c.Description).
		SetIdempotencyKey(c.IdempotencyKey).
		SetRequestHash(c.hash).
		SetOccurredAt(c.occurredAt).
		SetChargedAt(now).
		Save(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("writing usage record: %w", err)
	}
	for _, d := range draws {
		if err := tx.Bundle.UpdateOneID(d.bundleID).AddRemaining(-d.credits).Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("debiting bundle: %w", err)
		}
		if err := tx.UsageDraw.Create().
			SetUsageRecordID(rec.ID).SetBundleID(d.bundleID).SetCredits(d.credits).
			Exec(ctx); err != nil {
			return nil, nil, fmt.Errorf("recording bundle draw: %w", err)
		}
	}
	return rec, debited, nil
}

type draw struct {
	bundleID int
	credits  int64
}

// drawBundles plans which bundles cover need credits, or fails with
// ErrInsufficientCredits before anything is written.
func (s *Service) drawBundles(ctx context.Context, tx *ent.Tx, accountID int, need int64, now time.Time) ([]draw, error) {
	if need == 0 {
		return nil, nil
	}
	bundles, err := tx.Bundle.Query().
		Where(bundle.AccountID(accountID), bundle.RemainingGT(0), usable(now)).
		Order(bundle.ByExpiresAt(sql.OrderNullsLast()), bundle.ByPurchasedAt(), bundle.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing bundles: %w", err)
	}
	var draws []draw
	for _, b := range bundles {
		take := min(b.Remaining, need)
		draws = append(draws, draw{b.ID, take})
		if need -= take; need == 0 {
			return draws, nil
		}
	}
	return nil, ErrInsufficientCredits
}
