package app_test

import (
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

func TestCreateProductValidation(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	tests := []struct {
		name  string
		in    app.ProductInput
		field string
	}{
		{"missing sku", app.ProductInput{Name: app.Ptr("x")}, "sku"},
		{"sku with space", app.ProductInput{SKU: app.Ptr("A B"), Name: app.Ptr("x")}, "sku"},
		{"missing name", app.ProductInput{SKU: app.Ptr("A")}, "name"},
		{"negative price", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), UnitPrice: app.Ptr[db.Money](-1)}, "unit_price"},
		{"negative cost", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), UnitCost: app.Ptr[db.Money](-1)}, "unit_cost"},
		{"pack size 0", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), PackSize: app.Ptr(0)}, "pack_size"},
		{"moq 0", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), MinOrderQty: app.Ptr(0)}, "min_order_qty"},
		{"lead time 366", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), LeadTimeDays: app.Of(366)}, "lead_time_days"},
		{"lead time -1", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), LeadTimeDays: app.Of(-1)}, "lead_time_days"},
		{"service level 1", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), ServiceLevel: app.Of(1.0)}, "service_level"},
		{"negative stock", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), Stock: app.Ptr[int64](-5)}, "stock"},
		{"unknown category", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), CategoryID: app.Of[int64](77)}, "category_id"},
		{"unknown supplier", app.ProductInput{SKU: app.Ptr("A"), Name: app.Ptr("x"), SupplierID: app.Of[int64](77)}, "supplier_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Catalog.CreateProduct(ctx, app.System, tt.in)
			wantCode(t, err, app.EINVALID)
			wantField(t, err, tt.field)
		})
	}
	n, _ := app.DBOf(a).NewSelect().Model((*db.Product)(nil)).Count(ctx)
	if n != 0 {
		t.Fatalf("%d products written by invalid creates", n)
	}
	// Lead time 0 and 365 are both fine.
	for _, lt := range []int{0, 365} {
		if _, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("LT" + string(rune('0'+lt%10))), Name: app.Ptr("x"), LeadTimeDays: app.Of(lt)}); err != nil {
			t.Fatalf("lead time %d: %v", lt, err)
		}
	}
}

func TestProductVersioningAndUniqueSKU(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "U-1", 0)
		newProduct(t, a, "U-2", 0)
		_, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("U-1"), Name: app.Ptr("dup")})
		wantCode(t, err, app.ECONFLICT)
		wantField(t, err, "sku")

		up, err := a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{Name: app.Ptr("Renamed"), Version: &p.Version, LeadTimeDays: app.Of(4)}, false)
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != p.Version+1 || up.Name != "Renamed" || up.SKU != "U-1" || *up.LeadTimeDays != 4 {
			t.Fatalf("updated = %+v", up)
		}
		_, err = a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{Name: app.Ptr("Stale"), Version: &p.Version}, false)
		wantCode(t, err, app.ECONFLICT)
		e, _ := app.AsError(err)
		if cur, ok := e.Current.(*db.Product); !ok || cur.Name != "Renamed" {
			t.Fatalf("conflict carries %#v, want the current product", e.Current)
		}
		_, err = a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{Name: app.Ptr("x")}, false)
		wantField(t, err, "version")
		_, err = a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{SKU: app.Ptr("U-2"), Version: &up.Version}, false)
		wantCode(t, err, app.ECONFLICT)
		_, err = a.Catalog.UpdateProduct(ctx, app.System, 999, app.ProductInput{Version: &up.Version}, false)
		wantCode(t, err, app.ENOTFOUND)

		// PUT: absent fields return to defaults; null clears.
		rep, err := a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{SKU: app.Ptr("U-1"), Name: app.Ptr("Full"), Version: &up.Version}, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep.LeadTimeDays != nil || rep.Name != "Full" {
			t.Fatalf("replace = %+v", rep)
		}
	})
}

func TestDeleteProductDeactivatesWhenItHasHistory(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		fresh := newProduct(t, a, "D-1", 3)
		sold := newProduct(t, a, "D-2", 3)
		if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &sold.ID, Quantity: app.Ptr[int64](1)}); err != nil {
			t.Fatal(err)
		}
		deleted, err := a.Catalog.DeleteProduct(ctx, app.System, fresh.ID)
		if err != nil || !deleted {
			t.Fatalf("delete fresh = %v, %v; want deleted", deleted, err)
		}
		_, err = a.Catalog.Product(ctx, app.System, fresh.ID)
		wantCode(t, err, app.ENOTFOUND)
		deleted, err = a.Catalog.DeleteProduct(ctx, app.System, sold.ID)
		if err != nil || deleted {
			t.Fatalf("delete sold = %v, %v; want deactivated", deleted, err)
		}
		p, err := a.Catalog.Product(ctx, app.System, sold.ID)
		if err != nil || p.Active {
			t.Fatalf("sold product = %+v, %v; want inactive", p, err)
		}
		_, err = a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &sold.ID, Quantity: app.Ptr[int64](1)})
		wantCode(t, err, app.ECONFLICT)
	})
}

