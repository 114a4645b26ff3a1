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

	"github.com/vistasocial/aiusage/internal/app"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/httpserver"
)

// startServer serves the service's own assembly (internal/app, as the serve
// command runs it) on a loopback port: requests cross a real TCP connection
// and HTTP stack. Two deliberate differences: the per-key rate limit is off
// (the benchmark measures capacity, and one hot key would otherwise be
// throttled), and request logs are formatted but discarded so the terminal
// stays readable. Without withEvents the ledger publishes no subscription
// events (on PostgreSQL, no NOTIFY), to measure what they cost. It returns
// the base URL and a stop function.
func startServer(ctx context.Context, d *db.DB, withEvents bool) (string, func(), error) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	app.TuneGC() // as serve does: the server's process is this one
	svc, err := app.New(ctx, d, app.Options{Logger: logger, WithoutEvents: !withEvents, WebhookBackoff: time.Second})
	if err != nil {
		return "", nil, fmt.Errorf("assembling the service: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		svc.Close()
		return "", nil, fmt.Errorf("listening: %w", err)
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	go svc.Run(runCtx)
	done := make(chan struct{})
	srv := app.NewHTTPServer(ln.Addr().String(), svc.Handler(httpserver.Config{
		Logger:       logger,
		AuthCacheTTL: app.AuthCacheTTL,
		Done:         done,
	}))
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
		cancelRun()
		svc.Close()
	}
	return "http://" + ln.Addr().String(), stop, nil
}
