package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// PlanGrant holds the schema definition for the PlanGrant entity: the plan
// credits an account was given for one billing period. With bundles and
// the usage records' splits, it explains every balance change.
type PlanGrant struct {
	ent.Schema
}

// Fields of the PlanGrant.
func (PlanGrant) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Time("period_start").Immutable(),
		field.Time("period_end").Immutable(),
		field.Int64("credits").NonNegative().Immutable(),
		field.Time("granted_at").Default(time.Now).Immutable(),
	}
}

// Indexes of the PlanGrant.
func (PlanGrant) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "period_start").Unique()}
}

// Annotations of the PlanGrant: audit data, not part of the API.
func (PlanGrant) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
