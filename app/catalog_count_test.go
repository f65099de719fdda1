package app_test

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db/dbtest"
)

// countHook counts the COUNT queries run on a database.
type countHook struct{ n atomic.Int64 }

func (h *countHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *countHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if strings.Contains(strings.ToLower(e.Query), "count(") {
		h.n.Add(1)
	}
}

// TestListProductsCountsOncePerChange: paging through the products counts
// the catalogue once, not per page, while the change feed sees no write;
// after a write the total is counted afresh.
func TestListProductsCountsOncePerChange(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		bdb := dbtest.OpenDSN(t, dsn)
		a := app.New(bdb, app.Options{})
		c, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { a.Changes.Watch(c, bdb, slog.New(slog.DiscardHandler)); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		for !a.Changes.Live() {
			time.Sleep(5 * time.Millisecond)
		}
		for _, sku := range []string{"CNT-1", "CNT-2", "CNT-3"} {
			newProduct(t, a, sku, 5)
		}
		hook := &countHook{}
		bdb.AddQueryHook(hook)

		list := func(offset int) ([]string, int) {
			t.Helper()
			items, total, err := a.Catalog.ListProducts(ctx, app.System, app.ProductFilter{Query: "cnt", Limit: 2, Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			var skus []string
			for _, p := range items {
				skus = append(skus, p.SKU)
			}
			return skus, total
		}
		first, total := list(0)
		second, total2 := list(2)
		if strings.Join(first, ",") != "CNT-1,CNT-2" || strings.Join(second, ",") != "CNT-3" || total != 3 || total2 != 3 {
			t.Fatalf("pages %v %v, totals %d %d; want [CNT-1 CNT-2] [CNT-3], 3 3", first, second, total, total2)
		}
		if got := hook.n.Load(); got != 1 {
			t.Errorf("two pages of one filter ran %d COUNT queries, want 1", got)
		}

		newProduct(t, a, "CNT-4", 5)
		if _, total := list(0); total != 4 {
			t.Errorf("after adding a product the total is %d, want 4", total)
		}
		if got := hook.n.Load(); got != 2 {
			t.Errorf("after a write: %d COUNT queries in all, want 2", got)
		}
	})
}
