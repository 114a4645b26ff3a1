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

// CreditLimit holds the schema definition for the CreditLimit entity: a
// monthly cap on the credits one category or one agent may use. A hard limit
// rejects the charge that would cross it; a soft one raises an alert.
type CreditLimit struct {
	ent.Schema
}

// Fields of the CreditLimit.
func (CreditLimit) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.Int("account_id").Immutable().Annotations(hidden),
		// Exactly one of category and agent_id is set.
		// category is exposed through graph/credits.graphqls as UsageCategory.
		field.Enum("category").Values("IMAGE", "VIDEO", "CHAT", "AGENT").Optional().Nillable().Immutable().
			Annotations(hidden),
		field.Int("agent_id").Optional().Nillable().Immutable().Annotations(hidden),
		field.Int64("monthly_credits").Positive(),
		field.Bool("hard"),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the CreditLimit.
func (CreditLimit) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("credit_limits").Field("account_id").
			Unique().Required().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the CreditLimit.
func (CreditLimit) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id")}
}

// Mixin of the CreditLimit.
func (CreditLimit) Mixin() []ent.Mixin {
	return []ent.Mixin{AccountScopedMixin{Column: "account_id"}}
}

// Annotations of the CreditLimit.
func (CreditLimit) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
