package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
)

// verifyLedger implements `ledger verify`: it checks every account's
// invariant and fails on any drift.
func verifyLedger(ctx context.Context, _ []string) error {
	var drift []error
	n, err := forEachAccount(ctx, func(ledger *credits.Service, id int) error {
		if err := ledger.Verify(ctx, id); err != nil {
			fmt.Println(err)
			drift = append(drift, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d accounts checked, %d with drift\n", n, len(drift))
	return errors.Join(drift...)
}

// rebuildRollups implements `rollups rebuild`: it recomputes every
// account's daily rollups from its usage records.
func rebuildRollups(ctx context.Context, _ []string) error {
	n, err := forEachAccount(ctx, func(ledger *credits.Service, id int) error {
		if err := ledger.RebuildRollups(ctx, id); err != nil {
			return fmt.Errorf("account %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("rebuilt rollups of %d accounts\n", n)
	return nil
}

// forEachAccount runs fn on every account, stopping at its first error, and
// returns how many accounts there are.
func forEachAccount(ctx context.Context, fn func(ledger *credits.Service, id int) error) (int, error) {
	database, ledger, err := open(ctx)
	if err != nil {
		return 0, err
	}
	defer database.Close()
	ids, err := database.Client.Account.Query().IDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("listing accounts: %w", err)
	}
	for _, id := range ids {
		if err := fn(ledger, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// migrateOnly implements `migrate [--to VERSION]`: apply pending
// migrations and exit, for deployments that migrate before starting new
// instances.
func migrateOnly(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("migrate", flag.ContinueOnError)
	to := flags.String("to", "", "apply migrations up to this version only")
	if err := flags.Parse(args); err != nil {
		return err
	}
	database, err := db.Open(env("DATABASE_URL", db.DefaultURL))
	if err != nil {
		return err
	}
	defer database.Close()
	if err := database.MigrateTo(ctx, *to); err != nil {
		return err
	}
	pending, err := database.PendingMigrations(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("migrations applied; %d pending\n", len(pending))
	return nil
}
