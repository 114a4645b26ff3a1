package httpserver_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vistasocial/aiusage/frontend"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// get fetches path from a server built from cfg.
func get(t *testing.T, h http.Handler, method, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	h := httpserver.New(httpserver.Config{})
	res, body := get(t, h, http.MethodGet, "/healthz", nil)
	if res.StatusCode != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Fatalf("/healthz: HTTP %d %q, want 200 ok", res.StatusCode, body)
	}
	if res, _ := get(t, h, http.MethodGet, "/readyz", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("/readyz without a check: HTTP %d", res.StatusCode)
	}
	down := httpserver.New(httpserver.Config{Ready: func(context.Context) error { return errors.New("db down") }})
	if res, body := get(t, down, http.MethodGet, "/readyz", nil); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the database down: HTTP %d %q, want 503", res.StatusCode, body)
	}
	if res, _ := get(t, down, http.MethodGet, "/healthz", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz with the database down: HTTP %d, want 200 (liveness only)", res.StatusCode)
	}
}

func TestSPA(t *testing.T) {
	t.Parallel()
	index, err := fs.ReadFile(frontend.Dist, "dist/index.html")
	if err != nil {
		t.Fatal(err)
	}
	h := httpserver.New(httpserver.Config{})
	for _, path := range []string{"/settings/billing/ai-usage", "/", "/settings/billing/ai-usage/agents/123"} {
		res, body := get(t, h, http.MethodGet, path, nil)
		if res.StatusCode != http.StatusOK || body != string(index) {
			t.Fatalf("GET %s: HTTP %d, body is the SPA index: %v", path, res.StatusCode, body == string(index))
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("GET %s: Content-Type %q", path, ct)
		}
		csp := res.Header.Get("Content-Security-Policy")
		for _, directive := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, directive) {
				t.Fatalf("GET %s: Content-Security-Policy %q lacks %q", path, csp, directive)
			}
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("GET %s: no X-Content-Type-Options: nosniff", path)
		}
	}
	// Missing assets are 404, not the index page.
	if res, body := get(t, h, http.MethodGet, "/assets/missing.js", nil); res.StatusCode != http.StatusNotFound || body == string(index) {
		t.Fatalf("missing asset: HTTP %d", res.StatusCode)
	}
	if res, _ := get(t, h, http.MethodPost, "/settings/billing/ai-usage", nil); res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST to the SPA: HTTP %d, want 405", res.StatusCode)
	}
}

func TestPlaygroundAndIntrospection(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		on := newEnv(t, d)
		a := on.account("Acme", "Pro")
		res, body := get(t, on.srv.Config.Handler, http.MethodGet, "/playground", nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "/graphql") || !strings.Contains(strings.ToLower(body), "graphiql") {
			t.Fatalf("/playground: HTTP %d %.200q", res.StatusCode, body)
		}
		var schema struct {
			Schema struct {
				QueryType struct{ Name string }
			} `json:"__schema"`
		}
		a.query(`{ __schema { queryType { name } } }`, nil, &schema)
		if schema.Schema.QueryType.Name != "Query" {
			t.Fatalf("introspection: %+v", schema)
		}

		// Without introspection neither the playground nor __schema is served.
		off := httptest.NewServer(httpserver.New(httpserver.Config{Client: d.Client, Credits: on.ledger}))
		defer off.Close()
		offEnv := &env{t: t, ctx: on.ctx, d: d, client: d.Client, clock: on.clock, ledger: on.ledger, srv: off}
		res, body = get(t, off.Config.Handler, http.MethodGet, "/playground", nil)
		if res.StatusCode == http.StatusOK && strings.Contains(strings.ToLower(body), "graphiql") {
			t.Fatal("/playground is served with introspection off")
		}
		r := offEnv.post("Bearer "+a.Key, `{ __schema { queryType { name } } }`, nil)
		if len(r.Errors) == 0 || r.HasData() {
			t.Fatalf("introspection off: %s", r.Raw)
		}
	})
}

func TestCORS(t *testing.T) {
	t.Parallel()
	preflight := http.Header{
		"Origin":                         {"https://app.example.com"},
		"Access-Control-Request-Method":  {"POST"},
		"Access-Control-Request-Headers": {"authorization,content-type"},
	}
	closed := httpserver.New(httpserver.Config{})
	res, _ := get(t, closed, http.MethodOptions, "/graphql", preflight)
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("no origins configured, but Access-Control-Allow-Origin = %q", got)
	}
	open := httpserver.New(httpserver.Config{CORSOrigins: []string{"https://app.example.com"}})
	res, _ = get(t, open, http.MethodOptions, "/graphql", preflight)
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "https://app.example.com" {
		t.Fatalf("configured origin: Access-Control-Allow-Origin = %q", got)
	}
	if !strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Fatalf("preflight does not allow the Authorization header: %v", res.Header)
	}
	other := preflight.Clone()
	other.Set("Origin", "https://evil.example")
	res, _ = get(t, open, http.MethodOptions, "/graphql", other)
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("unlisted origin allowed: %q", got)
	}
}
