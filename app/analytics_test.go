package app_test

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db/dbtest"
)

func TestTrendsFromTheLedger(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		day0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		now := day0
		a := app.New(bdb, app.Options{Now: func() time.Time { return now }})
		big := newProduct(t, a, "BIG", 10000)
		small := newProduct(t, a, "SMALL", 10000)
		idle := newProduct(t, a, "IDLE", 10)
		for d := 0; d < 120; d++ {
			now = day0.AddDate(0, 0, d).Add(10 * time.Hour)
			for _, s := range []struct {
				id  int64
				qty int64
			}{{big.ID, 20}, {small.ID, 1}} {
				if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &s.id, Quantity: &s.qty}); err != nil {
					t.Fatal(err)
				}
			}
		}
		items, total, err := a.Analytics.Trends(ctx, app.System, app.TrendFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || items[0].SKU != "BIG" || items[0].ABC != "A" || items[1].SKU != "SMALL" {
			t.Fatalf("trends = %+v (total %d)", items, total)
		}
		if items[0].Units30 != 600 || items[0].Velocity != 20 || items[0].XYZ != "X" {
			t.Fatalf("BIG trend = %+v", items[0].Trend)
		}
		dead, _, err := a.Analytics.Trends(ctx, app.System, app.TrendFilter{Dead: true})
		if err != nil || len(dead) != 1 || dead[0].ProductID != idle.ID {
			t.Fatalf("dead = %+v, %v", dead, err)
		}
		// A new sale changes the data version and so the snapshot.
		if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &idle.ID, Quantity: app.Ptr[int64](1)}); err != nil {
			t.Fatal(err)
		}
		dead, _, _ = a.Analytics.Trends(ctx, app.System, app.TrendFilter{Dead: true})
		if len(dead) != 0 {
			t.Fatalf("idle product still dead after a sale: %+v", dead)
		}
		cells, err := a.Analytics.ABCXYZ(ctx, app.System)
		if err != nil || len(cells) != 9 || cells[0].Products != 1 {
			t.Fatalf("matrix = %+v, %v", cells, err)
		}
		for sort, first := range map[string]string{"sku": "BIG", "-sku": "SMALL", "units_30d": "BIG", "-units_30d": "IDLE"} {
			items, _, err := a.Analytics.Trends(ctx, app.System, app.TrendFilter{Sort: sort})
			if err != nil || items[0].SKU != first {
				t.Errorf("sort %s: first %s (%v), want %s", sort, items[0].SKU, err, first)
			}
		}
		_, _, err = a.Analytics.Trends(ctx, app.System, app.TrendFilter{Sort: "bogus"})
		wantField(t, err, "sort")
	})
}
