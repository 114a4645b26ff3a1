package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/plan"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/money"
)

type ingestFlags struct {
	commonFlags
	accounts    int
	concurrency int
	events      int
	batch       int
	url         string
	keysFile    string
	broker      bool
	watched     bool
}

// ingestReport is the ingest run's outcome; it is also the --json line.
type ingestReport struct {
	Command     string  `json:"command"`
	Database    string  `json:"database"`
	Target      string  `json:"target"` // "in-process" or the --url
	Accounts    int     `json:"accounts"`
	Concurrency int     `json:"concurrency"`
	Events      int     `json:"events"`
	Batch       int     `json:"batch"`
	Broker      bool    `json:"events_broker"`
	Watched     bool    `json:"watched"`
	API         phase   `json:"api"`
	Floor       phase   `json:"floor"`
	Ratio       float64 `json:"ratio"` // API events/s ÷ floor events/s
	// Memory is the in-process server's during the API phase; absent with --url.
	Memory *Memory `json:"memory,omitempty"`
}

func runIngest(ctx context.Context, args []string, out io.Writer) error {
	var f ingestFlags
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.IntVar(&f.accounts, "accounts", 100, "accounts the events are spread over (1 = one hot account)")
	fs.IntVar(&f.concurrency, "concurrency", 16, "concurrent clients")
	fs.IntVar(&f.events, "events", 20000, "usage events to charge (per path)")
	fs.IntVar(&f.batch, "batch", 1, "events per request: 1 uses recordUsage, more uses recordUsageBatch")
	fs.StringVar(&f.url, "url", "", "benchmark the server at this base URL instead of an in-process one (needs --keys-file)")
	fs.StringVar(&f.keysFile, "keys-file", "", "with --url: file of API keys, one per line, one account each")
	fs.BoolVar(&f.broker, "broker", true, "publish ledger events for subscriptions as serve does (PostgreSQL: a NOTIFY in every charge on a watched account); false measures the server without them")
	fs.BoolVar(&f.watched, "watched", false, "count every API account as watched, as if a dashboard were open on each, so each charge sends its NOTIFY (PostgreSQL)")
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: go run ./cmd/bench ingest [flags]\n\n"+
			"Charges --events events over HTTP, then the same events through the raw-SQL\n"+
			"ledger transaction (the floor) on other accounts, with the same concurrency.\n"+
			"DATABASE_URL selects the database (default %s).\n\n", defaultDatabaseURL())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.batch < 1 || f.batch > credits.MaxBatch {
		return fmt.Errorf("--batch must be 1 to %d", credits.MaxBatch)
	}
	if f.accounts < 1 || f.concurrency < 1 || f.events < 1 {
		return fmt.Errorf("--accounts, --concurrency and --events must be positive")
	}
	if (f.url == "") != (f.keysFile == "") {
		return fmt.Errorf("--url and --keys-file go together")
	}

	d, ledger, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	creditValue, err := d.Client.Plan.Query().Where(plan.Name("Business")).
		Select(plan.FieldCreditValueMicros).Int(ctx)
	if err != nil {
		return fmt.Errorf("loading the Business plan: %w", err)
	}
	runID := newRunID()
	rep := ingestReport{
		Command: "ingest", Database: dialectName(d), Target: "in-process",
		Accounts: f.accounts, Concurrency: f.concurrency, Events: f.events, Batch: f.batch, Broker: f.broker, Watched: f.watched,
	}

	// The API's accounts: created here for the in-process server, or the
	// operator's for a remote one.
	var apiAccounts []benchAccount
	baseURL := f.url
	if f.url == "" {
		progress("creating %d accounts for the API phase", f.accounts)
		if apiAccounts, err = createAccounts(ctx, d, ledger, "api", runID, f.accounts); err != nil {
			return err
		}
		if f.watched {
			if err := markWatched(ctx, d, apiAccounts); err != nil {
				return err
			}
		}
		var stop func()
		if baseURL, stop, err = startServer(ctx, d, f.broker); err != nil {
			return err
		}
		defer stop()
	} else {
		rep.Target = f.url
		if apiAccounts, err = readKeys(f.keysFile); err != nil {
			return err
		}
		rep.Accounts = len(apiAccounts)
	}
	progress("creating %d accounts for the floor", len(apiAccounts))
	floorAccounts, err := createAccounts(ctx, d, ledger, "floor", runID, len(apiAccounts))
	if err != nil {
		return err
	}
	l := load{runID: runID, events: f.events, batch: f.batch, accounts: len(apiAccounts), concurrency: f.concurrency}

	progress("API phase: %d events, batch %d, %d clients, %d accounts", f.events, f.batch, f.concurrency, l.accounts)
	stopProfile, err := f.profile()
	if err != nil {
		return err
	}
	var mem *memSampler
	if f.url == "" {
		mem = startMemSampler(100 * time.Millisecond)
	}
	rep.API = drive(ctx, l, apiCharger(newClient(baseURL, f.concurrency), apiAccounts, f.batch, f.concurrency))
	if mem != nil {
		m := mem.Stop()
		rep.Memory = &m
	}
	stopProfile()

	progress("floor phase: the same events through raw SQL")
	fl := newFloor(d.SQL, d.Dialect, int64(creditValue))
	rep.Floor = drive(ctx, l, func(ctx context.Context, _ int, acct int, events []event) (int, error) {
		if err := fl.charge(ctx, floorAccounts[acct], events); err != nil {
			return len(events), err
		}
		return 0, nil
	})
	if rep.Floor.EventsPerSec > 0 {
		rep.Ratio = rep.API.EventsPerSec / rep.Floor.EventsPerSec
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	printIngest(out, &rep)
	if f.json {
		return printJSON(out, rep)
	}
	return nil
}

