package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/vistasocial/aiusage/frontend"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/money"
)

type dashboardFlags struct {
	commonFlags
	records       int
	accounts      int
	requests      int
	naiveRequests int
	hotShare      float64
	reuse         bool
	loadWorkers   int
}

// dashboardReport is the dashboard run's outcome; it is also the --json line.
type dashboardReport struct {
	Command     string  `json:"command"`
	Database    string  `json:"database"`
	Records     int64   `json:"records"`
	Accounts    int     `json:"accounts"`
	HotRecords  int64   `json:"hot_account_records"`
	Loaded      bool    `json:"loaded"`
	LoadSeconds float64 `json:"load_seconds,omitempty"`
	// Dashboard is one page load: the SPA's three queries sent side by side,
	// timed until the last answer.
	Dashboard Latency            `json:"dashboard"`
	Queries   map[string]Latency `json:"queries"`
	// Naive is the same figures aggregated from the raw records.
	Naive        Latency            `json:"naive"`
	NaiveQueries map[string]Latency `json:"naive_queries"`
	// Consistent is whether the API's figures equal the raw aggregates.
	Consistent bool   `json:"consistent"`
	Mismatch   string `json:"mismatch,omitempty"`
}

// warmups are untimed rounds before each measurement: connections, query
// parsing and plan caches are set up once in a real deployment.
const warmups = 20

func runDashboard(ctx context.Context, args []string, out io.Writer) error {
	var f dashboardFlags
	fs := flag.NewFlagSet("dashboard", flag.ContinueOnError)
	fs.IntVar(&f.records, "records", 1_000_000, "usage records to load")
	fs.IntVar(&f.accounts, "accounts", 100, "accounts the records are spread over")
	fs.IntVar(&f.requests, "requests", 500, "dashboard loads to time")
	fs.IntVar(&f.naiveRequests, "naive-requests", 0, "naive aggregate rounds to time (default: --requests)")
	fs.Float64Var(&f.hotShare, "hot-share", 0.10, "share of the records given to the hot (queried) account, on top of its fair share")
	fs.BoolVar(&f.reuse, "reuse", false, "skip loading when the database already holds --records records over --accounts dashboard accounts")
	fs.IntVar(&f.loadWorkers, "load-workers", 2, "parallel COPY streams (PostgreSQL)")
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: go run ./cmd/bench dashboard [flags]\n\n"+
			"Loads --records usage records over 90 days (COPY on PostgreSQL, batched INSERTs\n"+
			"on SQLite), then times the SPA's dashboard queries over HTTP on the hot account\n"+
			"beside naive aggregates over the raw records.\n"+
			"DATABASE_URL selects the database (default %s).\n\n", defaultDatabaseURL())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.records < 1 || f.accounts < 1 || f.requests < 1 || f.loadWorkers < 1 || f.hotShare < 0 || f.hotShare > 1 {
		return fmt.Errorf("--records, --accounts, --requests and --load-workers must be positive, --hot-share in 0..1")
	}
	if f.naiveRequests == 0 {
		f.naiveRequests = f.requests
	}

	d, ledger, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	data, err := prepareDashboard(ctx, d, ledger, &f)
	if err != nil {
		return err
	}
	// Keys are stored hashed: give the hot account a fresh one each run.
	key, hash, err := auth.NewKey()
	if err != nil {
		return err
	}
	if err := d.Client.Account.UpdateOneID(data.hot).SetAPIKeyHash(hash).Exec(ctx); err != nil {
		return err
	}
	baseURL, stop, err := startServer(ctx, d, true)
	if err != nil {
		return err
	}
	defer stop()

	rep := dashboardReport{
		Command: "dashboard", Database: dialectName(d), Records: data.records, Accounts: f.accounts,
		HotRecords: data.hotRecords, Loaded: data.loaded, LoadSeconds: data.loadSeconds,
	}
	progress("timing %d dashboard loads on the hot account (%s records)", f.requests, money.GroupThousands(data.hotRecords))
	stopProfile, err := f.profile()
	if err != nil {
		return err
	}
	api, figures, err := timeDashboard(ctx, newClient(baseURL, 3), key, f.requests)
	stopProfile()
	if err != nil {
		return err
	}
	progress("timing %d naive aggregate rounds", f.naiveRequests)
	naive, raw, err := timeNaive(ctx, d, data.hot, f.naiveRequests)
	if err != nil {
		return err
	}
	rep.Dashboard, rep.Queries = api.total, api.perQuery
	rep.Naive, rep.NaiveQueries = naive.total, naive.perQuery
	rep.Mismatch = compareFigures(figures, raw)
	rep.Consistent = rep.Mismatch == ""
	if err := ctx.Err(); err != nil {
		return err
	}
	printDashboard(out, &rep)
	if f.json {
		return printJSON(out, rep)
	}
	return nil
}

