package events_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/bundleoffer"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/events"
	"github.com/vistasocial/aiusage/internal/testdb"
	"github.com/vistasocial/aiusage/internal/viewer"
)

const wait = 5 * time.Second

func TestHubDeliversOnlyToTheAccount(t *testing.T) {
	h := events.NewHub()
	a, err := h.Subscribe(1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := h.Subscribe(2)
	defer b.Close()

	h.Publish(events.Event{Kind: events.KindCharge, AccountID: 2, RecordIDs: []int{7}})
	select {
	case e := <-a.C:
		t.Fatalf("account 1 received account 2's event %+v", e)
	case e := <-b.C:
		if e.AccountID != 2 || len(e.RecordIDs) != 1 || e.RecordIDs[0] != 7 {
			t.Fatalf("got %+v", e)
		}
	case <-time.After(wait):
		t.Fatal("no event")
	}
	select {
	case e := <-a.C:
		t.Fatalf("account 1 received %+v", e)
	default:
	}
}

func TestHubFullBufferDropsAndMarksResync(t *testing.T) {
	h := events.NewHub(events.WithBuffer(4))
	s, _ := h.Subscribe(1)
	defer s.Close()

	// Nobody reads: publishing must not block.
	done := make(chan struct{})
	go func() {
		for i := 0; i < 10_000; i++ {
			h.Publish(events.Event{Kind: events.KindCharge, AccountID: 1, RecordIDs: []int{i}})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("Publish blocked on a subscriber that does not read")
	}
	if got := h.Dropped(); got != 10_000-4 {
		t.Fatalf("dropped %d, want %d", got, 10_000-4)
	}
	// The consumer finds the mark after receiving what was buffered.
	<-s.C
	if !s.Resync() {
		t.Fatal("subscriber not marked for resync after drops")
	}
	if s.Resync() {
		t.Fatal("Resync did not clear the mark")
	}
}

func TestHubResyncAllAndLimits(t *testing.T) {
	h := events.NewHub(events.WithBuffer(1), events.WithMaxPerAccount(2))
	a, _ := h.Subscribe(1)
	b, _ := h.Subscribe(1)
	if _, err := h.Subscribe(1); !errors.Is(err, events.ErrTooManySubscriptions) {
		t.Fatalf("third subscription: err %v, want ErrTooManySubscriptions", err)
	}
	c, _ := h.Subscribe(2)
	if got := h.Subscribers(); got != 3 {
		t.Fatalf("Subscribers = %d, want 3", got)
	}
	// b's buffer is full: it gets the mark instead of the event.
	h.Publish(events.Event{Kind: events.KindPurchase, AccountID: 1})
	<-a.C
	h.ResyncAll()
	if e := <-a.C; e.Kind != events.KindResync || e.AccountID != 1 {
		t.Fatalf("a got %+v, want a resync of account 1", e)
	}
	if e := <-c.C; e.Kind != events.KindResync || e.AccountID != 2 {
		t.Fatalf("c got %+v, want a resync of account 2", e)
	}
	<-b.C
	if !b.Resync() {
		t.Fatal("b (full buffer) not marked for resync")
	}
	a.Close()
	a.Close() // idempotent
	if _, err := h.Subscribe(1); err != nil {
		t.Fatalf("subscribing after a Close: %v", err)
	}
}

// fixture is a ledger publishing to a broker, over a test database.
type fixture struct {
	t      *testing.T
	d      *db.DB
	broker events.Broker
	ledger *credits.Service
	ctx    context.Context
}

// newFixture opens a database of the given kind with its broker: Local on
// SQLite, Postgres (LISTEN/NOTIFY) on PostgreSQL.
func newFixture(t *testing.T, kind string, opts ...events.HubOption) *fixture {
	t.Helper()
	var (
		d      *db.DB
		broker events.Broker
		err    error
	)
	ctx := context.Background()
	switch kind {
	case dialect.SQLite:
		d = testdb.SQLite(t)
		broker = events.NewLocal(opts...)
	default:
		url := testdb.PostgresURL(t)
		d = testdb.Open(t, url)
		broker, err = events.NewPostgres(ctx, events.PostgresConfig{URL: url, DB: d.SQL}, opts...)
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { broker.Close() })
	return &fixture{t: t, d: d, broker: broker, ctx: ctx,
		ledger: credits.New(d.Client, d.Dialect, credits.WithObserver(broker))}
}

// each runs fn on SQLite and PostgreSQL.
func each(t *testing.T, fn func(t *testing.T, kind string)) {
	for _, kind := range []string{dialect.SQLite, dialect.Postgres} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, kind)
		})
	}
}

