package app_test

import (
	"math"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db/dbtest"
)

// TestLoadDemandCensorsStockouts: a product sells 5 a day; it runs out on
// day 10 (its last 5 units sold at noon), stays out for 14 days and is
// restocked on day 24 at 09:00. Days 10–24 are censored (unknown demand),
// every other day shows 5, and no stock-out day reads as zero demand.
func TestLoadDemandCensorsStockouts(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		day0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		now := day0.Add(8 * time.Hour)
		a := app.New(bdb, app.Options{Now: func() time.Time { return now }})
		p := newProduct(t, a, "CEN", 55)
		for d := 0; d < 40; d++ {
			if d == 24 {
				now = day0.AddDate(0, 0, d).Add(9 * time.Hour)
				if _, err := a.Stock.Receive(ctx, app.System, app.ReceiptInput{ProductID: &p.ID, Quantity: app.Ptr[int64](500)}); err != nil {
					t.Fatal(err)
				}
			}
			if d >= 11 && d < 24 {
				continue // out of stock: nothing to sell
			}
			now = day0.AddDate(0, 0, d).Add(12 * time.Hour)
			if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](5)}); err != nil {
				t.Fatalf("day %d: %v", d, err)
			}
		}
		hist, err := app.LoadDemand(ctx, bdb, app.DemandQuery{From: day0.AddDate(0, 0, -30), To: day0.AddDate(0, 0, 40)})
		if err != nil {
			t.Fatal(err)
		}
		s := hist[p.ID]
		if s == nil || !s.Start.Equal(day0) || len(s.Values) != 40 {
			t.Fatalf("series = %+v, want 40 days from %v", s, day0)
		}
		for i, v := range s.Values {
			censored := i >= 10 && i <= 24
			switch {
			case censored && !math.IsNaN(v):
				t.Errorf("day %d = %v, want censored", i, v)
			case !censored && v != 5:
				t.Errorf("day %d = %v, want 5", i, v)
			}
		}
		if s.Censored != 15 {
			t.Errorf("censored days = %d, want 15", s.Censored)
		}
	})
}
