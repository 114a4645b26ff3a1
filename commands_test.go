package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vistasocial/aiusage/internal/db"
)

// `migrate [--to VERSION]` applies migrations and exits, as the README says.
func TestMigrateCommand(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "m.db")
	t.Setenv("DATABASE_URL", url)
	ctx := context.Background()
	pending := func() int {
		t.Helper()
		d, err := db.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		p, err := d.PendingMigrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(p)
	}
	if err := run(ctx, []string{"migrate", "--to", "20261125070945"}); err != nil {
		t.Fatal(err)
	}
	if pending() == 0 {
		t.Fatal("migrate --to applied every migration")
	}
	if err := run(ctx, []string{"migrate"}); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n != 0 {
		t.Fatalf("%d migrations pending after migrate", n)
	}
}
