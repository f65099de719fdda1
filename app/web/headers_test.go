package web

import (
	"net/http"
	"strings"
	"testing"

	"smartinventory/db"
)

// Issue 12 (Low): the 404 page of an unknown URL, which no route's
// middleware sees, has the pages' CSP too, signed in or not.
func TestWeb_NotFoundPageHasCSP(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "alice", db.RoleViewer)
	for name, c := range map[string]*client{"anonymous": s.client(t), "signed in": s.login(t, "alice")} {
		status, h, _ := c.get("/no-such-page")
		csp := h.Get("Content-Security-Policy")
		if status != http.StatusNotFound || !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: 404 page: status %d, CSP %q", name, status, csp)
		}
	}
}

// Issue 12 (Low): /static/ serves files, never a directory listing.
func TestWeb_StaticHasNoDirectoryListing(t *testing.T) {
	s := newTestServer(t, Config{})
	c := s.client(t)
	for _, p := range []string{"/static/", "/static/css/", "/static/img", "/static/js/../", "/static/nope.css"} {
		status, _, body := c.get(p)
		if status != http.StatusNotFound || strings.Contains(body, `<a href="css/">`) || strings.Contains(body, `<a href="app.css">`) {
			t.Errorf("GET %s: %d, want 404 and no listing: %.200s", p, status, body)
		}
	}
	if status, h, _ := c.get("/static/css/app.css"); status != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "text/css") {
		t.Errorf("GET /static/css/app.css: %d %q", status, h.Get("Content-Type"))
	}
}
