package credits

import (
	"context"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/bundle"
	"github.com/vistasocial/aiusage/ent/bundleoffer"
)

// PurchaseResult is a bought (or replayed) bundle and the balance after it.
type PurchaseResult struct {
	Bundle   *ent.Bundle
	Balance  Balance
	Replayed bool
}

// PurchaseBundle buys one bundle offer for the account. Repeating a purchase
// with the same idempotency key returns the first bundle and buys nothing.
func (s *Service) PurchaseBundle(ctx context.Context, accountID, offerID int, idempotencyKey string) (*PurchaseResult, error) {
	if err := ValidateKey(idempotencyKey); err != nil {
		return nil, err
	}
	offer, err := s.client.BundleOffer.Query().
		Where(bundleoffer.ID(offerID), bundleoffer.Active(true)).
		Only(ctx)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, &NotFoundError{What: "bundle offer"}
		}
		return nil, fmt.Errorf("loading bundle offer: %w", err)
	}
	var res PurchaseResult
	change := &Change{AccountID: accountID}
	err = s.withLockedAccount(ctx, accountID, func(tx *ent.Tx, acct *ent.Account, now time.Time) error {
		prev, err := tx.Bundle.Query().
			Where(bundle.AccountID(accountID), bundle.IdempotencyKey(idempotencyKey)).
			Only(ctx)
		switch {
		case err == nil:
			if prev.OfferID == nil || *prev.OfferID != offerID {
				return ErrIdempotencyKeyReused
			}
			res.Bundle, res.Replayed = prev, true
		case ent.IsNotFound(err):
			if res.Bundle, err = s.createBundle(ctx, tx, accountID, offer, idempotencyKey, now); err != nil {
				return err
			}
		default:
			return fmt.Errorf("looking up idempotency key: %w", err)
		}
		if res.Balance, err = s.balance(ctx, tx.Bundle, acct, now); err != nil {
			return err
		}
		if !res.Replayed {
			change.Purchased = res.Bundle
			// A purchase can lift credits back above the auto top-up threshold.
			if _, res.Balance, err = s.settleAutoTopUp(ctx, tx, acct, res.Balance, now); err != nil {
				return err
			}
		}
		change.Balance, change.Account = res.Balance, acct
		return s.beforeCommit(ctx, tx, change)
	})
	if err != nil {
		return nil, err
	}
	res.Bundle.Unwrap() // its edges load through the client from now on
	s.afterCommit(ctx, change)
	return &res, nil
}

// createBundle writes a purchased bundle.
func (s *Service) createBundle(ctx context.Context, tx *ent.Tx, accountID int, offer *ent.BundleOffer, key string, now time.Time) (*ent.Bundle, error) {
	create := tx.Bundle.Create().
		SetAccountID(accountID).
		SetOfferID(offer.ID).
		SetCredits(offer.Credits).
		SetRemaining(offer.Credits).
		SetPriceMicros(offer.PriceMicros).
		SetPurchasedAt(now).
		SetIdempotencyKey(key)
	if offer.ValidityDays != nil {
		create.SetExpiresAt(now.AddDate(0, 0, *offer.ValidityDays))
	}
	b, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("writing bundle: %w", err)
	}
	return b, nil
}
