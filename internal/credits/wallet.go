package credits

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/bundle"
)

// wallet tracks an account's spendable credits inside a locked transaction
// while a batch is decided, in burn-down order: plan credits first (they
// expire soonest), then bundles by earliest expiry, then oldest purchase.
type wallet struct {
	tx            *ent.Tx
	accountID     int
	now           time.Time
	planRemaining int64
	bundles       []*ent.Bundle // loaded on first need
	loaded        bool
	taken         map[int]int64 // bundle ID → credits taken
	planTaken     int64
	bundleTaken   int64
}

// split is where one charge's credits come from.
type split struct {
	plan  int64
	draws []draw
}

type draw struct {
	bundleID int
	credits  int64
}

func (s split) bundles() int64 {
	var n int64
	for _, d := range s.draws {
		n += d.credits
	}
	return n
}

func newWallet(tx *ent.Tx, acct *ent.Account, now time.Time) *wallet {
	return &wallet{tx: tx, accountID: acct.ID, now: now, planRemaining: acct.PlanRemaining, taken: map[int]int64{}}
}

// take reserves credits, or returns ErrInsufficientCredits and reserves
// nothing.
func (w *wallet) take(ctx context.Context, credits int64) (split, error) {
	sp := split{plan: min(w.planRemaining, credits)}
	need := credits - sp.plan
	if need > 0 {
		if err := w.loadBundles(ctx); err != nil {
			return split{}, err
		}
		var available int64
		for _, b := range w.bundles {
			available += b.Remaining
		}
		if available < need {
			return split{}, ErrInsufficientCredits
		}
		for _, b := range w.bundles {
			if need == 0 {
				break
			}
			n := min(b.Remaining, need)
			if n == 0 {
				continue
			}
			b.Remaining -= n
			w.taken[b.ID] += n
			need -= n
			sp.draws = append(sp.draws, draw{b.ID, n})
		}
	}
	w.planRemaining -= sp.plan
	w.planTaken += sp.plan
	w.bundleTaken += credits - sp.plan
	return sp, nil
}

func (w *wallet) loadBundles(ctx context.Context) error {
	if w.loaded {
		return nil
	}
	bundles, err := w.tx.Bundle.Query().
		Where(bundle.AccountID(w.accountID), bundle.RemainingGT(0), usable(w.now)).
		Order(bundle.ByExpiresAt(sql.OrderNullsLast()), bundle.ByPurchasedAt(), bundle.ByID()).
		All(ctx)
	if err != nil {
		return fmt.Errorf("listing bundles: %w", err)
	}
	w.bundles, w.loaded = bundles, true
	return nil
}

// saveBundles writes the bundles' new remainders.
func (w *wallet) saveBundles(ctx context.Context) error {
	for id, n := range w.taken {
		if err := w.tx.Bundle.Update().Where(bundle.ID(id)).AddRemaining(-n).Exec(ctx); err != nil {
			return fmt.Errorf("debiting bundle %d: %w", id, err)
		}
	}
	return nil
}
