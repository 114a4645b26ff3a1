package httpserver_test

import (
	"math"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/ent/usagerecord"
	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/testdb"
)

func TestViewer(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		e.account("Other", "Business")
		var out struct {
			Viewer struct {
				ID, Name string
				Plan     struct {
					ID             string
					Name           string
					MonthlyCredits int
					CreditValue    money
				}
			}
		}
		a.query(`{ viewer { id name plan { id name monthlyCredits creditValue `+moneyFields+` } } }`, nil, &out)
		v := out.Viewer
		if v.ID != id(a.ID) || v.Name != "Acme" {
			t.Fatalf("viewer = %+v, want account %d named Acme", v, a.ID)
		}
		if v.Plan.Name != "Pro" || v.Plan.MonthlyCredits != 5000 || v.Plan.ID == "" {
			t.Fatalf("plan = %+v, want Pro with 5000 credits", v.Plan)
		}
		if want := (money{"0.01", "USD", "$0.01"}); v.Plan.CreditValue != want {
			t.Fatalf("creditValue = %+v, want %+v", v.Plan.CreditValue, want)
		}
	})
}

func TestCreditBalance(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")

		fresh := a.balance()
		want := balance{
			Remaining: 5000, Allowance: 5000, PlanIncluded: 5000, PlanRemaining: 5000,
			RemainingValue: money{"50.00", "USD", "$50.00"},
			PeriodStart:    time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC),
			PeriodEnd:      time.Date(2025, 4, 15, 0, 0, 0, 0, time.UTC),
		}
		if !fresh.PeriodStart.Equal(want.PeriodStart) || !fresh.PeriodEnd.Equal(want.PeriodEnd) {
			t.Fatalf("period = [%s, %s), want [%s, %s)", fresh.PeriodStart, fresh.PeriodEnd, want.PeriodStart, want.PeriodEnd)
		}
		fresh.PeriodStart, fresh.PeriodEnd = want.PeriodStart, want.PeriodEnd
		if fresh != want {
			t.Fatalf("fresh balance = %+v\nwant %+v", fresh, want)
		}

		steps := []struct {
			name string
			act  func()
			want balance
		}{
			{
				name: "image and chat from plan credits",
				act: func() {
					a.chargeAt(usagerecord.CategoryIMAGE, 2, nil, testNow, "img")
					a.chargeAt(usagerecord.CategoryCHAT, 7, nil, testNow, "chat")
				},
				want: balance{Remaining: 4973, Allowance: 5000, Used: 27, UsedPercent: 0.5,
					PlanIncluded: 5000, PlanRemaining: 4973, RemainingValue: money{"49.73", "USD", "$49.73"}},
			},
			{
				name: "bundle of 1,000 bought",
				act:  func() { a.buy(1000, "bundle-1") },
				want: balance{Remaining: 5973, Allowance: 6000, Used: 27, UsedPercent: 0.5,
					PlanIncluded: 5000, PlanRemaining: 4973, BundleCredits: 1000, BundleRemaining: 1000,
					RemainingValue: money{"59.73", "USD", "$59.73"}},
			},
			{
				name: "charge draws plan to zero then the bundle",
				act:  func() { a.chargeAt(usagerecord.CategoryCHAT, 4980, nil, testNow, "big") },
				want: balance{Remaining: 993, Allowance: 6000, Used: 5007, UsedPercent: 83.5,
					PlanIncluded: 5000, PlanRemaining: 0, BundleCredits: 1000, BundleRemaining: 993,
					RemainingValue: money{"9.93", "USD", "$9.93"}},
			},
		}
		for _, s := range steps {
			s.act()
			a.verify()
			got := a.balance()
			got.PeriodStart, got.PeriodEnd = time.Time{}, time.Time{}
			if got != s.want {
				t.Fatalf("%s: balance = %+v\nwant %+v", s.name, got, s.want)
			}
		}

		// Two periods later (one skipped): plan credits reset without carry-over,
		// the bundle's remainder persists and its earlier use no longer counts.
		e.clock.Set(time.Date(2025, 5, 20, 8, 0, 0, 0, time.UTC))
		got := a.balance()
		want = balance{Remaining: 5993, Allowance: 5993, PlanIncluded: 5000, PlanRemaining: 5000,
			BundleCredits: 993, BundleRemaining: 993, RemainingValue: money{"59.93", "USD", "$59.93"},
			PeriodStart: time.Date(2025, 5, 15, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)}
		if !got.PeriodStart.Equal(want.PeriodStart) || !got.PeriodEnd.Equal(want.PeriodEnd) {
			t.Fatalf("rolled period = [%s, %s), want [%s, %s)", got.PeriodStart, got.PeriodEnd, want.PeriodStart, want.PeriodEnd)
		}
		got.PeriodStart, got.PeriodEnd = want.PeriodStart, want.PeriodEnd
		if got != want {
			t.Fatalf("after roll-over: balance = %+v\nwant %+v", got, want)
		}
		a.verify()
	})
}

