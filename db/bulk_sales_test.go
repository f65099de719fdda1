package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestSalesWriter writes more sales than one prepared SQLite statement
// holds (so both of its paths run) and checks every stored row: values,
// quoting of awkward text, NULL external ids, the movements pointing at
// their sales, and the conditional stock decrement.
func TestSalesWriter(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		p := &db.Product{SKU: "BULK-1", Name: "Bulk", UnitPrice: 250, Stock: 1000, PackSize: 1, MinOrderQty: 1, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := bdb.NewInsert().Model(p).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		const n = db.SalesStmtRows + 5
		err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			w := db.NewSalesWriter(tx, nil, now)
			defer w.Close()
			sales := make([]db.BulkSale, n)
			moves := make([]db.BulkMove, n)
			var ids []int64
			if db.IsPostgres(tx) {
				if err := tx.NewRaw("SELECT nextval(pg_get_serial_sequence('sales', 'id')) FROM generate_series(1, ?)", n).Scan(ctx, &ids); err != nil {
					return err
				}
			}
			balance := p.Stock
			for i := range sales {
				soldAt := now.Add(-time.Duration(i) * time.Minute)
				s := db.BulkSale{ProductID: p.ID, Quantity: 1, UnitPrice: int64(100 + i), SoldAt: soldAt, SoldText: soldAt.Format(db.SQLiteTime),
					Channel: "web", Note: fmt.Sprintf("it's %d? \\ ok", i)}
				if i%2 == 1 {
					s.ExternalID, s.HasExternalID = fmt.Sprintf("ext-%d", i), true
				}
				switch {
				case ids != nil:
					s.ID = ids[i]
				case db.IsSQLite(tx):
					s.ID = int64(i + 1) // a fresh database: AUTOINCREMENT starts at 1
				}
				balance--
				sales[i], moves[i] = s, db.BulkMove{ProductID: p.ID, Delta: -1, Balance: balance, SaleID: s.ID}
			}
			if err := w.Write(ctx, sales, moves); err != nil {
				return err
			}
			if got, err := w.TakeStock(ctx, []db.StockTake{{ID: p.ID, Sold: n}}); err != nil || got != 1 {
				return fmt.Errorf("TakeStock = %d, %v; want 1 product", got, err)
			}
			if got, err := w.TakeStock(ctx, []db.StockTake{{ID: p.ID, Sold: 1_000_000}}); err != nil || got != 0 {
				return fmt.Errorf("TakeStock beyond the stock = %d, %v; want 0 products", got, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		var stored []db.Sale
		if err := bdb.NewSelect().Model(&stored).Order("sold_at DESC").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(stored) != n {
			t.Fatalf("%d sales stored, want %d", len(stored), n)
		}
		bySale := map[int64]db.Sale{}
		for i, s := range stored {
			bySale[s.ID] = s
			wantNote := fmt.Sprintf("it's %d? \\ ok", i)
			if s.ProductID != p.ID || s.Quantity != 1 || s.UnitPrice != db.Money(100+i) || s.Note != wantNote || s.Channel != "web" ||
				!s.SoldAt.Equal(now.Add(-time.Duration(i)*time.Minute)) || !s.CreatedAt.Equal(now) || s.RecordedBy != nil {
				t.Errorf("sale %d stored as %+v", i, s)
			}
			if (i%2 == 1) != (s.ExternalID != nil) || (s.ExternalID != nil && *s.ExternalID != fmt.Sprintf("ext-%d", i)) {
				t.Errorf("sale %d: external id %v", i, s.ExternalID)
			}
		}
		var moves []db.StockMovement
		if err := bdb.NewSelect().Model(&moves).Where("kind = 'sale'").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(moves) != n {
			t.Fatalf("%d sale movements, want %d", len(moves), n)
		}
		for _, m := range moves {
			if m.SaleID == nil || bySale[*m.SaleID].ID == 0 || m.Delta != -1 || m.ProductID != p.ID {
				t.Errorf("movement %+v does not match a sale", m)
			}
		}
		var stock int64
		if err := bdb.NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", p.ID).Scan(ctx, &stock); err != nil {
			t.Fatal(err)
		}
		if stock != 1000-n {
			t.Errorf("stock %d, want %d", stock, 1000-n)
		}
	})
}
