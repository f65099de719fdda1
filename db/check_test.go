package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// ledgerFixture writes a small consistent history:
//
//	A (price 1.50): +10 initial; sales of 3 and 2 on 2 Jan (one at 23:30 UTC,
//	recorded as 00:30 the next day in UTC+1); a sale of 1 on 3 Jan; a sale
//	of 4 on 3 Jan that was voided (sale −4, void +4). Stock 4.
//	B: no movements, no sales, stock 0.
//	C: +5 initial, −2 adjustment. Stock 3.
type ledgerFixture struct {
	A, B, C int64
	LastA   int64 // id of A's latest movement
}

func writeLedgerFixture(t *testing.T, bdb *bun.DB) ledgerFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	var f ledgerFixture
	mk := func(sku string, stock int64) int64 {
		p := &db.Product{SKU: sku, Name: sku, UnitCost: 100, UnitPrice: 150, Stock: stock, PackSize: 1,
			MinOrderQty: 1, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := bdb.NewInsert().Model(p).Exec(ctx); err != nil {
			t.Fatalf("insert product %s: %v", sku, err)
		}
		return p.ID
	}
	f.A, f.B, f.C = mk("A", 4), mk("B", 0), mk("C", 3)

	balance := map[int64]int64{}
	move := func(pid int64, kind db.MovementKind, delta int64, saleID *int64, at time.Time) int64 {
		balance[pid] += delta
		m := &db.StockMovement{ProductID: pid, Kind: kind, Delta: delta, Balance: balance[pid], SaleID: saleID, CreatedAt: at}
		if _, err := bdb.NewInsert().Model(m).Exec(ctx); err != nil {
			t.Fatalf("insert movement: %v", err)
		}
		return m.ID
	}
	sale := func(pid, qty int64, at time.Time, voided bool) {
		s := &db.Sale{ProductID: pid, Quantity: qty, UnitPrice: 150, SoldAt: at, CreatedAt: at}
		if voided {
			v := at.Add(time.Hour)
			s.VoidedAt = &v
		}
		if _, err := bdb.NewInsert().Model(s).Exec(ctx); err != nil {
			t.Fatalf("insert sale: %v", err)
		}
		move(pid, db.MoveSale, -qty, &s.ID, at)
		if voided {
			f.LastA = move(pid, db.MoveVoid, qty, &s.ID, at.Add(time.Hour))
		}
	}
	move(f.A, db.MoveInitial, 10, nil, now)
	sale(f.A, 3, time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), false)
	sale(f.A, 2, time.Date(2026, 1, 3, 0, 30, 0, 0, time.FixedZone("UTC+1", 3600)), false)
	sale(f.A, 1, time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC), false)
	sale(f.A, 4, time.Date(2026, 1, 3, 11, 0, 0, 0, time.UTC), true)
	move(f.C, db.MoveInitial, 5, nil, now)
	move(f.C, db.MoveAdjustment, -2, nil, now.Add(time.Hour))

	daily := []db.DailySales{
		{ProductID: f.A, Day: "2026-01-02", Units: 5, Revenue: 750},
		{ProductID: f.A, Day: "2026-01-03", Units: 1, Revenue: 150},
	}
	if _, err := bdb.NewInsert().Model(&daily).Exec(ctx); err != nil {
		t.Fatalf("insert daily sales: %v", err)
	}
	return f
}

