package alerts_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/alertrule"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/ent/webhookdelivery"
	"github.com/vistasocial/aiusage/internal/alerts"
	"github.com/vistasocial/aiusage/internal/auth"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// receiver is a webhook endpoint on loopback that fails the first failures
// requests, then accepts, checking every signature.
type receiver struct {
	mu       sync.Mutex
	secret   string
	failures int
	calls    int
	bodies   []alerts.Payload
	badSigs  int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.calls++
	body, _ := io.ReadAll(r.Body)
	ts, _ := strconv.ParseInt(r.Header.Get(alerts.HeaderTimestamp), 10, 64)
	if alerts.Sign(rc.secret, time.Unix(ts, 0), body) != r.Header.Get(alerts.HeaderSignature) {
		rc.badSigs++
	}
	if rc.calls <= rc.failures {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	var p alerts.Payload
	_ = json.Unmarshal(body, &p)
	rc.bodies = append(rc.bodies, p)
}

func TestAlertsFireOnceAndWebhooksRetry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := testdb.NewClock(time.Date(2026, 5, 20, 15, 0, 0, 0, time.UTC))
		ledger := credits.New(d.Client, d.Dialect, credits.WithClock(clock.Now))
		dispatcher := alerts.NewDispatcher(d.Client, 20*time.Millisecond)
		svc := alerts.New(d.Client, ledger, dispatcher)
		ledger.AddObserver(svc)
		runCtx, stop := context.WithCancel(ctx)
		defer stop()
		go dispatcher.Run(runCtx)

		acct, err := ledger.CreateAccount(ctx, "Alerted", "Starter", auth.HashKey("k"))
		if err != nil {
			t.Fatal(err)
		}
		rc := &receiver{failures: 2}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		secret, err := svc.SetWebhook(ctx, acct.ID, srv.URL+"/hooks")
		if err != nil {
			t.Fatal(err)
		}
		rc.mu.Lock()
		rc.secret = secret
		rc.mu.Unlock()
		if _, err := svc.CreateRule(ctx, acct.ID, alertrule.KindUSED_PERCENT, 80); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateRule(ctx, acct.ID, alertrule.KindUSED_PERCENT, 101); err == nil {
			t.Fatal("a 101% threshold was accepted")
		}
		charge := func(n int, key string) {
			t.Helper()
			if _, err := ledger.RecordUsage(ctx, acct.ID, credits.UsageInput{Category: usagerecord.CategoryCHAT, Credits: &n, IdempotencyKey: key}); err != nil {
				t.Fatal(err)
			}
		}
		charge(790, "a") // 79%: below the threshold
		if list, _ := svc.List(ctx, acct.ID, false, 20); len(list) != 0 {
			t.Fatalf("alert below the threshold: %v", list)
		}
		charge(20, "b") // 81%: fires
		charge(50, "c") // 86%: already fired this period
		list, err := svc.List(ctx, acct.ID, false, 20)
		if err != nil || len(list) != 1 || list[0].Message == "" {
			t.Fatalf("alerts after crossing: %v, %v", list, err)
		}
		// The receiver fails twice, then takes it: three recorded attempts.
		deadline := time.Now().Add(10 * time.Second)
		for {
			w, err := d.Client.WebhookDelivery.Query().Where(webhookdelivery.AccountID(acct.ID)).Only(ctx)
			if err == nil && w.DeliveredAt != nil {
				if w.Attempts != 3 || w.LastStatus == nil || *w.LastStatus != 200 {
					t.Fatalf("delivery: %d attempts, last status %v", w.Attempts, w.LastStatus)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("webhook never delivered: %+v, %v", w, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		rc.mu.Lock()
		if rc.badSigs != 0 || len(rc.bodies) != 1 || rc.bodies[0].Kind != "USED_PERCENT" || rc.bodies[0].AccountID != acct.ID {
			t.Fatalf("receiver saw %d bad signatures and %+v", rc.badSigs, rc.bodies)
		}
		rc.mu.Unlock()
		// Dismissed alerts leave the default list; a new period can fire again.
		if _, err := svc.Dismiss(ctx, acct.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if l, _ := svc.List(ctx, acct.ID, false, 20); len(l) != 0 {
			t.Fatalf("dismissed alert still listed: %v", l)
		}
		clock.Set(time.Date(2026, 6, 20, 1, 0, 0, 0, time.UTC))
		charge(900, "d")
		if l, _ := svc.List(ctx, acct.ID, true, 20); len(l) != 2 {
			t.Fatalf("alerts over two periods: %d, want 2", len(l))
		}
		// Another account cannot dismiss or see them.
		other, _ := ledger.CreateAccount(ctx, "Other", "Starter", auth.HashKey("o"))
		if _, err := svc.Dismiss(ctx, other.ID, list[0].ID); err == nil {
			t.Fatal("another account dismissed the alert")
		}
		if err := ledger.Verify(ctx, acct.ID); err != nil {
			t.Fatal(err)
		}
	})
}
