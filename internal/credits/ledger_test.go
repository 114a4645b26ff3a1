package credits_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/usagedraw"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestBurnDownOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 3, 10, 12))
		acct := f.account("Starter") // 1,000 plan credits
		never := f.offer(100, 0)
		soon := f.offer(100, 10)
		later := f.offer(100, 40)
		// Bought in this order; burn-down must take the earliest expiry first,
		// then the oldest purchase among bundles that never expire.
		old := f.buy(acct, never, "b-old").Bundle
		f.clock.Advance(time.Minute)
		newer := f.buy(acct, never, "b-new").Bundle
		f.clock.Advance(time.Minute)
		late := f.buy(acct, later, "b-later").Bundle
		f.clock.Advance(time.Minute)
		early := f.buy(acct, soon, "b-soon").Bundle

		steps := []struct {
			charge     int
			wantPlan   int64
			wantBundle int64
			wantDraws  map[int]int64
		}{
			{900, 900, 0, nil},
			{150, 100, 50, map[int]int64{early.ID: 50}},
			{100, 0, 100, map[int]int64{early.ID: 50, late.ID: 50}},
			{120, 0, 120, map[int]int64{late.ID: 50, old.ID: 70}},
			{60, 0, 60, map[int]int64{old.ID: 30, newer.ID: 30}},
		}
		for i, s := range steps {
			res := f.mustChat(acct, s.charge, "c"+string(rune('a'+i)))
			r := res.Record
			if r.PlanCredits != s.wantPlan || r.BundleCredits != s.wantBundle {
				t.Fatalf("step %d: split plan %d + bundles %d, want %d + %d", i, r.PlanCredits, r.BundleCredits, s.wantPlan, s.wantBundle)
			}
			draws, err := f.client.UsageDraw.Query().Where(usagedraw.UsageRecordID(r.ID)).All(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := map[int]int64{}
			for _, dr := range draws {
				got[dr.BundleID] = dr.Credits
			}
			if len(got) != len(s.wantDraws) {
				t.Fatalf("step %d: draws %v, want %v", i, got, s.wantDraws)
			}
			for id, n := range s.wantDraws {
				if got[id] != n {
					t.Fatalf("step %d: draws %v, want %v", i, got, s.wantDraws)
				}
			}
		}
		b := f.balance(acct)
		if b.Remaining != 70 || b.PlanRemaining != 0 || b.BundleRemaining != 70 || b.Used != 1330 || b.Allowance != 1400 {
			t.Fatalf("balance %+v, want remaining 70 of 1,400 with 1,330 used", b)
		}
	})
}

func TestExpiredBundlesAreNotUsable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 3, 10, 12))
		acct := f.account("Starter")
		f.buy(acct, f.offer(500, 5), "short")
		f.clock.Advance(6 * 24 * time.Hour)
		if b := f.balance(acct); b.BundleRemaining != 0 || b.Remaining != 1000 {
			t.Fatalf("expired bundle still counted: %+v", b)
		}
		if _, err := f.chat(acct, 1001, "too-much"); !errors.Is(err, credits.ErrInsufficientCredits) {
			t.Fatalf("charge drawing on an expired bundle: err %v, want insufficient credits", err)
		}
	})
}

func TestAllOrNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 1, 9))
		acct := f.account("Starter")
		f.buy(acct, f.seededOffer(1000), "buy-1")
		f.mustChat(acct, 1500, "first")
		before, records := f.balance(acct), f.recordCount(acct)

		_, err := f.chat(acct, 501, "over")
		if !errors.Is(err, credits.ErrInsufficientCredits) {
			t.Fatalf("overdraw: err %v, want ErrInsufficientCredits", err)
		}
		after := f.balance(acct)
		if after != before || f.recordCount(acct) != records {
			t.Fatalf("rejected charge wrote something: before %+v after %+v", before, after)
		}
		f.verify(acct)
		// The exact remainder still goes through, and leaves zero.
		f.mustChat(acct, 500, "exact")
		if b := f.balance(acct); b.Remaining != 0 || b.UsedPercent != 100 {
			t.Fatalf("after spending everything: %+v", b)
		}
		// A rejected key can be reused once it would succeed: nothing was stored.
		if _, err := f.chat(acct, 1, "over"); !errors.Is(err, credits.ErrInsufficientCredits) {
			t.Fatalf("empty balance: err %v", err)
		}
	})
}

