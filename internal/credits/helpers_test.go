package credits_test

import (
	"context"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/bundleoffer"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// fixture is one ledger over a test database with a settable clock.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	client *ent.Client
	clock  *testdb.Clock
	ledger *credits.Service
}

func newFixture(t *testing.T, d *db.DB, start time.Time) *fixture {
	clock := testdb.NewClock(start)
	return &fixture{
		t: t, ctx: context.Background(), client: d.Client, clock: clock,
		ledger: credits.New(d.Client, d.Dialect, credits.WithClock(clock.Now)),
	}
}

// account opens an account on the plan, anchored on the clock's day.
func (f *fixture) account(plan string) int {
	f.t.Helper()
	_, hash, err := auth.NewKey()
	if err != nil {
		f.t.Fatal(err)
	}
	a, err := f.ledger.CreateAccount(f.ctx, "Acme", plan, hash)
	if err != nil {
		f.t.Fatalf("creating account: %v", err)
	}
	return a.ID
}

// offer adds a bundle offer, optionally expiring after validityDays.
func (f *fixture) offer(credits int64, validityDays int) int {
	f.t.Helper()
	c := f.client.BundleOffer.Create().SetName("test").SetCredits(credits).SetPriceMicros(credits * 10_000)
	if validityDays > 0 {
		c.SetValidityDays(validityDays)
	}
	o, err := c.Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return o.ID
}

// seededOffer returns the ID of the seeded offer with the given credits.
func (f *fixture) seededOffer(credits int64) int {
	f.t.Helper()
	id, err := f.client.BundleOffer.Query().Where(bundleoffer.Credits(credits)).FirstID(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) buy(accountID, offerID int, key string) *credits.PurchaseResult {
	f.t.Helper()
	res, err := f.ledger.PurchaseBundle(f.ctx, accountID, offerID, key)
	if err != nil {
		f.t.Fatalf("buying offer %d: %v", offerID, err)
	}
	f.verify(accountID)
	return res
}

func (f *fixture) chat(accountID, credits int, key string) (*credits.ChargeResult, error) {
	return f.ledger.RecordUsage(f.ctx, accountID, chatInput(credits, key))
}

func (f *fixture) mustChat(accountID, n int, key string) *credits.ChargeResult {
	f.t.Helper()
	res, err := f.chat(accountID, n, key)
	if err != nil {
		f.t.Fatalf("charging %d credits: %v", n, err)
	}
	f.verify(accountID)
	return res
}

func (f *fixture) balance(accountID int) credits.Balance {
	f.t.Helper()
	b, err := f.ledger.Balance(f.ctx, accountID)
	if err != nil {
		f.t.Fatalf("reading balance: %v", err)
	}
	return b
}

// verify asserts the ledger invariant holds for the account.
func (f *fixture) verify(accountID int) {
	f.t.Helper()
	if err := f.ledger.Verify(f.ctx, accountID); err != nil {
		f.t.Fatalf("ledger invariant broken: %v", err)
	}
	b := f.balance(accountID)
	if b.Remaining < 0 || b.Remaining != b.PlanRemaining+b.BundleRemaining {
		f.t.Fatalf("remaining %d != plan %d + bundles %d", b.Remaining, b.PlanRemaining, b.BundleRemaining)
	}
}

func (f *fixture) recordCount(accountID int) int {
	f.t.Helper()
	n, err := f.client.UsageRecord.Query().Where(usagerecord.AccountID(accountID)).Count(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func chatInput(credits int, key string) credits.UsageInput {
	return creditsInput(usagerecord.CategoryCHAT, credits, key)
}

func creditsInput(category usagerecord.Category, n int, key string) credits.UsageInput {
	return credits.UsageInput{Category: category, Credits: &n, IdempotencyKey: key}
}

func ptr[T any](v T) *T { return &v }

func date(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, time.UTC)
}
