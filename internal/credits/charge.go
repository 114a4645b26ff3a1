package credits

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/ent/agent"
	"github.com/vistasocial/aiusage/ent/usagerecord"
)

// MaxBatch is the most usage events one batch may carry.
const MaxBatch = 100

// ChargeResult is a committed (or replayed) charge and the balance after it.
type ChargeResult struct {
	Record  *ent.UsageRecord
	Balance Balance
	// Replayed is true when the idempotency key matched an earlier charge and
	// nothing new was charged.
	Replayed bool
}

// BatchItem is the outcome of one event of a batch: a record or an error.
type BatchItem struct {
	Record   *ent.UsageRecord
	Replayed bool
	Err      error
}

// BatchResult holds each event's outcome, in input order, and the balance
// after the whole batch.
type BatchResult struct {
	Items   []BatchItem
	Balance Balance
}

// RecordUsage charges the account for one usage event: all or nothing, plan
// credits first, then bundles by earliest expiry and oldest purchase.
func (s *Service) RecordUsage(ctx context.Context, accountID int, in UsageInput) (*ChargeResult, error) {
	res, err := s.RecordUsageBatch(ctx, accountID, []UsageInput{in})
	if err != nil {
		return nil, err
	}
	item := res.Items[0]
	if item.Err != nil {
		return nil, item.Err
	}
	return &ChargeResult{Record: item.Record, Balance: res.Balance, Replayed: item.Replayed}, nil
}

// RecordUsageBatch charges up to MaxBatch events in one transaction. Each
// event is validated, charged all-or-nothing and idempotent on its own: a
// rejected event carries its error and does not affect the others, which are
// charged in input order.
func (s *Service) RecordUsageBatch(ctx context.Context, accountID int, inputs []UsageInput) (*BatchResult, error) {
	if len(inputs) == 0 || len(inputs) > MaxBatch {
		return nil, invalid("inputs", "a batch holds 1 to %d events", MaxBatch)
	}
	validatedAt := s.Now()
	charges := make([]*charge, len(inputs))
	invalidErrs := make([]error, len(inputs))
	for i, in := range inputs {
		charges[i], invalidErrs[i] = in.validate(validatedAt)
	}
	// Almost every key is new, so the first attempt does not look keys up
	// before charging: the unique index on (account, key) catches a reused
	// one, and the batch then runs again, looking them up first.
	res, change, err := s.chargeBatch(ctx, accountID, charges, invalidErrs, false)
	if errors.Is(err, errNeedsKeyLookup) {
		res, change, err = s.chargeBatch(ctx, accountID, charges, invalidErrs, true)
	}
	if err != nil {
		return nil, err
	}
	unwrapRecords(res.Items)
	for i, it := range res.Items {
		if it.Err != nil {
			change.Rejected = append(change.Rejected, Rejection{Category: string(inputs[i].Category), Err: it.Err})
		}
	}
	s.afterCommit(ctx, change)
	return res, nil
}

// errNeedsKeyLookup reports that a batch charged without looking up its
// idempotency keys met one of an earlier charge (the unique index refused
// it): that item took credits a replay does not take.
var errNeedsKeyLookup = errors.New("credits: the batch needs its idempotency keys looked up")

// chargeBatch runs one attempt of a batch in a locked transaction. Items
// start with their validation errors; lookUpKeys finds earlier charges of the
// batch's keys first; otherwise the attempt fails with errNeedsKeyLookup
// when it cannot be decided without them.
func (s *Service) chargeBatch(ctx context.Context, accountID int, charges []*charge, invalidErrs []error, lookUpKeys bool) (*BatchResult, *Change, error) {
	res := &BatchResult{Items: make([]BatchItem, len(charges))}
	for i, err := range invalidErrs {
		res.Items[i].Err = err
	}
	change := &Change{AccountID: accountID}
	err := s.withLockedAccount(ctx, accountID, func(tx *ent.Tx, acct *ent.Account, now time.Time) error {
		b := &batch{tx: tx, acct: acct, now: now, wallet: newWallet(tx, acct, now), lookUpKeys: lookUpKeys}
		if err := b.apply(ctx, charges, res.Items); err != nil {
			return err
		}
		var err error
		debited := acct
		if len(b.pending) == 0 {
			res.Balance, err = s.balance(ctx, tx.Bundle, acct, now)
		} else {
			debited, res.Balance, change.Purchased, err = s.writeBatch(ctx, b, res.Items)
		}
		if err != nil {
			return err
		}
		change.Account = debited
		change.Charged, change.Balance, change.SoftLimitsReached = b.written(res.Items), res.Balance, b.softLimits
		return s.beforeCommit(ctx, tx, change)
	})
	return res, change, err
}

