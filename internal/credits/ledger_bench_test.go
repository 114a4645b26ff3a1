package credits_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// Benchmarks of the ledger's charge path, on SQLite and (with
// TEST_DATABASE_URL) PostgreSQL. They time; they assert nothing about time.
//
//	go test ./internal/credits -run '^$' -bench RecordUsage -benchtime 2000x

// BenchmarkRecordUsage charges one event per operation: the recordUsage path
// without HTTP and GraphQL.
func BenchmarkRecordUsage(b *testing.B) {
	benchEachDB(b, func(b *testing.B, d *db.DB) {
		ledger, acct := benchLedgerAccount(b, d)
		ctx := context.Background()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			if _, err := ledger.RecordUsage(ctx, acct, benchChat(n)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	})
}

// BenchmarkRecordUsageBatch100 charges a batch of 100 events per operation:
// the recordUsageBatch path, one transaction per batch.
func BenchmarkRecordUsageBatch100(b *testing.B) {
	benchEachDB(b, func(b *testing.B, d *db.DB) {
		ledger, acct := benchLedgerAccount(b, d)
		ctx := context.Background()
		batch := make([]credits.UsageInput, credits.MaxBatch)
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for i := range batch {
				n++
				batch[i] = benchChat(n)
			}
			res, err := ledger.RecordUsageBatch(ctx, acct, batch)
			if err != nil {
				b.Fatal(err)
			}
			for _, it := range res.Items {
				if it.Err != nil {
					b.Fatal(it.Err)
				}
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	})
}

// benchEachDB runs fn as a sub-benchmark per database, like testdb.Each.
func benchEachDB(b *testing.B, fn func(b *testing.B, d *db.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, testdb.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, testdb.Postgres(b)) })
}

// benchLedgerAccount opens a Business account holding a bundle no benchmark
// can exhaust: a rejected charge would time the wrong path.
func benchLedgerAccount(b *testing.B, d *db.DB) (*credits.Service, int) {
	b.Helper()
	ctx := context.Background()
	ledger := credits.New(d.Client, d.Dialect)
	_, hash, err := auth.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	acct, err := ledger.CreateAccount(ctx, "Bench", "Business", hash)
	if err != nil {
		b.Fatal(err)
	}
	offer, err := d.Client.BundleOffer.Create().SetName("Benchmark bundle").
		SetCredits(1_000_000_000).SetPriceMicros(1).Save(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ledger.PurchaseBundle(ctx, acct.ID, offer.ID, "bench-bundle"); err != nil {
		b.Fatal(err)
	}
	return ledger, acct.ID
}

// benchChat is the n-th one-credit chat turn, under its own key.
func benchChat(n int) credits.UsageInput {
	one := 1
	return credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: &one, IdempotencyKey: "bench-" + strconv.Itoa(n)}
}
