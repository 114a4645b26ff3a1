// Package events carries committed ledger changes to real-time subscribers.
//
// The ledger (internal/credits) reports every committed change to its
// observers. A Broker is such an observer: it turns a change into a small
// Event (account, kind, record IDs) and delivers it to the subscribers of that
// account in every server process:
//
//   - Local (SQLite, one process): delivered in-process after the commit.
//   - Postgres: sent with NOTIFY inside the ledger transaction, so it goes out
//     if and only if the change commits, and received by a LISTEN connection
//     in every process, which fans it out to that process's subscribers.
//
// Events carry no figures: subscribers load the balance or record fresh,
// scoped to their account. Delivery never blocks the ledger: each subscriber
// has a bounded buffer, and one that falls behind is marked for a resync
// (it reloads the current state) instead of slowing charges down.
package events

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Kind says what happened.
type Kind string

const (
	// KindCharge is a committed charge: RecordIDs are its new usage records.
	KindCharge Kind = "charge"
	// KindPurchase is a committed bundle purchase: BundleID is the bundle.
	KindPurchase Kind = "purchase"
	// KindResync means events may have been lost (the event feed reconnected):
	// the subscriber should reload the current state.
	KindResync Kind = "resync"
)

// Event is one committed change of an account's balance.
type Event struct {
	Kind      Kind  `json:"k"`
	AccountID int   `json:"a"`
	RecordIDs []int `json:"r,omitempty"`
}

// FromChange returns the event of a committed ledger change, and false when
// the change moved no balance (a batch of replays or rejections).
func FromChange(c *credits.Change) (Event, bool) {
	switch {
	case len(c.Charged) > 0:
		ids := make([]int, len(c.Charged))
		for i, r := range c.Charged {
			ids[i] = r.ID
		}
		return Event{Kind: KindCharge, AccountID: c.AccountID, RecordIDs: ids}, true
	case c.Purchased != nil:
		return Event{Kind: KindPurchase, AccountID: c.AccountID}, true
	}
	return Event{}, false
}

// Broker publishes the ledger's committed changes (it is a credits.Observer:
// register it with credits.WithObserver) and delivers them to the
// subscribers of this process.
type Broker interface {
	credits.Observer
	Subscriber
	// Close stops delivery; subscriptions stay open but receive nothing more.
	Close() error
}

// Subscriber hands out subscriptions to one account's events.
type Subscriber interface {
	Subscribe(accountID int) (*Subscription, error)
}

// Defaults of a Hub.
const (
	// DefaultBuffer is how many events a subscriber may fall behind before
	// its events are dropped and it is marked for a resync.
	DefaultBuffer = 64
	// DefaultMaxPerAccount bounds one account's open subscriptions in a
	// process (each browser tab holds a couple).
	DefaultMaxPerAccount = 100
)

// ErrUnavailable is returned when a context carries no Subscriber: only the
// websocket transport serves subscriptions.
var ErrUnavailable = errors.New("subscriptions are served over the websocket transport (graphql-transport-ws) on /graphql")

// ErrTooManySubscriptions is returned when an account already holds the
// maximum number of subscriptions in this process.
var ErrTooManySubscriptions = errors.New("too many open subscriptions for this account")

// Hub fans events out to this process's subscribers, by account. Publish
// never blocks.
type Hub struct {
	buffer        int
	maxPerAccount int

	mu   sync.RWMutex
	subs map[int]map[*Subscription]struct{}

	dropped atomic.Int64
}

// HubOption configures a Hub.
type HubOption func(*Hub)

// WithBuffer sets each subscriber's buffer (DefaultBuffer by default).
func WithBuffer(n int) HubOption { return func(h *Hub) { h.buffer = max(n, 1) } }

// WithMaxPerAccount bounds the subscriptions of one account (0: unlimited).
func WithMaxPerAccount(n int) HubOption { return func(h *Hub) { h.maxPerAccount = n } }

