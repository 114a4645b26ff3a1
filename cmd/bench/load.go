package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vistasocial/aiusage/internal/db"
	"github.com/vistasocial/aiusage/internal/money"
)

// recordColumns are the usage_records columns the loader fills; id comes
// from the table's sequence.
var recordColumns = []string{
	"account_id", "agent_id", "category", "quantity", "credits", "value_micros", "plan_credits",
	"bundle_credits", "profiles_processed", "description", "idempotency_key", "request_hash",
	"occurred_at", "charged_at",
}

var rollupColumns = []string{"account_id", "day", "category", "agent_id", "events", "credits", "value_micros"}

// loadHistory bulk-loads h's records as fast as the database takes them:
// secondary indexes and foreign keys of usage_records are dropped for the
// load and rebuilt once at the end (one sort per index instead of ten
// million inserts into it). It returns what the rows add up to.
func loadHistory(ctx context.Context, d *db.DB, h *history, workers int, creditValue int64) (*aggregate, error) {
	ddl, err := dropRecordIndexes(ctx, d)
	if err != nil {
		return nil, err
	}
	var agg *aggregate
	if d.IsEmbedded() {
		agg, err = insertRecordsSQLite(ctx, d, h, creditValue)
	} else {
		agg, err = copyRecordsPostgres(ctx, d, h, workers, creditValue)
	}
	// Rebuild even after a failed load: the schema must stay whole.
	progress("rebuilding %d indexes and constraints of usage_records", len(ddl))
	if rerr := restoreDDL(ctx, d, ddl); rerr != nil && err == nil {
		err = rerr
	}
	return agg, err
}

// --- PostgreSQL: COPY ---

