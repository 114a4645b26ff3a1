package events_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/events"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func charged(accountID int, ids ...int) *credits.Change {
	c := &credits.Change{AccountID: accountID}
	for _, id := range ids {
		c.Charged = append(c.Charged, &ent.UsageRecord{ID: id})
	}
	return c
}

// The NOTIFY rides on the ledger transaction: a rolled-back change sends
// nothing, a committed one is delivered.
func TestPostgresNotifiesIffCommitted(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dialect.Postgres)
	sub, err := f.broker.Subscribe(42)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	tx, err := f.d.Client.Tx(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.broker.BeforeCommit(f.ctx, tx, charged(42, 1)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	quiet(t, sub.C, 500*time.Millisecond)

	tx, err = f.d.Client.Tx(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.broker.BeforeCommit(f.ctx, tx, charged(42, 2)); err != nil {
		t.Fatal(err)
	}
	// Not before the commit.
	quiet(t, sub.C, 200*time.Millisecond)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	e := receive(t, sub.C)
	if e.Kind != events.KindCharge || e.AccountID != 42 || len(e.RecordIDs) != 1 || e.RecordIDs[0] != 2 {
		t.Fatalf("got %+v", e)
	}
}

// Deployments sharing a database in different schemas do not see each
// other's events, even for equal account IDs.
func TestPostgresSchemasAreIsolated(t *testing.T) {
	t.Parallel()
	a := newFixture(t, dialect.Postgres)
	b := newFixture(t, dialect.Postgres)
	subB, _ := b.broker.Subscribe(7)
	defer subB.Close()
	subA, _ := a.broker.Subscribe(7)
	defer subA.Close()

	tx, err := a.d.Client.Tx(a.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.broker.BeforeCommit(a.ctx, tx, charged(7, 1)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	receive(t, subA.C)
	quiet(t, subB.C, 300*time.Millisecond)
}

// A large batch is split over several notifications (PostgreSQL caps a
// payload at 8000 bytes); every record ID arrives.
func TestPostgresLargeChangeIsSplit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dialect.Postgres, events.WithBuffer(256))
	sub, _ := f.broker.Subscribe(9)
	defer sub.Close()
	var ids []int
	for i := 0; i < 2000; i++ {
		ids = append(ids, 1<<32+i)
	}
	tx, err := f.d.Client.Tx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.broker.BeforeCommit(f.ctx, tx, charged(9, ids...)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	notifications := 0
	for len(seen) < len(ids) {
		e := receive(t, sub.C)
		notifications++
		for _, id := range e.RecordIDs {
			seen[id] = true
		}
	}
	if notifications < 2 {
		t.Fatalf("2000 IDs came in %d notification(s)", notifications)
	}
	t.Logf("2000 record IDs in %d notifications", notifications)
}

// The listener's connection drops (here: its backend is terminated, which a
// database restart also does): it reconnects, every subscriber is told to
// resync, and a charge committed around the drop still reaches subscribers,
// through NOTIFY or through the resync's catch-up.
func TestPostgresListenerReconnectsAndResyncs(t *testing.T) {
	t.Parallel()
	url := testdb.PostgresURL(t)
	d := testdb.Open(t, url)
	app := fmt.Sprintf("aiusage-events-test-%d", time.Now().UnixNano())
	broker, err := events.NewPostgres(context.Background(), events.PostgresConfig{
		URL: url + "&application_name=" + app, DB: d.SQL, MinReconnect: 50 * time.Millisecond, MaxReconnect: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	f := &fixture{t: t, d: d, broker: broker, ctx: context.Background(),
		ledger: credits.New(d.Client, d.Dialect, credits.WithObserver(broker))}
	acct := f.account("Pro")
	raw, _ := broker.Subscribe(acct)
	defer raw.Close()
	ctx, _ := f.subCtx(acct)
	records, err := events.UsageRecords(ctx, d.Client, acct)
	if err != nil {
		t.Fatal(err)
	}

	var killed int
	if err := d.SQL.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 1 {
		t.Fatalf("terminated %d listener backends, want 1", killed)
	}
	res := f.chat(acct, 9)

	if r := receive(t, records); r.ID != res.Record.ID {
		t.Fatalf("got record %d, want %d", r.ID, res.Record.ID)
	}
	resynced := false
	deadline := time.After(wait)
	for !resynced {
		select {
		case e := <-raw.C:
			resynced = e.Kind == events.KindResync
		case <-deadline:
			t.Fatal("no resync after the listener reconnected")
		}
	}
	// After the reconnection, events flow as usual, and nothing is repeated.
	res2 := f.chat(acct, 10)
	if r := receive(t, records); r.ID != res2.Record.ID {
		t.Fatalf("got record %d, want %d", r.ID, res2.Record.ID)
	}
	quiet(t, records, 200*time.Millisecond)
}

// Charges on an account nobody watches send no NOTIFY; once a subscription
// is open on any instance, every instance's charges do, until it closes.
func TestPostgresNotifiesOnlyWatchedAccounts(t *testing.T) {
	t.Parallel()
	url := testdb.PostgresURL(t)
	d := testdb.Open(t, url)
	open := func() *events.Postgres {
		b, err := events.NewPostgres(context.Background(), events.PostgresConfig{URL: url, DB: d.SQL})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	broker, peer := open(), open() // the charging instance and another one
	f := &fixture{t: t, d: d, broker: broker, ctx: context.Background(),
		ledger: credits.New(d.Client, d.Dialect, credits.WithObserver(broker))}
	acct := f.account("Pro")
	watchers := func() int {
		t.Helper()
		a, err := d.Client.Account.Get(f.ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		return a.Watchers
	}
	// The peer's hub sees every NOTIFY without counting as a watcher.
	raw, err := peer.Hub.Subscribe(acct)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	f.chat(acct, 5)
	quiet(t, raw.C, 300*time.Millisecond)

	watcher, err := peer.Subscribe(acct)
	if err != nil {
		t.Fatal(err)
	}
	if n := watchers(); n != 1 {
		t.Fatalf("%d watchers after subscribing, want 1", n)
	}
	res := f.chat(acct, 6)
	for _, c := range []<-chan events.Event{raw.C, watcher.C} {
		if e := receive(t, c); len(e.RecordIDs) != 1 || e.RecordIDs[0] != res.Record.ID {
			t.Fatalf("got %+v, want record %d", e, res.Record.ID)
		}
	}

	watcher.Close()
	watcher.Close() // counted out once
	if n := watchers(); n != 0 {
		t.Fatalf("%d watchers after closing, want 0", n)
	}
	f.chat(acct, 7)
	quiet(t, raw.C, 300*time.Millisecond)
}

// Closing a broker (a graceful shutdown) counts out its own watchers at once,
// while the database is still open; other instances' watchers stay counted.
func TestPostgresCloseCountsItsWatchersOut(t *testing.T) {
	t.Parallel()
	url := testdb.PostgresURL(t)
	d := testdb.Open(t, url)
	open := func() *events.Postgres {
		b, err := events.NewPostgres(context.Background(), events.PostgresConfig{URL: url, DB: d.SQL})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	closing, staying := open(), open()
	f := &fixture{t: t, d: d, broker: closing, ctx: context.Background(), ledger: credits.New(d.Client, d.Dialect)}
	a, b := f.account("Pro"), f.account("Pro")
	var subs []*events.Subscription
	for _, sub := range []struct {
		broker *events.Postgres
		acct   int
	}{{closing, a}, {closing, a}, {closing, b}, {staying, a}} {
		s, err := sub.broker.Subscribe(sub.acct)
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, s)
	}
	watchers := func(acct int) int {
		t.Helper()
		acc, err := d.Client.Account.Get(f.ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		return acc.Watchers
	}
	if wa, wb := watchers(a), watchers(b); wa != 3 || wb != 1 {
		t.Fatalf("watchers %d and %d, want 3 and 1", wa, wb)
	}
	if err := closing.Close(); err != nil {
		t.Fatal(err)
	}
	for _, s := range subs[:3] {
		s.Close() // the stream ending later: already counted out
	}
	if wa, wb := watchers(a), watchers(b); wa != 1 || wb != 0 {
		t.Fatalf("after closing one broker: watchers %d and %d, want 1 (the other instance's) and 0", wa, wb)
	}
}
