package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// testPassword is the password of every test user.
const testPassword = "correct horse battery"

// testServer is the real server (API + web UI) over a fresh database.
type testServer struct {
	*httptest.Server
	app *app.App
	web *Web
	db  *bun.DB // what the tests check behind the services
}

// newTestServer starts the server as `serve` builds it, with cfg for the
// web UI.
func newTestServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	return newTestServerOn(t, dbtest.Open(t), cfg)
}

// newTestServerOn is newTestServer over an open, migrated database (two
// servers on one database are two replicas).
func newTestServerOn(t testing.TB, bdb *bun.DB, cfg Config) *testServer {
	t.Helper()
	a := app.New(bdb, app.Options{})
	w, err := New(context.Background(), a, cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	e := server.New(a, server.Options{ActorFromRequest: w.ActorFromRequest, Mount: w.Mount, HandleError: w.HandleError})
	s := &testServer{Server: httptest.NewServer(e), app: a, web: w, db: bdb}
	t.Cleanup(s.Close)
	return s
}

// user creates a user named after role (or name, when given).
func (s *testServer) user(t testing.TB, name string, role db.Role) *db.User {
	t.Helper()
	u, err := s.app.Users.CreateUser(context.Background(), app.System, app.UserInput{
		Username: app.Ptr(name), DisplayName: app.Ptr(strings.ToUpper(name[:1]) + name[1:]), Role: app.Ptr(role), Password: app.Ptr(testPassword)})
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// product creates a product through the service.
func (s *testServer) product(t testing.TB, sku string, stock int64) *db.Product {
	t.Helper()
	price := db.Money(1250)
	p, err := s.app.Catalog.CreateProduct(context.Background(), app.System, app.ProductInput{
		SKU: app.Ptr(sku), Name: app.Ptr("Product " + sku), UnitPrice: &price, Stock: app.Ptr(stock)})
	if err != nil {
		t.Fatalf("create product %s: %v", sku, err)
	}
	return p
}

// client is a browser-like client: a cookie jar, no redirects followed,
// and the CSRF token of the last page it loaded.
type client struct {
	t    testing.TB
	base string
	http *http.Client
	csrf string
}

func (s *testServer) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: s.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs in as username and fails the test unless it worked.
func (s *testServer) login(t testing.TB, username string) *client {
	t.Helper()
	c := s.client(t)
	c.get("/login")
	status, h, _ := c.post("/login", url.Values{"username": {username}, "password": {testPassword}})
	if status != http.StatusSeeOther || h.Get("Location") != "/" {
		t.Fatalf("login %s: status %d, location %q", username, status, h.Get("Location"))
	}
	c.get("/") // picks up the new session's CSRF token
	return c
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)"`)

func (c *client) do(req *http.Request) (int, http.Header, string) {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("read %s: %v", req.URL, err)
	}
	if m := csrfMeta.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, resp.Header, string(b)
}

// get loads path; headers are name, value pairs.
func (c *client) get(path string, headers ...string) (int, http.Header, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// post submits a form with the current CSRF token (unless form already
// has a _csrf entry).
func (c *client) post(path string, form url.Values) (int, http.Header, string) {
	c.t.Helper()
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postJSON sends a JSON body with extra headers.
func (c *client) postJSON(path, body string, headers ...string) (int, http.Header, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}