type categoryUsage struct {
	Category string  `json:"category"`
	Credits  int64   `json:"credits"`
	Percent  float64 `json:"percent"`
	Value    money   `json:"value"`
}

type usageBreakdown struct {
	Days         int             `json:"days"`
	TotalCredits int64           `json:"totalCredits"`
	TotalValue   money           `json:"totalValue"`
	Categories   []categoryUsage `json:"categories"`
}

const breakdownFields = `{ days totalCredits totalValue ` + moneyFields + `
	categories { category credits percent value ` + moneyFields + ` } }`

func TestUsageByCategory(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		empty := e.account("Empty", "Pro")

		// testNow is 2025-03-15 12:00 UTC: the 30-day window starts 2025-02-14 00:00.
		a.chargeAt(usagerecord.CategoryIMAGE, 3, nil, testNow.Add(-time.Hour), "img")                     // 30
		a.chargeAt(usagerecord.CategoryVIDEO, 1, nil, time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC), "vid") // 190
		a.chargeAt(usagerecord.CategoryCHAT, 13, nil, time.Date(2025, 2, 14, 0, 0, 0, 0, time.UTC), "in") // first instant of the window
		a.chargeAt(usagerecord.CategoryCHAT, 100, nil, time.Date(2025, 2, 13, 23, 59, 59, 0, time.UTC), "out")

		cat := func(c string, credits int64, pct float64, amount, formatted string) categoryUsage {
			return categoryUsage{c, credits, pct, money{amount, "USD", formatted}}
		}
		tests := []struct {
			name  string
			acct  *account
			query string
			want  usageBreakdown
		}{
			{
				name: "default 30 days", acct: a, query: `{ usageByCategory ` + breakdownFields + ` }`,
				want: usageBreakdown{30, 233, money{"2.33", "USD", "$2.33"}, []categoryUsage{
					cat("IMAGE", 30, 12.9, "0.30", "$0.30"),
					cat("VIDEO", 190, 81.5, "1.90", "$1.90"),
					cat("CHAT", 13, 5.6, "0.13", "$0.13"),
					cat("AGENT", 0, 0, "0.00", "$0.00"),
				}},
			},
			{
				name: "today only", acct: a, query: `{ usageByCategory(days: 1) ` + breakdownFields + ` }`,
				want: usageBreakdown{1, 30, money{"0.30", "USD", "$0.30"}, []categoryUsage{
					cat("IMAGE", 30, 100, "0.30", "$0.30"),
					cat("VIDEO", 0, 0, "0.00", "$0.00"),
					cat("CHAT", 0, 0, "0.00", "$0.00"),
					cat("AGENT", 0, 0, "0.00", "$0.00"),
				}},
			},
			{
				name: "60 days", acct: a, query: `{ usageByCategory(days: 60) ` + breakdownFields + ` }`,
				want: usageBreakdown{60, 333, money{"3.33", "USD", "$3.33"}, []categoryUsage{
					cat("IMAGE", 30, 9.0, "0.30", "$0.30"),
					cat("VIDEO", 190, 57.1, "1.90", "$1.90"),
					cat("CHAT", 113, 33.9, "1.13", "$1.13"),
					cat("AGENT", 0, 0, "0.00", "$0.00"),
				}},
			},
			{
				name: "365 days is allowed", acct: a, query: `{ usageByCategory(days: 365) ` + breakdownFields + ` }`,
				want: usageBreakdown{365, 333, money{"3.33", "USD", "$3.33"}, []categoryUsage{
					cat("IMAGE", 30, 9.0, "0.30", "$0.30"),
					cat("VIDEO", 190, 57.1, "1.90", "$1.90"),
					cat("CHAT", 113, 33.9, "1.13", "$1.13"),
					cat("AGENT", 0, 0, "0.00", "$0.00"),
				}},
			},
			{
				name: "no usage lists every category at zero", acct: empty, query: `{ usageByCategory ` + breakdownFields + ` }`,
				want: usageBreakdown{30, 0, money{"0.00", "USD", "$0.00"}, []categoryUsage{
					cat("IMAGE", 0, 0, "0.00", "$0.00"),
					cat("VIDEO", 0, 0, "0.00", "$0.00"),
					cat("CHAT", 0, 0, "0.00", "$0.00"),
					cat("AGENT", 0, 0, "0.00", "$0.00"),
				}},
			},
		}
		for _, tc := range tests {
			var out struct{ UsageByCategory usageBreakdown }
			tc.acct.query(tc.query, nil, &out)
			got := out.UsageByCategory
			if got.Days != tc.want.Days || got.TotalCredits != tc.want.TotalCredits || got.TotalValue != tc.want.TotalValue {
				t.Fatalf("%s: totals = %d days %d credits %+v, want %+v", tc.name, got.Days, got.TotalCredits, got.TotalValue, tc.want)
			}
			if len(got.Categories) != 4 {
				t.Fatalf("%s: %d categories, want all 4: %+v", tc.name, len(got.Categories), got.Categories)
			}
			for i, c := range got.Categories {
				if c != tc.want.Categories[i] {
					t.Fatalf("%s: category %d = %+v, want %+v", tc.name, i, c, tc.want.Categories[i])
				}
				if tenths := c.Percent * 10; math.Abs(tenths-math.Round(tenths)) > 1e-9 {
					t.Fatalf("%s: percent %v has more than one decimal", tc.name, c.Percent)
				}
			}
		}

		for _, days := range []int{0, -1, 366} {
			r := a.expectError(`query($d: Int) { usageByCategory(days: $d) { totalCredits } }`, map[string]any{"d": days}, "INVALID_ARGUMENT")
			requireNoData(t, r, "usageByCategory")
		}
	})
}