// copyRecordsPostgres streams the chunks through COPY on workers
// connections, each chunk in a transaction of its own.
func copyRecordsPostgres(ctx context.Context, d *db.DB, h *history, workers int, creditValue int64) (*aggregate, error) {
	ctx, stop := context.WithCancel(ctx) // one failed stream stops the others
	defer stop()
	var next atomic.Int64
	aggs := make([]*aggregate, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	stmt := "COPY usage_records (" + strings.Join(recordColumns, ", ") + ") FROM STDIN"
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			aggs[w] = newAggregate(len(h.accounts))
			conn, err := d.SQL.Conn(ctx)
			if err != nil {
				errs[w] = err
				return
			}
			defer conn.Close()
			var rows []genRow
			var buf []byte
			for {
				k := int(next.Add(1)) - 1
				if k >= h.chunks() || ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				rows = h.chunk(k, rows)
				aggs[w].add(h, rows)
				err := copyIn(ctx, conn, stmt, func(send func(block []byte) error) error {
					buf = buf[:0]
					for i := range rows {
						buf = appendCopyRow(buf, h, &rows[i], creditValue)
						if len(buf) > 256<<10 {
							if err := send(buf); err != nil {
								return err
							}
							buf = buf[:0]
						}
					}
					return send(buf)
				})
				if err != nil {
					errs[w] = fmt.Errorf("copying chunk %d: %w", k, err)
					stop()
					return
				}
				if k%20 == 0 {
					progress("loaded ~%s of %s records", money.GroupThousands(int64(min((k+1)*chunkRows, h.records))), money.GroupThousands(int64(h.records)))
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs { // the first real failure, not the cancellations it caused
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, a := range aggs[1:] {
		aggs[0].merge(a)
	}
	return aggs[0], nil
}

// copyIn runs one COPY … FROM STDIN in its own transaction. It hands the
// driver pre-formatted blocks of rows (lib/pq's CopyData) instead of one
// Exec per row, which would box and re-encode every value: formatting is
// the loader's main cost, and it competes with PostgreSQL for the CPU.
func copyIn(ctx context.Context, conn *sql.Conn, stmt string, fill func(send func([]byte) error) error) error {
	return conn.Raw(func(dc any) error {
		tx, err := dc.(driver.ConnBeginTx).BeginTx(ctx, driver.TxOptions{})
		if err != nil {
			return err
		}
		st, err := dc.(driver.ConnPrepareContext).PrepareContext(ctx, stmt)
		if err != nil {
			_ = tx.Rollback()
			return err
		}
		cd, ok := st.(interface {
			CopyData(context.Context, string) (driver.Result, error)
		})
		if !ok {
			_ = st.Close()
			_ = tx.Rollback()
			return fmt.Errorf("the PostgreSQL driver does not support CopyData")
		}
		err = fill(func(block []byte) error {
			if len(block) == 0 {
				return nil
			}
			// CopyData ends the data with a newline itself.
			_, err := cd.CopyData(ctx, string(block[:len(block)-1]))
			return err
		})
		if err == nil {
			_, err = st.Exec(nil) //nolint:staticcheck // Exec(nil) ends the COPY and reports its errors
		}
		_ = st.Close()
		if err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	})
}

// appendCopyRow formats a record in COPY's text format. Values never hold
// tabs, newlines or backslashes, so nothing needs escaping.
func appendCopyRow(b []byte, h *history, r *genRow, creditValue int64) []byte {
	b = strconv.AppendInt(b, int64(h.accounts[r.acct].id), 10)
	b = append(b, '\t')
	if r.agent != 0 {
		b = strconv.AppendInt(b, int64(r.agent), 10)
	} else {
		b = append(b, `\N`...)
	}
	b = append(b, '\t')
	b = append(b, categories[r.category]...)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.quantity), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, r.credits, 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, r.credits*creditValue, 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, r.credits, 10) // plan credits: the bench plan covers everything
	b = append(b, "\t0\t"...)
	if r.profiles >= 0 {
		b = strconv.AppendInt(b, int64(r.profiles), 10)
	} else {
		b = append(b, `\N`...)
	}
	b = append(b, '\t')
	if r.desc >= 0 {
		b = append(b, descriptions[r.desc]...)
	} else {
		b = append(b, `\N`...)
	}
	b = append(b, "\tload-"...)
	b = strconv.AppendInt(b, r.seq, 10)
	b = append(b, '\t')
	b = appendHash(b, r.seq)
	b = append(b, '\t')
	b = appendTimestamp(b, r.at)
	b = append(b, '\t')
	b = appendTimestamp(b, r.at)
	return append(b, '\n')
}

// appendHash appends a 64-hex-digit stand-in for the request hash, so rows
// are as wide as real ones.
func appendHash(b []byte, seq int64) []byte {
	var raw [32]byte
	for i := range 4 {
		x := splitmix(uint64(seq)*4 + uint64(i))
		for j := range 8 {
			raw[i*8+j] = byte(x >> (8 * j))
		}
	}
	return hex.AppendEncode(b, raw[:])
}

func appendTimestamp(b []byte, unixMicro int64) []byte {
	b = time.UnixMicro(unixMicro).UTC().AppendFormat(b, "2006-01-02 15:04:05.000000")
	return append(b, "+00"...)
}

// copyRollups writes the rollups through one COPY.
func copyRollups(ctx context.Context, d *db.DB, h *history, agg *aggregate, creditValue int64) error {
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	stmt := "COPY usage_rollups (" + strings.Join(rollupColumns, ", ") + ") FROM STDIN"
	return copyIn(ctx, conn, stmt, func(send func([]byte) error) error {
		var b []byte
		for k, s := range agg.rollups {
			b = strconv.AppendInt(b, int64(h.accounts[k.acct].id), 10)
			b = append(b, '\t')
			b = appendTimestamp(b, int64(k.day)*microsPerDay)
			b = append(b, '\t')
			b = append(b, categories[k.category]...)
			b = append(b, '\t')
			b = strconv.AppendInt(b, int64(k.agent), 10)
			b = append(b, '\t')
			b = strconv.AppendInt(b, s.events, 10)
			b = append(b, '\t')
			b = strconv.AppendInt(b, s.credits, 10)
			b = append(b, '\t')
			b = strconv.AppendInt(b, s.credits*creditValue, 10)
			b = append(b, '\n')
			if len(b) > 256<<10 {
				if err := send(b); err != nil {
					return err
				}
				b = b[:0]
			}
		}
		return send(b)
	})
}

// --- SQLite: batched multi-row INSERTs ---

// sqliteRowsPerInsert keeps a statement's parameters (14 per row) under
// SQLite's limit of 32,766.
const sqliteRowsPerInsert = 1000

// insertRecordsSQLite writes chunks through one connection (SQLite has one
// writer) while another goroutine generates the next chunk.
func insertRecordsSQLite(ctx context.Context, d *db.DB, h *history, creditValue int64) (*aggregate, error) {
	agg := newAggregate(len(h.accounts))
	chunks := make(chan []genRow, 2)
	genCtx, stop := context.WithCancel(ctx)
	go func() {
		defer close(chunks)
		for k := range h.chunks() {
			if genCtx.Err() != nil {
				return
			}
			rows := h.chunk(k, nil)
			agg.add(h, rows)
			chunks <- rows
		}
	}()
	defer func() {
		stop() // on early return, the generator stops at its next chunk
		for range chunks {
		}
	}()
	err := sqliteBulk(ctx, d, "usage_records", recordColumns, func(yield func(args ...any) error) error {
		done := 0
		for rows := range chunks {
			for i := range rows {
				r := &rows[i]
				var agent, profiles, desc any
				if r.agent != 0 {
					agent = r.agent
				}
				if r.profiles >= 0 {
					profiles = int(r.profiles)
				}
				if r.desc >= 0 {
					desc = descriptions[r.desc]
				}
				at := time.UnixMicro(r.at).UTC()
				if err := yield(h.accounts[r.acct].id, agent, categories[r.category], int(r.quantity), r.credits,
					r.credits*creditValue, r.credits, 0, profiles, desc, "load-"+strconv.FormatInt(r.seq, 10),
					string(appendHash(nil, r.seq)), at, at); err != nil {
					return err
				}
			}
			if done += len(rows); done%(20*chunkRows) == 0 {
				progress("loaded %s of %s records", money.GroupThousands(int64(done)), money.GroupThousands(int64(h.records)))
			}
		}
		return ctx.Err()
	})
	return agg, err
}

// insertRollupsSQLite writes the rollups with multi-row INSERTs.
func insertRollupsSQLite(ctx context.Context, d *db.DB, h *history, agg *aggregate, creditValue int64) error {
	return sqliteBulk(ctx, d, "usage_rollups", rollupColumns, func(yield func(args ...any) error) error {
		for k, s := range agg.rollups {
			day := time.UnixMicro(int64(k.day) * microsPerDay).UTC()
			if err := yield(h.accounts[k.acct].id, day, categories[k.category], k.agent, s.events, s.credits, s.credits*creditValue); err != nil {
				return err
			}
		}
		return nil
	})
}

// sqliteBulk inserts the rows rows yields into table, sqliteRowsPerInsert
// per statement and a chunk per transaction, on one connection with foreign
// key checks off (the loader only references rows it created).
func sqliteBulk(ctx context.Context, d *db.DB, table string, cols []string, rows func(yield func(args ...any) error) error) error {
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return err
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON") }()

	insert := func(n int) string {
		p := placeholders{}
		return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + p.rows(n, len(cols))
	}
	full := insert(sqliteRowsPerInsert)
	var (
		tx   *sql.Tx
		stmt *sql.Stmt
		args = make([]any, 0, sqliteRowsPerInsert*len(cols))
		inTx int
	)
	flush := func(final bool) error {
		if n := len(args) / len(cols); n > 0 {
			if tx == nil {
				if tx, err = conn.BeginTx(ctx, nil); err != nil {
					return err
				}
				if stmt, err = tx.PrepareContext(ctx, full); err != nil {
					return err
				}
			}
			if n == sqliteRowsPerInsert {
				_, err = stmt.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, insert(n), args...)
			}
			if err != nil {
				return err
			}
			args = args[:0]
			inTx += n
		}
		// The final flush commits even with no rows left over: the last
		// full statement's transaction is still open.
		if tx != nil && (inTx >= chunkRows*2 || final) {
			stmt.Close()
			err = tx.Commit()
			tx, stmt, inTx = nil, nil, 0
		}
		return err
	}
	err = rows(func(row ...any) error {
		args = append(args, row...)
		if len(args) == cap(args) {
			return flush(false)
		}
		return nil
	})
	if err == nil {
		err = flush(true)
	}
	if tx != nil {
		_ = tx.Rollback()
	}
	return err
}

// --- indexes ---

// pendingDDL remembers, in the database itself, the index and constraint
// statements a load has dropped and not yet recreated. Versioned migrations
// never recreate an index that a migration already created, so a load that
// dies midway would otherwise leave usage_records without its indexes;
// every run first finishes what an interrupted one left (recoverDDL).
const pendingDDL = "bench_pending_ddl"

// dropRecordIndexes drops usage_records' secondary indexes and foreign keys
// and returns the statements that recreate them, read from the catalogue so
// they match the schema exactly.
func dropRecordIndexes(ctx context.Context, d *db.DB) ([]string, error) {
	var q string
	if d.IsEmbedded() {
		q = `SELECT 'DROP INDEX "' || name || '"', sql FROM sqlite_master
			WHERE type = 'index' AND tbl_name = 'usage_records' AND sql IS NOT NULL`
	} else {
		// Foreign keys first on drop, last on create: they validate in one
		// pass over the complete table.
		q = `SELECT 'ALTER TABLE usage_records DROP CONSTRAINT ' || quote_ident(conname),
				'ALTER TABLE usage_records ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE conrelid = 'usage_records'::regclass AND contype = 'f'
			UNION ALL
			SELECT 'DROP INDEX ' || quote_ident(i.schemaname) || '.' || quote_ident(i.indexname), i.indexdef
			FROM pg_indexes i
			WHERE i.schemaname = current_schema() AND i.tablename = 'usage_records'
			  AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'usage_records'::regclass)`
	}
	rows, err := d.SQL.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reading usage_records indexes: %w", err)
	}
	var drops, creates []string
	for rows.Next() {
		var drop, create string
		if err := rows.Scan(&drop, &create); err != nil {
			rows.Close()
			return nil, err
		}
		drops = append(drops, drop)
		creates = append([]string{create}, creates...) // indexes before foreign keys
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	p := placeholders{postgres: !d.IsEmbedded()}
	insert := "INSERT INTO " + pendingDDL + " (seq, stmt) VALUES (" + p.next() + ", " + p.next() + ")"
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+pendingDDL+" (seq INTEGER NOT NULL, stmt TEXT NOT NULL)"); err != nil {
		return nil, err
	}
	for i, s := range creates {
		if _, err := tx.ExecContext(ctx, insert, i, s); err != nil {
			return nil, err
		}
	}
	for _, s := range drops {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
	}
	return creates, tx.Commit()
}