// writeBatch writes a batch's decided charges and settles the auto top-up
// they may trigger. It returns the debited account, the balance after both,
// and the bundle bought automatically, if any.
func (s *Service) writeBatch(ctx context.Context, b *batch, items []BatchItem) (*ent.Account, Balance, *ent.Bundle, error) {
	debited, bundleRemaining, err := b.write(ctx, s.dialect, items)
	if err != nil {
		return nil, Balance{}, nil, err
	}
	bought, balance, err := s.settleAutoTopUp(ctx, b.tx, debited, balanceOf(debited, bundleRemaining), b.now)
	return debited, balance, bought, err
}

// unwrapRecords detaches records read or written in the committed
// transaction from it, so that loading their edges later uses the client.
// A record shared by duplicate items is unwrapped once.
func unwrapRecords(items []BatchItem) {
	done := map[*ent.UsageRecord]bool{}
	for _, it := range items {
		if it.Record != nil && !done[it.Record] {
			it.Record.Unwrap()
			done[it.Record] = true
		}
	}
}

// batch is one locked transaction's worth of charges.
type batch struct {
	tx     *ent.Tx
	acct   *ent.Account
	now    time.Time
	wallet *wallet
	// lookUpKeys says earlier charges of the batch's keys are looked up
	// before charging; otherwise only rejected items' keys are, after, and
	// writing a reused key fails with errNeedsKeyLookup.
	lookUpKeys bool
	// pending are the new charges to write, with the item they answer.
	pending []pendingCharge
	// duplicates maps items repeating an earlier item's key to that item.
	duplicates map[int]int
	// softLimits are the soft limits this batch made cross.
	softLimits []*ent.CreditLimit
}

type pendingCharge struct {
	item   int
	charge *charge
	split  split
}

// apply decides every item's outcome against the account's credits, in
// order, without writing anything yet.
func (b *batch) apply(ctx context.Context, charges []*charge, items []BatchItem) error {
	var prior map[string]*ent.UsageRecord
	if b.lookUpKeys {
		var err error
		if prior, err = b.priorCharges(ctx, charges); err != nil {
			return err
		}
	}
	agents, err := b.ownedAgents(ctx, charges)
	if err != nil {
		return err
	}
	guard := &limitGuard{}
	if b.acct.CreditLimitCount > 0 {
		if guard, err = loadGuard(ctx, b.tx.CreditLimit, b.tx.UsageRollup, b.acct.ID, b.acct.PeriodStart); err != nil {
			return err
		}
	}
	firstWithKey := map[string]int{}
	b.duplicates = map[int]int{}
	var rejected []int // items rejected before their keys were looked up
	for i, c := range charges {
		if c == nil {
			continue // invalid input: its error is already set
		}
		if prev, ok := prior[c.IdempotencyKey]; ok {
			if prev.RequestHash != c.hash {
				items[i].Err = ErrIdempotencyKeyReused
				continue
			}
			items[i].Record, items[i].Replayed = prev, true
			continue
		}
		if j, ok := firstWithKey[c.IdempotencyKey]; ok {
			if charges[j].hash != c.hash {
				items[i].Err = ErrIdempotencyKeyReused
			} else {
				b.duplicates[i] = j
			}
			continue
		}
		sp, crossed, rejection, err := b.take(ctx, c, agents, guard)
		if err != nil {
			return err
		}
		if rejection != nil {
			items[i].Err = rejection
			if !b.lookUpKeys {
				rejected = append(rejected, i)
			}
			continue
		}
		b.softLimits = append(b.softLimits, crossed...)
		firstWithKey[c.IdempotencyKey] = i
		b.pending = append(b.pending, pendingCharge{item: i, charge: c, split: sp})
	}
	return b.replayRejected(ctx, charges, items, rejected)
}

