package httpserver

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/vistasocial/aiusage/graph"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/events"
	"github.com/vistasocial/aiusage/internal/metrics"
	"github.com/vistasocial/aiusage/internal/viewer"
)

// Websocket close codes (graphql-transport-ws and RFC 6455).
const (
	// CloseForbidden is graphql-transport-ws's 4403 Forbidden: the
	// connection_init payload carried no valid API key.
	CloseForbidden = 4403
	// CloseTryAgainLater (RFC 6455 1013) asks the client to reconnect later:
	// the key could not be checked, or the account is over its rate limit.
	CloseTryAgainLater = 1013
)

// Websocket timing.
const (
	// KeepAliveInterval is how often the server pings an idle connection; a
	// graphql-transport-ws client that does not answer two pings in a row
	// is disconnected.
	KeepAliveInterval = 10 * time.Second
	// wsInitTimeout is how long a client has to send connection_init.
	wsInitTimeout = 10 * time.Second
	// wsRecheckInterval is how often an open connection's API key is checked
	// again, so that revoking a key also ends its connections.
	wsRecheckInterval = time.Minute
)

// isWebsocket says whether r asks for a websocket upgrade. Such requests skip
// the Bearer header check: browsers cannot set headers on a websocket, so the
// key comes in the connection_init payload instead (see wsInit).
func isWebsocket(r *http.Request) bool {
	return r.Method == http.MethodGet &&
		headerHasToken(r.Header, "Connection", "upgrade") &&
		headerHasToken(r.Header, "Upgrade", "websocket")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// wsConfig is what the websocket transport needs.
type wsConfig struct {
	keys    *auth.Authenticator
	limiter *rateLimiter
	events  events.Subscriber
	// origins may open websockets cross-origin (as CORS_ORIGINS).
	origins []string
	// done closes every connection (server shutdown), so clients reconnect
	// to another instance at once.
	done <-chan struct{}
}

// newWebsocketTransport serves GraphQL over websockets (graphql-transport-ws,
// and the legacy graphql-ws protocol).
func newWebsocketTransport(cfg wsConfig) transport.Websocket {
	return transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: cfg.origins},
		},
		InitTimeout: wsInitTimeout,
		// graphql-transport-ws: ping, and drop peers that stop answering.
		PingPongInterval: KeepAliveInterval,
		// Legacy graphql-ws: keep-alive messages.
		KeepAlivePingInterval: KeepAliveInterval,
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			return wsInit(ctx, cfg, payload)
		},
	}
}

// wsInit authenticates a connection from its connection_init payload,
// {"authorization": "Bearer <key>"}, with the same authenticator as HTTP
// requests. A missing or bad key closes the socket with 4403 Forbidden.
func wsInit(ctx context.Context, cfg wsConfig, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	key, ok := auth.BearerKey(payload.Authorization())
	if !ok {
		infoFrom(ctx).errorCode = graph.CodeUnauthenticated
		return closeWith(ctx, CloseForbidden, "Forbidden"), nil, errors.New("missing API key: send {\"authorization\": \"Bearer <key>\"} in connection_init")
	}
	id, err := cfg.keys.Authenticate(ctx, key)
	switch {
	case errors.Is(err, auth.ErrUnauthenticated):
		infoFrom(ctx).errorCode = graph.CodeUnauthenticated
		return closeWith(ctx, CloseForbidden, "Forbidden"), nil, errors.New("invalid or revoked API key")
	case err != nil:
		slog.ErrorContext(ctx, "authenticating websocket", "err", err)
		infoFrom(ctx).errorCode = graph.CodeInternal
		return closeWith(ctx, CloseTryAgainLater, "service unavailable, retry later"), nil, errors.New("service unavailable, retry later")
	}
	info := infoFrom(ctx)
	info.accountID = id
	if !cfg.limiter.allow(id) {
		info.errorCode = graph.CodeRateLimited
		return closeWith(ctx, CloseTryAgainLater, "too many requests"), nil, errors.New("too many requests for this API key, slow down")
	}
	ctx = viewer.NewContext(ctx, id)
	if cfg.events != nil {
		ctx = events.NewContext(ctx, cfg.events)
	}
	ctx, cancel := context.WithCancel(ctx)
	go watchConnection(ctx, cancel, cfg, key, id)
	return ctx, nil, nil
}

func closeWith(ctx context.Context, code int, reason string) context.Context {
	return transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, code), reason)
}

// watchConnection ends the connection (cancel) when the server shuts down or
// the key stops authenticating as its account. It returns when ctx ends,
// which the transport does when the connection closes.
func watchConnection(ctx context.Context, cancel context.CancelFunc, cfg wsConfig, key string, accountID int) {
	defer cancel()
	t := time.NewTicker(wsRecheckInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-cfg.done:
			return
		case <-t.C:
			id, err := cfg.keys.Authenticate(ctx, key)
			if errors.Is(err, auth.ErrUnauthenticated) || (err == nil && id != accountID) {
				slog.InfoContext(ctx, "closing websocket: API key no longer valid", "account_id", accountID)
				return
			}
		}
	}
}

// wsConnKey marks the context of a websocket connection.
type wsConnKey struct{}

// observeWebsocketOperations gives each operation on a websocket connection
// its own request info (operations run concurrently on one connection), its
// own loaders for each response (a subscription lives for hours: its
// batches and caches must not), applies the account's rate limit to each
// operation as HTTP does to each request, counts open subscriptions and logs
// each operation when it ends. Register it before observeOperations.
func observeWebsocketOperations(srv *handler.Server, limiter *rateLimiter, m *metrics.Metrics, logger *slog.Logger) {
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if ctx.Value(wsConnKey{}) == nil {
			return next(ctx)
		}
		conn := infoFrom(ctx)
		if !limiter.allow(conn.accountID) {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    "too many requests for this API key, slow down",
				Extensions: map[string]any{"code": graph.CodeRateLimited},
			}}})
		}
		info := &requestInfo{id: conn.id, accountID: conn.accountID}
		ctx = context.WithValue(ctx, requestInfoKey{}, info)
		oc := graphql.GetOperationContext(ctx)
		subscription := oc.Operation != nil && oc.Operation.Operation == ast.Subscription
		start := time.Now()
		responses := next(ctx) // runs the subscription resolver: it is open once this returns
		if subscription && m != nil {
			m.SubscriptionOpened()
		}
		operation := info.operation // set by observeOperations, inside next
		var once sync.Once
		finish := func() {
			once.Do(func() {
				if subscription && m != nil {
					m.SubscriptionClosed()
				}
				logger.LogAttrs(context.WithoutCancel(ctx), slog.LevelInfo, "websocket operation",
					slog.String("request_id", info.id),
					slog.String("operation", operation),
					slog.Bool("subscription", subscription),
					slog.Int("account_id", info.accountID),
					slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
				)
			})
		}
		stop := context.AfterFunc(ctx, finish)
		return func(ctx context.Context) *graphql.Response {
			resp := responses(ctx)
			if resp == nil {
				stop()
				finish()
			}
			return resp
		}
	})
}

// markWebsocket tags a websocket request's context for
// observeWebsocketOperations.
func markWebsocket(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), wsConnKey{}, true)))
	})
}