// restoreDDL recreates what dropRecordIndexes dropped, with generous sort
// memory on PostgreSQL so each index builds in one pass, crossing each
// statement off the pending list as it succeeds.
func restoreDDL(ctx context.Context, d *db.DB, statements []string) error {
	// Even when the run is interrupted, the schema must be made whole.
	ctx = context.WithoutCancel(ctx)
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if !d.IsEmbedded() {
		if _, err := conn.ExecContext(ctx, "SET maintenance_work_mem = '1GB'"); err != nil {
			return err
		}
		defer func() { _, _ = conn.ExecContext(ctx, "RESET maintenance_work_mem") }()
	}
	p := placeholders{postgres: !d.IsEmbedded()}
	done := "DELETE FROM " + pendingDDL + " WHERE stmt = " + p.next()
	for _, s := range statements {
		t0 := time.Now()
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		if _, err := conn.ExecContext(ctx, done, s); err != nil {
			return err
		}
		progress("  %5.1fs  %.90s", time.Since(t0).Seconds(), s)
	}
	return nil
}

// recoverDDL recreates indexes an interrupted load left dropped.
func recoverDDL(ctx context.Context, d *db.DB) error {
	rows, err := d.SQL.QueryContext(ctx, "SELECT stmt FROM "+pendingDDL+" ORDER BY seq")
	if err != nil {
		return nil // no such table: no load ever dropped anything here
	}
	var stmts []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		stmts = append(stmts, s)
	}
	rows.Close()
	if len(stmts) == 0 {
		return rows.Err()
	}
	progress("recreating %d indexes an interrupted load left dropped", len(stmts))
	return restoreDDL(ctx, d, stmts)
}
