package db_test

import (
	"bytes"
	"context"
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
