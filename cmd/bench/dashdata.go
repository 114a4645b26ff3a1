package main

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/bundleoffer"
	"github.com/vistasocial/aiusage/ent/plan"
	"github.com/vistasocial/aiusage/ent/usagerollup"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/money"
)

// dashPrefix names the dashboard benchmark's accounts; the first one,
// bench-dashboard-000, is the hot account the dashboard is timed on.
const dashPrefix = "bench-dashboard-"

// benchPlan is the dashboard accounts' plan. Its allowance covers 90 days of
// heavy usage, so the loaded records can all be plan-funded and the ledger
// invariant (plan used this period = Σ plan credits of this period's
// records) holds without fabricating millions of bundle draws.
const (
	benchPlan        = "Benchmark"
	benchPlanCredits = 1_000_000_000
	creditValue      = 10_000 // $0.01, as every seeded plan
)

// dashAccount is one account of the loaded history.
type dashAccount struct {
	id          int
	agents      []int // the last one is idle in the last 30 days
	periodStart time.Time
}

// dashAgents are each account's agents: frequencies vary so topAgents ranks
// them, and the last one has not run in the averaging window.
var dashAgents = []struct {
	name string
	freq agent.Frequency
}{
	{"Competitor pulse", agent.FrequencyDAILY},
	{"Weekly performance report", agent.FrequencyWEEKLY},
	{"Mention responder", agent.FrequencyMANUAL},
	{"Hashtag scout", agent.FrequencyWEEKDAYS},
	{"Inbox triage", agent.FrequencyHOURLY},
	{"Quarterly audit", agent.FrequencyMONTHLY},
}

// dashData is the loaded history as the timing needs it.
type dashData struct {
	hot         int // account ID
	hotRecords  int64
	records     int64
	loaded      bool // false when --reuse found the data in place
	loadSeconds float64
}

// prepareDashboard makes sure the database holds f.records records over
// f.accounts dashboard accounts: reused when --reuse finds exactly that,
// otherwise loaded afresh (earlier dashboard accounts are renamed out of the
// way, not deleted: deleting millions of rows costs more than loading them).
func prepareDashboard(ctx context.Context, d *db.DB, ledger *credits.Service, f *dashboardFlags) (*dashData, error) {
	ids, err := d.Client.Account.Query().Where(account.NameHasPrefix(dashPrefix)).
		Order(account.ByName()).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("finding dashboard accounts: %w", err)
	}
	if len(ids) > 0 {
		have, err := sumEvents(ctx, d.Client, ids...)
		if err != nil {
			return nil, err
		}
		if f.reuse && len(ids) == f.accounts && have == int64(f.records) {
			hot, err := sumEvents(ctx, d.Client, ids[0])
			progress("reusing %s records over %d accounts", money.GroupThousands(have), len(ids))
			return &dashData{hot: ids[0], hotRecords: hot, records: have}, err
		}
		progress("retiring %d earlier dashboard accounts (%s records)", len(ids), money.GroupThousands(have))
		for _, id := range ids {
			if err := d.Client.Account.UpdateOneID(id).SetName(fmt.Sprintf("bench-retired-%d", id)).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}

	t0 := time.Now()
	h := &history{records: f.records, hotShare: f.hotShare, end: time.Now().UTC(), seed: uint64(t0.UnixNano())}
	progress("creating %d accounts with agents", f.accounts)
	if h.accounts, err = createDashAccounts(ctx, d, ledger, f.accounts, h.end); err != nil {
		return nil, err
	}
	progress("loading %s records", money.GroupThousands(int64(f.records)))
	agg, err := loadHistory(ctx, d, h, f.loadWorkers, creditValue)
	if err != nil {
		return nil, err
	}
	progress("writing %s daily rollups and balances", money.GroupThousands(int64(len(agg.rollups))))
	if d.IsEmbedded() {
		err = insertRollupsSQLite(ctx, d, h, agg, creditValue)
	} else {
		err = copyRollups(ctx, d, h, agg, creditValue)
	}
	if err != nil {
		return nil, fmt.Errorf("writing rollups: %w", err)
	}
	for i, a := range h.accounts {
		err := d.Client.Account.UpdateOneID(a.id).
			SetPlanIncluded(benchPlanCredits).SetPlanRemaining(benchPlanCredits - agg.periodCredit[i]).
			SetPeriodBundleUsed(0).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("setting balances: %w", err)
		}
	}
	progress("updating planner statistics")
	if err := analyze(ctx, d); err != nil {
		return nil, err
	}
	return &dashData{
		hot: h.accounts[0].id, hotRecords: agg.perAccount[0], records: int64(f.records),
		loaded: true, loadSeconds: time.Since(t0).Seconds(),
	}, nil
}

