package seed_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/dbtest"
	"smartinventory/db/seed"
)

var testEnd = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

func generate(t *testing.T, bdb *bun.DB, opt seed.Options) *seed.Summary {
	t.Helper()
	sum, err := seed.Generate(context.Background(), bdb, opt, nil)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opt, err)
	}
	return sum
}

func count(t *testing.T, idb bun.IDB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := idb.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestGenerate(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		schemaBefore := schemaObjects(t, bdb)
		var calls [][2]int
		opt := seed.Options{Products: 45, Days: 400, EndDate: testEnd, Seed: 3}
		sum, err := seed.Generate(ctx, bdb, opt, func(done, total int) { calls = append(calls, [2]int{done, total}) })
		if err != nil {
			t.Fatal(err)
		}

		// The bulk load dropped and rebuilt indexes and foreign keys: all back.
		if after := schemaObjects(t, bdb); !slices.Equal(after, schemaBefore) {
			t.Errorf("indexes and constraints changed:\nbefore %q\nafter  %q", schemaBefore, after)
		}

		rep, err := db.Check(ctx, bdb)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() {
			t.Fatalf("generated data fails the check: %d mismatches, first %+v", rep.Total, rep.Mismatches[0])
		}

		// The summary matches the tables.
		for _, c := range []struct {
			what  string
			query string
			want  int64
		}{
			{"products", "SELECT COUNT(*) FROM products", int64(sum.Products)},
			{"sales", "SELECT COUNT(*) FROM sales", int64(sum.Sales)},
			{"movements", "SELECT COUNT(*) FROM stock_movements", int64(sum.Movements)},
			{"daily rows", "SELECT COUNT(*) FROM daily_sales", int64(sum.DailyRows)},
			{"units", "SELECT COALESCE(SUM(quantity), 0) FROM sales", sum.Units},
			{"revenue", "SELECT COALESCE(SUM(revenue), 0) FROM daily_sales", int64(sum.Revenue)},
			{"categories", "SELECT COUNT(*) FROM categories", 8},
			{"suppliers", "SELECT COUNT(*) FROM suppliers", 20},
		} {
			if got := count(t, bdb, c.query); got != c.want {
				t.Errorf("%s: table has %d, want %d", c.what, got, c.want)
			}
		}
		if sum.Products != 45 || sum.FirstDay != "2025-05-27" || sum.LastDay != "2026-06-30" {
			t.Errorf("summary %d products, %s..%s; want 45, 2025-05-27..2026-06-30", sum.Products, sum.FirstDay, sum.LastDay)
		}
		if len(calls) == 0 || calls[0] != [2]int{0, 45} || calls[len(calls)-1] != [2]int{45, 45} {
			t.Errorf("progress calls %v: want from [0 45] to [45 45]", calls)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i][0] < calls[i-1][0] {
				t.Errorf("progress went backwards: %v", calls)
			}
		}

		// Every sale has exactly one sale movement of the same product and
		// quantity, and the ledger never goes negative.
		for _, c := range []struct {
			what  string
			query string
		}{
			{"sale movements not matching their sale", `SELECT COUNT(*) FROM stock_movements m LEFT JOIN sales s ON s.id = m.sale_id
				WHERE m.kind = 'sale' AND (s.id IS NULL OR s.product_id <> m.product_id OR s.quantity <> -m.delta)`},
			{"sales without a sale movement", `SELECT COUNT(*) FROM sales s WHERE NOT EXISTS
				(SELECT 1 FROM stock_movements m WHERE m.sale_id = s.id AND m.kind = 'sale')`},
			{"negative balances", "SELECT COUNT(*) FROM stock_movements WHERE balance < 0"},
			{"products without an initial movement", `SELECT COUNT(*) FROM products p WHERE NOT EXISTS
				(SELECT 1 FROM stock_movements m WHERE m.product_id = p.id AND m.kind = 'initial')`},
			{"sales at night (outside 08:00-21:00 UTC)", "SELECT COUNT(*) FROM sales WHERE sold_at < ? OR sold_at > ?"},
			{"invalid pack size / MOQ", "SELECT COUNT(*) FROM products WHERE pack_size < 1 OR min_order_qty < pack_size OR min_order_qty % pack_size <> 0"},
			{"price not above cost", "SELECT COUNT(*) FROM products WHERE unit_price <= unit_cost"},
			{"suppliers with lead time outside 2-21 days", "SELECT COUNT(*) FROM suppliers WHERE lead_time_days < 2 OR lead_time_days > 21"},
		} {
			args := []any{}
			if c.what == "sales at night (outside 08:00-21:00 UTC)" {
				args = []any{time.Date(2025, 5, 27, 8, 0, 0, 0, time.UTC), time.Date(2026, 6, 30, 21, 0, 0, 0, time.UTC)}
			}
			if n := count(t, bdb, c.query, args...); n != 0 {
				t.Errorf("%s: %d", c.what, n)
			}
		}
		if db.IsMySQL(bdb) {
			// The load ran without foreign key checks: no row may point nowhere.
			for _, q := range []string{
				"SELECT COUNT(*) FROM sales s LEFT JOIN products p ON p.id = s.product_id WHERE p.id IS NULL",
				"SELECT COUNT(*) FROM stock_movements m LEFT JOIN products p ON p.id = m.product_id WHERE p.id IS NULL",
				"SELECT COUNT(*) FROM stock_movements m LEFT JOIN sales s ON s.id = m.sale_id WHERE m.sale_id IS NOT NULL AND s.id IS NULL",
				"SELECT COUNT(*) FROM daily_sales d LEFT JOIN products p ON p.id = d.product_id WHERE p.id IS NULL",
			} {
				if n := count(t, bdb, q); n != 0 {
					t.Errorf("%s: %d", q, n)
				}
			}
		}
		if db.IsSQLite(bdb) {
			rows, err := bdb.QueryContext(ctx, "PRAGMA foreign_key_check")
			if err != nil {
				t.Fatal(err)
			}
			if rows.Next() {
				t.Errorf("PRAGMA foreign_key_check reports violations")
			}
			_ = rows.Close()
		}

		// The history has what forecasting and the dashboards need to show.
		for _, c := range []struct {
			what  string
			query string
			min   int64
		}{
			{"receipts", "SELECT COUNT(*) FROM stock_movements WHERE kind = 'receipt'", 45},
			{"adjustments", "SELECT COUNT(*) FROM stock_movements WHERE kind = 'adjustment'", 5},
			{"promotion sales", "SELECT COUNT(*) FROM sales WHERE note = 'promotion'", 10},
			{"promotions", "SELECT COUNT(*) FROM promotions", 20},
			{"planned promotions", "SELECT COUNT(*) FROM promotions WHERE first_day > '2026-06-30'", 2},
			{"products with price changes", `SELECT COUNT(*) FROM (SELECT product_id FROM sales WHERE note = ''
				GROUP BY product_id HAVING COUNT(DISTINCT unit_price) > 1) x`, 5},
			{"dead products (sold early, nothing in the last 60 days)", `SELECT COUNT(*) FROM products p
				WHERE EXISTS (SELECT 1 FROM daily_sales d WHERE d.product_id = p.id)
				AND NOT EXISTS (SELECT 1 FROM daily_sales d WHERE d.product_id = p.id AND d.day > '2026-05-01')`, 1},
			{"new products (first sale after 100 days)", `SELECT COUNT(*) FROM (SELECT product_id FROM daily_sales
				GROUP BY product_id HAVING MIN(day) > '2025-09-05') x`, 1},
			{"slow movers (sold on under 30% of days)", `SELECT COUNT(*) FROM (SELECT product_id FROM daily_sales
				GROUP BY product_id HAVING COUNT(*) < 120) x`, 1},
			{"lead-time overrides", "SELECT COUNT(*) FROM products WHERE lead_time_days IS NOT NULL", 1},
			{"service levels", "SELECT COUNT(*) FROM products WHERE service_level IS NOT NULL", 1},
		} {
			if n := count(t, bdb, c.query); n < c.min {
				t.Errorf("%s: %d, want at least %d", c.what, n, c.min)
			}
		}
		if sum.LostUnits == 0 || sum.StockoutDays == 0 {
			t.Errorf("no stock-outs: lost %d units over %d days", sum.LostUnits, sum.StockoutDays)
		}
		if share := float64(sum.StockoutDays) / float64(45*400); share > 0.25 {
			t.Errorf("out of stock on %.0f%% of product-days: too many", 100*share)
		}

		// Ids handed out later do not collide with the generated ones
		// (PostgreSQL sequences were moved past them).
		now := time.Now().UTC()
		p := &db.Product{SKU: "AFTER-SEED", Name: "after", PackSize: 1, MinOrderQty: 1, Active: true, Version: 1,
			CreatedAt: now, UpdatedAt: now}
		if _, err := bdb.NewInsert().Model(p).Exec(ctx); err != nil {
			t.Fatalf("insert product after seeding: %v", err)
		}
		s := &db.Sale{ProductID: p.ID, Quantity: 1, SoldAt: now, CreatedAt: now}
		if _, err := bdb.NewInsert().Model(s).Exec(ctx); err != nil {
			t.Fatalf("insert sale after seeding: %v", err)
		}
		if p.ID <= 45 || s.ID <= int64(sum.Sales) {
			t.Errorf("new ids product %d, sale %d: want above the generated ones", p.ID, s.ID)
		}
	})
}

