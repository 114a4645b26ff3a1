package seed_test

import (
	"context"
	"testing"

	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/seed"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestDemoAccount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ledger := credits.New(d.Client, d.Dialect)
		key, err := seed.DemoAccount(ctx, d.Client, ledger, "")
		if err != nil || key == "" {
			t.Fatalf("seeding: %q, %v", key, err)
		}
		id, err := auth.NewAuthenticator(d.Client, 0).Authenticate(ctx, key)
		if err != nil {
			t.Fatalf("demo key does not authenticate: %v", err)
		}
		b, err := ledger.Balance(ctx, id)
		if err != nil || b.Remaining != 3891 || b.Allowance != 5000 || b.RemainingValue.Formatted() != "$38.91" {
			t.Fatalf("demo balance %+v, %v; want 3,891 / 5,000", b, err)
		}
		top, err := ledger.TopAgents(ctx, id, 5)
		if err != nil || len(top) < 3 || top[0].EstimatedMonthlyCost.Formatted() != "$10.65" {
			t.Fatalf("demo agents: %v, %v", top, err)
		}
		if err := ledger.Verify(ctx, id); err != nil {
			t.Fatal(err)
		}
		// A second start seeds nothing and rotates the key instead.
		if again, err := seed.DemoAccount(ctx, d.Client, ledger, ""); err != nil || again != "" {
			t.Fatalf("second seed: %q, %v", again, err)
		}
		rotated, err := seed.RotateDemoKey(ctx, d.Client, "")
		if err != nil || rotated == key {
			t.Fatalf("rotated key %q, %v", rotated, err)
		}
		if _, err := auth.NewAuthenticator(d.Client, 0).Authenticate(ctx, key); err == nil {
			t.Fatal("the old demo key still works after rotation")
		}
	})
}

// TestCatalogSeededOnceByRacingInstances starts several seeders at once on
// an empty database, as instances starting together would.
func TestCatalogSeededOnceByRacingInstances(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// testdb seeded the catalogue already; empty it to race from scratch.
		if _, err := d.Client.BundleOffer.Delete().Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Client.Plan.Delete().Exec(ctx); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			go func() { errs <- seed.Catalog(ctx, d.Client) }()
		}
		for i := 0; i < 4; i++ {
			if err := <-errs; err != nil {
				t.Fatalf("racing seed: %v", err)
			}
		}
		plans, _ := d.Client.Plan.Query().Count(ctx)
		offers, _ := d.Client.BundleOffer.Query().Count(ctx)
		if plans != 3 || offers != 3 {
			t.Fatalf("%d plans and %d offers after racing seeds, want 3 and 3", plans, offers)
		}
	})
}