// NewHub returns an empty hub.
func NewHub(opts ...HubOption) *Hub {
	h := &Hub{buffer: DefaultBuffer, maxPerAccount: DefaultMaxPerAccount, subs: map[int]map[*Subscription]struct{}{}}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Subscribe opens a subscription to the account's events. Close it when done.
func (h *Hub) Subscribe(accountID int) (*Subscription, error) {
	c := make(chan Event, h.buffer)
	s := &Subscription{AccountID: accountID, C: c, c: c, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.subs[accountID]
	if h.maxPerAccount > 0 && len(set) >= h.maxPerAccount {
		return nil, ErrTooManySubscriptions
	}
	if set == nil {
		set = map[*Subscription]struct{}{}
		h.subs[accountID] = set
	}
	set[s] = struct{}{}
	return s, nil
}

// Publish delivers e to the subscribers of its account, without waiting: a
// subscriber whose buffer is full misses it and is marked for a resync.
func (h *Hub) Publish(e Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs[e.AccountID] {
		s.offer(e)
	}
}

// ResyncAll tells every subscriber that events may have been lost.
func (h *Hub) ResyncAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, set := range h.subs {
		for s := range set {
			s.offer(Event{Kind: KindResync, AccountID: s.AccountID})
		}
	}
}

// detachAll ends every subscription without running its onClose, and
// returns how many each account had: the broker then releases them at once.
// A detached subscription's Close finds it gone and skips its onClose.
func (h *Hub) detachAll() map[int]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	counts := map[int]int{}
	for accountID, set := range h.subs {
		counts[accountID] = len(set)
	}
	h.subs = map[int]map[*Subscription]struct{}{}
	return counts
}

// Subscribers counts the open subscriptions.
func (h *Hub) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, set := range h.subs {
		n += len(set)
	}
	return n
}

// Dropped counts the events dropped because a subscriber's buffer was full.
func (h *Hub) Dropped() int64 { return h.dropped.Load() }

// remove takes s out of the hub, reporting whether it was still there (not
// detached).
func (h *Hub) remove(s *Subscription) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.subs[s.AccountID]
	if _, ok := set[s]; !ok {
		return false
	}
	delete(set, s)
	if len(set) == 0 {
		delete(h.subs, s.AccountID)
	}
	return true
}

// Subscription receives one account's events on C. After each receive, the
// consumer must check Resync: when it reports true, events were dropped and
// the consumer should reload the current state rather than rely on the
// events it got. C is never closed; stop reading when your context ends, and
// call Close.
type Subscription struct {
	AccountID int
	C         <-chan Event

	c      chan Event
	resync atomic.Bool
	hub    *Hub
	once   sync.Once
	// onClose runs once when the subscription closes, after it stopped
	// receiving.
	onClose func()
}

// offer delivers e unless the buffer is full, in which case the subscriber is
// marked for a resync. Since the buffer is then full, the consumer has
// events left to receive, and it checks the mark after each of them.
func (s *Subscription) offer(e Event) {
	select {
	case s.c <- e:
	default:
		s.resync.Store(true)
		s.hub.dropped.Add(1)
	}
}

// Resync reports (and clears) whether events were dropped since the last
// call, so the consumer must reload the current state.
func (s *Subscription) Resync() bool { return s.resync.Swap(false) }

// Close ends the subscription.
func (s *Subscription) Close() {
	s.once.Do(func() {
		if s.hub.remove(s) && s.onClose != nil {
			s.onClose()
		}
	})
}

// Local is the broker of a single process (SQLite): it delivers each change
// after its commit, in-process.
type Local struct {
	*Hub
}

// NewLocal returns an in-process broker.
func NewLocal(opts ...HubOption) *Local { return &Local{Hub: NewHub(opts...)} }

// BeforeCommit implements credits.Observer; Local waits for the commit.
func (*Local) BeforeCommit(context.Context, *ent.Tx, *credits.Change) error { return nil }

// AfterCommit implements credits.Observer.
func (l *Local) AfterCommit(_ context.Context, c *credits.Change) {
	if e, ok := FromChange(c); ok {
		l.Publish(e)
	}
}

// Close implements Broker.
func (*Local) Close() error { return nil }

type subscriberKey struct{}

// NewContext returns a copy of ctx carrying the subscriber that GraphQL
// subscription resolvers use.
func NewContext(ctx context.Context, s Subscriber) context.Context {
	return context.WithValue(ctx, subscriberKey{}, s)
}

// FromContext returns the subscriber carried by ctx.
func FromContext(ctx context.Context) (Subscriber, bool) {
	s, ok := ctx.Value(subscriberKey{}).(Subscriber)
	return s, ok && s != nil
}
