package httpserver_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vistasocial/aiusage/ent/usagedraw"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestComplexityLimit(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		a.agent("Reporter", "DAILY")

		const nested = `agents(first: 100) { edges { node { runs(first: 100) { edges { node { id credits } } } } } }`
		tooComplex := []struct{ name, query string }{
			{"nested connections", `{ ` + nested + ` }`},
			{"aliased nested connections", `{ a: ` + nested + ` b: ` + nested + ` c: ` + nested + ` }`},
			{"many aliased pages", `{ ` + aliases(60, `usageRecords(first: 100) { edges { node { id credits agent { name } } } }`) + ` }`},
			{"many aliased balances", `{ ` + aliases(2000, `creditBalance { remaining used }`) + ` }`},
		}
		for _, tc := range tooComplex {
			r := a.do(tc.query, nil)
			requireCode(t, r, "COMPLEXITY_LIMIT_EXCEEDED")
			if r.HasData() {
				t.Fatalf("%s: over-complex query returned data: %.300s", tc.name, r.Data)
			}
			if !strings.Contains(r.Errors[0].Message, "5000") {
				t.Fatalf("%s: message %q does not name the limit %d", tc.name, r.Errors[0].Message, httpserver.ComplexityLimit)
			}
		}
		// A sensible dashboard-sized query passes.
		var out struct {
			Agents connection[struct{ Name string }]
		}
		a.query(`{ agents(first: 10) { edges { node { name runs(first: 10) { edges { node { id credits } } } } } } }`, nil, &out)
		if len(out.Agents.Edges) != 1 {
			t.Fatalf("dashboard-sized query: %+v", out)
		}
	})
}

func aliases(n int, field string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("f")
		b.WriteString(id(i))
		b.WriteString(": ")
		b.WriteString(field)
		b.WriteString(" ")
	}
	return b.String()
}

func TestRequestLimits(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		bearer := "Bearer " + a.Key

		// A mutation padded past 1 MiB is refused and charges nothing.
		padded := func(size int) []byte {
			q := `mutation { recordUsage(input: {category: IMAGE, idempotencyKey: "big"}) { usageRecord { id } } }`
			body, err := json.Marshal(map[string]any{"query": q + " #" + strings.Repeat("x", size)})
			if err != nil {
				t.Fatal(err)
			}
			return body
		}
		big := padded(httpserver.MaxBodyBytes)
		if len(big) <= httpserver.MaxBodyBytes {
			t.Fatalf("test body of %d bytes is not over the limit", len(big))
		}
		r := e.postRaw(bearer, big)
		if r.Status == http.StatusOK && r.HasData() {
			t.Fatalf("body over 1 MiB was executed: %.300s", r.Raw)
		}
		if len(r.Errors) == 0 {
			t.Fatalf("body over 1 MiB: HTTP %d with no error", r.Status)
		}
		if n := a.recordCount(); n != 0 {
			t.Fatalf("body over 1 MiB charged: %d records", n)
		}
		// Just under the limit is executed.
		r = e.postRaw(bearer, padded(httpserver.MaxBodyBytes-200))
		if r.Status != http.StatusOK || len(r.Errors) > 0 || a.recordCount() != 1 {
			t.Fatalf("body under 1 MiB: HTTP %d %.300s", r.Status, r.Raw)
		}

		// Malformed GraphQL.
		for _, q := range []string{`{ viewer { `, `query { creditBalance { remaining }`, `mutation {`, `{ viewer { id } } }`} {
			r := a.do(q, nil)
			requireCode(t, r, "GRAPHQL_PARSE_FAILED")
			if r.HasData() {
				t.Fatalf("parse failure %q returned data", q)
			}
		}
		// Unknown fields fail validation.
		requireCode(t, a.do(`{ viewer { apiKeyHash } }`, nil), "GRAPHQL_VALIDATION_FAILED")
		requireCode(t, a.do(`{ usageDraws { id } }`, nil), "GRAPHQL_VALIDATION_FAILED")

		// nodes(ids:) is bounded like every list.
		ids := make([]string, 101)
		for i := range ids {
			ids[i] = id(a.ID)
		}
		r = a.expectError(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}, "INVALID_ARGUMENT")
		requireNoData(t, r, "nodes")

		// Mutations are not accepted over GET.
		q := url.Values{"query": {`mutation { recordUsage(input: {category: IMAGE, idempotencyKey: "via-get"}) { usageRecord { id } } }`}}
		req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", bearer)
		if r := e.send(req); r.Status == http.StatusOK || a.recordCount() != 1 {
			t.Fatalf("mutation over GET: HTTP %d, %d records: %s", r.Status, a.recordCount(), r.Raw)
		}
	})
}

