package httpserver_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

// TestTenancy checks that account B never sees or touches account A's
// records, agents or bundles, by any path of the API.
func TestTenancy(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Alice", "Pro")
		b := e.account("Bob", "Pro")

		agentA := a.agent("Alice's agent", "DAILY")
		runA := a.chargeAt(usagerecord.CategoryAGENT, 50, &agentA, testNow.Add(-time.Hour), "shared-key")
		imageA := a.chargeAt(usagerecord.CategoryIMAGE, 3, nil, testNow.Add(-2*time.Hour), "img")
		bundleA := a.buy(5000, "shared-bundle-key")
		aIDs := map[string]int{"agent": agentA, "run": runA.ID, "image": imageA.ID, "bundle": bundleA.ID, "account": a.ID}
		bBefore := b.balance()

		// B's lists are empty.
		{
			var out struct {
				UsageRecords    connection[usageRecord]
				Agents          connection[agentNode]
				TopAgents       []agentCost
				UsageByCategory usageBreakdown
				CreditBalance   balance
				Viewer          struct{ ID, Name string }
			}
			b.query(`{
				usageRecords(first: 100) { totalCount edges { node { id } } }
				agents(first: 100) { totalCount edges { node { id } } }
				topAgents(first: 100) { agent { id } estimatedMonthlyCredits }
				usageByCategory(days: 365) { totalCredits categories { credits } }
				creditBalance `+balanceFields+`
				viewer { id name }
			}`, nil, &out)
			if out.UsageRecords.TotalCount != 0 || len(out.UsageRecords.Edges) != 0 {
				t.Errorf("B sees usage records: %+v", out.UsageRecords)
			}
			if out.Agents.TotalCount != 0 || len(out.Agents.Edges) != 0 {
				t.Errorf("B sees agents: %+v", out.Agents)
			}
			if len(out.TopAgents) != 0 {
				t.Errorf("B sees top agents: %+v", out.TopAgents)
			}
			if out.UsageByCategory.TotalCredits != 0 {
				t.Errorf("B's usage includes A's: %+v", out.UsageByCategory)
			}
			if out.CreditBalance != bBefore || out.CreditBalance.Remaining != 5000 || out.CreditBalance.BundleRemaining != 0 {
				t.Errorf("B's balance = %+v, want 5,000 and no bundles", out.CreditBalance)
			}
			if out.Viewer.ID != id(b.ID) || out.Viewer.Name != "Bob" {
				t.Errorf("B's viewer = %+v", out.Viewer)
			}
		}

		// filters cannot reach A's rows.
		{
			var out struct {
				ByID    connection[usageRecord]
				ByAgent connection[usageRecord]
				ByKey   connection[usageRecord]
				Agents  connection[agentNode]
			}
			b.query(`query($rec: ID!, $agent: ID!) {
				byID: usageRecords(where: {id: $rec}) { totalCount edges { node { id } } }
				byAgent: usageRecords(where: {hasAgentWith: [{id: $agent}]}) { totalCount edges { node { id } } }
				byKey: usageRecords(where: {idempotencyKey: "shared-key"}) { totalCount edges { node { id } } }
				agents(where: {or: [{id: $agent}, {nameContains: "Alice"}]}) { totalCount edges { node { id } } }
			}`, map[string]any{"rec": id(runA.ID), "agent": id(agentA)}, &out)
			if n := out.ByID.TotalCount + out.ByAgent.TotalCount + out.ByKey.TotalCount + out.Agents.TotalCount; n != 0 {
				t.Errorf("B's filters matched A's rows: %+v", out)
			}
		}

		// node of A's objects is NOT_FOUND.
		{
			for what, n := range aIDs {
				r := b.do(`query($id: ID!) { node(id: $id) { id
					... on Agent { name runs { totalCount edges { node { id credits } } } }
					... on UsageRecord { credits agent { id name } }
					... on Bundle { credits remaining }
					... on Account { name }
				} }`, map[string]any{"id": id(n)})
				if len(r.Errors) == 0 || r.Errors[0].Code() != "NOT_FOUND" || strings.Contains(string(r.Data), id(n)) {
					t.Errorf("B's node(A's %s) = HTTP %d %s, want NOT_FOUND and no data", what, r.Status, r.Raw)
				}
			}
		}

		// nodes of A's objects are null.
		{
			ids := []string{id(agentA), id(runA.ID), id(bundleA.ID), id(a.ID), id(imageA.ID)}
			r := b.do(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Agent { name } ... on Account { name } } }`, map[string]any{"ids": ids})
			if strings.Contains(string(r.Raw), "Alice") || len(r.Errors) != len(ids) {
				t.Errorf("B's nodes(A's IDs) = %s, want %d NOT_FOUND errors and no data", r.Raw, len(ids))
			} else if r.HasData() {
				var out struct{ Nodes []json.RawMessage }
				if err := json.Unmarshal(r.Data, &out); err != nil {
					t.Fatal(err)
				}
				for i, n := range out.Nodes {
					if string(n) != "null" {
						t.Fatalf("nodes[%d] = %s, want null", i, n)
					}
				}
			}
			// One of B's own IDs among them still resolves, and only it.
			own := b.agent("Bob's agent", "WEEKLY")
			r = b.do(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{id(agentA), id(own), id(bundleA.ID)}})
			var out struct{ Nodes []*struct{ ID string } }
			if err := json.Unmarshal(r.Data, &out); err != nil || len(out.Nodes) != 3 ||
				out.Nodes[0] != nil || out.Nodes[1] == nil || out.Nodes[1].ID != id(own) || out.Nodes[2] != nil || len(r.Errors) != 2 {
				t.Errorf("B's nodes(A's agent, B's agent, A's bundle) = %s, want [null, B's agent, null] and 2 errors", r.Raw)
			}
		}

		// B cannot charge A's agent.
		{
			r := b.do(recordUsageBasic, map[string]any{"input": map[string]any{
				"category": "AGENT", "credits": 10, "agentID": id(agentA), "idempotencyKey": "steal"}})
			if len(r.Errors) == 0 || r.Errors[0].Code() != "NOT_FOUND" {
				t.Errorf("B charging A's agent = %s, want NOT_FOUND", r.Raw)
			}
			if b.recordCount() != 0 || b.balance().Remaining != 5000 {
				t.Errorf("B was charged: %d records, remaining %d", b.recordCount(), b.balance().Remaining)
			}
			n, err := e.client.UsageRecord.Query().Where(usagerecord.AgentID(agentA)).Count(e.ctx)
			if err != nil || n != 1 {
				t.Errorf("A's agent has %d runs (%v), want 1", n, err)
			}
		}

		// B cannot update A's agent.
		{
			r := b.do(`mutation($id: ID!) { updateAgent(id: $id, input: {name: "Hijacked", frequency: HOURLY}) { id name } }`,
				map[string]any{"id": id(agentA)})
			if len(r.Errors) == 0 || r.Errors[0].Code() != "NOT_FOUND" || strings.Contains(string(r.Data), "Hijacked") {
				t.Errorf("B updating A's agent = %s, want NOT_FOUND", r.Raw)
			}
			got, err := e.client.Agent.Get(e.ctx, agentA)
			if err != nil || got.Name != "Alice's agent" || got.Frequency != "DAILY" || got.AccountID != a.ID {
				t.Errorf("A's agent after B's update = %+v (%v)", got, err)
			}
		}

		// idempotency keys are per account.
		{
			// B reusing A's keys gets its own charge and bundle, never A's.
			rec := b.recordUsageBasic(map[string]any{"category": "CHAT", "credits": 7, "idempotencyKey": "shared-key"}).RecordUsage
			if rec.UsageRecord.ID == id(runA.ID) || rec.UsageRecord.Credits != 7 || rec.Balance.Remaining != 4993 {
				t.Fatalf("B's charge with A's key = %+v", rec)
			}
			var out purchasePayload
			b.query(purchaseMutation, map[string]any{"input": map[string]any{"offerID": id(e.offerID(1000)), "idempotencyKey": "shared-bundle-key"}}, &out)
			if out.PurchaseBundle.Bundle.ID == id(bundleA.ID) || out.PurchaseBundle.Bundle.Credits != 1000 {
				t.Fatalf("B's purchase with A's key = %+v", out.PurchaseBundle.Bundle)
			}
		}

		// A still sees exactly its own.
		{
			var out struct {
				UsageRecords connection[usageRecord]
				Agents       connection[agentNode]
				Bal          balance `json:"creditBalance"`
			}
			a.query(`{ usageRecords { totalCount edges { node { id } } } agents { totalCount } creditBalance `+balanceFields+` }`, nil, &out)
			if out.UsageRecords.TotalCount != 2 || out.Agents.TotalCount != 1 || out.Bal.Remaining != 5000-80+5000 {
				t.Fatalf("A's view = %d records, %d agents, remaining %d", out.UsageRecords.TotalCount, out.Agents.TotalCount, out.Bal.Remaining)
			}
			a.verify()
			b.verify()
		}
	})
}
