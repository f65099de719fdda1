package app_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// blockedImport starts an import of kind whose file stops after head
// until release is called; it returns once the importer has worked
// through head (its first batch was handled), i.e. while it sits in its
// transaction waiting for more of the file.
type blockedImport struct {
	pw   *io.PipeWriter
	done chan error
	sum  *app.ImportSummary
}

func startBlockedImport(t *testing.T, a *app.App, kind, head string, dry bool) *blockedImport {
	t.Helper()
	pr, pw := io.Pipe()
	progressed := make(chan struct{}, 1)
	b := &blockedImport{pw: pw, done: make(chan error, 1)}
	go func() {
		sum, err := a.Import(ctx, app.System, kind, pr, app.ImportOptions{DryRun: dry, Progress: func(lines, _ int64) {
			if lines > 0 {
				select {
				case progressed <- struct{}{}:
				default:
				}
			}
		}})
		b.sum = sum
		b.done <- err
	}()
	if _, err := io.WriteString(pw, head); err != nil {
		t.Fatal(err)
	}
	select {
	case <-progressed:
	case err := <-b.done:
		t.Fatalf("import ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the import did not get through its first batch")
	}
	t.Cleanup(func() { _ = pw.CloseWithError(io.ErrUnexpectedEOF) })
	return b
}

// finish sends the rest of the file and waits for the import.
func (b *blockedImport) finish(t *testing.T, rest string) (*app.ImportSummary, error) {
	t.Helper()
	if _, err := io.WriteString(b.pw, rest); err != nil {
		t.Fatal(err)
	}
	_ = b.pw.Close()
	err := <-b.done
	return b.sum, err
}

// salesLines returns n sales lines of sku (a batch is 2000 lines; the
// importer peeks at the first 64 kB before it starts).
func salesLines(sku string, from, n int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "%s,1,ext-%d\n", sku, from+i)
	}
	return sb.String()
}

// Issue 12, Medium 5: a dry run of a large sales import must not hold the
// writer (SQLite) or lock products (PostgreSQL): a sale recorded while it
// runs goes through, and the dry run still reports what it would do.
func TestImport_DryRunDoesNotBlockWriters(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		newProduct(t, a, "DRY-1", 1_000_000)
		clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
		imp := startBlockedImport(t, a, app.ImportSales, "sku,quantity,external_id\n"+salesLines("DRY-1", 0, 6000), true)

		rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if _, err := a.Sales.Record(rctx, clerk, app.SaleInput{SKU: app.Ptr("DRY-1"), Quantity: app.Ptr(int64(3))}); err != nil {
			t.Fatalf("a sale while a dry run is in progress: %v", err)
		}
		sum, err := imp.finish(t, salesLines("DRY-1", 6000, 500)+"DRY-1,1,ext-7\n")
		if err != nil {
			t.Fatalf("dry run: %v", err)
		}
		if sum.Inserted != 6500 || sum.Skipped != 1 || sum.Written || !sum.DryRun {
			t.Errorf("dry run summary %+v, want 6500 inserted, 1 skipped (ext-7 repeats), nothing written", sum)
		}
		var sales int
		if err := bdb.NewSelect().Model((*db.Sale)(nil)).ColumnExpr("COUNT(*)").Scan(ctx, &sales); err != nil {
			t.Fatal(err)
		}
		if sales != 1 {
			t.Errorf("%d sales in the database, want only the one recorded", sales)
		}
	})
}

// A dry run reports exactly what the real import then does, for every
// kind, including the categories and suppliers a products file creates.
func TestImport_DryRunMatchesImport(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		mustImport(t, a, app.ImportCategories, "name\nTools\n", app.ImportOptions{})
		mustImport(t, a, app.ImportSuppliers, "name\nAcme\n", app.ImportOptions{})
		mustImport(t, a, app.ImportProducts, "sku,name,stock,unit_price\nOLD,Old,10,1\n", app.ImportOptions{})
		files := []struct{ kind, body string }{
			{app.ImportCategories, "name,description\nTools,Hand tools\nGarden,\nGarden2,x\n"},
			{app.ImportSuppliers, "name,lead_time_days\nAcme,3\nNewco,5\n"},
			{app.ImportProducts, "sku,name,category,supplier,unit_price,stock\nOLD,Old renamed,Tools,Acme,2,\nN1,New,Pots,Acme,3,4\nN2,New 2,Pots,Zed,3,0\n"},
			{app.ImportSales, "sku,quantity,external_id\nOLD,4,a\nOLD,4,b\nOLD,1,a\nN1,4,\n"},
		}
		for _, f := range files {
			dry := mustImport(t, a, f.kind, f.body, app.ImportOptions{DryRun: true})
			real := mustImport(t, a, f.kind, f.body, app.ImportOptions{})
			dry.DryRun, dry.Written, dry.Seconds, real.Seconds = false, true, 0, 0
			if fmt.Sprintf("%+v", *dry) != fmt.Sprintf("%+v", *real) {
				t.Errorf("%s: dry run %+v, import %+v", f.kind, *dry, *real)
			}
		}
		// A dry run that would oversell says so, like the import.
		_, err := a.Import(ctx, app.System, app.ImportSales, strings.NewReader("sku,quantity\nOLD,1\nOLD,5\n"), app.ImportOptions{DryRun: true})
		wantCode(t, err, app.EINVALID)
	})
}
