package app_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// importCSV runs an import as the system actor.
func importCSV(t *testing.T, a *app.App, kind, body string, opt app.ImportOptions) (*app.ImportSummary, error) {
	t.Helper()
	return a.Import(ctx, app.System, kind, strings.NewReader(body), opt)
}

// mustImport imports and fails the test on any error.
func mustImport(t *testing.T, a *app.App, kind, body string, opt app.ImportOptions) *app.ImportSummary {
	t.Helper()
	sum, err := importCSV(t, a, kind, body, opt)
	if err != nil {
		t.Fatalf("import %s: %v (errors %v)", kind, err, sum)
	}
	return sum
}

func checkDB(t *testing.T, bdb *bun.DB) *db.CheckReport {
	t.Helper()
	rep, err := db.Check(ctx, bdb)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if !rep.OK() {
		t.Fatalf("check found mismatches: %+v", rep.Mismatches)
	}
	return rep
}

func count(t *testing.T, bdb *bun.DB, table string) int {
	t.Helper()
	var n int
	if err := bdb.NewRaw("SELECT COUNT(*) FROM "+table).Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// salesFile builds a sales CSV of n lines over products P0..P(k-1), each
// with an external id, and puts bad values on the given lines (file line
// numbers; the header is line 1).
func salesFile(n, k int, bad map[int]string) string {
	var b strings.Builder
	b.WriteString("external_id,sku,quantity,unit_price,sold_at,channel\n")
	for i := range n {
		line := i + 2
		qty := "1"
		sku := fmt.Sprintf("P%d", i%k)
		soldAt := fmt.Sprintf("2026-01-%02d 10:%02d:00", 1+i%28, i%60)
		switch bad[line] {
		case "quantity":
			qty = "0"
		case "sku":
			sku = "NOPE"
		case "sold_at":
			soldAt = "yesterday"
		}
		fmt.Fprintf(&b, "ext-%d,%s,%s,2.50,%s,store\n", i, sku, qty, soldAt)
	}
	return b.String()
}

// TestImportSalesAcceptance is the acceptance test: a 10,000-line file
// with three bad lines reports exactly those three and writes nothing; the
// fixed file imports; importing it again adds nothing.
func TestImportSalesAcceptance(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
		for i := range 20 {
			newProduct(t, a, fmt.Sprintf("P%d", i), 1000)
		}
		bad := map[int]string{17: "quantity", 5001: "sku", 9999: "sold_at"}
		want := []app.ImportError{
			{Line: 17, Column: "quantity", Message: "must be greater than 0"},
			{Line: 5001, Column: "sku", Message: `no product with SKU "NOPE"`},
			{Line: 9999, Column: "sold_at", Message: `must be a time like 2026-03-01 14:30:00 or 2026-03-01T14:30:00Z, got "yesterday"`},
		}
		sum, err := a.Import(ctx, clerk, app.ImportSales, strings.NewReader(salesFile(10_000, 20, bad)), app.ImportOptions{})
		wantCode(t, err, app.EINVALID)
		if sum.ErrorCount != 3 || fmt.Sprint(sum.Errors) != fmt.Sprint(want) {
			t.Fatalf("errors = %d %v, want %v", sum.ErrorCount, sum.Errors, want)
		}
		if sum.Lines != 10_000 || sum.Written {
			t.Errorf("lines %d written %v, want 10000 false", sum.Lines, sum.Written)
		}
		if n := count(t, bdb, "sales"); n != 0 {
			t.Fatalf("%d sales written by a rejected import", n)
		}
		e, _ := app.AsError(err)
		if len(e.Fields) != 3 || *e.Fields[0].Index != 17 || e.Fields[0].Field != "quantity" {
			t.Errorf("error fields = %+v", e.Fields)
		}

		fixed := salesFile(10_000, 20, nil)
		sum, err = a.Import(ctx, clerk, app.ImportSales, strings.NewReader(fixed), app.ImportOptions{})
		if err != nil {
			t.Fatalf("fixed file: %v", err)
		}
		if sum.Inserted != 10_000 || sum.Skipped != 0 || !sum.Written {
			t.Errorf("fixed file summary = %+v", sum)
		}
		rep := checkDB(t, bdb)
		if rep.Sales != 10_000 {
			t.Errorf("sales = %d", rep.Sales)
		}
		p, err := a.Catalog.ProductBySKU(ctx, app.System, "P3")
		if err != nil {
			t.Fatal(err)
		}
		if p.Stock != 500 || daily(t, bdb, p.ID) != 500 {
			t.Errorf("P3 stock %d daily %d, want 500 500", p.Stock, daily(t, bdb, p.ID))
		}

		sum, err = a.Import(ctx, clerk, app.ImportSales, strings.NewReader(fixed), app.ImportOptions{})
		if err != nil {
			t.Fatalf("second import: %v", err)
		}
		if sum.Inserted != 0 || sum.Skipped != 10_000 {
			t.Errorf("second import summary = %+v, want all skipped", sum)
		}
		if n := count(t, bdb, "sales"); n != 10_000 {
			t.Errorf("sales after re-import = %d", n)
		}
		checkDB(t, bdb)
	})
}

