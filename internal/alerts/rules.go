// Package alerts raises alerts when usage crosses an account's thresholds
// and delivers them to the account's webhook, signed, after the charge that
// raised them has committed.
package alerts

import (
	"context"
	"fmt"
	"time"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/alert"
	"github.com/vistasocial/aiusage/ent/alertrule"
	"github.com/vistasocial/aiusage/internal/credits"
	"github.com/vistasocial/aiusage/internal/money"
)

// maxRulesPerAccount bounds the rules evaluated on every charge.
const maxRulesPerAccount = 20

// Service manages alert rules and alerts; it is a credits.Observer.
type Service struct {
	client  *ent.Client
	ledger  *credits.Service
	webhook *Dispatcher
}

// New returns the alerts service; webhook may be nil (no deliveries).
func New(client *ent.Client, ledger *credits.Service, webhook *Dispatcher) *Service {
	return &Service{client: client, ledger: ledger, webhook: webhook}
}

// CreateRule adds an alert rule to the account.
func (s *Service) CreateRule(ctx context.Context, accountID int, kind alertrule.Kind, threshold int64) (*ent.AlertRule, error) {
	if alertrule.KindValidator(kind) != nil {
		return nil, &credits.InvalidArgumentError{Field: "kind", Reason: fmt.Sprintf("unknown kind %q", kind)}
	}
	if err := validateThreshold(kind, threshold); err != nil {
		return nil, err
	}
	n, err := s.client.AlertRule.Query().Where(alertrule.AccountID(accountID)).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n >= maxRulesPerAccount {
		return nil, &credits.InvalidArgumentError{Field: "kind", Reason: fmt.Sprintf("at most %d alert rules per account", maxRulesPerAccount)}
	}
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rule, err := tx.AlertRule.Create().SetAccountID(accountID).SetKind(kind).SetThreshold(threshold).
		SetCreatedAt(s.ledger.Now()).Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := countRules(ctx, tx, accountID, 1); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rule.Unwrap(), nil
}

// countRules keeps the account's rule count, which lets charges skip
// loading rules when there are none, in step with the rules. It adds in
// place (rule changes take no account lock): two changes committing
// together could each write a count that misses the other's.
func countRules(ctx context.Context, tx *ent.Tx, accountID, delta int) error {
	return tx.Account.UpdateOneID(accountID).AddAlertRuleCount(delta).Exec(ctx)
}

func validateThreshold(kind alertrule.Kind, threshold int64) error {
	bounds := map[alertrule.Kind][2]int64{
		alertrule.KindUSED_PERCENT:       {1, 100},
		alertrule.KindREMAINING_BELOW:    {1, 1_000_000_000},
		alertrule.KindRUNWAY_BELOW_DAYS:  {1, 365},
		alertrule.KindSOFT_LIMIT_REACHED: {0, 0},
	}[kind]
	if threshold < bounds[0] || threshold > bounds[1] {
		return &credits.InvalidArgumentError{Field: "threshold", Reason: fmt.Sprintf("must be between %d and %d for %s", bounds[0], bounds[1], kind)}
	}
	return nil
}

// DeleteRule removes one of the account's rules.
func (s *Service) DeleteRule(ctx context.Context, accountID, ruleID int) error {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	n, err := tx.AlertRule.Delete().Where(alertrule.ID(ruleID), alertrule.AccountID(accountID)).Exec(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return &credits.NotFoundError{What: "alert rule"}
	}
	if err := countRules(ctx, tx, accountID, -n); err != nil {
		return err
	}
	return tx.Commit()
}

