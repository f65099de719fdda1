package app_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

func TestRecordSaleDecrementsStockLedgerAndRollup(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "A-1", 5)
		soldAt := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
		res, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](3), SoldAt: &soldAt})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stock != 2 || res.Sale.UnitPrice != p.UnitPrice {
			t.Fatalf("result = %+v, want stock 2 and the product's price", res)
		}
		_, err = a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](3)})
		wantCode(t, err, app.ECONFLICT)
		stock, sum := ledger(t, bdb, p.ID)
		if stock != 2 || sum != 2 {
			t.Fatalf("stock %d, ledger sum %d; want 2, 2", stock, sum)
		}
		var d db.DailySales
		if err := bdb.NewSelect().Model(&d).Where("product_id = ?", p.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if d.Day != "2026-03-04" || d.Units != 3 || d.Revenue != 3*p.UnitPrice {
			t.Fatalf("rollup = %+v", d)
		}
		n, err := bdb.NewSelect().Model((*db.Sale)(nil)).Count(ctx)
		if err != nil || n != 1 {
			t.Fatalf("sales rows = %d, %v; the refused sale must write nothing", n, err)
		}
	})
}

func TestRecordSaleValidation(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	p := newProduct(t, a, "V-1", 10)
	future := time.Now().Add(72 * time.Hour)
	// 1970 on the wall clock of UTC+14, 1969 in UTC: the bound is on UTC.
	before1970 := time.Date(1970, 1, 1, 5, 0, 0, 0, time.FixedZone("+14", 14*3600))
	tests := []struct {
		name  string
		in    app.SaleInput
		code  string
		field string
	}{
		{"zero quantity", app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](0)}, app.EINVALID, "quantity"},
		{"negative quantity", app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](-2)}, app.EINVALID, "quantity"},
		{"missing quantity", app.SaleInput{ProductID: &p.ID}, app.EINVALID, "quantity"},
		{"no product", app.SaleInput{Quantity: app.Ptr[int64](1)}, app.EINVALID, "product_id"},
		{"unknown product", app.SaleInput{ProductID: app.Ptr[int64](999), Quantity: app.Ptr[int64](1)}, app.EINVALID, "product_id"},
		{"unknown sku", app.SaleInput{SKU: app.Ptr("nope"), Quantity: app.Ptr[int64](1)}, app.EINVALID, "sku"},
		{"negative price", app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](1), UnitPrice: app.Ptr[db.Money](-1)}, app.EINVALID, "unit_price"},
		{"future", app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](1), SoldAt: &future}, app.EINVALID, "sold_at"},
		{"1969 in UTC", app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](1), SoldAt: &before1970}, app.EINVALID, "sold_at"},
		{"too much", app.SaleInput{SKU: app.Ptr("V-1"), Quantity: app.Ptr[int64](11)}, app.ECONFLICT, "quantity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Sales.Record(ctx, app.System, tt.in)
			wantCode(t, err, tt.code)
			wantField(t, err, tt.field)
		})
	}
	if stock, sum := ledger(t, app.DBOf(a), p.ID); stock != 10 || sum != 10 {
		t.Fatalf("failed sales changed stock: %d / %d", stock, sum)
	}
}

// TestConcurrentSalesNeverOversell: 50 goroutines each sell 1 of a product
// with stock 20; exactly 20 succeed and the ledger stays consistent.
func TestConcurrentSalesNeverOversell(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "HOT", 20)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, conflicts := 0, 0
		var other []error
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](1)})
				mu.Lock()
				defer mu.Unlock()
				switch app.ErrorCode(err) {
				case "":
					ok++
				case app.ECONFLICT:
					conflicts++
				default:
					other = append(other, err)
				}
			}()
		}
		wg.Wait()
		if len(other) > 0 {
			t.Fatalf("unexpected errors: %v", other)
		}
		if ok != 20 || conflicts != 30 {
			t.Fatalf("ok %d, conflicts %d; want 20 and 30", ok, conflicts)
		}
		stock, sum := ledger(t, bdb, p.ID)
		if stock != 0 || sum != 0 {
			t.Fatalf("stock %d, ledger sum %d; want 0, 0", stock, sum)
		}
		if u := daily(t, bdb, p.ID); u != 20 {
			t.Fatalf("rollup units %d, want 20", u)
		}
	})
}

