package app

import (
	"context"

	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/seed"
)

// OpenDatabase connects to databaseURL, applies pending migrations and seeds
// the catalogue if it is empty: what every process does before using the
// database (the server, the operator commands, the benchmark, the tests).
func OpenDatabase(ctx context.Context, databaseURL string) (*db.DB, error) {
	d, err := db.Open(databaseURL)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := seed.Catalog(ctx, d.Client); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}
