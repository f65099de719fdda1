package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// stalledWriter is a client that takes the first write and then stops
// reading until released, as a slow download does.
type stalledWriter struct {
	first   chan struct{} // closed at the first write
	release chan struct{}
	once    sync.Once
}

func newStalledWriter() *stalledWriter {
	return &stalledWriter{first: make(chan struct{}), release: make(chan struct{})}
}

func (w *stalledWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.first) })
	<-w.release
	return len(p), nil
}

// salesForExport records n sales (an export of them needs several pages).
func salesForExport(t *testing.T, a *app.App, n int) {
	t.Helper()
	newProduct(t, a, "EXP-1", int64(n))
	var b strings.Builder
	b.WriteString("sku,quantity\n")
	for range n {
		b.WriteString("EXP-1,1\n")
	}
	mustImport(t, a, app.ImportSales, b.String(), app.ImportOptions{})
}

// Issue 12, Medium 4: as many slow CSV downloads as the SQLite pool has
// connections (by several viewers) must not hold those connections: a
// plain read still answers.
func TestExport_SlowReadersDoNotStarveThePool(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		salesForExport(t, a, 2500)
		const readers = db.SQLiteMaxConns
		var wg sync.WaitGroup
		writers := make([]*stalledWriter, readers)
		errs := make(chan error, readers)
		for i := range readers {
			viewer := actorWithRole(t, a, fmt.Sprintf("viewer%d", i), db.RoleViewer)
			writers[i] = newStalledWriter()
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- a.Export(ctx, viewer, writers[i], app.ImportSales)
			}()
		}
		t.Cleanup(func() {
			for _, w := range writers {
				select {
				case <-w.release:
				default:
					close(w.release)
				}
			}
			wg.Wait()
		})
		for i, w := range writers {
			select {
			case <-w.first:
			case err := <-errs:
				t.Fatalf("an export ended before its reader stalled: %v", err)
			case <-time.After(30 * time.Second):
				t.Fatalf("export %d wrote nothing", i)
			}
		}
		// Every download is now stalled mid-way. A plain read must answer.
		rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if _, n, err := a.Sales.List(rctx, app.System, app.SaleFilter{}); err != nil || n != 2500 {
			t.Fatalf("list sales while %d exports stall: %d sales, %v", readers, n, err)
		}
		for _, w := range writers {
			close(w.release)
		}
		wg.Wait()
		for range readers {
			if err := <-errs; err != nil {
				t.Errorf("export: %v", err)
			}
		}
	})
}

// Each user runs at most MaxExportsPerUser exports at once; the next one
// is EBUSY with a retry time, and a slot frees when an export ends.
func TestExport_PerUserCap(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	salesForExport(t, a, 1500)
	viewer := actorWithRole(t, a, "viewer", db.RoleViewer)
	var ws []*stalledWriter
	done := make(chan error, app.MaxExportsPerUser)
	for range app.MaxExportsPerUser {
		w := newStalledWriter()
		ws = append(ws, w)
		go func() { done <- a.Export(ctx, viewer, w, app.ImportSales) }()
		<-w.first
	}
	err := a.Export(ctx, viewer, &strings.Builder{}, app.ImportSales)
	wantCode(t, err, app.EBUSY)
	var ae *app.Error
	if !errors.As(err, &ae) || ae.RetryAfter <= 0 {
		t.Fatalf("EBUSY without a retry time: %+v", err)
	}
	// Another user is not affected.
	if err := a.Export(ctx, actorWithRole(t, a, "other", db.RoleViewer), &strings.Builder{}, app.ImportSales); err != nil {
		t.Fatalf("another viewer's export: %v", err)
	}
	close(ws[0].release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := a.Export(ctx, viewer, &strings.Builder{}, app.ImportSales); err != nil {
		t.Fatalf("export after one ended: %v", err)
	}
	close(ws[1].release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
