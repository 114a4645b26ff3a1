package credits_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

const agentDaily = agent.FrequencyDAILY

func (f *fixture) agent(accountID int, name string, freq agent.Frequency) int {
	f.t.Helper()
	a, err := f.ledger.CreateAgent(f.ctx, accountID, credits.AgentSettings{Name: &name, Frequency: &freq})
	if err != nil {
		f.t.Fatal(err)
	}
	return a.ID
}

func (f *fixture) run(accountID, agentID, credits int, at time.Time) {
	f.t.Helper()
	in := creditsInput(usagerecord.CategoryAGENT, credits, fmt.Sprintf("run-%d-%d-%d", agentID, at.UnixNano(), credits))
	in.AgentID, in.OccurredAt = &agentID, &at
	if _, err := f.ledger.RecordUsage(f.ctx, accountID, in); err != nil {
		f.t.Fatalf("recording run: %v", err)
	}
}

func TestAgentMonthlyCostPerFrequency(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		now := date(2026, 5, 20, 12)
		f := newFixture(t, d, now)
		acct := f.account("Business")
		want := map[agent.Frequency]struct {
			rpm     float64
			credits int64
			amount  string
		}{
			agent.FrequencyHOURLY:   {730.5, 18263, "182.625"}, // 730.5 × 25 = 18,262.5
			agent.FrequencyDAILY:    {30.4375, 761, "7.609375"},
			agent.FrequencyWEEKDAYS: {21.75, 544, "5.4375"},
			agent.FrequencyWEEKLY:   {4.348, 109, "1.087"},
			agent.FrequencyMONTHLY:  {1, 25, "0.25"},
			agent.FrequencyMANUAL:   {4, 100, "1.00"}, // runs in the last 30 days
		}
		ids := map[int]agent.Frequency{}
		for freq := range want {
			id := f.agent(acct, string(freq), freq)
			ids[id] = freq
			for i, c := range []int{10, 20, 30, 40} {
				f.run(acct, id, c, now.Add(-time.Duration(i)*24*time.Hour))
			}
		}
		idle := f.agent(acct, "Never run", agent.FrequencyDAILY)
		costs, err := f.ledger.TopAgents(f.ctx, acct, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(costs) != 7 {
			t.Fatalf("%d agents ranked, want 7", len(costs))
		}
		for i, c := range costs {
			if i > 0 && costs[i-1].EstimatedMonthlyCredits < c.EstimatedMonthlyCredits {
				t.Fatalf("not ranked by estimated credits: %v before %v", costs[i-1].EstimatedMonthlyCredits, c.EstimatedMonthlyCredits)
			}
			if c.Agent.ID == idle {
				if c.EstimatedMonthlyCredits != 0 || c.AverageCreditsPerRun != 0 || c.EstimatedMonthlyCost.Amount() != "0.00" {
					t.Fatalf("never-run agent: %+v", c)
				}
				continue
			}
			w := want[ids[c.Agent.ID]]
			if c.RunsPerMonth != w.rpm || c.AverageCreditsPerRun != 25 || c.EstimatedMonthlyCredits != w.credits || c.EstimatedMonthlyCost.Amount() != w.amount {
				t.Errorf("%s: rpm %v avg %v credits %d cost %s, want rpm %v avg 25 credits %d cost %s",
					c.Frequency, c.RunsPerMonth, c.AverageCreditsPerRun, c.EstimatedMonthlyCredits, c.EstimatedMonthlyCost.Amount(), w.rpm, w.credits, w.amount)
			}
		}
		if costs[0].EstimatedMonthlyCost.Formatted() != "$182.63" {
			t.Errorf("hourly cost formatted %q, want $182.63", costs[0].EstimatedMonthlyCost.Formatted())
		}
		top2, err := f.ledger.TopAgents(f.ctx, acct, 2)
		if err != nil || len(top2) != 2 || top2[0].Frequency != agent.FrequencyHOURLY || top2[1].Frequency != agent.FrequencyDAILY {
			t.Fatalf("top 2: %v, %v", top2, err)
		}
	})
}

