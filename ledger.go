package main

import (
	"context"
	"errors"
	"fmt"
)

// verifyLedger implements `ledger verify`: it checks every account's
// invariant and fails on any drift.
func verifyLedger(ctx context.Context, _ []string) error {
	database, ledger, err := open(ctx)
	if err != nil {
		return err
	}
	defer database.Close()
	ids, err := database.Client.Account.Query().IDs(ctx)
	if err != nil {
		return fmt.Errorf("listing accounts: %w", err)
	}
	var drift []error
	for _, id := range ids {
		if err := ledger.Verify(ctx, id); err != nil {
			fmt.Println(err)
			drift = append(drift, err)
		}
	}
	fmt.Printf("%d accounts checked, %d with drift\n", len(ids), len(drift))
	return errors.Join(drift...)
}

// rebuildRollups implements `rollups rebuild`: it recomputes every
// account's daily rollups from its usage records.
func rebuildRollups(ctx context.Context, _ []string) error {
	database, ledger, err := open(ctx)
	if err != nil {
		return err
	}
	defer database.Close()
	ids, err := database.Client.Account.Query().IDs(ctx)
	if err != nil {
		return fmt.Errorf("listing accounts: %w", err)
	}
	for _, id := range ids {
		if err := ledger.RebuildRollups(ctx, id); err != nil {
			return fmt.Errorf("account %d: %w", id, err)
		}
	}
	fmt.Printf("rebuilt rollups of %d accounts\n", len(ids))
	return nil
}

// migrateOnly implements `migrate`: apply pending migrations (open does)
// and exit, for deployments that migrate before starting new instances.
func migrateOnly(ctx context.Context, _ []string) error {
	database, _, err := open(ctx)
	if err != nil {
		return err
	}
	defer database.Close()
	fmt.Println("migrations applied")
	return nil
}
