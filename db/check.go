package db

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/uptrace/bun"
)

// Kinds of consistency mismatch reported by Check.
const (
	// CheckStock: products.stock differs from the sum of the product's
	// stock movement deltas. Expected is the sum, Actual the stock column.
	CheckStock = "stock"
	// CheckLastBalance: the balance recorded on the product's latest stock
	// movement differs from products.stock. Expected is the stock column,
	// Actual the balance.
	CheckLastBalance = "last_balance"
	// CheckDailyUnits: a daily_sales row's units differ from the sum of the
	// quantities of the product's non-voided sales on that UTC day.
	// Expected comes from sales, Actual from daily_sales.
	CheckDailyUnits = "daily_units"
	// CheckDailyRevenue: as CheckDailyUnits for revenue (minor units).
	CheckDailyRevenue = "daily_revenue"
)

// MaxListedMismatches bounds CheckReport.Mismatches; CheckReport.Total still
// counts every mismatch found.
const MaxListedMismatches = 1000

// Mismatch is one broken invariant of one product.
type Mismatch struct {
	ProductID int64  `json:"product_id"`
	SKU       string `json:"sku"`
	// What is one of the Check* constants.
	What string `json:"what"`
	// Day is the UTC day (YYYY-MM-DD) for the daily_* checks, empty otherwise.
	Day      string `json:"day,omitempty"`
	Expected int64  `json:"expected"`
	Actual   int64  `json:"actual"`
	// Detail explains the mismatch in words.
	Detail string `json:"detail"`
}

// CheckReport is the outcome of Check: what was examined and every mismatch
// found (the first MaxListedMismatches of them).
type CheckReport struct {
	Products   int64      `json:"products"`
	Sales      int64      `json:"sales"`
	Movements  int64      `json:"movements"`
	DailyRows  int64      `json:"daily_rows"`
	Mismatches []Mismatch `json:"mismatches"`
	// Total is the number of mismatches found; it exceeds len(Mismatches)
	// when the list was truncated.
	Total int `json:"total_mismatches"`
}

// OK reports whether no mismatch was found.
func (r *CheckReport) OK() bool { return r.Total == 0 }

func (r *CheckReport) add(m Mismatch) {
	r.Total++
	if len(r.Mismatches) < MaxListedMismatches {
		r.Mismatches = append(r.Mismatches, m)
	}
}

