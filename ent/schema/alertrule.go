package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AlertRule holds the schema definition for the AlertRule entity: a
// threshold that raises an alert once per crossing per billing period.
type AlertRule struct {
	ent.Schema
}

// Fields of the AlertRule.
func (AlertRule) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.Int("account_id").Immutable().Annotations(hidden),
		field.Enum("kind").
			Values("USED_PERCENT", "REMAINING_BELOW", "SOFT_LIMIT_REACHED", "RUNWAY_BELOW_DAYS").
			Immutable().Annotations(entgql.Type("AlertKind")),
		// threshold is a percent, a number of credits or of days, by kind.
		field.Int64("threshold").NonNegative().Immutable(),
		// fired_period_start is the period in which the rule last fired.
		field.Time("fired_period_start").Optional().Nillable().Annotations(hidden),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the AlertRule.
func (AlertRule) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("alert_rules").Field("account_id").
			Unique().Required().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("alerts", Alert.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the AlertRule.
func (AlertRule) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id")}
}

// Mixin of the AlertRule.
func (AlertRule) Mixin() []ent.Mixin {
	return []ent.Mixin{AccountScopedMixin{Column: "account_id"}}
}

// Annotations of the AlertRule.
func (AlertRule) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
