package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// BenchmarkDashboard times the dashboard page's queries through the HTTP
// handler (auth, GraphQL, resolvers, ledger reports) over an account with 30
// days of history, on SQLite and (with TEST_DATABASE_URL) PostgreSQL. It
// times; it asserts nothing about time.
//
//	go test ./internal/httpserver -run '^$' -bench Dashboard
func BenchmarkDashboard(b *testing.B) {
	for _, database := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}} {
		b.Run(database.name, func(b *testing.B) {
			d := database.open(b)
			handler, key := benchDashboardServer(b, d)
			all := make([][]byte, 0, len(benchDashboardQueries))
			for _, q := range benchDashboardQueries {
				body := benchBody(b, q.query, q.vars)
				all = append(all, body)
				b.Run(q.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						benchPost(b, handler, key, body)
					}
				})
			}
			// One page load: the three queries the SPA sends.
			b.Run("page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					for _, body := range all {
						benchPost(b, handler, key, body)
					}
				}
			})
		})
	}
}

// benchDashboardQueries are the SPA's dashboard queries, as in
// frontend/src/operations.graphql (fragments inlined).
var benchDashboardQueries = []struct {
	name  string
	query string
	vars  map[string]any
}{
	{"creditBalance", `query Balance { creditBalance { remaining allowance used usedPercent planIncluded
		planRemaining bundleCredits bundleRemaining remainingValue { amount currency formatted }
		periodStart periodEnd } }`, nil},
	{"usageByCategory", `query UsageByCategory($days: Int) { usageByCategory(days: $days) { days totalCredits
		totalValue { amount currency formatted }
		categories { category credits percent value { amount currency formatted } } } }`, map[string]any{"days": 30}},
	{"topAgents", `query TopAgents($first: Int) { topAgents(first: $first) { agent { id name hoursSavedPerMonth }
		frequency runsPerMonth averageCreditsPerRun estimatedMonthlyCredits
		estimatedMonthlyCost { amount currency formatted } } }`, map[string]any{"first": 5}},
}

// benchDashboardServer returns the API handler, configured as the server
// configures it, and the key of an account with five agents and 3,000
// charges over the last 30 days.
func benchDashboardServer(b *testing.B, d *db.DB) (http.Handler, string) {
	b.Helper()
	ctx := context.Background()
	ledger := credits.New(d.Client, d.Dialect)
	key, hash, err := auth.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	acct, err := ledger.CreateAccount(ctx, "Bench", "Business", hash)
	if err != nil {
		b.Fatal(err)
	}
	offer, err := d.Client.BundleOffer.Create().SetName("Benchmark bundle").
		SetCredits(1_000_000_000).SetPriceMicros(1).Save(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ledger.PurchaseBundle(ctx, acct.ID, offer.ID, "bench-bundle"); err != nil {
		b.Fatal(err)
	}
	var agents []int
	for i, freq := range []agent.Frequency{agent.FrequencyDAILY, agent.FrequencyWEEKLY, agent.FrequencyHOURLY,
		agent.FrequencyMANUAL, agent.FrequencyWEEKDAYS} {
		name, f := fmt.Sprintf("Agent %d", i), freq
		a, err := ledger.CreateAgent(ctx, acct.ID, credits.AgentSettings{Name: &name, Frequency: &f})
		if err != nil {
			b.Fatal(err)
		}
		agents = append(agents, a.ID)
	}
	now := time.Now().UTC()
	for batch := range 30 {
		inputs := make([]credits.UsageInput, credits.MaxBatch)
		for i := range inputs {
			n := batch*credits.MaxBatch + i
			at := now.Add(-time.Duration(n) * 30 * 24 * time.Hour / 3000)
			in := credits.UsageInput{IdempotencyKey: fmt.Sprintf("history-%d", n), OccurredAt: &at}
			switch c := 1 + n%40; n % 4 {
			case 0:
				in.Category = usagerecord.CategoryIMAGE
			case 1:
				in.Category, in.Credits = usagerecord.CategoryCHAT, &c
			default:
				in.Category, in.Credits, in.AgentID = usagerecord.CategoryAGENT, &c, &agents[n%len(agents)]
			}
			inputs[i] = in
		}
		res, err := ledger.RecordUsageBatch(ctx, acct.ID, inputs)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range res.Items {
			if it.Err != nil {
				b.Fatal(it.Err)
			}
		}
	}
	handler := httpserver.New(httpserver.Config{
		Client:       d.Client,
		Credits:      ledger,
		AuthCacheTTL: 5 * time.Second,
	})
	return handler, key
}

func benchBody(b *testing.B, query string, vars map[string]any) []byte {
	b.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// benchPost serves one request in-process and fails on any error, so a
// broken query is never timed as a fast one.
func benchPost(b *testing.B, h http.Handler, key string, body []byte) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("HTTP %d: %.300s", rec.Code, rec.Body.Bytes())
	}
}