// sumEvents counts the records of accounts from their rollups (a few
// thousand rows, where counting records would scan millions).
func sumEvents(ctx context.Context, client *ent.Client, ids ...int) (int64, error) {
	var out []struct {
		Sum int64 `json:"sum"`
	}
	err := client.UsageRollup.Query().Where(usagerollup.AccountIDIn(ids...)).
		Aggregate(func(s *sql.Selector) string {
			return sql.As("COALESCE(SUM("+s.C(usagerollup.FieldEvents)+"), 0)", "sum")
		}).Scan(ctx, &out)
	if err != nil || len(out) == 0 {
		return 0, err
	}
	return out[0].Sum, nil
}

// createDashAccounts opens the accounts on the benchmark plan, anchored 20
// days ago (mid-period, like the demo), each with agents and one small
// bundle bought through the ledger so balances read bundles as in production.
func createDashAccounts(ctx context.Context, d *db.DB, ledger *credits.Service, n int, now time.Time) ([]dashAccount, error) {
	if err := ensureBenchPlan(ctx, d.Client); err != nil {
		return nil, err
	}
	offer, err := d.Client.BundleOffer.Query().Where(bundleoffer.Credits(5_000)).FirstID(ctx)
	if err != nil {
		return nil, fmt.Errorf("finding the seeded 5,000-credit offer: %w", err)
	}
	anchor := now.AddDate(0, 0, -20).Day()
	start, _ := credits.PeriodContaining(anchor, now)
	return createEach(n, func(i int) (dashAccount, error) {
		return createDashAccount(ctx, d.Client, ledger, fmt.Sprintf("%s%03d", dashPrefix, i), offer, anchor, start, now)
	})
}

func createDashAccount(ctx context.Context, client *ent.Client, ledger *credits.Service, name string, offer, anchor int, start, now time.Time) (dashAccount, error) {
	_, hash, err := auth.NewKey()
	if err != nil {
		return dashAccount{}, err
	}
	// Anchored through the ledger, so the period's plan grant is recorded
	// as for any account (ledger verify checks it).
	acct, err := ledger.CreateAccountAnchored(ctx, name, benchPlan, hash, anchor)
	if err != nil {
		return dashAccount{}, err
	}
	creates := make([]*ent.AgentCreate, len(dashAgents))
	for i, a := range dashAgents {
		creates[i] = client.Agent.Create().SetAccountID(acct.ID).SetName(a.name).SetFrequency(a.freq).
			SetCreatedAt(now.AddDate(0, 0, -historyDays-1))
	}
	agents, err := client.Agent.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return dashAccount{}, fmt.Errorf("creating agents: %w", err)
	}
	if _, err := ledger.PurchaseBundle(ctx, acct.ID, offer, "bench-bundle"); err != nil {
		return dashAccount{}, err
	}
	a := dashAccount{id: acct.ID, periodStart: start}
	for _, ag := range agents {
		a.agents = append(a.agents, ag.ID)
	}
	return a, nil
}

func ensureBenchPlan(ctx context.Context, client *ent.Client) error {
	n, err := client.Plan.Query().Where(plan.Name(benchPlan)).Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	return client.Plan.Create().SetName(benchPlan).SetMonthlyCredits(benchPlanCredits).
		SetCreditValueMicros(creditValue).Exec(ctx)
}

// analyze refreshes planner statistics (and, on PostgreSQL, the visibility
// map) as autovacuum would soon after a bulk load, so queries are timed on
// the steady state rather than on a freshly loaded heap.
func analyze(ctx context.Context, d *db.DB) error {
	stmts := []string{"ANALYZE"}
	if !d.IsEmbedded() {
		stmts = []string{"VACUUM (ANALYZE) usage_records", "VACUUM (ANALYZE) usage_rollups", "ANALYZE accounts", "ANALYZE agents", "ANALYZE bundles"}
	}
	for _, s := range stmts {
		if _, err := d.SQL.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}
