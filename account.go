package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/vistasocial/aiusage/internal/auth"
)

// createAccount implements `account create --name NAME --plan PLAN`.
func createAccount(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("account create", flag.ContinueOnError)
	name := flags.String("name", "", "account name")
	plan := flags.String("plan", "Starter", "plan name: Starter, Pro or Business")
	if err := flags.Parse(args); err != nil {
		return err
	}
	database, ledger, err := open(ctx)
	if err != nil {
		return err
	}
	defer database.Close()
	key, hash, err := auth.NewKey()
	if err != nil {
		return err
	}
	acct, err := ledger.CreateAccount(ctx, *name, *plan, hash)
	if err != nil {
		return err
	}
	fmt.Printf("account_id: %d\napi_key: %s\n", acct.ID, key)
	return nil
}