// mismatchKey is what the tests compare: product, check, day, expected, actual.
func mismatchKey(m db.Mismatch) string {
	return fmt.Sprintf("%s %s %s %d/%d", m.SKU, m.What, m.Day, m.Expected, m.Actual)
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		damage func(f ledgerFixture) []string // SQL statements that damage the data
		want   []string                       // mismatchKey values, in report order
	}{
		{name: "consistent"},
		{
			name: "zero rollup row without sales is fine",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("INSERT INTO daily_sales (product_id, day, units, revenue) VALUES (%d, '2026-01-06', 0, 0)", f.B)}
			},
		},
		{
			name: "stock differs from ledger",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("UPDATE products SET stock = 5 WHERE id = %d", f.A)}
			},
			want: []string{"A stock  4/5", "A last_balance  5/4"},
		},
		{
			name: "movement delta altered",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("UPDATE stock_movements SET delta = 4 WHERE product_id = %d AND kind = 'initial'", f.C)}
			},
			want: []string{"C stock  2/3"},
		},
		{
			name: "product with stock but no movements",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("UPDATE products SET stock = 7 WHERE id = %d", f.B)}
			},
			want: []string{"B stock  0/7"},
		},
		{
			name: "latest balance wrong",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("UPDATE stock_movements SET balance = 99 WHERE id = %d", f.LastA)}
			},
			want: []string{"A last_balance  4/99"},
		},
		{
			name: "rollup units off",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("UPDATE daily_sales SET units = 6 WHERE product_id = %d AND day = '2026-01-02'", f.A)}
			},
			want: []string{"A daily_units 2026-01-02 5/6"},
		},
		{
			name: "rollup revenue off",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("UPDATE daily_sales SET revenue = 149 WHERE product_id = %d AND day = '2026-01-03'", f.A)}
			},
			want: []string{"A daily_revenue 2026-01-03 150/149"},
		},
		{
			name: "rollup row without sales",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("INSERT INTO daily_sales (product_id, day, units, revenue) VALUES (%d, '2026-01-05', 2, 300)", f.B)}
			},
			want: []string{"B daily_units 2026-01-05 0/2", "B daily_revenue 2026-01-05 0/300"},
		},
		{
			name: "sales without rollup row",
			damage: func(f ledgerFixture) []string {
				return []string{fmt.Sprintf("DELETE FROM daily_sales WHERE product_id = %d AND day = '2026-01-03'", f.A)}
			},
			want: []string{"A daily_units 2026-01-03 1/0", "A daily_revenue 2026-01-03 150/0"},
		},
		{
			name:   "voided sale counted again",
			damage: func(f ledgerFixture) []string { return []string{"UPDATE sales SET voided_at = NULL"} },
			want:   []string{"A daily_units 2026-01-03 5/1", "A daily_revenue 2026-01-03 750/150"},
		},
		{
			name: "several products, report ordered by product",
			damage: func(f ledgerFixture) []string {
				return []string{
					fmt.Sprintf("UPDATE products SET stock = 1 WHERE id = %d", f.C),
					fmt.Sprintf("UPDATE daily_sales SET units = 0 WHERE product_id = %d AND day = '2026-01-02'", f.A),
				}
			},
			want: []string{"A daily_units 2026-01-02 5/0", "C stock  3/1", "C last_balance  1/3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
				ctx := context.Background()
				f := writeLedgerFixture(t, bdb)
				if tt.damage != nil {
					for _, q := range tt.damage(f) {
						if _, err := bdb.ExecContext(ctx, q); err != nil {
							t.Fatalf("%s: %v", q, err)
						}
					}
				}
				rep, err := db.Check(ctx, bdb)
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if rep.Products != 3 || rep.Sales != 4 || rep.Movements != 8 {
					t.Errorf("counted %d products, %d sales, %d movements; want 3, 4, 8", rep.Products, rep.Sales, rep.Movements)
				}
				var got []string
				for _, m := range rep.Mismatches {
					got = append(got, mismatchKey(m))
					if m.Detail == "" {
						t.Errorf("mismatch %s has no detail", mismatchKey(m))
					}
				}
				// Ledger mismatches come first, then the rollup; compare
				// sorted so the test states the set.
				slices.Sort(got)
				want := slices.Clone(tt.want)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("mismatches:\n got %q\nwant %q", got, want)
				}
				if rep.OK() != (len(tt.want) == 0) || rep.Total != len(tt.want) {
					t.Errorf("OK() = %v, Total = %d; want %v, %d", rep.OK(), rep.Total, len(tt.want) == 0, len(tt.want))
				}
			})
		})
	}
}

// TestCheck_DayBoundaries checks that sales are bucketed by their UTC day
// whatever offset the text was stored with (SQLite) or whatever the session
// time zone is (PostgreSQL).
func TestCheck_DayBoundaries(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		f := writeLedgerFixture(t, bdb)
		err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			switch {
			case db.IsPostgres(tx):
				// A session far east of UTC would move 23:30 UTC to the next day.
				if _, err := tx.ExecContext(ctx, "SET LOCAL TIME ZONE 'Asia/Tokyo'"); err != nil {
					return err
				}
			case db.IsMySQL(tx):
				// The same on MySQL (for this connection, until the test ends).
				if _, err := tx.ExecContext(ctx, "SET time_zone = '+09:00'"); err != nil {
					return err
				}
			default:
				// Text with a +01:00 offset, as another writer might store it:
				// 00:30+01:00 on the 3rd is 23:30 UTC on the 2nd.
				_, err := tx.ExecContext(ctx, "UPDATE sales SET sold_at = '2026-01-03 00:30:00+01:00' WHERE quantity = 2 AND product_id = ?", f.A)
				if err != nil {
					return err
				}
			}
			rep, err := db.Check(ctx, tx)
			if err != nil {
				return err
			}
			if !rep.OK() {
				var got []string
				for _, m := range rep.Mismatches {
					got = append(got, mismatchKey(m))
				}
				t.Errorf("mismatches at the day boundary: %s", strings.Join(got, "; "))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestCheck_TruncatesList(t *testing.T) {
	bdb := dbtest.Open(t)
	ctx := context.Background()
	f := writeLedgerFixture(t, bdb)
	n := db.MaxListedMismatches + 5
	rows := make([]db.DailySales, n)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		rows[i] = db.DailySales{ProductID: f.B, Day: start.AddDate(0, 0, i).Format(db.DayLayout), Units: 1, Revenue: 0}
	}
	if _, err := bdb.NewInsert().Model(&rows).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Check(ctx, bdb)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total != n || len(rep.Mismatches) != db.MaxListedMismatches || rep.OK() {
		t.Errorf("Total = %d, listed %d, OK %v; want %d, %d, false", rep.Total, len(rep.Mismatches), rep.OK(), n, db.MaxListedMismatches)
	}
}
