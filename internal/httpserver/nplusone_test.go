package httpserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// countingDriver counts the statements an ent client sends, inside
// transactions too.
type countingDriver struct {
	dialect.Driver
	n *atomic.Int64
}

func (d countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, query, args, v)
}

func (d countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return countingTx{tx, d.n}, nil
}

type countingTx struct {
	dialect.Tx
	n *atomic.Int64
}

func (t countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Query(ctx, query, args, v)
}

// TestQueryCountDoesNotGrow checks that the API's list queries issue a
// fixed number of database queries, whatever the number of rows: an account
// with 3 agents (and runs) must cost as many queries as one with 15.
func TestQueryCountDoesNotGrow(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		// Each population gets a database of its own, so the counts do not
		// depend on other accounts' rows.
		var queries atomic.Int64
		setup := func(name string, agents int, active bool) *account {
			dd := d
			if name != "Small" {
				dd = sameDialect(t, d)
			}
			counted := ent.NewClient(ent.Driver(countingDriver{entsql.OpenDB(dd.Dialect, dd.SQL), &queries}))
			e := newEnvWithClient(t, dd, counted)
			a := e.account(name, "Business")
			for i := range agents {
				ag, err := e.ledger.CreateAgent(e.ctx, a.ID, agentSettings(fmt.Sprintf("%s agent %02d", name, i), "DAILY"))
				if err != nil {
					t.Fatal(err)
				}
				if active { // ran in the last 30 days; idle agents never ran
					a.chargeAt(usagerecord.CategoryAGENT, 10+i, &ag.ID, testNow.Add(-time.Duration(i+1)*time.Hour), keyN("run", i))
				}
				if _, err := e.ledger.SetCreditLimit(e.ctx, a.ID, credits.LimitInput{AgentID: &ag.ID, MonthlyCredits: 1000}); err != nil {
					t.Fatal(err)
				}
			}
			return a
		}
		small, large := setup("Small", 3, true), setup("Large", 15, true)
		smallIdle, largeIdle := setup("SmallIdle", 3, false), setup("LargeIdle", 15, false)

		count := func(a *account, query string) (int64, json.RawMessage) {
			t.Helper()
			// Counted the second time: what the first run fills once per
			// process or server (the ledger's plan cache...) is not per row.
			a.do(query, nil)
			queries.Store(0)
			r := a.do(query, nil)
			n := queries.Load()
			if r.Status != 200 || len(r.Errors) > 0 {
				t.Fatalf("HTTP %d: %s", r.Status, r.Raw)
			}
			return n, r.Data
		}
		type edgesOf struct {
			Edges []json.RawMessage `json:"edges"`
		}
		tests := []struct {
			name         string
			query        string
			small, large *account
			// rows returns how many items the response lists.
			rows func(data json.RawMessage) int
		}{
			{
				name: "dashboard",
				query: `{ creditBalance { remaining used allowance usedPercent }
					usageByCategory { totalCredits categories { category credits percent value { formatted } } }
					topAgents(first: 5) { agent { name } frequency runsPerMonth estimatedMonthlyCredits estimatedMonthlyCost { formatted } } }`,
				small: small, large: large,
				rows: func(data json.RawMessage) int {
					var out struct{ TopAgents []json.RawMessage }
					_ = json.Unmarshal(data, &out)
					return len(out.TopAgents)
				},
			},
			{
				name:  "dashboard, agents never ran",
				query: `{ creditBalance { remaining } topAgents(first: 5) { agent { name } estimatedMonthlyCredits } }`,
				small: smallIdle, large: largeIdle,
				rows: func(data json.RawMessage) int {
					var out struct{ TopAgents []json.RawMessage }
					_ = json.Unmarshal(data, &out)
					return len(out.TopAgents)
				},
			},
			{
				name:  "credit limits with their use",
				query: `{ viewer { creditLimits { id used monthlyCredits } } }`,
				small: small, large: large,
				rows: func(data json.RawMessage) int {
					var out struct {
						Viewer struct{ CreditLimits []json.RawMessage }
					}
					_ = json.Unmarshal(data, &out)
					return len(out.Viewer.CreditLimits)
				},
			},
			{
				name:  "usage records with their agents",
				query: `{ usageRecords(first: 50) { edges { node { id agent { name } } } } }`,
				small: small, large: large,
				rows: func(data json.RawMessage) int {
					var out struct{ UsageRecords edgesOf }
					_ = json.Unmarshal(data, &out)
					return len(out.UsageRecords.Edges)
				},
			},
			{
				name:  "agents with their cost",
				query: `{ agents(first: 20) { edges { node { name cost { estimatedMonthlyCredits } } } } }`,
				small: small, large: large,
				rows: func(data json.RawMessage) int {
					var out struct{ Agents edgesOf }
					_ = json.Unmarshal(data, &out)
					return len(out.Agents.Edges)
				},
			},
			{
				name:  "agents with their cost, agents never ran",
				query: `{ agents(first: 20) { edges { node { name cost { estimatedMonthlyCredits } } } } }`,
				small: smallIdle, large: largeIdle,
				rows: func(data json.RawMessage) int {
					var out struct{ Agents edgesOf }
					_ = json.Unmarshal(data, &out)
					return len(out.Agents.Edges)
				},
			},
			{
				name:  "agents with their runs",
				query: `{ agents(first: 20) { edges { node { name runs(first: 5) { totalCount edges { node { id credits value { amount } } } } } } } }`,
				small: small, large: large,
				rows: func(data json.RawMessage) int {
					var out struct{ Agents edgesOf }
					_ = json.Unmarshal(data, &out)
					return len(out.Agents.Edges)
				},
			},
		}
		for _, tc := range tests {
			nSmall, dSmall := count(tc.small, tc.query)
			nLarge, dLarge := count(tc.large, tc.query)
			wantSmall, wantLarge := 3, 15
			if tc.name == "dashboard" || tc.name == "dashboard, agents never ran" {
				wantLarge = 5 // topAgents(first: 5)
			}
			if got := tc.rows(dSmall); got != wantSmall {
				t.Errorf("%s: small account lists %d rows, want %d", tc.name, got, wantSmall)
			}
			if got := tc.rows(dLarge); got != wantLarge {
				t.Errorf("%s: large account lists %d rows, want %d", tc.name, got, wantLarge)
			}
			t.Logf("%s: %d queries for 3 rows, %d for 15", tc.name, nSmall, nLarge)
			if nSmall != nLarge {
				t.Errorf("%s: %d queries for 3 agents/records but %d for 15: one query per row", tc.name, nSmall, nLarge)
			}
			if nLarge > 12 {
				t.Errorf("%s: %d queries, want a small fixed number", tc.name, nLarge)
			}
		}
	})
}

func agentSettings(name, frequency string) credits.AgentSettings {
	f := agent.Frequency(frequency)
	return credits.AgentSettings{Name: &name, Frequency: &f}
}

// sameDialect opens another fresh database of d's kind.
func sameDialect(t *testing.T, d *db.DB) *db.DB {
	t.Helper()
	if d.Dialect == dialect.Postgres {
		return testdb.Postgres(t)
	}
	return testdb.SQLite(t)
}
