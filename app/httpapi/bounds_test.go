package httpapi_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// TestMoneyOverflowAttack replays issue 12's finding 2: huge prices,
// quantities and stock are refused with 400 naming the field, and the
// shop's figures (dashboard, trends, restock, check) keep working for
// everyone afterwards.
func TestMoneyOverflowAttack(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		m, clerk := s.Token(t, db.RoleManager), s.Token(t, db.RoleClerk)
		var p productJSON
		s.DoJSON(t, "POST", "/api/v1/products", m, map[string]any{"sku": "BIG-1", "name": "Big", "unit_price": 1, "stock": 1_000_000_000}, 201, &p)
		refused := func(t *testing.T, path, token string, body any, field string) {
			t.Helper()
			st, h, b := s.Do(t, "POST", path, token, body)
			pr := apptest.Problem(t, st, h, b)
			if st != 400 || !apptest.HasField(pr, field, -1) {
				t.Fatalf("POST %s %v: status %d, want 400 naming %s; %s", path, body, st, field, b)
			}
		}
		huge := `{"sku":"BIG-1","quantity":%d,"unit_price":92233720368547757.99}`
		refused(t, "/api/v1/sales", clerk, fmt.Sprintf(huge, 1), "unit_price")
		refused(t, "/api/v1/sales", clerk, fmt.Sprintf(huge, 1), "unit_price")
		refused(t, "/api/v1/sales", clerk, fmt.Sprintf(huge, 2), "unit_price") // wrapped negative before
		// Each within its bound, but the line's revenue is not.
		refused(t, "/api/v1/sales", clerk, `{"sku":"BIG-1","quantity":1000000000,"unit_price":1000000000}`, "unit_price")
		refused(t, "/api/v1/sales", clerk, `{"sku":"BIG-1","quantity":1000000001}`, "quantity")
		// The largest day a product may have, then one cent more.
		s.DoJSON(t, "POST", "/api/v1/sales", clerk, map[string]any{"sku": "BIG-1", "quantity": 1000, "unit_price": 1_000_000_000}, 201, nil)
		refused(t, "/api/v1/sales", clerk, `{"sku":"BIG-1","quantity":1,"unit_price":0.01}`, "unit_price")

		// Stock near MaxInt64, as a manager could set it.
		refused(t, "/api/v1/products", m, map[string]any{"sku": "BIG-2", "name": "Big", "stock": int64(math.MaxInt64)}, "stock")
		refused(t, "/api/v1/products", m, map[string]any{"sku": "BIG-2", "name": "Big", "unit_cost": 92233720368547757.99}, "unit_cost")
		refused(t, "/api/v1/products", m, map[string]any{"sku": "BIG-2", "name": "Big", "reorder_point": int64(math.MaxInt64)}, "reorder_point")
		refused(t, "/api/v1/stock-adjustments", m, map[string]any{"sku": "BIG-1", "delta": int64(math.MaxInt64), "reason": "count"}, "delta")
		refused(t, "/api/v1/stock-adjustments", m, map[string]any{"sku": "BIG-1", "delta": 1001, "reason": "count"}, "delta") // 10^9 - 1000 + 1001
		refused(t, "/api/v1/stock-receipts", clerk, map[string]any{"sku": "BIG-1", "quantity": 1001}, "quantity")
		s.DoJSON(t, "POST", "/api/v1/stock-adjustments", m, map[string]any{"sku": "BIG-1", "delta": 1000, "reason": "count"}, 201, nil)
		var now productJSON
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/products/%d", p.ID), clerk, nil, 200, &now)
		if now.Stock != db.MaxQuantity {
			t.Fatalf("stock = %d, want %d", now.Stock, db.MaxQuantity)
		}

		viewer := s.Token(t, db.RoleViewer)
		for _, path := range []string{"/api/v1/dashboard/kpis", "/api/v1/analytics/trends", "/api/v1/restock"} {
			if st, _, b := s.Do(t, "GET", path, viewer, nil); st != 200 {
				t.Errorf("GET %s: status %d; %.300s", path, st, b)
			}
		}
		rep, err := db.Check(context.Background(), s.DB)
		if err != nil || !rep.OK() {
			t.Fatalf("check = %+v, %v", rep, err)
		}
		var revenue int64
		if err := s.DB.NewSelect().Model((*db.DailySales)(nil)).Column("revenue").Where("product_id = ?", p.ID).Scan(context.Background(), &revenue); err != nil || revenue != int64(db.MaxTotal) {
			t.Fatalf("daily revenue = %d, %v; want %d", revenue, err, db.MaxTotal)
		}
	})
}
