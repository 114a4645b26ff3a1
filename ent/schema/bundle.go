package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Bundle holds the schema definition for the Bundle entity: credits an
// account bought. Bundle credits survive period roll-over.
type Bundle struct {
	ent.Schema
}

// Fields of the Bundle.
func (Bundle) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.Int("account_id").Immutable().Annotations(hidden),
		field.Int("offer_id").Optional().Nillable().Immutable().Annotations(hidden),
		field.Int64("credits").Positive().Immutable(),
		field.Int64("remaining").NonNegative(),
		field.Int64("price_micros").NonNegative().Immutable().Annotations(hidden),
		field.Time("purchased_at").Immutable(),
		field.Time("expires_at").Optional().Nillable().Immutable(),
		field.String("idempotency_key").NotEmpty().Immutable().Annotations(hidden),
	}
}

// Edges of the Bundle.
func (Bundle) Edges() []ent.Edge {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("bundles").Field("account_id").
			Unique().Required().Immutable().Annotations(hidden),
		edge.From("offer", BundleOffer.Type).Ref("bundles").Field("offer_id").
			Unique().Immutable().Annotations(hidden),
		edge.To("draws", UsageDraw.Type).Annotations(hidden),
	}
}

// Indexes of the Bundle.
func (Bundle) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "idempotency_key").Unique(),
		// Burn-down order: earliest expiry, then oldest purchase.
		index.Fields("account_id", "expires_at", "purchased_at"),
	}
}

// Mixin of the Bundle.
func (Bundle) Mixin() []ent.Mixin {
	return []ent.Mixin{AccountScopedMixin{Column: "account_id"}}
}

// Annotations of the Bundle.
func (Bundle) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