type agentCost struct {
	Agent struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"agent"`
	Frequency               string  `json:"frequency"`
	RunsPerMonth            float64 `json:"runsPerMonth"`
	AverageCreditsPerRun    float64 `json:"averageCreditsPerRun"`
	EstimatedMonthlyCredits int64   `json:"estimatedMonthlyCredits"`
	EstimatedMonthlyCost    money   `json:"estimatedMonthlyCost"`
}

const agentCostFields = `{ agent { id name } frequency runsPerMonth averageCreditsPerRun
	estimatedMonthlyCredits estimatedMonthlyCost ` + moneyFields + ` }`

func TestTopAgents(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		day := 24 * time.Hour
		run := func(agentID, credits int, ago time.Duration, key string) {
			a.chargeAt(usagerecord.CategoryAGENT, credits, &agentID, testNow.Add(-ago), key)
		}
		// Created out of rank order so the ranking is the API's work.
		zulu := a.agent("Zulu", "HOURLY") // never ran: 0
		delta := a.agent("Delta", "MONTHLY")
		run(delta, 304, day, "d1") // 1 × 304 = 304, ties with Alpha
		echo := a.agent("Echo", "MANUAL")
		run(echo, 40, 2*day, "e1") // 2 runs in 30 days × 50 = 100
		run(echo, 60, 3*day, "e2")
		run(echo, 500, 33*day, "e-old") // before the 30-day window: not averaged
		alpha := a.agent("Alpha", "DAILY")
		for i := range 3 {
			run(alpha, 10, time.Duration(i+1)*day, keyN("a", i)) // 30.4375 × 10 = 304.375 → 304
		}
		beta := a.agent("Beta", "WEEKLY")
		run(beta, 90, day, "b1") // 4.348 × 100 = 434.8 → 435
		run(beta, 110, 8*day, "b2")

		want := []struct {
			name    string
			id      int
			freq    string
			rpm     float64
			avg     float64
			credits int64
			cost    money
		}{
			{"Beta", beta, "WEEKLY", 4.348, 100, 435, money{"4.348", "USD", "$4.35"}},
			{"Alpha", alpha, "DAILY", 30.4375, 10, 304, money{"3.04375", "USD", "$3.04"}},
			{"Delta", delta, "MONTHLY", 1, 304, 304, money{"3.04", "USD", "$3.04"}},
			{"Echo", echo, "MANUAL", 2, 50, 100, money{"1.00", "USD", "$1.00"}},
			{"Zulu", zulu, "HOURLY", 730.5, 0, 0, money{"0.00", "USD", "$0.00"}},
		}
		check := func(got []agentCost, n int) {
			t.Helper()
			if len(got) != n {
				t.Fatalf("got %d agents, want %d: %+v", len(got), n, got)
			}
			for i, g := range got {
				w := want[i]
				if g.Agent.Name != w.name || g.Agent.ID != id(w.id) || g.Frequency != w.freq ||
					math.Abs(g.RunsPerMonth-w.rpm) > 1e-9 || math.Abs(g.AverageCreditsPerRun-w.avg) > 1e-9 ||
					g.EstimatedMonthlyCredits != w.credits || g.EstimatedMonthlyCost != w.cost {
					t.Fatalf("rank %d = %+v, want %+v", i+1, g, w)
				}
			}
		}
		var all struct{ TopAgents []agentCost }
		a.query(`{ topAgents `+agentCostFields+` }`, nil, &all)
		check(all.TopAgents, 5)
		var two struct{ TopAgents []agentCost }
		a.query(`{ topAgents(first: 2) `+agentCostFields+` }`, nil, &two)
		check(two.TopAgents, 2)
		var hundred struct{ TopAgents []agentCost }
		a.query(`{ topAgents(first: 100) `+agentCostFields+` }`, nil, &hundred)
		check(hundred.TopAgents, 5)

		for _, first := range []int{0, -1, 101} {
			r := a.expectError(`query($n: Int) { topAgents(first: $n) { estimatedMonthlyCredits } }`, map[string]any{"n": first}, "INVALID_ARGUMENT")
			requireNoData(t, r, "topAgents")
		}
	})
}

func TestUsageLink(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		type link struct{ URL, Title, Summary string }
		get := func() link {
			var out struct{ UsageLink link }
			a.query(`{ usageLink { url title summary } }`, nil, &out)
			return out.UsageLink
		}
		if got := get(); got.Summary != "5,000 of 5,000 credits left (≈ $50.00)" {
			t.Fatalf("fresh summary = %q", got.Summary)
		}
		a.chargeAt(usagerecord.CategoryIMAGE, 2, nil, testNow, "img")
		got := get()
		if got.URL != "/settings/billing/ai-usage" {
			t.Fatalf("url = %q, want /settings/billing/ai-usage", got.URL)
		}
		if got.Title == "" {
			t.Fatal("title is empty")
		}
		if want := "4,980 of 5,000 credits left (≈ $49.80)"; got.Summary != want {
			t.Fatalf("summary = %q, want %q", got.Summary, want)
		}
		a.buy(20000, "big")
		if want := "24,980 of 25,000 credits left (≈ $249.80)"; get().Summary != want {
			t.Fatalf("summary after bundle = %q, want %q", get().Summary, want)
		}
	})
}

func TestCreditCosts(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		var out struct {
			CreditCosts []struct {
				Category       string
				CreditsPerUnit *int
				Unit           string
				Description    string
			}
		}
		a.query(`{ creditCosts { category creditsPerUnit unit description } }`, nil, &out)
		want := []struct {
			category string
			perUnit  *int
		}{{"IMAGE", ptr(10)}, {"VIDEO", ptr(190)}, {"CHAT", nil}, {"AGENT", nil}}
		if len(out.CreditCosts) != len(want) {
			t.Fatalf("got %d credit costs, want %d: %+v", len(out.CreditCosts), len(want), out.CreditCosts)
		}
		for i, w := range want {
			c := out.CreditCosts[i]
			if c.Category != w.category || (c.CreditsPerUnit == nil) != (w.perUnit == nil) ||
				(w.perUnit != nil && *c.CreditsPerUnit != *w.perUnit) {
				t.Fatalf("cost %d = %+v, want %s at %v", i, c, w.category, w.perUnit)
			}
			if c.Unit == "" || c.Description == "" {
				t.Fatalf("cost %s has an empty unit or description: %+v", c.Category, c)
			}
		}
	})
}

func TestBundleOffers(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		var out struct {
			BundleOffers []struct {
				ID, Name string
				Credits  int
				Price    money
			}
		}
		a.query(`{ bundleOffers { id name credits price `+moneyFields+` } }`, nil, &out)
		want := []struct {
			credits int
			price   money
		}{
			{1000, money{"10.00", "USD", "$10.00"}},
			{5000, money{"45.00", "USD", "$45.00"}},
			{20000, money{"160.00", "USD", "$160.00"}},
		}
		if len(out.BundleOffers) != len(want) {
			t.Fatalf("got %d offers, want 3: %+v", len(out.BundleOffers), out.BundleOffers)
		}
		for i, w := range want {
			o := out.BundleOffers[i]
			if o.Credits != w.credits || o.Price != w.price || o.Name == "" || o.ID != id(e.offerID(int64(w.credits))) {
				t.Fatalf("offer %d = %+v, want %d credits for %+v", i, o, w.credits, w.price)
			}
		}
	})
}

type connection[T any] struct {
	TotalCount int `json:"totalCount"`
	PageInfo   struct {
		HasNextPage     bool    `json:"hasNextPage"`
		HasPreviousPage bool    `json:"hasPreviousPage"`
		StartCursor     *string `json:"startCursor"`
		EndCursor       *string `json:"endCursor"`
	} `json:"pageInfo"`
	Edges []struct {
		Cursor string `json:"cursor"`
		Node   T      `json:"node"`
	} `json:"edges"`
}

func (c connection[T]) nodes() []T {
	out := make([]T, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}

const pageInfoFields = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`

func TestUsageRecordsConnection(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		agentID := a.agent("Reporter", "DAILY")

		// 23 records, one an hour, oldest first; every third an IMAGE.
		var ids []string // newest first
		for i := range 23 {
			at := testNow.Add(-time.Duration(23-i) * time.Hour)
			var rec int
			switch {
			case i%3 == 0:
				rec = a.chargeAt(usagerecord.CategoryIMAGE, 1, nil, at, keyN("r", i)).ID
			case i == 22:
				rec = a.chargeAt(usagerecord.CategoryAGENT, 40, &agentID, at, keyN("r", i)).ID
			default:
				rec = a.chargeAt(usagerecord.CategoryCHAT, i+1, nil, at, keyN("r", i)).ID
			}
			ids = append([]string{id(rec)}, ids...)
		}

		type page = connection[usageRecord]
		fetch := func(vars map[string]any) page {
			t.Helper()
			var out struct{ UsageRecords page }
			a.query(`query($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: UsageRecordWhereInput, $orderBy: UsageRecordOrder) {
				usageRecords(first: $first, after: $after, last: $last, before: $before, where: $where, orderBy: $orderBy) {
					`+pageInfoFields+` edges { cursor node `+recordFields+` } } }`, vars, &out)
			return out.UsageRecords
		}
		idsOf := func(p page) []string {
			var out []string
			for _, n := range p.nodes() {
				out = append(out, n.ID)
			}
			return out
		}

		// Default: newest first, 20 per page.
		def := fetch(nil)
		if def.TotalCount != 23 || len(def.Edges) != 20 || !def.PageInfo.HasNextPage {
			t.Fatalf("default page: total %d, %d edges, hasNext %v; want 23, 20, true", def.TotalCount, len(def.Edges), def.PageInfo.HasNextPage)
		}
		requireIDs(t, "default page", idsOf(def), ids[:20])
		newest := def.Edges[0].Node
		if newest.Category != "AGENT" || newest.Credits != 40 || newest.Agent == nil || newest.Agent.Name != "Reporter" ||
			newest.Agent.ID != id(agentID) || newest.Value != (money{"0.40", "USD", "$0.40"}) || newest.IdempotencyKey != "r-022" ||
			!newest.OccurredAt.Equal(testNow.Add(-time.Hour)) || newest.PlanCredits != 40 || newest.BundleCredits != 0 {
			t.Fatalf("newest record = %+v", newest)
		}

		// Forward paging with first/after visits every record once, in order.
		var seen []string
		var after any
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("paging does not end")
			}
			p := fetch(map[string]any{"first": 7, "after": after})
			seen = append(seen, idsOf(p)...)
			if !p.PageInfo.HasNextPage {
				break
			}
			after = *p.PageInfo.EndCursor
		}
		requireIDs(t, "paged", seen, ids)

		// Backward paging from the end.
		last := fetch(map[string]any{"last": 3})
		requireIDs(t, "last 3", idsOf(last), ids[20:])
		if !last.PageInfo.HasPreviousPage {
			t.Fatal("last page: hasPreviousPage = false")
		}

		// Filter by category.
		images := fetch(map[string]any{"where": map[string]any{"category": "IMAGE"}, "first": 100})
		if images.TotalCount != 8 || len(images.Edges) != 8 {
			t.Fatalf("IMAGE filter: total %d, %d edges; want 8", images.TotalCount, len(images.Edges))
		}
		for _, n := range images.nodes() {
			if n.Category != "IMAGE" || n.Credits != 10 || n.Quantity != 1 {
				t.Fatalf("IMAGE filter returned %+v", n)
			}
		}
		byAgent := fetch(map[string]any{"where": map[string]any{"hasAgentWith": []any{map[string]any{"id": id(agentID)}}}})
		requireIDs(t, "agent filter", idsOf(byAgent), ids[:1])

		// Explicit ordering.
		cheapest := fetch(map[string]any{"first": 3, "orderBy": map[string]any{"field": "CREDITS", "direction": "ASC"}})
		for _, n := range cheapest.nodes() {
			if n.Credits > 10 {
				t.Fatalf("ordered by credits ascending, got %+v", cheapest.nodes())
			}
		}

		for _, vars := range []map[string]any{{"first": 101}, {"first": 0}, {"first": -1}, {"last": 101}} {
			r := a.expectError(`query($first: Int, $last: Int) { usageRecords(first: $first, last: $last) { totalCount } }`, vars, "INVALID_ARGUMENT")
			requireNoData(t, r, "usageRecords")
		}
	})
}

func requireIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d IDs %v, want %d %v", what, len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}

type agentNode struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Frequency          string   `json:"frequency"`
	HoursSavedPerMonth *float64 `json:"hoursSavedPerMonth"`
}

func TestAgentsConnection(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		names := []string{"Charlie", "Alpha", "Bravo", "Delta"}
		byName := map[string]int{}
		for _, n := range names {
			byName[n] = a.agent(n, "WEEKLY")
		}
		type page = connection[agentNode]
		fetch := func(vars map[string]any) page {
			t.Helper()
			var out struct{ Agents page }
			a.query(`query($first: Int, $after: Cursor, $orderBy: AgentOrder, $where: AgentWhereInput) {
				agents(first: $first, after: $after, orderBy: $orderBy, where: $where) {
					`+pageInfoFields+` edges { cursor node { id name frequency hoursSavedPerMonth } } } }`, vars, &out)
			return out.Agents
		}
		all := fetch(nil)
		if all.TotalCount != 4 || len(all.Edges) != 4 {
			t.Fatalf("agents: total %d, %d edges; want 4", all.TotalCount, len(all.Edges))
		}
		byNameOrder := map[string]any{"field": "NAME", "direction": "ASC"}
		first := fetch(map[string]any{"first": 3, "orderBy": byNameOrder})
		second := fetch(map[string]any{"first": 3, "after": *first.PageInfo.EndCursor, "orderBy": byNameOrder})
		var got []string
		for _, n := range append(first.nodes(), second.nodes()...) {
			if n.ID != id(byName[n.Name]) || n.Frequency != "WEEKLY" || n.HoursSavedPerMonth != nil {
				t.Fatalf("agent node = %+v", n)
			}
			got = append(got, n.Name)
		}
		requireIDs(t, "agents by name", got, []string{"Alpha", "Bravo", "Charlie", "Delta"})
		if !first.PageInfo.HasNextPage || second.PageInfo.HasNextPage {
			t.Fatalf("hasNextPage: first %v, second %v; want true, false", first.PageInfo.HasNextPage, second.PageInfo.HasNextPage)
		}
		filtered := fetch(map[string]any{"where": map[string]any{"nameHasPrefix": "B"}})
		if filtered.TotalCount != 1 || filtered.nodes()[0].Name != "Bravo" {
			t.Fatalf("where nameHasPrefix B = %+v", filtered.nodes())
		}
		for _, n := range []int{0, 101} {
			r := a.expectError(`query($n: Int) { agents(first: $n) { totalCount } }`, map[string]any{"n": n}, "INVALID_ARGUMENT")
			requireNoData(t, r, "agents")
		}
	})
}

