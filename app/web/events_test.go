package web

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db"
)

// sseMessage is one message of an event stream: the fields of the lines
// up to a blank line.
type sseMessage struct {
	Event, Data, ID, Retry, Comment string
	At                              time.Time
}

// eventStream is an open GET /events.
type eventStream struct {
	t      testing.TB
	resp   *http.Response
	msgs   chan sseMessage // closed when the stream ends
	cancel context.CancelFunc
}

// events opens the event stream at path (with headers as name, value
// pairs) and fails the test unless it answers 200. The stream is closed
// at the end of the test.
func (c *client) events(path string, headers ...string) *eventStream {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		cancel()
		c.t.Fatalf("GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		cancel()
		c.t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	st := &eventStream{t: c.t, resp: resp, msgs: make(chan sseMessage, 100), cancel: cancel}
	c.t.Cleanup(st.close)
	go func() {
		defer close(st.msgs)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var m sseMessage
		for sc.Scan() {
			line := sc.Text()
			if line == "" {
				m.At = time.Now()
				select {
				case st.msgs <- m:
				case <-ctx.Done():
					return
				}
				m = sseMessage{}
				continue
			}
			name, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch name {
			case "":
				m.Comment = value
			case "event":
				m.Event = value
			case "data":
				m.Data = value
			case "id":
				m.ID = value
			case "retry":
				m.Retry = value
			}
		}
	}()
	return st
}

func (st *eventStream) close() { st.cancel() }

// next returns the next message that match accepts, failing the test when
// none arrives within timeout.
func (st *eventStream) next(timeout time.Duration, match func(sseMessage) bool) sseMessage {
	st.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-st.msgs:
			if !ok {
				st.t.Fatal("the event stream ended")
			}
			if match(m) {
				return m
			}
		case <-deadline:
			st.t.Fatalf("no matching message within %s", timeout)
		}
	}
}

// collect returns the messages that arrive within d.
func (st *eventStream) collect(d time.Duration) []sseMessage {
	var out []sseMessage
	deadline := time.After(d)
	for {
		select {
		case m, ok := <-st.msgs:
			if !ok {
				return out
			}
			out = append(out, m)
		case <-deadline:
			return out
		}
	}
}

// ended reports whether the stream ends within d.
func (st *eventStream) ended(d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case _, ok := <-st.msgs:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

func isChanged(m sseMessage) bool  { return m.Event == "changed" }
func isPreamble(m sseMessage) bool { return m.Retry != "" }
func isPing(m sseMessage) bool     { return m.Comment == "ping" }

// changedEvents keeps the change events of msgs.
func changedEvents(msgs []sseMessage) []sseMessage {
	var out []sseMessage
	for _, m := range msgs {
		if isChanged(m) {
			out = append(out, m)
		}
	}
	return out
}

// newEventsServer is a test server with a viewer and a product to sell.
func newEventsServer(t *testing.T) (*testServer, string) {
	t.Helper()
	s := newTestServer(t, Config{})
	s.user(t, "viewer", db.RoleViewer)
	return s, s.product(t, "LIVE-1", 1000).SKU
}

// sale records a sale of one unit of sku through the sales service.
func (s *testServer) sale(t testing.TB, sku string) {
	t.Helper()
	if _, err := s.app.Sales.Record(context.Background(), app.System,
		app.SaleInput{SKU: app.Ptr(sku), Quantity: app.Ptr(int64(1))}); err != nil {
		t.Fatalf("sale: %v", err)
	}
}

// setEvents changes the stream limit and timing of s.
func (s *testServer) setEvents(max int, interval, ping time.Duration) {
	e := s.web.events
	e.mu.Lock()
	e.max, e.interval, e.ping = max, interval, ping
	e.mu.Unlock()
}

// setEventsPerUser sets how many streams one user may hold.
func (s *testServer) setEventsPerUser(n int) {
	e := s.web.events
	e.mu.Lock()
	e.perUser = n
	e.mu.Unlock()
}

// openEventStreams is the number of event streams s has open.
func (s *testServer) openEventStreams() int {
	e := s.web.events
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.open
}

func TestEvents_ChangedAfterSale(t *testing.T) {
	s, sku := newEventsServer(t)
	c := s.login(t, "viewer")
	st := c.events("/events")
	for name, want := range map[string]string{
		"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"} {
		if got := st.resp.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	first := st.next(2*time.Second, func(sseMessage) bool { return true })
	if first.Retry != "5000" || first.ID != strconv.FormatUint(s.app.Changes.Generation(), 10) {
		t.Errorf("first message %+v, want retry 5000 and the generation as id", first)
	}
	if got := st.collect(300 * time.Millisecond); len(changedEvents(got)) > 0 {
		t.Fatalf("change events without a change: %+v", got)
	}

	s.sale(t, sku)
	m := st.next(3*time.Second, isChanged)
	if want := strconv.FormatUint(s.app.Changes.Generation(), 10); m.Data != want || m.ID != want {
		t.Errorf("changed event %+v, want data and id %s", m, want)
	}
}

func TestEvents_RequireSession(t *testing.T) {
	s, _ := newEventsServer(t)
	tests := []struct {
		name   string
		cookie string // si_session value; "": none
	}{
		{"no session", ""},
		{"forged session", "1.2.3.forged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.client(t)
			if tt.cookie != "" {
				u, _ := url.Parse(s.URL)
				c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "si_session", Value: tt.cookie}})
			}
			status, h, body := c.get("/events", "Accept", "text/event-stream")
			if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
				t.Errorf("status %d, location %q, want 303 to /login", status, h.Get("Location"))
			}
			if strings.Contains(h.Get("Content-Type"), "event-stream") || strings.Contains(body, "retry:") {
				t.Errorf("a stream without a session: %q %q", h.Get("Content-Type"), body)
			}
		})
	}
}

