package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// queueDB opens a fresh SQLite database with one table of keys.
func queueDB(t *testing.T) *bun.DB {
	t.Helper()
	ctx := context.Background()
	bdb, err := db.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	if _, err := bdb.ExecContext(ctx, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return bdb
}

func insertKV(k int) func(ctx context.Context, tx bun.Tx) error {
	return func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO kv (k, v) VALUES (?, ?)", k, k)
		return err
	}
}

func keys(t *testing.T, bdb *bun.DB) map[int]bool {
	t.Helper()
	var ks []int
	if err := bdb.NewSelect().Table("kv").Column("k").Scan(context.Background(), &ks); err != nil {
		t.Fatal(err)
	}
	out := map[int]bool{}
	for _, k := range ks {
		out[k] = true
	}
	return out
}

// TestWriteQueueIsolatesWriters runs many concurrent writers, some of which
// fail after writing: exactly the successful ones must be committed, and
// each writer must hear its own outcome.
func TestWriteQueueIsolatesWriters(t *testing.T) {
	bdb := queueDB(t)
	q := newWriteQueue(bdb)
	errOdd := errors.New("odd keys fail")
	const n = 400
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = q.run(context.Background(), 1, func(ctx context.Context, tx bun.Tx) error {
				if err := insertKV(i)(ctx, tx); err != nil {
					return err
				}
				if i%2 == 1 {
					return fmt.Errorf("key %d: %w", i, errOdd)
				}
				return nil
			})
		})
	}
	wg.Wait()
	got := keys(t, bdb)
	for i := range n {
		switch {
		case i%2 == 0 && errs[i] != nil:
			t.Errorf("writer %d: %v, want success", i, errs[i])
		case i%2 == 1 && !errors.Is(errs[i], errOdd):
			t.Errorf("writer %d: %v, want its own error", i, errs[i])
		}
		if got[i] != (i%2 == 0) {
			t.Errorf("key %d stored = %v, want %v", i, got[i], i%2 == 0)
		}
	}
}

// TestWriteQueueFailedStatementRollsBackOnlyItsWriter: a constraint
// violation inside one writer leaves the others of its group committed.
func TestWriteQueueFailedStatementRollsBackOnlyItsWriter(t *testing.T) {
	bdb := queueDB(t)
	q := newWriteQueue(bdb)
	// Hold the writer slot so that all writers queue up and share a group.
	unlock, err := q.lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i, k := range []int{1, 1, 2} { // the second insert of key 1 violates the primary key
		wg.Go(func() {
			errs[i] = q.run(context.Background(), 1, func(ctx context.Context, tx bun.Tx) error {
				if err := insertKV(k)(ctx, tx); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, "UPDATE kv SET v = v + 100 WHERE k = ?", k)
				return err
			})
		})
	}
	waitPending(t, q, 3)
	unlock()
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("errors %v: want exactly one duplicate-key failure", errs)
	}
	var vs []int
	if err := bdb.NewSelect().Table("kv").Column("v").OrderExpr("k").Scan(context.Background(), &vs); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(vs) != "[101 102]" {
		t.Fatalf("values %v, want [101 102]: each successful writer's two statements, nothing of the failed one", vs)
	}
}

// waitPending waits until n writers are queued.
func waitPending(t *testing.T, q *writeQueue, n int) {
	t.Helper()
	for range 5000 {
		q.mu.Lock()
		p := len(q.pending)
		q.mu.Unlock()
		if p >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("writers never queued up")
}

// TestWriteQueueAbandonedWriterNeverRuns: a writer whose context ends while
// it waits gives up, and its work is never done.
func TestWriteQueueAbandonedWriterNeverRuns(t *testing.T) {
	bdb := queueDB(t)
	q := newWriteQueue(bdb)
	unlock, err := q.lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.run(ctx, 1, insertKV(7)) }()
	waitPending(t, q, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned writer: %v, want context.Canceled", err)
	}
	unlock()
	if err := q.run(context.Background(), 1, insertKV(8)); err != nil {
		t.Fatal(err)
	}
	if got := keys(t, bdb); got[7] || !got[8] {
		t.Fatalf("keys %v: want 8 only", got)
	}
}

// TestWriteQueuePanicReachesItsWriter: a panic in one writer's work is
// re-raised in that writer's goroutine; the queue goes on working.
func TestWriteQueuePanicReachesItsWriter(t *testing.T) {
	bdb := queueDB(t)
	q := newWriteQueue(bdb)
	got := func() (v any) {
		defer func() { v = recover() }()
		_ = q.run(context.Background(), 1, func(ctx context.Context, tx bun.Tx) error {
			if err := insertKV(1)(ctx, tx); err != nil {
				return err
			}
			panic("boom")
		})
		return nil
	}()
	if got != "boom" {
		t.Fatalf("recovered %v, want boom", got)
	}
	if err := q.run(context.Background(), 1, insertKV(2)); err != nil {
		t.Fatal(err)
	}
	if ks := keys(t, bdb); ks[1] || !ks[2] {
		t.Fatalf("keys %v: want 2 only (the panicking writer rolled back)", ks)
	}
}

// TestGroupSize: a group takes writers in order while they fit both bounds,
// and always at least one (a heavy writer runs alone).
func TestGroupSize(t *testing.T) {
	jobs := func(weights ...int) []*writeJob {
		out := make([]*writeJob, len(weights))
		for i, w := range weights {
			out[i] = &writeJob{weight: w}
		}
		return out
	}
	many := make([]int, maxGroup+10)
	for i := range many {
		many[i] = 1
	}
	tests := []struct {
		name    string
		weights []int
		want    int
	}{
		{"none", nil, 0},
		{"one light", []int{1}, 1},
		{"heavy first runs alone", []int{1000, 1, 1}, 1},
		{"heavy after light waits", []int{1, 1, 1000}, 2},
		{"up to the weight", []int{100, 100, 56, 1}, 3},
		{"at most maxGroup", many, maxGroup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupSize(jobs(tt.weights...)); got != tt.want {
				t.Errorf("groupSize(%v) = %d, want %d", tt.weights, got, tt.want)
			}
		})
	}
}
