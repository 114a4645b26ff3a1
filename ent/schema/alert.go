package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Alert holds the schema definition for the Alert entity: one firing of an
// alert rule, shown on the page until dismissed.
type Alert struct {
	ent.Schema
}

// Fields of the Alert.
func (Alert) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.Int("account_id").Immutable().Annotations(hidden),
		field.Int("rule_id").Optional().Nillable().Immutable().Annotations(hidden),
		// kind is exposed through graph/credits.graphqls as AlertKind.
		field.Enum("kind").
			Values("USED_PERCENT", "REMAINING_BELOW", "SOFT_LIMIT_REACHED", "RUNWAY_BELOW_DAYS").
			Immutable().Annotations(hidden),
		field.String("message").Immutable(),
		field.Time("created_at").Immutable(),
		field.Time("dismissed_at").Optional().Nillable(),
	}
}

// Edges of the Alert.
func (Alert) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("rule", AlertRule.Type).Ref("alerts").Field("rule_id").
			Unique().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("deliveries", WebhookDelivery.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Alert.
func (Alert) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "created_at")}
}

// Mixin of the Alert.
func (Alert) Mixin() []ent.Mixin {
	return []ent.Mixin{AccountScopedMixin{Column: "account_id"}}
}

// Annotations of the Alert.
func (Alert) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