// Check verifies the stock ledger and the sales rollup of every product:
//
//   - products.stock equals the sum of the product's stock_movements.delta;
//   - the balance of the product's latest movement (highest id) equals
//     products.stock;
//   - every daily_sales row's units and revenue equal the sums over the
//     product's non-voided sales on that UTC day of sold_at, in both
//     directions (rollup rows without sales and sales without a rollup row;
//     a rollup row of zero units and zero revenue counts as no sales).
//
// It runs a few set-based queries (GROUP BY over whole tables, the daily
// comparison a chunk of products at a time), so it takes seconds on
// millions of sales. When idb is a *bun.DB the queries run in one
// read-only transaction (repeatable read on PostgreSQL) and so see a single
// snapshot; inside a caller's transaction they use that.
func Check(ctx context.Context, idb bun.IDB) (*CheckReport, error) {
	bdb, ok := idb.(*bun.DB)
	if !ok {
		return check(ctx, idb)
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if !IsSQLite(bdb) {
		opts.Isolation = sql.LevelRepeatableRead
	}
	var rep *CheckReport
	err := bdb.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error {
		var err error
		rep, err = check(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func check(ctx context.Context, idb bun.IDB) (*CheckReport, error) {
	rep := &CheckReport{Mismatches: []Mismatch{}}
	err := idb.NewRaw(`SELECT
		(SELECT COUNT(*) FROM products),
		(SELECT COUNT(*) FROM sales),
		(SELECT COUNT(*) FROM stock_movements),
		(SELECT COUNT(*) FROM daily_sales)`).
		Scan(ctx, &rep.Products, &rep.Sales, &rep.Movements, &rep.DailyRows)
	if err != nil {
		return nil, fmt.Errorf("check: count rows: %w", err)
	}
	if err := checkLedger(ctx, idb, rep); err != nil {
		return nil, err
	}
	if err := checkDailySales(ctx, idb, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// checkLedger compares products.stock with the sum of the movements and
// with the balance of the latest movement, in one pass over the ledger.
func checkLedger(ctx context.Context, idb bun.IDB, rep *CheckReport) error {
	rows, err := idb.QueryContext(ctx, `SELECT p.id, p.sku, p.stock,
		CAST(COALESCE(m.total, 0) AS `+intType(idb)+`), COALESCE(m.n, 0), COALESCE(sm.balance, 0)
		FROM products AS p
		LEFT JOIN (
			SELECT product_id, SUM(delta) AS total, COUNT(*) AS n, MAX(id) AS last_id
			FROM stock_movements GROUP BY product_id
		) AS m ON m.product_id = p.id
		LEFT JOIN stock_movements AS sm ON sm.id = m.last_id
		WHERE p.stock <> COALESCE(m.total, 0) OR (sm.id IS NOT NULL AND sm.balance <> p.stock)
		ORDER BY p.id`)
	if err != nil {
		return fmt.Errorf("check: stock ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, stock, total, n, balance int64
			sku                          string
		)
		if err := rows.Scan(&id, &sku, &stock, &total, &n, &balance); err != nil {
			return fmt.Errorf("check: stock ledger: scan: %w", err)
		}
		if stock != total {
			rep.add(Mismatch{ProductID: id, SKU: sku, What: CheckStock, Expected: total, Actual: stock,
				Detail: fmt.Sprintf("stock is %d but its %d movements sum to %d", stock, n, total)})
		}
		if n > 0 && balance != stock {
			rep.add(Mismatch{ProductID: id, SKU: sku, What: CheckLastBalance, Expected: stock, Actual: balance,
				Detail: fmt.Sprintf("latest movement records balance %d but stock is %d", balance, stock)})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check: stock ledger: %w", err)
	}
	return nil
}

// dayExpr is the SQL expression for the UTC day (YYYY-MM-DD) of sales.sold_at.
// SQLite stores times as text with an offset ("2026-01-02 15:04:05.1+00:00");
// date() normalises any offset to UTC. MySQL's DATETIME holds UTC (every
// session writes at time zone +00:00) and ignores the session's zone.
func dayExpr(idb bun.IDB) string {
	switch {
	case IsPostgres(idb):
		return "to_char(sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	case IsMySQL(idb):
		return "DATE_FORMAT(sold_at, '%Y-%m-%d')"
	}
	return "date(sold_at)"
}

// intType is the type a CAST to a 64-bit integer names (MySQL has no
// CAST(… AS BIGINT)).
func intType(idb bun.IDB) string {
	if IsMySQL(idb) {
		return "SIGNED"
	}
	return "BIGINT"
}

// checkProductsPerChunk is how many product ids checkDailySales compares
// per query: the grouping of a chunk is sorted in memory (SQLite keeps its
// temporary B-trees in memory), so the chunk bounds the memory, not the
// size of the shop.
const checkProductsPerChunk = 250

// checkDailySales compares the rollup with the sales grouped by product and
// UTC day, a chunk of product ids at a time (ascending, so the mismatches
// stay in product and day order). Both sides are stacked with UNION ALL and
// grouped again, which is a full outer comparison that works on every
// SQLite version.
func checkDailySales(ctx context.Context, idb bun.IDB, rep *CheckReport) error {
	for from := int64(math.MinInt64); ; {
		// The next product id with sales or rollup rows (orphans included).
		var next sql.NullInt64
		err := idb.QueryRowContext(ctx, `SELECT MIN(x) FROM (
			SELECT MIN(product_id) AS x FROM sales WHERE product_id >= ?
			UNION ALL SELECT MIN(product_id) FROM daily_sales WHERE product_id >= ?) AS m`, from, from).Scan(&next)
		if err != nil {
			return fmt.Errorf("check: daily sales: next product: %w", err)
		}
		if !next.Valid {
			return nil
		}
		to := next.Int64 + checkProductsPerChunk - 1
		if to < next.Int64 { // overflow
			to = math.MaxInt64
		}
		if err := checkDailyChunk(ctx, idb, next.Int64, to, rep); err != nil {
			return err
		}
		if to == math.MaxInt64 {
			return nil
		}
		from = to + 1
	}
}

// checkDailyChunk is checkDailySales for the product ids in [from, to].
func checkDailyChunk(ctx context.Context, idb bun.IDB, from, to int64, rep *CheckReport) error {
	day := dayExpr(idb)
	query := `SELECT d.product_id, COALESCE(p.sku, ''), d.day, d.su, d.sr, d.ru, d.rr, d.nr
		FROM (
			SELECT product_id, day,
				CAST(SUM(su) AS ` + intType(idb) + `) AS su, CAST(SUM(sr) AS ` + intType(idb) + `) AS sr,
				CAST(SUM(ru) AS ` + intType(idb) + `) AS ru, CAST(SUM(rr) AS ` + intType(idb) + `) AS rr,
				CAST(SUM(nr) AS ` + intType(idb) + `) AS nr
			FROM (
				SELECT product_id, ` + day + ` AS day,
					SUM(quantity) AS su, SUM(quantity * unit_price) AS sr,
					0 AS ru, 0 AS rr, 0 AS nr
				FROM sales WHERE voided_at IS NULL AND product_id BETWEEN ? AND ?
				GROUP BY product_id, ` + day + `
				UNION ALL
				SELECT product_id, day, 0, 0, units, revenue, 1 FROM daily_sales WHERE product_id BETWEEN ? AND ?
			) AS x
			GROUP BY product_id, day
			HAVING SUM(su) <> SUM(ru) OR SUM(sr) <> SUM(rr)
		) AS d
		LEFT JOIN products AS p ON p.id = d.product_id
		ORDER BY d.product_id, d.day`
	rows, err := idb.QueryContext(ctx, query, from, to, from, to)
	if err != nil {
		return fmt.Errorf("check: daily sales: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, su, sr, ru, rr, nr int64
			sku, day               string
		)
		if err := rows.Scan(&id, &sku, &day, &su, &sr, &ru, &rr, &nr); err != nil {
			return fmt.Errorf("check: daily sales: scan: %w", err)
		}
		var detail string
		switch {
		case nr == 0:
			detail = "sales without a daily_sales row"
		case su == 0 && sr == 0:
			detail = "daily_sales row without sales"
		default:
			detail = "daily_sales row differs from the sales"
		}
		if su != ru {
			rep.add(Mismatch{ProductID: id, SKU: sku, What: CheckDailyUnits, Day: day, Expected: su, Actual: ru,
				Detail: fmt.Sprintf("%s: sales total %d units, rollup says %d", detail, su, ru)})
		}
		if sr != rr {
			rep.add(Mismatch{ProductID: id, SKU: sku, What: CheckDailyRevenue, Day: day, Expected: sr, Actual: rr,
				Detail: fmt.Sprintf("%s: sales total revenue %s, rollup says %s", detail, Money(sr), Money(rr))})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check: daily sales: %w", err)
	}
	return nil
}
