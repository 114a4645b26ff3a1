package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// UsageRecord holds the schema definition for the UsageRecord entity: one
// charge against an account's credits, with the split of where they came from.
// Records are append-only.
type UsageRecord struct {
	ent.Schema
}

// Fields of the UsageRecord.
func (UsageRecord) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.Int("account_id").Immutable().Annotations(hidden),
		field.Int("agent_id").Optional().Nillable().Immutable().Annotations(hidden),
		field.Enum("category").Values("IMAGE", "VIDEO", "CHAT", "AGENT").Immutable().
			Annotations(entgql.Type("UsageCategory"), entgql.OrderField("CATEGORY")),
		field.Int("quantity").Positive().Immutable(),
		field.Int64("credits").Positive().Immutable().
			Annotations(entgql.OrderField("CREDITS")),
		// value_micros is credits × the plan's credit value at the time of the charge.
		field.Int64("value_micros").NonNegative().Immutable().Annotations(hidden),
		field.Int64("plan_credits").NonNegative().Immutable(),
		field.Int64("bundle_credits").NonNegative().Immutable(),
		field.Int("profiles_processed").Optional().Nillable().NonNegative().Immutable(),
		field.String("description").Optional().Nillable().Immutable(),
		field.String("idempotency_key").NotEmpty().Immutable(),
		// request_hash fingerprints the payload, to tell a retry from a reused key.
		field.String("request_hash").Immutable().Annotations(hidden),
		field.Time("occurred_at").Immutable().
			Annotations(entgql.OrderField("OCCURRED_AT")),
		// charged_at is when the ledger drew the credits; period figures use it.
		field.Time("charged_at").Immutable().Annotations(hidden),
	}
}

// Edges of the UsageRecord.
func (UsageRecord) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("usage_records").Field("account_id").
			Unique().Required().Immutable().Annotations(hidden),
		edge.From("agent", Agent.Type).Ref("runs").Field("agent_id").
			Unique().Immutable(),
		edge.To("draws", UsageDraw.Type).Annotations(hidden),
	}
}

// Indexes of the UsageRecord.
func (UsageRecord) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "idempotency_key").Unique(),
		index.Fields("account_id", "occurred_at"),
		index.Fields("agent_id", "occurred_at"),
	}
}

// Mixin of the UsageRecord.
func (UsageRecord) Mixin() []ent.Mixin {
	return []ent.Mixin{AccountScopedMixin{Column: "account_id"}}
}

// Annotations of the UsageRecord.
func (UsageRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("usageRecords"),
	}
}
