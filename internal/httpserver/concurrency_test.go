package httpserver_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// TestConcurrentRequests sends charges in parallel through the HTTP API:
// retries of one key charge once, and competing charges never overspend.
func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")

		run := func(n int, input func(i int) map[string]any) (ok []string, codes map[string]int) {
			t.Helper()
			var (
				mu   sync.Mutex
				wg   sync.WaitGroup
				errs []error
			)
			codes = map[string]int{}
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := e.tryPost("Bearer "+a.Key, recordUsageBasic, map[string]any{"input": input(i)})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err != nil:
						errs = append(errs, err)
					case len(r.Errors) > 0:
						codes[r.Errors[0].Code()]++
					default:
						var out recordUsagePayload
						if err := json.Unmarshal(r.Data, &out); err != nil {
							errs = append(errs, err)
							return
						}
						ok = append(ok, out.RecordUsage.UsageRecord.ID)
					}
				}()
			}
			wg.Wait()
			if len(errs) > 0 {
				t.Fatalf("%d requests failed: %v", len(errs), errs[0])
			}
			return ok, codes
		}

		// 20 simultaneous retries of one charge: one record, charged once.
		ok, codes := run(20, func(int) map[string]any {
			return map[string]any{"category": "IMAGE", "quantity": 2, "idempotencyKey": "same"}
		})
		if len(ok) != 20 || len(codes) != 0 {
			t.Fatalf("retries: %d succeeded, errors %v; want all 20 to return the record", len(ok), codes)
		}
		for _, id := range ok {
			if id != ok[0] {
				t.Fatalf("retries returned different records: %v", ok)
			}
		}
		if got := a.balance().Remaining; got != 4980 || a.recordCount() != 1 {
			t.Fatalf("after 20 retries: remaining %d, %d records; want 4980, 1", got, a.recordCount())
		}

		// 30 charges of 200 against 4,980 credits: exactly 24 fit.
		ok, codes = run(30, func(i int) map[string]any {
			return map[string]any{"category": "CHAT", "credits": 200, "idempotencyKey": keyN("chat", i)}
		})
		if len(ok) != 24 || codes["INSUFFICIENT_CREDITS"] != 6 || len(codes) != 1 {
			t.Fatalf("competing charges: %d succeeded, errors %v; want 24 and 6 INSUFFICIENT_CREDITS", len(ok), codes)
		}
		if got := a.balance(); got.Remaining != 180 || got.Used != 4820 || a.recordCount() != 25 {
			t.Fatalf("after competing charges: %+v, %d records", got, a.recordCount())
		}
		a.verify()
	})
}