func TestBatchIsAllOrNothing(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p1 := newProduct(t, a, "B-1", 10)
		p2 := newProduct(t, a, "B-2", 1)
		lines := []app.SaleInput{
			{ProductID: &p1.ID, Quantity: app.Ptr[int64](4)},
			{SKU: app.Ptr("B-2"), Quantity: app.Ptr[int64](1)},
			{ProductID: &p2.ID, Quantity: app.Ptr[int64](1)}, // second unit of B-2: not there
		}
		_, err := a.Sales.RecordBatch(ctx, app.System, lines)
		wantCode(t, err, app.ECONFLICT)
		e, _ := app.AsError(err)
		if len(e.Fields) == 0 || e.Fields[0].Index == nil || *e.Fields[0].Index != 1 {
			t.Fatalf("fields %+v: want the B-2 lines by index", e.Fields)
		}
		if s, _ := ledger(t, bdb, p1.ID); s != 10 {
			t.Fatalf("B-1 stock %d after a failed batch, want 10", s)
		}
		// Bad input on line 2 is reported with its index.
		lines[2].Quantity = app.Ptr[int64](0)
		_, err = a.Sales.RecordBatch(ctx, app.System, lines)
		wantCode(t, err, app.EINVALID)
		e, _ = app.AsError(err)
		if e.Fields[0].Index == nil || *e.Fields[0].Index != 2 {
			t.Fatalf("fields %+v, want index 2", e.Fields)
		}
		// A good batch writes every line, with a running balance per product.
		lines = lines[:2]
		lines = append(lines, app.SaleInput{ProductID: &p1.ID, Quantity: app.Ptr[int64](2)})
		res, err := a.Sales.RecordBatch(ctx, app.System, lines)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Stock != 6 || res[1].Stock != 0 || res[2].Stock != 4 {
			t.Fatalf("balances %d %d %d, want 6 0 4", res[0].Stock, res[1].Stock, res[2].Stock)
		}
		var moves []db.StockMovement
		if err := bdb.NewSelect().Model(&moves).Where("product_id = ? AND kind = 'sale'", p1.ID).OrderExpr("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(moves) != 2 || moves[0].Balance != 6 || moves[1].Balance != 4 || *moves[0].SaleID != res[0].Sale.ID {
			t.Fatalf("movements %+v", moves)
		}
	})
}

func TestVoidRestoresStockAndRollup(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "V-2", 8)
		r1, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](3)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr[int64](1)}); err != nil {
			t.Fatal(err)
		}
		v, err := a.Sales.Void(ctx, app.System, r1.Sale.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if v.Stock != 7 || v.Sale.VoidedAt == nil {
			t.Fatalf("void result %+v", v)
		}
		_, err = a.Sales.Void(ctx, app.System, r1.Sale.ID, "")
		wantCode(t, err, app.ECONFLICT)
		_, err = a.Sales.Void(ctx, app.System, 12345, "")
		wantCode(t, err, app.ENOTFOUND)
		if stock, sum := ledger(t, bdb, p.ID); stock != 7 || sum != 7 {
			t.Fatalf("stock %d sum %d, want 7", stock, sum)
		}
		if u := daily(t, bdb, p.ID); u != 1 {
			t.Fatalf("rollup units %d, want 1", u)
		}
		list, total, err := a.Sales.List(ctx, app.System, app.SaleFilter{ProductID: p.ID})
		if err != nil || total != 1 || len(list) != 1 {
			t.Fatalf("list = %d/%d, %v; voided sales are hidden by default", len(list), total, err)
		}
	})
}

