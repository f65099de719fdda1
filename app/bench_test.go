package app_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/seed"
)

// The benchmarks share one demo database of 2,000 products × 730 days,
// built once (about 12 s) in a temporary directory.
var (
	benchOnce sync.Once
	benchApp  *app.App
	benchErr  error
)

func demoApp(b *testing.B) *app.App {
	b.Helper()
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "smartinventory-bench-")
		if err != nil {
			benchErr = err
			return
		}
		ctx := context.Background()
		bdb, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "bench.db"))
		if err != nil {
			benchErr = err
			return
		}
		if _, err := db.Migrate(ctx, bdb); err != nil {
			benchErr = err
			return
		}
		end := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
		if _, err := seed.Generate(ctx, bdb, seed.Options{Products: 2000, Days: 730, EndDate: end, Seed: 1}, nil); err != nil {
			benchErr = err
			return
		}
		benchApp = app.New(bdb, app.Options{Now: func() time.Time { return end.Add(30 * time.Hour) }})
		_, benchErr = benchApp.Forecasts.RefreshAll(ctx, app.System, nil)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchApp
}

// BenchmarkForecastBatch is the nightly batch: 2,000 products × 730 days,
// auto model, 90-day horizon, stored (target: < 10 s on 2 cores).
func BenchmarkForecastBatch(b *testing.B) {
	a := demoApp(b)
	for b.Loop() {
		st, err := a.Forecasts.RefreshAll(context.Background(), app.System, nil)
		if err != nil || st.Failed > 0 {
			b.Fatalf("batch: %+v, %v", st, err)
		}
	}
}

func BenchmarkRestockSuggestions(b *testing.B) {
	a := demoApp(b)
	for b.Loop() {
		if _, err := a.Restock.Suggestions(context.Background(), app.System, app.RestockFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKPIs(b *testing.B) {
	a := demoApp(b)
	for b.Loop() {
		if _, err := a.Restock.KPIs(context.Background(), app.System); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrends(b *testing.B) {
	a := demoApp(b)
	for b.Loop() {
		if _, _, err := a.Analytics.Trends(context.Background(), app.System, app.TrendFilter{Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordSaleParallel records single sales from 32 goroutines, as
// concurrent POST /sales requests do (SQLite: group commit).
func BenchmarkRecordSaleParallel(b *testing.B) {
	a := demoApp(b)
	ctx := context.Background()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := int64(1)
		for pb.Next() {
			id = id%2000 + 1
			_, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &id, Quantity: app.Ptr(int64(1))})
			if err != nil && app.ErrorCode(err) != app.ECONFLICT {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRecordBatch records batches of 1,000 sales (POST /sales/batch).
func BenchmarkRecordBatch(b *testing.B) {
	a := demoApp(b)
	ctx := context.Background()
	lines := make([]app.SaleInput, 1000)
	for i := range lines {
		id := int64(i%2000 + 1)
		lines[i] = app.SaleInput{ProductID: &id, Quantity: app.Ptr(int64(1))}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := a.Sales.RecordBatch(ctx, app.System, lines); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "sales/s")
}
