package app_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db/dbtest"
)

// gateHook holds the queries that read forecasts until open is closed, and
// counts them (not the cache's version check, which only counts them).
type gateHook struct {
	open chan struct{}
	n    atomic.Int64
}

func (h *gateHook) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.Contains(e.Query, "forecasts") && !strings.Contains(e.Query, "MAX(computed_at)") {
		h.n.Add(1)
		<-h.open
	}
	return ctx
}

func (h *gateHook) AfterQuery(context.Context, *bun.QueryEvent) {}

// TestWarmBeforeReady: while Warm computes the restock suggestions, Ready
// says not ready; afterwards it is ready and the first request for the
// suggestions is served from the cache (no forecast query).
func TestWarmBeforeReady(t *testing.T) {
	bdb := dbtest.Open(t)
	a := app.New(bdb, app.Options{})
	newProduct(t, a, "WARM-1", 3)
	hook := &gateHook{open: make(chan struct{})}
	bdb.AddQueryHook(hook)

	done := a.Warm(ctx)
	if err := a.Ready(ctx); !errors.Is(err, app.ErrWarming) {
		t.Errorf("Ready while warming: %v, want ErrWarming", err)
	}
	close(hook.open)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := a.Ready(ctx); err != nil {
		t.Errorf("Ready after warming: %v", err)
	}
	warmQueries := hook.n.Load()
	if warmQueries == 0 {
		t.Fatal("warming read no forecasts")
	}
	if _, err := a.Restock.Suggestions(ctx, app.System, app.RestockFilter{All: true}); err != nil {
		t.Fatal(err)
	}
	if n := hook.n.Load() - warmQueries; n != 0 {
		t.Errorf("the first request after warming ran %d forecast queries, want 0 (cached)", n)
	}
}
