package app_test

import (
	"context"
	"path/filepath"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

// BenchmarkRecordSaleSync records single sales with SQLite's synchronous
// NORMAL (the default) and FULL (--sync full: an fsync of the WAL per
// commit), one writer at a time (each sale its own commit: FULL's worst
// case) and 16 at once (commits shared by the write queue). The database
// is in the test's temporary directory: set TMPDIR to a directory on the
// disk you care about (fsync is free on tmpfs).
func BenchmarkRecordSaleSync(b *testing.B) {
	for _, mode := range []struct {
		name string
		full bool
	}{{"normal", false}, {"full", true}} {
		for _, parallel := range []bool{false, true} {
			name := mode.name + "/sequential"
			if parallel {
				name = mode.name + "/parallel16"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				bdb, err := db.OpenWith(ctx, "sqlite:"+filepath.Join(b.TempDir(), "sync.db"), db.OpenOptions{SyncFull: mode.full})
				if err != nil {
					b.Fatal(err)
				}
				defer bdb.Close()
				if _, err := db.Migrate(ctx, bdb); err != nil {
					b.Fatal(err)
				}
				a := app.New(bdb, app.Options{})
				var ids []int64
				for i := range 50 {
					p, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("S" + string(rune('A'+i%26)) + string(rune('a'+i/26))),
						Name: app.Ptr("p"), Stock: app.Ptr(int64(1 << 40))})
					if err != nil {
						b.Fatal(err)
					}
					ids = append(ids, p.ID)
				}
				record := func(i int) {
					if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &ids[i%len(ids)], Quantity: app.Ptr(int64(1))}); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				if !parallel {
					for i := range b.N {
						record(i)
					}
				} else {
					b.SetParallelism(8) // 8 × GOMAXPROCS 2 = 16 writers
					b.RunParallel(func(pb *testing.PB) {
						for i := 0; pb.Next(); i++ {
							record(i)
						}
					})
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sales/s")
			})
		}
	}
}