// Dismiss hides one of the account's alerts.
func (s *Service) Dismiss(ctx context.Context, accountID, alertID int) (*ent.Alert, error) {
	a, err := s.client.Alert.Query().Where(alert.ID(alertID), alert.AccountID(accountID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, &credits.NotFoundError{What: "alert"}
	}
	if err != nil {
		return nil, err
	}
	if a.DismissedAt != nil {
		return a, nil
	}
	return a.Update().SetDismissedAt(s.ledger.Now()).Save(ctx)
}

// List returns the account's alerts, newest first.
func (s *Service) List(ctx context.Context, accountID int, includeDismissed bool, first int) ([]*ent.Alert, error) {
	if err := credits.ValidatePageSize("first", first); err != nil {
		return nil, err
	}
	q := s.client.Alert.Query().Where(alert.AccountID(accountID))
	if !includeDismissed {
		q.Where(alert.DismissedAtIsNil())
	}
	return q.Order(ent.Desc(alert.FieldCreatedAt), ent.Desc(alert.FieldID)).Limit(first).All(ctx)
}

// BeforeCommit evaluates the account's rules against the change, inside the
// ledger transaction: a rule fires at most once per billing period, and its
// alert and webhook delivery commit with the charge or not at all.
func (s *Service) BeforeCommit(ctx context.Context, tx *ent.Tx, change *credits.Change) error {
	if change.Account != nil && change.Account.AlertRuleCount == 0 {
		return nil
	}
	rules, err := tx.AlertRule.Query().Where(alertrule.AccountID(change.AccountID)).All(ctx)
	if err != nil || len(rules) == 0 {
		return err
	}
	period := change.Balance.PeriodStart
	var runway *credits.Runway
	for _, r := range rules {
		if r.FiredPeriodStart != nil && r.FiredPeriodStart.Equal(period) {
			continue
		}
		msg, fire, err := s.evaluate(ctx, tx, r, change, &runway)
		if err != nil {
			return err
		}
		if !fire {
			continue
		}
		if err := s.raise(ctx, tx, change.AccountID, r, msg); err != nil {
			return err
		}
		if err := tx.AlertRule.UpdateOne(r).SetFiredPeriodStart(period).Exec(ctx); err != nil {
			return fmt.Errorf("marking alert rule fired: %w", err)
		}
	}
	return nil
}

// AfterCommit wakes the webhook dispatcher after a change on an account
// with alert rules (only those can have queued a delivery), so that most
// charges cost it no query.
func (s *Service) AfterCommit(_ context.Context, change *credits.Change) {
	if s.webhook != nil && (change.Account == nil || change.Account.AlertRuleCount > 0) {
		s.webhook.Wake()
	}
}

func (s *Service) evaluate(ctx context.Context, tx *ent.Tx, r *ent.AlertRule, c *credits.Change, runway **credits.Runway) (string, bool, error) {
	b := c.Balance
	switch r.Kind {
	case alertrule.KindUSED_PERCENT:
		return fmt.Sprintf("You have used %.1f%% of this period's credits (alert at %d%%).", b.UsedPercent, r.Threshold),
			b.UsedPercent >= float64(r.Threshold), nil
	case alertrule.KindREMAINING_BELOW:
		return fmt.Sprintf("Only %s credits left (alert below %s).", money.GroupThousands(b.Remaining), money.GroupThousands(r.Threshold)),
			b.Remaining < r.Threshold, nil
	case alertrule.KindSOFT_LIMIT_REACHED:
		return "A soft monthly credit limit was reached.", len(c.SoftLimitsReached) > 0, nil
	case alertrule.KindRUNWAY_BELOW_DAYS:
		if *runway == nil {
			rw, err := s.ledger.RunwayTx(ctx, tx, c.AccountID, b)
			if err != nil {
				return "", false, err
			}
			*runway = &rw
		}
		rw := *runway
		if rw.RunsOutAt == nil {
			return "", false, nil
		}
		left := rw.RunsOutAt.Sub(s.ledger.Now()).Hours() / 24
		return fmt.Sprintf("At the current pace credits run out on %s (alert below %d days).", rw.RunsOutAt.Format("Jan 2, 2006"), r.Threshold),
			left < float64(r.Threshold), nil
	}
	return "", false, nil
}

// raise records an alert and, if the account has a webhook, its delivery.
func (s *Service) raise(ctx context.Context, tx *ent.Tx, accountID int, r *ent.AlertRule, msg string) error {
	now := s.ledger.Now()
	a, err := tx.Alert.Create().SetAccountID(accountID).SetRuleID(r.ID).
		SetKind(alert.Kind(r.Kind)).SetMessage(msg).SetCreatedAt(now).Save(ctx)
	if err != nil {
		return fmt.Errorf("recording alert: %w", err)
	}
	return enqueueDelivery(ctx, tx, accountID, a, now)
}

var _ credits.Observer = (*Service)(nil)

// nowUTC is time.Now in UTC; the dispatcher's default clock.
func nowUTC() time.Time { return time.Now().UTC() }
