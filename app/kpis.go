package app

import (
	"context"
	"fmt"
	"time"

	"smartinventory/db"
	"smartinventory/forecast/restock"
)

// KPIs are the dashboard's headline figures.
type KPIs struct {
	InventoryValue     float64       `json:"inventory_value"` // on hand × unit cost, active products
	UnitsOnHand        int64         `json:"units_on_hand"`
	ActiveProducts     int           `json:"active_products"`
	BelowReorderPoint  int           `json:"below_reorder_point"`      // on hand + on order at or below the effective reorder point
	DraftsAwaiting     int           `json:"drafts_awaiting_approval"` // draft purchase orders not yet approved
	StockoutsNext7Days int           `json:"projected_stockouts_7d"`   // expected to run out within 7 days
	DeadStockValue     float64       `json:"dead_stock_value"`
	DeadStockProducts  int           `json:"dead_stock_products"`
	Sales              []SalesPeriod `json:"sales"`
	AsOf               time.Time     `json:"as_of"`
}

// SalesPeriod compares sales in a period with the period before it.
type SalesPeriod struct {
	// Period is today (so far, against yesterday until the same time of
	// day), 7d or 30d (against the 7 or 30 days before).
	Period          string  `json:"period"`
	Units           int64   `json:"units"`
	Revenue         float64 `json:"revenue"`
	PreviousUnits   int64   `json:"previous_units"`
	PreviousRevenue float64 `json:"previous_revenue"`
	// Change is the relative revenue change (0.1 = +10 %); nil when the
	// previous period had no revenue.
	Change *float64 `json:"change"`
}

// KPIs computes the dashboard figures.
func (r *Restock) KPIs(ctx context.Context, a Actor) (*KPIs, error) {
	if err := a.require(db.RoleViewer, "read the dashboard"); err != nil {
		return nil, err
	}
	today, err := r.today(ctx)
	if err != nil {
		return nil, err
	}
	k := &KPIs{AsOf: r.now()}
	var stock struct {
		Value float64 `bun:"value"` // minor units
		Units int64   `bun:"units"`
		N     int     `bun:"n"`
	}
	if err := r.db.NewSelect().Model((*db.Product)(nil)).
		// stock × unit cost may pass int64 (10^9 × 10^11 at the input
		// bounds): multiply as a decimal or float, for display only.
		ColumnExpr("COALESCE(SUM(stock * (unit_cost * 1.0)), 0) AS value, COALESCE(SUM(stock), 0) AS units, COUNT(*) AS n").
		Where("active = ?", true).Scan(ctx, &stock); err != nil {
		return nil, fmt.Errorf("inventory value: %w", err)
	}
	k.InventoryValue, k.UnitsOnHand, k.ActiveProducts = stock.Value/100, stock.Units, stock.N
	lines, points, err := r.compute(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range points {
		if p.Low() {
			k.BelowReorderPoint++
		}
	}
	drafts, err := r.db.NewSelect().Model((*db.PurchaseOrder)(nil)).Where("status = ?", db.PODraft).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count draft purchase orders: %w", err)
	}
	k.DraftsAwaiting = int(drafts)
	week := today.AddDate(0, 0, 7)
	for _, l := range lines {
		if !l.StockoutDate.IsZero() && l.StockoutDate.Before(week) && l.Urgency != restock.Later {
			k.StockoutsNext7Days++
		}
	}
	s, err := r.analytics.current(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range s.trends {
		if t.Dead {
			k.DeadStockValue += t.DeadValue
			k.DeadStockProducts++
		}
	}
	k.Sales, err = salesPeriods(ctx, r, today)
	if err != nil {
		return nil, err
	}
	if err := r.sameTimeYesterday(ctx, &k.Sales[0]); err != nil {
		return nil, err
	}
	return k, nil
}

// sameTimeYesterday replaces the comparison of today (a day not over yet)
// with the whole of yesterday by yesterday's sales up to the same local
// time of day, so that "today so far" is compared like with like.
func (r *Restock) sameTimeYesterday(ctx context.Context, p *SalesPeriod) error {
	loc, err := r.location(ctx)
	if err != nil {
		return err
	}
	now := r.now().In(loc)
	y, m, d := now.Date()
	from := time.Date(y, m, d-1, 0, 0, 0, 0, loc)
	until := time.Date(y, m, d-1, now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), loc)
	var sum struct {
		Units   int64 `bun:"units"`
		Revenue int64 `bun:"revenue"`
	}
	if err := r.db.NewSelect().Model((*db.Sale)(nil)).
		ColumnExpr("COALESCE(SUM(quantity), 0) AS units, COALESCE(SUM(quantity * unit_price), 0) AS revenue").
		Where("voided_at IS NULL AND sold_at >= ? AND sold_at < ?", from.UTC(), until.UTC()).Scan(ctx, &sum); err != nil {
		return fmt.Errorf("sales yesterday until now: %w", err)
	}
	p.PreviousUnits, p.PreviousRevenue, p.Change = sum.Units, db.Money(sum.Revenue).Float(), nil
	if p.PreviousRevenue > 0 {
		c := p.Revenue/p.PreviousRevenue - 1
		p.Change = &c
	}
	return nil
}

// salesPeriods compares today, the last 7 and the last 30 days (today
// included) with the periods just before them, from one query over the
// rollup's daily totals (served by a covering index).
func salesPeriods(ctx context.Context, r *Restock, today time.Time) ([]SalesPeriod, error) {
	end := today.AddDate(0, 0, 1)
	var rows []struct {
		Day     string `bun:"day"`
		Units   int64  `bun:"units"`
		Revenue int64  `bun:"revenue"`
	}
	err := r.db.NewSelect().Model((*db.DailySales)(nil)).
		ColumnExpr("day, COALESCE(SUM(units), 0) AS units, COALESCE(SUM(revenue), 0) AS revenue").
		Where("day >= ? AND day < ?", end.AddDate(0, 0, -60).Format(db.DayLayout), end.Format(db.DayLayout)).
		Group("day").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("daily sales totals: %w", err)
	}
	periods := []SalesPeriod{{Period: "today"}, {Period: "7d"}, {Period: "30d"}}
	lengths := []int{1, 7, 30}
	for _, row := range rows {
		d, ok := parseDay(row.Day)
		if !ok {
			return nil, fmt.Errorf("daily sales day %q", row.Day)
		}
		ago := int(end.Sub(d).Hours()/24) - 1 // 0 = today
		for i, n := range lengths {
			switch {
			case ago < n:
				periods[i].Units += row.Units
				periods[i].Revenue += db.Money(row.Revenue).Float()
			case ago < 2*n:
				periods[i].PreviousUnits += row.Units
				periods[i].PreviousRevenue += db.Money(row.Revenue).Float()
			}
		}
	}
	for i := range periods {
		if p := &periods[i]; p.PreviousRevenue > 0 {
			c := p.Revenue/p.PreviousRevenue - 1
			p.Change = &c
		}
	}
	return periods, nil
}
