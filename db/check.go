package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

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
//     product's non-voided sales on that local day of sold_at (in the
//     shop's time zone, see LocalDay), in both
//     directions (rollup rows without sales and sales without a rollup row;
//     a rollup row of zero units and zero revenue counts as no sales).
//
// It runs a few set-based queries (GROUP BY over whole tables), so it takes
// seconds on millions of sales. When idb is a *bun.DB the queries run in one
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

// intType is the type a CAST to a 64-bit integer names (MySQL has no
// CAST(… AS BIGINT)).
func intType(idb bun.IDB) string {
	if IsMySQL(idb) {
		return "SIGNED"
	}
	return "BIGINT"
}

// checkDailySales compares the rollup with the non-voided sales grouped by
// product and the shop's local day (db.LocalDay in the zone stored in the
// settings, read in the same snapshot), in both directions.
func checkDailySales(ctx context.Context, idb bun.IDB, rep *CheckReport) error {
	loc, err := ShopLocation(ctx, idb)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	want, err := AggregateDailySales(ctx, idb, loc)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	type pair struct {
		su, sr, ru, rr int64
		row            bool
	}
	cmp := make(map[DailyKey]*pair, len(want))
	for k, d := range want {
		cmp[k] = &pair{su: d.Units, sr: int64(d.Revenue)}
	}
	rows, err := idb.QueryContext(ctx, `SELECT product_id, day, units, revenue FROM daily_sales`)
	if err != nil {
		return fmt.Errorf("check: daily sales: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k      DailyKey
			ru, rr int64
		)
		if err := rows.Scan(&k.ProductID, &k.Day, &ru, &rr); err != nil {
			return fmt.Errorf("check: daily sales: scan: %w", err)
		}
		p := cmp[k]
		if p == nil {
			p = &pair{}
			cmp[k] = p
		}
		p.ru += ru
		p.rr += rr
		p.row = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check: daily sales: %w", err)
	}
	var bad []DailyKey
	for k, p := range cmp {
		if p.su != p.ru || p.sr != p.rr {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Slice(bad, func(i, j int) bool {
		if bad[i].ProductID != bad[j].ProductID {
			return bad[i].ProductID < bad[j].ProductID
		}
		return bad[i].Day < bad[j].Day
	})
	skus, err := productSKUs(ctx, idb, bad)
	if err != nil {
		return err
	}
	for _, k := range bad {
		p := cmp[k]
		id, sku, day, su, sr, ru, rr := k.ProductID, skus[k.ProductID], k.Day, p.su, p.sr, p.ru, p.rr
		var detail string
		switch {
		case !p.row:
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
	return nil
}

// productSKUs maps the products of keys to their SKUs ("" when deleted).
func productSKUs(ctx context.Context, idb bun.IDB, keys []DailyKey) (map[int64]string, error) {
	ids := make([]int64, 0, len(keys))
	seen := map[int64]bool{}
	for _, k := range keys {
		if !seen[k.ProductID] && len(ids) < MaxListedMismatches {
			seen[k.ProductID] = true
			ids = append(ids, k.ProductID)
		}
	}
	var ps []Product
	if err := idb.NewSelect().Model(&ps).Column("id", "sku").Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("check: product SKUs: %w", err)
	}
	out := make(map[int64]string, len(ps))
	for _, p := range ps {
		out[p.ID] = p.SKU
	}
	return out, nil
}