// timings are a measured loop's round latencies and its parts'.
type timings struct {
	total    Latency
	perQuery map[string]Latency
}

// spaQuery is one of the dashboard page's requests.
type spaQuery struct {
	name string
	body []byte
}

func spaQueries() []spaQuery {
	mk := func(operation, vars string) []byte {
		return newOperationTemplate(frontend.Operations, operation).body(nil, func(b []byte) []byte { return append(b, vars...) })
	}
	return []spaQuery{
		{"creditBalance", mk("Balance", `{}`)},
		{"usageByCategory", mk("UsageByCategory", `{"days":30}`)},
		{"topAgents", mk("TopAgents", `{"first":5}`)},
	}
}

// apiFigures are the dashboard's numbers, kept to check them against the
// raw records.
type apiFigures struct {
	categories map[string]int64   // credits in the 30-day window
	agentAvg   map[string]float64 // agent ID → average credits per run
}

// timeDashboard loads the dashboard n times as the SPA does: its three
// queries at once on three connections, the page ready when all answered.
func timeDashboard(ctx context.Context, c *gqlClient, key string, n int) (timings, *apiFigures, error) {
	queries := spaQueries()
	per := make([][]time.Duration, len(queries))
	var rounds []time.Duration
	bufs := make([]bytes.Buffer, len(queries))
	errs := make([]error, len(queries))
	for round := range warmups + n {
		if err := ctx.Err(); err != nil {
			return timings{}, nil, err
		}
		var wg sync.WaitGroup
		lat := make([]time.Duration, len(queries))
		t0 := time.Now()
		for i, q := range queries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := time.Now()
				errs[i] = c.post(ctx, key, q.body, &bufs[i])
				lat[i] = time.Since(s)
			}()
		}
		wg.Wait()
		total := time.Since(t0)
		for i, err := range errs {
			if err != nil {
				return timings{}, nil, fmt.Errorf("%s: %w", queries[i].name, err)
			}
		}
		if round < warmups {
			continue
		}
		rounds = append(rounds, total)
		for i := range queries {
			per[i] = append(per[i], lat[i])
		}
	}
	t := timings{total: summarize(rounds), perQuery: map[string]Latency{}}
	for i, q := range queries {
		t.perQuery[q.name] = summarize(per[i])
	}
	figures, err := readFigures(bufs[1].Bytes(), bufs[2].Bytes())
	return t, figures, err
}

func readFigures(categories, agents []byte) (*apiFigures, error) {
	var cat struct {
		Data struct {
			UsageByCategory struct {
				Categories []struct {
					Category string
					Credits  int64
				}
			}
		}
		Errors []gqlError
	}
	var top struct {
		Data struct {
			TopAgents []struct {
				Agent                struct{ ID string }
				AverageCreditsPerRun float64
			}
		}
		Errors []gqlError
	}
	if err := json.Unmarshal(categories, &cat); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(agents, &top); err != nil {
		return nil, err
	}
	if err := firstError(append(cat.Errors, top.Errors...)); err != nil {
		return nil, err
	}
	f := &apiFigures{categories: map[string]int64{}, agentAvg: map[string]float64{}}
	for _, c := range cat.Data.UsageByCategory.Categories {
		f.categories[c.Category] = c.Credits
	}
	for _, a := range top.Data.TopAgents {
		f.agentAvg[a.Agent.ID] = a.AverageCreditsPerRun
	}
	return f, nil
}

// rawFigures are the naive aggregates' results.
type rawFigures struct {
	categories map[string]int64
	agentRuns  map[string][2]int64 // agent ID → runs, credits
}