// stepClock is an eventClock whose timers fire only when the test says so:
// each After call hands its channel to the test through timers.
type stepClock struct {
	now    time.Time
	timers chan chan time.Time
}

func (c *stepClock) Now() time.Time { return c.now }

func (c *stepClock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.timers <- ch
	return ch
}

func TestEvents_CoalesceBursts(t *testing.T) {
	s, sku := newEventsServer(t)
	clock := &stepClock{now: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), timers: make(chan chan time.Time, 16)}
	e := s.web.events
	e.mu.Lock()
	e.clock = clock
	e.mu.Unlock()
	c := s.login(t, "viewer")
	st := c.events("/events")
	st.next(10*time.Second, isPreamble)

	// The first change goes out at once.
	s.sale(t, sku)
	first := strconv.FormatUint(s.app.Changes.Generation(), 10)
	if m := st.next(10*time.Second, isChanged); m.Data != first {
		t.Fatalf("first change event carries %q, want generation %s", m.Data, first)
	}
	// 19 more within the interval: the stream waits for its timer...
	for range 19 {
		s.sale(t, sku)
	}
	final := strconv.FormatUint(s.app.Changes.Generation(), 10)
	var due chan time.Time
	select {
	case due = <-clock.timers:
	case <-time.After(10 * time.Second):
		t.Fatal("the stream set no timer for the changes within its interval")
	}
	// ...and when it fires, one event carries the last generation: the 19
	// sales were coalesced into it, and none of them was lost.
	clock.now = clock.now.Add(time.Second)
	due <- clock.now
	if m := st.next(10*time.Second, isChanged); m.Data != final {
		t.Fatalf("after the interval the change event carries %q, want the final generation %s (one event for 19 sales)", m.Data, final)
	}
}

func TestEvents_SinceGeneration(t *testing.T) {
	s, sku := newEventsServer(t)
	c := s.login(t, "viewer")
	s.sale(t, sku)
	gen := s.app.Changes.Generation()
	now, before := strconv.FormatUint(gen, 10), strconv.FormatUint(gen-1, 10)
	tests := []struct {
		name    string
		path    string
		headers []string
		changed bool // a change event at once
	}{
		{"since the current generation", "/events?since=" + now, nil, false},
		{"since an older generation", "/events?since=" + before, nil, true},
		{"reconnect with the current id", "/events?since=" + before, []string{"Last-Event-ID", now}, false},
		{"reconnect with an older id", "/events", []string{"Last-Event-ID", before}, true},
		{"no generation", "/events", nil, false},
		{"bad generation", "/events?since=x", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := c.events(tt.path, tt.headers...)
			got := changedEvents(st.collect(400 * time.Millisecond))
			if (len(got) > 0) != tt.changed {
				t.Errorf("change events %+v, want one: %v", got, tt.changed)
			}
			if tt.changed && got[0].Data != now {
				t.Errorf("data %q, want %s", got[0].Data, now)
			}
		})
	}
}

