package httpserver_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/metrics"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// logBuffer collects log output written from request goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *logBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *logBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// opsEnv is a server configured as in production: metrics, logs, limits.
func opsEnv(t *testing.T, d *db.DB, cfg httpserver.Config) (*env, *metrics.Metrics) {
	t.Helper()
	e := newEnv(t, d)
	m := metrics.New(d.SQL)
	ledger := credits.New(d.Client, d.Dialect, credits.WithClock(e.clock.Now), credits.WithObserver(m))
	cfg.Client, cfg.Credits, cfg.Metrics, cfg.Ready = d.Client, ledger, m, d.Ready
	e.srv.Close()
	e.srv = httptest.NewServer(httpserver.New(cfg))
	t.Cleanup(e.srv.Close)
	return e, m
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMetricsMoveWithTraffic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e, _ := opsEnv(t, d, httpserver.Config{})
		a := e.account("Metered", "Starter")
		const charge = `mutation Charge($in: RecordUsageInput!) { recordUsage(input: $in) { balance { remaining } } }`
		a.do(charge, map[string]any{"in": map[string]any{"category": "IMAGE", "quantity": 2, "idempotencyKey": "m-1"}})
		a.expectError(charge, map[string]any{"in": map[string]any{"category": "CHAT", "credits": 5000, "idempotencyKey": "m-2"}}, "INSUFFICIENT_CREDITS")
		a.do(`mutation($in: PurchaseBundleInput!) { purchaseBundle(input: $in) { balance { remaining } } }`,
			map[string]any{"in": map[string]any{"offerID": id(e.offerID(1000)), "idempotencyKey": "b-1"}})

		status, body := fetch(t, e.srv.URL+"/metrics")
		if status != http.StatusOK {
			t.Fatalf("/metrics: %d", status)
		}
		for _, want := range []string{
			`aiusage_charges_total{category="IMAGE",result="charged"} 1`,
			`aiusage_credits_charged_total{category="IMAGE"} 20`,
			`aiusage_charges_total{category="CHAT",result="insufficient_credits"} 1`,
			`aiusage_bundle_purchases_total 1`,
			`aiusage_bundle_credits_purchased_total 1000`,
			`aiusage_http_requests_total{operation="Charge",status="200"} 2`,
			`aiusage_graphql_operation_duration_seconds_count{operation="Charge"} 2`,
			`go_sql_max_open_connections{db_name="aiusage"}`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
	})
}

func TestRequestLogsCarryContextButNoSecrets(t *testing.T) {
	d := testdb.SQLite(t)
	var logs logBuffer
	e, _ := opsEnv(t, d, httpserver.Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	a := e.account("Logged", "Pro")
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql",
		strings.NewReader(`{"query":"query Dashboard { creditBalance { remaining } }","operationName":"Dashboard"}`))
	req.Header.Set("Authorization", "Bearer "+a.Key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-ID", "req-42")
	if r := e.send(req); r.Status != http.StatusOK {
		t.Fatalf("dashboard: %d", r.Status)
	}
	badKey := "aiu_" + strings.Repeat("x", 32)
	e.post("Bearer "+badKey, `{ viewer { name } }`, nil)

	out := logs.String()
	for _, secret := range []string{a.Key, badKey, auth.HashKey(a.Key)} {
		if strings.Contains(out, secret) {
			t.Fatalf("logs contain a secret: %s", out)
		}
	}
	for _, want := range []string{`"request_id":"req-42"`, `"operation":"Dashboard"`, `"account_id":` + id(a.ID), `"error_code":"UNAUTHENTICATED"`, `"duration_ms":`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
}

func TestRateLimitPerKey(t *testing.T) {
	d := testdb.SQLite(t)
	e, _ := opsEnv(t, d, httpserver.Config{RateLimit: 0.001, RateBurst: 2})
	busy, quiet := e.account("Busy", "Pro"), e.account("Quiet", "Pro")
	const q = `{ viewer { name } }`
	for i := 0; i < 2; i++ {
		if r := busy.do(q, nil); r.Status != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i, r.Status)
		}
	}
	r := busy.expectError(q, nil, "RATE_LIMITED")
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("over the limit: HTTP %d, want 429", r.Status)
	}
	if r := quiet.do(q, nil); r.Status != http.StatusOK {
		t.Fatalf("another key was limited too: %d", r.Status)
	}
}

func TestRevokedKeyStopsWorkingWithinCacheTTL(t *testing.T) {
	d := testdb.SQLite(t)
	e, _ := opsEnv(t, d, httpserver.Config{AuthCacheTTL: 100 * time.Millisecond})
	a := e.account("Revoked", "Pro")
	const q = `{ viewer { name } }`
	a.do(q, nil) // cached
	if err := auth.Revoke(e.ctx, d.Client, a.Key); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if r := a.expectError(q, nil, "UNAUTHENTICATED"); r.Status != http.StatusUnauthorized {
		t.Fatalf("revoked key: HTTP %d", r.Status)
	}
	if err := auth.Revoke(e.ctx, d.Client, a.Key); err == nil {
		t.Fatal("revoking twice succeeded")
	}
}

func TestReadinessFollowsTheDatabase(t *testing.T) {
	d := testdb.SQLite(t)
	e, _ := opsEnv(t, d, httpserver.Config{})
	if status, _ := fetch(t, e.srv.URL+"/readyz"); status != http.StatusOK {
		t.Fatalf("/readyz with the database up: %d", status)
	}
	d.Close()
	if status, _ := fetch(t, e.srv.URL+"/readyz"); status != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the database closed: %d, want 503", status)
	}
	if status, _ := fetch(t, e.srv.URL+"/healthz"); status != http.StatusOK {
		t.Fatalf("/healthz must only say the process is up: %d", status)
	}
}
