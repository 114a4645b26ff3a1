package httpserver_test

import (
	"testing"

	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

const batchMutation = `mutation($inputs: [RecordUsageInput!]!) { recordUsageBatch(inputs: $inputs) {
	items { replayed error { code message } usageRecord { id category credits idempotencyKey } }
	balance { remaining used } } }`

type batchPayload struct {
	RecordUsageBatch struct {
		Items []struct {
			Replayed bool `json:"replayed"`
			Error    *struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
			UsageRecord *usageRecord `json:"usageRecord"`
		} `json:"items"`
		Balance struct {
			Remaining int64 `json:"remaining"`
			Used      int64 `json:"used"`
		} `json:"balance"`
	} `json:"recordUsageBatch"`
}

func TestRecordUsageBatch(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		other := e.account("Other", "Pro")
		otherAgent := other.agent("Not yours", "DAILY")
		inputs := []map[string]any{
			{"category": "IMAGE", "quantity": 2, "idempotencyKey": "b-1"},
			{"category": "IMAGE", "quantity": 0, "idempotencyKey": "b-2"},
			{"category": "CHAT", "credits": 100, "idempotencyKey": "b-3"},
			{"category": "CHAT", "credits": 999_999, "idempotencyKey": "b-4"},
			{"category": "AGENT", "credits": 5, "agentID": id(otherAgent), "idempotencyKey": "b-5"},
			{"category": "VIDEO", "idempotencyKey": "b-6"},
		}
		wantCodes := []string{"", "INVALID_ARGUMENT", "", "INSUFFICIENT_CREDITS", "NOT_FOUND", ""}
		wantCredits := []int64{20, 0, 100, 0, 0, 190}

		check := func(out batchPayload, replayed bool) []string {
			t.Helper()
			items := out.RecordUsageBatch.Items
			if len(items) != len(inputs) {
				t.Fatalf("%d items for %d inputs", len(items), len(inputs))
			}
			var ids []string
			for i, it := range items {
				code := ""
				if it.Error != nil {
					code = it.Error.Code
				}
				if code != wantCodes[i] {
					t.Fatalf("item %d: error %+v, want %q", i, it.Error, wantCodes[i])
				}
				if code != "" {
					if it.UsageRecord != nil || it.Error.Message == "" {
						t.Fatalf("rejected item %d: record %+v, message %q", i, it.UsageRecord, it.Error.Message)
					}
					ids = append(ids, "")
					continue
				}
				if it.UsageRecord == nil || it.UsageRecord.Credits != wantCredits[i] || it.Replayed != replayed ||
					it.UsageRecord.IdempotencyKey != inputs[i]["idempotencyKey"] {
					t.Fatalf("item %d = %+v (replayed %v), want %d credits, replayed %v", i, it.UsageRecord, it.Replayed, wantCredits[i], replayed)
				}
				ids = append(ids, it.UsageRecord.ID)
			}
			if out.RecordUsageBatch.Balance.Remaining != 5000-310 {
				t.Fatalf("batch balance = %+v, want 4,690 remaining", out.RecordUsageBatch.Balance)
			}
			return ids
		}
		var first batchPayload
		a.query(batchMutation, map[string]any{"inputs": inputs}, &first)
		ids := check(first, false)
		if a.recordCount() != 3 || a.balance().Remaining != 4690 {
			t.Fatalf("after batch: %d records, remaining %d", a.recordCount(), a.balance().Remaining)
		}
		if other.recordCount() != 0 || other.balance().Remaining != 5000 {
			t.Fatal("the batch touched another account")
		}

		// Replaying the batch charges nothing and returns the same records.
		var again batchPayload
		a.query(batchMutation, map[string]any{"inputs": inputs}, &again)
		requireIDs(t, "replayed batch", check(again, true), ids)
		if a.recordCount() != 3 || a.balance().Remaining != 4690 {
			t.Fatalf("after replay: %d records, remaining %d", a.recordCount(), a.balance().Remaining)
		}
		a.verify()

		// A changed payload under a used key is rejected in its item only.
		var reused batchPayload
		a.query(batchMutation, map[string]any{"inputs": []map[string]any{
			{"category": "IMAGE", "quantity": 3, "idempotencyKey": "b-1"},
			{"category": "IMAGE", "quantity": 1, "idempotencyKey": "b-7"},
		}}, &reused)
		items := reused.RecordUsageBatch.Items
		if len(items) != 2 || items[0].Error == nil || items[0].Error.Code != "IDEMPOTENCY_KEY_REUSED" ||
			items[1].Error != nil || items[1].UsageRecord == nil || reused.RecordUsageBatch.Balance.Remaining != 4680 {
			t.Fatalf("batch with a reused key = %+v", reused)
		}

		// Batch size is 1 to 100.
		for _, n := range []int{0, 101} {
			in := make([]map[string]any, n)
			for i := range in {
				in[i] = map[string]any{"category": "IMAGE", "idempotencyKey": keyN("many", i)}
			}
			r := a.expectError(batchMutation, map[string]any{"inputs": in}, "INVALID_ARGUMENT")
			requireNoData(t, r, "recordUsageBatch")
		}
		if a.recordCount() != 4 {
			t.Fatalf("%d records, want 4", a.recordCount())
		}
	})
}