// TestImportSalesStockAndBalances checks the per-line stock rule, the
// balances in file order and duplicates inside one file.
func TestImportSalesStockAndBalances(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "A", 5)
		newProduct(t, a, "B", 1)
		if _, err := a.Catalog.UpdateProduct(ctx, app.System, newProduct(t, a, "OFF", 3).ID,
			app.ProductInput{Active: app.Ptr(false), Version: app.Ptr(int64(1))}, false); err != nil {
			t.Fatal(err)
		}
		file := "sku,quantity,external_id\nA,2,x1\nA,2,x2\nA,2,x3\nB,1,\nOFF,1,\n"
		sum, err := importCSV(t, a, app.ImportSales, file, app.ImportOptions{})
		wantCode(t, err, app.EINVALID)
		want := "[line 4, column quantity: insufficient stock for A: 2 requested, 1 on hand line 6, column sku: product OFF is inactive]"
		var got []string
		for _, e := range sum.Errors {
			got = append(got, e.String())
		}
		if "["+strings.Join(got, " ")+"]" != want {
			t.Fatalf("errors = %v, want %s", got, want)
		}
		// Dry run of a good file: counts but writes nothing.
		good := "sku;quantity;external_id\nA;2;x1\nA;3;x2\nA;1;x1\n"
		sum = mustImport(t, a, app.ImportSales, good, app.ImportOptions{DryRun: true})
		if sum.Inserted != 2 || sum.Skipped != 1 || sum.Written {
			t.Errorf("dry run = %+v", sum)
		}
		if n := count(t, bdb, "sales"); n != 0 {
			t.Fatalf("dry run wrote %d sales", n)
		}
		mustImport(t, a, app.ImportSales, good, app.ImportOptions{})
		var bal []int64
		if err := bdb.NewSelect().Model((*db.StockMovement)(nil)).Column("balance").
			Where("product_id = ?", p.ID).Order("id").Scan(ctx, &bal); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(bal) != "[5 3 0]" {
			t.Errorf("balances = %v, want [5 3 0]", bal)
		}
		checkDB(t, bdb)
	})
}