// timeNaive computes the same figures the plain way, aggregating the hot
// account's raw records of the last 30 days, n times.
func timeNaive(ctx context.Context, d *db.DB, accountID, n int) (timings, *rawFigures, error) {
	byCategory, byAgent := naiveQueries(d)
	now := time.Now().UTC()
	from := time.Date(now.Year(), now.Month(), now.Day()-29, 0, 0, 0, 0, time.UTC) // as the ledger's window
	var rounds, cats, agents []time.Duration
	var raw *rawFigures
	for round := range min(warmups, 3) + n {
		raw = &rawFigures{categories: map[string]int64{}, agentRuns: map[string][2]int64{}}
		t0 := time.Now()
		if err := scanRows(ctx, d, byCategory, []any{accountID, from}, func(scan func(...any) error) error {
			var cat string
			var credits, value int64
			err := scan(&cat, &credits, &value)
			raw.categories[cat] = credits
			return err
		}); err != nil {
			return timings{}, nil, err
		}
		t1 := time.Now()
		if err := scanRows(ctx, d, byAgent, []any{accountID, from}, func(scan func(...any) error) error {
			var agent, runs, credits int64
			err := scan(&agent, &runs, &credits)
			raw.agentRuns[strconv.FormatInt(agent, 10)] = [2]int64{runs, credits}
			return err
		}); err != nil {
			return timings{}, nil, err
		}
		t2 := time.Now()
		if round < min(warmups, 3) {
			continue
		}
		rounds = append(rounds, t2.Sub(t0))
		cats = append(cats, t1.Sub(t0))
		agents = append(agents, t2.Sub(t1))
	}
	return timings{
		total:    summarize(rounds),
		perQuery: map[string]Latency{"byCategory": summarize(cats), "byAgent": summarize(agents)},
	}, raw, nil
}

// naiveQueries are the aggregates a dashboard without rollups would run.
func naiveQueries(d *db.DB) (byCategory, byAgent string) {
	p := placeholders{postgres: !d.IsEmbedded()}
	a, t := p.next(), p.next()
	byCategory = `SELECT category, SUM(credits), SUM(value_micros) FROM usage_records
		WHERE account_id = ` + a + ` AND occurred_at >= ` + t + ` GROUP BY category`
	byAgent = `SELECT agent_id, COUNT(*), SUM(credits) FROM usage_records
		WHERE account_id = ` + a + ` AND occurred_at >= ` + t + ` AND agent_id IS NOT NULL GROUP BY agent_id`
	return byCategory, byAgent
}

func scanRows(ctx context.Context, d *db.DB, q string, args []any, each func(scan func(...any) error) error) error {
	rows, err := d.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// compareFigures checks the API (rollups) against the raw records; "" when
// they agree.
func compareFigures(api *apiFigures, raw *rawFigures) string {
	for _, c := range categories {
		if api.categories[c] != raw.categories[c] {
			return fmt.Sprintf("%s credits: API %d, records %d", c, api.categories[c], raw.categories[c])
		}
	}
	for id, avg := range api.agentAvg {
		r, ok := raw.agentRuns[id]
		if !ok {
			continue // idle in the window: the API averages its latest runs instead
		}
		if want := float64(r[1]) / float64(r[0]); math.Abs(avg-want) > 1e-6*want {
			return fmt.Sprintf("agent %s average credits per run: API %.4f, records %.4f", id, avg, want)
		}
	}
	return ""
}

func printDashboard(out io.Writer, r *dashboardReport) {
	loaded := "reused"
	if r.Loaded {
		loaded = fmt.Sprintf("loaded in %.0fs", r.LoadSeconds)
	}
	fmt.Fprintf(out, "\ndashboard on %s: %s records over %d accounts (%s); hot account: %s records\n",
		r.Database, money.GroupThousands(r.Records), r.Accounts, loaded, money.GroupThousands(r.HotRecords))
	t := table{header: []string{"what", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"}}
	row := func(name string, l Latency) {
		t.add(name, money.GroupThousands(int64(l.N)), fmtMs(l.P50), fmtMs(l.P95), fmtMs(l.P99), fmtMs(l.Max))
	}
	row("dashboard (3 SPA queries)", r.Dashboard)
	for _, q := range []string{"creditBalance", "usageByCategory", "topAgents"} {
		row("  "+q, r.Queries[q])
	}
	row("naive SQL (2 aggregates)", r.Naive)
	for _, q := range []string{"byCategory", "byAgent"} {
		row("  "+q, r.NaiveQueries[q])
	}
	t.print(out)
	if r.Consistent {
		fmt.Fprintln(out, "check: the API's figures equal the raw aggregates")
	} else {
		fmt.Fprintln(out, "check FAILED: "+r.Mismatch)
	}
}

// dialectName is the database's name for people: "sqlite" or "postgres".
func dialectName(d *db.DB) string {
	if d.IsEmbedded() {
		return "sqlite"
	}
	return "postgres"
}