// snapshot reads every generated row in a stable order.
type snapshot struct {
	Products  []db.Product
	Sales     []db.Sale
	Movements []db.StockMovement
	Daily     []db.DailySales
}

func takeSnapshot(t *testing.T, bdb *bun.DB) snapshot {
	t.Helper()
	ctx := context.Background()
	var s snapshot
	for _, q := range []*bun.SelectQuery{
		bdb.NewSelect().Model(&s.Products).Order("id"),
		bdb.NewSelect().Model(&s.Sales).Order("id"),
		bdb.NewSelect().Model(&s.Movements).Order("id"),
		bdb.NewSelect().Model(&s.Daily).Order("product_id", "day"),
	} {
		if err := q.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i := range s.Products {
		s.Products[i].CreatedAt = s.Products[i].CreatedAt.UTC()
		s.Products[i].UpdatedAt = s.Products[i].UpdatedAt.UTC()
	}
	return s
}

func TestGenerate_Deterministic(t *testing.T) {
	opt := seed.Options{Products: 30, Days: 120, EndDate: testEnd, Seed: 42}
	a, b, c := dbtest.Open(t), dbtest.Open(t), dbtest.Open(t)
	generate(t, a, opt)
	generate(t, b, opt)
	other := opt
	other.Seed = 43
	generate(t, c, other)
	sa, sb, sc := takeSnapshot(t, a), takeSnapshot(t, b), takeSnapshot(t, c)
	eqSale := func(x, y db.Sale) bool {
		return x.ID == y.ID && x.ProductID == y.ProductID && x.Quantity == y.Quantity && x.UnitPrice == y.UnitPrice &&
			x.SoldAt.Equal(y.SoldAt) && x.Channel == y.Channel && x.Note == y.Note
	}
	eqMove := func(x, y db.StockMovement) bool {
		return x.ID == y.ID && x.ProductID == y.ProductID && x.Kind == y.Kind && x.Delta == y.Delta &&
			x.Balance == y.Balance && x.Reason == y.Reason && x.CreatedAt.Equal(y.CreatedAt) &&
			(x.SaleID == nil) == (y.SaleID == nil) && (x.SaleID == nil || *x.SaleID == *y.SaleID)
	}
	eqProduct := func(x, y db.Product) bool {
		return x.ID == y.ID && x.SKU == y.SKU && x.Name == y.Name && x.UnitCost == y.UnitCost &&
			x.UnitPrice == y.UnitPrice && x.Stock == y.Stock && x.PackSize == y.PackSize &&
			x.MinOrderQty == y.MinOrderQty && x.CreatedAt.Equal(y.CreatedAt)
	}
	if !slices.EqualFunc(sa.Products, sb.Products, eqProduct) {
		t.Error("same seed: products differ")
	}
	if !slices.EqualFunc(sa.Sales, sb.Sales, eqSale) {
		t.Error("same seed: sales differ")
	}
	if !slices.EqualFunc(sa.Movements, sb.Movements, eqMove) {
		t.Error("same seed: stock movements differ")
	}
	if !slices.Equal(sa.Daily, sb.Daily) {
		t.Error("same seed: daily sales differ")
	}
	if slices.EqualFunc(sa.Sales, sc.Sales, eqSale) {
		t.Error("different seeds gave the same sales")
	}
}

func TestGenerate_RefusesNonEmptyUnlessAppend(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		first := generate(t, bdb, seed.Options{Products: 12, Days: 60, EndDate: testEnd, Seed: 1})

		_, err := seed.Generate(ctx, bdb, seed.Options{Products: 5, Days: 60, EndDate: testEnd, Seed: 1}, nil)
		if !errors.Is(err, seed.ErrNotEmpty) {
			t.Fatalf("second Generate: err = %v, want ErrNotEmpty", err)
		}
		if n := count(t, bdb, "SELECT COUNT(*) FROM products"); n != 12 {
			t.Errorf("refused run changed the catalogue: %d products", n)
		}

		more := generate(t, bdb, seed.Options{Products: 7, Days: 90, EndDate: testEnd, Seed: 1, Append: true})
		if more.Categories != 0 || more.Suppliers != 0 {
			t.Errorf("append created %d categories, %d suppliers; want the existing ones reused", more.Categories, more.Suppliers)
		}
		if n := count(t, bdb, "SELECT COUNT(*) FROM products"); n != 19 {
			t.Errorf("after append: %d products, want 19", n)
		}
		if n := count(t, bdb, "SELECT COUNT(*) FROM sales"); n != int64(first.Sales+more.Sales) {
			t.Errorf("after append: %d sales, want %d", n, first.Sales+more.Sales)
		}
		rep, err := db.Check(ctx, bdb)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() {
			t.Errorf("after append: %d mismatches, first %+v", rep.Total, rep.Mismatches[0])
		}
	})
}

