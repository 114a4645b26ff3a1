package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/vistasocial/aiusage/graph"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/events"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/metrics"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// subTimeout bounds waiting for one subscription message.
const subTimeout = 5 * time.Second

// subEnv is the real HTTP handler with its event broker, as serve() wires
// them, on a test server.
type subEnv struct {
	t       *testing.T
	ctx     context.Context
	d       *db.DB
	ledger  *credits.Service
	broker  events.Broker
	metrics *metrics.Metrics
	srv     *httptest.Server
}

// newSubEnv serves d. url is the database's URL, needed on PostgreSQL for
// the LISTEN connection ("" on SQLite).
func newSubEnv(t *testing.T, d *db.DB, url string) *subEnv {
	t.Helper()
	ctx := context.Background()
	broker, err := events.Open(ctx, d.Dialect, events.PostgresConfig{URL: url, DB: d.SQL, MaxReconnect: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { broker.Close() })
	m := metrics.New(nil)
	ledger := credits.New(d.Client, d.Dialect, credits.WithObserver(m), credits.WithObserver(broker))
	done := make(chan struct{})
	e := &subEnv{t: t, ctx: ctx, d: d, ledger: ledger, broker: broker, metrics: m}
	e.srv = httptest.NewServer(httpserver.New(httpserver.Config{
		Client: d.Client, Credits: ledger, Metrics: m, Events: broker, Done: done, Introspection: true,
	}))
	t.Cleanup(func() {
		close(done)
		e.srv.Close()
	})
	return e
}

// eachSubEnv runs fn against SQLite (in-process events) and PostgreSQL
// (LISTEN/NOTIFY).
func eachSubEnv(t *testing.T, fn func(t *testing.T, e *subEnv)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, newSubEnv(t, testdb.SQLite(t), ""))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		url := testdb.PostgresURL(t)
		fn(t, newSubEnv(t, testdb.Open(t, url), url))
	})
}

var subSeq atomic.Int64

// newAccount creates an account and returns its ID and API key.
func (e *subEnv) newAccount(plan string) (int, string) {
	e.t.Helper()
	key, _, err := auth.NewKey()
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.ledger.CreateAccount(e.ctx, fmt.Sprintf("Sub %d", subSeq.Add(1)), plan, auth.HashKey(key))
	if err != nil {
		e.t.Fatal(err)
	}
	return a.ID, key
}

// gql posts a GraphQL request to base as key and decodes data into out.
func gql(t *testing.T, base, key, query string, vars map[string]any, out any) {
	t.Helper()
	if err := tryGQL(base, key, query, vars, out); err != nil {
		t.Fatal(err)
	}
}

func tryGQL(base, key, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || len(r.Errors) > 0 {
		return fmt.Errorf("POST /graphql: status %d: %s", res.StatusCode, raw)
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

const recordUsage = `mutation($in: RecordUsageInput!) {
  recordUsage(input: $in) { usageRecord { id credits } balance { remaining used } }
}`

type recorded struct {
	RecordUsage struct {
		UsageRecord struct {
			ID      string `json:"id"`
			Credits int    `json:"credits"`
		} `json:"usageRecord"`
		Balance struct {
			Remaining int `json:"remaining"`
			Used      int `json:"used"`
		} `json:"balance"`
	} `json:"recordUsage"`
}

// charge records CHAT usage through the API at base.
func charge(t *testing.T, base, key string, credits int) recorded {
	t.Helper()
	r, err := tryCharge(base, key, credits)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func tryCharge(base, key string, credits int) (recorded, error) {
	var out recorded
	err := tryGQL(base, key, recordUsage, map[string]any{"in": map[string]any{
		"category": "CHAT", "credits": credits, "idempotencyKey": fmt.Sprintf("sub-%d-%d", time.Now().UnixNano(), subSeq.Add(1)),
	}}, &out)
	return out, err
}

// wsClient speaks graphql-transport-ws, as the graphql-ws npm client does.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	msgs chan wsMessage
	// err is the read error that ended the connection (its close status).
	err  error
	done chan struct{}
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialWS opens a websocket to base's /graphql and sends connection_init with
// payload (nil: none). It does not wait for the acknowledgement.
func dialWS(t *testing.T, base string, payload any) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), subTimeout)
	defer cancel()
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"},
	})
	if err != nil {
		t.Fatalf("dialing websocket: %v", err)
	}
	if res.Header.Get("Sec-WebSocket-Protocol") != "graphql-transport-ws" {
		t.Fatalf("negotiated subprotocol %q", res.Header.Get("Sec-WebSocket-Protocol"))
	}
	c := &wsClient{t: t, conn: conn, msgs: make(chan wsMessage, 256), done: make(chan struct{})}
	t.Cleanup(func() { conn.CloseNow() })
	go c.read()
	init := wsMessage{Type: "connection_init"}
	if payload != nil {
		init.Payload, _ = json.Marshal(payload)
	}
	c.send(init)
	return c
}

