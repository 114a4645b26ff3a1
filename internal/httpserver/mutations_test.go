package httpserver_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// recordUsageBasic asks only for scalar fields of the record, so the
// balance arithmetic is tested apart from edge loading.
const recordUsageBasic = `mutation($input: RecordUsageInput!) {
	recordUsage(input: $input) {
		usageRecord { id category quantity credits value ` + moneyFields + ` planCredits bundleCredits
			profilesProcessed description idempotencyKey occurredAt }
		balance ` + balanceFields + ` } }`

func (a *account) recordUsageBasic(input map[string]any) recordUsagePayload {
	a.e.t.Helper()
	var out recordUsagePayload
	a.query(recordUsageBasic, map[string]any{"input": input}, &out)
	return out
}

func TestRecordUsageCharges(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")

		// IMAGE × 2 lowers remaining by exactly 20.
		before := a.balance().Remaining
		img := map[string]any{"category": "IMAGE", "quantity": 2, "idempotencyKey": "img-1"}
		first := a.recordUsageBasic(img).RecordUsage
		rec := first.UsageRecord
		if rec.Category != "IMAGE" || rec.Quantity != 2 || rec.Credits != 20 || rec.PlanCredits != 20 || rec.BundleCredits != 0 ||
			rec.Value != (money{"0.20", "USD", "$0.20"}) || rec.IdempotencyKey != "img-1" || !rec.OccurredAt.Equal(testNow) {
			t.Fatalf("record = %+v", rec)
		}
		if got := a.balance().Remaining; got != before-20 || first.Balance.Remaining != before-20 {
			t.Fatalf("remaining after IMAGE×2 = %d (payload %d), want %d", got, first.Balance.Remaining, before-20)
		}

		// A retry with the same key and payload charges nothing and returns the same record.
		retry := a.recordUsageBasic(img).RecordUsage
		if retry.UsageRecord.ID != rec.ID {
			t.Fatalf("retry returned record %s, want %s", retry.UsageRecord.ID, rec.ID)
		}
		if got := a.balance().Remaining; got != before-20 || retry.Balance.Remaining != before-20 {
			t.Fatalf("remaining after retry = %d (payload %d), want %d", got, retry.Balance.Remaining, before-20)
		}
		if n := a.recordCount(); n != 1 {
			t.Fatalf("%d records after retry, want 1", n)
		}

		// The same key with another payload is refused and charges nothing.
		for _, changed := range []map[string]any{
			{"category": "IMAGE", "quantity": 3, "idempotencyKey": "img-1"},
			{"category": "VIDEO", "quantity": 2, "idempotencyKey": "img-1"},
			{"category": "IMAGE", "quantity": 2, "idempotencyKey": "img-1", "description": "other"},
		} {
			r := a.expectError(recordUsageBasic, map[string]any{"input": changed}, "IDEMPOTENCY_KEY_REUSED")
			requireNoData(t, r, "recordUsage")
		}
		if got := a.balance().Remaining; got != before-20 || a.recordCount() != 1 {
			t.Fatalf("key reuse changed the ledger: remaining %d, %d records", got, a.recordCount())
		}

		// VIDEO is 190 per video.
		vid := a.recordUsageBasic(map[string]any{"category": "VIDEO", "idempotencyKey": "vid-1"}).RecordUsage
		if vid.UsageRecord.Credits != 190 || vid.UsageRecord.Quantity != 1 || vid.Balance.Remaining != before-210 {
			t.Fatalf("VIDEO: %+v remaining %d", vid.UsageRecord, vid.Balance.Remaining)
		}

		// CHAT with credits, profiles and description.
		chat := a.recordUsageBasic(map[string]any{
			"category": "CHAT", "credits": 37, "profilesProcessed": 12, "description": "Ask Vista: weekly summary",
			"idempotencyKey": "chat-1", "occurredAt": testNow.Add(-2 * time.Hour).Format(time.RFC3339),
		}).RecordUsage
		c := chat.UsageRecord
		if c.Category != "CHAT" || c.Credits != 37 || c.Quantity != 1 || c.ProfilesProcessed == nil || *c.ProfilesProcessed != 12 ||
			c.Description == nil || *c.Description != "Ask Vista: weekly summary" || !c.OccurredAt.Equal(testNow.Add(-2*time.Hour)) {
			t.Fatalf("CHAT record = %+v", c)
		}
		if chat.Balance.Remaining != before-247 || chat.Balance.Used != 247 {
			t.Fatalf("after CHAT: %+v", chat.Balance)
		}
		a.verify()
	})
}

