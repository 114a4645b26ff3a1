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

// Agent holds the schema definition for the Agent entity: an automation that
// runs on the account's behalf and is charged per run.
type Agent struct {
	ent.Schema
}

// Fields of the Agent.
func (Agent) Fields() []ent.Field {
	hidden := entgql.Skip(entgql.SkipAll)
	return []ent.Field{
		field.Int("account_id").Immutable().Annotations(hidden),
		field.String("name").NotEmpty().
			Annotations(entgql.OrderField("NAME")),
		field.Enum("frequency").
			Values("HOURLY", "DAILY", "WEEKDAYS", "WEEKLY", "MONTHLY", "MANUAL").
			Annotations(entgql.Type("RunFrequency")),
		field.Float("hours_saved_per_month").Optional().Nillable().Min(0),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the Agent.
func (Agent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("agents").Field("account_id").
			Unique().Required().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		// runs is exposed by graph/credits.graphqls with its own resolver, so
		// that it lists newest first by default and batches across agents.
		edge.To("runs", UsageRecord.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Agent.
func (Agent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "name")}
}

// Mixin of the Agent.
func (Agent) Mixin() []ent.Mixin {
	return []ent.Mixin{AccountScopedMixin{Column: "account_id"}}
}

// Annotations of the Agent.
func (Agent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("agents"),
	}
}
