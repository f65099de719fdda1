package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// trendJSON is the part of a trend the tests read.
type trendJSON struct {
	ProductID  int64   `json:"product_id"`
	SKU        string  `json:"sku"`
	Units30    float64 `json:"units_30d"`
	Revenue30  float64 `json:"revenue_30d"`
	ABC        string  `json:"abc"`
	Class      string  `json:"class"`
	SupplierID *int64  `json:"supplier_id"`
}

// TestTrends checks GET /analytics/trends: filters, sorting, paging, errors.
func TestTrends(t *testing.T) {
	s := newStocked(t)
	viewer := s.Token(t, db.RoleViewer)
	tests := []struct {
		name  string
		query string
		want  string // SKUs in response order; "" = none; "*" = don't check the order, only the count
		total int
	}{
		{"by sku", "?sort=sku", "COVER,EMPTY,NOSUP,PLENTY", 4},
		{"by units ascending", "?sort=-units_30d", "*", 4},
		{"page", "?sort=sku&limit=2&offset=1", "EMPTY,NOSUP", 4},
		{"past the end", "?offset=10", "", 4},
		{"supplier", fmt.Sprintf("?supplier_id=%d&sort=sku", s.supplier), "COVER,EMPTY,PLENTY", 3},
		{"unknown category", "?category_id=12345", "", 0},
		{"smooth", "?class=smooth&sort=sku", "*", -1},
		{"dead", "?dead=true", "", 0},
		{"default sort", "", "*", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var page struct {
				Items         []trendJSON
				Total         int
				Limit, Offset int
			}
			s.DoJSON(t, "GET", "/api/v1/analytics/trends"+tt.query, viewer, nil, http.StatusOK, &page)
			if page.Items == nil || (tt.total >= 0 && page.Total != tt.total) {
				t.Fatalf("items %v total %d, want total %d", page.Items, page.Total, tt.total)
			}
			got := make([]string, len(page.Items))
			for i, it := range page.Items {
				got[i] = it.SKU
			}
			if tt.want != "*" && strings.Join(got, ",") != tt.want {
				t.Fatalf("SKUs %v, want %s", got, tt.want)
			}
			for i := 1; i < len(page.Items); i++ {
				a, b := page.Items[i-1], page.Items[i]
				if (tt.query == "" && b.Revenue30 > a.Revenue30) || (tt.query == "?sort=-units_30d" && b.Units30 < a.Units30) {
					t.Fatalf("out of order: %+v", page.Items)
				}
			}
		})
	}
	var page struct{ Items []trendJSON }
	s.DoJSON(t, "GET", "/api/v1/analytics/trends?sort=sku", viewer, nil, http.StatusOK, &page)
	for _, it := range page.Items {
		if it.Units30 < 240 || it.Units30 > 360 || it.Revenue30 < 3*it.Units30 || it.ABC == "" || it.Class == "" {
			t.Errorf("trend %+v: ~10 a day at 3.00 over 30 days", it)
		}
		if it.SKU == "PLENTY" && it.Revenue30 != 3*it.Units30 {
			t.Errorf("PLENTY never ran out: revenue %.2f, want 3 × %.0f", it.Revenue30, it.Units30)
		}
	}

	for _, tt := range []struct{ query, field string }{
		{"?sort=price", "sort"},
		{"?abc=D", "abc"},
		{"?xyz=Q", "xyz"},
		{"?class=steady", "class"},
		{"?mover=fastest", "mover"},
		{"?dead=maybe", "dead"},
		{"?excess=2", "excess"},
		{"?limit=0", "limit"},
		{"?supplier_id=-1", "supplier_id"},
	} {
		t.Run("bad "+tt.field, func(t *testing.T) {
			status, h, body := s.Do(t, "GET", "/api/v1/analytics/trends"+tt.query, viewer, nil)
			if p := apptest.Problem(t, status, h, body); status != http.StatusBadRequest || !apptest.HasField(p, tt.field, -1) {
				t.Fatalf("status %d, want 400 naming %s: %s", status, tt.field, body)
			}
		})
	}
}

// TestABCXYZAndKPIs checks the matrix and the dashboard figures.
func TestABCXYZAndKPIs(t *testing.T) {
	s := newStocked(t)
	viewer := s.Token(t, db.RoleViewer)
	var m struct {
		Cells []struct {
			ABC, XYZ   string
			Products   int
			Revenue90  float64 `json:"revenue_90d"`
			StockValue float64 `json:"stock_value"`
		}
	}
	s.DoJSON(t, "GET", "/api/v1/analytics/abc-xyz", viewer, nil, http.StatusOK, &m)
	if len(m.Cells) != 9 || m.Cells[0].ABC+m.Cells[0].XYZ != "AX" || m.Cells[8].ABC+m.Cells[8].XYZ != "CZ" {
		t.Fatalf("cells = %+v", m.Cells)
	}
	var products int
	var value float64
	for _, c := range m.Cells {
		products += c.Products
		value += c.StockValue
	}
	plentyValue := float64(s.stockOf(t, s.plenty.ID)) * 2
	if products != 4 || value != plentyValue {
		t.Fatalf("matrix holds %d products worth %.2f, want 4 worth %.2f", products, value, plentyValue)
	}

	var k struct {
		InventoryValue    float64 `json:"inventory_value"`
		ActiveProducts    int     `json:"active_products"`
		BelowReorderPoint int     `json:"below_reorder_point"`
		Stockouts7        int     `json:"projected_stockouts_7d"`
		Sales             []struct {
			Period string
			Units  int64
		}
	}
	s.DoJSON(t, "GET", "/api/v1/dashboard/kpis", viewer, nil, http.StatusOK, &k)
	if k.ActiveProducts != 4 || k.InventoryValue != plentyValue || k.BelowReorderPoint != 3 || len(k.Sales) != 3 || k.Sales[1].Period != "7d" || k.Sales[1].Units < 4*7*8 {
		t.Fatalf("kpis = %+v", k)
	}
	for _, path := range []string{"/api/v1/analytics/abc-xyz", "/api/v1/dashboard/kpis", "/api/v1/analytics/trends"} {
		if status, _, _ := s.Do(t, "GET", path, "", nil); status != http.StatusUnauthorized {
			t.Errorf("%s without a token: %d, want 401", path, status)
		}
	}
}
