package app

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// preparedStmts keeps the statements of the hottest write path (recording
// sales) prepared, so that the database parses each once per connection
// instead of once per sale. bun writes its arguments into the SQL text,
// which makes every query new to the database; these statements pass them
// as driver parameters instead (never by string concatenation).
//
// On SQLite the statements are prepared on the pool and bound to the
// transaction (writers take turns, so preparing never waits on a pool that
// writers exhausted). On PostgreSQL the driver (pgx) already caches a
// prepared statement per connection for every parameterised query, so the
// query is simply run in the transaction. On MySQL too: the driver writes
// the arguments into the query (interpolateParams, escaped by the driver)
// and sends it in one round trip, where a server-side statement would cost
// a prepare on each connection, which could wait on a pool exhausted by the
// very transactions that need it.
type preparedStmts struct {
	db *bun.DB
	pg bool
	// batch: a server database, where a round trip costs more than a
	// statement; rows are inserted many per statement (see insertChunks).
	batch bool
	// returning: UPDATE and INSERT … RETURNING work (not on MySQL).
	returning bool
	sqlite    bool

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func newPreparedStmts(bdb *bun.DB) *preparedStmts {
	return &preparedStmts{db: bdb, pg: db.IsPostgres(bdb), batch: !db.IsSQLite(bdb), returning: db.Returning(bdb),
		sqlite: db.IsSQLite(bdb), stmts: map[string]*sql.Stmt{}}
}

// txStmt is a statement ready to run in one transaction.
type txStmt struct {
	tx    bun.Tx
	st    *sql.Stmt // SQLite: prepared, bound to tx
	query string    // PostgreSQL, MySQL: the query (numbered placeholders on PostgreSQL)
}

// QueryRowContext runs the statement and returns its one row.
func (s txStmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	if s.st != nil {
		return s.st.QueryRowContext(ctx, args...)
	}
	return s.tx.Tx.QueryRowContext(ctx, s.query, args...)
}

// ExecContext runs the statement.
func (s txStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	if s.st != nil {
		return s.st.ExecContext(ctx, args...)
	}
	return s.tx.Tx.ExecContext(ctx, s.query, args...)
}

// in returns query ready to run in tx. query uses ? placeholders.
func (p *preparedStmts) in(ctx context.Context, tx bun.Tx, query string) (txStmt, error) {
	if !p.sqlite {
		return txStmt{tx: tx, query: p.placeholders(query)}, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.stmts[query]
	if !ok {
		var err error
		st, err = p.db.DB.PrepareContext(ctx, query)
		if err != nil {
			return txStmt{}, fmt.Errorf("prepare %q: %w", query, err)
		}
		p.stmts[query] = st
	}
	return txStmt{tx: tx, st: tx.StmtContext(ctx, st)}, nil
}

// query runs a read outside any transaction: on SQLite through a
// statement prepared once on the pool, elsewhere as a parameterised query
// (which pgx prepares per connection). query uses ? placeholders.
func (p *preparedStmts) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if !p.sqlite {
		return p.db.DB.QueryContext(ctx, p.placeholders(query), args...)
	}
	p.mu.Lock()
	st, ok := p.stmts[query]
	if !ok {
		var err error
		st, err = p.db.DB.PrepareContext(ctx, query)
		if err != nil {
			p.mu.Unlock()
			return nil, fmt.Errorf("prepare %q: %w", query, err)
		}
		p.stmts[query] = st
	}
	p.mu.Unlock()
	return st.QueryContext(ctx, args...)
}

// placeholders numbers the ? placeholders for PostgreSQL.
func (p *preparedStmts) placeholders(query string) string {
	if !p.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// time converts t to the parameter bun would have written: SQLite keeps
// timestamps as UTC text in bun's format (so that they compare and sort as
// text), PostgreSQL as timestamptz, MySQL as a UTC DATETIME.
func (p *preparedStmts) time(t time.Time) any {
	if !p.sqlite {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02 15:04:05.999999-07:00")
}