func TestNode(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		agentID := a.agent("Reporter", "DAILY")
		rec := a.chargeAt(usagerecord.CategoryAGENT, 25, &agentID, testNow.Add(-time.Minute), "run")
		bun := a.buy(5000, "buy")
		planID, err := e.client.Plan.Query().Where().FirstID(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := e.client.Plan.Get(e.ctx, planID)
		if err != nil {
			t.Fatal(err)
		}
		offer := e.offerID(1000)

		const q = `query($id: ID!) { node(id: $id) { __typename id
			... on Agent { name frequency }
			... on UsageRecord { credits category agent { id } value { amount } }
			... on Bundle { credits remaining price { amount } purchasedAt expiresAt }
			... on Account { name plan { name } }
			... on Plan { name monthlyCredits }
			... on BundleOffer { name credits price { amount } }
		} }`
		tests := []struct {
			typename string
			id       int
			check    func(n map[string]any) bool
		}{
			{"Agent", agentID, func(n map[string]any) bool { return n["name"] == "Reporter" && n["frequency"] == "DAILY" }},
			{"UsageRecord", rec.ID, func(n map[string]any) bool {
				ag, _ := n["agent"].(map[string]any)
				return n["credits"] == float64(25) && n["category"] == "AGENT" && ag != nil && ag["id"] == id(agentID) &&
					n["value"].(map[string]any)["amount"] == "0.25"
			}},
			{"Bundle", bun.ID, func(n map[string]any) bool {
				return n["credits"] == float64(5000) && n["remaining"] == float64(5000) &&
					n["price"].(map[string]any)["amount"] == "45.00" && n["purchasedAt"] == "2025-03-15T12:00:00Z" && n["expiresAt"] == nil
			}},
			{"Account", a.ID, func(n map[string]any) bool { return n["name"] == "Acme" && n["plan"].(map[string]any)["name"] == "Pro" }},
			{"Plan", planID, func(n map[string]any) bool {
				return n["name"] == plan.Name && n["monthlyCredits"] == float64(plan.MonthlyCredits)
			}},
			{"BundleOffer", offer, func(n map[string]any) bool {
				return n["credits"] == float64(1000) && n["price"].(map[string]any)["amount"] == "10.00" && n["name"] != ""
			}},
		}
		for _, tc := range tests {
			var out struct{ Node map[string]any }
			a.query(q, map[string]any{"id": id(tc.id)}, &out)
			if out.Node == nil || out.Node["__typename"] != tc.typename || out.Node["id"] != id(tc.id) || !tc.check(out.Node) {
				t.Fatalf("node(%d) = %v, want %s", tc.id, out.Node, tc.typename)
			}
		}

		// nodes(ids:) resolves several types at once, in order.
		var many struct{ Nodes []map[string]any }
		a.query(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
			map[string]any{"ids": []string{id(rec.ID), id(agentID), id(a.ID)}}, &many)
		if len(many.Nodes) != 3 || many.Nodes[0]["__typename"] != "UsageRecord" || many.Nodes[1]["__typename"] != "Agent" ||
			many.Nodes[2]["__typename"] != "Account" {
			t.Fatalf("nodes = %v", many.Nodes)
		}

		// A well-formed ID of nothing is NOT_FOUND.
		r := a.expectError(`{ node(id: "4294967295999") { id } }`, nil, "NOT_FOUND")
		requireNoData(t, r, "node")
	})
}

