package httpserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// TestHostileInputWritesNothing sends the inputs an attacker or a buggy
// client would, and checks each gets a clear client error and no charge.
func TestHostileInputWritesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Target", "Pro")
		const charge = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { usageRecord { id } } }`
		cases := []struct {
			name string
			in   map[string]any
			code string
		}{
			{"10 KB idempotency key", map[string]any{"category": "CHAT", "credits": 5, "idempotencyKey": strings.Repeat("k", 10_240)}, "INVALID_ARGUMENT"},
			{"credits beyond int64", map[string]any{"category": "CHAT", "credits": 1e20, "idempotencyKey": "big"}, "GRAPHQL_VALIDATION_FAILED"},
			{"credits beyond the limit", map[string]any{"category": "CHAT", "credits": 1 << 40, "idempotencyKey": "big2"}, "INVALID_ARGUMENT"},
			{"negative quantity", map[string]any{"category": "VIDEO", "quantity": -3, "idempotencyKey": "neg"}, "INVALID_ARGUMENT"},
			{"fractional credits", map[string]any{"category": "CHAT", "credits": 1.5, "idempotencyKey": "frac"}, "GRAPHQL_VALIDATION_FAILED"},
			{"unknown category", map[string]any{"category": "SOUND", "credits": 5, "idempotencyKey": "cat"}, "GRAPHQL_VALIDATION_FAILED"},
		}
		for _, c := range cases {
			r := a.do(charge, map[string]any{"in": c.in})
			if got := r.Codes(); len(got) == 0 || got[0] != c.code {
				t.Errorf("%s: codes %v, want %s (HTTP %d)", c.name, got, c.code, r.Status)
			}
		}
		// Invalid UTF-8 in the raw body: never a server error, never stored as is.
		raw := []byte(`{"query":"mutation { recordUsage(input: {category: CHAT, credits: 5, idempotencyKey: \"utf-` + "\xff\xfe" + `\"}) { usageRecord { idempotencyKey } } }"}`)
		if r := e.postRaw("Bearer "+a.Key, raw); r.Status >= 500 {
			t.Errorf("invalid UTF-8: HTTP %d", r.Status)
		}
		// A JSON array of operations (batching) is refused outright.
		if r := e.postRaw("Bearer "+a.Key, []byte(`[{"query":"{ viewer { name } }"},{"query":"{ viewer { name } }"}]`)); r.Status == http.StatusOK && r.HasData() {
			t.Errorf("batched operations were executed: %s", r.Raw)
		}
		// Aliasing a database field many times hits the complexity limit.
		var q strings.Builder
		q.WriteString("{")
		for i := 0; i < 120; i++ {
			fmt.Fprintf(&q, " b%d: creditBalance { remaining }", i)
		}
		q.WriteString(" }")
		if r := a.do(q.String(), nil); r.HasData() || len(r.Codes()) == 0 || r.Codes()[0] != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Errorf("120 aliased balances: codes %v", r.Codes())
		}
		if n := a.recordCount(); n > 1 {
			t.Fatalf("hostile input wrote %d records", n)
		}
		if b := a.balance(); b.Remaining < 4995 {
			t.Fatalf("hostile input charged credits: %+v", b)
		}
	})
}
