package events

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// watchTimeout bounds counting a watcher in or out.
const watchTimeout = 5 * time.Second

// Subscribe counts the account as watched in the database, so that every
// instance's charges on it send their NOTIFY, then subscribes in this
// process. The count is committed before the subscription registers: a
// charge that read the account unwatched committed before the count could
// lock the account row, and a stream's catch-up after subscribing finds it.
func (p *Postgres) Subscribe(accountID int) (*Subscription, error) {
	if err := p.addWatchers(accountID, 1); err != nil {
		return nil, err
	}
	s, err := p.Hub.Subscribe(accountID)
	if err != nil {
		p.unwatch(accountID)
		return nil, err
	}
	s.onClose = func() { p.unwatch(accountID) }
	return s, nil
}

// unwatch counts a watcher out. If that fails (the database is down), the
// count stays too high, which only costs notifications.
func (p *Postgres) unwatch(accountID int) {
	if err := p.addWatchers(accountID, -1); err != nil {
		p.logger.Warn("events: counting a watcher out failed", "account_id", accountID, "err", err)
	}
}

func (p *Postgres) addWatchers(accountID, delta int) error {
	ctx, cancel := context.WithTimeout(context.Background(), watchTimeout)
	defer cancel()
	_, err := p.db.ExecContext(ctx, "UPDATE accounts SET watchers = GREATEST(watchers + $1, 0) WHERE id = $2", delta, accountID)
	if err != nil {
		return fmt.Errorf("events: counting watchers of account %d: %w", accountID, err)
	}
	return nil
}

// unwatchAll ends this instance's subscriptions and counts their watchers
// out in one statement.
func (p *Postgres) unwatchAll() {
	counts := p.Hub.detachAll()
	if len(counts) == 0 {
		return
	}
	ids, deltas := make([]int64, 0, len(counts)), make([]int64, 0, len(counts))
	for id, n := range counts {
		ids, deltas = append(ids, int64(id)), append(deltas, int64(n))
	}
	ctx, cancel := context.WithTimeout(context.Background(), watchTimeout)
	defer cancel()
	_, err := p.db.ExecContext(ctx, `UPDATE accounts AS a SET watchers = GREATEST(a.watchers - d.n, 0)
		FROM unnest($1::bigint[], $2::bigint[]) AS d(id, n) WHERE a.id = d.id`, pq.Array(ids), pq.Array(deltas))
	if err != nil {
		p.logger.Warn("events: counting watchers out on close failed", "accounts", len(counts), "err", err)
	}
}
