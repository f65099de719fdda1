package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/db"
)

// Live events
//
// GET /events is a Server-Sent Events stream that tells a page when data
// changed, so that its fragments refetch at once instead of at their next
// poll. It follows app.Changes: this process's writes, and, while the
// change watcher runs, other processes' (LISTEN/NOTIFY on PostgreSQL, so
// every replica's dashboards hear every replica's writes). It sends
//
//	retry: 5000             once, with "id: <generation>"
//	event: changed          after changes, at most one per eventInterval
//	data: <generation>      (bursts are coalesced)
//	: ping                  every pingInterval, so proxies keep it open
//
// A client that passes the generation it last saw (Last-Event-ID when
// EventSource reconnects, or ?since= on the page's first connection) gets
// a changed event at once when the generation moved on meanwhile. The
// generation counts changes per process: after a reconnect to another
// replica the numbers differ and the client refetches once, which costs
// 304s where nothing changed.
//
// static/js/app.js opens the stream on pages with a data-live-events
// attribute and fires smartinv:changed on <body>, which the fragments'
// hx-trigger listens for (views.Poll.Events); they still poll every
// Config.LivePollInterval in case the stream does not get through.
//
// Streams end when the client goes, when the http.Server that serves them
// shuts down (a hook registered with RegisterOnShutdown: Shutdown neither
// cancels request contexts nor returns while streams are open) and on
// Web.Close. At most maxEventStreams are open at once; more get 503 with
// Retry-After, and those browsers poll. One user may hold at most
// maxEventStreamsPerUser (a few tabs each); more get 429 with Retry-After,
// so one viewer cannot take every slot.

const (
	eventsPath = "/events"

	// maxEventStreams is how many event streams a process keeps open.
	maxEventStreams = 1000
	// maxEventStreamsPerUser is how many of them one user may hold.
	maxEventStreamsPerUser = 10
	// eventInterval is the least time between two change events.
	eventInterval = time.Second
	// pingInterval is how often an idle stream sends a comment.
	pingInterval = 25 * time.Second
	// eventWriteTimeout is how long one write may take before the stream
	// is given up (a client that stopped reading).
	eventWriteTimeout = 10 * time.Second
	// eventRetry is the reconnection delay the stream asks clients for.
	eventRetry = 5 * time.Second
	// eventsBusyRetryAfter is the Retry-After of a refused stream.
	eventsBusyRetryAfter = 60 * time.Second
)

// eventRoutes registers the event stream.
func (w *Web) eventRoutes(r router) {
	r.GET(eventsPath, w.handleEvents, db.RoleViewer)
}

// eventStreams counts the open streams and ends them on shutdown.
type eventStreams struct {
	mu       sync.Mutex
	max      int           // streams open at once
	perUser  int           // streams open at once per user
	interval time.Duration // least time between two change events
	ping     time.Duration // heartbeat period
	open     int
	byUser   map[int64]int
	closed   chan struct{}                  // closed by Web.Close
	servers  map[*http.Server]chan struct{} // each closed when its server shuts down
	clock    eventClock                     // paces coalesced change events
}

// eventClock is the time source of change-event coalescing; tests replace
// it to step time instead of sleeping.
type eventClock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

func newEventStreams() *eventStreams {
	return &eventStreams{max: maxEventStreams, perUser: maxEventStreamsPerUser, interval: eventInterval, ping: pingInterval,
		byUser: map[int64]int{}, closed: make(chan struct{}), servers: map[*http.Server]chan struct{}{}, clock: realClock{}}
}

// acquire takes a stream slot of user and returns the stream's event
// interval and ping period; busy is false when all slots are taken or
// after close, and true (with ok false) when the user holds perUser.
func (s *eventStreams) acquire(user int64) (interval, ping time.Duration, ok, userBusy bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
		return 0, 0, false, false
	default:
	}
	if s.byUser[user] >= s.perUser {
		return 0, 0, false, true
	}
	if s.open >= s.max {
		return 0, 0, false, false
	}
	s.open++
	s.byUser[user]++
	return s.interval, s.ping, true, false
}

func (s *eventStreams) release(user int64) {
	s.mu.Lock()
	s.open--
	if s.byUser[user]--; s.byUser[user] <= 0 {
		delete(s.byUser, user)
	}
	s.mu.Unlock()
}

// close ends every stream and refuses new ones.
func (s *eventStreams) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
}