// connectWS opens an authenticated connection and waits for its ack.
func connectWS(t *testing.T, base, key string) *wsClient {
	t.Helper()
	c := dialWS(t, base, map[string]string{"authorization": "Bearer " + key})
	if m := c.next(); m.Type != "connection_ack" {
		t.Fatalf("got %s, want connection_ack", m.Type)
	}
	return c
}

func (c *wsClient) read() {
	defer close(c.done)
	for {
		_, data, err := c.conn.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		var m wsMessage
		if err := json.Unmarshal(data, &m); err != nil {
			c.err = err
			return
		}
		if m.Type == "ping" {
			c.send(wsMessage{Type: "pong"})
			continue
		}
		c.msgs <- m
	}
}

func (c *wsClient) send(m wsMessage) {
	b, _ := json.Marshal(m)
	ctx, cancel := context.WithTimeout(context.Background(), subTimeout)
	defer cancel()
	_ = c.conn.Write(ctx, websocket.MessageText, b)
}

// subscribe starts operation id.
func (c *wsClient) subscribe(id, query string) {
	payload, _ := json.Marshal(map[string]any{"query": query})
	c.send(wsMessage{ID: id, Type: "subscribe", Payload: payload})
}

// next returns the next message, failing after subTimeout.
func (c *wsClient) next() wsMessage {
	c.t.Helper()
	m, ok := c.nextWithin(subTimeout)
	if !ok {
		c.t.Fatalf("no websocket message within %s (connection error: %v)", subTimeout, c.err)
	}
	return m
}

func (c *wsClient) nextWithin(d time.Duration) (wsMessage, bool) {
	select {
	case m := <-c.msgs:
		return m, true
	case <-c.done:
		select {
		case m := <-c.msgs:
			return m, true
		default:
			return wsMessage{}, false
		}
	case <-time.After(d):
		return wsMessage{}, false
	}
}

// nextData returns the next "next" message of operation id, decoded.
func (c *wsClient) nextData(id string, out any) {
	c.t.Helper()
	m := c.next()
	if m.Type != "next" || m.ID != id {
		c.t.Fatalf("got %s for %q: %s, want next for %q", m.Type, m.ID, m.Payload, id)
	}
	var p struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
		c.t.Fatalf("subscription payload with errors: %s", m.Payload)
	}
	if err := json.Unmarshal(p.Data, out); err != nil {
		c.t.Fatal(err)
	}
}

// quiet asserts nothing arrives for d.
func (c *wsClient) quiet(d time.Duration) {
	c.t.Helper()
	if m, ok := c.nextWithin(d); ok {
		c.t.Fatalf("unexpected message %s %s: %s", m.Type, m.ID, m.Payload)
	}
}

// closeStatus waits for the server to close the connection and returns the
// close code.
func (c *wsClient) closeStatus() websocket.StatusCode {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(subTimeout):
		c.t.Fatal("connection not closed")
	}
	return websocket.CloseStatus(c.err)
}

const balanceSubscription = `subscription { creditBalanceChanged { remaining used allowance bundleRemaining remainingValue { formatted } } }`

type balanceEvent struct {
	CreditBalanceChanged struct {
		Remaining       int `json:"remaining"`
		Used            int `json:"used"`
		Allowance       int `json:"allowance"`
		BundleRemaining int `json:"bundleRemaining"`
		RemainingValue  struct {
			Formatted string `json:"formatted"`
		} `json:"remainingValue"`
	} `json:"creditBalanceChanged"`
}

const usageSubscription = `subscription { usageRecorded { id category credits planCredits bundleCredits profilesProcessed agent { id name } value { formatted } } }`

