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
