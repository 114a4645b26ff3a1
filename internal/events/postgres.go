package events

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	entdialect "entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Channel is the PostgreSQL notification channel of ledger events.
const Channel = "aiusage_events"

// maxPayload keeps a notification well under PostgreSQL's 8000-byte limit.
const maxPayload = 4000

// PostgresConfig configures a Postgres broker.
type PostgresConfig struct {
	// URL is the connection string of the LISTEN connection: the same
	// DATABASE_URL the ledger uses.
	URL string
	// DB is the ledger's database, used once to learn the schema that
	// scopes the events (several deployments may share one database).
	DB *sql.DB
	// Logger receives the listener's connection changes; nil: slog.Default.
	Logger *slog.Logger
	// MinReconnect and MaxReconnect bound the listener's reconnection
	// backoff (defaults 250 ms and 5 s).
	MinReconnect, MaxReconnect time.Duration
	// PingInterval is how often an idle listener checks its connection
	// (default 30 s).
	PingInterval time.Duration
	// StartTimeout bounds waiting for the first LISTEN (default 30 s).
	StartTimeout time.Duration
}

// Postgres is the broker of processes sharing a PostgreSQL database: each
// committed change is sent with NOTIFY in the ledger transaction, and every
// process LISTENs and delivers the events to its own subscribers.
type Postgres struct {
	*Hub
	schema   string
	db       *sql.DB
	listener *pq.Listener
	logger   *slog.Logger
	stop     chan struct{}
	done     sync.WaitGroup
	closed   sync.Once
}

// wire is a notification's payload.
type wire struct {
	// Schema scopes the event: a listener ignores other schemas' events.
	Schema string `json:"s"`
	Event
}

// NewPostgres connects the listener and returns once it LISTENs.
func NewPostgres(ctx context.Context, cfg PostgresConfig, opts ...HubOption) (*Postgres, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MinReconnect <= 0 {
		cfg.MinReconnect = 250 * time.Millisecond
	}
	if cfg.MaxReconnect <= 0 {
		cfg.MaxReconnect = 5 * time.Second
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 30 * time.Second
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 30 * time.Second
	}
	var schema string
	if err := cfg.DB.QueryRowContext(ctx, "SELECT coalesce(current_schema(), '')").Scan(&schema); err != nil {
		return nil, fmt.Errorf("events: reading current schema: %w", err)
	}
	p := &Postgres{Hub: NewHub(opts...), schema: schema, db: cfg.DB, logger: cfg.Logger, stop: make(chan struct{})}
	p.listener = pq.NewListener(cfg.URL, cfg.MinReconnect, cfg.MaxReconnect, p.onConnectionEvent)

	listened := make(chan error, 1)
	go func() { listened <- p.listener.Listen(Channel) }()
	timer := time.NewTimer(cfg.StartTimeout)
	defer timer.Stop()
	select {
	case err := <-listened:
		if err != nil {
			_ = p.listener.Close()
			return nil, fmt.Errorf("events: LISTEN %s: %w", Channel, err)
		}
	case <-ctx.Done():
		_ = p.listener.Close()
		return nil, ctx.Err()
	case <-timer.C:
		_ = p.listener.Close()
		return nil, fmt.Errorf("events: LISTEN %s: no connection after %s", Channel, cfg.StartTimeout)
	}
	p.done.Add(2)
	go p.receive()
	go p.ping(cfg.PingInterval)
	return p, nil
}

// BeforeCommit implements credits.Observer: the NOTIFY is queued in the
// ledger transaction, so PostgreSQL sends it if and only if it commits.
// Accounts nobody watches get none (see Subscribe): a NOTIFY costs a round
// trip, and PostgreSQL serializes the commits of notifying transactions.
func (p *Postgres) BeforeCommit(ctx context.Context, tx *ent.Tx, c *credits.Change) error {
	if c.Account != nil && c.Account.Watchers == 0 {
		return nil
	}
	e, ok := FromChange(c)
	if !ok {
		return nil
	}
	payloads, err := p.payloads(e)
	if err != nil {
		return err
	}
	for _, payload := range payloads {
		if _, err := tx.ExecContext(ctx, "SELECT pg_notify($1, $2)", Channel, payload); err != nil {
			return fmt.Errorf("events: notifying %s: %w", Channel, err)
		}
	}
	return nil
}

// AfterCommit implements credits.Observer; delivery comes back through LISTEN.
func (*Postgres) AfterCommit(context.Context, *credits.Change) {}

// payloads encodes e, split so that each notification stays small.
func (p *Postgres) payloads(e Event) ([]string, error) {
	b, err := json.Marshal(wire{Schema: p.schema, Event: e})
	if err != nil {
		return nil, fmt.Errorf("events: encoding: %w", err)
	}
	if len(b) <= maxPayload || len(e.RecordIDs) <= 1 {
		return []string{string(b)}, nil
	}
	half := len(e.RecordIDs) / 2
	first, second := e, e
	first.RecordIDs, second.RecordIDs = e.RecordIDs[:half], e.RecordIDs[half:]
	a, err := p.payloads(first)
	if err != nil {
		return nil, err
	}
	b2, err := p.payloads(second)
	return append(a, b2...), err
}

// receive fans notifications out to this process's subscribers.
func (p *Postgres) receive() {
	defer p.done.Done()
	for n := range p.listener.Notify {
		if n == nil {
			// The listener reconnected: anything sent meanwhile is lost,
			// so every subscriber reloads the current state.
			p.ResyncAll()
			continue
		}
		var w wire
		if err := json.Unmarshal([]byte(n.Extra), &w); err != nil || w.AccountID == 0 {
			p.logger.Warn("events: ignoring malformed notification", "channel", n.Channel, "err", err)
			continue
		}
		if w.Schema != p.schema {
			continue
		}
		p.Publish(w.Event)
	}
}

// ping checks an idle connection now and then, so that a silently dead one
// is noticed and replaced.
func (p *Postgres) ping(every time.Duration) {
	defer p.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			_ = p.listener.Ping()
		}
	}
}

func (p *Postgres) onConnectionEvent(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventDisconnected:
		p.logger.Warn("events: listener lost its database connection; reconnecting", "err", err)
	case pq.ListenerEventReconnected:
		p.logger.Info("events: listener reconnected; subscribers resync")
	case pq.ListenerEventConnectionAttemptFailed:
		p.logger.Warn("events: listener reconnection failed", "err", err)
	}
}

// closeTimeout bounds Close: a listener stuck on a dead connection must not
// hold up the server's shutdown.
const closeTimeout = 5 * time.Second

// Close stops listening.
func (p *Postgres) Close() error {
	err := errors.New("events: already closed")
	p.closed.Do(func() {
		// Count this instance's watchers out while the database is still
		// open: the streams end later, once it may be closed.
		p.unwatchAll()
		close(p.stop)
		done := make(chan error, 1)
		go func() {
			cerr := p.listener.Close()
			p.done.Wait()
			done <- cerr
		}()
		select {
		case err = <-done:
		case <-time.After(closeTimeout):
			err = fmt.Errorf("events: listener still closing after %s", closeTimeout)
		}
	})
	return err
}

// Open returns the broker for a database of the given ent dialect: Postgres
// for PostgreSQL, Local (in-process) otherwise.
func Open(ctx context.Context, dialect string, cfg PostgresConfig, opts ...HubOption) (Broker, error) {
	if dialect == entdialect.Postgres {
		return NewPostgres(ctx, cfg, opts...)
	}
	return NewLocal(opts...), nil
}
