// Package app assembles the service from its parts: the credits ledger with
// what observes it (metrics, subscription events, alerts and their webhook
// deliveries) and the HTTP handler over them. The serve command runs this
// assembly, and the benchmark tool measures the very same one.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/vistasocial/aiusage/internal/alerts"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/events"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/metrics"
)

// AuthCacheTTL is how long the server remembers an API key lookup: a
// revoked key stops working at most this long after its revocation.
const AuthCacheTTL = 5 * time.Second

// Options configure the assembly.
type Options struct {
	// Logger receives the events' connection changes; nil: slog.Default.
	Logger *slog.Logger
	// WithoutEvents leaves out the events of GraphQL subscriptions (no
	// NOTIFY per charge on PostgreSQL; subscriptions are refused), so the
	// benchmark can measure what they cost.
	WithoutEvents bool
	// WebhookBackoff is the first retry delay of webhook deliveries.
	WebhookBackoff time.Duration
}

// Service is the assembled service.
type Service struct {
	DB       *db.DB
	Ledger   *credits.Service
	Metrics  *metrics.Metrics
	Alerting *alerts.Service
	// Events is nil with Options.WithoutEvents.
	Events   events.Broker
	webhooks *alerts.Dispatcher
}

// New assembles the service over an open, migrated database.
func New(ctx context.Context, database *db.DB, opts Options) (*Service, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Service{DB: database, Metrics: metrics.New(database.SQL)}
	observers := []credits.Option{credits.WithObserver(s.Metrics)}
	if !opts.WithoutEvents {
		// PostgreSQL LISTEN/NOTIFY reaches every instance on the database;
		// SQLite stays in-process.
		broker, err := events.Open(ctx, database.Dialect, events.PostgresConfig{
			URL: database.URL, DB: database.SQL, Logger: opts.Logger,
		})
		if err != nil {
			return nil, err
		}
		s.Events = broker
		observers = append(observers, credits.WithObserver(broker))
	}
	s.Ledger = credits.New(database.Client, database.Dialect, observers...)
	s.webhooks = alerts.NewDispatcher(database.Client, opts.WebhookBackoff)
	s.Alerting = alerts.New(database.Client, s.Ledger, s.webhooks)
	s.Ledger.AddObserver(s.Alerting)
	return s, nil
}

// Run delivers webhooks until ctx ends.
func (s *Service) Run(ctx context.Context) { s.webhooks.Run(ctx) }

// Handler returns the HTTP handler over the service. cfg holds the
// deployment's settings (logger, rate limit, CORS, introspection...); the
// service's own parts are filled in.
func (s *Service) Handler(cfg httpserver.Config) http.Handler {
	cfg.Client, cfg.Credits, cfg.Alerting = s.DB.Client, s.Ledger, s.Alerting
	cfg.Ready, cfg.Metrics, cfg.Events = s.DB.Ready, s.Metrics, s.Events
	return httpserver.New(cfg)
}

// Close stops the subscription events.
func (s *Service) Close() error {
	if s.Events == nil {
		return nil
	}
	return s.Events.Close()
}

// NewHTTPServer returns an HTTP server with the service's timeouts.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}
