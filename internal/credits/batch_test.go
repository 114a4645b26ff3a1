package credits_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/ent/usagerollup"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestBatchMixedItems(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		acct := f.account("Starter") // 1,000 credits
		f.mustChat(acct, 100, "earlier")
		other := f.agent(f.account("Starter"), "Not yours", agent.FrequencyDAILY)
		foreign := creditsInput(usagerecord.CategoryAGENT, 5, "foreign")
		foreign.AgentID = &other
		batch := []credits.UsageInput{
			chatInput(400, "a"),     // ok: 500 left
			chatInput(0, "invalid"), // invalid
			chatInput(600, "big"),   // insufficient: only 500 left
			chatInput(100, "earlier"),
			chatInput(101, "earlier"), // key reused with another payload
			foreign,                   // another account's agent
			chatInput(500, "b"),       // ok: exactly the rest
			chatInput(400, "a"),       // duplicate of the first item
			chatInput(1, "c"),         // insufficient now
		}
		res, err := f.ledger.RecordUsageBatch(f.ctx, acct, batch)
		if err != nil {
			t.Fatal(err)
		}
		var invalid *credits.InvalidArgumentError
		checks := []func(credits.BatchItem) bool{
			func(it credits.BatchItem) bool { return it.Err == nil && !it.Replayed && it.Record.Credits == 400 },
			func(it credits.BatchItem) bool { return errors.As(it.Err, &invalid) },
			func(it credits.BatchItem) bool { return errors.Is(it.Err, credits.ErrInsufficientCredits) },
			func(it credits.BatchItem) bool { return it.Err == nil && it.Replayed && it.Record.Credits == 100 },
			func(it credits.BatchItem) bool { return errors.Is(it.Err, credits.ErrIdempotencyKeyReused) },
			func(it credits.BatchItem) bool { return errors.Is(it.Err, credits.ErrNotFound) },
			func(it credits.BatchItem) bool { return it.Err == nil && !it.Replayed && it.Record.Credits == 500 },
			func(it credits.BatchItem) bool {
				return it.Err == nil && it.Replayed && it.Record.ID == res.Items[0].Record.ID
			},
			func(it credits.BatchItem) bool { return errors.Is(it.Err, credits.ErrInsufficientCredits) },
		}
		for i, ok := range checks {
			if !ok(res.Items[i]) {
				t.Errorf("item %d: %+v", i, res.Items[i])
			}
		}
		if res.Balance.Remaining != 0 || f.recordCount(acct) != 3 {
			t.Fatalf("after batch: %+v, %d records", res.Balance, f.recordCount(acct))
		}
		f.verify(acct)
		// Retrying the whole batch charges nothing more.
		again, err := f.ledger.RecordUsageBatch(f.ctx, acct, batch)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Items[0].Replayed || again.Items[0].Record.ID != res.Items[0].Record.ID || !again.Items[6].Replayed {
			t.Fatalf("batch retry: %+v", again.Items)
		}
		if f.recordCount(acct) != 3 || again.Balance.Remaining != 0 {
			t.Fatal("batch retry charged again")
		}
		if _, err := f.ledger.RecordUsageBatch(f.ctx, acct, make([]credits.UsageInput, 101)); !errors.As(err, &invalid) {
			t.Fatalf("101 items: err %v", err)
		}
	})
}

// TestRollupsEqualRecords charges at random and checks the rollups always
// equal the raw records, then breaks them and repairs them with a rebuild.
func TestRollupsEqualRecords(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		now := date(2026, 5, 20, 15)
		f := newFixture(t, d, now)
		acct := f.account("Business")
		agents := []int{f.agent(acct, "One", agent.FrequencyDAILY), f.agent(acct, "Two", agent.FrequencyHOURLY)}
		rng := rand.New(rand.NewPCG(1, 2))
		cats := credits.Categories
		for round := 0; round < 8; round++ {
			var batch []credits.UsageInput
			for i := 0; i < 1+rng.IntN(20); i++ {
				cat := cats[rng.IntN(len(cats))]
				in := credits.UsageInput{Category: cat, IdempotencyKey: fmt.Sprintf("r%d-%d", round, i)}
				at := now.Add(-time.Duration(rng.IntN(30*24)) * time.Hour)
				in.OccurredAt = &at
				switch cat {
				case usagerecord.CategoryIMAGE, usagerecord.CategoryVIDEO:
					in.Quantity = ptr(1 + rng.IntN(3))
				default:
					in.Credits = ptr(1 + rng.IntN(50))
					if cat == usagerecord.CategoryAGENT {
						in.AgentID = &agents[rng.IntN(len(agents))]
					}
				}
				batch = append(batch, in)
			}
			if _, err := f.ledger.RecordUsageBatch(f.ctx, acct, batch); err != nil {
				t.Fatal(err)
			}
			f.verify(acct) // includes rollups == records
		}
		// A manual data fix that forgets the rollups is detected and repaired.
		if _, err := f.client.UsageRollup.Update().Where(usagerollup.AccountID(acct)).AddCredits(1).Save(f.ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.ledger.Verify(f.ctx, acct); !errors.Is(err, credits.ErrLedgerDrift) {
			t.Fatalf("drifted rollups not detected: %v", err)
		}
		if err := f.ledger.RebuildRollups(f.ctx, acct); err != nil {
			t.Fatal(err)
		}
		f.verify(acct)
	})
}
