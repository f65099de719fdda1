package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// maxGroup bounds how many writers share one SQLite transaction, and
// maxGroupWeight the rows they may write together: a heavy writer (a batch
// of a thousand sales) runs alone, since savepoints make SQLite journal
// every page it changes a second time.
const (
	maxGroup       = 64
	maxGroupWeight = 256
)

// writeQueue serialises write transactions on SQLite, which has a single
// writer, and commits writers that queue up behind a running transaction
// together (group commit): the next transaction runs each waiting writer's
// work in a savepoint of its own and commits once. A writer whose work fails
// is rolled back to its savepoint alone; the others are committed. Nobody
// hears "done" before the commit that holds their work succeeded, and a
// failed commit fails every writer of the group, so nothing half-exists.
//
// One commit for many small writes is what lets single sales outrun SQLite's
// per-transaction cost (WAL append, locking, page writes).
type writeQueue struct {
	db *bun.DB
	// slot is the writer lock: held while a group runs, and by imports
	// that run their own long transaction on a dedicated connection.
	slot chan struct{}

	mu      sync.Mutex
	pending []*writeJob
	leading bool // a goroutine is draining pending
}

// writeJob is one writer's work and its outcome.
type writeJob struct {
	ctx    context.Context
	weight int // about how many rows it writes
	fn     func(ctx context.Context, tx bun.Tx) error
	state  atomic.Int32 // jobWaiting, jobTaken or jobAbandoned
	done   chan error   // receives the outcome once
}

const (
	jobWaiting int32 = iota
	jobTaken
	jobAbandoned
)

// panicError carries a panic out of a writer's work to its own goroutine.
type panicError struct{ value any }

func (p panicError) Error() string { return fmt.Sprintf("panic in write transaction: %v", p.value) }

func newWriteQueue(bdb *bun.DB) *writeQueue {
	return &writeQueue{db: bdb, slot: make(chan struct{}, 1)}
}

// run runs fn in a write transaction, possibly shared with other writers,
// and returns once that transaction committed or fn's work was rolled back.
// A writer whose ctx ends before its work starts gives up; once started, its
// work runs to the end with cancellation detached (so that one client
// hanging up cannot interrupt a transaction other writers share).
func (q *writeQueue) run(ctx context.Context, weight int, fn func(ctx context.Context, tx bun.Tx) error) error {
	job := &writeJob{ctx: ctx, weight: max(weight, 1), fn: fn, done: make(chan error, 1)}
	q.mu.Lock()
	q.pending = append(q.pending, job)
	if !q.leading {
		q.leading = true
		go q.drain()
	}
	q.mu.Unlock()
	var err error
	select {
	case err = <-job.done:
	case <-ctx.Done():
		if job.state.CompareAndSwap(jobWaiting, jobAbandoned) {
			return fmt.Errorf("wait for the database writer: %w", ctx.Err())
		}
		err = <-job.done
	}
	var pe panicError
	if errors.As(err, &pe) {
		panic(pe.value) // the request's own recoverer reports it
	}
	return err
}

// lock takes the writer slot for work outside the queue (imports).
func (q *writeQueue) lock(ctx context.Context) (func(), error) {
	select {
	case q.slot <- struct{}{}:
		return func() { <-q.slot }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for the database writer: %w", ctx.Err())
	}
}

// drain runs groups until no writer waits, then stops. It takes the
// writer slot before it picks the group, so the writers that arrive while
// another transaction runs all join the next one.
func (q *writeQueue) drain() {
	for {
		q.slot <- struct{}{}
		q.mu.Lock()
		n := groupSize(q.pending)
		if n == 0 {
			q.leading = false
			q.mu.Unlock()
			<-q.slot
			return
		}
		group := make([]*writeJob, n)
		copy(group, q.pending)
		q.pending = q.pending[n:]
		q.mu.Unlock()

		q.runGroup(group)
		<-q.slot
	}
}

// groupSize is how many of the pending jobs the next group takes: at
// least one, then as many as fit maxGroup and maxGroupWeight.
func groupSize(pending []*writeJob) int {
	n, weight := 0, 0
	for _, j := range pending {
		if n == maxGroup || (n > 0 && weight+j.weight > maxGroupWeight) {
			break
		}
		n++
		weight += j.weight
	}
	return n
}

// runGroup runs the group's work in one transaction and tells each writer
// its outcome.
func (q *writeQueue) runGroup(group []*writeJob) {
	jobs := group[:0]
	for _, j := range group {
		if j.state.CompareAndSwap(jobWaiting, jobTaken) {
			jobs = append(jobs, j)
		}
	}
	if len(jobs) == 0 {
		return
	}
	results := make([]error, len(jobs))
	err := q.commitGroup(jobs, results)
	for i, j := range jobs {
		if results[i] == nil && err != nil {
			results[i] = err
		}
		j.done <- results[i]
	}
}

// commitGroup runs every job in one transaction, each in a savepoint when
// there are several, and commits. It records each job's own error in
// results and returns an error that fails the whole group.
func (q *writeQueue) commitGroup(jobs []*writeJob, results []error) error {
	bg := context.Background()
	tx, err := q.db.BeginTx(bg, &sql.TxOptions{})
	if err != nil {
		return fmt.Errorf("begin write transaction: %w", err)
	}
	if len(jobs) == 1 {
		if results[0] = runJob(jobs[0], tx); results[0] != nil {
			return rollback(tx, nil)
		}
	} else {
		for i, j := range jobs {
			if _, err := tx.ExecContext(bg, "SAVEPOINT writer"); err != nil {
				return rollback(tx, fmt.Errorf("savepoint: %w", err))
			}
			results[i] = runJob(j, tx)
			if results[i] != nil {
				if _, err := tx.ExecContext(bg, "ROLLBACK TO writer"); err != nil {
					return rollback(tx, fmt.Errorf("roll back to savepoint: %w", err))
				}
			}
			if _, err := tx.ExecContext(bg, "RELEASE writer"); err != nil {
				return rollback(tx, fmt.Errorf("release savepoint: %w", err))
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// runJob runs one writer's work, turning a panic into a panicError.
func runJob(j *writeJob, tx bun.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicError{value: v}
		}
	}()
	return j.fn(context.WithoutCancel(j.ctx), tx)
}

// rollback rolls tx back and returns cause, or the rollback's error when
// there is no cause.
func rollback(tx bun.Tx, cause error) error {
	if err := tx.Rollback(); err != nil && cause == nil {
		return fmt.Errorf("rollback: %w", err)
	}
	return cause
}
