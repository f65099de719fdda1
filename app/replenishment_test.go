package app_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
	"smartinventory/forecast"
	"smartinventory/forecast/restock"
)

// shop simulates days of sales through the services with a test clock.
type shop struct {
	t    *testing.T
	a    *app.App
	day0 time.Time
	now  time.Time
}

func newShop(t *testing.T, bdb *bun.DB) *shop {
	s := &shop{t: t, day0: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	s.now = s.day0
	s.a = app.New(bdb, app.Options{Now: func() time.Time { return s.now }})
	return s
}

func (s *shop) at(day int, hour int) {
	s.now = s.day0.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour)
}

func (s *shop) sell(id int64, qty int64) error {
	_, err := s.a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &id, Quantity: &qty})
	return err
}

func demandOn(day int) int64 { return 10 + int64((day*7)%5) - 2 } // 8…12, mean 10

// TestCensoredDemandKeepsTheLevel: two products sell ~10/day for 120 days;
// one has been out of stock for the last two weeks (days 106–119). With
// stock-out days censored its forecast level stays within 10 % of the
// other's; zero-filling the same history drags it down by more than that.
func TestCensoredDemandKeepsTheLevel(t *testing.T) {
	s := newShop(t, dbtest.Open(t))
	steady := newProduct(t, s.a, "STEADY", 5000)
	gappy := newProduct(t, s.a, "GAPPY", 1100)
	for d := 0; d < 120; d++ {
		s.at(d, 12)
		if err := s.sell(steady.ID, demandOn(d)); err != nil {
			t.Fatal(err)
		}
		if d >= 106 {
			continue
		}
		// Before the gap the shelf empties: sell what is left on day 105.
		var stock int64
		if err := app.DBOf(s.a).NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", gappy.ID).Scan(ctx, &stock); err != nil {
			t.Fatal(err)
		}
		q := demandOn(d)
		if d == 105 {
			q = stock
		}
		if err := s.sell(gappy.ID, min(q, stock)); err != nil {
			t.Fatalf("day %d: %v", d, err)
		}
	}
	s.at(120, 6)
	level := func(id int64) float64 {
		pf, err := s.a.Forecasts.Product(ctx, app.System, id)
		if err != nil {
			t.Fatal(err)
		}
		return pf.Forecast.Cumulative(28) / 28
	}
	ls, lg := level(steady.ID), level(gappy.ID)
	if math.Abs(lg/ls-1) > 0.10 {
		t.Fatalf("censored level %.2f vs steady %.2f: more than 10%% apart", lg, ls)
	}
	hist, err := app.LoadDemand(ctx, app.DBOf(s.a), app.DemandQuery{ProductIDs: []int64{gappy.ID}, From: s.day0, To: s.day0.AddDate(0, 0, 120)})
	if err != nil {
		t.Fatal(err)
	}
	zero := append([]float64{}, hist[gappy.ID].Values...)
	for i, v := range zero {
		if math.IsNaN(v) {
			zero[i] = 0
		}
	}
	fz, err := forecast.Auto(forecast.Series{Start: s.day0, Freq: forecast.Daily, Values: zero}, forecast.AutoOptions{Horizon: 90, Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	if lz := fz.Cumulative(28) / 28; lz/ls > 0.90 {
		t.Fatalf("zero-filled level %.2f is within 10%% of %.2f: the test does not show the effect", lz, ls)
	}
}

func TestRestockSuggestions(t *testing.T) {
	dbtest.EachDB(t, testRestockSuggestions)
}

func testRestockSuggestions(t *testing.T, bdb *bun.DB) {
	s := newShop(t, bdb)
	sup, err := s.a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme"), LeadTimeDays: app.Ptr(5)})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(sku string, stock int64) *db.Product {
		p, err := s.a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr(sku), Name: app.Ptr(sku),
			SupplierID: app.Of(sup.ID), UnitCost: app.Ptr[db.Money](200), UnitPrice: app.Ptr[db.Money](300),
			Stock: &stock, PackSize: app.Ptr(6), MinOrderQty: app.Ptr(20)})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := mk("EMPTY", 600)   // sells out on the last day
	covered := mk("COVER", 600) // same, but an open order covers it
	plenty := mk("PLENTY", 5000)
	for d := 0; d < 60; d++ {
		s.at(d, 12)
		for _, p := range []*db.Product{empty, covered, plenty} {
			q := demandOn(d)
			if d == 59 && p != plenty {
				var stock int64
				if err := app.DBOf(s.a).NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", p.ID).Scan(ctx, &stock); err != nil {
					t.Fatal(err)
				}
				q = stock
			}
			if err := s.sell(p.ID, q); err != nil {
				t.Fatalf("day %d %s: %v", d, p.SKU, err)
			}
		}
	}
	s.at(60, 8)
	po, err := s.a.Purchasing.CreateOrder(ctx, app.System, app.POInput{SupplierID: &sup.ID,
		Lines: []app.POLineInput{{ProductID: &covered.ID, Quantity: app.Ptr[int64](500)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.Forecasts.RefreshAll(ctx, app.System, nil); err != nil {
		t.Fatal(err)
	}
	// A draft never hides a need: COVER is still suggested, with nothing
	// on order and its pending draft named.
	lines, err := s.a.Restock.Suggestions(ctx, app.System, app.RestockFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var drafted *app.RestockLine
	for i := range lines {
		if lines[i].ProductID == covered.ID {
			drafted = &lines[i]
		}
	}
	if drafted == nil || drafted.OnOrder != 0 || drafted.Quantity == 0 || drafted.Urgency != restock.Overdue ||
		len(drafted.PendingDrafts) != 1 || drafted.PendingDrafts[0] != (app.PendingDraft{OrderID: po.ID, Quantity: 500}) {
		t.Fatalf("COVER with a draft = %+v", drafted)
	}
	if k, err := s.a.Restock.KPIs(ctx, app.System); err != nil || k.DraftsAwaiting != 1 || k.BelowReorderPoint != 2 {
		t.Fatalf("kpis with a draft = %+v, %v", k, err)
	}
	// Approved, it is on order and covers the need.
	if _, err := s.a.Purchasing.Approve(ctx, app.System, po.ID); err != nil {
		t.Fatal(err)
	}
	lines, err = s.a.Restock.Suggestions(ctx, app.System, app.RestockFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].ProductID != empty.ID {
		t.Fatalf("suggestions = %+v, want only EMPTY", lines)
	}
	l := lines[0]
	if l.Urgency != restock.Overdue || l.Quantity%6 != 0 || l.Quantity < 20 || l.DailyDemand < 8 || l.DailyDemand > 12 {
		t.Fatalf("EMPTY suggestion = %+v", l.Suggestion)
	}
	if l.SupplierName != "Acme" || l.Value != float64(l.Quantity)*2 {
		t.Fatalf("supplier %q value %v", l.SupplierName, l.Value)
	}
	all, err := s.a.Restock.Suggestions(ctx, app.System, app.RestockFilter{All: true})
	if err != nil || len(all) != 3 {
		t.Fatalf("all = %d lines, %v", len(all), err)
	}
	groups := app.GroupBySupplier(lines)
	if len(groups) != 1 || groups[0].Units != l.Quantity {
		t.Fatalf("groups = %+v", groups)
	}
	_, err = s.a.Restock.Suggestions(ctx, app.System, app.RestockFilter{Urgency: "soon"})
	wantField(t, err, "urgency")
	if st := s.a.Forecasts.Status(); st.Running || st.Done != 3 || st.Failed != 0 {
		t.Fatalf("job status = %+v", st)
	}
	k, err := s.a.Restock.KPIs(ctx, app.System)
	if err != nil {
		t.Fatal(err)
	}
	var plentyStock int64
	if err := app.DBOf(s.a).NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", plenty.ID).Scan(ctx, &plentyStock); err != nil {
		t.Fatal(err)
	}
	if k.ActiveProducts != 3 || k.UnitsOnHand != plentyStock || k.InventoryValue != float64(plentyStock)*2 || k.BelowReorderPoint != 1 || k.DraftsAwaiting != 0 {
		t.Fatalf("kpis = %+v", k)
	}
	// Days 53–59 sold ~10/day of each of the three products.
	if k.Sales[0].Period != "today" || k.Sales[0].Units != 0 || k.Sales[1].Units < 3*7*8 || k.Sales[1].Change == nil {
		t.Fatalf("sales kpis = %+v", k.Sales)
	}
	stale, err := s.a.Forecasts.Stale(ctx, app.System)
	if err != nil || stale {
		t.Fatalf("stale right after the batch: %v, %v", stale, err)
	}

	// One reorder point: the products filter returns what the KPI counts
	// (EMPTY, at 0 below its computed point; COVER has 500 on order), not
	// every product whose own field is 0.
	low, n, err := s.a.Catalog.ListProducts(ctx, app.System, app.ProductFilter{LowStock: true})
	if err != nil || n != 1 || len(low) != 1 || low[0].ID != empty.ID {
		t.Fatalf("low-stock products = %d %+v, %v; want EMPTY", n, low, err)
	}
	// A manager's manual point replaces the computed one everywhere.
	p, err := s.a.Catalog.Product(ctx, app.System, plenty.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.a.Catalog.UpdateProduct(ctx, app.System, plenty.ID, app.ProductInput{ReorderPoint: app.Ptr(plentyStock), Version: &p.Version}, false); err != nil {
		t.Fatal(err)
	}
	points, err := s.a.Restock.ReorderPoints(ctx, app.System)
	if err != nil {
		t.Fatal(err)
	}
	if rp := points[plenty.ID]; rp.Source != "manual" || rp.Value == nil || *rp.Value != plentyStock || !rp.Low() || rp.Text() != fmt.Sprintf("%d (manual)", plentyStock) {
		t.Fatalf("PLENTY with a manual point = %+v", rp)
	}
	if rp := points[empty.ID]; rp.Source != "computed" || rp.Value == nil || !rp.Low() {
		t.Fatalf("EMPTY's point = %+v", rp)
	}
	_, n, err = s.a.Catalog.ListProducts(ctx, app.System, app.ProductFilter{LowStock: true})
	k, kerr := s.a.Restock.KPIs(ctx, app.System)
	if err != nil || kerr != nil || n != 2 || k.BelowReorderPoint != 2 {
		t.Fatalf("with PLENTY's manual point: filter %d, KPI %d (%v, %v); want 2 and 2", n, k.BelowReorderPoint, err, kerr)
	}
	all, err = s.a.Restock.Suggestions(ctx, app.System, app.RestockFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range all {
		if l.Urgency != restock.UrgencyOf(l.OrderBy, s.now.Truncate(24*time.Hour)) {
			t.Errorf("%s: urgency %s, order-by %v", l.SKU, l.Urgency, l.OrderBy)
		}
		if i > 0 {
			prev := all[i-1]
			if prev.OrderBy.IsZero() && !l.OrderBy.IsZero() || !l.OrderBy.IsZero() && l.OrderBy.Before(prev.OrderBy) ||
				l.OrderBy.Equal(prev.OrderBy) && l.Value > prev.Value {
				t.Errorf("not sorted by order-by, then value: %s (%v, %v) after %s (%v, %v)", l.SKU, l.OrderBy, l.Value, prev.SKU, prev.OrderBy, prev.Value)
			}
		}
		if l.ProductID == plenty.ID && (l.Urgency != restock.Overdue || l.Quantity == 0 || l.ReorderPointSource != "manual") {
			t.Fatalf("PLENTY at its manual point: %+v", l.Suggestion)
		}
	}
}
