package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestBackupDuringConcurrentSales is the acceptance test: a backup taken
// while goroutines record sales through the services opens, passes
// db.Check and holds every sale acknowledged before the backup started.
func TestBackupDuringConcurrentSales(t *testing.T) {
	dsn := tempDSN(t)
	a := openApp(t, dsn)
	ctx := context.Background()
	var skus []string
	for i := range 8 {
		sku := fmt.Sprintf("B%d", i)
		stock := int64(1_000_000)
		if _, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: &sku, Name: &sku, Stock: &stock}); err != nil {
			t.Fatal(err)
		}
		skus = append(skus, sku)
	}

	type ack struct {
		id int64
		at time.Time
	}
	var (
		mu     sync.Mutex
		acked  = sync.NewCond(&mu) // broadcast on every ack and on failure
		acks   []ack
		failed bool
		wg     sync.WaitGroup
		stop   = make(chan struct{})
	)
	errs := make(chan error, 4)
	// waitAcks waits until ok holds for the acks so far (or a writer failed).
	waitAcks := func(ok func([]ack) bool) {
		mu.Lock()
		defer mu.Unlock()
		for !failed && !ok(acks) {
			acked.Wait()
		}
	}
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := a.Sales.Record(ctx, app.System, app.SaleInput{SKU: &skus[(g+i)%len(skus)], Quantity: app.Ptr(int64(1))})
				if err != nil {
					errs <- err
					mu.Lock()
					failed = true
					acked.Broadcast()
					mu.Unlock()
					return
				}
				at := time.Now()
				mu.Lock()
				acks = append(acks, ack{res.Sale.ID, at})
				acked.Broadcast()
				mu.Unlock()
			}
		}()
	}
	// The backup starts under load (100 sales acknowledged) and the load
	// goes on until sales acknowledged after its start are in.
	waitAcks(func(a []ack) bool { return len(a) >= 100 })
	out := filepath.Join(t.TempDir(), "backup.db")
	started := time.Now()
	r := mustRun(t, "", "--db", dsn, "backup", out)
	waitAcks(func(a []ack) bool { return len(a) > 0 && a[len(a)-1].at.After(started) })
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatalf("recording sales: %v", err)
	default:
	}
	if !strings.HasPrefix(r.stdout, "backed up ") {
		t.Errorf("stdout = %q", r.stdout)
	}

	bdb := dbtest.OpenDSN(t, "sqlite:"+out)
	rep, err := db.Check(ctx, bdb)
	if err != nil || !rep.OK() {
		t.Fatalf("check of the backup: %v %+v", err, rep)
	}
	var ids []int64
	if err := bdb.NewSelect().Model((*db.Sale)(nil)).Column("id").Scan(ctx, &ids); err != nil {
		t.Fatal(err)
	}
	have := map[int64]bool{}
	for _, id := range ids {
		have[id] = true
	}
	before, after := 0, 0
	for _, k := range acks {
		if k.at.Before(started) {
			before++
			if !have[k.id] {
				t.Errorf("sale %d acknowledged before the backup started is missing", k.id)
			}
		} else {
			after++
		}
	}
	if before == 0 || after == 0 {
		t.Errorf("sales before the backup %d, after %d: the load did not overlap the backup", before, after)
	}
	t.Logf("backup held %d sales; %d acknowledged before it started, %d after", len(ids), before, after)
}

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "shop.db")
	mustRun(t, "sku,name,stock\nR1,Rope,5\n", "--db", dsn, "import", "products", "-")
	out := filepath.Join(dir, "backup.db")
	mustRun(t, "", "--db", dsn, "backup", out)
	if err := os.WriteFile(filepath.Join(dir, "junk"), []byte("not a database, just text\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pg := "postgres://u@127.0.0.1:1/x?sslmode=disable"
	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"existing file refused", []string{"--db", dsn, "backup", out}, 3, "", "exists; use --force"},
		{"force replaces", []string{"--db", dsn, "backup", out, "--force"}, 0, "backed up ", ""},
		{"postgres backup explains pg_dump", []string{"--db", pg, "backup", out}, 2, "", "pg_dump --format=custom"},
		{"postgres restore explains pg_restore", []string{"--db", pg, "restore", out}, 2, "", "pg_restore --clean"},
		{"restore refuses a database with data", []string{"--db", dsn, "restore", out}, 3, "", "holds data"},
		{"restore into a new database", []string{"--db", "sqlite:" + filepath.Join(dir, "new.db"), "restore", out}, 0, "ok: 1 products", "restored"},
		{"restore refuses a file that is not a database", []string{"--db", "sqlite:" + filepath.Join(dir, "other.db"), "restore", filepath.Join(dir, "junk")}, 1, "", "restore:"},
		{"backup needs a file", []string{"--db", dsn, "backup"}, 2, "", "takes the backup FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
		})
	}

	// --force replaces a database with data; the product added after the
	// backup is gone and the ledger checks.
	mustRun(t, "sku,name,stock\nR2,Rope 2,5\n", "--db", dsn, "import", "products", "-")
	r := mustRun(t, "", "--db", dsn, "restore", out, "--force")
	if !strings.HasPrefix(r.stdout, "ok: 1 products") {
		t.Errorf("restore --force: %q", r.stdout)
	}
	r = mustRun(t, "", "--db", dsn, "export", "products")
	if strings.Contains(r.stdout, "R2") || !strings.Contains(r.stdout, "R1,Rope") {
		t.Errorf("products after restore:\n%s", r.stdout)
	}
}

