package credits_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// TestConcurrentChargesNeverOverspend races 200 charges at an account whose
// balance covers exactly 150 of them.
func TestConcurrentChargesNeverOverspend(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		acct := f.account("Starter")           // 1,000 plan credits
		f.buy(acct, f.offer(500, 0), "top-up") // + 500 bundle credits
		const attempts, each, affordable = 200, 10, 150

		var wg sync.WaitGroup
		var mu sync.Mutex
		results := map[string]int{}
		for i := 0; i < attempts; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.chat(acct, each, fmt.Sprintf("race-%d", i))
				outcome := "ok"
				switch {
				case errors.Is(err, credits.ErrInsufficientCredits):
					outcome = "insufficient"
				case err != nil:
					outcome = err.Error()
				}
				mu.Lock()
				results[outcome]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if results["ok"] != affordable || results["insufficient"] != attempts-affordable {
			t.Fatalf("outcomes %v, want %d ok and %d insufficient", results, affordable, attempts-affordable)
		}
		b := f.balance(acct)
		if b.Remaining != 0 || b.Used != 1500 || f.recordCount(acct) != affordable {
			t.Fatalf("after the race: %+v with %d records", b, f.recordCount(acct))
		}
		f.verify(acct)
	})
}

// TestConcurrentRetriesChargeOnce sends one idempotency key from many
// goroutines at once.
func TestConcurrentRetriesChargeOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		acct := f.account("Pro")
		var wg sync.WaitGroup
		ids := make(chan int, 50)
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.chat(acct, 7, "same-key")
				if err != nil {
					t.Errorf("retry failed: %v", err)
					return
				}
				ids <- res.Record.ID
			}()
		}
		wg.Wait()
		close(ids)
		seen := map[int]bool{}
		for id := range ids {
			seen[id] = true
		}
		if len(seen) != 1 || f.balance(acct).Remaining != 4993 || f.recordCount(acct) != 1 {
			t.Fatalf("same key charged %d records, remaining %d", len(seen), f.balance(acct).Remaining)
		}
		f.verify(acct)
	})
}
