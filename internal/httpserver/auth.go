package httpserver

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/vistasocial/aiusage/graph"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/viewer"
)

// authenticate resolves the Bearer API key to the caller's account and
// refuses the request before any GraphQL work when there is none, or when
// the account is over its rate limit.
func authenticate(keys *auth.Authenticator, limiter *rateLimiter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		key, ok := auth.BearerKey(r.Header.Get("Authorization"))
		if !ok {
			writeError(w, r, http.StatusUnauthorized, graph.CodeUnauthenticated, "missing API key: send Authorization: Bearer <key>")
			return
		}
		id, err := keys.Authenticate(r.Context(), key)
		switch {
		case errors.Is(err, auth.ErrUnauthenticated):
			writeError(w, r, http.StatusUnauthorized, graph.CodeUnauthenticated, "invalid or revoked API key")
			return
		case err != nil:
			slog.ErrorContext(r.Context(), "authenticating request", "err", err)
			writeError(w, r, http.StatusServiceUnavailable, graph.CodeInternal, "service unavailable, retry later")
			return
		}
		infoFrom(r.Context()).accountID = id
		if !limiter.allow(id) {
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusTooManyRequests, graph.CodeRateLimited, "too many requests for this API key, slow down")
			return
		}
		next.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), id)))
	})
}

// writeError answers with a GraphQL-shaped error outside GraphQL execution.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	infoFrom(r.Context()).errorCode = code
	writeJSON(w, status, map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]string{"code": code}}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