type usageEvent struct {
	UsageRecorded struct {
		ID                string `json:"id"`
		Category          string `json:"category"`
		Credits           int    `json:"credits"`
		PlanCredits       int    `json:"planCredits"`
		ProfilesProcessed *int   `json:"profilesProcessed"`
		Agent             *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"agent"`
		Value struct {
			Formatted string `json:"formatted"`
		} `json:"value"`
	} `json:"usageRecorded"`
}

// waitSubscribed gives the server a moment to register a subscription sent
// just before (the protocol does not acknowledge subscribe).
func waitSubscribed(t *testing.T, e *subEnv, n int) {
	t.Helper()
	deadline := time.Now().Add(subTimeout)
	for {
		got := e.broker.(interface{ Subscribers() int }).Subscribers()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d subscriptions registered, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSubscriptionCreditBalanceChanged(t *testing.T) {
	eachSubEnv(t, func(t *testing.T, e *subEnv) {
		_, key := e.newAccount("Pro")
		c := connectWS(t, e.srv.URL, key)
		c.subscribe("bal", balanceSubscription)
		waitSubscribed(t, e, 1)

		// A charge: the new balance, as the mutation reported it.
		r := charge(t, e.srv.URL, key, 120)
		var ev balanceEvent
		c.nextData("bal", &ev)
		if got := ev.CreditBalanceChanged; got.Remaining != r.RecordUsage.Balance.Remaining || got.Used != 120 || got.Remaining != 5000-120 {
			t.Fatalf("after charge: %+v, want remaining %d used 120", got, r.RecordUsage.Balance.Remaining)
		}
		if ev.CreditBalanceChanged.RemainingValue.Formatted != "$48.80" {
			t.Fatalf("remainingValue %q", ev.CreditBalanceChanged.RemainingValue.Formatted)
		}

		// A purchase.
		var offers struct {
			BundleOffers []struct {
				ID      string `json:"id"`
				Credits int    `json:"credits"`
			} `json:"bundleOffers"`
		}
		gql(t, e.srv.URL, key, `{ bundleOffers { id credits } }`, nil, &offers)
		offer := offers.BundleOffers[0]
		gql(t, e.srv.URL, key, `mutation($in: PurchaseBundleInput!) { purchaseBundle(input: $in) { bundle { id } } }`,
			map[string]any{"in": map[string]any{"offerID": offer.ID, "idempotencyKey": "sub-buy-1"}}, nil)
		c.nextData("bal", &ev)
		if got := ev.CreditBalanceChanged; got.Remaining != 5000-120+offer.Credits || got.BundleRemaining != offer.Credits {
			t.Fatalf("after purchase: %+v, want remaining %d", got, 5000-120+offer.Credits)
		}

		// Completing the operation ends it; the gauge follows.
		if got := gauge(t, e, "aiusage_subscriptions_active"); got != 1 {
			t.Fatalf("aiusage_subscriptions_active = %v, want 1", got)
		}
		c.send(wsMessage{ID: "bal", Type: "complete"})
		waitGauge(t, e, "aiusage_subscriptions_active", 0)
	})
}

func TestSubscriptionUsageRecorded(t *testing.T) {
	eachSubEnv(t, func(t *testing.T, e *subEnv) {
		_, key := e.newAccount("Pro")
		var created struct {
			CreateAgent struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"createAgent"`
		}
		gql(t, e.srv.URL, key, `mutation { createAgent(input: { name: "Lead finder", frequency: DAILY }) { id name } }`, nil, &created)

		c := connectWS(t, e.srv.URL, key)
		c.subscribe("use", usageSubscription)
		waitSubscribed(t, e, 1)

		var run recorded
		gql(t, e.srv.URL, key, recordUsage, map[string]any{"in": map[string]any{
			"category": "AGENT", "credits": 35, "agentID": created.CreateAgent.ID, "profilesProcessed": 12, "idempotencyKey": "run-1",
		}}, &run)
		var ev usageEvent
		c.nextData("use", &ev)
		got := ev.UsageRecorded
		if got.ID != run.RecordUsage.UsageRecord.ID || got.Category != "AGENT" || got.Credits != 35 || got.PlanCredits != 35 {
			t.Fatalf("usageRecorded %+v, want record %s of 35 AGENT credits", got, run.RecordUsage.UsageRecord.ID)
		}
		if got.Agent == nil || got.Agent.ID != created.CreateAgent.ID || got.Agent.Name != "Lead finder" {
			t.Fatalf("agent %+v, want %+v", got.Agent, created.CreateAgent)
		}
		if got.ProfilesProcessed == nil || *got.ProfilesProcessed != 12 || got.Value.Formatted != "$0.35" {
			t.Fatalf("profilesProcessed %v, value %q", got.ProfilesProcessed, got.Value.Formatted)
		}

		// A batch: one event per record, in order; a replay adds nothing.
		var batch struct {
			RecordUsageBatch struct {
				Items []struct {
					UsageRecord struct {
						ID string `json:"id"`
					} `json:"usageRecord"`
				} `json:"items"`
			} `json:"recordUsageBatch"`
		}
		gql(t, e.srv.URL, key, `mutation($in: [RecordUsageInput!]!) { recordUsageBatch(inputs: $in) { items { usageRecord { id } } } }`,
			map[string]any{"in": []map[string]any{
				{"category": "IMAGE", "quantity": 2, "idempotencyKey": "img-1"},
				{"category": "CHAT", "credits": 4, "idempotencyKey": "run-1"}, // same key, other payload: rejected
				{"category": "VIDEO", "idempotencyKey": "vid-1"},
			}}, &batch)
		items := batch.RecordUsageBatch.Items
		for _, want := range []struct {
			id, category string
		}{{items[0].UsageRecord.ID, "IMAGE"}, {items[2].UsageRecord.ID, "VIDEO"}} {
			c.nextData("use", &ev)
			if ev.UsageRecorded.ID != want.id || ev.UsageRecorded.Category != want.category || ev.UsageRecorded.Agent != nil {
				t.Fatalf("got %+v, want %s record %s", ev.UsageRecorded, want.category, want.id)
			}
		}
		c.quiet(300 * time.Millisecond)
	})
}

