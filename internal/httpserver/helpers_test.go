package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/bundle"
	"github.com/vistasocial/aiusage/ent/bundleoffer"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// testNow is the fixed time every test server starts at: mid-month, mid-day,
// so that windows and periods are deterministic.
var testNow = time.Date(2025, time.March, 15, 12, 0, 0, 0, time.UTC)

// env is one API server over one test database, with a settable clock.
type env struct {
	t      *testing.T
	ctx    context.Context
	d      *db.DB
	client *ent.Client
	clock  *testdb.Clock
	ledger *credits.Service
	srv    *httptest.Server
}

// newEnv starts the real HTTP handler over d, its ledger on a fixed clock.
func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	return newEnvWithClient(t, d, d.Client)
}

// newEnvWithClient serves the API through client (e.g. a query-counting
// client over d), while setup helpers keep using d.Client.
func newEnvWithClient(t *testing.T, d *db.DB, client *ent.Client) *env {
	t.Helper()
	clock := testdb.NewClock(testNow)
	e := &env{
		t: t, ctx: context.Background(), d: d, client: d.Client, clock: clock,
		ledger: credits.New(d.Client, d.Dialect, credits.WithClock(clock.Now)),
	}
	e.srv = httptest.NewServer(httpserver.New(httpserver.Config{
		Client:        client,
		Credits:       credits.New(client, d.Dialect, credits.WithClock(clock.Now)),
		Introspection: true,
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// account is an API caller: an account and its API key.
type account struct {
	ID  int
	Key string
	e   *env
}

// account creates an account on plan with a fresh API key.
func (e *env) account(name, plan string) *account {
	e.t.Helper()
	key, _, err := auth.NewKey()
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.ledger.CreateAccount(e.ctx, name, plan, auth.HashKey(key))
	if err != nil {
		e.t.Fatalf("creating account %s: %v", name, err)
	}
	return &account{ID: a.ID, Key: key, e: e}
}

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (g gqlError) Code() string {
	c, _ := g.Extensions["code"].(string)
	return c
}

// response is a GraphQL response with its HTTP status.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// HasData reports whether the response carries a non-null data object.
func (r *response) HasData() bool {
	d := bytes.TrimSpace(r.Data)
	return len(d) > 0 && !bytes.Equal(d, []byte("null"))
}

// Codes lists the errors' extensions.code values.
func (r *response) Codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Code())
	}
	return out
}

// post sends one GraphQL request as the holder of authorization (the full
// Authorization header value; "" sends none).
func (e *env) post(authorization, query string, vars map[string]any) *response {
	e.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.postRaw(authorization, body)
}

// postRaw sends body as-is to /graphql.
func (e *env) postRaw(authorization string, body []byte) *response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) *response {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := &response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, r); err != nil {
			e.t.Fatalf("decoding response (HTTP %d) %.500s: %v", res.StatusCode, raw, err)
		}
	}
	return r
}

// do runs query as the account and returns the raw response.
func (a *account) do(query string, vars map[string]any) *response {
	a.e.t.Helper()
	return a.e.post("Bearer "+a.Key, query, vars)
}

// query runs query as the account, requires success and decodes data into out.
func (a *account) query(query string, vars map[string]any, out any) {
	a.e.t.Helper()
	r := a.do(query, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 || !r.HasData() {
		a.e.t.Fatalf("query failed: HTTP %d: %s\nquery: %s", r.Status, r.Raw, query)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			a.e.t.Fatalf("decoding data %s: %v", r.Data, err)
		}
	}
}

// expectError runs query as the account and requires exactly one error with
// code, returning the response.
func (a *account) expectError(query string, vars map[string]any, code string) *response {
	a.e.t.Helper()
	r := a.do(query, vars)
	requireCode(a.e.t, r, code)
	return r
}

// requireCode requires that every error of r carries code and that there is at least one.
func requireCode(t *testing.T, r *response, code string) {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("want error %s, got none: HTTP %d: %s", code, r.Status, r.Raw)
	}
	for _, e := range r.Errors {
		if e.Code() != code {
			t.Fatalf("want error code %s, got %v: HTTP %d: %s", code, r.Codes(), r.Status, r.Raw)
		}
	}
}

// requireNoData requires that the response carries no data for field (the
// top-level data is null or the field is null).
func requireNoData(t *testing.T, r *response, field string) {
	t.Helper()
	if !r.HasData() {
		return
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Data, &m); err != nil {
		t.Fatalf("decoding data %s: %v", r.Data, err)
	}
	if v, ok := m[field]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		t.Fatalf("want no data for %s, got %s", field, v)
	}
}

// money is the GraphQL Money type.
type money struct {
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Formatted string `json:"formatted"`
}

const moneyFields = `{ amount currency formatted }`

// balance is the GraphQL CreditBalance type.
type balance struct {
	Remaining       int64     `json:"remaining"`
	Allowance       int64     `json:"allowance"`
	Used            int64     `json:"used"`
	UsedPercent     float64   `json:"usedPercent"`
	PlanIncluded    int64     `json:"planIncluded"`
	PlanRemaining   int64     `json:"planRemaining"`
	BundleCredits   int64     `json:"bundleCredits"`
	BundleRemaining int64     `json:"bundleRemaining"`
	RemainingValue  money     `json:"remainingValue"`
	PeriodStart     time.Time `json:"periodStart"`
	PeriodEnd       time.Time `json:"periodEnd"`
}

const balanceFields = `{ remaining allowance used usedPercent planIncluded planRemaining
	bundleCredits bundleRemaining remainingValue ` + moneyFields + ` periodStart periodEnd }`