func TestCompletionCommand(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := mustRun(t, "", "completion", shell)
		if !strings.Contains(r.stdout, "smartinventory") || len(r.stdout) < 500 {
			t.Errorf("completion %s: %.200q", shell, r.stdout)
		}
	}
	if r := runCLI(t, "", "completion", "tcsh"); r.code != 2 {
		t.Errorf("completion tcsh: exit %d", r.code)
	}
	r := mustRun(t, "", "__complete", "import", "")
	if !strings.HasPrefix(r.stdout, "products\nsuppliers\ncategories\nsales\n") {
		t.Errorf("completing import kinds: %q", r.stdout)
	}
}

// TestBackupAndRestoreMySQL: on MySQL backup writes an SQLite file holding
// one consistent snapshot, even while sales are being recorded; restore
// copies it into an empty MySQL database (and refuses one with data).
func TestBackupAndRestoreMySQL(t *testing.T) {
	dsn := dbtest.MySQLDSN(t)
	mustRun(t, "", "--db", dsn, "populate", "--products", "8", "--days", "30")
	a, bdb := openAppDB(t, dsn)
	var ids []int64
	if err := bdb.NewSelect().Model((*db.Product)(nil)).Column("id").Where("stock > 0").Scan(context.Background(), &ids); err != nil || len(ids) == 0 {
		t.Fatalf("products with stock: %v, %v", ids, err)
	}
	stop := make(chan struct{})
	sold := make(chan int)
	go func() {
		n := 0
		defer func() { sold <- n }()
		for i := 0; i < 2000; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := ids[i%len(ids)]
			if _, err := a.Sales.Record(context.Background(), app.System, app.SaleInput{ProductID: &id, Quantity: app.Ptr(int64(1))}); err == nil {
				n++
			}
		}
	}()
	out := filepath.Join(t.TempDir(), "shop.db")
	r := mustRun(t, "", "--db", dsn, "backup", out)
	close(stop)
	if n := <-sold; n == 0 {
		t.Log("no sale was recorded during the backup (the backup was quick)")
	}
	if !strings.Contains(r.stdout, "backed up") {
		t.Errorf("backup: %q", r.stdout)
	}
	mustRun(t, "", "--db", "sqlite:"+out, "check")
	if r := runCLI(t, "", "--db", dsn, "backup", out); r.code != 3 {
		t.Errorf("backup over an existing file: exit %d, want 3", r.code)
	}

	target := dbtest.MySQLDSN(t)
	r = mustRun(t, "", "--db", target, "restore", out)
	if !strings.HasPrefix(r.stdout, "ok:") {
		t.Errorf("restore: %q", r.stdout)
	}
	for _, kind := range []string{"products", "sales"} {
		if a, b := mustRun(t, "", "--db", "sqlite:"+out, "export", kind).stdout, mustRun(t, "", "--db", target, "export", kind).stdout; a != b {
			t.Errorf("restored %s differ from the backup's", kind)
		}
	}
	if r := runCLI(t, "", "--db", target, "restore", out); r.code != 3 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("restore into a database with data: exit %d, %q; want 3", r.code, r.stderr)
	}
	mustRun(t, "", "--db", target, "restore", out, "--force")
}
