package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/uptrace/bun"
)

// Queries whose SQL differs between SQLite, PostgreSQL and MySQL: the
// services call these instead of writing each dialect's form.

// excludedRef matches the PostgreSQL/SQLite name for a proposed row's
// column in an upsert.
var excludedRef = regexp.MustCompile(`(?i)\bEXCLUDED\.(\w+)`)

// UpsertClause is the tail of an INSERT … VALUES that updates instead when
// a row with the same unique key (key: its columns, e.g. "product_id, day")
// exists: set lists "col = expr" assignments in which EXCLUDED.col names
// the value the INSERT proposed and table.col the stored one, as in
// PostgreSQL and SQLite. With no set the existing row is left alone (DO
// NOTHING). On MySQL it is ON DUPLICATE KEY UPDATE with VALUES(col), which
// applies to any unique key of the table: call it only for tables whose
// other unique keys cannot collide.
func UpsertClause(idb bun.IDB, key string, set ...string) string {
	if IsMySQL(idb) {
		if len(set) == 0 {
			first, _, _ := strings.Cut(key, ",")
			first = strings.TrimSpace(first)
			set = []string{first + " = " + first}
		}
		for i, s := range set {
			set[i] = excludedRef.ReplaceAllString(s, "VALUES($1)")
		}
		return " ON DUPLICATE KEY UPDATE " + strings.Join(set, ", ")
	}
	if len(set) == 0 {
		return " ON CONFLICT (" + key + ") DO NOTHING"
	}
	return " ON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// Upsert makes q an upsert (see UpsertClause); with set empty an insert
// that does nothing when the key exists.
func Upsert(q *bun.InsertQuery, idb bun.IDB, key string, set ...string) *bun.InsertQuery {
	if IsMySQL(idb) {
		q = q.On("DUPLICATE KEY UPDATE")
		if len(set) == 0 {
			first, _, _ := strings.Cut(key, ",")
			return q.Set("? = ?", bun.Ident(strings.TrimSpace(first)), bun.Ident(strings.TrimSpace(first)))
		}
		for _, s := range set {
			q = q.Set(excludedRef.ReplaceAllString(s, "VALUES($1)"))
		}
		return q
	}
	if len(set) == 0 {
		return q.On("CONFLICT (" + key + ") DO NOTHING")
	}
	q = q.On("CONFLICT (" + key + ") DO UPDATE")
	for _, s := range set {
		q = q.Set(s)
	}
	return q
}

// AddStock changes product id's stock by delta in one statement, only if
// it stays at least floor (pass a negative floor for no limit beyond the
// table's CHECK) and, when delta is positive, at most MaxQuantity, and
// returns the new stock. ok is false when the product does not exist or
// the change would go below floor or above MaxQuantity; nothing changed
// then. The bound sits in the same conditional UPDATE, so concurrent
// changes cannot pass it together and stock can never overflow.
// The row stays locked until the transaction ends, so the returned stock
// is the one a movement records as its balance.
func AddStock(ctx context.Context, idb bun.IDB, id, delta, floor int64) (stock int64, ok bool, err error) {
	q := idb.NewUpdate().Model((*Product)(nil)).Set("stock = stock + ?", delta).Where("id = ?", id)
	if floor >= 0 {
		q = q.Where("stock + ? >= ?", delta, floor)
	}
	if delta > 0 {
		q = q.Where("stock <= ?", MaxQuantity-min(delta, MaxQuantity))
	}
	if !IsMySQL(idb) {
		err = q.Returning("stock").Scan(ctx, &stock)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, fmt.Errorf("change stock of product %d: %w", id, err)
		}
		return stock, true, nil
	}
	// MySQL has no UPDATE … RETURNING: read the row back (this
	// transaction's own change, which the row lock protects).
	res, err := q.Exec(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("change stock of product %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	if err := idb.NewSelect().Model((*Product)(nil)).Column("stock").Where("id = ?", id).Scan(ctx, &stock); err != nil {
		return 0, false, fmt.Errorf("read stock of product %d: %w", id, err)
	}
	return stock, true, nil
}

// Returning reports whether UPDATE and INSERT … RETURNING work on idb
// (SQLite and PostgreSQL; not MySQL).
func Returning(idb bun.IDB) bool { return !IsMySQL(idb) }

// LikeEscape is the clause that makes \ the escape character of a LIKE
// pattern, spelt with two backslashes on MySQL, whose string literals
// escape them.
func LikeEscape(idb bun.IDB) string {
	if IsMySQL(idb) {
		return ` ESCAPE '\\'`
	}
	return ` ESCAPE '\'`
}
