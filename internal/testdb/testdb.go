// Package testdb gives each test its own migrated database: embedded SQLite
// always, and PostgreSQL when TEST_DATABASE_URL is set (a fresh schema per
// test, so tests run in parallel).
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/vistasocial/aiusage/internal/app"
	"github.com/vistasocial/aiusage/internal/db"
)

// EnvURL names the PostgreSQL server tests use, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvURL = "TEST_DATABASE_URL"

// Each runs fn as a subtest per database: "sqlite", then "postgres". In CI
// (CI=true) a missing TEST_DATABASE_URL fails instead of skipping, so
// PostgreSQL coverage can never silently disappear.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, SQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, Postgres(t))
	})
}

// SQLite opens a migrated, catalogue-seeded SQLite database in a temp dir.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	return Open(t, "sqlite://"+filepath.Join(t.TempDir(), "test.db"))
}

// Postgres opens a migrated, catalogue-seeded schema of its own on the
// TEST_DATABASE_URL server, dropped when the test ends.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	return Open(t, PostgresURL(t))
}

// PostgresURL returns the URL of a fresh, empty schema of its own on the
// TEST_DATABASE_URL server, dropped when the test ends. Without the
// variable the test is skipped, or fails in CI (CI=true).
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s must be set in CI: PostgreSQL tests may not be skipped", EnvURL)
		}
		t.Skipf("%s not set", EnvURL)
	}
	return URLWithSchema(t, base)
}

// URLWithSchema creates a fresh schema on the server at base and returns a
// URL whose connections use it; the schema is dropped at cleanup.
func URLWithSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("opening %s: %v", EnvURL, err)
	}
	defer admin.Close()
	schema := "t_" + randomHex(8)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("creating test schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens the database at databaseURL, migrated and catalogue-seeded,
// closed when the test ends.
func Open(t testing.TB, databaseURL string) *db.DB {
	t.Helper()
	d, err := app.OpenDatabase(context.Background(), databaseURL)
	if err != nil {
		t.Fatalf("opening test database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
