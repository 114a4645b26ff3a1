package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// UsageRollup holds the schema definition for the UsageRollup entity: usage
// summed per account, UTC day, category and agent, kept in the same
// transaction as every charge so reports read a few rows instead of
// scanning records. It can always be rebuilt from the usage records.
type UsageRollup struct {
	ent.Schema
}

// Fields of the UsageRollup.
func (UsageRollup) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		// day is the UTC midnight starting the day the usage occurred on.
		field.Time("day").Immutable(),
		field.Enum("category").Values("IMAGE", "VIDEO", "CHAT", "AGENT").Immutable(),
		// agent_id is 0 for usage not made by an agent, so the unique key has no NULLs.
		field.Int("agent_id").Default(0).Immutable(),
		field.Int64("events").NonNegative(),
		field.Int64("credits").NonNegative(),
		field.Int64("value_micros").NonNegative(),
	}
}

// Indexes of the UsageRollup.
func (UsageRollup) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "day", "category", "agent_id").Unique(),
		index.Fields("account_id", "agent_id", "day"),
	}
}

// Annotations of the UsageRollup: internal, not part of the API.
func (UsageRollup) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
