package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db/dbtest"
)

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Sign-in attempts with ever new, huge usernames must not grow the server's memory; the limiter keeps a fixed
// amount per bucket and a bounded number of buckets.
func TestLogin_HugeUsernamesDoNotGrowMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 10,000 sign-in attempts")
	}
	s := newTestServer(t, Config{})
	c := s.client(t)
	c.get("/login")
	pad := strings.Repeat("x", 16<<10)
	send := func(i int) {
		status, _, body := c.post("/login", url.Values{"username": {fmt.Sprintf("%06d%s", i, pad)}, "password": {"wrong"}})
		if status != http.StatusUnauthorized && status != http.StatusTooManyRequests {
			t.Fatalf("attempt %d: status %d, want 401 or 429: %.300s", i, status, body)
		}
		if strings.Contains(body, pad[:maxLoginName+1]) {
			t.Fatalf("attempt %d: the page echoes more than %d bytes of the username", i, maxLoginName)
		}
	}
	send(-1) // warm up connections, templates and caches
	before := heapInUse()
	const n = 10_000
	for i := range n {
		send(i)
	}
	after := heapInUse()
	growth := int64(after) - int64(before)
	t.Logf("heap %d -> %d bytes (%+d) after %d attempts of %d-byte usernames; %d buckets",
		before, after, growth, n, len(pad)+6, s.web.limiter.size())
	if s.web.limiter.size() > 2 {
		t.Errorf("%d buckets for one client's over-long usernames, want them pooled", s.web.limiter.size())
	}
	if growth > 4<<20 {
		t.Errorf("heap grew by %.1f MB after %d sign-in attempts with distinct huge usernames; want < 4 MB", float64(growth)/(1<<20), n)
	}
}

// The limiter keeps at most maxBuckets buckets, whatever the keys.
func TestLimiter_Bounded(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := newLimiter(2, time.Minute, func() time.Time { return now })
	before := heapInUse()
	for i := range 3 * maxBuckets {
		l.allow(keyFor("192.0.2.1", fmt.Sprintf("user%d-%s", i, strings.Repeat("x", 50))))
	}
	growth := int64(heapInUse()) - int64(before)
	if got := l.size(); got > maxBuckets {
		t.Fatalf("limiter holds %d buckets, want at most %d", got, maxBuckets)
	}
	if growth > 4<<20 {
		t.Errorf("%d distinct usernames grew the heap by %.1f MB; want < 4 MB", 3*maxBuckets, float64(growth)/(1<<20))
	}
	t.Logf("%d distinct usernames: %d buckets, heap %+d bytes", 3*maxBuckets, l.size(), growth)
	// Over-long names, which no user can have, share one bucket per IP
	// (distinct ones cannot flush the LRU); case does not matter.
	long := strings.Repeat("a", maxLoginName+1)
	if keyFor("ip", long) != keyFor("ip", long+"-and-more") || keyFor("ip", long) == keyFor("ip2", long) ||
		keyFor("ip", "A") != keyFor("ip", "a") || keyFor("ip", long[:maxLoginName]) == keyFor("ip", long) {
		t.Fatal("keys must pool over-long usernames per IP and ignore case")
	}
	// Spellings sign-in takes for one account share its bucket.
	if keyFor("ip", "ａｌｉｃｅ") != keyFor("ip", "Alice") || keyFor("ip", "ali\u200bce") != keyFor("ip", "alice") {
		t.Fatal("full-width and zero-width spellings of a username must share its bucket")
	}
	k := keyFor("192.0.2.9", "victim")
	for i := range 2 {
		if ok, _ := l.allow(k); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.allow(k)
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("third attempt: allowed %v, wait %v; want refused with a wait of at most a minute", ok, wait)
	}
	now = now.Add(time.Minute)
	if ok, _ := l.allow(k); !ok {
		t.Fatal("refused after the refill time")
	}
}

// Issue 12 (Low): behind a trusted proxy the login limiter uses the
// server's one IP extractor, the rightmost untrusted X-Forwarded-For hop:
// a client that puts addresses of its choice in front gets no new bucket.
func TestLogin_RateLimitIgnoresForgedForwardedFor(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	w, err := New(context.Background(), a, Config{LoginBurst: 3, TrustProxy: true})
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	e := server.New(a, server.Options{Logger: logger, ActorFromRequest: w.ActorFromRequest, Mount: w.Mount,
		HandleError: w.HandleError, TrustProxy: true})
	srv := httptest.NewServer(e)
	defer srv.Close()
	s := &testServer{Server: srv, app: a, web: w}
	c := s.client(t)
	c.get("/login")
	var last int
	for i := range 4 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(url.Values{
			"username": {"mallory"}, "password": {"guess"}, "_csrf": {c.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d, 203.0.113.7", i))
		last, _, _ = c.do(req)
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("4th attempt from 203.0.113.7 with burst 3 and forged leftmost hops: %d, want 429", last)
	}
	if !strings.Contains(logs.String(), `"remote_ip":"203.0.113.7"`) {
		t.Errorf("the request log names another client IP than the limiter:\n%.500s", logs.String())
	}
}
