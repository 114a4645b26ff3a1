package credits

import (
	"context"
	"fmt"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/internal/money"
)

// maxHoursSaved bounds hours saved per month by the hours in a month.
const maxHoursSaved = 744

// AgentSettings are the editable fields of an agent; nil leaves one unchanged.
type AgentSettings struct {
	Name               *string
	Frequency          *agent.Frequency
	HoursSavedPerMonth *float64
}

func (in AgentSettings) validate() error {
	if in.Name != nil {
		if err := ValidateName(*in.Name); err != nil {
			return err
		}
	}
	if in.Frequency != nil {
		if err := agent.FrequencyValidator(*in.Frequency); err != nil {
			return invalid("frequency", "unknown frequency %q", *in.Frequency)
		}
	}
	if h := in.HoursSavedPerMonth; h != nil && !(*h >= 0 && *h <= maxHoursSaved) {
		return invalid("hoursSavedPerMonth", "must be between 0 and %d", maxHoursSaved)
	}
	return nil
}

// CreateAgent adds an agent to the account.
func (s *Service) CreateAgent(ctx context.Context, accountID int, in AgentSettings) (*ent.Agent, error) {
	if in.Name == nil || in.Frequency == nil {
		return nil, invalid("input", "name and frequency are required")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	a, err := s.client.Agent.Create().
		SetAccountID(accountID).
		SetName(*in.Name).
		SetFrequency(*in.Frequency).
		SetNillableHoursSavedPerMonth(in.HoursSavedPerMonth).
		SetCreatedAt(s.Now()).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("creating agent: %w", err)
	}
	return a, nil
}

// UpdateAgent changes one of the account's agents.
func (s *Service) UpdateAgent(ctx context.Context, accountID, agentID int, in AgentSettings) (*ent.Agent, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	a, err := s.client.Agent.Query().Where(agent.ID(agentID), agent.AccountID(accountID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, &NotFoundError{What: "agent"}
	}
	if err != nil {
		return nil, fmt.Errorf("loading agent: %w", err)
	}
	upd := a.Update()
	if in.Name != nil {
		upd.SetName(*in.Name)
	}
	if in.Frequency != nil {
		upd.SetFrequency(*in.Frequency)
	}
	if in.HoursSavedPerMonth != nil {
		upd.SetHoursSavedPerMonth(*in.HoursSavedPerMonth)
	}
	if a, err = upd.Save(ctx); err != nil {
		return nil, fmt.Errorf("updating agent: %w", err)
	}
	return a, nil
}

// SetHourlyRate sets the value of an hour of manual work, for agent ROI.
func (s *Service) SetHourlyRate(ctx context.Context, accountID int, amount string) (*ent.Account, error) {
	rate, err := money.ParseUSD(amount)
	if err != nil || rate.Micros > 100_000*money.MicrosPerDollar {
		return nil, invalid("amount", "must be a dollar amount between 0 and 100,000, e.g. \"62.50\"")
	}
	a, err := s.client.Account.UpdateOneID(accountID).SetHourlyRateMicros(rate.Micros).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("setting hourly rate: %w", err)
	}
	return a, nil
}
