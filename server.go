// Command aiusage serves the AI credits usage API and dashboard, and holds
// the operator commands (account creation and the like).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vistasocial/aiusage/internal/app"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/httpserver"
	"github.com/vistasocial/aiusage/internal/seed"
)

// shutdownGrace is how long in-flight requests get to finish on shutdown.
const shutdownGrace = 10 * time.Second

func main() {
	slog.SetDefault(newLogger(os.Getenv("LOG_FORMAT")))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// commands are the binary's subcommands besides serving.
var commands = map[string]func(ctx context.Context, args []string) error{
	"account create":  createAccount,
	"apikey revoke":   revokeKey,
	"ledger verify":   verifyLedger,
	"rollups rebuild": rebuildRollups,
	"migrate":         migrateOnly,
	"healthcheck":     healthcheck,
}

const usage = `commands:
  serve (default)                          serve the API and dashboard
  account create --name NAME --plan PLAN   create an account, print its API key
  apikey revoke --key KEY                  revoke an API key
  ledger verify                            check every account's ledger invariant
  rollups rebuild                          recompute the daily usage rollups
  migrate [--to VERSION]                   apply pending schema migrations and exit
  healthcheck                              probe the local server (container HEALTHCHECK)`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "serve" {
		return serve(ctx)
	}
	for n := 2; n >= 1; n-- {
		if len(args) >= n {
			if cmd, ok := commands[strings.Join(args[:n], " ")]; ok {
				return cmd(ctx, args[n:])
			}
		}
	}
	return fmt.Errorf("unknown command %q\n%s", strings.Join(args, " "), usage)
}

// open connects to DATABASE_URL, migrated and seeded, with a ledger over it
// for the operator commands.
func open(ctx context.Context) (*db.DB, *credits.Service, error) {
	database, err := app.OpenDatabase(ctx, env("DATABASE_URL", db.DefaultURL))
	if err != nil {
		return nil, nil, err
	}
	return database, credits.New(database.Client, database.Dialect), nil
}

func serve(ctx context.Context) error {
	database, err := app.OpenDatabase(ctx, env("DATABASE_URL", db.DefaultURL))
	if err != nil {
		return err
	}
	defer database.Close()
	app.TuneGC()
	svc, err := app.New(ctx, database, app.Options{WebhookBackoff: time.Second})
	if err != nil {
		return err
	}
	defer svc.Close()
	go svc.Run(ctx)

	demoKey, err := demoAccount(ctx, database, svc.Ledger)
	if err != nil {
		return err
	}
	rateLimit, err := envFloat("RATE_LIMIT_RPS", 200)
	if err != nil {
		return err
	}
	srv := app.NewHTTPServer(env("ADDR", ":8080"), svc.Handler(httpserver.Config{
		Logger:        slog.Default(),
		RateLimit:     rateLimit,
		RateBurst:     int(2 * rateLimit),
		AuthCacheTTL:  app.AuthCacheTTL,
		DemoKey:       demoKey,
		CORSOrigins:   list(os.Getenv("CORS_ORIGINS")),
		Introspection: os.Getenv("GRAPHQL_INTROSPECTION") != "false",
		Done:          ctx.Done(),
	}))
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("serving", "addr", srv.Addr, "database", database.Dialect)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

// demoAccount seeds the demo account on an empty embedded database (or any
// database when DEMO_API_KEY is set) and returns its key, rotated on each
// start since keys are stored only as hashes. It returns "" outside demo mode.
func demoAccount(ctx context.Context, database *db.DB, ledger *credits.Service) (string, error) {
	fixed := os.Getenv("DEMO_API_KEY")
	if !database.IsEmbedded() && fixed == "" {
		return "", nil
	}
	key, err := seed.DemoAccount(ctx, database.Client, ledger, fixed)
	if err != nil {
		return "", fmt.Errorf("seeding demo account: %w", err)
	}
	if key == "" {
		if key, err = seed.RotateDemoKey(ctx, database.Client, fixed); err != nil || key == "" {
			return "", err
		}
	}
	fmt.Printf("demo account API key: %s\n", key)
	return key, nil
}

func newLogger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func envFloat(name string, fallback float64) (float64, error) {
	v := os.Getenv(name)
	if v == "" {
		return fallback, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%s must be a non-negative number, got %q", name, v)
	}
	return f, nil
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func list(csv string) []string {
	var out []string
	for _, s := range strings.Split(csv, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
