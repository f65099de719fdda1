package app_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db/dbtest"
)

// BenchmarkImportSales imports a sales file of SMARTINV_BENCH_LINES lines
// (default 1,000,000) over 1,000 products, with external ids, into a fresh
// SQLite database per iteration, and reports lines/s and the peak heap in
// use while importing (sampled after every batch).
//
//	go test ./app -run '^$' -bench ImportSales -benchtime 1x
func BenchmarkImportSales(b *testing.B) {
	lines := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SMARTINV_BENCH_LINES")); err == nil && v > 0 {
		lines = v
	}
	const products = 1000
	path := filepath.Join(b.TempDir(), "sales.csv")
	if err := writeSalesFile(path, lines, products); err != nil {
		b.Fatal(err)
	}
	var elapsed time.Duration
	var peak uint64
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		a := app.New(dbtest.Open(b), app.Options{})
		var csv []byte
		csv = fmt.Appendf(csv, "sku,name,unit_price,stock\n")
		for i := range products {
			csv = fmt.Appendf(csv, "S%04d,Product %d,2.50,%d\n", i, i, lines)
		}
		if _, err := a.Import(ctx, app.System, app.ImportProducts, bytesReader(csv), app.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		b.StartTimer()
		cpu0 := cpuTime()
		began := time.Now()
		sum, err := a.Import(ctx, app.System, app.ImportSales, f, app.ImportOptions{Progress: func(_, _ int64) {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}})
		elapsed += time.Since(began)
		cpu += cpuTime() - cpu0
		b.StopTimer()
		_ = f.Close()
		if err != nil {
			b.Fatalf("import: %v", err)
		}
		if sum.Inserted != int64(lines) {
			b.Fatalf("inserted %d of %d", sum.Inserted, lines)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(lines)*float64(b.N)/elapsed.Seconds(), "lines/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	// lines per CPU second (user+system of the process): the throughput
	// the import reaches when it has the machine to itself, whatever else
	// is running.
	b.ReportMetric(float64(lines)*float64(b.N)/cpu.Seconds(), "lines/cpu-s")
}

// cpuTime returns the user and system CPU time of the process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeSalesFile writes n sales lines over k products spread over a year.
func writeSalesFile(path string, n, k int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "sold_at,sku,quantity,unit_price,channel,external_id")
	start := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		t := start.Add(time.Duration(i) * 365 * 24 * time.Hour / time.Duration(n))
		fmt.Fprintf(w, "%s,S%04d,1,2.50,store,imp-%d\n", t.Format(time.RFC3339), (i*7919)%k, i)
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