func TestAgentCostFallsBackToLastRuns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		start := date(2026, 5, 1, 12)
		f := newFixture(t, d, start)
		acct := f.account("Business")
		weekly := f.agent(acct, "Weekly", agent.FrequencyWEEKLY)
		manual := f.agent(acct, "Manual", agent.FrequencyMANUAL)
		// Twelve runs; the ten latest cost 10..100, the two oldest 1000 each.
		for i := 0; i < 12; i++ {
			c := 1000
			if i >= 2 {
				c = (i - 1) * 10
			}
			f.run(acct, weekly, c, start.Add(-time.Duration(11-i)*time.Hour))
			f.run(acct, manual, c, start.Add(-time.Duration(11-i)*time.Hour))
		}
		f.clock.Set(date(2026, 6, 15, 12)) // 45 days later: no run in the window
		costs, err := f.ledger.TopAgents(f.ctx, acct, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range costs {
			switch c.Agent.ID {
			case weekly: // 4.348 × 55 = 239.14
				if c.AverageCreditsPerRun != 55 || c.EstimatedMonthlyCredits != 239 {
					t.Errorf("weekly fallback: %+v", c)
				}
			case manual: // no runs in the last 30 days → none expected
				if c.RunsPerMonth != 0 || c.EstimatedMonthlyCredits != 0 || c.AverageCreditsPerRun != 55 {
					t.Errorf("manual fallback: %+v", c)
				}
			}
		}
	})
}

func TestUsageByCategoryWindowAndPercent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		now := date(2026, 5, 20, 15)
		f := newFixture(t, d, now)
		acct := f.account("Pro")
		charge := func(cat usagerecord.Category, n int, at time.Time) {
			in := creditsInput(cat, n, fmt.Sprintf("%s-%d-%d", cat, n, at.Unix()))
			if cat == usagerecord.CategoryAGENT {
				id := f.agent(acct, "A", agent.FrequencyDAILY)
				in.AgentID = &id
			}
			in.OccurredAt = &at
			if _, err := f.ledger.RecordUsage(f.ctx, acct, in); err != nil {
				t.Fatal(err)
			}
		}
		// Day 30 back starts at 2026-04-21 00:00 UTC; one second earlier is out.
		charge(usagerecord.CategoryCHAT, 15, date(2026, 4, 21, 0))
		charge(usagerecord.CategoryCHAT, 500, date(2026, 4, 21, 0).Add(-time.Second))
		charge(usagerecord.CategoryAGENT, 1, now)

		u, err := f.ledger.UsageByCategory(f.ctx, acct, 30)
		if err != nil {
			t.Fatal(err)
		}
		if u.TotalCredits != 16 || u.TotalValue.Amount() != "0.16" || len(u.Categories) != 4 {
			t.Fatalf("breakdown: %+v", u)
		}
		want := []struct {
			cat     usagerecord.Category
			credits int64
			percent float64
		}{
			{usagerecord.CategoryIMAGE, 0, 0},
			{usagerecord.CategoryVIDEO, 0, 0},
			{usagerecord.CategoryCHAT, 15, 93.8}, // 93.75 rounds half-up
			{usagerecord.CategoryAGENT, 1, 6.3},  // 6.25 rounds half-up
		}
		for i, w := range want {
			c := u.Categories[i]
			if c.Category != w.cat || c.Credits != w.credits || c.Percent != w.percent {
				t.Errorf("category %d: %+v, want %+v", i, c, w)
			}
		}
		// A wider window includes the older charge; a one-day window only today's.
		if u, _ := f.ledger.UsageByCategory(f.ctx, acct, 31); u.TotalCredits != 516 {
			t.Errorf("31 days: total %d, want 516", u.TotalCredits)
		}
		if u, _ := f.ledger.UsageByCategory(f.ctx, acct, 1); u.TotalCredits != 1 || u.Categories[3].Percent != 100 {
			t.Errorf("1 day: %+v", u)
		}
		for _, days := range []int{0, 366} {
			if _, err := f.ledger.UsageByCategory(f.ctx, acct, days); err == nil {
				t.Errorf("days %d accepted", days)
			}
		}
		// No usage: every percent is zero, not NaN.
		empty := f.account("Pro")
		u, err = f.ledger.UsageByCategory(f.ctx, empty, 30)
		if err != nil || u.TotalCredits != 0 || u.Categories[0].Percent != 0 || u.TotalValue.Formatted() != "$0.00" {
			t.Fatalf("empty account: %+v, %v", u, err)
		}
	})
}

func TestUsageLinkSummary(t *testing.T) {
	d := testdb.SQLite(t)
	f := newFixture(t, d, date(2026, 5, 20, 15))
	acct := f.account("Pro")
	f.mustChat(acct, 1109, "c")
	link, err := f.ledger.UsageLink(f.ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if link.URL != "/settings/billing/ai-usage" || link.Summary != "3,891 of 5,000 credits left (≈ $38.91)" {
		t.Fatalf("usage link: %+v", link)
	}
}