// replayRejected answers rejected items whose key an earlier charge used as
// replays of it (or as a reused key with another payload): a retry gets the
// original answer whatever the balance or limits say now. A rejected item
// took no credits, so the other items' outcomes stand either way.
func (b *batch) replayRejected(ctx context.Context, charges []*charge, items []BatchItem, rejected []int) error {
	if len(rejected) == 0 {
		return nil
	}
	keys := make([]*charge, len(rejected))
	for n, i := range rejected {
		keys[n] = charges[i]
	}
	prior, err := b.priorCharges(ctx, keys)
	if err != nil {
		return err
	}
	for _, i := range rejected {
		prev, ok := prior[charges[i].IdempotencyKey]
		switch {
		case !ok:
		case prev.RequestHash != charges[i].hash:
			items[i].Err = ErrIdempotencyKeyReused
		default:
			items[i] = BatchItem{Record: prev, Replayed: true}
		}
	}
	return nil
}

// take charges one new event against the wallet and the limits, returning
// its split and the soft limits it crosses, or the reason it is rejected.
func (b *batch) take(ctx context.Context, c *charge, agents map[int]bool, guard *limitGuard) (sp split, crossed []*ent.CreditLimit, rejection, err error) {
	if c.AgentID != nil && !agents[*c.AgentID] {
		return split{}, nil, &NotFoundError{What: "agent"}, nil
	}
	crossed, rejection = guard.check(c)
	if rejection != nil {
		return split{}, nil, rejection, nil
	}
	sp, err = b.wallet.take(ctx, c.credits)
	if errors.Is(err, ErrInsufficientCredits) {
		return split{}, nil, err, nil
	}
	if err != nil {
		return split{}, nil, nil, err
	}
	guard.count(c)
	return sp, crossed, nil, nil
}

