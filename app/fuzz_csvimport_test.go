package app_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// importFingerprint summarises every table a CSV import can write, so that
// an import that fails can be checked to have written nothing.
type importFingerprint struct {
	Products   int64 `bun:"products"`
	Versions   int64 `bun:"versions"`
	Stock      int64 `bun:"stock"`
	Categories int64 `bun:"categories"`
	Suppliers  int64 `bun:"suppliers"`
	Sales      int64 `bun:"sales"`
	Movements  int64 `bun:"movements"`
	Daily      int64 `bun:"daily"`
	Units      int64 `bun:"units"`
}

// FuzzImportCSV imports arbitrary CSV text of every kind, with and without
// --decimal-comma and --dry-run: Import never panics or hangs; a failed
// import or a dry run leaves the database exactly as it was (all or
// nothing); a summary never claims more rows than lines were read; and
// after every import the stock ledger and sales rollup still pass
// db.Check.
func FuzzImportCSV(f *testing.F) {
	for _, seed := range []struct {
		kind   uint8
		body   string
		comma  bool
		dryRun bool
	}{
		{3, "sku,quantity,unit_price,sold_at,channel,note,external_id\nF-1,2,1.50,2025-01-02,web,,e1\nF-1,1,,2025-01-02 10:00,,,\n", false, false},
		{3, "sku;quantity;unit_price\nF-1;1;1,5\n", true, false},
		{3, "sku,quantity\nF-1,0\nF-1,-1\nNOPE,1\n", false, false},
		{3, "sku,quantity\nF-1,1\nF-1,99999999999\n", false, false},
		{3, "\ufeffSKU, Quantity ,Sold-At\n\"F-1\",\"3\",\"2025-02-30\"\n", false, true},
		{0, "sku,name,category,supplier,unit_cost,unit_price,stock,pack_size,active\nN-1,New,Cat,Sup,1,2.5,10,6,yes\nF-1,Renamed,,,,,,,\n", false, false},
		{0, "sku,name,service_level,lead_time_days\nN-2,\"Multi\nline\",0.95,400\n", false, false},
		{0, "sku,sku\nA,A\n", false, false},
		{1, "name,contact_name,email,phone,lead_time_days,notes\nACME,Al,al@example.com,+1,7,\"a \"\"quoted\"\" note\"\n", false, false},
		{2, "name,description\nDrinks,Cold\nDrinks,Again\n", false, false},
		{2, "", false, false},
	} {
		f.Add(seed.kind, seed.body, seed.comma, seed.dryRun)
	}
	bdb := dbtest.Open(f)
	a := app.New(bdb, app.Options{})
	stock := int64(1_000_000)
	price := db.Money(200)
	if _, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{
		SKU: app.Ptr("F-1"), Name: app.Ptr("Fuzz"), UnitPrice: &price, Stock: &stock}); err != nil {
		f.Fatal(err)
	}
	kinds := app.ImportKinds()
	fingerprint := func(t *testing.T) importFingerprint {
		var fp importFingerprint
		err := bdb.NewRaw(`SELECT
			(SELECT COUNT(*) FROM products) AS products,
			(SELECT COALESCE(SUM(version), 0) FROM products) AS versions,
			(SELECT COALESCE(SUM(stock), 0) FROM products) AS stock,
			(SELECT COUNT(*) FROM categories) AS categories,
			(SELECT COUNT(*) FROM suppliers) AS suppliers,
			(SELECT COUNT(*) FROM sales) AS sales,
			(SELECT COUNT(*) FROM stock_movements) AS movements,
			(SELECT COUNT(*) FROM daily_sales) AS daily,
			(SELECT COALESCE(SUM(units), 0) FROM daily_sales) AS units`).Scan(ctx, &fp)
		if err != nil {
			t.Fatalf("fingerprint: %v", err)
		}
		return fp
	}
	f.Fuzz(func(t *testing.T, kindIndex uint8, body string, decimalComma, dryRun bool) {
		kind := kinds[int(kindIndex)%len(kinds)]
		before := fingerprint(t)
		type result struct {
			sum *app.ImportSummary
			err error
		}
		done := make(chan result, 1)
		go func() {
			sum, err := a.Import(ctx, app.System, kind, strings.NewReader(body),
				app.ImportOptions{DecimalComma: decimalComma, DryRun: dryRun})
			done <- result{sum, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("import %s of %q: no result within 10 s", kind, body)
		}
		after := fingerprint(t)
		if r.err != nil || dryRun {
			var ae *app.Error
			if r.err != nil && !errors.As(r.err, &ae) {
				t.Fatalf("import %s of %q: unexpected error type %T: %v", kind, body, r.err, r.err)
			}
			if after != before {
				t.Fatalf("import %s of %q (dry run %v) failed with %v but changed the database:\nbefore %+v\nafter  %+v",
					kind, body, dryRun, r.err, before, after)
			}
			if r.sum != nil && r.sum.Written {
				t.Fatalf("import %s of %q: Written with error %v / dry run %v", kind, body, r.err, dryRun)
			}
		}
		if r.sum != nil && r.sum.Inserted+r.sum.Updated+r.sum.Skipped > r.sum.Lines {
			t.Fatalf("import %s of %q: summary %+v counts more rows than lines", kind, body, r.sum)
		}
		if rep, err := db.Check(ctx, bdb); err != nil || !rep.OK() {
			t.Fatalf("import %s of %q: check %v, %+v", kind, body, err, rep)
		}
	})
}