func TestGenerate_SkipsTakenSKUs(t *testing.T) {
	bdb := dbtest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC()
	// A hand-made product whose SKU is the one the generator would give id 2.
	p := &db.Product{SKU: "SKU-000002", Name: "mine", PackSize: 1, MinOrderQty: 1, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := bdb.NewInsert().Model(p).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	generate(t, bdb, seed.Options{Products: 3, Days: 30, EndDate: testEnd, Seed: 1, Append: true})
	var skus []string
	if err := bdb.NewSelect().Model((*db.Product)(nil)).Column("sku").Order("id").Scan(ctx, &skus); err != nil {
		t.Fatal(err)
	}
	want := []string{"SKU-000002", "SKU-000002-2", "SKU-000003", "SKU-000004"}
	if !slices.Equal(skus, want) {
		t.Errorf("SKUs %q, want %q", skus, want)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		opt     seed.Options
		wantErr bool
		wantEnd time.Time
	}{
		{"ok", seed.Options{Products: 1, Days: 1, EndDate: time.Date(2026, 3, 4, 15, 4, 5, 0, time.UTC)}, false, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)},
		{"end date in another zone keeps its calendar day", seed.Options{Products: 1, Days: 1,
			EndDate: time.Date(2026, 3, 4, 23, 0, 0, 0, time.FixedZone("X", -5*3600))}, false, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)},
		{"zero products", seed.Options{Products: 0, Days: 10}, true, time.Time{}},
		{"negative days", seed.Options{Products: 10, Days: -1}, true, time.Time{}},
		{"too many products", seed.Options{Products: seed.MaxProducts + 1, Days: 10}, true, time.Time{}},
		{"too many days", seed.Options{Products: 1, Days: seed.MaxDays + 1}, true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opt.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && !tt.opt.EndDate.Equal(tt.wantEnd) {
				t.Errorf("EndDate = %v, want %v", tt.opt.EndDate, tt.wantEnd)
			}
		})
	}
	o := seed.Options{Products: 1, Days: 1}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().UTC().Date()
	if !o.EndDate.Equal(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("default EndDate = %v, want today UTC", o.EndDate)
	}
}

