package app

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// DemandSeries is one product's daily demand history. Values[i] is the units
// sold on day Start+i (UTC); NaN marks a censored day, on which the product
// was out of stock for some of the day, so its true demand is unknown.
type DemandSeries struct {
	ProductID int64
	Start     time.Time
	Values    []float64
	Censored  int       // number of NaN days
	Revenue   []float64 // daily revenue (major units), when asked for with WithRevenue
}

// End returns the day after the last value.
func (s *DemandSeries) End() time.Time { return s.Start.AddDate(0, 0, len(s.Values)) }

// DemandQuery selects the histories to load.
type DemandQuery struct {
	ProductIDs []int64   // nil = every product
	From       time.Time // first day (inclusive); a product's history starts no earlier than its first stock movement
	To         time.Time // last day (exclusive)
	// WithRevenue also fills DemandSeries.Revenue.
	WithRevenue bool
	// Location is the shop's time zone, whose days the series count
	// (nil: UTC); see Settings.Shop.
	Location *time.Location
}

// LoadDemand builds zero-filled daily demand series from the DailySales
// rollup and marks stock-out days as censored using the stock ledger: a day
// is censored when the balance was zero at any moment of it (from a movement
// leaving zero stock until the next movement that adds stock). It reads the
// rollup and only the ledger rows that matter (zero balances and additions),
// so it stays fast on millions of sales.
func LoadDemand(ctx context.Context, idb bun.IDB, q DemandQuery) (map[int64]*DemandSeries, error) {
	from, to := truncDay(q.From), truncDay(q.To)
	if !from.Before(to) {
		return map[int64]*DemandSeries{}, nil
	}
	starts, err := firstMovementDays(ctx, idb, q.ProductIDs, q.Location)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*DemandSeries, len(starts))
	for id, first := range starts {
		start := first
		if start.Before(from) {
			start = from
		}
		if !start.Before(to) {
			continue
		}
		n := int(to.Sub(start).Hours() / 24)
		out[id] = &DemandSeries{ProductID: id, Start: start, Values: make([]float64, n)}
	}
	if err := fillSales(ctx, idb, q.ProductIDs, from, to, out, q.WithRevenue); err != nil {
		return nil, err
	}
	if err := censorStockouts(ctx, idb, q.ProductIDs, db.DayStart(to, q.Location), q.Location, out); err != nil {
		return nil, err
	}
	return out, nil
}

func truncDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func restrict(q *bun.SelectQuery, ids []int64) *bun.SelectQuery {
	if ids != nil {
		return q.Where("product_id IN (?)", bun.In(ids))
	}
	return q
}

// firstMovementDays returns, per product, the day of its first movement or
// sale day, whichever is earlier.
func firstMovementDays(ctx context.Context, idb bun.IDB, ids []int64, loc *time.Location) (map[int64]time.Time, error) {
	var rows []struct {
		ProductID int64     `bun:"product_id"`
		First     time.Time `bun:"first"`
	}
	q := restrict(idb.NewSelect().Model((*db.StockMovement)(nil)).
		ColumnExpr("product_id, MIN(created_at) AS first").Group("product_id"), ids)
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load first movements: %w", err)
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.ProductID] = db.LocalDay(r.First, loc)
	}
	var days []struct {
		ProductID int64  `bun:"product_id"`
		First     string `bun:"first"`
	}
	q = restrict(idb.NewSelect().Model((*db.DailySales)(nil)).
		ColumnExpr("product_id, MIN(day) AS first").Group("product_id"), ids)
	if err := q.Scan(ctx, &days); err != nil {
		return nil, fmt.Errorf("load first sale days: %w", err)
	}
	for _, d := range days {
		t, err := time.Parse(db.DayLayout, d.First)
		if err != nil {
			return nil, fmt.Errorf("daily sales day %q: %w", d.First, err)
		}
		if cur, ok := out[d.ProductID]; !ok || t.Before(cur) {
			out[d.ProductID] = t
		}
	}
	return out, nil
}

func fillSales(ctx context.Context, idb bun.IDB, ids []int64, from, to time.Time, out map[int64]*DemandSeries, withRevenue bool) error {
	q := restrict(idb.NewSelect().Model((*db.DailySales)(nil)).Column("product_id", "day", "units", "revenue").
		Where("day >= ? AND day < ?", from.Format(db.DayLayout), to.Format(db.DayLayout)), ids)
	rows, err := q.Rows(ctx)
	if err != nil {
		return fmt.Errorf("load daily sales: %w", err)
	}
	defer rows.Close()
	var (
		id, units, revenue int64
		day                string
	)
	for rows.Next() {
		if err := rows.Scan(&id, &day, &units, &revenue); err != nil {
			return fmt.Errorf("scan daily sales: %w", err)
		}
		s := out[id]
		if s == nil {
			continue
		}
		d, ok := parseDay(day)
		if !ok {
			return fmt.Errorf("daily sales of product %d: bad day %q", id, day)
		}
		if i := int(d.Sub(s.Start).Hours() / 24); i >= 0 && i < len(s.Values) {
			s.Values[i] = float64(units)
			if withRevenue {
				if s.Revenue == nil {
					s.Revenue = make([]float64, len(s.Values))
				}
				s.Revenue[i] = db.Money(revenue).Float()
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read daily sales: %w", err)
	}
	return nil
}

// parseDay parses YYYY-MM-DD without the generality (and cost) of time.Parse.
func parseDay(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	num := func(b string) int {
		n := 0
		for i := 0; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// censorStockouts marks the days on which each product was out of stock.
func censorStockouts(ctx context.Context, idb bun.IDB, ids []int64, to time.Time, loc *time.Location, out map[int64]*DemandSeries) error {
	var moves []struct {
		ProductID int64     `bun:"product_id"`
		Balance   int64     `bun:"balance"`
		Delta     int64     `bun:"delta"`
		CreatedAt time.Time `bun:"created_at"`
	}
	q := restrict(idb.NewSelect().Model((*db.StockMovement)(nil)).
		Column("product_id", "balance", "delta", "created_at").
		Where("balance = 0 OR delta > 0").OrderExpr("product_id, id"), ids)
	if err := q.Scan(ctx, &moves); err != nil {
		return fmt.Errorf("load stock-out movements: %w", err)
	}
	var outSince time.Time // zero when in stock
	var cur int64 = -1
	flush := func(until time.Time) {
		if s := out[cur]; s != nil && !outSince.IsZero() {
			s.markOut(db.LocalDay(outSince, loc), db.LocalDay(until, loc))
		}
		outSince = time.Time{}
	}
	for _, m := range moves {
		if m.ProductID != cur {
			flush(to)
			cur = m.ProductID
		}
		switch {
		case m.Balance == 0 && outSince.IsZero():
			outSince = m.CreatedAt
		case m.Balance > 0 && !outSince.IsZero():
			flush(m.CreatedAt)
		}
	}
	flush(to)
	return nil
}

// markOut censors every day from the day of from to the day of until
// (LocalDay values).
func (s *DemandSeries) markOut(from, until time.Time) {
	first := int(math.Floor(from.Sub(s.Start).Hours() / 24))
	last := int(math.Floor(until.Sub(s.Start).Hours() / 24))
	for i := max(first, 0); i <= last && i < len(s.Values); i++ {
		if !math.IsNaN(s.Values[i]) {
			s.Values[i] = math.NaN()
			s.Censored++
		}
	}
}