// balance reads the account's creditBalance through the API.
func (a *account) balance() balance {
	a.e.t.Helper()
	var out struct{ CreditBalance balance }
	a.query(`{ creditBalance `+balanceFields+` }`, nil, &out)
	return out.CreditBalance
}

// usageRecord is the GraphQL UsageRecord type.
type usageRecord struct {
	ID                string    `json:"id"`
	Category          string    `json:"category"`
	Quantity          int       `json:"quantity"`
	Credits           int64     `json:"credits"`
	Value             money     `json:"value"`
	PlanCredits       int64     `json:"planCredits"`
	BundleCredits     int64     `json:"bundleCredits"`
	ProfilesProcessed *int      `json:"profilesProcessed"`
	Description       *string   `json:"description"`
	IdempotencyKey    string    `json:"idempotencyKey"`
	OccurredAt        time.Time `json:"occurredAt"`
	Agent             *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"agent"`
}

const recordFields = `{ id category quantity credits value ` + moneyFields + ` planCredits bundleCredits
	profilesProcessed description idempotencyKey occurredAt agent { id name } }`

const recordUsageMutation = `mutation($input: RecordUsageInput!) {
	recordUsage(input: $input) { usageRecord ` + recordFields + ` balance ` + balanceFields + ` } }`

type recordUsagePayload struct {
	RecordUsage struct {
		UsageRecord usageRecord `json:"usageRecord"`
		Balance     balance     `json:"balance"`
	} `json:"recordUsage"`
}

// recordUsage charges through the API and requires success.
func (a *account) recordUsage(input map[string]any) recordUsagePayload {
	a.e.t.Helper()
	var out recordUsagePayload
	a.query(recordUsageMutation, map[string]any{"input": input}, &out)
	return out
}

// charge records usage directly through the ledger (fast test setup).
func (a *account) charge(in credits.UsageInput) *ent.UsageRecord {
	a.e.t.Helper()
	res, err := a.e.ledger.RecordUsage(a.e.ctx, a.ID, in)
	if err != nil {
		a.e.t.Fatalf("charging %+v: %v", in, err)
	}
	return res.Record
}

// chargeAt charges category with n (quantity for IMAGE/VIDEO, credits for
// CHAT/AGENT) occurring at at, under key.
func (a *account) chargeAt(category usagerecord.Category, n int, agentID *int, at time.Time, key string) *ent.UsageRecord {
	a.e.t.Helper()
	in := credits.UsageInput{Category: category, AgentID: agentID, IdempotencyKey: key, OccurredAt: &at}
	if category == usagerecord.CategoryIMAGE || category == usagerecord.CategoryVIDEO {
		in.Quantity = &n
	} else {
		in.Credits = &n
	}
	return a.charge(in)
}

// agent creates an agent through the API and returns its ID.
func (a *account) agent(name, frequency string) int {
	a.e.t.Helper()
	var out struct {
		CreateAgent struct{ ID string } `json:"createAgent"`
	}
	// Through the ledger would do as well; the API keeps it honest.
	a.query(`mutation($in: CreateAgentInput!) { createAgent(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name, "frequency": frequency}}, &out)
	return atoi(a.e.t, out.CreateAgent.ID)
}

// buy purchases the seeded offer with the given credits through the ledger.
func (a *account) buy(offerCredits int64, key string) *ent.Bundle {
	a.e.t.Helper()
	res, err := a.e.ledger.PurchaseBundle(a.e.ctx, a.ID, a.e.offerID(offerCredits), key)
	if err != nil {
		a.e.t.Fatalf("buying %d credits: %v", offerCredits, err)
	}
	return res.Bundle
}

// recordCount counts the account's usage records in the database.
func (a *account) recordCount() int {
	a.e.t.Helper()
	n, err := a.e.client.UsageRecord.Query().Where(usagerecord.AccountID(a.ID)).Count(a.e.ctx)
	if err != nil {
		a.e.t.Fatal(err)
	}
	return n
}

// bundleCount counts the account's bundles in the database.
func (a *account) bundleCount() int {
	a.e.t.Helper()
	n, err := a.e.client.Bundle.Query().Where(bundle.AccountID(a.ID)).Count(a.e.ctx)
	if err != nil {
		a.e.t.Fatal(err)
	}
	return n
}

// verify asserts the ledger invariant for the account.
func (a *account) verify() {
	a.e.t.Helper()
	if err := a.e.ledger.Verify(a.e.ctx, a.ID); err != nil {
		a.e.t.Fatalf("ledger invariant broken: %v", err)
	}
}

// offerID returns the ID of the seeded offer with the given credits.
func (e *env) offerID(credits int64) int {
	e.t.Helper()
	id, err := e.client.BundleOffer.Query().Where(bundleoffer.Credits(credits)).FirstID(e.ctx)
	if err != nil {
		e.t.Fatalf("finding offer of %d credits: %v", credits, err)
	}
	return id
}

func id(n int) string { return strconv.Itoa(n) }

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("ID %q is not an integer: %v", s, err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func keyN(prefix string, i int) string { return fmt.Sprintf("%s-%03d", prefix, i) }

func repeat(s string, n int) string { return strings.Repeat(s, n) }

// tryPost is post for goroutines: it reports failures instead of failing the test.
func (e *env) tryPost(authorization, query string, vars map[string]any) (*response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", authorization)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	r := &response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if err := json.Unmarshal(raw, r); err != nil {
		return nil, fmt.Errorf("decoding HTTP %d %.300s: %w", res.StatusCode, raw, err)
	}
	return r, nil
}
