package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// stolen is a copy of a signed-in browser's cookie and CSRF token, replayed
// against a server (possibly another replica).
type stolen struct {
	cookie *http.Cookie
	csrf   string
}

func steal(t *testing.T, s *testServer, c *client) stolen {
	t.Helper()
	for _, ck := range c.http.Jar.Cookies(mustURL(t, s.URL)) {
		if ck.Name == sessionCookie {
			return stolen{cookie: &http.Cookie{Name: ck.Name, Value: ck.Value}, csrf: c.csrf}
		}
	}
	t.Fatal("no session cookie")
	return stolen{}
}

// replay sends the stolen cookie to s as a fresh browser would.
func (st stolen) client(t *testing.T, s *testServer) *client {
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(mustURL(t, s.URL), []*http.Cookie{st.cookie})
	return &client{t: t, base: s.URL, csrf: st.csrf, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// assertSignedOut checks that the replayed session reads no page, posts
// no sale (form, htmx and API) and gets the login page instead.
func assertSignedOut(t *testing.T, s *testServer, st stolen, sku string) {
	t.Helper()
	c := st.client(t, s)
	if status, h, _ := c.get("/sales"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("GET /sales: %d %q, want 303 to /login", status, h.Get("Location"))
	}
	c = st.client(t, s)
	if status, h, _ := c.get("/sales", "HX-Request", "true"); status != http.StatusOK || h.Get("HX-Redirect") != "/login" {
		t.Errorf("htmx GET /sales: %d HX-Redirect %q, want 200 with HX-Redirect /login", status, h.Get("HX-Redirect"))
	}
	c = st.client(t, s)
	if status, h, _ := c.post("/sales", url.Values{"sku": {sku}, "quantity": {"1"}}); status != http.StatusSeeOther || h.Get("Location") != "/login" {
		t.Errorf("POST /sales with the old CSRF token: %d %q, want 303 to /login", status, h.Get("Location"))
	}
	c = st.client(t, s)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/sales", strings.NewReader(url.Values{"sku": {sku}, "quantity": {"1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set(headerCSRF, st.csrf)
	if status, h, _ := c.do(req); status != http.StatusOK || h.Get("HX-Redirect") != "/login" {
		t.Errorf("htmx POST /sales: %d HX-Redirect %q, want 200 with HX-Redirect /login", status, h.Get("HX-Redirect"))
	}
	c = st.client(t, s)
	if status, _, _ := c.get("/api/v1/products"); status != http.StatusUnauthorized {
		t.Errorf("API GET with the old cookie: %d, want 401", status)
	}
	c = st.client(t, s)
	if status, _, b := c.postJSON("/api/v1/sales", `{"sku":"`+sku+`","quantity":1}`, headerCSRF, st.csrf); status != http.StatusUnauthorized {
		t.Errorf("API POST with the old cookie and CSRF token: %d, want 401: %.200s", status, b)
	}
	_, n, err := s.app.Sales.List(context.Background(), app.System, app.SaleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d sales recorded with an ended session, want 0", n)
	}
}

// Issue 12, Medium 3: sign-out, a new password, another role and
// deactivation end the sessions at once, on every replica (two servers on
// one database).
func TestSessions_RevokedEverywhere(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		a := newTestServerOn(t, dbtest.OpenDSN(t, dsn), Config{})
		b := newTestServerOn(t, dbtest.OpenDSN(t, dsn), Config{})
		a.product(t, "REV-1", 100)
		admin := a.user(t, "admin", db.RoleAdmin)
		ctx := context.Background()
		adminActor := app.ActorFor(admin, "test")

		signIn := func(t *testing.T, name string) stolen {
			c := a.login(t, name)
			st := steal(t, a, c)
			// The session works on the other replica before it ends.
			if status, _, _ := st.client(t, b).get("/sales"); status != http.StatusOK {
				t.Fatalf("GET /sales on replica b before the change: %d, want 200", status)
			}
			return st
		}
		t.Run("logout", func(t *testing.T) {
			a.user(t, "carol", db.RoleClerk)
			c := a.login(t, "carol")
			st := steal(t, a, c)
			if status, _, _ := c.post("/logout", url.Values{}); status != http.StatusSeeOther {
				t.Fatalf("logout: %d", status)
			}
			assertSignedOut(t, a, st, "REV-1")
			assertSignedOut(t, b, st, "REV-1")
		})
		t.Run("password change", func(t *testing.T) {
			u := a.user(t, "dave", db.RoleClerk)
			st := signIn(t, "dave")
			if _, err := b.app.Users.UpdateUser(ctx, adminActor, u.ID, app.UserInput{Password: app.Ptr("a brand new password")}); err != nil {
				t.Fatal(err)
			}
			assertSignedOut(t, a, st, "REV-1")
			assertSignedOut(t, b, st, "REV-1")
		})
		t.Run("role change", func(t *testing.T) {
			u := a.user(t, "erin", db.RoleManager)
			st := signIn(t, "erin")
			if _, err := b.app.Users.UpdateUser(ctx, adminActor, u.ID, app.UserInput{Role: app.Ptr(db.RoleClerk)}); err != nil {
				t.Fatal(err)
			}
			assertSignedOut(t, a, st, "REV-1")
			assertSignedOut(t, b, st, "REV-1")
		})
		t.Run("deactivation", func(t *testing.T) {
			u := a.user(t, "frank", db.RoleClerk)
			st := signIn(t, "frank")
			if _, err := b.app.Users.UpdateUser(ctx, adminActor, u.ID, app.UserInput{Active: app.Ptr(false)}); err != nil {
				t.Fatal(err)
			}
			// Reactivating does not bring the old session back.
			if _, err := b.app.Users.UpdateUser(ctx, adminActor, u.ID, app.UserInput{Active: app.Ptr(true)}); err != nil {
				t.Fatal(err)
			}
			assertSignedOut(t, a, st, "REV-1")
			assertSignedOut(t, b, st, "REV-1")
		})
		t.Run("display name change keeps the session", func(t *testing.T) {
			u := a.user(t, "grace", db.RoleClerk)
			st := signIn(t, "grace")
			if _, err := b.app.Users.UpdateUser(ctx, adminActor, u.ID, app.UserInput{DisplayName: app.Ptr("Grace H.")}); err != nil {
				t.Fatal(err)
			}
			if status, _, _ := st.client(t, a).get("/sales"); status != http.StatusOK {
				t.Errorf("GET /sales after a display name change: %d, want 200", status)
			}
		})
	})
}