// serverDone returns a channel closed when the http.Server serving r
// shuts down (nil, which never fires, without one).
func (s *eventStreams) serverDone(r *http.Request) <-chan struct{} {
	srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server)
	if srv == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	done, ok := s.servers[srv]
	if !ok {
		// Kept after shutdown too, so that a late stream sees it closed.
		done = make(chan struct{})
		s.servers[srv] = done
		srv.RegisterOnShutdown(func() { close(done) })
	}
	return done
}

// Close ends the open event streams and refuses new ones. A server shut
// down with http.Server.Shutdown ends its streams without it; Close is for
// servers stopped otherwise (httptest.Server.Close waits for them).
func (w *Web) Close() { w.events.close() }

// handleEvents streams change events (see "Live events" above).
func (w *Web) handleEvents(c echo.Context) error {
	s := w.events
	user := currentUser(c).ID
	interval, pingEvery, ok, userBusy := s.acquire(user)
	s.mu.Lock()
	clock := s.clock
	s.mu.Unlock()
	if !ok {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(eventsBusyRetryAfter.Seconds())))
		if userBusy {
			return c.String(http.StatusTooManyRequests, "You have too many live connections open: this page will poll for changes instead.\n")
		}
		return c.String(http.StatusServiceUnavailable, "Too many live connections: this page will poll for changes instead.\n")
	}
	defer s.release(user)
	changed, unsubscribe := w.app.Changes.Subscribe()
	defer unsubscribe()

	req, res := c.Request(), c.Response()
	ctx := req.Context()
	serverDone := s.serverDone(req)
	// Each write gets a deadline of its own instead of the server's
	// WriteTimeout, which would cut the stream.
	rc := http.NewResponseController(res)
	write := func(msg string) error {
		if err := rc.SetWriteDeadline(time.Now().Add(eventWriteTimeout)); err != nil {
			return err
		}
		if _, err := io.WriteString(res, msg); err != nil {
			return err
		}
		return rc.Flush()
	}

	h := res.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	res.WriteHeader(http.StatusOK)

	gen := w.app.Changes.Generation()
	if err := write(fmt.Sprintf("retry: %d\nid: %d\n\n", eventRetry.Milliseconds(), gen)); err != nil {
		return nil
	}
	var (
		last time.Time // when the last change event went out
		sent = gen     // the generation the client knows
	)
	token := currentSession(c).token
	// stillSignedIn ends the stream of a session that ended meanwhile
	// (signed out, new password or role, deactivated): checked before each
	// event and ping.
	stillSignedIn := func() error {
		if _, _, err := w.app.Sessions.Lookup(ctx, token); err != nil {
			return err
		}
		return nil
	}
	sendChanged := func() error {
		g := w.app.Changes.Generation()
		if g == sent {
			return nil // a wake-up for changes already reported
		}
		if err := stillSignedIn(); err != nil {
			return err
		}
		last, sent = clock.Now(), g
		return write(fmt.Sprintf("id: %d\nevent: changed\ndata: %d\n\n", g, g))
	}
	if seen, ok := seenGeneration(req); ok && seen != gen {
		sent = seen
		if err := sendChanged(); err != nil {
			return nil
		}
	}

	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	var due <-chan time.Time // a coalesced change event waiting for its turn
	for {
		var err error
		select {
		case <-ctx.Done():
			return nil
		case <-serverDone:
			return nil
		case <-s.closed:
			return nil
		case <-changed:
			if due != nil {
				continue // already on its way
			}
			if wait := interval - clock.Now().Sub(last); wait > 0 {
				due = clock.After(wait)
				continue
			}
			err = sendChanged()
		case <-due:
			due = nil
			err = sendChanged()
		case <-ping.C:
			if err = stillSignedIn(); err == nil {
				err = write(": ping\n\n")
			}
		}
		if err != nil {
			return nil // the client is gone or stopped reading, or the session ended
		}
	}
}

// seenGeneration is the generation the client saw last: Last-Event-ID on
// a reconnection, else the since parameter of the page's first connection.
func seenGeneration(r *http.Request) (uint64, bool) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("since")
	}
	g, err := strconv.ParseUint(v, 10, 64)
	return g, err == nil
}

// eventsURL is the address of the event stream for a page rendered at
// change generation gen.
func eventsURL(gen uint64) string {
	return eventsPath + "?since=" + strconv.FormatUint(gen, 10)
}