var keySeq atomic.Int64

func (f *fixture) account(plan string) int {
	f.t.Helper()
	a, err := f.ledger.CreateAccount(f.ctx, fmt.Sprintf("acct-%d", keySeq.Add(1)), plan, fmt.Sprintf("hash-%d-%d", time.Now().UnixNano(), keySeq.Add(1)))
	if err != nil {
		f.t.Fatal(err)
	}
	return a.ID
}

func (f *fixture) chat(accountID, credits int) *credits.ChargeResult {
	f.t.Helper()
	res, err := f.ledger.RecordUsage(f.ctx, accountID, chatInput(credits))
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func chatInput(n int) credits.UsageInput {
	return credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: &n, IdempotencyKey: fmt.Sprintf("k-%d", keySeq.Add(1))}
}

// subCtx is the context of a subscriber acting as the account.
func (f *fixture) subCtx(accountID int) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(events.NewContext(viewer.NewContext(f.ctx, accountID), f.broker))
	f.t.Cleanup(cancel)
	return ctx, cancel
}

func receive[T any](t *testing.T, c <-chan T) T {
	t.Helper()
	select {
	case v, ok := <-c:
		if !ok {
			t.Fatal("stream closed")
		}
		return v
	case <-time.After(wait):
		t.Fatal("no value within", wait)
	}
	panic("unreachable")
}

func quiet[T any](t *testing.T, c <-chan T, d time.Duration) {
	t.Helper()
	select {
	case v := <-c:
		t.Fatalf("unexpected value %+v", v)
	case <-time.After(d):
	}
}

func TestBalancesFollowChargesAndPurchases(t *testing.T) {
	each(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		acct, other := f.account("Pro"), f.account("Pro")
		ctx, _ := f.subCtx(acct)
		balances, err := events.Balances(ctx, f.ledger, acct)
		if err != nil {
			t.Fatal(err)
		}

		f.chat(other, 5) // another account: nothing for this subscriber
		res := f.chat(acct, 40)
		if b := receive(t, balances); b.Remaining != res.Balance.Remaining || b.Used != 40 {
			t.Fatalf("balance after charge: remaining %d used %d, want %d and 40", b.Remaining, b.Used, res.Balance.Remaining)
		}

		offer, err := f.d.Client.BundleOffer.Query().Order(ent.Asc(bundleoffer.FieldCredits)).First(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.ledger.PurchaseBundle(f.ctx, acct, offer.ID, "buy-1")
		if err != nil {
			t.Fatal(err)
		}
		if b := receive(t, balances); b.Remaining != p.Balance.Remaining || b.BundleRemaining != int64(offer.Credits) {
			t.Fatalf("balance after purchase: remaining %d bundles %d, want %d and %d", b.Remaining, b.BundleRemaining, p.Balance.Remaining, offer.Credits)
		}
		// A replayed purchase moves nothing and sends nothing.
		if _, err := f.ledger.PurchaseBundle(f.ctx, acct, offer.ID, "buy-1"); err != nil {
			t.Fatal(err)
		}
		quiet(t, balances, 300*time.Millisecond)
	})
}

func TestUsageRecordsInCommitOrder(t *testing.T) {
	each(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		acct := f.account("Pro")
		before := f.chat(acct, 1) // earlier history is not replayed
		ctx, cancel := f.subCtx(acct)
		records, err := events.UsageRecords(ctx, f.d.Client, acct)
		if err != nil {
			t.Fatal(err)
		}

		batch, err := f.ledger.RecordUsageBatch(f.ctx, acct, []credits.UsageInput{chatInput(2), chatInput(3), chatInput(4)})
		if err != nil {
			t.Fatal(err)
		}
		single := f.chat(acct, 5)
		want := []int{batch.Items[0].Record.ID, batch.Items[1].Record.ID, batch.Items[2].Record.ID, single.Record.ID}
		for i, id := range want {
			r := receive(t, records)
			if r.ID != id || r.ID == before.Record.ID {
				t.Fatalf("record %d: got ID %d, want %d", i, r.ID, id)
			}
		}
		// A replay charges nothing and sends nothing.
		if _, err := f.ledger.RecordUsage(f.ctx, acct, credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: ptr(5), IdempotencyKey: single.Record.IdempotencyKey}); err != nil {
			t.Fatal(err)
		}
		quiet(t, records, 300*time.Millisecond)
		cancel()
		if _, ok := <-records; ok {
			t.Fatal("stream still open after its context ended")
		}
	})
}

