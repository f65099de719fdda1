package app_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// exportRecords exports kind and parses the CSV.
func exportRecords(t *testing.T, a *app.App, kind string) ([][]string, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := a.Export(ctx, app.System, &buf, kind); err != nil {
		t.Fatalf("export %s: %v", kind, err)
	}
	recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatalf("parse the %s export: %v", kind, err)
	}
	return recs, buf.String()
}

// Issue 12, Medium 7: text that a spreadsheet would run as a formula is
// exported with a leading apostrophe, numbers are not, and the export
// imports back to the same values.
func TestExport_NeutralizesFormulas(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	attacks := []string{`=HYPERLINK("http://evil.example","x")`, "+1+1", "-2", "@SUM(A1)", "'=already quoted", "''+twice"}
	for i, name := range attacks {
		price := db.Money(150)
		if _, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("F-" + string(rune('A'+i))), Name: app.Ptr(name),
			Description: app.Ptr(name), UnitPrice: &price, Stock: app.Ptr(int64(5))}); err != nil {
			t.Fatalf("create product %q: %v", name, err)
		}
	}
	if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{SKU: app.Ptr("F-A"), Quantity: app.Ptr(int64(2)),
		Channel: "-web", Note: "=1+2", ExternalID: app.Ptr("@ext")}); err != nil {
		t.Fatal(err)
	}
	recs, raw := exportRecords(t, a, app.ImportProducts)
	for _, r := range recs[1:] {
		for col, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("products column %s exported as %q: a spreadsheet runs it", recs[0][col], cell)
			}
		}
		if r[6] != "1.50" || (r[7] != "5" && r[7] != "3") {
			t.Errorf("numbers must stay plain: unit_price %q stock %q", r[6], r[7])
		}
	}
	if !strings.Contains(raw, `'=HYPERLINK`) || !strings.Contains(raw, `,'-2,`) || !strings.Contains(raw, `'''+twice`) {
		t.Errorf("the export lacks the apostrophes:\n%s", raw)
	}
	sales, _ := exportRecords(t, a, app.ImportSales)
	if got := sales[1][5] + " " + sales[1][6] + " " + sales[1][7] + " " + sales[1][3]; got != "'-web '=1+2 '@ext 2" {
		t.Errorf("sale channel, note, external id, quantity exported as %q", got)
	}

	// Round trip: importing the export changes nothing, and the names are
	// what they were.
	_, raw = exportRecords(t, a, app.ImportProducts)
	sum := mustImport(t, a, app.ImportProducts, raw, app.ImportOptions{})
	if sum.Updated != 0 || sum.Inserted != 0 {
		t.Errorf("re-importing the products export changed things: %+v", sum)
	}
	_, salesRaw := exportRecords(t, a, app.ImportSales)
	if sum := mustImport(t, a, app.ImportSales, salesRaw, app.ImportOptions{}); sum.Skipped != 1 || sum.Inserted != 0 {
		t.Errorf("re-importing the sales export: %+v, want the sale skipped by its external id @ext", sum)
	}
	fresh := app.New(dbtest.Open(t), app.Options{})
	mustImport(t, fresh, app.ImportProducts, raw, app.ImportOptions{})
	for i, name := range attacks {
		p := productBySKU(t, fresh, "F-"+string(rune('A'+i)))
		if p.Name != name || p.Description != name {
			t.Errorf("round trip of %q gave name %q, description %q", name, p.Name, p.Description)
		}
	}
	mustImport(t, fresh, app.ImportSales, salesRaw, app.ImportOptions{})
	got, _, err := fresh.Sales.List(ctx, app.System, app.SaleFilter{})
	if err != nil || len(got) != 1 || got[0].Channel != "-web" || got[0].Note != "=1+2" || got[0].ExternalID == nil || *got[0].ExternalID != "@ext" {
		t.Fatalf("round trip of the sale: %+v, %v", got, err)
	}

	// In numeric columns "-2" is the number -2 (rejected as a quantity),
	// never text.
	_, err = a.Import(ctx, app.System, app.ImportSales, strings.NewReader("sku,quantity\nF-A,-2\n"), app.ImportOptions{})
	wantCode(t, err, app.EINVALID)
	if !strings.Contains(err.Error(), "quantity: must be greater than 0") {
		t.Errorf("quantity -2: %v, want 'must be greater than 0'", err)
	}
}
