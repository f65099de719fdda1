package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestWeb_MoneyAndStockBounds replays issue 12's finding 2 through the
// forms: amounts, quantities and stock above their bounds come back with
// the field's error, nothing is written, and the dashboard and the trends
// page keep answering.
func TestWeb_MoneyAndStockBounds(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		s := newTestServerOn(t, bdb, Config{})
		s.user(t, "boss", db.RoleManager)
		s.product(t, "WB-1", 10)
		c := s.login(t, "boss")
		huge := "92233720368547757.99"
		maxInt := "9223372036854775807"
		tests := []struct {
			name, path string
			form       url.Values
			field      string
		}{
			{"stock near MaxInt64", "/products", url.Values{"sku": {"WB-2"}, "name": {"Big"}, "stock": {maxInt}}, "stock"},
			{"huge price", "/products", url.Values{"sku": {"WB-2"}, "name": {"Big"}, "unit_price": {huge}}, "unit_price"},
			{"huge cost", "/products", url.Values{"sku": {"WB-2"}, "name": {"Big"}, "unit_cost": {"1000000000.01"}}, "unit_cost"},
			{"huge sale price", "/sales", url.Values{"sku": {"WB-1"}, "quantity": {"2"}, "unit_price": {huge}}, "unit_price"},
			{"huge sale quantity", "/sales", url.Values{"sku": {"WB-1"}, "quantity": {maxInt}}, "quantity"},
			{"stock adjustment to MaxInt64", "/stock/adjustments", url.Values{"sku": {"WB-1"}, "delta": {"1000000000"}, "reason": {"count"}}, "delta"},
			{"huge stock adjustment", "/stock/adjustments", url.Values{"sku": {"WB-1"}, "delta": {maxInt}, "reason": {"count"}}, "delta"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, _, body := c.post(tt.path, tt.form)
				if status != http.StatusBadRequest || !strings.Contains(body, `data-testid="error-`+tt.field+`"`) {
					t.Fatalf("status %d, want 400 with the error of %s; %.400s", status, tt.field, body)
				}
			})
		}
		var n int
		if err := bdb.NewSelect().Model((*db.Sale)(nil)).ColumnExpr("COUNT(*)").Scan(t.Context(), &n); err != nil || n != 0 {
			t.Fatalf("sales = %d, %v; want none", n, err)
		}
		p, err := s.app.Catalog.ProductBySKU(t.Context(), app.System, "WB-1")
		if err != nil || p.Stock != 10 {
			t.Fatalf("stock = %+v, %v; want 10", p, err)
		}
		for _, path := range []string{"/", "/trends", "/restock"} {
			if status, _, body := c.get(path); status != http.StatusOK {
				t.Errorf("GET %s: status %d; %.300s", path, status, body)
			}
		}
	})
}
