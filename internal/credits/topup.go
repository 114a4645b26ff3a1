package credits

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/bundle"
	"github.com/vistasocial/aiusage/ent/bundleoffer"
)

// autoTopUpKeyPrefix marks bundles bought by auto top-up.
const autoTopUpKeyPrefix = "auto-topup:"

// AutoTopUp is an account's auto top-up setting.
type AutoTopUp struct {
	Offer               *ent.BundleOffer
	BelowCredits        int64
	MaxPerMonth         int
	PurchasesThisPeriod int
}

// SetAutoTopUp turns on automatic purchases of offerID whenever remaining
// credits fall below belowCredits, at most maxPerMonth times a period.
func (s *Service) SetAutoTopUp(ctx context.Context, accountID, offerID int, belowCredits int64, maxPerMonth int) (*AutoTopUp, error) {
	if belowCredits < 1 || belowCredits > maxLimitCredits {
		return nil, invalid("belowCredits", "must be between 1 and %d", maxLimitCredits)
	}
	if maxPerMonth < 1 || maxPerMonth > 31 {
		return nil, invalid("maxPerMonth", "must be between 1 and 31")
	}
	if ok, err := s.client.BundleOffer.Query().Where(bundleoffer.ID(offerID), bundleoffer.Active(true)).Exist(ctx); err != nil || !ok {
		if err != nil {
			return nil, err
		}
		return nil, &NotFoundError{What: "bundle offer"}
	}
	err := s.client.Account.UpdateOneID(accountID).
		SetAutoTopupOfferID(offerID).SetAutoTopupBelow(belowCredits).
		SetAutoTopupMonthlyCap(maxPerMonth).SetAutoTopupArmed(true).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("setting auto top-up: %w", err)
	}
	return s.AutoTopUpSetting(ctx, accountID)
}

// DisableAutoTopUp turns automatic purchases off.
func (s *Service) DisableAutoTopUp(ctx context.Context, accountID int) error {
	return s.client.Account.UpdateOneID(accountID).
		ClearAutoTopupOfferID().ClearAutoTopupBelow().SetAutoTopupMonthlyCap(0).
		Exec(ctx)
}

// AutoTopUpSetting returns the account's auto top-up, or nil when off.
func (s *Service) AutoTopUpSetting(ctx context.Context, accountID int) (*AutoTopUp, error) {
	acct, err := s.client.Account.Query().Where(account.ID(accountID)).Only(ctx)
	if err != nil {
		return nil, err
	}
	if acct.AutoTopupOfferID == nil || acct.AutoTopupBelow == nil {
		return nil, nil
	}
	offer, err := s.client.BundleOffer.Get(ctx, *acct.AutoTopupOfferID)
	if err != nil {
		return nil, err
	}
	n, err := autoPurchases(ctx, s.client.Bundle, accountID, acct.PeriodStart)
	if err != nil {
		return nil, err
	}
	return &AutoTopUp{Offer: offer, BelowCredits: *acct.AutoTopupBelow, MaxPerMonth: acct.AutoTopupMonthlyCap, PurchasesThisPeriod: n}, nil
}

func autoPurchases(ctx context.Context, bundles *ent.BundleClient, accountID int, periodStart time.Time) (int, error) {
	return bundles.Query().Where(
		bundle.AccountID(accountID),
		bundle.IdempotencyKeyHasPrefix(autoTopUpKeyPrefix),
		bundle.PurchasedAtGTE(periodStart),
	).Count(ctx)
}

// settleAutoTopUp runs inside a ledger transaction after the balance moved:
// below the threshold and armed, it buys the chosen bundle (an ordinary,
// idempotent purchase) and disarms until credits are back above it.
func (s *Service) settleAutoTopUp(ctx context.Context, tx *ent.Tx, acct *ent.Account, bal Balance, now time.Time) (*ent.Bundle, Balance, error) {
	if acct.AutoTopupOfferID == nil || acct.AutoTopupBelow == nil {
		return nil, bal, nil
	}
	below := bal.Remaining < *acct.AutoTopupBelow
	if !below {
		if !acct.AutoTopupArmed {
			err := tx.Account.UpdateOneID(acct.ID).SetAutoTopupArmed(true).Exec(ctx)
			return nil, bal, err
		}
		return nil, bal, nil
	}
	if !acct.AutoTopupArmed {
		return nil, bal, nil
	}
	n, err := autoPurchases(ctx, tx.Bundle, acct.ID, acct.PeriodStart)
	if err != nil || n >= acct.AutoTopupMonthlyCap {
		return nil, bal, err
	}
	offer, err := tx.BundleOffer.Query().Where(bundleoffer.ID(*acct.AutoTopupOfferID), bundleoffer.Active(true)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, bal, nil // the offer was withdrawn: nothing to buy
	}
	if err != nil {
		return nil, bal, err
	}
	key := strings.Join([]string{autoTopUpKeyPrefix + fmt.Sprint(acct.ID), acct.PeriodStart.Format(time.DateOnly), fmt.Sprint(n + 1)}, ":")
	b, err := s.createBundle(ctx, tx, acct.ID, offer, key, now)
	if err != nil {
		return nil, bal, err
	}
	if err := tx.Account.UpdateOneID(acct.ID).SetAutoTopupArmed(false).Exec(ctx); err != nil {
		return nil, bal, err
	}
	bal, err = s.balance(ctx, tx.Bundle, acct, now)
	return b, bal, err
}
