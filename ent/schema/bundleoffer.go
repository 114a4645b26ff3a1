package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// BundleOffer holds the schema definition for the BundleOffer entity: the
// catalogue of credit bundles an account can buy.
type BundleOffer struct {
	ent.Schema
}

// Fields of the BundleOffer.
func (BundleOffer) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.String("name").NotEmpty(),
		field.Int64("credits").Positive(),
		field.Int64("price_micros").Positive().Annotations(hidden),
		// validity_days, when set, makes purchased bundles expire that many days after purchase.
		field.Int("validity_days").Optional().Nillable().Positive().Annotations(hidden),
		field.Bool("active").Default(true).Annotations(hidden),
	}
}

// Edges of the BundleOffer.
func (BundleOffer) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("bundles", Bundle.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Annotations of the BundleOffer.
func (BundleOffer) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