func TestSupplierAndCategoryInUseCannotBeDeleted(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		s, err := a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme"), Email: app.Ptr("orders@acme.test"), LeadTimeDays: app.Ptr(5)})
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.Catalog.CreateCategory(ctx, app.System, app.CategoryInput{Name: app.Ptr("Tools")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Bad"), Email: app.Ptr("not-an-email")})
		wantField(t, err, "email")
		_, err = a.Catalog.CreateCategory(ctx, app.System, app.CategoryInput{Name: app.Ptr("Tools")})
		wantCode(t, err, app.ECONFLICT)
		if _, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("T-1"), Name: app.Ptr("Hammer"),
			SupplierID: app.Of(s.ID), CategoryID: app.Of(c.ID)}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.Catalog.DeleteSupplier(ctx, app.System, s.ID), app.ECONFLICT)
		wantCode(t, a.Catalog.DeleteCategory(ctx, app.System, c.ID), app.ECONFLICT)
		wantCode(t, a.Catalog.DeleteCategory(ctx, app.System, 999), app.ENOTFOUND)
		s2, err := a.Catalog.UpdateSupplier(ctx, app.System, s.ID, app.SupplierInput{Phone: app.Ptr("+1 555"), Version: &s.Version})
		if err != nil || s2.Phone != "+1 555" || s2.Name != "Acme" {
			t.Fatalf("update supplier = %+v, %v", s2, err)
		}
		_, err = a.Catalog.UpdateSupplier(ctx, app.System, s.ID, app.SupplierInput{Phone: app.Ptr("x"), Version: &s.Version})
		wantCode(t, err, app.ECONFLICT)
		c2, err := a.Catalog.CreateCategory(ctx, app.System, app.CategoryInput{Name: app.Ptr("Empty")})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Catalog.DeleteCategory(ctx, app.System, c2.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestListProductsFiltersSortsAndPages(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	for _, sku := range []string{"C-3", "A-1", "B-2", "x_y"} {
		newProduct(t, a, sku, 1)
	}
	tests := []struct {
		f     app.ProductFilter
		want  []string
		total int
	}{
		{app.ProductFilter{}, []string{"A-1", "B-2", "C-3", "x_y"}, 4},
		{app.ProductFilter{Sort: "-sku", Limit: 2}, []string{"x_y", "C-3"}, 4},
		{app.ProductFilter{Sort: "sku", Limit: 2, Offset: 2}, []string{"C-3", "x_y"}, 4},
		{app.ProductFilter{Query: "b-"}, []string{"B-2"}, 1},
		{app.ProductFilter{Query: "_"}, []string{"x_y"}, 1}, // LIKE wildcards are literal
		{app.ProductFilter{LowStock: true}, []string{}, 0},
	}
	for _, tt := range tests {
		items, total, err := a.Catalog.ListProducts(ctx, app.System, tt.f)
		if err != nil {
			t.Fatalf("%+v: %v", tt.f, err)
		}
		got := []string{}
		for _, p := range items {
			got = append(got, p.SKU)
		}
		if total != tt.total || len(got) != len(tt.want) {
			t.Fatalf("%+v: got %v (total %d), want %v (total %d)", tt.f, got, total, tt.want, tt.total)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Fatalf("%+v: got %v, want %v", tt.f, got, tt.want)
			}
		}
	}
	_, _, err := a.Catalog.ListProducts(ctx, app.System, app.ProductFilter{Sort: "password"})
	wantField(t, err, "sort")
}

// TestLowStockOneRule: the low-stock filter and the effective reorder
// point's Low (which the product list's red stock and the dashboard use)
// agree on every product, and without a forecast a reorder point of 0
// means none: an empty product without one is not low on stock.
func TestLowStockOneRule(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) { testLowStockOneRule(t, bdb) })
}

func testLowStockOneRule(t *testing.T, bdb *bun.DB) {
	a := app.New(bdb, app.Options{})
	cases := []struct {
		sku          string
		stock, point int64
		low          bool
	}{
		{"NONE-0", 0, 0, false}, // no reorder point, out of stock
		{"NONE-5", 5, 0, false},
		{"AT", 3, 3, true},
		{"BELOW", 1, 3, true},
		{"EMPTY", 0, 3, true},
		{"ABOVE", 4, 3, false},
	}
	want := map[string]bool{}
	for _, c := range cases {
		p := newProduct(t, a, c.sku, c.stock)
		if _, err := a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{ReorderPoint: app.Ptr(c.point), Version: &p.Version}, false); err != nil {
			t.Fatal(err)
		}
		want[c.sku] = c.low
	}
	low, _, err := a.Catalog.ListProducts(ctx, app.System, app.ProductFilter{LowStock: true})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, p := range low {
		listed[p.SKU] = true
	}
	all, _, err := a.Catalog.ListProducts(ctx, app.System, app.ProductFilter{})
	if err != nil {
		t.Fatal(err)
	}
	points, err := a.Restock.ReorderPoints(ctx, app.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if got := points[p.ID].Low(); got != want[p.SKU] || listed[p.SKU] != want[p.SKU] {
			t.Errorf("%s (stock %d, reorder point %d): LowStock %v, listed by the filter %v; want %v",
				p.SKU, p.Stock, p.ReorderPoint, got, listed[p.SKU], want[p.SKU])
		}
	}
}