func TestIdempotentCharges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 1, 9))
		acct := f.account("Pro")
		image := credits.UsageInput{Category: usagerecord.CategoryIMAGE, Quantity: ptr(2), IdempotencyKey: "img-1"}
		first, err := f.ledger.RecordUsage(f.ctx, acct, image)
		if err != nil {
			t.Fatal(err)
		}
		if first.Record.Credits != 20 || first.Balance.Remaining != 4980 || first.Replayed {
			t.Fatalf("first charge: %+v", first)
		}
		f.clock.Advance(time.Second) // a retry comes later; defaulted occurredAt must not matter
		retry, err := f.ledger.RecordUsage(f.ctx, acct, image)
		if err != nil {
			t.Fatal(err)
		}
		if !retry.Replayed || retry.Record.ID != first.Record.ID || retry.Balance.Remaining != 4980 {
			t.Fatalf("retry charged again: %+v", retry)
		}
		changed := image
		changed.Quantity = ptr(3)
		if _, err := f.ledger.RecordUsage(f.ctx, acct, changed); !errors.Is(err, credits.ErrIdempotencyKeyReused) {
			t.Fatalf("reused key with another payload: err %v", err)
		}
		if n := f.recordCount(acct); n != 1 {
			t.Fatalf("%d records, want 1", n)
		}
		// Keys are per account: another account may use the same key.
		other := f.account("Pro")
		if res, err := f.ledger.RecordUsage(f.ctx, other, image); err != nil || res.Replayed {
			t.Fatalf("same key on another account: %+v, %v", res, err)
		}
		f.verify(acct)
		f.verify(other)
	})
}

// A retry replays the original charge whatever the balance and limits say
// now, alone or among new events.
func TestReplaysIgnoreTheCurrentBalanceAndLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 1, 9))
		acct := f.account("Starter") // 1,000 credits
		first := f.mustChat(acct, 300, "first")
		f.mustChat(acct, 700, "rest") // the balance is now 0
		retry, err := f.chat(acct, 300, "first")
		if err != nil || !retry.Replayed || retry.Record.ID != first.Record.ID || retry.Balance.Remaining != 0 {
			t.Fatalf("retry with no credits left: %+v, %v", retry, err)
		}
		if _, err := f.chat(acct, 301, "first"); !errors.Is(err, credits.ErrIdempotencyKeyReused) {
			t.Fatalf("reused key with another payload and no credits left: err %v, want IDEMPOTENCY_KEY_REUSED", err)
		}

		chat := usagerecord.CategoryCHAT
		if _, err := f.ledger.SetCreditLimit(f.ctx, acct, credits.LimitInput{Category: &chat, MonthlyCredits: 1, Hard: true}); err != nil {
			t.Fatal(err)
		}
		offer := f.seededOffer(1000)
		f.buy(acct, offer, "top-up")
		res, err := f.ledger.RecordUsageBatch(f.ctx, acct, []credits.UsageInput{
			{Category: usagerecord.CategoryIMAGE, Quantity: ptr(1), IdempotencyKey: "new-image"},
			chatInput(300, "first"), // over the hard cap now, but a replay
			chatInput(700, "rest"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if it := res.Items[0]; it.Err != nil || it.Replayed || it.Record.Credits != 10 {
			t.Fatalf("new event: %+v", it)
		}
		for i, want := range []int{first.Record.ID, 0} {
			it := res.Items[i+1]
			if it.Err != nil || !it.Replayed || (want != 0 && it.Record.ID != want) {
				t.Fatalf("replayed item %d: %+v", i+1, it)
			}
		}
		if res.Balance.Remaining != 990 || f.recordCount(acct) != 3 {
			t.Fatalf("remaining %d with %d records, want 990 and 3", res.Balance.Remaining, f.recordCount(acct))
		}
		f.verify(acct)
	})
}

func TestIdempotentPurchases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 1, 9))
		acct := f.account("Pro")
		small, large := f.seededOffer(1000), f.seededOffer(5000)
		first := f.buy(acct, small, "buy")
		if first.Balance.Remaining != 6000 || first.Bundle.Credits != 1000 {
			t.Fatalf("purchase: %+v", first.Balance)
		}
		again := f.buy(acct, small, "buy")
		if !again.Replayed || again.Bundle.ID != first.Bundle.ID || again.Balance.Remaining != 6000 {
			t.Fatalf("repeated purchase bought again: %+v", again.Balance)
		}
		if _, err := f.ledger.PurchaseBundle(f.ctx, acct, large, "buy"); !errors.Is(err, credits.ErrIdempotencyKeyReused) {
			t.Fatalf("same key, other offer: err %v", err)
		}
		if _, err := f.ledger.PurchaseBundle(f.ctx, acct, 999, "buy-2"); !errors.Is(err, credits.ErrNotFound) {
			t.Fatalf("unknown offer: err %v", err)
		}
		if b := f.balance(acct); b.BundleCredits != 1000 || b.Allowance != 6000 {
			t.Fatalf("balance after purchases: %+v", b)
		}
	})
}

