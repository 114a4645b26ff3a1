package httpserver_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestSpendingControlsOverGraphQL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Controlled", "Starter")
		a.query(`mutation { setCreditLimit(input: {category: IMAGE, monthlyCredits: 20, hard: true}) { id category monthlyCredits hard used } }`, nil, nil)
		const img = `mutation($k: String!) { recordUsage(input: {category: IMAGE, quantity: 2, idempotencyKey: $k}) { balance { remaining } } }`
		a.do(img, map[string]any{"k": "i1"})
		a.expectError(img, map[string]any{"k": "i2"}, "CREDIT_LIMIT_EXCEEDED")
		if n := a.recordCount(); n != 1 {
			t.Fatalf("rejected charge wrote a record: %d", n)
		}
		a.query(`mutation { createAlertRule(input: {kind: REMAINING_BELOW, threshold: 900}) { id kind threshold } }`, nil, nil)
		a.do(`mutation { recordUsage(input: {category: CHAT, credits: 100, idempotencyKey: "c1"}) { balance { remaining } } }`, nil)
		var out struct {
			Viewer struct {
				HourlyRate   struct{ Formatted string }
				CreditLimits []struct {
					Category string
					Used     int
				}
				Alerts []struct {
					Kind    string
					Message string
				}
			}
			CreditBalance struct {
				Runway struct {
					DailyBurn       float64
					LastsUntilReset bool
				}
			}
			DailyUsage []struct{ TotalCredits int }
		}
		a.query(`{ viewer { hourlyRate { formatted } creditLimits { category used } alerts { kind message } }
			creditBalance { runway { dailyBurn lastsUntilReset runsOutAt } } dailyUsage(days: 30) { totalCredits } }`, nil, &out)
		v := out.Viewer
		if v.HourlyRate.Formatted != "$50.00" || len(v.CreditLimits) != 1 || v.CreditLimits[0].Used != 20 ||
			len(v.Alerts) != 1 || v.Alerts[0].Kind != "REMAINING_BELOW" || len(out.DailyUsage) != 30 ||
			out.DailyUsage[29].TotalCredits != 120 || out.CreditBalance.Runway.DailyBurn != 17.1 {
			t.Fatalf("controls: %+v", out)
		}
		// Another account sees none of it.
		b := e.account("Other", "Starter")
		var theirs struct {
			Viewer struct {
				CreditLimits []struct{ ID string }
				Alerts       []struct{ ID string }
			}
		}
		b.query(`{ viewer { creditLimits { id } alerts { id } } }`, nil, &theirs)
		if len(theirs.Viewer.CreditLimits)+len(theirs.Viewer.Alerts) != 0 {
			t.Fatalf("another account sees controls: %+v", theirs)
		}
	})
}

func TestUsageExportCSV(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Exported", "Pro")
		desc := `Draft, "final" version`
		credits5 := 5
		if _, err := e.ledger.RecordUsage(e.ctx, a.ID, credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: &credits5, Description: &desc, IdempotencyKey: "x1"}); err != nil {
			t.Fatal(err)
		}
		a.chargeAt(usagerecord.CategoryIMAGE, 1, nil, testNow.Add(-40*time.Hour), "x2")
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/export/usage.csv?from=2025-03-15&to=2025-03-15", nil)
		req.Header.Set("Authorization", "Bearer "+a.Key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rows, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export: HTTP %d, %v", resp.StatusCode, err)
		}
		if len(rows) != 2 || rows[0][0] != "occurred_at" || rows[1][1] != "CHAT" || rows[1][4] != "5" || rows[1][5] != "0.05" || rows[1][9] != desc {
			t.Fatalf("export rows: %q", rows)
		}
		// Without a key: refused; a backwards range: a clear error.
		if r, _ := http.Get(e.srv.URL + "/export/usage.csv"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("export without a key: %d", r.StatusCode)
		}
		req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/export/usage.csv?from=2025-03-15&to=2025-03-01", nil)
		req.Header.Set("Authorization", "Bearer "+a.Key)
		if r, _ := http.DefaultClient.Do(req); r.StatusCode != http.StatusBadRequest {
			t.Fatalf("backwards range: %d", r.StatusCode)
		}
	})
}
