package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Account holds the schema definition for the Account entity. Besides its
// identity it carries the current billing period's plan credits, which only
// the credits ledger changes.
type Account struct {
	ent.Schema
}

// Fields of the Account.
func (Account) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("name").NotEmpty(),
		field.Int("plan_id").Annotations(hidden),
		// api_key_hash is the SHA-256 of the API key; the key itself is never stored.
		field.String("api_key_hash").Unique().Sensitive().Annotations(hidden),
		field.Time("api_key_revoked_at").Optional().Nillable().Annotations(hidden),
		// billing_anchor_day is the day of month each billing period starts on (1-31, clamped).
		field.Int("billing_anchor_day").Range(1, 31).Annotations(hidden),
		field.Time("period_start").Annotations(hidden),
		field.Time("period_end").Annotations(hidden),
		// plan_included and plan_remaining are the plan credits granted for and left in the current period.
		field.Int64("plan_included").NonNegative().Annotations(hidden),
		field.Int64("plan_remaining").NonNegative().Annotations(hidden),
		// period_bundle_used is the bundle credits charged during the current period.
		field.Int64("period_bundle_used").NonNegative().Default(0).Annotations(hidden),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(hidden),
		// hourly_rate_micros values the manual work agents save ($50/hour by default).
		field.Int64("hourly_rate_micros").NonNegative().Default(50_000_000).Annotations(hidden),
		// webhook_url receives alerts, signed with webhook_secret (HMAC-SHA256).
		field.String("webhook_url").Optional().Nillable().Annotations(hidden),
		field.String("webhook_secret").Optional().Nillable().Sensitive().Annotations(hidden),
		// Auto top-up: buy auto_topup_offer_id when remaining credits fall
		// below auto_topup_below, at most auto_topup_monthly_cap times a period,
		// once per crossing (auto_topup_armed re-arms above the threshold).
		field.Int("auto_topup_offer_id").Optional().Nillable().Annotations(hidden),
		field.Int64("auto_topup_below").Optional().Nillable().Annotations(hidden),
		field.Int("auto_topup_monthly_cap").Default(0).Annotations(hidden),
		field.Bool("auto_topup_armed").Default(true).Annotations(hidden),
		// credit_limit_count and alert_rule_count let the charge path skip
		// loading limits and rules for the many accounts that have none.
		field.Int("credit_limit_count").NonNegative().Default(0).Annotations(hidden),
		field.Int("alert_rule_count").NonNegative().Default(0).Annotations(hidden),
		// watchers counts the subscriptions open on the account across all
		// instances (PostgreSQL), so that charges nobody watches send no
		// NOTIFY. An instance that dies leaves it too high, which only
		// costs notifications.
		field.Int("watchers").NonNegative().Default(0).Annotations(hidden),
	}
}

// Edges of the Account.
func (Account) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.From("plan", Plan.Type).Ref("accounts").Field("plan_id").Unique().Required(),
		edge.To("agents", Agent.Type).Annotations(hidden),
		edge.To("bundles", Bundle.Type).Annotations(hidden),
		edge.To("usage_records", UsageRecord.Type).Annotations(hidden),
		edge.To("credit_limits", CreditLimit.Type).Annotations(hidden),
		edge.To("alert_rules", AlertRule.Type).Annotations(hidden),
	}
}

// Mixin of the Account: an account sees only itself.
func (Account) Mixin() []ent.Mixin {
	return []ent.Mixin{AccountScopedMixin{Column: "id"}}
}

// Annotations of the Account.
func (Account) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
