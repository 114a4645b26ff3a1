package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/account"
	"github.com/vistasocial/aiusage/ent/webhookdelivery"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Webhook headers. The signature is hex HMAC-SHA256, keyed with the
// account's secret, over "<timestamp>.<body>"; receivers recompute it and
// reject timestamps older than a few minutes to stop replays.
const (
	HeaderTimestamp = "X-AIUsage-Timestamp"
	HeaderSignature = "X-AIUsage-Signature"
)

// Sign returns the signature header value for a body sent at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts.Unix())
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Payload is the JSON body POSTed for an alert.
type Payload struct {
	Type      string    `json:"type"`
	AlertID   int       `json:"alert_id"`
	AccountID int       `json:"account_id"`
	Kind      string    `json:"kind"`
	Message   string    `json:"message"`
	CreatedAt time.Time `json:"created_at"`
}

func enqueueDelivery(ctx context.Context, tx *ent.Tx, accountID int, a *ent.Alert, now time.Time) error {
	acct, err := tx.Account.Query().Where(account.ID(accountID)).Select(account.FieldWebhookURL).Only(ctx)
	if err != nil || acct.WebhookURL == nil {
		return err
	}
	body, err := json.Marshal(Payload{Type: "alert", AlertID: a.ID, AccountID: accountID, Kind: string(a.Kind), Message: a.Message, CreatedAt: a.CreatedAt})
	if err != nil {
		return err
	}
	return tx.WebhookDelivery.Create().SetAccountID(accountID).SetAlertID(a.ID).SetURL(*acct.WebhookURL).
		SetPayload(string(body)).SetNextAttemptAt(now).Exec(ctx)
}

// SetWebhook sets the account's webhook URL with a new signing secret,
// which is returned once.
func (s *Service) SetWebhook(ctx context.Context, accountID int, rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(rawURL) > 2000 {
		return "", &credits.InvalidArgumentError{Field: "url", Reason: "must be an http(s) URL"}
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := "whsec_" + base64.RawURLEncoding.EncodeToString(b)
	err = s.client.Account.UpdateOneID(accountID).SetWebhookURL(rawURL).SetWebhookSecret(secret).Exec(ctx)
	return secret, err
}

// RemoveWebhook stops webhook deliveries for the account.
func (s *Service) RemoveWebhook(ctx context.Context, accountID int) error {
	return s.client.Account.UpdateOneID(accountID).ClearWebhookURL().ClearWebhookSecret().Exec(ctx)
}

// Dispatcher delivers pending webhooks, retrying failures with exponential
// backoff. Every attempt is recorded on the delivery row; several server
// instances may run one each, as deliveries are claimed before sending.
type Dispatcher struct {
	client      *ent.Client
	http        *http.Client
	backoff     time.Duration
	maxAttempts int
	now         func() time.Time
	wake        chan struct{}
}

// NewDispatcher returns a dispatcher whose first retry waits backoff.
func NewDispatcher(client *ent.Client, backoff time.Duration) *Dispatcher {
	return &Dispatcher{
		client: client, http: &http.Client{Timeout: 5 * time.Second},
		backoff: backoff, maxAttempts: 8, now: nowUTC, wake: make(chan struct{}, 1),
	}
}

// Wake asks for a delivery round without waiting for the next tick.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	tick := time.NewTicker(max(d.backoff/2, 50*time.Millisecond))
	defer tick.Stop()
	for {
		if err := d.deliverDue(ctx); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "delivering webhooks", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-tick.C:
		}
	}
}

func (d *Dispatcher) deliverDue(ctx context.Context) error {
	now := d.now()
	due, err := d.client.WebhookDelivery.Query().
		Where(webhookdelivery.DeliveredAtIsNil(), webhookdelivery.Failed(false), webhookdelivery.NextAttemptAtLTE(now)).
		Order(webhookdelivery.ByNextAttemptAt()).Limit(20).All(ctx)
	if err != nil {
		return err
	}
	for _, w := range due {
		// Claim: push the next attempt out so no other instance sends it too.
		n, err := d.client.WebhookDelivery.Update().
			Where(webhookdelivery.ID(w.ID), webhookdelivery.NextAttemptAt(*w.NextAttemptAt)).
			SetNextAttemptAt(now.Add(time.Minute)).Save(ctx)
		if err != nil || n == 0 {
			continue
		}
		d.attempt(ctx, w, now)
	}
	return nil
}

func (d *Dispatcher) attempt(ctx context.Context, w *ent.WebhookDelivery, now time.Time) {
	acct, err := d.client.Account.Query().Where(account.ID(w.AccountID)).Select(account.FieldWebhookSecret).Only(ctx)
	secret := ""
	if err == nil && acct.WebhookSecret != nil {
		secret = *acct.WebhookSecret
	}
	status, sendErr := d.send(ctx, w, secret, now)
	upd := d.client.WebhookDelivery.UpdateOne(w).AddAttempts(1)
	if status != 0 {
		upd.SetLastStatus(status)
	}
	switch {
	case sendErr == nil:
		upd.SetDeliveredAt(d.now()).ClearNextAttemptAt().ClearLastError()
	case w.Attempts+1 >= d.maxAttempts:
		upd.SetFailed(true).SetLastError(sendErr.Error()).ClearNextAttemptAt()
	default:
		upd.SetLastError(sendErr.Error()).SetNextAttemptAt(d.now().Add(d.backoff << w.Attempts))
	}
	if err := upd.Exec(ctx); err != nil {
		slog.WarnContext(ctx, "recording webhook attempt", "delivery", w.ID, "err", err)
	}
}

func (d *Dispatcher) send(ctx context.Context, w *ent.WebhookDelivery, secret string, now time.Time) (int, error) {
	body := []byte(w.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "aiusage-webhooks/1")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(secret, now, body))
	resp, err := d.http.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}
