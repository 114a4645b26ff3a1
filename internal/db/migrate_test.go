package db_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// TestMigrationsMatchSchema applies the versioned migrations to an empty
// database (testdb does) and checks ent would change nothing: the files
// describe exactly the ent schema.
func TestMigrationsMatchSchema(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var plan bytes.Buffer
		if err := d.Client.Schema.WriteTo(ctx, &plan); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(plan.String(), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line == "BEGIN;" || line == "COMMIT;" {
				continue
			}
			t.Fatalf("migrations differ from the ent schema; run go run ./cmd/migrate-gen --name NAME. ent would run:\n%s", plan.String())
		}
		// Applying again is a no-op, and nothing is pending.
		if err := d.Migrate(ctx); err != nil {
			t.Fatalf("re-applying migrations: %v", err)
		}
		if pending, err := d.PendingMigrations(ctx); err != nil || len(pending) != 0 {
			t.Fatalf("pending migrations %v, %v", pending, err)
		}
		if err := d.Ready(ctx); err != nil {
			t.Fatalf("ready: %v", err)
		}
	})
}

// TestUpgradeFromPreviousVersion migrates a database holding data at the
// first version to the latest, as a deployed service would be.
func TestUpgradeFromPreviousVersion(t *testing.T) {
	urls := map[string]string{"sqlite": "sqlite://" + t.TempDir() + "/old.db"}
	if base := os.Getenv(testdb.EnvURL); base != "" {
		urls["postgres"] = testdb.URLWithSchema(t, base)
	}
	for name, url := range urls {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.MigrateTo(ctx, "20261125070945"); err != nil {
				t.Fatalf("migrating to the first version: %v", err)
			}
			if pending, _ := d.PendingMigrations(ctx); len(pending) == 0 {
				t.Fatal("no later migration to upgrade to")
			}
			// An account as the first version stored it.
			for _, stmt := range []string{
				`INSERT INTO plans (id, name, monthly_credits, credit_value_micros) VALUES (17179869185, 'Pro', 5000, 10000)`,
				`INSERT INTO accounts (id, name, api_key_hash, billing_anchor_day, period_start, period_end, plan_included, plan_remaining, period_bundle_used, created_at, plan_id)
				 VALUES (1, 'Old', 'h', 5, '2026-11-05 00:00:00', '2026-12-05 00:00:00', 5000, 4000, 0, '2026-01-01 00:00:00', 17179869185)`,
				// Rows referencing the account: later versions rebuild the
				// accounts table on SQLite, which must keep them valid.
				`INSERT INTO agents (id, name, frequency, created_at, account_id) VALUES (4294967297, 'A', 'DAILY', '2026-11-01 00:00:00', 1)`,
				`INSERT INTO usage_records (id, category, quantity, credits, value_micros, plan_credits, bundle_credits, idempotency_key, request_hash, occurred_at, charged_at, account_id, agent_id)
				 VALUES (25769803777, 'AGENT', 1, 1000, 10000000, 1000, 0, 'k', 'h', '2026-11-06 00:00:00', '2026-11-06 00:00:00', 1, 4294967297)`,
			} {
				if _, err := d.SQL.ExecContext(ctx, stmt); err != nil {
					t.Fatalf("seeding the old version: %v", err)
				}
			}
			if err := d.Migrate(ctx); err != nil {
				t.Fatalf("upgrading: %v", err)
			}
			var credits int64
			if err := d.SQL.QueryRowContext(ctx, `SELECT credits FROM plan_grants WHERE account_id = 1`).Scan(&credits); err != nil || credits != 5000 {
				t.Fatalf("backfilled plan grant: %d, %v", credits, err)
			}
			if err := d.Ready(ctx); err != nil {
				t.Fatalf("ready after upgrade: %v", err)
			}
			var records int
			if err := d.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM usage_records WHERE account_id = 1`).Scan(&records); err != nil || records != 1 {
				t.Fatalf("usage records after upgrade: %d, %v", records, err)
			}
		})
	}
}