// apiCharger charges events through recordUsage (batch 1) or
// recordUsageBatch, one request per call.
func apiCharger(c *gqlClient, accounts []benchAccount, batch, workers int) chargeFunc {
	single := newTemplate(recordUsageMutation)
	multi := newTemplate(recordUsageBatchMutation)
	bodies := make([][]byte, workers)
	bufs := make([]bytes.Buffer, workers)
	return func(ctx context.Context, w, acct int, events []event) (int, error) {
		var body []byte
		if batch == 1 {
			body = single.body(bodies[w][:0], func(dst []byte) []byte {
				return append(events[0].appendInput(append(dst, `{"input":`...)), '}')
			})
		} else {
			body = multi.body(bodies[w][:0], func(dst []byte) []byte {
				dst = append(dst, `{"inputs":[`...)
				for i, e := range events {
					if i > 0 {
						dst = append(dst, ',')
					}
					dst = e.appendInput(dst)
				}
				return append(dst, "]}"...)
			})
		}
		bodies[w] = body
		if err := c.post(ctx, accounts[acct].Key, body, &bufs[w]); err != nil {
			return len(events), err
		}
		return countFailures(bufs[w].Bytes(), batch > 1, len(events))
	}
}

// countFailures reads a recordUsage(Batch) response: how many events were
// not charged, and the first reason.
func countFailures(raw []byte, batched bool, n int) (int, error) {
	var res struct {
		Data struct {
			RecordUsage      *struct{} `json:"recordUsage"`
			RecordUsageBatch *struct {
				Items []struct {
					Error *struct{ Code, Message string } `json:"error"`
				} `json:"items"`
			} `json:"recordUsageBatch"`
		} `json:"data"`
		Errors []gqlError `json:"errors"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return n, fmt.Errorf("decoding response: %w", err)
	}
	if err := firstError(res.Errors); err != nil {
		return n, err
	}
	if !batched {
		if res.Data.RecordUsage == nil {
			return n, fmt.Errorf("no recordUsage in response")
		}
		return 0, nil
	}
	if res.Data.RecordUsageBatch == nil || len(res.Data.RecordUsageBatch.Items) != n {
		return n, fmt.Errorf("batch response does not answer every event")
	}
	failed, first := 0, error(nil)
	for _, it := range res.Data.RecordUsageBatch.Items {
		if it.Error != nil {
			failed++
			if first == nil {
				first = fmt.Errorf("%s: %s", it.Error.Code, it.Error.Message)
			}
		}
	}
	return failed, first
}

// readKeys reads one API key per line (blank lines and # comments skipped).
// A remote server's accounts are the operator's: the benchmark only needs
// their keys, and they must have credits for the whole run.
func readKeys(path string) ([]benchAccount, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []benchAccount
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, benchAccount{Key: line})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no API keys", path)
	}
	return out, nil
}

// markWatched counts one watcher on each account, as an open subscription
// does (internal/events), so that charges on them send their NOTIFY.
func markWatched(ctx context.Context, d *db.DB, accounts []benchAccount) error {
	ids := make([]int, len(accounts))
	for i, a := range accounts {
		ids[i] = a.ID
	}
	if err := d.Client.Account.Update().Where(account.IDIn(ids...)).SetWatchers(1).Exec(ctx); err != nil {
		return fmt.Errorf("marking accounts watched: %w", err)
	}
	return nil
}

func printIngest(out io.Writer, r *ingestReport) {
	op := "recordUsage"
	if r.Batch > 1 {
		op = fmt.Sprintf("recordUsageBatch ×%d", r.Batch)
	}
	if !r.Broker {
		op += " (event broker off)"
	} else if r.Watched {
		op += " (every account watched)"
	}
	fmt.Fprintf(out, "\ningest on %s (%s): %s events, %d accounts, %d clients, %s\n",
		r.Database, r.Target, money.GroupThousands(int64(r.Events)), r.Accounts, r.Concurrency, op)
	t := table{header: []string{"path", "events/s", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "failed"}}
	for _, row := range []struct {
		name string
		p    phase
	}{{"GraphQL API", r.API}, {"raw SQL floor", r.Floor}} {
		t.add(row.name, money.GroupThousands(int64(row.p.EventsPerSec)), money.GroupThousands(int64(row.p.Requests)),
			fmtMs(row.p.Latency.P50), fmtMs(row.p.Latency.P95), fmtMs(row.p.Latency.P99), fmtMs(row.p.Latency.Max),
			money.GroupThousands(int64(row.p.Failed)))
	}
	t.print(out)
	fmt.Fprintf(out, "API ÷ floor: %.2f (latencies are per request)\n", r.Ratio)
	if r.Memory != nil {
		scope := "this phase"
		if !r.Memory.HWMReset {
			scope = "since start"
		}
		fmt.Fprintf(out, "server resident memory during the API phase: max %.1f MiB sampled, VmHWM %.1f MiB (%s)\n",
			r.Memory.MaxRSS, r.Memory.HWM, scope)
	}
	for _, p := range []struct {
		name string
		ph   phase
	}{{"API", r.API}, {"floor", r.Floor}} {
		if p.ph.FirstError != "" {
			fmt.Fprintf(out, "%s: first failure: %s\n", p.name, p.ph.FirstError)
		}
	}
}

// progress reports what the tool is doing on stderr, keeping stdout for
// results.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
