package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// TestSaleBatch checks that a batch is all-or-nothing and that its errors
// carry the index of the offending line.
func TestSaleBatch(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		m, clerk := s.Token(t, db.RoleManager), s.Token(t, db.RoleClerk)
		var a, b productJSON
		s.DoJSON(t, "POST", "/api/v1/products", m, map[string]any{"sku": "B-A", "name": "A", "stock": 20000}, 201, &a)
		s.DoJSON(t, "POST", "/api/v1/products", m, map[string]any{"sku": "B-B", "name": "B", "stock": 5}, 201, &b)
		stockOf := func(p productJSON) int64 {
			var now productJSON
			s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/products/%d", p.ID), clerk, nil, 200, &now)
			return now.Stock
		}
		countSales := func() int {
			var page struct{ Total int }
			s.DoJSON(t, "GET", "/api/v1/sales", clerk, nil, 200, &page)
			return page.Total
		}

		tests := []struct {
			name   string
			body   string
			want   int
			field  string
			index  int // -1: no index expected
			stockA int64
			stockB int64
		}{
			{"type errors name their lines", fmt.Sprintf(`{"lines":[{"product_id":%d,"quantity":1},{"product_id":%d,"quantity":"abc"},{"sku":"B-B","quantity":true}]}`, a.ID, a.ID),
				400, "quantity", 1, 20000, 5},
			{"validation errors name their lines", fmt.Sprintf(`{"lines":[{"product_id":%d,"quantity":1},{"product_id":%d,"quantity":0}]}`, a.ID, b.ID),
				400, "quantity", 1, 20000, 5},
			{"unknown field in a line", fmt.Sprintf(`{"lines":[{"product_id":%d,"quantity":1,"colour":"red"}]}`, a.ID),
				400, "colour", 0, 20000, 5},
			{"insufficient stock on one line refuses all", fmt.Sprintf(`{"lines":[{"product_id":%d,"quantity":2},{"sku":"B-B","quantity":4},{"sku":"B-B","quantity":4}]}`, a.ID),
				409, "", -1, 20000, 5},
			{"unknown product", fmt.Sprintf(`{"lines":[{"product_id":%d,"quantity":2},{"product_id":999999,"quantity":1}]}`, a.ID),
				400, "product_id", 1, 20000, 5},
			{"no lines", `{"lines":[]}`, 400, "lines", -1, 20000, 5},
			{"lines not an array", `{"lines":{}}`, 400, "lines", -1, 20000, 5},
			{"valid batch", fmt.Sprintf(`{"lines":[{"product_id":%d,"quantity":2},{"sku":"B-B","quantity":4},{"sku":"B-B","quantity":1}]}`, a.ID),
				201, "", -1, 19998, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := countSales()
				status, h, body := s.Do(t, "POST", "/api/v1/sales/batch", clerk, tt.body)
				if status != tt.want {
					t.Fatalf("status %d, want %d; %s", status, tt.want, body)
				}
				if status >= 400 {
					p := apptest.Problem(t, status, h, body)
					if tt.field != "" && !apptest.HasField(p, tt.field, tt.index) {
						t.Errorf("no errors[] entry field=%q index=%d: %s", tt.field, tt.index, body)
					}
					if after := countSales(); after != before {
						t.Errorf("refused batch recorded %d sales", after-before)
					}
				} else {
					res := apptest.DecodeAs[struct{ Count int }](t, body)
					if res.Count != 3 || countSales() != before+3 {
						t.Errorf("batch recorded count=%d, sales %d -> %d", res.Count, before, countSales())
					}
				}
				if got := stockOf(a); got != tt.stockA {
					t.Errorf("stock A = %d, want %d", got, tt.stockA)
				}
				if got := stockOf(b); got != tt.stockB {
					t.Errorf("stock B = %d, want %d", got, tt.stockB)
				}
			})
		}

		t.Run("10,000 lines accepted, 10,001 refused", func(t *testing.T) {
			lines := make([]map[string]any, 10_001)
			for i := range lines {
				lines[i] = map[string]any{"product_id": a.ID, "quantity": 1}
			}
			status, h, body := s.Do(t, "POST", "/api/v1/sales/batch", clerk, map[string]any{"lines": lines})
			p := apptest.Problem(t, status, h, body)
			if status != http.StatusBadRequest || !apptest.HasField(p, "lines", -1) {
				t.Fatalf("10,001 lines: status %d, %s", status, body)
			}
			status, _, body = s.Do(t, "POST", "/api/v1/sales/batch", clerk, map[string]any{"lines": lines[:10_000]})
			if status != http.StatusCreated {
				t.Fatalf("10,000 lines: status %d, %.300s", status, body)
			}
			if got := stockOf(a); got != 9998 {
				t.Errorf("stock A after 10,000 sales = %d, want 9998", got)
			}
		})
	})
}