func TestStockAdjustAndReceive(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "S-1", 2)
		m, err := a.Stock.Receive(ctx, app.System, app.ReceiptInput{ProductID: &p.ID, Quantity: app.Ptr[int64](10), Reason: "PO 7"})
		if err != nil || m.Balance != 12 || m.Kind != db.MoveReceipt {
			t.Fatalf("receive = %+v, %v", m, err)
		}
		_, err = a.Stock.Adjust(ctx, app.System, app.AdjustmentInput{ProductID: &p.ID, Delta: app.Ptr[int64](-13), Reason: "count"})
		wantCode(t, err, app.ECONFLICT)
		_, err = a.Stock.Adjust(ctx, app.System, app.AdjustmentInput{ProductID: &p.ID, Delta: app.Ptr[int64](-2)})
		wantField(t, err, "reason")
		m, err = a.Stock.Adjust(ctx, app.System, app.AdjustmentInput{SKU: app.Ptr("S-1"), Delta: app.Ptr[int64](-2), Reason: "broken"})
		if err != nil || m.Balance != 10 {
			t.Fatalf("adjust = %+v, %v", m, err)
		}
		if stock, sum := ledger(t, bdb, p.ID); stock != 10 || sum != 10 {
			t.Fatalf("stock %d sum %d", stock, sum)
		}
		ms, total, err := a.Stock.Movements(ctx, app.System, app.MovementFilter{ProductID: p.ID})
		if err != nil || total != 3 || ms[0].Kind != db.MoveAdjustment {
			t.Fatalf("movements %+v total %d err %v", ms, total, err)
		}
	})
}

// TestSaleLineRulesAgree: a sale recorded one at a time and a line of a
// sales import are refused with the same field errors (one rule,
// checkQuantity/checkAmount/checkSoldAt); a negative price is one error,
// not also "makes the line total exceed".
func TestSaleLineRulesAgree(t *testing.T) {
	now := time.Now().UTC()
	a := app.New(dbtest.Open(t), app.Options{})
	newProduct(t, a, "RULE-1", 100)
	future, ancient := now.Add(48*time.Hour), time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		qty   int64
		price string // "" for none
		at    *time.Time
	}{
		{"zero quantity", 0, "", nil},
		{"huge quantity", db.MaxQuantity + 1, "", nil},
		{"negative price", 1, "-0.01", nil},
		{"huge price", 1, (db.MaxUnitAmount + 1).String(), nil},
		{"future", 1, "", &future},
		{"before 1970", 1, "", &ancient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := app.SaleInput{SKU: app.Ptr("RULE-1"), Quantity: app.Ptr(tc.qty), SoldAt: tc.at}
			row := "RULE-1," + strconv.FormatInt(tc.qty, 10) + "," + tc.price + ","
			if tc.price != "" {
				p, err := db.ParseMoney(tc.price)
				if err != nil {
					t.Fatal(err)
				}
				in.UnitPrice = &p
			}
			if tc.at != nil {
				row += tc.at.Format(time.RFC3339)
			}
			_, err := a.Sales.Record(ctx, app.System, in)
			e, ok := app.AsError(err)
			if !ok {
				t.Fatalf("Record: %v, want field errors", err)
			}
			var record []string
			for _, f := range e.Fields {
				record = append(record, f.Field+": "+f.Message)
			}
			_, err = a.Import(ctx, app.System, app.ImportSales, strings.NewReader("sku,quantity,unit_price,sold_at\n"+row+"\n"), app.ImportOptions{})
			e, ok = app.AsError(err)
			if !ok {
				t.Fatalf("Import: %v, want field errors", err)
			}
			var imported []string
			for _, f := range e.Fields {
				imported = append(imported, f.Field+": "+f.Message)
			}
			if !slices.Equal(record, imported) || len(record) != 1 {
				t.Errorf("Record says %q, the import %q; want the same one error", record, imported)
			}
		})
	}
}