func TestEvents_PingAndServerTimeouts(t *testing.T) {
	s, sku := newEventsServer(t)
	s.setEvents(maxEventStreams, eventInterval, 200*time.Millisecond)
	// The same handler behind short server timeouts: the stream must
	// outlive them.
	ts := httptest.NewUnstartedServer(s.Config.Handler)
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Config.WriteTimeout = 300 * time.Millisecond
	ts.Start()
	t.Cleanup(ts.Close)
	c := s.login(t, "viewer")
	c.base = ts.URL
	st := c.events("/events")
	msgs := st.collect(time.Second)
	pings := 0
	for _, m := range msgs {
		if isPing(m) {
			pings++
		}
	}
	if pings < 3 {
		t.Errorf("%d pings in 1 s every 200 ms: %+v", pings, msgs)
	}
	s.sale(t, sku)
	st.next(3*time.Second, isChanged)
}

func TestEvents_Limit(t *testing.T) {
	s, _ := newEventsServer(t)
	s.setEvents(1, eventInterval, pingInterval)
	c := s.login(t, "viewer")
	st := c.events("/events")
	status, h, _ := c.get("/events", "Accept", "text/event-stream")
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Fatalf("second stream: status %d, Retry-After %q, want 503 with Retry-After", status, h.Get("Retry-After"))
	}
	st.close()
	deadline := time.Now().Add(3 * time.Second)
	for s.openEventStreams() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the closed stream still holds its slot")
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.events("/events").next(2*time.Second, isPreamble)
}

// Issue 12 (Low): one user cannot take every stream slot.
func TestEvents_PerUserLimit(t *testing.T) {
	s, _ := newEventsServer(t)
	s.user(t, "other", db.RoleViewer)
	s.setEventsPerUser(2)
	c := s.login(t, "viewer")
	c.events("/events").next(2*time.Second, isPreamble)
	c.events("/events").next(2*time.Second, isPreamble)
	status, h, _ := c.get("/events", "Accept", "text/event-stream")
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Fatalf("third stream of one user: status %d, Retry-After %q, want 429 with Retry-After", status, h.Get("Retry-After"))
	}
	s.login(t, "other").events("/events").next(2*time.Second, isPreamble)
}

// TestEvents_EndOnShutdown runs the server as serve does and checks that
// open streams end, and do not hold up a graceful shutdown, both when the
// server shuts down and on Web.Close.
func TestEvents_EndOnShutdown(t *testing.T) {
	tests := []struct {
		name  string
		close bool // Web.Close before the shutdown
	}{
		{"server shutdown", false},
		{"Web.Close", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newEventsServer(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			addrs, done := make(chan net.Addr, 1), make(chan error, 1)
			go func() {
				done <- server.Run(ctx, "127.0.0.1:0", s.Config.Handler, nil, func(a net.Addr) { addrs <- a })
			}()
			c := s.login(t, "viewer")
			c.base = "http://" + (<-addrs).String()
			st := c.events("/events")
			st.next(2*time.Second, isPreamble)

			start := time.Now()
			if tt.close {
				s.web.Close()
				if !st.ended(2 * time.Second) {
					t.Fatal("the stream is still open after Web.Close")
				}
				if status, _, _ := c.get("/events"); status != http.StatusServiceUnavailable {
					t.Errorf("a stream after Web.Close: status %d, want 503", status)
				}
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("graceful shutdown waits for the open event stream")
			}
			if !st.ended(time.Second) {
				t.Error("the stream is still open after the shutdown")
			}
			t.Logf("stopped in %s", time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestEvents_LiveFromOtherReplica checks that, with the change watcher
// running as serve runs it, a sale recorded by another replica over the
// same database (LISTEN/NOTIFY on PostgreSQL, data_version on SQLite)
// reaches this server's streams.
func TestEvents_LiveFromOtherReplica(t *testing.T) {
	s, sku := newEventsServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		s.app.Changes.Watch(ctx, s.db, slog.New(slog.DiscardHandler))
	}()
	t.Cleanup(func() { cancel(); <-watching })
	waitFor(t, 5*time.Second, "the change watcher", s.app.Changes.Live)

	other := app.New(s.db, app.Options{})
	c := s.login(t, "viewer")
	st := c.events("/events")
	st.next(2*time.Second, isPreamble)
	st.collect(300 * time.Millisecond) // whatever the watcher's start announced
	if _, err := other.Sales.Record(context.Background(), app.System,
		app.SaleInput{SKU: app.Ptr(sku), Quantity: app.Ptr(int64(1))}); err != nil {
		t.Fatalf("sale on the other replica: %v", err)
	}
	st.next(3*time.Second, isChanged)
}
