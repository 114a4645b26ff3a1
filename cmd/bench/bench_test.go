package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestSummarizeUsesNearestRank(t *testing.T) {
	var samples []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		samples = append(samples, time.Duration(i)*time.Millisecond)
	}
	l := summarize(samples)
	if l.N != 100 || l.P50 != 50 || l.P95 != 95 || l.P99 != 99 || l.Max != 100 {
		t.Fatalf("summarize = %+v, want p50 50, p95 95, p99 99, max 100", l)
	}
	if one := summarize([]time.Duration{7 * time.Millisecond}); one.P99 != 7 || one.P50 != 7 {
		t.Fatalf("single sample: %+v", one)
	}
}

func TestHistoryAddsUpAndKeepsItsShape(t *testing.T) {
	end := time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)
	h := &history{records: 120_000, hotShare: 0.10, end: end, seed: 1}
	for i := range 4 {
		a := dashAccount{id: 100 + i, periodStart: end.AddDate(0, 0, -20)}
		for j := range 6 {
			a.agents = append(a.agents, 1000+10*i+j)
		}
		h.accounts = append(h.accounts, a)
	}
	agg := newAggregate(len(h.accounts))
	var rows []genRow
	seen := map[int64]bool{}
	var total, credits int64
	for k := range h.chunks() {
		rows = h.chunk(k, rows)
		agg.add(h, rows)
		for _, r := range rows {
			at := time.UnixMicro(r.at)
			if at.After(end) || at.Before(end.AddDate(0, 0, -historyDays)) {
				t.Fatalf("record at %v outside the 90 days before %v", at, end)
			}
			a := h.accounts[r.acct]
			if r.agent == a.agents[len(a.agents)-1] && at.After(end.Add(-idleWindow)) {
				t.Fatalf("the idle agent ran at %v, within 30 days", at)
			}
			if seen[r.seq] {
				t.Fatalf("row %d generated twice", r.seq)
			}
			seen[r.seq] = true
			total++
			credits += r.credits
		}
	}
	if total != int64(h.records) {
		t.Fatalf("generated %d rows, want %d", total, h.records)
	}
	var events, summed int64
	for _, s := range agg.rollups {
		events += s.events
		summed += s.credits
	}
	if events != total || summed != credits {
		t.Fatalf("rollups hold %d events / %d credits, rows %d / %d", events, summed, total, credits)
	}
	// The hot account gets 10 % plus a quarter of the other 90 %.
	if share := float64(agg.perAccount[0]) / float64(total); share < 0.31 || share > 0.34 {
		t.Fatalf("hot account share %.3f, want about 0.325", share)
	}
}

// Every row reaches the database whether or not the count is a multiple of
// the rows per INSERT (the last full statement's transaction once stayed
// open and was rolled back).
func TestSQLiteBulkCommitsEveryRow(t *testing.T) {
	for _, n := range []int{sqliteRowsPerInsert * 3, sqliteRowsPerInsert*3 + 1, 1} {
		d := testdb.SQLite(t)
		ctx := context.Background()
		before := d.Client.BundleOffer.Query().CountX(ctx) // the seeded catalogue
		err := sqliteBulk(ctx, d, "bundle_offers", []string{"name", "credits", "price_micros"}, func(yield func(args ...any) error) error {
			for i := range n {
				if err := yield(fmt.Sprint("offer ", i), i+1, (i+1)*10_000); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Client.BundleOffer.Query().CountX(ctx) - before; got != n {
			t.Fatalf("%d rows stored, want %d", got, n)
		}
	}
}
