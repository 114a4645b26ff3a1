package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
)

// floor charges events with the least work the ledger's invariants allow,
// straight through database/sql: lock the account, insert the records,
// debit the balances, upsert the daily rollups, commit. No GraphQL, no ORM,
// no idempotency lookup (the unique index still guards keys), no balance
// read-back. Whatever the API costs above this is overhead to explain.
type floor struct {
	db          *sql.DB
	postgres    bool
	creditValue int64 // micro-dollars per credit, the plan's
	stmts       sync.Map
}

func newFloor(db *sql.DB, dialectName string, creditValue int64) *floor {
	return &floor{db: db, postgres: dialectName == dialect.Postgres, creditValue: creditValue}
}

// charge runs one ledger transaction for events on acct.
func (f *floor) charge(ctx context.Context, acct benchAccount, events []event) (err error) {
	// On SQLite the driver opens every transaction as BEGIN IMMEDIATE (see
	// internal/db): the write lock is the account lock.
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var planRemaining int64
	if err := tx.QueryRowContext(ctx, f.sql("lock", 0), acct.ID).Scan(&planRemaining); err != nil {
		return fmt.Errorf("locking account: %w", err)
	}
	now := time.Now().UTC()
	// Burn-down as the ledger does it: plan credits first, then the bundle.
	planUsed := make([]int64, len(events))
	var planTotal, bundleTotal int64
	byCategory := map[string]*[2]int64{} // category → events, credits
	for i, e := range events {
		c := int64(e.credits)
		planUsed[i] = min(planRemaining, c)
		planRemaining -= planUsed[i]
		planTotal += planUsed[i]
		bundleTotal += c - planUsed[i]
		s := byCategory[e.category]
		if s == nil {
			s = &[2]int64{}
			byCategory[e.category] = s
		}
		s[0]++
		s[1] += c
	}

	args := make([]any, 0, len(events)*11)
	for i, e := range events {
		c := int64(e.credits)
		args = append(args, acct.ID, e.category, e.quantity, c, c*f.creditValue,
			planUsed[i], c-planUsed[i], e.key, requestHash(e), now, now)
	}
	ids, err := f.insertRecords(ctx, tx, len(events), args, bundleTotal > 0)
	if err != nil {
		return err
	}
	if bundleTotal > 0 {
		if err := f.drawBundle(ctx, tx, acct, events, planUsed, ids, bundleTotal); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, f.sql("debit", 0), planTotal, bundleTotal, acct.ID); err != nil {
		return fmt.Errorf("debiting account: %w", err)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	args = args[:0]
	for cat, s := range byCategory {
		args = append(args, acct.ID, day, cat, 0, s[0], s[1], s[1]*f.creditValue)
	}
	if _, err := tx.ExecContext(ctx, f.sql("rollup", len(byCategory)), args...); err != nil {
		return fmt.Errorf("upserting rollups: %w", err)
	}
	return tx.Commit()
}

// insertRecords inserts n usage records in one statement, returning their
// IDs when bundle draws must point at them.
func (f *floor) insertRecords(ctx context.Context, tx *sql.Tx, n int, args []any, wantIDs bool) ([]int, error) {
	if !wantIDs {
		_, err := tx.ExecContext(ctx, f.sql("records", n), args...)
		if err != nil {
			return nil, fmt.Errorf("inserting usage records: %w", err)
		}
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, f.sql("records", n)+" RETURNING id", args...)
	if err != nil {
		return nil, fmt.Errorf("inserting usage records: %w", err)
	}
	defer rows.Close()
	ids := make([]int, 0, n)
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// drawBundle records which records drew on the bundle and debits it.
func (f *floor) drawBundle(ctx context.Context, tx *sql.Tx, acct benchAccount, events []event, planUsed []int64, ids []int, total int64) error {
	if len(ids) != len(events) {
		return fmt.Errorf("inserted %d records, expected %d", len(ids), len(events))
	}
	var args []any
	for i, e := range events {
		if b := int64(e.credits) - planUsed[i]; b > 0 {
			args = append(args, b, acct.BundleID, ids[i])
		}
	}
	if _, err := tx.ExecContext(ctx, f.sql("draws", len(args)/3), args...); err != nil {
		return fmt.Errorf("recording bundle draws: %w", err)
	}
	if _, err := tx.ExecContext(ctx, f.sql("bundle", 0), total, acct.BundleID); err != nil {
		return fmt.Errorf("debiting bundle: %w", err)
	}
	return nil
}

// sql returns the statement kind for n rows, built once per shape.
func (f *floor) sql(kind string, n int) string {
	k := kind + "/" + strconv.Itoa(n)
	if s, ok := f.stmts.Load(k); ok {
		return s.(string)
	}
	s := f.build(kind, n)
	f.stmts.Store(k, s)
	return s
}

func (f *floor) build(kind string, n int) string {
	p := placeholders{postgres: f.postgres}
	switch kind {
	case "lock":
		if f.postgres {
			return "SELECT plan_remaining FROM accounts WHERE id = $1 FOR UPDATE"
		}
		return "SELECT plan_remaining FROM accounts WHERE id = ?"
	case "debit":
		return "UPDATE accounts SET plan_remaining = plan_remaining - " + p.next() +
			", period_bundle_used = period_bundle_used + " + p.next() + " WHERE id = " + p.next()
	case "bundle":
		return "UPDATE bundles SET remaining = remaining - " + p.next() + " WHERE id = " + p.next()
	case "records":
		return "INSERT INTO usage_records (account_id, category, quantity, credits, value_micros, plan_credits," +
			" bundle_credits, idempotency_key, request_hash, occurred_at, charged_at) VALUES " + p.rows(n, 11)
	case "draws":
		return "INSERT INTO usage_draws (credits, bundle_id, usage_record_id) VALUES " + p.rows(n, 3)
	case "rollup":
		return "INSERT INTO usage_rollups (account_id, day, category, agent_id, events, credits, value_micros) VALUES " +
			p.rows(n, 7) + " ON CONFLICT (account_id, day, category, agent_id) DO UPDATE SET" +
			" events = usage_rollups.events + excluded.events," +
			" credits = usage_rollups.credits + excluded.credits," +
			" value_micros = usage_rollups.value_micros + excluded.value_micros"
	}
	panic("unknown statement " + kind)
}

// placeholders numbers bind parameters in the dialect's style.
type placeholders struct {
	postgres bool
	n        int
}

func (p *placeholders) next() string {
	p.n++
	if p.postgres {
		return "$" + strconv.Itoa(p.n)
	}
	return "?"
}

// rows returns "(…),(…)" for n rows of cols parameters.
func (p *placeholders) rows(n, cols int) string {
	var b strings.Builder
	for r := range n {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteString(p.next())
		}
		b.WriteByte(')')
	}
	return b.String()
}

// requestHash fingerprints the payload as the ledger does, so the floor
// pays for the same hashing.
func requestHash(e event) string {
	sum := sha256.Sum256([]byte(e.category + "|" + strconv.Itoa(e.quantity) + "|" + strconv.Itoa(e.credits) + "|"))
	return hex.EncodeToString(sum[:])
}
