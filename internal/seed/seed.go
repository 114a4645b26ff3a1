// Package seed fills an empty database with the plan and bundle catalogue
// and a demo account with a realistic month of usage.
package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/money"
)

// creditValueMicros is $0.01 per credit, in micro-dollars.
const creditValueMicros = 10_000

// DemoAccountName names the seeded demo account.
const DemoAccountName = "Demo"

// Catalog creates the plans and bundle offers if there are none yet. It
// runs in one transaction, so instances starting together on an empty
// database seed it once: the loser's plan insert hits the unique plan name
// and its whole transaction, offers included, rolls back.
func Catalog(ctx context.Context, client *ent.Client) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if n, err := tx.Plan.Query().Count(ctx); err != nil || n > 0 {
		return err
	}
	err = seedCatalog(ctx, tx.Client())
	if err == nil {
		err = tx.Commit()
	}
	if ent.IsConstraintError(err) {
		return nil // another instance seeded it first
	}
	return err
}

func seedCatalog(ctx context.Context, client *ent.Client) error {
	for _, p := range []struct {
		name    string
		credits int64
	}{{"Starter", 1_000}, {"Pro", 5_000}, {"Business", 20_000}} {
		if err := client.Plan.Create().SetName(p.name).SetMonthlyCredits(p.credits).
			SetCreditValueMicros(creditValueMicros).Exec(ctx); err != nil {
			return fmt.Errorf("seeding plan %s: %w", p.name, err)
		}
	}
	for _, o := range []struct {
		credits, priceMicros int64
	}{{1_000, 10_000_000}, {5_000, 45_000_000}, {20_000, 160_000_000}} {
		name := money.GroupThousands(o.credits) + " credits"
		if err := client.BundleOffer.Create().SetName(name).SetCredits(o.credits).
			SetPriceMicros(o.priceMicros).Exec(ctx); err != nil {
			return fmt.Errorf("seeding bundle offer %s: %w", name, err)
		}
	}
	return nil
}

// DemoAccount creates the demo account on an otherwise empty database and
// returns its API key (apiKey if given, else a new random one). It returns
// "" if any account already exists.
func DemoAccount(ctx context.Context, client *ent.Client, ledger *credits.Service, apiKey string) (string, error) {
	if n, err := client.Account.Query().Count(ctx); err != nil || n > 0 {
		return "", err
	}
	key, hash, err := keyAndHash(apiKey)
	if err != nil {
		return "", err
	}
	// Anchor the demo's billing period 20 days back so the reset date is ahead.
	now := ledger.Now()
	acct, err := ledger.CreateAccountAnchored(ctx, DemoAccountName, "Pro", hash, now.AddDate(0, 0, -20).Day())
	if err != nil {
		return "", err
	}
	if err := demoHistory(ctx, client, ledger, acct.ID, now); err != nil {
		return "", err
	}
	return key, nil
}

// RotateDemoKey gives the demo account a new API key (or apiKey if given) and
// returns it, so a demo server can offer its key without storing it.
func RotateDemoKey(ctx context.Context, client *ent.Client, apiKey string) (string, error) {
	key, hash, err := keyAndHash(apiKey)
	if err != nil {
		return "", err
	}
	n, err := client.Account.Update().Where(account.Name(DemoAccountName)).SetAPIKeyHash(hash).Save(ctx)
	if err != nil {
		return "", fmt.Errorf("rotating demo key: %w", err)
	}
	if n == 0 {
		return "", nil
	}
	return key, nil
}

func keyAndHash(apiKey string) (string, string, error) {
	if apiKey != "" {
		return apiKey, auth.HashKey(apiKey), nil
	}
	return auth.NewKey()
}

// demoHistory records 30 days of usage through the ledger, totalling 1,109
// credits: the demo shows 3,891 of 5,000 credits left.
func demoHistory(ctx context.Context, client *ent.Client, ledger *credits.Service, accountID int, now time.Time) error {
	six, three := 6.0, 3.0
	agents := []struct {
		name       string
		freq       agent.Frequency
		hours      *float64
		runs       int
		everyDays  int
		baseCredit int64
		spread     int64
	}{
		{"Competitor pulse", agent.FrequencyDAILY, &six, 12, 1, 32, 7},
		{"Weekly performance report", agent.FrequencyWEEKLY, &three, 4, 7, 27, 7},
		{"Mention responder", agent.FrequencyMANUAL, nil, 3, 6, 15, 1},
	}
	var seq int
	record := func(in credits.UsageInput, daysAgo int, hour int) error {
		seq++
		at := time.Date(now.Year(), now.Month(), now.Day()-daysAgo, hour, 0, 0, 0, time.UTC)
		if at.After(now) {
			at = now
		}
		in.OccurredAt = &at
		in.IdempotencyKey = fmt.Sprintf("seed-%03d", seq)
		_, err := ledger.RecordUsage(ctx, accountID, in)
		return err
	}
	var total int64
	for _, a := range agents {
		created, err := client.Agent.Create().SetAccountID(accountID).SetName(a.name).
			SetFrequency(a.freq).SetNillableHoursSavedPerMonth(a.hours).
			SetCreatedAt(now.AddDate(0, 0, -a.runs*a.everyDays-1)).Save(ctx)
		if err != nil {
			return fmt.Errorf("seeding agent %s: %w", a.name, err)
		}
		for i := 0; i < a.runs; i++ {
			c := int(a.baseCredit + int64(i*5)%a.spread)
			profiles := c / 3
			if err := record(credits.UsageInput{
				Category: usagerecord.CategoryAGENT, Credits: &c, AgentID: &created.ID,
				ProfilesProcessed: &profiles,
			}, i*a.everyDays, 7); err != nil {
				return err
			}
			total += int64(c)
		}
	}
	for i, q := range []int{2, 1, 3, 1, 4, 2, 1, 3, 2, 1} { // 20 images
		if err := record(credits.UsageInput{Category: usagerecord.CategoryIMAGE, Quantity: &q}, i*3, 10); err != nil {
			return err
		}
		total += int64(q) * 10
	}
	one := 1
	if err := record(credits.UsageInput{Category: usagerecord.CategoryVIDEO, Quantity: &one}, 9, 14); err != nil {
		return err
	}
	total += 190
	// Chats make up the rest so the month adds up to exactly 1,109 credits.
	chats := []int{9, 14, 7, 22, 11, 6, 18, 12, 9}
	for i, c := range chats {
		total += int64(c)
		if i == len(chats)-1 {
			c += int(1109 - total)
		}
		if err := record(credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: &c}, i*3+1, 16); err != nil {
			return err
		}
	}
	return nil
}
