package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
	"smartinventory/db/migrations"
)

// fillShop gives the database at dsn a row in every table: demo data
// (catalogue, sales, ledger, rollups), then users, a token, a purchase
// order, a setting, a comment, forecasts and a web secret.
func fillShop(t *testing.T, dsn string) {
	t.Helper()
	mustRun(t, "", "--db", dsn, "populate", "--products", "25", "--days", "70", "--seed", "7")
	a, bdb := openAppDB(t, dsn)
	ctx := context.Background()
	if _, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr("clerk"), DisplayName: app.Ptr("Clerk Ñandú"),
		Role: app.Ptr(db.RoleClerk), Password: app.Ptr("correct horse battery")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Users.CreateToken(ctx, app.System, "clerk", "till 1", 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	var p db.Product
	if err := bdb.NewSelect().Model(&p).Where("supplier_id IS NOT NULL").Order("id").Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	po, err := a.Purchasing.CreateOrder(ctx, app.System, app.POInput{SupplierID: p.SupplierID, Note: app.Ptr(`rush "asap" \ thanks`),
		Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr(int64(12)), UnitCost: app.Ptr(db.Money(199))}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Purchasing.Approve(ctx, app.System, po.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Settings.Set(ctx, app.System, app.SettingApprovalThreshold, "1500"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Prices.Plan(ctx, app.System, p.ID, app.PlannedPriceInput{Day: app.Ptr(time.Now().AddDate(0, 1, 0).Format(db.DayLayout)),
		UnitPrice: app.Ptr(db.Money(349)), Note: app.Ptr("new list price")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Comments.Add(ctx, app.System, "product", p.ID, "check the shelf 🧾"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Forecasts.RefreshAll(ctx, app.System, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bdb.ExecContext(ctx, "INSERT INTO web_secrets (name, value, created_at) VALUES (?, ?, ?)",
		"session", "c2VjcmV0", time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)); err != nil {
		t.Fatal(err)
	}
	clerk, err := a.Users.UserByName(ctx, app.System, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sessions.Start(ctx, clerk.ID, 12*time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, tb := range migrations.Tables {
		var n int
		if err := bdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tb.Name).Scan(&n); err != nil || n == 0 {
			t.Fatalf("fillShop left %s empty (%v): the round trip would not cover it", tb.Name, err)
		}
	}
}

// exports returns the CSV exports of every kind of the database at dsn.
func exports(t *testing.T, dsn string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, kind := range app.ImportKinds() {
		out[kind] = mustRun(t, "", "--db", dsn, "export", kind).stdout
	}
	return out
}

// dumps returns every table of the database at dsn as comparable text.
func dumps(t *testing.T, dsn string) map[string][]string {
	t.Helper()
	bdb := dbtest.OpenDSN(t, dsn)
	out := map[string][]string{}
	for _, tb := range migrations.Tables {
		rows, err := db.DumpTable(context.Background(), bdb, tb.Name)
		if err != nil {
			t.Fatal(err)
		}
		out[tb.Name] = rows
	}
	return out
}

func sameDumps(t *testing.T, step string, want, got map[string][]string) {
	t.Helper()
	for _, tb := range migrations.Tables {
		w, g := want[tb.Name], got[tb.Name]
		if slices.Equal(w, g) {
			continue
		}
		for i := range max(len(w), len(g)) {
			var a, b string
			if i < len(w) {
				a = w[i]
			}
			if i < len(g) {
				b = g[i]
			}
			if a != b {
				t.Errorf("%s: table %s differs (%d rows, %d rows), first at row %d:\n want %s\n got  %s", step, tb.Name, len(w), len(g), i, a, b)
				break
			}
		}
	}
}

// TestCopyRoundTrip: a shop copied SQLite → PostgreSQL → MySQL → SQLite
// keeps every row of every table, exports the same CSVs at each step,
// passes check, and takes new rows without id collisions.
func TestCopyRoundTrip(t *testing.T) {
	pg, my := os.Getenv(dbtest.PostgresEnv), os.Getenv(dbtest.MySQLEnv)
	if pg == "" || my == "" {
		t.Skipf("copy round trip skipped: set %s and %s", dbtest.PostgresEnv, dbtest.MySQLEnv)
	}
	first := tempDSN(t)
	fillShop(t, first)
	wantCSV, wantRows := exports(t, first), dumps(t, first)
	chain := []string{first, dbtest.PostgresDSN(t), dbtest.MySQLDSN(t), "sqlite:" + filepath.Join(t.TempDir(), "back.db")}
	for i := 1; i < len(chain); i++ {
		from, to := chain[i-1], chain[i]
		kind, _, _ := db.ParseDSN(to)
		step := string(kind)
		r := mustRun(t, "", "copy", "--from", from, "--to", to)
		if !strings.Contains(r.stdout, "check: ok") {
			t.Fatalf("%s: copy output %q", step, r.stdout)
		}
		mustRun(t, "", "--db", to, "check")
		got := exports(t, to)
		for _, kind := range app.ImportKinds() {
			if got[kind] != wantCSV[kind] {
				t.Errorf("%s: export %s differs:\n%s\nwant\n%s", step, kind, firstLines(got[kind]), firstLines(wantCSV[kind]))
			}
		}
		sameDumps(t, step, wantRows, dumps(t, to))
	}
	// New rows get fresh ids on every target (counters moved past the copy).
	for _, dsn := range chain[1:] {
		mustRun(t, "", "--db", dsn, "products", "create", "--sku", "NEW-1", "--name", "New", "--stock", "3")
		a := openApp(t, dsn)
		if _, err := a.Sales.Record(context.Background(), app.System, app.SaleInput{SKU: app.Ptr("NEW-1"), Quantity: app.Ptr(int64(1))}); err != nil {
			t.Errorf("%s: a new sale after the copy: %v", dsn, err)
		}
	}
}

// firstLines shortens a CSV for a failure message.
func firstLines(s string) string {
	lines := strings.SplitN(s, "\n", 4)
	return strings.Join(lines[:min(3, len(lines))], "\n")
}

// TestCopyRefusesNonEmptyTarget: a target with data is refused (exit 3,
// nothing changed) unless --force, which replaces its data; a failed copy
// leaves the target as it was. Runs on each database as the target.
func TestCopyRefusesNonEmptyTarget(t *testing.T) {
	src := tempDSN(t)
	mustRun(t, "", "--db", src, "populate", "--products", "6", "--days", "20")
	dbtest.EachDSN(t, func(t *testing.T, dst string) {
		mustRun(t, "", "--db", dst, "products", "create", "--sku", "MINE-1", "--name", "Mine")
		r := runCLI(t, "", "copy", "--from", src, "--to", dst)
		if r.code != 3 || !strings.Contains(r.stderr, "not empty") || !strings.Contains(r.stderr, "--force") {
			t.Fatalf("copy into a non-empty target: exit %d, stderr %q; want 3 naming --force", r.code, r.stderr)
		}
		if out := mustRun(t, "", "--db", dst, "export", "products").stdout; !strings.Contains(out, "MINE-1") {
			t.Fatalf("refused copy changed the target: %s", out)
		}
		mustRun(t, "", "copy", "--from", src, "--to", dst, "--force")
		if a, b := exports(t, src), exports(t, dst); a["products"] != b["products"] || a["sales"] != b["sales"] {
			t.Errorf("after --force the target's exports differ from the source's")
		}
		mustRun(t, "", "--db", dst, "check")
	})
}

// TestCopyIsAllOrNothing: a copy that fails midway (here: a source that
// fails check) writes nothing.
func TestCopyIsAllOrNothing(t *testing.T) {
	src := tempDSN(t)
	mustRun(t, "", "--db", src, "populate", "--products", "4", "--days", "15")
	bdb := dbtest.OpenDSN(t, src)
	if _, err := bdb.ExecContext(context.Background(), "UPDATE products SET stock = stock + 1 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	dst := tempDSN(t)
	r := runCLI(t, "", "copy", "--from", src, "--to", dst)
	if r.code == 0 || !strings.Contains(r.stderr, "fails check") {
		t.Fatalf("copy of a source that fails check: exit %d, %q", r.code, r.stderr)
	}
	check := dbtest.OpenDSN(t, dst)
	var n int
	if err := check.NewSelect().Model((*db.Product)(nil)).ColumnExpr("COUNT(*)").Scan(context.Background(), &n); err != nil || n != 0 {
		t.Fatalf("target holds %d products (%v) after a failed copy; want none", n, err)
	}
}