// priorCharges finds earlier charges that used the batch's keys.
func (b *batch) priorCharges(ctx context.Context, charges []*charge) (map[string]*ent.UsageRecord, error) {
	var keys []string
	for _, c := range charges {
		if c != nil {
			keys = append(keys, c.IdempotencyKey)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	recs, err := b.tx.UsageRecord.Query().
		Where(usagerecord.AccountID(b.acct.ID), usagerecord.IdempotencyKeyIn(keys...)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("looking up idempotency keys: %w", err)
	}
	prior := make(map[string]*ent.UsageRecord, len(recs))
	for _, r := range recs {
		prior[r.IdempotencyKey] = r
	}
	return prior, nil
}

// ownedAgents returns which of the batch's agents belong to the account.
func (b *batch) ownedAgents(ctx context.Context, charges []*charge) (map[int]bool, error) {
	var ids []int
	for _, c := range charges {
		if c != nil && c.AgentID != nil {
			ids = append(ids, *c.AgentID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	owned, err := b.tx.Agent.Query().Where(agent.IDIn(ids...), agent.AccountID(b.acct.ID)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("checking agents: %w", err)
	}
	set := make(map[int]bool, len(owned))
	for _, id := range owned {
		set[id] = true
	}
	return set, nil
}

// written returns the records this batch created.
func (b *batch) written(items []BatchItem) []*ent.UsageRecord {
	recs := make([]*ent.UsageRecord, len(b.pending))
	for i, p := range b.pending {
		recs[i] = items[p.item].Record
	}
	return recs
}

// write stores the decided charges: records, bundle draws, bundle and
// account balances and the daily rollups. It returns the debited account
// and the credits left in its unexpired bundles.
func (b *batch) write(ctx context.Context, dialectName string, items []BatchItem) (*ent.Account, int64, error) {
	creditValue := b.acct.Edges.Plan.CreditValueMicros
	creates := make([]*ent.UsageRecordCreate, len(b.pending))
	for i, p := range b.pending {
		c := p.charge
		creates[i] = b.tx.UsageRecord.Create().
			SetAccountID(b.acct.ID).
			SetNillableAgentID(c.AgentID).
			SetCategory(c.Category).
			SetQuantity(c.quantity).
			SetCredits(c.credits).
			SetValueMicros(c.credits * creditValue).
			SetPlanCredits(p.split.plan).
			SetBundleCredits(p.split.bundles()).
			SetNillableProfilesProcessed(c.ProfilesProcessed).
			SetNillableDescription(c.Description).
			SetIdempotencyKey(c.IdempotencyKey).
			SetRequestHash(c.hash).
			SetOccurredAt(c.occurredAt).
			SetChargedAt(b.now)
	}
	recs, err := b.tx.UsageRecord.CreateBulk(creates...).Save(ctx)
	if err != nil {
		if !b.lookUpKeys && ent.IsConstraintError(err) {
			return nil, 0, errNeedsKeyLookup
		}
		return nil, 0, fmt.Errorf("writing usage records: %w", err)
	}
	var draws []*ent.UsageDrawCreate
	for i, p := range b.pending {
		items[p.item].Record = recs[i]
		for _, d := range p.split.draws {
			draws = append(draws, b.tx.UsageDraw.Create().
				SetUsageRecordID(recs[i].ID).SetBundleID(d.bundleID).SetCredits(d.credits))
		}
	}
	for i, j := range b.duplicates {
		items[i].Record, items[i].Replayed = items[j].Record, true
	}
	if len(draws) > 0 {
		if err := b.tx.UsageDraw.CreateBulk(draws...).Exec(ctx); err != nil {
			return nil, 0, fmt.Errorf("recording bundle draws: %w", err)
		}
	}
	if err := b.wallet.saveBundles(ctx); err != nil {
		return nil, 0, err
	}
	bundleRemaining, err := b.debitAccount(ctx, dialectName)
	if err != nil {
		return nil, 0, err
	}
	debited := *b.acct
	debited.PlanRemaining -= b.wallet.planTaken
	debited.PeriodBundleUsed += b.wallet.bundleTaken
	if err := addToRollups(ctx, b.tx, b.acct.ID, recs); err != nil {
		return nil, 0, err
	}
	return &debited, bundleRemaining, nil
}

// debitSQL takes a batch's credits off the account and, in the same round
// trip, sums the credits left in its unexpired bundles for the new balance.
// It runs after the batch's bundle debits, under the account's lock, so the
// sum is exact. Parameters: plan credits taken, bundle credits taken,
// account ID, now; numbered as each dialect writes them.
const debitSQL = `UPDATE accounts
SET plan_remaining = plan_remaining - #1, period_bundle_used = period_bundle_used + #2
WHERE id = #3
RETURNING (SELECT COALESCE(SUM(remaining), 0) FROM bundles
	WHERE account_id = #3 AND remaining > 0 AND (expires_at IS NULL OR expires_at > #4))`

var (
	debitPostgres = strings.ReplaceAll(debitSQL, "#", "$")
	debitSQLite   = strings.ReplaceAll(debitSQL, "#", "?")
)

// debitAccount runs debitSQL, returning the unexpired bundle credits.
func (b *batch) debitAccount(ctx context.Context, dialectName string) (int64, error) {
	query := debitSQLite
	if dialectName == dialect.Postgres {
		query = debitPostgres
	}
	rows, err := b.tx.QueryContext(ctx, query, b.wallet.planTaken, b.wallet.bundleTaken, b.acct.ID, b.now)
	if err != nil {
		return 0, fmt.Errorf("debiting account: %w", err)
	}
	defer rows.Close()
	var bundleRemaining int64
	if !rows.Next() {
		return 0, fmt.Errorf("debiting account: no row for account %d", b.acct.ID)
	}
	if err := rows.Scan(&bundleRemaining); err != nil {
		return 0, fmt.Errorf("debiting account: %w", err)
	}
	return bundleRemaining, rows.Close()
}