func TestDemo(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("generates 300 products × 730 days (skipped with -short and -race; CI's smoke test runs serve --demo)")
	}
	bdb := dbtest.Open(t)
	sum, err := seed.Demo(context.Background(), bdb, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().UTC().Date()
	if sum.Products != 300 || sum.LastDay != time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(db.DayLayout) {
		t.Errorf("Demo: %d products ending %s; want 300 ending today", sum.Products, sum.LastDay)
	}
}

// schemaObjects lists the definitions of every index and constraint.
func schemaObjects(t *testing.T, bdb *bun.DB) []string {
	t.Helper()
	q := "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name"
	if db.IsMySQL(bdb) {
		q = `SELECT 'index ' || table_name || '.' || index_name || ' ' || seq_in_index || ' ' || column_name
			FROM information_schema.statistics WHERE table_schema = DATABASE()
			UNION ALL SELECT 'constraint ' || constraint_name || ' ' || table_name || '.' || column_name || ' ' ||
				COALESCE(referenced_table_name, '') FROM information_schema.key_column_usage WHERE table_schema = DATABASE()
			ORDER BY 1`
	}
	if db.IsPostgres(bdb) {
		q = `SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
			WHERE connamespace = current_schema()::regnamespace ORDER BY 1`
	}
	var out []string
	if err := bdb.NewRaw(q).Scan(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("only %d indexes and constraints found: %q", len(out), out)
	}
	return out
}

