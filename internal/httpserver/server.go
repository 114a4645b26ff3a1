// Package httpserver assembles the HTTP surface: the GraphQL API, the
// playground, health checks and the embedded single-page app.
package httpserver

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/graph"
	"github.com/vistasocial/aiusage/graph/generated"
	"github.com/vistasocial/aiusage/internal/alerts"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/events"
	"github.com/vistasocial/aiusage/internal/metrics"
)

// Limits that keep one request from exhausting the server.
const (
	MaxBodyBytes    = 1 << 20 // 1 MiB
	ComplexityLimit = 5000
)

// Config is what the HTTP surface needs.
type Config struct {
	Client  *ent.Client
	Credits *credits.Service
	// Alerting manages alert rules, alerts and webhooks, and must observe
	// Credits; nil evaluates alerts without delivering webhooks.
	Alerting *alerts.Service
	// Ready checks the database and its schema for /readyz.
	Ready func(context.Context) error
	// Metrics, when set, are served at /metrics and fed by every request.
	Metrics *metrics.Metrics
	// Logger receives one line per request; nil discards them.
	Logger *slog.Logger
	// RateLimit is the sustained requests per second allowed per API key
	// (0: unlimited), with bursts up to RateBurst.
	RateLimit float64
	RateBurst int
	// AuthCacheTTL is how long an API key lookup is remembered; a revoked
	// key stops working at most this long after its revocation.
	AuthCacheTTL time.Duration
	// DemoKey, when set, is offered to the SPA at /api/demo-key.
	DemoKey string
	// CORSOrigins may call the API cross-origin; none by default.
	CORSOrigins []string
	// Introspection enables schema introspection and the playground.
	Introspection bool
	// Events feeds GraphQL subscriptions, served over websockets on
	// /graphql; nil refuses subscriptions.
	Events events.Subscriber
	// Done, once closed, closes every websocket connection (server
	// shutdown) so that clients reconnect, to another instance if need be.
	Done <-chan struct{}
}

// New returns the service's HTTP handler.
func New(cfg Config) http.Handler {
	resolver := &graph.Resolver{Client: cfg.Client, Credits: cfg.Credits, Alerting: cfg.Alerting}
	if resolver.Alerting == nil && cfg.Credits != nil { // alerts without webhook deliveries
		resolver.Alerting = alerts.New(cfg.Client, cfg.Credits, nil)
		cfg.Credits.AddObserver(resolver.Alerting)
	}
	keys := auth.NewAuthenticator(cfg.Client, cfg.AuthCacheTTL)
	limiter := newRateLimiter(cfg.RateLimit, max(cfg.RateBurst, 1))
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	gql := newGraphQLServer(resolver, cfg, wsConfig{
		keys:    keys,
		limiter: limiter,
		events:  cfg.Events,
		origins: cfg.CORSOrigins,
		done:    cfg.Done,
	}, logger)
	api := authenticate(keys, limiter, limitBody(gql))
	// Websockets authenticate in connection_init (wsInit), not with a header.
	ws := markWebsocket(gql)

	mux := http.NewServeMux()
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebsocket(r) {
			ws.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	mux.Handle("GET /export/usage.csv", authenticate(keys, limiter, exportUsage(cfg.Credits)))
	if cfg.Introspection {
		mux.Handle("GET /playground", playground.Handler("AI usage GraphQL", "/graphql"))
	}
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /readyz", readyz(cfg.Ready))
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", cfg.Metrics.Handler())
	}
	mux.HandleFunc("GET /api/demo-key", demoKey(cfg.DemoKey))
	mux.Handle("/", spa())

	return observe(cfg.Metrics, logger, cors.New(cors.Options{
		// rs/cors reads an empty list as "any origin"; ours means none.
		AllowOriginFunc: func(origin string) bool { return slices.Contains(cfg.CORSOrigins, origin) },
		AllowedMethods:  []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:  []string{"Authorization", "Content-Type", "X-Request-ID"},
		MaxAge:          600,
	}).Handler(mux))
}

// newGraphQLServer builds the gqlgen server as gqlgen's own server template
// does, with a complexity limit where connection sizes multiply, and the
// websocket transport for subscriptions.
func newGraphQLServer(resolver *graph.Resolver, cfg Config, ws wsConfig, logger *slog.Logger) *handler.Server {
	schema := generated.Config{Resolvers: resolver}
	setComplexity(&schema.Complexity)
	srv := handler.New(generated.NewExecutableSchema(schema))
	srv.AddTransport(newWebsocketTransport(ws)) // first: it claims upgrade requests
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit))
	srv.SetErrorPresenter(graph.PresentError)
	observeWebsocketOperations(srv, ws.limiter, cfg.Metrics, logger) // before observeOperations
	observeOperations(srv)
	// Every operation, on any transport (and each event of a subscription),
	// gets its own loaders.
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(resolver.LoadersContext(ctx))
	})
	return srv
}

// limitBody caps request bodies: a declared oversized body is refused at
// once, an undeclared one is cut off while reading.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			writeError(w, r, http.StatusRequestEntityTooLarge, graph.CodeRequestTooLarge, "request body over 1 MiB")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// healthz says the process is up and serving.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says whether the service can do its work: database reachable and
// schema migrated.
func readyz(ready func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := ready(ctx); err != nil {
				slog.WarnContext(r.Context(), "not ready", "err", err)
				http.Error(w, "not ready: database unavailable", http.StatusServiceUnavailable)
				return
			}
		}
		_, _ = w.Write([]byte("ready\n"))
	}
}

func demoKey(key string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if key == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, map[string]string{"apiKey": key})
	}
}
