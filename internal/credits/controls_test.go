package credits_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/bundle"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// changes records what the ledger reports to observers.
type changes struct {
	mu   sync.Mutex
	soft int
}

func (c *changes) BeforeCommit(_ context.Context, _ *ent.Tx, ch *credits.Change) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.soft += len(ch.SoftLimitsReached)
	return nil
}
func (c *changes) AfterCommit(context.Context, *credits.Change) {}

func TestCreditLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		seen := &changes{}
		f.ledger.AddObserver(seen)
		acct := f.account("Pro")
		image := usagerecord.CategoryIMAGE
		if _, err := f.ledger.SetCreditLimit(f.ctx, acct, credits.LimitInput{Category: &image, MonthlyCredits: 200, Hard: true}); err != nil {
			t.Fatal(err)
		}
		// 50 racing single-image charges against a hard cap of 200 credits: exactly 20 land.
		var ok, capped atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.ledger.RecordUsage(f.ctx, acct, credits.UsageInput{Category: image, IdempotencyKey: fmt.Sprintf("img-%d", i)})
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, credits.ErrCreditLimitExceeded):
					capped.Add(1)
				default:
					t.Errorf("charge: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 20 || capped.Load() != 30 || f.balance(acct).Used != 200 {
			t.Fatalf("%d charged, %d capped, used %d; want 20, 30, 200", ok.Load(), capped.Load(), f.balance(acct).Used)
		}
		// Other categories are not capped by it.
		f.mustChat(acct, 40, "chat-1")
		// A soft cap lets the charge through and reports the crossing once.
		chat := usagerecord.CategoryCHAT
		if _, err := f.ledger.SetCreditLimit(f.ctx, acct, credits.LimitInput{Category: &chat, MonthlyCredits: 50, Hard: false}); err != nil {
			t.Fatal(err)
		}
		f.mustChat(acct, 20, "chat-2") // 60 > 50: crosses
		f.mustChat(acct, 5, "chat-3")  // already over: no new crossing
		if seen.soft != 1 {
			t.Fatalf("soft limit crossings reported: %d, want 1", seen.soft)
		}
		// Agent limits, and their usage figures.
		a := f.agent(acct, "Capped", agent.FrequencyDAILY)
		if _, err := f.ledger.SetCreditLimit(f.ctx, acct, credits.LimitInput{AgentID: &a, MonthlyCredits: 30, Hard: true}); err != nil {
			t.Fatal(err)
		}
		f.run(acct, a, 25, f.clock.Now())
		in := creditsInput(usagerecord.CategoryAGENT, 6, "over-agent")
		in.AgentID = &a
		if _, err := f.ledger.RecordUsage(f.ctx, acct, in); !errors.Is(err, credits.ErrCreditLimitExceeded) {
			t.Fatalf("agent over its cap: %v", err)
		}
		limits, used, err := f.ledger.CreditLimits(f.ctx, acct)
		if err != nil || len(limits) != 3 {
			t.Fatalf("limits: %v, %v", limits, err)
		}
		for _, l := range limits {
			want := map[bool]int64{true: 25, false: 0}[l.AgentID != nil]
			if l.Category != nil {
				want = map[string]int64{"IMAGE": 200, "CHAT": 65}[string(*l.Category)]
			}
			if used[l.ID] != want {
				t.Errorf("limit %d used %d, want %d", l.ID, used[l.ID], want)
			}
		}
		// Setting a limit again replaces it; both targets at once is invalid.
		if _, err := f.ledger.SetCreditLimit(f.ctx, acct, credits.LimitInput{Category: &image, MonthlyCredits: 500, Hard: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ledger.SetCreditLimit(f.ctx, acct, credits.LimitInput{Category: &image, AgentID: &a, MonthlyCredits: 5}); err == nil {
			t.Fatal("limit on a category and an agent at once accepted")
		}
		if limits, _, _ := f.ledger.CreditLimits(f.ctx, acct); len(limits) != 3 {
			t.Fatalf("replaced limit duplicated: %d limits", len(limits))
		}
		f.verify(acct)
	})
}