// TestHistoryEndingTodayHasNoFutureEvents: with the default end date
// (today) no sale or stock movement is dated after the moment of the run.
func TestHistoryEndingTodayHasNoFutureEvents(t *testing.T) {
	bdb := dbtest.Open(t)
	generate(t, bdb, seed.Options{Products: 15, Days: 20, Seed: 5})
	after := time.Now().UTC()
	for _, q := range []string{"SELECT COUNT(*) FROM sales WHERE sold_at > ?", "SELECT COUNT(*) FROM stock_movements WHERE created_at > ?"} {
		if n := count(t, bdb, q, after); n != 0 {
			t.Errorf("%s: %d rows in the future", q, n)
		}
	}
	if n := count(t, bdb, "SELECT COUNT(*) FROM sales"); n == 0 {
		t.Fatal("no sales generated")
	}
}

// TestGenerate_PromotionsMatchTruth: the promotions written never overlap
// for a product, carry the promotion sales of the history, and are the
// ones Summary.Truth reports with the simulated effects.
func TestGenerate_PromotionsMatchTruth(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.Open(t)
	sum, err := seed.Generate(ctx, bdb, seed.Options{Products: 30, Days: 400, EndDate: testEnd, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Truth) != 30 {
		t.Fatalf("truth of %d products, want 30", len(sum.Truth))
	}
	var promos []db.Promotion
	if err := bdb.NewSelect().Model(&promos).OrderExpr("product_id, first_day").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	want, planned := 0, 0
	for _, tr := range sum.Truth {
		want += len(tr.Promotions)
		if tr.Elasticity < 0.5 || tr.Elasticity > 2 {
			t.Errorf("%s: elasticity %v outside the simulated range", tr.SKU, tr.Elasticity)
		}
		for _, p := range tr.Promotions {
			if p.Planned {
				planned++
				if p.FirstDay <= sum.LastDay {
					t.Errorf("%s: planned promotion from %s, not after the history", tr.SKU, p.FirstDay)
				}
			} else if p.Uplift < 1.4 || p.Uplift > 3 {
				t.Errorf("%s: uplift %v outside the simulated range", tr.SKU, p.Uplift)
			}
		}
	}
	if len(promos) != want || planned == 0 {
		t.Fatalf("%d promotions stored, truth has %d (%d planned)", len(promos), want, planned)
	}
	for i := 1; i < len(promos); i++ {
		a, b := promos[i-1], promos[i]
		if *a.ProductID == *b.ProductID && b.FirstDay <= a.LastDay {
			t.Errorf("promotions of product %d overlap: %s..%s and %s..%s", *a.ProductID, a.FirstDay, a.LastDay, b.FirstDay, b.LastDay)
		}
	}
	var sales []db.Sale
	if err := bdb.NewSelect().Model(&sales).Where("note = 'promotion'").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	inside := 0
	for _, s := range sales {
		d := s.SoldAt.UTC().Format(db.DayLayout)
		for _, p := range promos {
			if *p.ProductID == s.ProductID && p.FirstDay <= d && d <= p.LastDay {
				inside++
				break
			}
		}
	}
	if len(sales) == 0 || float64(inside) < 0.9*float64(len(sales)) {
		t.Fatalf("%d of %d promotion sales fall inside a stored promotion, want at least 90%%", inside, len(sales))
	}
	t.Logf("%d promotions (%d planned), %d of %d promotion sales inside one", len(promos), planned, inside, len(sales))
}

// TestCheckAcrossChunks: db.Check compares the daily rollup a chunk of
// products at a time; mismatches on both sides of a chunk boundary (and of
// products without sales in between) are all found, in product order.
func TestCheckAcrossChunks(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		generate(t, bdb, seed.Options{Products: 600, Days: 20, EndDate: testEnd, Seed: 5})
		var ids []int64
		for _, pick := range []string{"MIN", "MAX"} {
			ids = append(ids, count(t, bdb, "SELECT "+pick+"(product_id) FROM daily_sales"))
		}
		for _, id := range ids {
			if _, err := bdb.ExecContext(ctx, "UPDATE daily_sales SET units = units + 1 WHERE product_id = ? AND day = (SELECT MIN(day) FROM daily_sales WHERE product_id = ?)", id, id); err != nil {
				t.Fatal(err)
			}
		}
		if ids[1]-ids[0] < 260 {
			t.Fatalf("products %d and %d do not span a chunk", ids[0], ids[1])
		}
		rep, err := db.Check(ctx, bdb)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, m := range rep.Mismatches {
			if m.What == db.CheckDailyUnits {
				got = append(got, m.ProductID)
			}
		}
		if !slices.Equal(got, ids) {
			t.Errorf("daily-units mismatches for products %v, want %v (all: %+v)", got, ids, rep.Mismatches)
		}
	})
}