// TestImportFormats covers BOM, separators, decimal comma, quoted fields
// with newlines and header spelling.
func TestImportFormats(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		opt     app.ImportOptions
		wantErr string // first error, "" for success
		check   func(t *testing.T, a *app.App)
	}{
		{name: "bom and comma",
			body: "\ufeffSKU,Name,Unit Price\nX1,Widget,12.50\n",
			check: func(t *testing.T, a *app.App) {
				p := productBySKU(t, a, "X1")
				if p.Name != "Widget" || p.UnitPrice != 1250 {
					t.Errorf("product = %+v", p)
				}
			}},
		{name: "semicolon and decimal comma",
			body: "sku;name;unit_price;unit_cost;service_level\nX2;Gadget;3,99;1,5;0,95\n",
			opt:  app.ImportOptions{DecimalComma: true},
			check: func(t *testing.T, a *app.App) {
				p := productBySKU(t, a, "X2")
				if p.UnitPrice != 399 || p.UnitCost != 150 || p.ServiceLevel == nil || *p.ServiceLevel != 0.95 {
					t.Errorf("product = %+v", p)
				}
			}},
		{name: "decimal comma without the option",
			body:    "sku;name;unit_price\nX3;Gadget;3,99\n",
			wantErr: `line 2, column unit_price: must be an amount like 12.50, got "3,99" (use the decimal comma option for 12,50)`},
		{name: "quoted fields with newlines and quotes",
			body: "sku,name,description,category\nX4,\"Salt, \"\"fine\"\"\",\"line one\nline two\",Spices\nX5,Pepper,,Spices\n",
			check: func(t *testing.T, a *app.App) {
				p := productBySKU(t, a, "X4")
				if p.Name != `Salt, "fine"` || p.Description != "line one\nline two" || p.CategoryID == nil {
					t.Errorf("product = %+v", p)
				}
				q := productBySKU(t, a, "X5")
				if q.CategoryID == nil || *q.CategoryID != *p.CategoryID {
					t.Errorf("X5 category %v, X4 %v", q.CategoryID, p.CategoryID)
				}
			}},
		{name: "line numbers after a multi-line field",
			body:    "sku,name,description,pack_size\nX6,A,\"one\ntwo\nthree\",1\nX7,B,,0\n",
			wantErr: "line 5, column pack_size: must be between 1 and 1000000"},
		{name: "unknown column",
			body:    "sku,name,colour\nX8,A,red\n",
			wantErr: "line 1, column colour: unknown column; accepted: sku, name, description, category, supplier, unit_cost, unit_price, stock, pack_size, min_order_qty, lead_time_days, service_level, reorder_point, active"},
		{name: "missing required column",
			body:    "name\nA\n",
			wantErr: "line 1, column sku: required column is missing"},
		{name: "new product needs a name",
			body:    "sku,unit_price\nX9,1\n",
			wantErr: "line 2, column name: is required for a new product"},
		{name: "duplicate sku",
			body:    "sku,name\nX10,A\nX10,B\n",
			wantErr: `line 3, column sku: "X10" appears again (first on line 2)`},
		{name: "empty file",
			body:    "",
			wantErr: "line 1: the file is empty; it needs a header line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := app.New(dbtest.Open(t), app.Options{})
			sum, err := importCSV(t, a, app.ImportProducts, tt.body, tt.opt)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("import: %v %+v", err, sum.Errors)
				}
				tt.check(t, a)
				return
			}
			wantCode(t, err, app.EINVALID)
			if len(sum.Errors) == 0 || sum.Errors[0].String() != tt.wantErr {
				t.Fatalf("errors = %v, want first %q", sum.Errors, tt.wantErr)
			}
			if n := count(t, app.DBOf(a), "products"); n != 0 {
				t.Errorf("%d products written by a rejected import", n)
			}
		})
	}
}

func productBySKU(t *testing.T, a *app.App, sku string) *db.Product {
	t.Helper()
	p, err := a.Catalog.ProductBySKU(ctx, app.System, sku)
	if err != nil {
		t.Fatalf("product %s: %v", sku, err)
	}
	return p
}

