package app_test

import (
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestImportBounds checks that CSV imports refuse amounts, quantities and
// stock above the input bounds, naming the line and the column, and write
// nothing.
func TestImportBounds(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		mustImport(t, a, app.ImportProducts, "sku,name,unit_price,stock\nOK-1,Fine,1000000000,1000000000\n", app.ImportOptions{})
		tests := []struct {
			name, kind, body string
			line             int64
			column           string
		}{
			{"product price", app.ImportProducts, "sku,name,unit_price\nP-1,A,1\nP-2,B,92233720368547757.99\n", 3, "unit_price"},
			{"product cost", app.ImportProducts, "sku,name,unit_cost\nP-1,A,1000000000.01\n", 2, "unit_cost"},
			{"product stock", app.ImportProducts, "sku,name,stock\nP-1,A,9223372036854775807\n", 2, "stock"},
			{"product reorder point", app.ImportProducts, "sku,name,reorder_point\nP-1,A,1000000001\n", 2, "reorder_point"},
			{"sale price", app.ImportSales, "sku,quantity,unit_price\nOK-1,1,1\nOK-1,2,92233720368547757.99\n", 3, "unit_price"},
			{"sale line total", app.ImportSales, "sku,quantity\nOK-1,1000000\n", 2, "unit_price"},
			{"sale day total", app.ImportSales, "sku,quantity,sold_at\nOK-1,1000,2026-11-02T10:00:00Z\nOK-1,1,2026-11-02T11:00:00Z\nOK-1,1,2026-11-03T11:00:00Z\n", 3, "unit_price"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				sum, err := importCSV(t, a, tt.kind, tt.body, app.ImportOptions{})
				wantCode(t, err, app.EINVALID)
				if sum == nil || len(sum.Errors) != 1 || sum.Errors[0].Line != tt.line || sum.Errors[0].Column != tt.column {
					t.Fatalf("errors = %+v, want one at line %d, column %s", sum, tt.line, tt.column)
				}
			})
		}
		if n := count(t, bdb, "products"); n != 1 {
			t.Errorf("products = %d, want 1", n)
		}
		if n := count(t, bdb, "sales"); n != 0 {
			t.Errorf("sales = %d, want 0", n)
		}
		// A day's revenue that reaches the bound over two imports.
		mustImport(t, a, app.ImportSales, "sku,quantity,sold_at\nOK-1,999,2026-11-02T10:00:00Z\n", app.ImportOptions{})
		_, err := importCSV(t, a, app.ImportSales, "sku,quantity,sold_at\nOK-1,2,2026-11-02T12:00:00Z\n", app.ImportOptions{})
		wantCode(t, err, app.EINVALID)
		checkDB(t, bdb)
		var revenue int64
		if err := bdb.NewSelect().Model((*db.DailySales)(nil)).ColumnExpr("SUM(revenue)").Scan(ctx, &revenue); err != nil || revenue != 999*int64(db.MaxUnitAmount) {
			t.Fatalf("revenue = %d, %v", revenue, err)
		}
	})
}