func TestRecordUsageAgentRun(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		agentID := a.agent("Competitor pulse", "DAILY")
		in := map[string]any{"category": "AGENT", "credits": 42, "agentID": id(agentID), "profilesProcessed": 14, "idempotencyKey": "run-1"}
		got := a.recordUsageBasic(in).RecordUsage
		if got.UsageRecord.Category != "AGENT" || got.UsageRecord.Credits != 42 || got.Balance.Remaining != 4958 {
			t.Fatalf("AGENT run: %+v, remaining %d", got.UsageRecord, got.Balance.Remaining)
		}
		rec, err := e.client.UsageRecord.Get(e.ctx, atoi(t, got.UsageRecord.ID))
		if err != nil {
			t.Fatal(err)
		}
		if rec.AgentID == nil || *rec.AgentID != agentID {
			t.Fatalf("stored record agent = %v, want %d", rec.AgentID, agentID)
		}
		var runs struct {
			Node struct{ Runs connection[runNode] }
		}
		a.query(`query($id: ID!) { node(id: $id) { ... on Agent { runs { totalCount edges { node { id credits } } } } } }`,
			map[string]any{"id": id(agentID)}, &runs)
		if runs.Node.Runs.TotalCount != 1 || runs.Node.Runs.nodes()[0].ID != got.UsageRecord.ID {
			t.Fatalf("agent runs = %+v, want the new record", runs.Node.Runs)
		}
		a.verify()
	})
}

