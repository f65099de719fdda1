package app_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// spellings of one SKU: case, full width, zero-width space, byte-order mark.
var dupSpellings = []string{"dup-a", "ＤＵＰ－Ａ", "DUP\u200b-A", "\ufeffDup-A "}

// TestSKUsUniqueAsNames: SKUs differing in case, width or invisible
// characters are one SKU: creating another is a 409 naming the holder, and
// every lookup by SKU (sale, stock, product, CSV import) finds it.
func TestSKUsUniqueAsNames(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "DUP-A", 50)
		for _, sku := range dupSpellings {
			_, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr(sku), Name: app.Ptr("again")})
			wantCode(t, err, app.ECONFLICT)
			if !strings.Contains(err.Error(), `"DUP-A"`) {
				t.Errorf("create %q: %v; want the existing SKU named", sku, err)
			}
		}
		other := newProduct(t, a, "OTHER-1", 1)
		_, err := a.Catalog.UpdateProduct(ctx, app.System, other.ID, app.ProductInput{SKU: app.Ptr("dup-A"), Version: &other.Version}, false)
		wantCode(t, err, app.ECONFLICT)
		for _, sku := range dupSpellings {
			if got, err := a.Catalog.ProductBySKU(ctx, app.System, sku); err != nil || got.ID != p.ID {
				t.Errorf("ProductBySKU(%q) = %v, %v", sku, got, err)
			}
			if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{SKU: app.Ptr(sku), Quantity: app.Ptr[int64](1)}); err != nil {
				t.Errorf("sale by SKU %q: %v", sku, err)
			}
			if _, err := a.Stock.Receive(ctx, app.System, app.ReceiptInput{SKU: app.Ptr(sku), Quantity: app.Ptr[int64](1)}); err != nil {
				t.Errorf("receipt by SKU %q: %v", sku, err)
			}
		}
		if _, err := importCSV(t, a, app.ImportSales, "sku,quantity\ndup-a,1\nＤＵＰ－Ａ,1\n", app.ImportOptions{}); err != nil {
			t.Errorf("import sales by other spellings: %v", err)
		}
		sum, err := importCSV(t, a, app.ImportProducts, "sku,name\ndup-a,Renamed\n", app.ImportOptions{})
		if err != nil || sum.Inserted != 0 || sum.Updated != 1 {
			t.Fatalf("import products: %+v, %v; want the existing product updated", sum, err)
		}
		got, err := a.Catalog.ProductBySKU(ctx, app.System, "DUP-A")
		if err != nil || got.SKU != "DUP-A" || got.Name != "Renamed" {
			t.Fatalf("after import: %+v, %v; want DUP-A renamed, its SKU spelling kept", got, err)
		}
		_, err = importCSV(t, a, app.ImportProducts, "sku,name\nNEW-1,x\nnew-1,y\n", app.ImportOptions{})
		wantCode(t, err, app.EINVALID)
	})
}

// TestConcurrentCreatesOfOneSKU: spellings of one new SKU created at once:
// exactly one is created, the others are conflicts (never a 500).
func TestConcurrentCreatesOfOneSKU(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		spellings := append([]string{"DUP-A"}, dupSpellings...)
		errs := make([]error, len(spellings))
		var wg sync.WaitGroup
		for i, sku := range spellings {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr(sku), Name: app.Ptr("x")})
			}()
		}
		wg.Wait()
		created := 0
		for i, err := range errs {
			switch app.ErrorCode(err) {
			case "":
				created++
			case app.ECONFLICT:
			default:
				t.Errorf("create %q: %v; want success or a conflict", spellings[i], err)
			}
		}
		if created != 1 {
			t.Fatalf("%d of %d spellings created; want 1", created, len(spellings))
		}
	})
}

// TestUsernamesUniqueAsNames: "Alice" and "alice" are one user; signing in
// with either spelling finds them.
func TestUsernamesUniqueAsNames(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		actorWithRole(t, a, "Alice", db.RoleClerk)
		for _, name := range []string{"alice", "ALICE", "ａｌｉｃｅ", "ali\u200bce"} {
			_, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr(name), Role: app.Ptr(db.RoleViewer), Password: app.Ptr("correct horse")})
			wantCode(t, err, app.ECONFLICT)
			if !strings.Contains(err.Error(), `"Alice"`) {
				t.Errorf("create %q: %v; want the existing user named", name, err)
			}
		}
		for _, name := range []string{"alice", "ALICE", "ａｌｉｃｅ"} {
			u, err := a.Users.Authenticate(ctx, name, "correct horse")
			if err != nil || u.Username != "Alice" {
				t.Errorf("sign in as %q: %v, %v", name, u, err)
			}
		}
	})
}