// chargeOnSubscribe commits a charge just before the subscription registers:
// the moment no event announces to the new subscriber.
type chargeOnSubscribe struct {
	events.Subscriber
	charge func() *credits.ChargeResult
	got    *credits.ChargeResult
}

func (c *chargeOnSubscribe) Subscribe(accountID int) (*events.Subscription, error) {
	c.got = c.charge()
	return c.Subscriber.Subscribe(accountID)
}

// subscribingCtx is a subscriber's context whose subscription charges the
// account 2 credits as it starts; the returned wrapper holds that charge.
func (f *fixture) subscribingCtx(acct int) (context.Context, *chargeOnSubscribe) {
	gap := &chargeOnSubscribe{Subscriber: f.broker, charge: func() *credits.ChargeResult { return f.chat(acct, 2) }}
	ctx, cancel := context.WithCancel(events.NewContext(viewer.NewContext(f.ctx, acct), gap))
	f.t.Cleanup(cancel)
	return ctx, gap
}

// A record that commits while the stream starts is sent, once.
func TestUsageRecordsCommittedWhileSubscribingAreSent(t *testing.T) {
	each(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		acct := f.account("Pro")
		f.chat(acct, 1) // history before the stream: not sent
		ctx, gap := f.subscribingCtx(acct)
		records, err := events.UsageRecords(ctx, f.d.Client, acct)
		if err != nil {
			t.Fatal(err)
		}
		next := f.chat(acct, 3)
		for _, want := range []int{gap.got.Record.ID, next.Record.ID} {
			if r := receive(t, records); r.ID != want {
				t.Fatalf("got record %d, want %d (the first committed while subscribing)", r.ID, want)
			}
		}
		quiet(t, records, 300*time.Millisecond)
	})
}

// A balance that changes while the stream starts is sent, once.
func TestBalanceChangedWhileSubscribingIsSent(t *testing.T) {
	each(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind)
		acct := f.account("Pro")
		ctx, gap := f.subscribingCtx(acct)
		balances, err := events.Balances(ctx, f.ledger, acct)
		if err != nil {
			t.Fatal(err)
		}
		if b := receive(t, balances); b.Remaining != gap.got.Balance.Remaining {
			t.Fatalf("remaining %d, want %d (charged while subscribing)", b.Remaining, gap.got.Balance.Remaining)
		}
		next := f.chat(acct, 3)
		if b := receive(t, balances); b.Remaining != next.Balance.Remaining {
			t.Fatalf("remaining %d, want %d", b.Remaining, next.Balance.Remaining)
		}
		quiet(t, balances, 300*time.Millisecond)
	})
}

// A subscriber that does not read never holds charges up; once it reads
// again it gets every record it missed, in order, each once.
func TestSlowSubscriberIsCaughtUp(t *testing.T) {
	each(t, func(t *testing.T, kind string) {
		f := newFixture(t, kind, events.WithBuffer(1))
		acct := f.account("Business")
		ctx, _ := f.subCtx(acct)
		records, err := events.UsageRecords(ctx, f.d.Client, acct)
		if err != nil {
			t.Fatal(err)
		}
		balances, err := events.Balances(ctx, f.ledger, acct)
		if err != nil {
			t.Fatal(err)
		}

		const n = 30
		var want []int
		var last *credits.ChargeResult
		start := time.Now()
		for i := 0; i < n; i++ {
			last = f.chat(acct, i+1)
			want = append(want, last.Record.ID)
		}
		t.Logf("%d charges with stalled subscribers took %s", n, time.Since(start))

		for i, id := range want {
			if r := receive(t, records); r.ID != id {
				t.Fatalf("record %d: got ID %d, want %d", i, r.ID, id)
			}
		}
		quiet(t, records, 200*time.Millisecond)

		// The balance subscriber ends on the latest balance.
		deadline := time.After(wait)
		for {
			select {
			case b := <-balances:
				if b.Remaining == last.Balance.Remaining {
					return
				}
			case <-deadline:
				t.Fatalf("balance never reached %d", last.Balance.Remaining)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }
