package events

import (
	"context"
	"log/slog"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Retry bounds of a stream whose reload failed (e.g. while the database
// restarts): it retries with a backoff, as a resync.
const (
	retryMin = 250 * time.Millisecond
	retryMax = 5 * time.Second
)

// catchUpPage is how many usage records one catch-up query loads.
const catchUpPage = 100

// Balances streams the account's balance, loaded fresh after each of its
// events and sent when it differs from the last one sent. It starts from a
// snapshot taken before subscribing, so a change committed while the
// subscription starts is sent too. Events that queued up while the
// subscriber was busy are answered by one balance: the latest. The channel
// closes when ctx ends.
func Balances(ctx context.Context, ledger *credits.Service, accountID int) (<-chan *credits.Balance, error) {
	var last credits.Balance
	start := func(ctx context.Context) (err error) {
		last, err = ledger.Balance(ctx, accountID)
		return err
	}
	return stream(ctx, accountID, true, start, func(ctx context.Context, _ Event, _ bool, emit func(*credits.Balance) bool) error {
		b, err := ledger.Balance(ctx, accountID)
		if err != nil || sameBalance(b, last) {
			return err
		}
		if emit(&b) {
			last = b
		}
		return nil
	})
}

// sameBalance reports whether two balances show the same figures.
func sameBalance(a, b credits.Balance) bool {
	return a.Remaining == b.Remaining && a.Used == b.Used && a.Allowance == b.Allowance &&
		a.PlanRemaining == b.PlanRemaining && a.BundleRemaining == b.BundleRemaining &&
		a.PeriodStart.Equal(b.PeriodStart)
}

// UsageRecords streams the account's new usage records, in commit order,
// each once. After a resync it catches up from the ledger: charges on one
// account are serialized, so its record IDs grow in commit order and "every
// record after the last one sent" is exactly what was missed.
func UsageRecords(ctx context.Context, client *ent.Client, accountID int) (<-chan *ent.UsageRecord, error) {
	var last int
	start := func(ctx context.Context) error {
		id, err := client.UsageRecord.Query().
			Where(usagerecord.AccountID(accountID)).
			Order(ent.Desc(usagerecord.FieldID)).
			FirstID(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		last = id
		return nil
	}
	return stream(ctx, accountID, false, start, func(ctx context.Context, e Event, resync bool, emit func(*ent.UsageRecord) bool) error {
		if resync {
			for {
				page, err := client.UsageRecord.Query().
					Where(usagerecord.AccountID(accountID), usagerecord.IDGT(last)).
					Order(ent.Asc(usagerecord.FieldID)).
					Limit(catchUpPage).
					All(ctx)
				if err != nil {
					return err
				}
				for _, r := range page {
					if !emit(r) {
						return nil
					}
					last = r.ID
				}
				if len(page) < catchUpPage {
					return nil
				}
			}
		}
		if e.Kind != KindCharge {
			return nil
		}
		var ids []int
		for _, id := range e.RecordIDs {
			if id > last {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		records, err := client.UsageRecord.Query().
			Where(usagerecord.AccountID(accountID), usagerecord.IDIn(ids...)).
			Order(ent.Asc(usagerecord.FieldID)).
			All(ctx)
		if err != nil {
			return err
		}
		for _, r := range records {
			if !emit(r) {
				return nil
			}
			last = r.ID
		}
		return nil
	})
}

// handler turns one event into values, calling emit for each; emit reports
// false once the stream is over. resync says the state must be reloaded
// rather than derived from the event.
type handler[T any] func(ctx context.Context, e Event, resync bool, emit func(T) bool) error

// stream runs start (a snapshot of where the stream begins), subscribes to
// the account's events with the Subscriber of ctx (see NewContext), then
// feeds each event to handle until ctx ends. With a start, the first handle
// is a resync: it catches up on what committed between the snapshot and the
// subscription, which no event will announce. A failed handle is retried,
// with a backoff, as a resync. With coalesce, events already queued behind
// the one received are consumed with it: handle then sees a resync.
func stream[T any](ctx context.Context, accountID int, coalesce bool, start func(context.Context) error, handle handler[T]) (<-chan T, error) {
	sub, ok := FromContext(ctx)
	if !ok {
		return nil, ErrUnavailable
	}
	var retry <-chan time.Time
	if start != nil {
		if err := start(ctx); err != nil {
			return nil, err
		}
		retry = time.After(0) // the catch-up, as a resync
	}
	s, err := sub.Subscribe(accountID)
	if err != nil {
		return nil, err
	}
	out := make(chan T)
	emit := func(v T) bool {
		select {
		case out <- v:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer close(out)
		defer s.Close()
		backoff := retryMin
		for {
			var e Event
			select {
			case <-ctx.Done():
				return
			case e = <-s.C:
			case <-retry:
				e = Event{Kind: KindResync, AccountID: accountID}
			}
			resync := e.Kind == KindResync || retry != nil
			if coalesce && drain(s.C) {
				resync = true
			}
			resync = s.Resync() || resync
			if err := handle(ctx, e, resync, emit); err != nil {
				if ctx.Err() != nil {
					return
				}
				slog.WarnContext(ctx, "events: reloading for a subscriber failed; retrying", "account_id", accountID, "err", err, "retry_in", backoff)
				retry = time.After(backoff)
				backoff = min(2*backoff, retryMax)
				continue
			}
			retry, backoff = nil, retryMin
		}
	}()
	return out, nil
}

// drain consumes the events queued on c, reporting whether there were any.
func drain(c <-chan Event) bool {
	drained := false
	for {
		select {
		case <-c:
			drained = true
		default:
			return drained
		}
	}
}
