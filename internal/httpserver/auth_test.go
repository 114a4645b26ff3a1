package httpserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		revoked := e.account("Gone", "Pro")
		if err := e.client.Account.UpdateOneID(revoked.ID).SetAPIKeyRevokedAt(time.Now()).Exec(e.ctx); err != nil {
			t.Fatal(err)
		}
		const charge = `mutation { recordUsage(input: {category: IMAGE, idempotencyKey: "auth"}) { usageRecord { id } } }`

		refused := []struct {
			name          string
			authorization string
		}{
			{"no header", ""},
			{"garbage key", "Bearer not-a-key"},
			{"well-formed unknown key", "Bearer aiu_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
			{"basic scheme", "Basic x"},
			{"basic scheme with a valid key", "Basic " + a.Key},
			{"key without scheme", a.Key},
			{"empty bearer", "Bearer "},
			{"bearer of spaces", "Bearer    "},
			{"key with a suffix", "Bearer " + a.Key + "x"},
			{"key with a trailing token", "Bearer " + a.Key + " extra"},
			{"over-long key", "Bearer " + strings.Repeat("k", 5000)},
			{"revoked key", "Bearer " + revoked.Key},
		}
		for _, tc := range refused {
			for _, q := range []string{`{ creditBalance { remaining } }`, charge} {
				r := e.post(tc.authorization, q, nil)
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s: HTTP %d, want 401: %s", tc.name, r.Status, r.Raw)
					continue
				}
				requireCode(t, r, "UNAUTHENTICATED")
				if r.HasData() {
					t.Errorf("%s: response carries data: %s", tc.name, r.Data)
				}
			}
		}
		if n := a.recordCount() + revoked.recordCount(); n != 0 {
			t.Fatalf("unauthenticated requests wrote %d records", n)
		}

		// GET requests are authenticated too.
		req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?query=%7BcreditBalance%7Bremaining%7D%7D", nil)
		if err != nil {
			t.Fatal(err)
		}
		if r := e.send(req); r.Status != http.StatusUnauthorized {
			t.Fatalf("GET without key: HTTP %d, want 401", r.Status)
		} else {
			requireCode(t, r, "UNAUTHENTICATED")
		}

		// The valid key works, with the scheme in any case.
		for _, scheme := range []string{"Bearer ", "bearer ", "BEARER "} {
			r := e.post(scheme+a.Key, `{ viewer { id } }`, nil)
			if r.Status != http.StatusOK || len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"`+id(a.ID)+`"`) {
				t.Fatalf("%q: HTTP %d %s", scheme, r.Status, r.Raw)
			}
		}
	})
}
