package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

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

// revokeKey implements `apikey revoke --key KEY` (or the key on stdin, which
// keeps it out of shell history).
func revokeKey(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("apikey revoke", flag.ContinueOnError)
	key := flags.String("key", "", "the API key to revoke (read from stdin if empty)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *key == "" {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("reading API key from stdin: %w", err)
		}
		*key = strings.TrimSpace(line)
	}
	database, _, err := open(ctx)
	if err != nil {
		return err
	}
	defer database.Close()
	if err := auth.Revoke(ctx, database.Client, *key); err != nil {
		return err
	}
	fmt.Println("revoked")
	return nil
}
