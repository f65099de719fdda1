package web

import (
	"net/http"
	"net/url"
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

// Issue 12 (Low): the CSRF token counts in the X-CSRF-Token header or the
// form body, never in the URL.
func TestWeb_CSRFTokenNotFromURL(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "alice", db.RoleManager)
	c := s.login(t, "alice")
	body := url.Values{"sku": {"URL-1"}, "name": {"Widget"}}.Encode()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/products?_csrf="+url.QueryEscape(c.csrf), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, _, _ := c.do(req); status != http.StatusForbidden {
		t.Errorf("POST with the token in the URL only: %d, want 403", status)
	}
	if status, _, _ := c.post("/products", url.Values{"sku": {"URL-2"}, "name": {"Widget"}}); status != http.StatusSeeOther {
		t.Errorf("POST with the token in the body: %d, want 303", status)
	}
}