// TestImportCatalogueUpsert imports suppliers, categories and products,
// re-imports them changed and unchanged, and round-trips through Export.
func TestImportCatalogueUpsert(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		sum := mustImport(t, a, app.ImportSuppliers, "name,email,lead_time_days\nAcme,orders@acme.test,5\nBolt,,\n", app.ImportOptions{})
		if sum.Inserted != 2 {
			t.Errorf("suppliers = %+v", sum)
		}
		sum = mustImport(t, a, app.ImportSuppliers, "name,lead_time_days\nAcme,9\nBolt,\n", app.ImportOptions{})
		if sum.Updated != 1 || sum.Skipped != 1 {
			t.Errorf("supplier upsert = %+v", sum)
		}
		_, err := importCSV(t, a, app.ImportSuppliers, "name,email\nCog,not-an-email\n", app.ImportOptions{})
		wantCode(t, err, app.EINVALID)
		wantField(t, err, "email")

		mustImport(t, a, app.ImportCategories, "name,description\nTools,Hand tools\n", app.ImportOptions{})
		file := "sku,name,category,supplier,unit_price,stock\nT1,Hammer,Tools,Acme,10,4\nT2,Saw,Garden,Newco,20,0\n"
		sum = mustImport(t, a, app.ImportProducts, file, app.ImportOptions{})
		if sum.Inserted != 2 || sum.CreatedCategories != 1 || sum.CreatedSuppliers != 1 {
			t.Errorf("products = %+v", sum)
		}
		sum = mustImport(t, a, app.ImportProducts, "sku,unit_price,stock\nT1,11,99\nT2,20,\n", app.ImportOptions{})
		if sum.Updated != 1 || sum.Skipped != 1 {
			t.Errorf("product upsert = %+v", sum)
		}
		p := productBySKU(t, a, "T1")
		if p.UnitPrice != 1100 || p.Stock != 4 || p.Version != 2 {
			t.Errorf("T1 = price %v stock %d version %d; stock must not change on update", p.UnitPrice, p.Stock, p.Version)
		}
		checkDB(t, bdb)

		for _, kind := range app.ImportKinds() {
			var buf bytes.Buffer
			if err := a.Export(ctx, app.System, &buf, kind); err != nil {
				t.Fatalf("export %s: %v", kind, err)
			}
			sum := mustImport(t, a, kind, buf.String(), app.ImportOptions{DryRun: true})
			if kind != app.ImportSales && (sum.Inserted != 0 || sum.Updated != 0) {
				t.Errorf("re-importing the %s export changes things: %+v\n%s", kind, sum, buf.String())
			}
		}
	})
}

// TestImportRoles checks the roles of the services.
func TestImportRoles(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
	viewer := actorWithRole(t, a, "viewer", db.RoleViewer)
	_, err := a.Import(ctx, clerk, app.ImportProducts, strings.NewReader("sku,name\nA,B\n"), app.ImportOptions{})
	wantCode(t, err, app.EFORBIDDEN)
	_, err = a.Import(ctx, viewer, app.ImportSales, strings.NewReader("sku,quantity\n"), app.ImportOptions{})
	wantCode(t, err, app.EFORBIDDEN)
	if err := a.Export(ctx, viewer, &bytes.Buffer{}, app.ImportSales); err != nil {
		t.Errorf("viewer export: %v", err)
	}
	_, err = a.Import(ctx, clerk, "widgets", strings.NewReader(""), app.ImportOptions{})
	wantCode(t, err, app.EINVALID)
}

// TestImportErrorCap lists at most MaxErrors errors but counts them all.
func TestImportErrorCap(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	var b strings.Builder
	b.WriteString("sku,quantity\n")
	for range 50 {
		b.WriteString("X,-1\n")
	}
	sum, err := importCSV(t, a, app.ImportSales, b.String(), app.ImportOptions{MaxErrors: 10})
	wantCode(t, err, app.EINVALID)
	if sum.ErrorCount != 50 || len(sum.Errors) != 10 || sum.Errors[9].Line != 11 {
		t.Errorf("count %d listed %d last %+v", sum.ErrorCount, len(sum.Errors), sum.Errors[len(sum.Errors)-1])
	}
}

// TestImportTextLimits: CSV import refuses over-long text with the limits
// of the services, naming the column.
func TestImportTextLimits(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	newProduct(t, a, "L-1", 10)
	long := strings.Repeat("ü", app.MaxNoteLength+1)
	sum, err := importCSV(t, a, app.ImportSales, "sku,quantity,note\nL-1,1,"+long+"\n", app.ImportOptions{})
	wantCode(t, err, app.EINVALID)
	wantField(t, err, "note")
	if sum.ErrorCount != 1 || sum.Errors[0].Message != fmt.Sprintf("must be at most %d characters", app.MaxNoteLength) {
		t.Fatalf("errors %+v", sum.Errors)
	}
	long = strings.Repeat("d", app.MaxDescriptionLength+1)
	_, err = importCSV(t, a, app.ImportProducts, "sku,name,description\nL-2,Two,"+long+"\n", app.ImportOptions{})
	wantCode(t, err, app.EINVALID)
	wantField(t, err, "description")
}