// TestRecordUsagePayloadAgent asks the mutations for the record's agent, as
// an integrator confirming which agent was charged would.
func TestRecordUsagePayloadAgent(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		agentID := a.agent("Competitor pulse", "DAILY")
		run := map[string]any{"category": "AGENT", "credits": 42, "agentID": id(agentID), "idempotencyKey": "run-1"}

		check := func(what string, r *response, agent func(recordUsagePayload) *usageRecord) {
			t.Helper()
			var out recordUsagePayload
			if len(r.Errors) > 0 || !r.HasData() {
				t.Errorf("%s: HTTP %d %s", what, r.Status, r.Raw)
				return
			}
			if err := json.Unmarshal(r.Data, &out); err != nil {
				t.Fatal(err)
			}
			if rec := agent(out); rec.Agent == nil || rec.Agent.ID != id(agentID) || rec.Agent.Name != "Competitor pulse" {
				t.Errorf("%s: usageRecord.agent = %+v, want agent %d", what, rec.Agent, agentID)
			}
		}
		single := func(out recordUsagePayload) *usageRecord { return &out.RecordUsage.UsageRecord }
		check("recordUsage", a.do(recordUsageMutation, map[string]any{"input": run}), single)
		// The replayed record must resolve its agent as well.
		check("replayed recordUsage", a.do(recordUsageMutation, map[string]any{"input": run}), single)

		r := a.do(`mutation($inputs: [RecordUsageInput!]!) { recordUsageBatch(inputs: $inputs) {
			items { usageRecord { id agent { id name } } } } }`,
			map[string]any{"inputs": []map[string]any{{"category": "AGENT", "credits": 7, "agentID": id(agentID), "idempotencyKey": "run-2"}}})
		if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"name":"Competitor pulse"`) {
			t.Errorf("recordUsageBatch: usageRecord.agent not resolved: HTTP %d %s", r.Status, r.Raw)
		}

		chat := a.do(recordUsageMutation, map[string]any{"input": map[string]any{"category": "CHAT", "credits": 3, "idempotencyKey": "chat-1"}})
		if len(chat.Errors) > 0 || !strings.Contains(string(chat.Data), `"agent":null`) {
			t.Errorf("CHAT record: want agent null and no error, got HTTP %d %s", chat.Status, chat.Raw)
		}
	})
}

func TestRecordUsageInsufficientCredits(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		a.buy(1000, "b-1")
		a.chargeAt(usagerecord.CategoryCHAT, 100, nil, testNow, "pre")
		before, records := a.balance(), a.recordCount() // 5,900 left: 4,900 plan + 1,000 bundle

		for _, in := range []map[string]any{
			{"category": "CHAT", "credits": 5901, "idempotencyKey": "too-much"},
			{"category": "VIDEO", "quantity": 32, "idempotencyKey": "too-much-video"}, // 6,080
			{"category": "IMAGE", "quantity": 1000, "idempotencyKey": "max-quantity"}, // valid, 10,000
		} {
			r := a.expectError(recordUsageBasic, map[string]any{"input": in}, "INSUFFICIENT_CREDITS")
			requireNoData(t, r, "recordUsage")
		}
		if got := a.balance(); got != before || a.recordCount() != records {
			t.Fatalf("refused charge changed the ledger: %+v (%d records), want %+v (%d records)", got, a.recordCount(), before, records)
		}
		a.verify()

		// A rejected key is not burnt: the exact balance then goes through.
		all := a.recordUsageBasic(map[string]any{"category": "CHAT", "credits": 5900, "idempotencyKey": "too-much-video"}).RecordUsage
		if all.Balance.Remaining != 0 || all.UsageRecord.PlanCredits != 4900 || all.UsageRecord.BundleCredits != 1000 {
			t.Fatalf("charging the exact balance: %+v, balance %+v", all.UsageRecord, all.Balance)
		}
		r := a.expectError(recordUsageBasic, map[string]any{"input": map[string]any{"category": "CHAT", "credits": 1, "idempotencyKey": "one-more"}}, "INSUFFICIENT_CREDITS")
		requireNoData(t, r, "recordUsage")
		if got := a.balance().Remaining; got != 0 {
			t.Fatalf("remaining = %d, want 0", got)
		}
		a.verify()
	})
}

func TestRecordUsageValidation(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		agentID := a.agent("Reporter", "DAILY")
		ts := func(d time.Duration) string { return testNow.Add(d).Format(time.RFC3339Nano) }
		day := 24 * time.Hour

		invalid := []struct {
			name string
			in   map[string]any
		}{
			{"quantity 0", map[string]any{"category": "IMAGE", "quantity": 0}},
			{"quantity -1", map[string]any{"category": "IMAGE", "quantity": -1}},
			{"quantity 1001", map[string]any{"category": "IMAGE", "quantity": 1001}},
			{"credits for IMAGE", map[string]any{"category": "IMAGE", "credits": 5}},
			{"credits for VIDEO", map[string]any{"category": "VIDEO", "quantity": 1, "credits": 190}},
			{"quantity 2 for CHAT", map[string]any{"category": "CHAT", "quantity": 2, "credits": 5}},
			{"CHAT without credits", map[string]any{"category": "CHAT"}},
			{"CHAT credits 0", map[string]any{"category": "CHAT", "credits": 0}},
			{"CHAT credits -5", map[string]any{"category": "CHAT", "credits": -5}},
			{"CHAT credits 1,000,001", map[string]any{"category": "CHAT", "credits": 1_000_001}},
			{"AGENT without agentID", map[string]any{"category": "AGENT", "credits": 5}},
			{"AGENT without credits", map[string]any{"category": "AGENT", "agentID": id(agentID)}},
			{"agentID for IMAGE", map[string]any{"category": "IMAGE", "agentID": id(agentID)}},
			{"agentID for CHAT", map[string]any{"category": "CHAT", "credits": 3, "agentID": id(agentID)}},
			{"profilesProcessed for IMAGE", map[string]any{"category": "IMAGE", "profilesProcessed": 3}},
			{"negative profilesProcessed", map[string]any{"category": "CHAT", "credits": 3, "profilesProcessed": -1}},
			{"empty key", map[string]any{"category": "IMAGE", "idempotencyKey": ""}},
			{"256-char key", map[string]any{"category": "IMAGE", "idempotencyKey": repeat("k", 256)}},
			{"occurredAt 36 days ago", map[string]any{"category": "IMAGE", "occurredAt": ts(-36 * day)}},
			{"occurredAt 35 days and a second ago", map[string]any{"category": "IMAGE", "occurredAt": ts(-35*day - time.Second)}},
			{"occurredAt 10 minutes ahead", map[string]any{"category": "IMAGE", "occurredAt": ts(10 * time.Minute)}},
			{"description of 1,001 chars", map[string]any{"category": "IMAGE", "description": repeat("d", 1001)}},
		}
		for i, tc := range invalid {
			in := map[string]any{"idempotencyKey": keyN("invalid", i)}
			for k, v := range tc.in {
				in[k] = v
			}
			r := a.do(recordUsageBasic, map[string]any{"input": in})
			if len(r.Errors) == 0 || r.Errors[0].Code() != "INVALID_ARGUMENT" {
				t.Errorf("%s: want INVALID_ARGUMENT, got HTTP %d %s", tc.name, r.Status, r.Raw)
				continue
			}
			requireNoData(t, r, "recordUsage")
		}
		if n := a.recordCount(); n != 0 {
			t.Fatalf("invalid input wrote %d records", n)
		}
		if got := a.balance().Remaining; got != 5000 {
			t.Fatalf("invalid input charged: remaining %d", got)
		}

		// Unknown enum values fail GraphQL validation before any resolver runs.
		r := a.do(`mutation { recordUsage(input: {category: AUDIO, idempotencyKey: "x"}) { usageRecord { id } } }`, nil)
		requireCode(t, r, "GRAPHQL_VALIDATION_FAILED")
		requireNoData(t, r, "recordUsage")
		r = a.do(recordUsageBasic, map[string]any{"input": map[string]any{"category": "AUDIO", "idempotencyKey": "y"}})
		requireCode(t, r, "GRAPHQL_VALIDATION_FAILED")
		requireNoData(t, r, "recordUsage")

		// The limits themselves are accepted.
		valid := []struct {
			name    string
			in      map[string]any
			credits int64
		}{
			{"255-char key", map[string]any{"category": "IMAGE", "idempotencyKey": repeat("k", 255)}, 10},
			{"occurredAt 34 days ago", map[string]any{"category": "IMAGE", "occurredAt": ts(-34 * day)}, 10},
			{"occurredAt 4 minutes ahead", map[string]any{"category": "IMAGE", "occurredAt": ts(4 * time.Minute)}, 10},
			{"description of 1,000 chars", map[string]any{"category": "IMAGE", "description": repeat("d", 1000)}, 10},
			{"quantity 100 images", map[string]any{"category": "IMAGE", "quantity": 100}, 1000},
			{"profilesProcessed 0", map[string]any{"category": "CHAT", "credits": 1, "profilesProcessed": 0}, 1},
		}
		var total int64
		for i, tc := range valid {
			in := map[string]any{"idempotencyKey": keyN("valid", i)}
			for k, v := range tc.in {
				in[k] = v
			}
			r := a.do(recordUsageBasic, map[string]any{"input": in})
			if len(r.Errors) > 0 || !r.HasData() {
				t.Errorf("%s: want success, got HTTP %d %s", tc.name, r.Status, r.Raw)
				continue
			}
			total += tc.credits
		}
		if got := a.balance().Remaining; got != 5000-total {
			t.Fatalf("remaining = %d, want %d", got, 5000-total)
		}
		a.verify()
	})
}

const purchaseMutation = `mutation($input: PurchaseBundleInput!) { purchaseBundle(input: $input) {
	bundle { id credits remaining price ` + moneyFields + ` purchasedAt expiresAt }
	balance ` + balanceFields + ` } }`

type purchasePayload struct {
	PurchaseBundle struct {
		Bundle struct {
			ID          string     `json:"id"`
			Credits     int64      `json:"credits"`
			Remaining   int64      `json:"remaining"`
			Price       money      `json:"price"`
			PurchasedAt time.Time  `json:"purchasedAt"`
			ExpiresAt   *time.Time `json:"expiresAt"`
		} `json:"bundle"`
		Balance balance `json:"balance"`
	} `json:"purchaseBundle"`
}

func TestPurchaseBundle(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		a.chargeAt(usagerecord.CategoryIMAGE, 2, nil, testNow, "img")
		before := a.balance()
		buy := func(offer int, key string) purchasePayload {
			t.Helper()
			var out purchasePayload
			a.query(purchaseMutation, map[string]any{"input": map[string]any{"offerID": id(offer), "idempotencyKey": key}}, &out)
			return out
		}

		got := buy(e.offerID(1000), "buy-1").PurchaseBundle
		b := got.Bundle
		if b.Credits != 1000 || b.Remaining != 1000 || b.Price != (money{"10.00", "USD", "$10.00"}) ||
			!b.PurchasedAt.Equal(testNow) || b.ExpiresAt != nil {
			t.Fatalf("bundle = %+v", b)
		}
		after := a.balance()
		if after.Remaining != before.Remaining+1000 || got.Balance.Remaining != before.Remaining+1000 ||
			after.BundleRemaining != 1000 || after.BundleCredits != 1000 || after.Allowance != before.Allowance+1000 {
			t.Fatalf("after buying 1,000: %+v (payload %+v), before %+v", after, got.Balance, before)
		}

		// Retry with the same key buys nothing and returns the same bundle.
		again := buy(e.offerID(1000), "buy-1").PurchaseBundle
		if again.Bundle.ID != b.ID || again.Balance.Remaining != after.Remaining || a.balance().Remaining != after.Remaining {
			t.Fatalf("retry: bundle %s (want %s), remaining %d (want %d)", again.Bundle.ID, b.ID, a.balance().Remaining, after.Remaining)
		}
		if n := a.bundleCount(); n != 1 {
			t.Fatalf("%d bundles after retry, want 1", n)
		}

		// The same key for another offer is refused.
		r := a.expectError(purchaseMutation, map[string]any{"input": map[string]any{"offerID": id(e.offerID(5000)), "idempotencyKey": "buy-1"}}, "IDEMPOTENCY_KEY_REUSED")
		requireNoData(t, r, "purchaseBundle")

		// Unknown offers, and IDs of other kinds, are NOT_FOUND.
		planID, err := e.client.Plan.Query().FirstID(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, offer := range []string{id(e.offerID(20000) + 1000), id(planID), id(a.ID)} {
			r := a.expectError(purchaseMutation, map[string]any{"input": map[string]any{"offerID": offer, "idempotencyKey": keyN("nf", i)}}, "NOT_FOUND")
			requireNoData(t, r, "purchaseBundle")
		}
		// An ID no object can have may be called malformed or not found.
		r = a.do(purchaseMutation, map[string]any{"input": map[string]any{"offerID": "0", "idempotencyKey": "zero"}})
		if len(r.Errors) == 0 || (r.Errors[0].Code() != "NOT_FOUND" && r.Errors[0].Code() != "INVALID_ARGUMENT") {
			t.Fatalf("offerID 0: want NOT_FOUND or INVALID_ARGUMENT, got %s", r.Raw)
		}
		requireNoData(t, r, "purchaseBundle")
		for _, key := range []string{"", repeat("k", 256)} {
			r := a.expectError(purchaseMutation, map[string]any{"input": map[string]any{"offerID": id(e.offerID(1000)), "idempotencyKey": key}}, "INVALID_ARGUMENT")
			requireNoData(t, r, "purchaseBundle")
		}
		if n := a.bundleCount(); n != 1 || a.balance().Remaining != after.Remaining {
			t.Fatalf("refused purchases changed the ledger: %d bundles, remaining %d", n, a.balance().Remaining)
		}

		// A second purchase with a new key stacks.
		big := buy(e.offerID(20000), "buy-2").PurchaseBundle
		if big.Bundle.Price != (money{"160.00", "USD", "$160.00"}) || big.Balance.Remaining != after.Remaining+20000 || big.Balance.BundleRemaining != 21000 {
			t.Fatalf("second purchase: %+v", big)
		}
		a.verify()
	})
}

func TestCreateAndUpdateAgent(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		const create = `mutation($in: CreateAgentInput!) { createAgent(input: $in) { id name frequency hoursSavedPerMonth } }`
		const update = `mutation($id: ID!, $in: UpdateAgentInput!) { updateAgent(id: $id, input: $in) { id name frequency hoursSavedPerMonth } }`

		var created struct{ CreateAgent agentNode }
		a.query(create, map[string]any{"in": map[string]any{"name": "Weekly report", "frequency": "WEEKLY", "hoursSavedPerMonth": 2.5}}, &created)
		c := created.CreateAgent
		if c.Name != "Weekly report" || c.Frequency != "WEEKLY" || c.HoursSavedPerMonth == nil || *c.HoursSavedPerMonth != 2.5 {
			t.Fatalf("created = %+v", c)
		}
		stored, err := e.client.Agent.Get(e.ctx, atoi(t, c.ID))
		if err != nil || stored.AccountID != a.ID || stored.Name != "Weekly report" || stored.Frequency != agent.FrequencyWEEKLY {
			t.Fatalf("stored agent = %+v, %v", stored, err)
		}

		steps := []struct {
			in   map[string]any
			want agentNode
		}{
			{map[string]any{"name": "Monday report"}, agentNode{c.ID, "Monday report", "WEEKLY", ptr(2.5)}},
			{map[string]any{"frequency": "WEEKDAYS"}, agentNode{c.ID, "Monday report", "WEEKDAYS", ptr(2.5)}},
			{map[string]any{"hoursSavedPerMonth": 0}, agentNode{c.ID, "Monday report", "WEEKDAYS", ptr(0.0)}},
			{map[string]any{"name": repeat("n", 100), "frequency": "MANUAL", "hoursSavedPerMonth": 10.25}, agentNode{c.ID, repeat("n", 100), "MANUAL", ptr(10.25)}},
		}
		for _, s := range steps {
			var out struct{ UpdateAgent agentNode }
			a.query(update, map[string]any{"id": c.ID, "in": s.in}, &out)
			g := out.UpdateAgent
			if g.ID != s.want.ID || g.Name != s.want.Name || g.Frequency != s.want.Frequency ||
				g.HoursSavedPerMonth == nil || *g.HoursSavedPerMonth != *s.want.HoursSavedPerMonth {
				t.Fatalf("update %v = %+v, want %+v", s.in, g, s.want)
			}
		}
		final, err := e.client.Agent.Get(e.ctx, atoi(t, c.ID))
		if err != nil {
			t.Fatal(err)
		}

		invalidCreate := []map[string]any{
			{"name": "", "frequency": "DAILY"},
			{"name": "   ", "frequency": "DAILY"},
			{"name": repeat("n", 101), "frequency": "DAILY"},
			{"name": "ok", "frequency": "DAILY", "hoursSavedPerMonth": -1},
		}
		for _, in := range invalidCreate {
			r := a.expectError(create, map[string]any{"in": in}, "INVALID_ARGUMENT")
			requireNoData(t, r, "createAgent")
		}
		invalidUpdate := []map[string]any{
			{"name": ""},
			{"name": repeat("n", 101)},
			{"hoursSavedPerMonth": -0.5},
		}
		for _, in := range invalidUpdate {
			r := a.expectError(update, map[string]any{"id": c.ID, "in": in}, "INVALID_ARGUMENT")
			requireNoData(t, r, "updateAgent")
		}
		n, err := e.client.Agent.Query().Where(agent.AccountID(a.ID)).Count(e.ctx)
		if err != nil || n != 1 {
			t.Fatalf("invalid creates left %d agents (%v), want 1", n, err)
		}
		unchanged, err := e.client.Agent.Get(e.ctx, final.ID)
		if err != nil || unchanged.Name != final.Name || unchanged.Frequency != final.Frequency ||
			*unchanged.HoursSavedPerMonth != *final.HoursSavedPerMonth {
			t.Fatalf("invalid updates changed the agent: %+v, want %+v", unchanged, final)
		}

		r := a.do(`mutation { createAgent(input: {name: "x", frequency: YEARLY}) { id } }`, nil)
		requireCode(t, r, "GRAPHQL_VALIDATION_FAILED")
		r = a.expectError(update, map[string]any{"id": id(final.ID + 1000), "in": map[string]any{"name": "ghost"}}, "NOT_FOUND")
		requireNoData(t, r, "updateAgent")
	})
}

// TestCharacterLimitsCountCharacters checks that the documented limits count
// characters, not bytes: text at the limit in a non-ASCII script is accepted.
func TestCharacterLimitsCountCharacters(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		cases := []struct {
			name  string
			query string
			vars  map[string]any
		}{
			{"description of 1,000 characters", recordUsageBasic, map[string]any{"input": map[string]any{
				"category": "IMAGE", "idempotencyKey": "desc", "description": repeat("é", 1000)}}},
			{"idempotency key of 255 characters", recordUsageBasic, map[string]any{"input": map[string]any{
				"category": "IMAGE", "idempotencyKey": repeat("ключ", 63) + "клю"}}},
			{"agent name of 100 characters", `mutation($in: CreateAgentInput!) { createAgent(input: $in) { id name } }`,
				map[string]any{"in": map[string]any{"name": repeat("日", 100), "frequency": "DAILY"}}},
			{"bundle key of 255 characters", purchaseMutation, map[string]any{"input": map[string]any{
				"offerID": id(e.offerID(1000)), "idempotencyKey": repeat("ü", 255)}}},
		}
		for _, tc := range cases {
			r := a.do(tc.query, tc.vars)
			if len(r.Errors) > 0 || !r.HasData() {
				t.Errorf("%s: want success, got HTTP %d %s", tc.name, r.Status, r.Raw)
			}
		}
	})
}
