package cli_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.txt from the current output")

// goldenShop fills the database at dsn through the services with a small,
// fixed shop: names of every width, an accented one, empty and cleared
// fields, amounts with and without cents, an inactive product, and sales
// on fixed days, one of them voided, all on a fixed clock.
func goldenShop(t *testing.T, dsn string) {
	t.Helper()
	now := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	a := app.New(dbtest.OpenDSN(t, dsn), app.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	tea, err := a.Catalog.CreateCategory(ctx, app.System, app.CategoryInput{Name: app.Ptr("Tea & Coffee"), Description: app.Ptr("Loose tea, beans and capsules")})
	must(err)
	_, err = a.Catalog.CreateCategory(ctx, app.System, app.CategoryInput{Name: app.Ptr("Accessories")})
	must(err)
	sup, err := a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Nordic Imports"), ContactName: app.Ptr("Åsa Lind"),
		Email: app.Ptr("asa@nordic.example"), Phone: app.Ptr("+46 8 123 456"), LeadTimeDays: app.Ptr(9)})
	must(err)
	_, err = a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Local Roasters"), LeadTimeDays: app.Ptr(2)})
	must(err)
	money := func(cents int64) *db.Money { m := db.Money(cents); return &m }
	products := []app.ProductInput{
		{SKU: app.Ptr("TEA-001"), Name: app.Ptr("Green Tea 250 g"), CategoryID: app.Of(tea.ID), SupplierID: app.Of(sup.ID),
			UnitCost: money(210), UnitPrice: money(395), Stock: app.Ptr(int64(40)), PackSize: app.Ptr(12), ReorderPoint: app.Ptr(int64(10))},
		{SKU: app.Ptr("CAF-002"), Name: app.Ptr("Café crème 1 L"), CategoryID: app.Of(tea.ID),
			UnitCost: money(5), UnitPrice: money(1250), Stock: app.Ptr(int64(3))},
		{SKU: app.Ptr("ACC-003"), Name: app.Ptr("Stainless steel tea infuser with a long chain and a drip tray"),
			UnitPrice: money(99900), Stock: app.Ptr(int64(0))},
		{SKU: app.Ptr("OLD-004"), Name: app.Ptr("Discontinued blend"), UnitPrice: money(100), Stock: app.Ptr(int64(7))},
	}
	ids := map[string]int64{}
	for _, in := range products {
		p, err := a.Catalog.CreateProduct(ctx, app.System, in)
		must(err)
		ids[p.SKU] = p.ID
	}
	old, err := a.Catalog.Product(ctx, app.System, ids["OLD-004"])
	must(err)
	_, err = a.Catalog.UpdateProduct(ctx, app.System, old.ID, app.ProductInput{Active: app.Ptr(false), Version: &old.Version}, false)
	must(err)
	day := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	sales := []app.SaleInput{
		{SKU: app.Ptr("TEA-001"), Quantity: app.Ptr(int64(3)), SoldAt: app.Ptr(day), Channel: "store"},
		{SKU: app.Ptr("TEA-001"), Quantity: app.Ptr(int64(12)), UnitPrice: money(350), SoldAt: app.Ptr(day.Add(26 * time.Hour)), Channel: "online", Note: "bulk order"},
		{SKU: app.Ptr("CAF-002"), Quantity: app.Ptr(int64(1)), SoldAt: app.Ptr(day.Add(50 * time.Hour)), Channel: "phone"},
	}
	var last int64
	for _, in := range sales {
		res, err := a.Sales.Record(ctx, app.System, in)
		must(err)
		last = res.Sale.ID
	}
	_, err = a.Sales.Void(ctx, app.System, last, "wrong product")
	must(err)
}

// TestTableGolden compares the table output of the listing commands on
// goldenShop with testdata/golden/NAME.txt (go test -run TestTableGolden
// -update rewrites them): column order, headings, alignment of numbers,
// money with two decimals, "-" for empty cells, nothing cut when stdout is
// not a terminal.
func TestTableGolden(t *testing.T) {
	dsn := tempDSN(t)
	goldenShop(t, dsn)
	tests := []struct {
		name string
		args []string
	}{
		{"products_list", []string{"products", "list"}},
		{"products_list_all_by_stock", []string{"products", "list", "--active", "all", "--sort", "-stock"}},
		{"categories_list", []string{"categories", "list"}},
		{"suppliers_list", []string{"suppliers", "list"}},
		{"sales_list", []string{"sales", "list", "--voided", "all"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRun(t, "", append([]string{"--db", dsn}, tt.args...)...).stdout
			path := filepath.Join("testdata", "golden", tt.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./cli -run TestTableGolden -update writes it)", err)
			}
			if got != string(want) {
				t.Errorf("smartinventory %s differs from %s (go test ./cli -run TestTableGolden -update accepts it):\n--- got\n%s--- want\n%s",
					strings.Join(tt.args, " "), path, got, want)
			}
		})
	}
}
