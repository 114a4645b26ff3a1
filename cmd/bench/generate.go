package main

import (
	"math/rand/v2"
	"time"
)

// history describes the synthetic usage the dashboard benchmark loads: a
// 90-day window ending now, spread over accounts with one hot account.
type history struct {
	records  int
	accounts []dashAccount
	hotShare float64
	end      time.Time // the newest record's time bound (now)
	seed     uint64
}

const (
	historyDays = 90
	// chunkRows is the unit of generation and of one COPY / transaction:
	// large enough to amortise round trips, small enough to stream.
	chunkRows = 50_000
	// idleWindow is the averaging window of agent costs: the idle agent has
	// no runs in it, so topAgents takes its fallback path as in production.
	idleWindow = 30 * 24 * time.Hour
)

// genRow is one usage record before formatting.
type genRow struct {
	acct     int32 // index into history.accounts
	agent    int   // agent ID, 0 for none
	category uint8 // index into categories
	quantity int32
	credits  int64
	profiles int32 // -1 for none
	desc     int8  // index into descriptions, -1 for none
	at       int64 // occurred_at = charged_at, Unix microseconds
	seq      int64 // global row number: makes the idempotency key
}

var categories = [...]string{"IMAGE", "VIDEO", "CHAT", "AGENT"}

const (
	catImage = iota
	catVideo
	catChat
	catAgent
)

var descriptions = [...]string{
	"Caption draft", "Reply suggestions", "Hashtag ideas", "Post rewrite",
	"Product shot", "Story background", "Scheduled run", "Campaign brief",
}

func (h *history) chunks() int { return (h.records + chunkRows - 1) / chunkRows }

// chunk generates chunk k's rows into dst. Chunks cover consecutive slices
// of the 90 days, so the table's physical order follows time as it does in
// production, where records arrive as usage happens.
func (h *history) chunk(k int, dst []genRow) []genRow {
	r := rand.New(rand.NewPCG(h.seed, uint64(k)))
	span := int64(historyDays * 24 * time.Hour / time.Microsecond)
	start := h.end.UnixMicro() - span
	n := h.chunks()
	from, to := start+span*int64(k)/int64(n), start+span*int64(k+1)/int64(n)
	idleBefore := h.end.Add(-idleWindow).UnixMicro()
	dst = dst[:0]
	for i := k * chunkRows; i < min((k+1)*chunkRows, h.records); i++ {
		row := genRow{seq: int64(i), at: from + r.Int64N(max(to-from, 1)), profiles: -1, desc: -1, quantity: 1}
		// The hot account gets hotShare of the records plus its fair share
		// of the rest.
		if len(h.accounts) > 1 && r.Float64() >= h.hotShare {
			row.acct = int32(r.IntN(len(h.accounts)))
		}
		a := &h.accounts[row.acct]
		switch p := r.IntN(100); {
		case p < 35:
			row.category = catImage
			if r.IntN(4) == 0 { // a quarter are sets of 2–4 images
				row.quantity = int32(2 + r.IntN(3))
			}
			row.credits = imageCredits * int64(row.quantity)
		case p < 38:
			row.category, row.credits = catVideo, 190
		case p < 78:
			row.category, row.credits = catChat, 1+r.Int64N(30)
		default:
			row.category = catAgent
			ag := r.IntN(len(a.agents))
			if ag == len(a.agents)-1 && row.at >= idleBefore {
				ag = 0 // the last agent is idle: no runs in the last 30 days
			}
			row.agent = a.agents[ag]
			row.credits = 10 + 12*int64(ag) + r.Int64N(15)
			row.profiles = int32(row.credits * 3)
		}
		if r.IntN(2) == 0 {
			row.desc = int8(r.IntN(len(descriptions)))
		}
		dst = append(dst, row)
	}
	return dst
}

// rollupKey is one daily rollup row: account, UTC day, category, agent.
type rollupKey struct {
	acct     int32
	day      int32 // days since the Unix epoch, UTC
	category uint8
	agent    int
}

type rollupSum struct{ events, credits int64 }

// aggregate is what the rows add up to: the daily rollups, with the
// internal/credits semantics (UTC day of occurred_at, agent 0 for none), and
// each account's credits charged in its current period.
type aggregate struct {
	rollups      map[rollupKey]*rollupSum
	periodCredit []int64 // by account index
	perAccount   []int64 // records by account index
}

func newAggregate(accounts int) *aggregate {
	return &aggregate{
		rollups:      map[rollupKey]*rollupSum{},
		periodCredit: make([]int64, accounts),
		perAccount:   make([]int64, accounts),
	}
}

const microsPerDay = int64(24 * time.Hour / time.Microsecond)

func (g *aggregate) add(h *history, rows []genRow) {
	for i := range rows {
		row := &rows[i]
		k := rollupKey{acct: row.acct, day: int32(row.at / microsPerDay), category: row.category, agent: row.agent}
		s := g.rollups[k]
		if s == nil {
			s = &rollupSum{}
			g.rollups[k] = s
		}
		s.events++
		s.credits += row.credits
		g.perAccount[row.acct]++
		if row.at >= h.accounts[row.acct].periodStart.UnixMicro() {
			g.periodCredit[row.acct] += row.credits
		}
	}
}

func (g *aggregate) merge(o *aggregate) {
	for k, s := range o.rollups {
		if t := g.rollups[k]; t != nil {
			t.events += s.events
			t.credits += s.credits
		} else {
			g.rollups[k] = s
		}
	}
	for i := range g.periodCredit {
		g.periodCredit[i] += o.periodCredit[i]
		g.perAccount[i] += o.perAccount[i]
	}
}
