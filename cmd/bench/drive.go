package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// load is one ingest workload: events spread round-robin over accounts,
// sent in requests of batch events by concurrency clients.
type load struct {
	runID       string
	events      int
	batch       int
	accounts    int
	concurrency int
}

// chargeFunc charges events on the account with index acct, as worker
// (0 ≤ worker < concurrency, for per-client state). It returns how many of
// the events were not charged and why the first one failed.
type chargeFunc func(ctx context.Context, worker, acct int, events []event) (failed int, err error)

// phase is the outcome of driving a load through one path.
type phase struct {
	Events       int     `json:"events"` // charged
	Failed       int     `json:"failed"`
	Requests     int     `json:"requests"`
	Seconds      float64 `json:"seconds"`
	EventsPerSec float64 `json:"events_per_sec"`
	// Latency is per request (one transaction of batch events).
	Latency    Latency `json:"latency"`
	FirstError string  `json:"first_error,omitempty"`
}

// drive runs the load through charge and times every request. Each client
// first sends one warm-up request (not counted) so connection set-up and
// query parsing do not land in the figures.
func drive(ctx context.Context, l load, charge chargeFunc) phase {
	warm := load{runID: l.runID + "-warmup", events: l.concurrency * l.batch, batch: l.batch, accounts: l.accounts, concurrency: l.concurrency}
	runLoad(ctx, warm, charge)
	return runLoad(ctx, l, charge)
}

func runLoad(ctx context.Context, l load, charge chargeFunc) phase {
	jobs := (l.events + l.batch - 1) / l.batch
	var next atomic.Int64
	type workerResult struct {
		latencies       []time.Duration
		charged, failed int
		firstErr        error
	}
	results := make([]workerResult, l.concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range l.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[w]
			r.latencies = make([]time.Duration, 0, jobs/l.concurrency+1)
			events := make([]event, 0, l.batch)
			for ctx.Err() == nil {
				j := int(next.Add(1)) - 1
				if j >= jobs {
					return
				}
				first := j * l.batch
				events = events[:0]
				for i := first; i < min(first+l.batch, l.events); i++ {
					events = append(events, eventFor(l.runID, i))
				}
				t0 := time.Now()
				failed, err := charge(ctx, w, j%l.accounts, events)
				r.latencies = append(r.latencies, time.Since(t0))
				r.charged += len(events) - failed
				r.failed += failed
				if err != nil && r.firstErr == nil {
					r.firstErr = err
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var p phase
	var all []time.Duration
	for _, r := range results {
		all = append(all, r.latencies...)
		p.Events += r.charged
		p.Failed += r.failed
		if r.firstErr != nil && p.FirstError == "" {
			p.FirstError = r.firstErr.Error()
		}
	}
	p.Requests = len(all)
	p.Seconds = elapsed.Seconds()
	p.EventsPerSec = float64(p.Events) / elapsed.Seconds()
	p.Latency = summarize(all)
	return p
}
