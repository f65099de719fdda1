package web

import (
	"sync"
	"time"
)

// limiter is a set of token buckets, one per key (client IP + username),
// kept in memory: a replica-local limit is enough to make password
// guessing slow.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	burst   float64
	refill  time.Duration // time to regain one token
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the memory; full buckets are dropped beyond it.
const maxBuckets = 10_000

func newLimiter(burst int, refill time.Duration, now func() time.Time) *limiter {
	return &limiter{buckets: map[string]*bucket{}, burst: float64(burst), refill: refill, now: now}
}

// allow takes a token for key. When none is left it returns false and how
// long until the next one.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.refill))
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.refill))
	return false, wait
}

// reset forgets key (after a successful sign-in).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}

// prune drops the buckets that have refilled completely.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.last))/float64(l.refill) >= l.burst {
			delete(l.buckets, k)
		}
	}
}
