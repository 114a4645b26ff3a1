// Package db opens the service's database from a DATABASE_URL: embedded
// pure-Go SQLite (sqlite://path) or PostgreSQL (postgres://...).
package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq" // PostgreSQL driver
	"modernc.org/sqlite"

	"github.com/vistasocial/aiusage/ent"
	_ "github.com/vistasocial/aiusage/ent/runtime" // schema validators, defaults and interceptors
)

// DefaultURL is the embedded database used when DATABASE_URL is unset.
const DefaultURL = "sqlite://aiusage.db"

func init() {
	// ent's SQLite dialect opens the driver named "sqlite3"; register the
	// pure-Go driver under that name so no cgo is needed.
	sql.Register("sqlite3", &sqlite.Driver{})
}

// DB is an open database with its ent client.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string
	// URL is the DATABASE_URL it was opened with: on PostgreSQL, the event
	// listener opens a connection of its own to it.
	URL string
}

// Open connects to databaseURL.
func Open(databaseURL string) (*DB, error) {
	driverName, dsn, dialectName, err := parse(databaseURL)
	if err != nil {
		return nil, err
	}
	sqlDB, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s database: %w", dialectName, err)
	}
	if dialectName == dialect.SQLite {
		// One writer at a time anyway; a small pool keeps busy-waiting short.
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
	}
	drv := entsql.OpenDB(dialectName, sqlDB)
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: sqlDB, Dialect: dialectName, URL: databaseURL}, nil
}

// Ready checks that the database answers and every migration is applied.
func (d *DB) Ready(ctx context.Context) error {
	pending, err := d.PendingMigrations(ctx)
	if err != nil {
		return fmt.Errorf("checking database: %w", err)
	}
	if len(pending) > 0 {
		return fmt.Errorf("migrations not applied: %v", pending)
	}
	return nil
}

// Close closes the database.
func (d *DB) Close() error { return d.Client.Close() }

// IsEmbedded reports whether the database is the embedded SQLite one.
func (d *DB) IsEmbedded() bool { return d.Dialect == dialect.SQLite }

func parse(databaseURL string) (driverName, dsn, dialectName string, err error) {
	switch {
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		return "postgres", postgresDSN(databaseURL), dialect.Postgres, nil
	case strings.HasPrefix(databaseURL, "sqlite://"):
		return "sqlite3", sqliteDSN(strings.TrimPrefix(databaseURL, "sqlite://")), dialect.SQLite, nil
	default:
		return "", "", "", fmt.Errorf("unsupported DATABASE_URL %q: want sqlite://PATH or postgres://", redact(databaseURL))
	}
}

// postgresDSN turns on lib/pq's binary_parameters unless the URL says
// otherwise: parameterized statements then take one round trip instead of
// two (parse/describe, then bind/execute), which the ledger's short
// transactions feel directly.
func postgresDSN(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL // lib/pq reports the malformed URL
	}
	q := u.Query()
	if !q.Has("binary_parameters") {
		q.Set("binary_parameters", "yes")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// sqliteDSN adds the pragmas the ledger relies on: foreign keys, WAL, a busy
// timeout and immediate transactions, which take the write lock at BEGIN so
// that charges are serialized without deadlocking on lock upgrades.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return "file:" + path + sep + q.Encode()
}

// redact hides credentials in a database URL for messages.
func redact(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil || u.User == nil {
		return databaseURL
	}
	return u.Redacted()
}