// A copy of the database yields no cookie: only the token's hash is stored.
func TestSessions_TokenNotStored(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "alice", db.RoleClerk)
	st := steal(t, s, s.login(t, "alice"))
	var stored []string
	if err := s.db.NewSelect().Table("web_sessions").Column("token_hash").Scan(context.Background(), &stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 {
		t.Fatalf("%d sessions stored, want 1", len(stored))
	}
	if strings.Contains(stored[0], st.cookie.Value) || strings.Contains(st.cookie.Value, stored[0]) {
		t.Fatal("the cookie value is stored in the database")
	}
}

// Issue 12, Medium 8: whoever reads the secret from the database file can
// sign a cookie of the old stateless kind naming the admin; it must not
// sign in.
func TestSessions_ForgedSignedCookieRefused(t *testing.T) {
	s := newTestServer(t, Config{})
	admin := s.user(t, "admin", db.RoleAdmin)
	secret, err := s.app.Sessions.Secret(context.Background(), app.SessionSecretName)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"n": "forged", "u": admin.ID, "e": 4_000_000_000})
	payload := base64.RawURLEncoding.EncodeToString(raw)
	forged := stolen{cookie: &http.Cookie{Name: sessionCookie, Value: payload + "." + sign(deriveKeys(secret).session, payload)}}
	if status, h, _ := forged.client(t, s).get("/users"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Fatalf("GET /users with a forged signed cookie: %d %q, want 303 to /login", status, h.Get("Location"))
	}
}

// An open event stream ends with its session: after sign-out it sends no
// more change events.
func TestSessions_EventStreamEndsWithSession(t *testing.T) {
	s, sku := newEventsServer(t)
	c := s.login(t, "viewer")
	st := c.events("/events")
	st.next(2*time.Second, isPreamble)
	if status, _, _ := c.post("/logout", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("logout: %d", status)
	}
	s.sale(t, sku)
	deadline := time.After(5 * time.Second)
	for {
		select {
		case m, ok := <-st.msgs:
			if !ok {
				return // the stream ended
			}
			if isChanged(m) {
				t.Fatalf("a change event after sign-out: %+v", m)
			}
		case <-deadline:
			t.Fatal("the stream of an ended session is still open")
		}
	}
}

// Issue 12, Medium 8: `secret rotate` (here: another process on the same
// database) reaches a running server without a restart: its signed-in
// sessions end, and cookies and CSRF tokens signed with the old key stop
// working once its change watcher hears of it.
func TestSessions_RotateReachesRunningServer(t *testing.T) {
	dsn := dbtest.SQLiteDSN(t)
	s := newTestServerOn(t, dbtest.OpenDSN(t, dsn), Config{})
	s.user(t, "alice", db.RoleClerk)
	wctx, stop := context.WithCancel(context.Background())
	watched := make(chan struct{})
	go func() { defer close(watched); s.app.Changes.Watch(wctx, s.db, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(func() { stop(); <-watched })
	for deadline := time.Now().Add(10 * time.Second); !s.app.Changes.Live(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the change watcher did not start")
		}
	}
	signedIn := steal(t, s, s.login(t, "alice"))
	anon := s.client(t)
	anon.get("/login")
	oldAnon := steal(t, s, anon)

	other := app.New(dbtest.OpenDSN(t, dsn), app.Options{})
	gen := s.app.Changes.AuthGeneration()
	if _, err := other.Sessions.RotateSecret(context.Background(), app.System); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); s.app.Changes.AuthGeneration() == gen; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the watcher did not hear of the rotation")
		}
	}
	assertSignedOut(t, s, signedIn, "NONE")
	c := oldAnon.client(t, s)
	status, _, _ := c.post("/login", url.Values{"username": {"alice"}, "password": {testPassword}, "_csrf": {oldAnon.csrf}})
	if status != http.StatusForbidden {
		t.Errorf("sign-in with the old key's CSRF token: %d, want 403", status)
	}
	// A fresh visit works with the new key.
	if c := s.login(t, "alice"); c.csrf == "" || c.csrf == oldAnon.csrf {
		t.Error("no new CSRF token after the rotation")
	}
}
