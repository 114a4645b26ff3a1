package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// UsageDraw holds the schema definition for the UsageDraw entity: how many
// credits one charge took from one bundle, so every balance is auditable.
type UsageDraw struct {
	ent.Schema
}

// Fields of the UsageDraw.
func (UsageDraw) Fields() []ent.Field {
	return []ent.Field{
		field.Int("usage_record_id").Immutable(),
		field.Int("bundle_id").Immutable(),
		field.Int64("credits").Positive().Immutable(),
	}
}

// Edges of the UsageDraw.
func (UsageDraw) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("usage_record", UsageRecord.Type).Ref("draws").Field("usage_record_id").
			Unique().Required().Immutable(),
		edge.From("bundle", Bundle.Type).Ref("draws").Field("bundle_id").
			Unique().Required().Immutable(),
	}
}

// Indexes of the UsageDraw: audits read draws by record and by bundle.
func (UsageDraw) Indexes() []ent.Index {
	return []ent.Index{index.Fields("usage_record_id"), index.Fields("bundle_id")}
}

// Annotations of the UsageDraw: internal audit data, not part of the API.
func (UsageDraw) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
