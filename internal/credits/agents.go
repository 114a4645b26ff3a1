package credits

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strconv"

	"entgo.io/ent/dialect/sql"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/ent/usagerollup"
	"github.com/vistasocial/aiusage/internal/money"
)

// runsPerMonth is each frequency's runs in an average month of 30.4375
// days, as an exact fraction {numerator, denominator}. MANUAL is absent: it
// uses the runs of the last 30 days.
var runsPerMonth = map[agent.Frequency][2]int64{
	agent.FrequencyHOURLY:   {1461, 2},   // 730.5
	agent.FrequencyDAILY:    {487, 16},   // 30.4375
	agent.FrequencyWEEKDAYS: {87, 4},     // 21.75
	agent.FrequencyWEEKLY:   {1087, 250}, // 4.348
	agent.FrequencyMONTHLY:  {1, 1},
}

// costWindowDays is the window average run costs are taken over.
const costWindowDays = 30

// fallbackRuns is how many latest runs average an agent idle in the window.
const fallbackRuns = 10

// AgentCost is an agent's projected monthly spend.
type AgentCost struct {
	Agent                   *ent.Agent
	Frequency               agent.Frequency
	RunsPerMonth            float64
	AverageCreditsPerRun    float64
	EstimatedMonthlyCredits int64
	EstimatedMonthlyCost    money.Money
	// TimeSavedValue is the agent's hours saved per month at the account's
	// hourly rate; nil when hours saved are not set.
	TimeSavedValue *money.Money
}

// runStats are an agent's run count and credits over the averaging window.
type runStats struct{ runs, credits int64 }

// AgentCosts projects the monthly cost of each of the account's agents, in
// the order given, with a fixed number of queries whatever their count.
func (s *Service) AgentCosts(ctx context.Context, accountID int, agents []*ent.Agent) ([]*AgentCost, error) {
	if len(agents) == 0 {
		return nil, nil
	}
	acct, err := s.client.Account.Get(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("loading account: %w", err)
	}
	plan, err := s.plan(ctx, s.client.Plan, acct.PlanID)
	if err != nil {
		return nil, fmt.Errorf("loading credit value: %w", err)
	}
	cv := plan.CreditValueMicros
	ids := make([]int, len(agents))
	for i, a := range agents {
		ids[i] = a.ID
	}
	recent, err := s.runStats(ctx, accountID, ids)
	if err != nil {
		return nil, err
	}
	var idle []int
	for _, id := range ids {
		if recent[id].runs == 0 {
			idle = append(idle, id)
		}
	}
	latest, err := s.latestRunStats(ctx, accountID, idle)
	if err != nil {
		return nil, err
	}
	out := make([]*AgentCost, len(agents))
	for i, a := range agents {
		st, window := recent[a.ID], recent[a.ID]
		if st.runs == 0 {
			st = latest[a.ID]
		}
		out[i] = projectCost(a, st, window.runs, cv)
		out[i].TimeSavedValue = timeSavedValue(a.HoursSavedPerMonth, acct.HourlyRateMicros)
	}
	return out, nil
}

// TopAgents ranks the account's agents by estimated monthly credits, highest
// first, ties by name.
func (s *Service) TopAgents(ctx context.Context, accountID, first int) ([]*AgentCost, error) {
	if err := ValidatePageSize("first", first); err != nil {
		return nil, err
	}
	agents, err := s.client.Agent.Query().Where(agent.AccountID(accountID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing agents: %w", err)
	}
	costs, err := s.AgentCosts(ctx, accountID, agents)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(costs, func(i, j int) bool {
		if costs[i].EstimatedMonthlyCredits != costs[j].EstimatedMonthlyCredits {
			return costs[i].EstimatedMonthlyCredits > costs[j].EstimatedMonthlyCredits
		}
		return costs[i].Agent.Name < costs[j].Agent.Name
	})
	return costs[:min(first, len(costs))], nil
}

// runStats counts runs and credits per agent over the averaging window, from
// the daily rollups.
func (s *Service) runStats(ctx context.Context, accountID int, agentIDs []int) (map[int]runStats, error) {
	var rows []struct {
		AgentID int   `json:"agent_id"`
		Runs    int64 `json:"runs"`
		Credits int64 `json:"credits"`
	}
	err := s.client.UsageRollup.Query().
		Where(
			usagerollup.AccountID(accountID),
			usagerollup.AgentIDIn(agentIDs...),
			usagerollup.DayGTE(windowStart(s.Now(), costWindowDays)),
		).
		GroupBy(usagerollup.FieldAgentID).
		Aggregate(ent.As(ent.Sum(usagerollup.FieldEvents), "runs"), ent.As(ent.Sum(usagerollup.FieldCredits), "credits")).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("summing agent runs: %w", err)
	}
	stats := make(map[int]runStats, len(rows))
	for _, r := range rows {
		stats[r.AgentID] = runStats{runs: r.Runs, credits: r.Credits}
	}
	return stats, nil
}

