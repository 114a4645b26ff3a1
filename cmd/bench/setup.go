package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/bundleoffer"
	"github.com/vistasocial/aiusage/internal/app"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
)

// openDB connects to DATABASE_URL, migrates the schema and seeds the
// catalogue, exactly as the server does on start.
func openDB(ctx context.Context) (*db.DB, *credits.Service, error) {
	d, err := app.OpenDatabase(ctx, databaseURL())
	if err != nil {
		return nil, nil, err
	}
	if err := recoverDDL(ctx, d); err != nil {
		d.Close()
		return nil, nil, err
	}
	return d, credits.New(d.Client, d.Dialect), nil
}

// benchAccount is an account a benchmark drives.
type benchAccount struct {
	ID  int
	Key string
	// BundleID is the account's big bundle, which the raw-SQL floor draws
	// on (as the ledger would) should plan credits run out.
	BundleID int
}

// benchOfferCredits makes the benchmark's bundle big enough that no run can
// exhaust it: a rejected charge would measure the wrong path.
const benchOfferCredits = 1_000_000_000

const benchOfferName = "Benchmark bundle (1,000,000,000 credits)"

// createAccounts opens n Business accounts named bench-<role>-<run>-<i>, each
// with a fresh API key and a big bundle bought through the ledger, so the
// accounts are in the state real traffic would leave them: plan credits
// first, then the bundle.
func createAccounts(ctx context.Context, d *db.DB, ledger *credits.Service, role, runID string, n int) ([]benchAccount, error) {
	offer, err := benchOffer(ctx, d.Client)
	if err != nil {
		return nil, err
	}
	// The offer is active only while the benchmark buys it, so the public
	// catalogue (bundleOffers) never lists it.
	defer func() { _ = d.Client.BundleOffer.UpdateOneID(offer).SetActive(false).Exec(context.Background()) }()

	return createEach(n, func(i int) (benchAccount, error) {
		return createAccount(ctx, ledger, fmt.Sprintf("bench-%s-%s-%03d", role, runID, i), offer)
	})
}

// createEach creates n things a few at a time (setup, not load), returning
// them in order, or the first error once all have run.
func createEach[T any](n int, create func(i int) (T, error)) ([]T, error) {
	out := make([]T, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range out {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = create(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func createAccount(ctx context.Context, ledger *credits.Service, name string, offerID int) (benchAccount, error) {
	key, hash, err := auth.NewKey()
	if err != nil {
		return benchAccount{}, err
	}
	acct, err := ledger.CreateAccount(ctx, name, "Business", hash)
	if err != nil {
		return benchAccount{}, fmt.Errorf("creating account %s: %w", name, err)
	}
	res, err := ledger.PurchaseBundle(ctx, acct.ID, offerID, "bench-bundle")
	if err != nil {
		return benchAccount{}, fmt.Errorf("buying the benchmark bundle for %s: %w", name, err)
	}
	return benchAccount{ID: acct.ID, Key: key, BundleID: res.Bundle.ID}, nil
}

// benchOffer returns the benchmark's bundle offer, made active for buying.
func benchOffer(ctx context.Context, client *ent.Client) (int, error) {
	id, err := client.BundleOffer.Query().Where(bundleoffer.Name(benchOfferName)).FirstID(ctx)
	switch {
	case ent.IsNotFound(err):
		o, err := client.BundleOffer.Create().SetName(benchOfferName).
			SetCredits(benchOfferCredits).SetPriceMicros(1).Save(ctx)
		if err != nil {
			return 0, fmt.Errorf("creating the benchmark offer: %w", err)
		}
		return o.ID, nil
	case err != nil:
		return 0, fmt.Errorf("finding the benchmark offer: %w", err)
	}
	if err := client.BundleOffer.UpdateOneID(id).SetActive(true).Exec(ctx); err != nil {
		return 0, fmt.Errorf("activating the benchmark offer: %w", err)
	}
	return id, nil
}

// newRunID tells one run's accounts and idempotency keys from another's, so
// runs can share a database.
func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