func TestValidation(t *testing.T) {
	d := testdb.SQLite(t)
	now := date(2026, 5, 20, 9)
	f := newFixture(t, d, now)
	acct := f.account("Pro")
	long := string(make([]byte, 256))
	tests := []struct {
		name  string
		in    credits.UsageInput
		field string
	}{
		{"empty key", chatInput(5, ""), "idempotencyKey"},
		{"key too long", chatInput(5, long), "idempotencyKey"},
		{"invalid utf-8 key", chatInput(5, "\xff\xfe"), "idempotencyKey"},
		{"unknown category", creditsInput("SOUND", 5, "k"), "category"},
		{"zero credits", chatInput(0, "k"), "credits"},
		{"negative credits", chatInput(-5, "k"), "credits"},
		{"credits too large", chatInput(1_000_001, "k"), "credits"},
		{"no credits for chat", credits.UsageInput{Category: usagerecord.CategoryCHAT, IdempotencyKey: "k"}, "credits"},
		{"quantity for chat", credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), Quantity: ptr(2), IdempotencyKey: "k"}, "quantity"},
		{"credits for image", creditsInput(usagerecord.CategoryIMAGE, 10, "k"), "credits"},
		{"zero quantity", credits.UsageInput{Category: usagerecord.CategoryIMAGE, Quantity: ptr(0), IdempotencyKey: "k"}, "quantity"},
		{"quantity too large", credits.UsageInput{Category: usagerecord.CategoryVIDEO, Quantity: ptr(1001), IdempotencyKey: "k"}, "quantity"},
		{"agent usage without agent", creditsInput(usagerecord.CategoryAGENT, 5, "k"), "agentID"},
		{"agent on chat", credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), AgentID: ptr(1), IdempotencyKey: "k"}, "agentID"},
		{"profiles on image", credits.UsageInput{Category: usagerecord.CategoryIMAGE, ProfilesProcessed: ptr(3), IdempotencyKey: "k"}, "profilesProcessed"},
		{"negative profiles", credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), ProfilesProcessed: ptr(-1), IdempotencyKey: "k"}, "profilesProcessed"},
		{"description too long", credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), Description: ptr(string(make([]rune, 1001))), IdempotencyKey: "k"}, "description"},
		{"occurred 36 days ago", credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), OccurredAt: ptr(now.Add(-36 * 24 * time.Hour)), IdempotencyKey: "k"}, "occurredAt"},
		{"occurred in the future", credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), OccurredAt: ptr(now.Add(6 * time.Minute)), IdempotencyKey: "k"}, "occurredAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.ledger.RecordUsage(f.ctx, acct, tt.in)
			var invalid *credits.InvalidArgumentError
			if !errors.As(err, &invalid) || invalid.Field != tt.field {
				t.Fatalf("err %v, want invalid %s", err, tt.field)
			}
		})
	}
	if n := f.recordCount(acct); n != 0 {
		t.Fatalf("invalid input wrote %d records", n)
	}
	if b := f.balance(acct); b.Remaining != 5000 {
		t.Fatalf("invalid input changed the balance: %+v", b)
	}
	// Clock skew within 5 minutes and back-dating within 35 days are fine.
	for i, at := range []time.Time{now.Add(4 * time.Minute), now.Add(-35*24*time.Hour + time.Minute)} {
		in := credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), OccurredAt: &at, IdempotencyKey: string(rune('a' + i))}
		if _, err := f.ledger.RecordUsage(f.ctx, acct, in); err != nil {
			t.Fatalf("occurredAt %v: %v", at, err)
		}
	}
}

func TestAgentChargesBelongToTheAccount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 1, 9))
		owner, stranger := f.account("Pro"), f.account("Pro")
		a, err := f.ledger.CreateAgent(f.ctx, owner, credits.AgentSettings{Name: ptr("Pulse"), Frequency: ptr(agentDaily)})
		if err != nil {
			t.Fatal(err)
		}
		in := creditsInput(usagerecord.CategoryAGENT, 30, "run-1")
		in.AgentID = &a.ID
		if _, err := f.ledger.RecordUsage(f.ctx, stranger, in); !errors.Is(err, credits.ErrNotFound) {
			t.Fatalf("charging another account's agent: err %v, want not found", err)
		}
		if f.recordCount(stranger) != 0 || f.balance(stranger).Remaining != 5000 {
			t.Fatal("rejected agent charge wrote something")
		}
		res, err := f.ledger.RecordUsage(f.ctx, owner, in)
		if err != nil || *res.Record.AgentID != a.ID || res.Balance.Remaining != 4970 {
			t.Fatalf("agent charge: %+v, %v", res, err)
		}
	})
}