// latestRunStats sums the last runs of agents idle in the window in one
// statement: a UNION ALL of one LIMIT-ed index scan per agent, so the cost
// stays at a few rows per agent however long its history.
func (s *Service) latestRunStats(ctx context.Context, accountID int, agentIDs []int) (map[int]runStats, error) {
	stats := make(map[int]runStats, len(agentIDs))
	if len(agentIDs) == 0 {
		return stats, nil
	}
	var rows []struct {
		AgentID int   `json:"agent_id"`
		Credits int64 `json:"credits"`
	}
	err := s.client.UsageRecord.Query().
		Modify(func(sel *sql.Selector) { *sel = *latestRunsQuery(sel.Dialect(), accountID, agentIDs) }).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("loading latest agent runs: %w", err)
	}
	for _, r := range rows {
		st := stats[r.AgentID]
		st.runs++
		st.credits += r.Credits
		stats[r.AgentID] = st
	}
	return stats, nil
}

// latestRunsQuery selects the agent_id and credits of each agent's last runs.
// Each arm reads a subquery aliased as the table itself, with account_id,
// so the tenancy filter ent adds to the statement still applies.
func latestRunsQuery(dialect string, accountID int, agentIDs []int) *sql.Selector {
	d := sql.Dialect(dialect)
	var query *sql.Selector
	for _, id := range agentIDs {
		t := d.Table(usagerecord.Table)
		latest := d.Select(t.C(usagerecord.FieldAccountID), t.C(usagerecord.FieldAgentID), t.C(usagerecord.FieldCredits)).From(t).
			Where(sql.And(sql.EQ(t.C(usagerecord.FieldAccountID), accountID), sql.EQ(t.C(usagerecord.FieldAgentID), id))).
			OrderBy(sql.Desc(t.C(usagerecord.FieldOccurredAt)), sql.Desc(t.C(usagerecord.FieldID))).
			Limit(fallbackRuns).
			As(usagerecord.Table)
		arm := d.Select(usagerecord.FieldAgentID, usagerecord.FieldCredits).From(latest)
		if query == nil {
			query = arm
		} else {
			query.UnionAll(arm)
		}
	}
	return query
}

// projectCost computes runs per month × average credits per run exactly,
// rounding half-up only at the end.
func projectCost(a *ent.Agent, st runStats, windowRuns, creditValueMicros int64) *AgentCost {
	rpm, ok := runsPerMonth[a.Frequency]
	if !ok { // MANUAL
		rpm = [2]int64{windowRuns, 1}
	}
	cost := &AgentCost{
		Agent:                a,
		Frequency:            a.Frequency,
		RunsPerMonth:         float64(rpm[0]) / float64(rpm[1]),
		EstimatedMonthlyCost: money.USD(0),
	}
	if st.runs == 0 {
		return cost
	}
	cost.AverageCreditsPerRun = float64(st.credits) / float64(st.runs)
	// credits = rpm × (sum / runs) as the fraction num/den.
	num := new(big.Int).Mul(big.NewInt(rpm[0]), big.NewInt(st.credits))
	den := new(big.Int).Mul(big.NewInt(rpm[1]), big.NewInt(st.runs))
	cost.EstimatedMonthlyCredits = roundHalfUp(num, den)
	cost.EstimatedMonthlyCost = money.USD(roundHalfUp(num.Mul(num, big.NewInt(creditValueMicros)), den))
	return cost
}

// timeSavedValue values hours of manual work at the hourly rate, exactly
// for the hours as written (6.5 hours × $50.00 = $325.00).
func timeSavedValue(hours *float64, rateMicros int64) *money.Money {
	if hours == nil {
		return nil
	}
	h, ok := new(big.Rat).SetString(strconv.FormatFloat(*hours, 'f', -1, 64))
	if !ok {
		return nil
	}
	v := h.Mul(h, new(big.Rat).SetInt64(rateMicros))
	m := money.USD(roundHalfUp(v.Num(), v.Denom()))
	return &m
}

// roundHalfUp returns num/den rounded half-up, for non-negative operands.
func roundHalfUp(num, den *big.Int) int64 {
	twice := new(big.Int).Add(new(big.Int).Mul(num, big.NewInt(2)), den)
	return twice.Div(twice, new(big.Int).Mul(den, big.NewInt(2))).Int64()
}
