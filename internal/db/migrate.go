package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
)

// migrations are the versioned migration files, one folder per dialect,
// written by `go run ./cmd/migrate-gen` from the ent schema.
//
//go:embed migrations
var migrations embed.FS

// migrationLockID serializes migrations of instances starting together on
// one PostgreSQL database (pg_advisory_xact_lock key).
const migrationLockID = 7_414_281_001

// Migrate applies the migration files not applied yet, each in its own
// transaction, recording them in schema_migrations. The files' integrity
// is checked against their atlas.sum first.
func (d *DB) Migrate(ctx context.Context) error { return d.MigrateTo(ctx, "") }

// MigrateTo applies pending migrations up to and including version ("" for
// all), for staged rollouts.
func (d *DB) MigrateTo(ctx context.Context, version string) error {
	files, err := migrationFiles(d.Dialect)
	if err != nil {
		return err
	}
	if _, err := d.SQL.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version VARCHAR(64) PRIMARY KEY, description VARCHAR(255) NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	applied, err := d.appliedVersions(ctx)
	if err != nil {
		return err
	}
	for _, f := range files {
		if version != "" && f.Version() > version {
			break
		}
		if applied[f.Version()] {
			continue // apply checks again under the lock, for instances racing
		}
		if err := d.apply(ctx, f); err != nil {
			return fmt.Errorf("applying migration %s: %w", f.Name(), err)
		}
	}
	return nil
}

// PendingMigrations lists the migration versions not applied yet.
func (d *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	files, err := migrationFiles(d.Dialect)
	if err != nil {
		return nil, err
	}
	applied, err := d.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var pending []string
	for _, f := range files {
		if !applied[f.Version()] {
			pending = append(pending, f.Version())
		}
	}
	return pending, nil
}

// appliedVersions reads schema_migrations in one query.
func (d *DB) appliedVersions(ctx context.Context) (map[string]bool, error) {
	rows, err := d.SQL.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("reading schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("reading schema_migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading schema_migrations: %w", err)
	}
	return applied, nil
}

func (d *DB) apply(ctx context.Context, f *atlas.LocalFile) error {
	stmts, err := f.Stmts()
	if err != nil {
		return fmt.Errorf("parsing: %w", err)
	}
	// One pinned connection: on SQLite, table rebuilds need foreign keys off,
	// which only takes effect outside a transaction and per connection.
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	sqlite := d.Dialect == dialect.SQLite
	if sqlite {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = on") //nolint:errcheck // best effort on a closing connection
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d.Dialect == dialect.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLockID); err != nil {
			return fmt.Errorf("taking migration lock: %w", err)
		}
	}
	var applied int
	if err := tx.QueryRowContext(ctx, d.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), f.Version()).Scan(&applied); err != nil {
		return err
	}
	if applied > 0 {
		return nil
	}
	for _, stmt := range stmts {
		if sqlite && isForeignKeysPragma(stmt) {
			continue // handled around the transaction
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w in %q", err, firstLine(stmt))
		}
	}
	if sqlite {
		// With enforcement off during the rebuild, check what it would have.
		rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return err
		}
		violation := rows.Next()
		rows.Close()
		if violation {
			return errors.New("the migration leaves foreign key violations")
		}
	}
	if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO schema_migrations (version, description) VALUES (?, ?)"), f.Version(), f.Desc()); err != nil {
		return err
	}
	return tx.Commit()
}

func isForeignKeysPragma(stmt string) bool {
	return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(stmt)), "PRAGMA FOREIGN_KEYS")
}

// migrationFiles returns the dialect's files, verified against atlas.sum;
// they are embedded, so each dialect's are read once per process.
func migrationFiles(dialectName string) ([]*atlas.LocalFile, error) {
	read, ok := migrationSets[dialectName]
	if !ok {
		return nil, fmt.Errorf("no migrations for dialect %q", dialectName)
	}
	return read()
}

var migrationSets = map[string]func() ([]*atlas.LocalFile, error){
	dialect.Postgres: sync.OnceValues(func() ([]*atlas.LocalFile, error) { return readMigrationFiles("postgres") }),
	dialect.SQLite:   sync.OnceValues(func() ([]*atlas.LocalFile, error) { return readMigrationFiles("sqlite") }),
}

// readMigrationFiles reads one folder of migrations and checks it against
// its atlas.sum.
func readMigrationFiles(folder string) ([]*atlas.LocalFile, error) {
	dir := path.Join("migrations", folder)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("reading migrations: %w", err)
	}
	var files []*atlas.LocalFile
	var sum []byte
	for _, e := range entries {
		b, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		switch {
		case e.Name() == atlas.HashFileName:
			sum = b
		case strings.HasSuffix(e.Name(), ".sql"):
			files = append(files, atlas.NewLocalFile(e.Name(), b))
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Version() < files[j].Version() })
	want, err := atlas.NewHashFile(asFiles(files))
	if err != nil {
		return nil, err
	}
	wantSum, err := want.MarshalText()
	if err != nil {
		return nil, err
	}
	if string(wantSum) != string(sum) {
		return nil, errors.New("migration files do not match their atlas.sum: regenerate with go run ./cmd/migrate-gen, never edit applied files")
	}
	return files, nil
}

func asFiles(files []*atlas.LocalFile) []atlas.File {
	out := make([]atlas.File, len(files))
	for i, f := range files {
		out[i] = f
	}
	return out
}

// rebind turns ? placeholders into PostgreSQL's $n.
func (d *DB) rebind(query string) string {
	if d.Dialect != dialect.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if len(line) > 80 {
		line = line[:80] + "…"
	}
	return line
}
