package app

import (
	"context"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Last-used bookkeeping
//
// Signing in records users.last_login_at, each API call a token's
// last_used_at, and a web session in use is renewed. Those writes are
// best-effort: they never fail or delay
// the request that caused them. They run in the background through the
// write queue (on SQLite, behind whatever holds the writer, such as an
// import), at most once per touchInterval per user or token and process,
// and are skipped when touchMaxInFlight are already waiting; a failed one
// is tried again by a later request.

const (
	// touchInterval is the least time between two touches of one user or
	// token by this process.
	touchInterval = time.Minute
	// touchMaxInFlight bounds the touches waiting for the writer.
	touchMaxInFlight = 4
	// touchTimeout is how long a touch waits for the writer.
	touchTimeout = 30 * time.Second
	// touchMaxKeys bounds the remembered attempts; it starts over when full.
	touchMaxKeys = 10_000
)

// touchKey names what a touch writes: a user (last login), a token (last
// use) or a web session (renewal, by token hash).
type touchKey struct {
	token   bool
	id      int64
	session string
}

// toucher runs the best-effort writes described above.
type toucher struct {
	mu       sync.Mutex
	last     map[touchKey]time.Time // last attempt per user or token
	inflight int
	wg       sync.WaitGroup
}

// touch runs fn (an UPDATE of key's last-used column) in the background
// unless key was touched within touchInterval or too many touches wait.
// It reports whether fn was started.
func (b *base) touch(key touchKey, now time.Time, fn func(ctx context.Context, tx bun.Tx) error) bool {
	t := &b.touches
	t.mu.Lock()
	if last, ok := t.last[key]; (ok && now.Sub(last) < touchInterval) || t.inflight >= touchMaxInFlight {
		t.mu.Unlock()
		return false
	}
	if t.last == nil || len(t.last) >= touchMaxKeys {
		t.last = map[touchKey]time.Time{}
	}
	t.last[key] = now
	t.inflight++
	t.wg.Add(1)
	t.mu.Unlock()
	go func() {
		defer t.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), touchTimeout)
		defer cancel()
		var err error
		if b.writes != nil {
			err = b.writes.run(ctx, 1, fn)
		} else {
			err = b.db.RunInTx(ctx, nil, fn)
		}
		t.mu.Lock()
		t.inflight--
		if err != nil {
			delete(t.last, key) // try again with the next request
		}
		t.mu.Unlock()
	}()
	return true
}

// WaitTouches waits until the pending last-used writes are done (tests;
// before closing the database).
func (u *Users) WaitTouches() { u.touches.wg.Wait() }