// A subscriber only ever receives its own account's events.
func TestSubscriptionsDoNotLeakAcrossAccounts(t *testing.T) {
	eachSubEnv(t, func(t *testing.T, e *subEnv) {
		_, keyA := e.newAccount("Pro")
		_, keyB := e.newAccount("Starter")
		a := connectWS(t, e.srv.URL, keyA)
		a.subscribe("bal", balanceSubscription)
		a.subscribe("use", usageSubscription)
		b := connectWS(t, e.srv.URL, keyB)
		b.subscribe("bal", balanceSubscription)
		b.subscribe("use", usageSubscription)
		waitSubscribed(t, e, 4)

		// B's charge first: had it leaked, it would reach A before A's own.
		rb := charge(t, e.srv.URL, keyB, 7)
		ra := charge(t, e.srv.URL, keyA, 11)

		for _, tc := range []struct {
			c    *wsClient
			rec  recorded
			left int
		}{{a, ra, 5000 - 11}, {b, rb, 1000 - 7}} {
			got := map[string]bool{}
			for range 2 {
				m := tc.c.next()
				var p struct {
					Data struct {
						balanceEvent
						usageEvent
					} `json:"data"`
				}
				if err := json.Unmarshal(m.Payload, &p); err != nil {
					t.Fatal(err)
				}
				switch m.ID {
				case "bal":
					if r := p.Data.CreditBalanceChanged.Remaining; r != tc.left {
						t.Fatalf("balance event with remaining %d, want %d (another account's?)", r, tc.left)
					}
				case "use":
					if id := p.Data.UsageRecorded.ID; id != tc.rec.RecordUsage.UsageRecord.ID {
						t.Fatalf("usage event for record %s, want %s", id, tc.rec.RecordUsage.UsageRecord.ID)
					}
				}
				got[m.ID] = true
			}
			if !got["bal"] || !got["use"] {
				t.Fatalf("got events %v, want one of each", got)
			}
		}
		a.quiet(300 * time.Millisecond)
		b.quiet(0)
	})
}

func TestSubscriptionRejectsBadKeysWith4403(t *testing.T) {
	e := newSubEnv(t, testdb.SQLite(t), "")
	_, key := e.newAccount("Pro")
	for name, payload := range map[string]any{
		"wrong key":      map[string]string{"authorization": "Bearer aiu_not-a-real-key"},
		"no scheme":      map[string]string{"authorization": key},
		"no payload":     nil,
		"empty payload":  map[string]string{},
		"revoked format": map[string]string{"authorization": "Bearer "},
	} {
		t.Run(name, func(t *testing.T) {
			c := dialWS(t, e.srv.URL, payload)
			if code := c.closeStatus(); code != httpserver.CloseForbidden {
				t.Fatalf("close code %d, want 4403 (error %v)", code, c.err)
			}
			select {
			case m := <-c.msgs:
				t.Fatalf("got %s before the close", m.Type)
			default:
			}
		})
	}
	// The HTTP API is unaffected, and a websocket-looking request that is not
	// one still needs the header.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { id } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Upgrade", "websocket")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("POST with Upgrade and no key: status %d, want 401", res.StatusCode)
	}
}