// TestClientErrorsAreNotInternal checks that requests the client got wrong
// are answered with a client error code, never INTERNAL (which pages
// operators and tells the caller nothing).
func TestClientErrorsAreNotInternal(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		bearer := "Bearer " + a.Key
		a.buy(1000, "b")
		a.chargeAt(usagerecord.CategoryCHAT, 5001, nil, testNow, "draws-from-bundle")
		drawID, err := e.client.UsageDraw.Query().Where(usagedraw.CreditsGT(0)).FirstID(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantOneOf := func(name string, r *response, codes ...string) {
			t.Helper()
			if len(r.Errors) == 0 {
				t.Errorf("%s: want an error with code %v, got none: HTTP %d %s", name, codes, r.Status, r.Raw)
				return
			}
			for _, c := range codes {
				if r.Errors[0].Code() == c {
					return
				}
			}
			t.Errorf("%s: want code %v, got %v (HTTP %d): %s", name, codes, r.Codes(), r.Status, r.Raw)
		}

		malformedIDs := []struct{ name, query string }{
			{"node(id: \"abc\")", `{ node(id: "abc") { id } }`},
			{"node(id: \"\")", `{ node(id: "") { id } }`},
			{"node(id: \"1.5\")", `{ node(id: "1.5") { id } }`},
			{"node(id: huge)", `{ node(id: "99999999999999999999999") { id } }`},
			{"nodes(ids: [\"abc\"])", `{ nodes(ids: ["abc"]) { id } }`},
			{"updateAgent(id: \"abc\")", `mutation { updateAgent(id: "abc", input: {name: "x"}) { id } }`},
			{"purchaseBundle(offerID: \"abc\")", `mutation { purchaseBundle(input: {offerID: "abc", idempotencyKey: "k"}) { bundle { id } } }`},
			{"recordUsage(agentID: \"abc\")", `mutation { recordUsage(input: {category: AGENT, credits: 1, agentID: "abc", idempotencyKey: "k"}) { usageRecord { id } } }`},
		}
		for _, tc := range malformedIDs {
			r := a.do(tc.query, nil)
			wantOneOf(tc.name, r, "INVALID_ARGUMENT", "NOT_FOUND")
			if r.HasData() && !bytes.Contains(r.Data, []byte("null")) {
				t.Errorf("%s: returned data %s", tc.name, r.Data)
			}
		}
		// IDs of internal objects, or of no type at all, are simply not found.
		for _, n := range []int{drawID, 1 << 40} {
			r := a.do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id(n)})
			wantOneOf("node("+id(n)+")", r, "NOT_FOUND")
			requireNoData(t, r, "node")
		}
		for _, n := range []string{"0", "-5"} {
			r := a.do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": n})
			wantOneOf("node("+n+")", r, "NOT_FOUND", "INVALID_ARGUMENT")
			requireNoData(t, r, "node")
		}
		if a.balance().Remaining != 5000+1000-5001 {
			t.Fatal("malformed requests changed the balance")
		}

		// Transport-level mistakes.
		r := e.postRaw(bearer, []byte(`{"query": `))
		if r.Status != http.StatusBadRequest {
			t.Errorf("truncated JSON body: HTTP %d, want 400", r.Status)
		}
		wantOneOf("truncated JSON body", r, "INVALID_ARGUMENT", "BAD_REQUEST", "GRAPHQL_PARSE_FAILED")
		big, err := json.Marshal(map[string]any{"query": `{ viewer { id } } #` + strings.Repeat("x", httpserver.MaxBodyBytes)})
		if err != nil {
			t.Fatal(err)
		}
		r = e.postRaw(bearer, big)
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("body over 1 MiB: HTTP %d, want 413", r.Status)
		}
		wantOneOf("body over 1 MiB", r, "INVALID_ARGUMENT", "REQUEST_TOO_LARGE", "PAYLOAD_TOO_LARGE")
	})
}
