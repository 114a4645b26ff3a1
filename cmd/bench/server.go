package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/events"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/metrics"
)

// startServer serves the real API handler on a loopback port, wired as the
// binary's serve command wires it (server.go): ledger observers for metrics
// and subscription events, request logging, the API key cache. Requests
// cross a real TCP connection and HTTP stack. Two deliberate differences:
// the per-key rate limit is off (the benchmark measures capacity, and one
// hot key would otherwise be throttled), and request logs are formatted but
// discarded so the terminal stays readable. Without withEvents the ledger
// publishes no subscription events (on PostgreSQL, no pg_notify per
// charge), to measure what they cost. It returns the base URL and a stop
// function.
func startServer(ctx context.Context, d *db.DB, withEvents bool) (string, func(), error) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var broker events.Broker = events.NewLocal()
	if withEvents {
		var err error
		broker, err = events.Open(ctx, d.Dialect, events.PostgresConfig{URL: databaseURL(), DB: d.SQL, Logger: logger})
		if err != nil {
			return "", nil, fmt.Errorf("opening the event broker: %w", err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		broker.Close()
		return "", nil, fmt.Errorf("listening: %w", err)
	}
	m := metrics.New(d.SQL)
	observers := []credits.Option{credits.WithObserver(m)}
	if withEvents {
		observers = append(observers, credits.WithObserver(broker))
	}
	done := make(chan struct{})
	srv := &http.Server{
		Handler: httpserver.New(httpserver.Config{
			Client:       d.Client,
			Credits:      credits.New(d.Client, d.Dialect, observers...),
			Ready:        d.Ready,
			Metrics:      m,
			Logger:       logger,
			AuthCacheTTL: 5 * time.Second, // as serve configures it
			Events:       broker,
			Done:         done,
		}),
		// The same timeouts as the production server (server.go).
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("server:", err)
		}
	}()
	stop := func() {
		close(done)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		broker.Close()
	}
	return "http://" + ln.Addr().String(), stop, nil
}