// Subscriptions need the websocket transport; over plain HTTP they fail
// cleanly instead of hanging the request.
func TestSubscriptionOverHTTPIsRefused(t *testing.T) {
	e := newSubEnv(t, testdb.SQLite(t), "")
	_, key := e.newAccount("Pro")
	body, _ := json.Marshal(map[string]any{"query": balanceSubscription})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	ctx, cancel := context.WithTimeout(context.Background(), subTimeout)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(raw), "INVALID_ARGUMENT") || !strings.Contains(string(raw), "websocket") {
		t.Fatalf("got %s", raw)
	}
}

// Queries work over the websocket too, as the viewer of the connection.
func TestWebsocketQueriesActAsTheConnectionsAccount(t *testing.T) {
	e := newSubEnv(t, testdb.SQLite(t), "")
	id, key := e.newAccount("Business")
	c := connectWS(t, e.srv.URL, key)
	c.subscribe("q", `{ viewer { id name plan { name } } creditBalance { remaining } }`)
	var out struct {
		Viewer struct {
			ID   string `json:"id"`
			Plan struct {
				Name string `json:"name"`
			} `json:"plan"`
		} `json:"viewer"`
		CreditBalance struct {
			Remaining int `json:"remaining"`
		} `json:"creditBalance"`
	}
	c.nextData("q", &out)
	if out.Viewer.Plan.Name != "Business" || out.CreditBalance.Remaining != 20000 || out.Viewer.ID != fmt.Sprint(id) {
		t.Fatalf("got %+v", out)
	}
	if m := c.next(); m.Type != "complete" || m.ID != "q" {
		t.Fatalf("got %s %s, want complete", m.Type, m.ID)
	}
}

// Server shutdown closes open websockets so clients reconnect at once.
func TestWebsocketsCloseOnShutdown(t *testing.T) {
	d := testdb.SQLite(t)
	ledger := credits.New(d.Client, d.Dialect)
	done := make(chan struct{})
	srv := httptest.NewServer(httpserver.New(httpserver.Config{Client: d.Client, Credits: ledger, Events: events.NewLocal(), Done: done}))
	defer srv.Close()
	key, _, _ := auth.NewKey()
	if _, err := ledger.CreateAccount(context.Background(), "Shut", "Pro", auth.HashKey(key)); err != nil {
		t.Fatal(err)
	}
	c := connectWS(t, srv.URL, key)
	c.subscribe("bal", balanceSubscription)
	time.Sleep(50 * time.Millisecond)
	close(done)
	if code := c.closeStatus(); code != websocket.StatusNormalClosure {
		t.Fatalf("close code %d, want 1000", code)
	}
}

// gauge reads one unlabelled metric from /metrics.
func gauge(t *testing.T, e *subEnv, name string) float64 {
	t.Helper()
	res, err := http.Get(e.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	t.Fatalf("metric %s not found", name)
	return 0
}

func waitGauge(t *testing.T, e *subEnv, name string, want float64) {
	t.Helper()
	deadline := time.Now().Add(subTimeout)
	for gauge(t, e, name) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s = %v, want %v", name, gauge(t, e, name), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Operations on a websocket count against the key's rate limit, as HTTP
// requests do.
func TestWebsocketOperationsAreRateLimited(t *testing.T) {
	d := testdb.SQLite(t)
	ledger := credits.New(d.Client, d.Dialect)
	srv := httptest.NewServer(httpserver.New(httpserver.Config{
		Client: d.Client, Credits: ledger, Events: events.NewLocal(), RateLimit: 0.001, RateBurst: 2,
	}))
	defer srv.Close()
	key, _, _ := auth.NewKey()
	if _, err := ledger.CreateAccount(context.Background(), "Busy", "Pro", auth.HashKey(key)); err != nil {
		t.Fatal(err)
	}
	c := connectWS(t, srv.URL, key) // takes one token
	c.subscribe("1", `{ viewer { id } }`)
	if m := c.next(); m.Type != "next" || strings.Contains(string(m.Payload), "errors") {
		t.Fatalf("first operation: %s %s", m.Type, m.Payload)
	}
	c.next() // complete
	c.subscribe("2", balanceSubscription)
	if m := c.next(); !strings.Contains(string(m.Payload), graph.CodeRateLimited) {
		t.Fatalf("second operation: %s %s, want RATE_LIMITED", m.Type, m.Payload)
	}
	// A new connection is refused with 1013 (try again later), not 4403.
	if code := dialWS(t, srv.URL, map[string]string{"authorization": "Bearer " + key}).closeStatus(); code != httpserver.CloseTryAgainLater {
		t.Fatalf("close code %d, want 1013", code)
	}
}
