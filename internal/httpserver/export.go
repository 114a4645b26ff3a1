package httpserver

import (
	"encoding/csv"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/graph"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/money"
	"github.com/vistasocial/aiusage/internal/viewer"
)

// exportColumns is the CSV header, one row per charge.
var exportColumns = []string{
	"occurred_at", "category", "agent", "quantity", "credits", "value_usd",
	"plan_credits", "bundle_credits", "profiles_processed", "description", "idempotency_key", "id",
}

// exportUsage streams the caller's usage records of a date range as CSV
// (RFC 4180): GET /export/usage.csv?from=2026-11-01&to=2026-11-30.
func exportUsage(ledger *credits.Service) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _ := viewer.FromContext(r.Context())
		today := ledger.Now()
		from, errFrom := dateParam(r, "from", today.AddDate(0, 0, -29))
		to, errTo := dateParam(r, "to", today)
		if err := errors.Join(errFrom, errTo); err != nil {
			writeError(w, r, http.StatusBadRequest, graph.CodeInvalidArgument, err.Error())
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="ai-usage-`+from.Format(time.DateOnly)+`-to-`+to.Format(time.DateOnly)+`.csv"`)
		h.Set("Cache-Control", "no-store")
		out := csv.NewWriter(w)
		wroteHeader := false
		err := ledger.ExportUsage(r.Context(), v.AccountID, from, to, func(rec *ent.UsageRecord, agentName string) error {
			if !wroteHeader {
				wroteHeader = true
				if err := out.Write(exportColumns); err != nil {
					return err
				}
			}
			return out.Write(exportRow(rec, agentName))
		})
		var invalid *credits.InvalidArgumentError
		switch {
		case errors.As(err, &invalid) && !wroteHeader:
			writeError(w, r, http.StatusBadRequest, graph.CodeInvalidArgument, invalid.Error())
			return
		case err != nil:
			// Headers are sent; a truncated file is all we can signal.
			slog.ErrorContext(r.Context(), "exporting usage", "err", err)
			return
		case !wroteHeader:
			_ = out.Write(exportColumns)
		}
		out.Flush()
	}
}

func exportRow(r *ent.UsageRecord, agentName string) []string {
	profiles, description := "", ""
	if r.ProfilesProcessed != nil {
		profiles = strconv.Itoa(*r.ProfilesProcessed)
	}
	if r.Description != nil {
		description = *r.Description
	}
	return []string{
		r.OccurredAt.UTC().Format(time.RFC3339), string(r.Category), agentName,
		strconv.Itoa(r.Quantity), strconv.FormatInt(r.Credits, 10), money.USD(r.ValueMicros).Amount(),
		strconv.FormatInt(r.PlanCredits, 10), strconv.FormatInt(r.BundleCredits, 10),
		profiles, description, r.IdempotencyKey, strconv.Itoa(r.ID),
	}
}

func dateParam(r *http.Request, name string, fallback time.Time) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return fallback, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, errors.New(name + " must be a date like 2026-11-25")
	}
	return t, nil
}
