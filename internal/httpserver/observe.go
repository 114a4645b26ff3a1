package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"

	"github.com/vistasocial/aiusage/internal/metrics"
)

// requestInfo collects what the request log line and metrics report; the
// layers below fill it in as they learn it.
type requestInfo struct {
	id        string
	operation string
	accountID int
	errorCode string
	graphQL   bool
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// validRequestID accepts client request IDs that are safe to log.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// observe logs one line per request and counts it. It never logs headers or
// bodies, so API keys cannot reach the logs.
func observe(m *metrics.Metrics, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: r.Header.Get("X-Request-ID"), operation: routeLabel(r.URL.Path)}
		if !validRequestID.MatchString(info.id) {
			info.id = newRequestID()
		}
		w.Header().Set("X-Request-ID", info.id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		elapsed := time.Since(start)
		if m != nil {
			m.ObserveRequest(info.operation, rec.status, elapsed, info.graphQL)
		}
		attrs := []slog.Attr{
			slog.String("request_id", info.id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		}
		if info.graphQL {
			attrs = append(attrs, slog.String("operation", info.operation))
		}
		if info.accountID != 0 {
			attrs = append(attrs, slog.Int("account_id", info.accountID))
		}
		if info.errorCode != "" {
			attrs = append(attrs, slog.String("error_code", info.errorCode))
		}
		logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// observeOperations records each GraphQL operation's name and first error
// code into the request's info.
func observeOperations(srv *handler.Server) {
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		info := infoFrom(ctx)
		info.graphQL = true
		info.operation = "anonymous"
		if oc := graphql.GetOperationContext(ctx); oc.OperationName != "" {
			info.operation = oc.OperationName
		} else if oc.Operation != nil && oc.Operation.Name != "" {
			info.operation = oc.Operation.Name
		}
		return next(ctx)
	})
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if info := infoFrom(ctx); resp != nil && info.errorCode == "" {
			for _, e := range resp.Errors {
				if code, ok := e.Extensions["code"].(string); ok {
					info.errorCode = code
					break
				}
			}
		}
		return resp
	})
}

// routeLabel names a non-GraphQL request for metrics with a fixed set of
// values, whatever paths clients send.
func routeLabel(path string) string {
	switch path {
	case "/graphql", "/healthz", "/readyz", "/metrics", "/playground", "/api/demo-key", "/export/usage.csv":
		return path
	}
	return "spa"
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer
// (websocket upgrades, flushing).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
