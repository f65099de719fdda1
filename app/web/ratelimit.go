package web

import (
	"crypto/sha256"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"

	"smartinventory/app"
	"smartinventory/db/namekey"
)

// limiter rate-limits sign-in attempts with one token bucket per key
// (client IP + username), kept in memory: a replica-local limit is enough
// to make password guessing slow.
//
// Its memory is bounded whatever clients send: keys are SHA-256 digests
// (32 bytes, not the username itself), and at most maxBuckets buckets are
// kept, the least recently used dropped first.
type limiter struct {
	mu      sync.Mutex // makes get-or-create atomic
	buckets *lru.Cache[loginKey, *rate.Limiter]
	burst   int
	every   rate.Limit
	now     func() time.Time
}

// loginKey identifies a bucket: the digest of "IP|username".
type loginKey [sha256.Size]byte

// maxBuckets bounds the buckets kept (about 200 bytes each).
const maxBuckets = 10_000

// maxLoginName is the longest username looked at: usernames are at most
// 64 characters (app.usernameRE), so longer ones cannot sign in and are
// cut before they are hashed or stored anywhere.
const maxLoginName = app.MaxUsernameLength

func newLimiter(burst int, refill time.Duration, now func() time.Time) *limiter {
	cache, err := lru.New[loginKey, *rate.Limiter](maxBuckets)
	if err != nil {
		panic(err) // only for a size <= 0
	}
	return &limiter{buckets: cache, burst: burst, every: rate.Every(refill), now: now}
}

// keyFor returns the bucket key of a sign-in attempt by username from ip.
// Usernames longer than any user can have share one bucket per IP: they
// cost the server no password check, so distinct ones must not let a
// client flush the LRU (and with it its own bucket for a real account)
// cheaply.
func keyFor(ip, username string) loginKey {
	if len(username) > maxLoginName {
		username = "\x00too long" // no real username starts with NUL
	}
	if len(ip) > 64 {
		ip = ip[:64]
	}
	// One bucket per account, however the name is spelt: sign-in finds
	// "ALICE" and "ａｌｉｃｅ" by the same key (db/namekey).
	return sha256.Sum256([]byte(ip + "|" + namekey.Key(username)))
}

// allow takes a token for key. When none is left it returns false and how
// long until the next one.
func (l *limiter) allow(key loginKey) (bool, time.Duration) {
	l.mu.Lock()
	b, ok := l.buckets.Get(key)
	if !ok {
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets.Add(key, b)
	}
	l.mu.Unlock()
	now := l.now()
	r := b.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return false, wait
	}
	return true, 0
}

// reset forgets key (after a successful sign-in).
func (l *limiter) reset(key loginKey) {
	l.buckets.Remove(key)
}

// size is the number of buckets kept.
func (l *limiter) size() int { return l.buckets.Len() }