type runNode struct {
	ID          string    `json:"id"`
	Credits     int64     `json:"credits"`
	Value       money     `json:"value"`
	OccurredAt  time.Time `json:"occurredAt"`
	Description *string   `json:"description"`
}

func TestAgentRunsAndCost(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := e.account("Acme", "Pro")
		agentID := a.agent("Competitor pulse", "DAILY")
		other := a.agent("Other", "DAILY")
		// Recorded out of time order: the API orders newest first.
		r2 := a.chargeAt(usagerecord.CategoryAGENT, 20, &agentID, testNow.Add(-2*time.Hour), "run-2")
		r1 := a.chargeAt(usagerecord.CategoryAGENT, 10, &agentID, testNow.Add(-3*time.Hour), "run-1")
		r3 := a.chargeAt(usagerecord.CategoryAGENT, 30, &agentID, testNow.Add(-time.Hour), "run-3")
		a.chargeAt(usagerecord.CategoryAGENT, 999, &other, testNow.Add(-time.Hour), "other-run")
		a.chargeAt(usagerecord.CategoryCHAT, 5, nil, testNow, "chat")

		type out struct {
			Node struct {
				Name string
				Runs connection[runNode]
				Cost agentCost
			}
		}
		const q = `query($id: ID!, $first: Int, $after: Cursor) { node(id: $id) { ... on Agent { name
			runs(first: $first, after: $after) { ` + pageInfoFields + ` edges { cursor node { id credits value ` + moneyFields + ` occurredAt } } }
			cost ` + agentCostFields + ` } } }`
		var got out
		a.query(q, map[string]any{"id": id(agentID)}, &got)
		runs := got.Node.Runs
		if runs.TotalCount != 3 || len(runs.Edges) != 3 {
			t.Fatalf("runs: total %d, %d edges; want 3", runs.TotalCount, len(runs.Edges))
		}
		want := []runNode{
			{ID: id(r3.ID), Credits: 30, Value: money{"0.30", "USD", "$0.30"}, OccurredAt: testNow.Add(-time.Hour)},
			{ID: id(r2.ID), Credits: 20, Value: money{"0.20", "USD", "$0.20"}, OccurredAt: testNow.Add(-2 * time.Hour)},
			{ID: id(r1.ID), Credits: 10, Value: money{"0.10", "USD", "$0.10"}, OccurredAt: testNow.Add(-3 * time.Hour)},
		}
		for i, w := range want {
			g := runs.nodes()[i]
			if g.ID != w.ID || g.Credits != w.Credits || g.Value != w.Value || !g.OccurredAt.Equal(w.OccurredAt) {
				t.Fatalf("run %d = %+v, want %+v", i, g, w)
			}
		}
		// DAILY: 30.4375 runs × 20 credits = 608.75 → 609 credits, $6.0875.
		c := got.Node.Cost
		if c.Agent.ID != id(agentID) || c.Frequency != "DAILY" || c.RunsPerMonth != 30.4375 || c.AverageCreditsPerRun != 20 ||
			c.EstimatedMonthlyCredits != 609 || c.EstimatedMonthlyCost != (money{"6.0875", "USD", "$6.09"}) {
			t.Fatalf("cost = %+v", c)
		}

		// runs through the agents connection as well.
		var list struct {
			Agents connection[struct {
				Name string
				Runs connection[runNode]
			}]
		}
		a.query(`{ agents(orderBy: {field: NAME}) { edges { node { name runs(first: 1) { totalCount edges { node { id credits } } } } } } }`, nil, &list)
		if n := list.Agents.nodes(); len(n) != 2 || n[0].Runs.TotalCount != 3 || n[0].Runs.nodes()[0].ID != want[0].ID ||
			n[1].Runs.TotalCount != 1 || n[1].Runs.nodes()[0].Credits != 999 {
			t.Fatalf("agents with runs = %+v", n)
		}

		r := a.expectError(`query($id: ID!) { node(id: $id) { ... on Agent { runs(first: 101) { totalCount } } } }`,
			map[string]any{"id": id(agentID)}, "INVALID_ARGUMENT")
		requireNoData(t, r, "node")

		// Paging through runs with the cursor of the default (newest first) order.
		var p1, p2 out
		a.query(q, map[string]any{"id": id(agentID), "first": 2}, &p1)
		a.query(q, map[string]any{"id": id(agentID), "first": 2, "after": *p1.Node.Runs.PageInfo.EndCursor}, &p2)
		var ids []string
		for _, n := range append(p1.Node.Runs.nodes(), p2.Node.Runs.nodes()...) {
			ids = append(ids, n.ID)
		}
		requireIDs(t, "paged runs", ids, []string{want[0].ID, want[1].ID, want[2].ID})
		if !p1.Node.Runs.PageInfo.HasNextPage || p2.Node.Runs.PageInfo.HasNextPage {
			t.Fatal("runs paging: wrong hasNextPage")
		}

	})
}
