package httpserver

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/graph"
	internalauth "github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/viewer"
)

// auth resolves the Bearer API key to the caller's account and refuses the
// request before any GraphQL work when there is none.
func auth(client *ent.Client, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := internalauth.BearerKey(r.Header.Get("Authorization"))
		if !ok {
			writeError(w, http.StatusUnauthorized, graph.CodeUnauthenticated, "missing API key: send Authorization: Bearer <key>")
			return
		}
		id, err := internalauth.Authenticate(r.Context(), client, key)
		switch {
		case errors.Is(err, internalauth.ErrUnauthenticated):
			writeError(w, http.StatusUnauthorized, graph.CodeUnauthenticated, "invalid or revoked API key")
			return
		case err != nil:
			slog.ErrorContext(r.Context(), "authenticating request", "err", err)
			writeError(w, http.StatusServiceUnavailable, graph.CodeInternal, "internal error")
			return
		}
		next.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), id)))
	})
}

// writeError answers with a GraphQL-shaped error outside GraphQL execution.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]string{"code": code}}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