func TestAutoTopUp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		acct := f.account("Starter") // 1,000
		offer := f.seededOffer(1000)
		if _, err := f.ledger.SetAutoTopUp(f.ctx, acct, offer, 200, 2); err != nil {
			t.Fatal(err)
		}
		res := f.mustChat(acct, 850, "c1") // 150 left → buys 1,000
		if res.Balance.Remaining != 1150 {
			t.Fatalf("after the first crossing: %+v", res.Balance)
		}
		f.mustChat(acct, 900, "c2") // 250 left: above the threshold, re-armed
		res = f.mustChat(acct, 100, "c3")
		if res.Balance.Remaining != 1150 {
			t.Fatalf("after the second crossing: remaining %d, want 1,150", res.Balance.Remaining)
		}
		f.mustChat(acct, 100, "c4") // 1,050
		res = f.mustChat(acct, 1000, "c5")
		if res.Balance.Remaining != 50 {
			t.Fatalf("monthly cap of 2 purchases not honoured: remaining %d, want 50", res.Balance.Remaining)
		}
		setting, err := f.ledger.AutoTopUpSetting(f.ctx, acct)
		if err != nil || setting.PurchasesThisPeriod != 2 || setting.BelowCredits != 200 {
			t.Fatalf("setting: %+v, %v", setting, err)
		}
		n, _ := f.client.Bundle.Query().Where(bundle.AccountID(acct)).Count(f.ctx)
		if n != 2 {
			t.Fatalf("%d bundles bought, want 2", n)
		}
		// The next period allows purchases again.
		f.clock.Set(date(2026, 6, 20, 1))
		f.mustChat(acct, 950, "c6") // plan 1,000 + 50 left → 100 → buys
		if b := f.balance(acct); b.Remaining != 1100 {
			t.Fatalf("next period: %+v", b)
		}
		if err := f.ledger.DisableAutoTopUp(f.ctx, acct); err != nil {
			t.Fatal(err)
		}
		if s, _ := f.ledger.AutoTopUpSetting(f.ctx, acct); s != nil {
			t.Fatalf("disabled auto top-up still set: %+v", s)
		}
	})
}

func TestRunwayDailyUsageAndROI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		now := date(2026, 5, 20, 15) // period May 20 → June 20
		f := newFixture(t, d, now)
		acct := f.account("Starter")
		for i := 0; i < 7; i++ { // 100 credits a day for the last 7 days
			at := now.Add(-time.Duration(i) * 24 * time.Hour)
			in := chatInput(100, fmt.Sprintf("d%d", i))
			in.OccurredAt = &at
			if _, err := f.ledger.RecordUsage(f.ctx, acct, in); err != nil {
				t.Fatal(err)
			}
		}
		b := f.balance(acct) // 300 left
		rw, err := f.ledger.Runway(f.ctx, acct, b)
		if err != nil {
			t.Fatal(err)
		}
		if rw.DailyBurn != 100 || rw.LastsUntilReset || rw.RunsOutAt == nil || !rw.RunsOutAt.Equal(now.Add(72*time.Hour)) {
			t.Fatalf("runway %+v, want 100/day running out in 3 days", rw)
		}
		days, err := f.ledger.DailyUsage(f.ctx, acct, 90)
		if err != nil || len(days) != 90 {
			t.Fatalf("daily usage: %d days, %v", len(days), err)
		}
		last := days[89]
		if !last.Day.Equal(date(2026, 5, 20, 0)) || last.TotalCredits != 100 || last.Categories[2].Credits != 100 || days[0].TotalCredits != 0 {
			t.Fatalf("daily usage: first %+v, last %+v", days[0], last)
		}
		six := 6.0
		a, err := f.ledger.CreateAgent(f.ctx, acct, credits.AgentSettings{Name: ptr("Saver"), Frequency: ptr(agent.FrequencyDAILY), HoursSavedPerMonth: &six})
		if err != nil {
			t.Fatal(err)
		}
		costs, err := f.ledger.AgentCosts(f.ctx, acct, []*ent.Agent{a})
		if err != nil || costs[0].TimeSavedValue == nil || costs[0].TimeSavedValue.Formatted() != "$300.00" {
			t.Fatalf("6 hours at $50: %+v, %v", costs, err)
		}
		if _, err := f.ledger.SetHourlyRate(f.ctx, acct, "62.50"); err != nil {
			t.Fatal(err)
		}
		costs, _ = f.ledger.AgentCosts(f.ctx, acct, []*ent.Agent{a})
		if costs[0].TimeSavedValue.Amount() != "375.00" {
			t.Fatalf("6 hours at $62.50: %s", costs[0].TimeSavedValue.Amount())
		}
		if _, err := f.ledger.SetHourlyRate(f.ctx, acct, "-1"); err == nil {
			t.Fatal("negative hourly rate accepted")
		}
	})
}
