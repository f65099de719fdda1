package crash

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"smartinventory/db/dbtest"
)

// Shape of the sales file that TestSIGKILLDuringImport kills the import of.
const (
	importLines    = 30_000
	importProducts = 4
	importStock    = 10_000_000
)

// writeImportFiles writes a products CSV (importProducts products with
// importStock each) and a sales CSV of importLines lines into dir and
// returns their paths and the total quantity sold.
func writeImportFiles(t *testing.T, dir string) (products, sales string, sold int64) {
	t.Helper()
	products = filepath.Join(dir, "products.csv")
	sales = filepath.Join(dir, "sales.csv")
	pf, err := os.Create(products)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(pf, "sku,name,stock,unit_price")
	for i := range importProducts {
		fmt.Fprintf(pf, "IMP-%d,Import %d,%d,1.25\n", i+1, i+1, importStock)
	}
	if err := pf.Close(); err != nil {
		t.Fatal(err)
	}
	sf, err := os.Create(sales)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(sf)
	fmt.Fprintln(w, "sku,quantity,sold_at,external_id")
	for i := range importLines {
		q := int64(1 + i%3)
		sold += q
		fmt.Fprintf(w, "IMP-%d,%d,2025-%02d-%02dT10:%02d:00Z,crash-%d\n", i%importProducts+1, q, 1+i%12, 1+i%28, i%60, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := sf.Close(); err != nil {
		t.Fatal(err)
	}
	return products, sales, sold
}

// TestSIGKILLDuringImport kills `import sales` of a large file at a random
// moment and checks that it added nothing or everything: 0 or all the
// lines are sales, the stock went down by 0 or all the quantities, and
// `check` passes. The kill delay adapts to how long an import that
// finished took. After a kill that left nothing (first iteration only) the
// same file imports completely.
func TestSIGKILLDuringImport(t *testing.T) {
	bin := binary(t)
	productsCSV, salesCSV, sold := writeImportFiles(t, t.TempDir())
	var mu sync.Mutex
	estimate := map[string]time.Duration{}
	eachDatabase(t, func(t *testing.T, dsn string, iteration int) {
		bdb := dbtest.OpenDSN(t, dsn) // migrated, so the kill hits the import
		if out, errOut, code := runCLI(t, bin, "import", "products", productsCSV, "--db", dsn); code != 0 {
			t.Fatalf("import products exited %d: %s %s", code, out, errOut)
		}
		kind := bdb.Dialect().Name().String()
		mu.Lock()
		est := estimate[kind]
		mu.Unlock()
		if est == 0 {
			est = 1500 * time.Millisecond
		}
		delay := est/5 + rand.N(est)

		began := time.Now()
		p := startProcess(t, bin, nil, "import", "sales", salesCSV, "--db", dsn)
		select {
		case <-p.done:
		case <-time.After(delay):
		}
		finished := p.exited()
		if finished {
			if code := p.wait(t); code != 0 {
				t.Fatalf("import sales exited %d; stderr:\n%s", code, tail(p.stderr.String()))
			}
			mu.Lock()
			estimate[kind] = time.Since(began)
			mu.Unlock()
		} else {
			p.signal(t, syscall.SIGKILL)
		}

		var got struct {
			Sales int64 `bun:"sales"`
			Stock int64 `bun:"stock"`
		}
		if err := bdb.NewRaw(`SELECT (SELECT COUNT(*) FROM sales) AS sales,
			(SELECT COALESCE(SUM(stock), 0) FROM products) AS stock`).Scan(t.Context(), &got); err != nil {
			t.Fatal(err)
		}
		t.Logf("import %s after %v: %d sales", map[bool]string{true: "finished", false: "killed"}[finished],
			time.Since(began).Round(time.Millisecond), got.Sales)
		full := int64(importProducts * importStock)
		switch {
		case got.Sales == 0 && got.Stock == full:
			if finished {
				t.Fatal("import exited 0 but added no sales")
			}
		case got.Sales == importLines && got.Stock == full-sold:
		default:
			t.Fatalf("import left %d of %d sales and stock %d (want %d or %d): not nothing or everything",
				got.Sales, importLines, got.Stock, full, full-sold)
		}
		checkDB(t, bin, dsn)
		if got.Sales == 0 && iteration == 0 {
			if out, errOut, code := runCLI(t, bin, "import", "sales", salesCSV, "--db", dsn); code != 0 {
				t.Fatalf("import after the killed one exited %d: %s %s", code, out, tail(errOut))
			}
			checkDB(t, bin, dsn)
		}
	})
}
