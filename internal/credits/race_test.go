package credits_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// TestThousandChargesOnSixHundredCredits: exactly the affordable charges
// succeed, the rest are refused, and the balance ends at exactly zero.
func TestThousandChargesOnSixHundredCredits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		acct := f.account("Starter")
		f.mustChat(acct, 400, "setup") // 600 left
		var ok, refused, other atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 1000; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.chat(acct, 1, fmt.Sprintf("k-%d", i))
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, credits.ErrInsufficientCredits):
					refused.Add(1)
				default:
					other.Add(1)
					t.Errorf("unexpected error: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 600 || refused.Load() != 400 || other.Load() != 0 {
			t.Fatalf("%d charged, %d refused, %d failed; want 600, 400, 0", ok.Load(), refused.Load(), other.Load())
		}
		if b := f.balance(acct); b.Remaining != 0 || f.recordCount(acct) != 601 {
			t.Fatalf("balance %+v with %d records", b, f.recordCount(acct))
		}
		f.verify(acct)
	})
}

// TestPurchasesInterleavedWithCharges: every credit bought is either spent
// or still there, whatever the interleaving.
func TestPurchasesInterleavedWithCharges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		acct := f.account("Starter") // 1,000
		offer := f.offer(100, 0)
		var charged, bought atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 60; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				if _, err := f.ledger.PurchaseBundle(f.ctx, acct, offer, fmt.Sprintf("buy-%d", i%30)); err != nil {
					t.Errorf("purchase: %v", err)
					return
				}
				bought.Add(1)
			}()
			go func() {
				defer wg.Done()
				_, err := f.chat(acct, 70, fmt.Sprintf("charge-%d", i))
				if err == nil {
					charged.Add(70)
				} else if !errors.Is(err, credits.ErrInsufficientCredits) {
					t.Errorf("charge: %v", err)
				}
			}()
		}
		wg.Wait()
		// 60 purchase calls over 30 keys buy exactly 30 bundles.
		b := f.balance(acct)
		total := int64(1000 + 30*100)
		if bought.Load() != 60 || b.Remaining != total-charged.Load() || b.Used != charged.Load() || b.BundleCredits > 3000 {
			t.Fatalf("remaining %d, used %d, charged %d of %d", b.Remaining, b.Used, charged.Load(), total)
		}
		f.verify(acct)
	})
}

// TestChargesRacingRollOver: the clock crosses the period end while charges
// run; each charge lands in exactly one period and nothing is lost.
func TestChargesRacingRollOver(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, date(2026, 5, 20, 15))
		acct := f.account("Starter") // period ends 2026-06-20 00:00
		f.clock.Set(date(2026, 6, 19, 23).Add(59*time.Minute + 59*time.Second))
		var wg sync.WaitGroup
		var ok atomic.Int64
		for i := 0; i < 300; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == 150 {
					f.clock.Advance(2 * time.Second) // into the next period
				}
				if _, err := f.chat(acct, 3, fmt.Sprintf("r-%d", i)); err != nil {
					t.Errorf("charge: %v", err)
					return
				}
				ok.Add(1)
			}()
		}
		wg.Wait()
		b := f.balance(acct)
		if !b.PeriodStart.Equal(date(2026, 6, 20, 0)) {
			t.Fatalf("period did not roll: %+v", b)
		}
		inNewPeriod, err := f.client.UsageRecord.Query().
			Where(usagerecord.AccountID(acct), usagerecord.ChargedAtGTE(b.PeriodStart)).Count(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ok.Load() != 300 || f.recordCount(acct) != 300 {
			t.Fatalf("%d charged, %d records, want 300", ok.Load(), f.recordCount(acct))
		}
		// Charges after the boundary are this period's; the rest expired with May's plan credits.
		if b.Used != int64(3*inNewPeriod) || b.Remaining != 1000-b.Used {
			t.Fatalf("balance after roll-over race: %+v", b)
		}
		f.verify(acct)
	})
}
