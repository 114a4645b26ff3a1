// Command migrate-gen writes a new versioned migration for each supported
// database from the difference between the ent schema and the migrations
// already in internal/db/migrations. It replays the existing files on a
// scratch database (an empty PostgreSQL database on the DEV_DATABASE_URL server, and an
// in-memory SQLite) and diffs the result against the ent schema.
//
//	go run ./cmd/migrate-gen --name add_usage_rollups
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	"github.com/vistasocial/aiusage/ent/migrate"
	_ "github.com/vistasocial/aiusage/internal/db" // registers the pure-Go SQLite driver
)

func main() {
	name := flag.String("name", "", "migration name, e.g. add_usage_rollups")
	dir := flag.String("dir", "internal/db/migrations", "migrations root (one folder per dialect)")
	devURL := flag.String("dev", env("DEV_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server for the scratch database")
	rehash := flag.Bool("hash", false, "only recompute atlas.sum, after hand-editing a migration that was never applied (e.g. to add a data backfill)")
	flag.Parse()
	if *rehash {
		for _, d := range []string{"sqlite", "postgres"} {
			if err := writeSum(filepath.Join(*dir, d)); err != nil {
				log.Fatalf("%s: %v", d, err)
			}
		}
		return
	}
	if *name == "" {
		log.Fatal("--name is required")
	}
	ctx := context.Background()
	if err := generate(ctx, filepath.Join(*dir, "sqlite"), dialect.SQLite, "sqlite3", "file:dev?mode=memory&_pragma=foreign_keys(1)", *name); err != nil {
		log.Fatalf("sqlite: %v", err)
	}
	pgURL, drop, err := scratchDatabase(*devURL)
	if err != nil {
		log.Fatalf("postgres: %v", err)
	}
	defer drop()
	if err := generate(ctx, filepath.Join(*dir, "postgres"), dialect.Postgres, "postgres", pgURL, *name); err != nil {
		log.Fatalf("postgres: %v", err)
	}
}

func generate(ctx context.Context, path, dialectName, driverName, dsn, name string) error {
	dir, err := atlas.NewLocalDir(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	m := migrate.NewSchema(entsql.OpenDB(dialectName, db))
	return m.NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialectName),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithDropIndex(true),
		schema.WithDropColumn(true),
	)
}

// writeSum recomputes a migration directory's atlas.sum.
func writeSum(path string) error {
	dir, err := atlas.NewLocalDir(path)
	if err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return err
	}
	return atlas.WriteSumFile(dir, sum)
}

// scratchDatabase creates an empty database and returns a URL of it.
func scratchDatabase(base string) (string, func(), error) {
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "migrate_dev_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("creating scratch database: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = admin.Exec("DROP DATABASE " + name + " WITH (FORCE)")
		admin.Close()
	}, nil
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
