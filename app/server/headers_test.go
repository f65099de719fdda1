package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db/dbtest"
)

// webCSP stands for the web UI's own policy, set by its route middleware.
const webCSP = "default-src 'self'; frame-ancestors 'none'"

func TestSecurityHeaders(t *testing.T) {
	e := server.New(app.New(dbtest.Open(t), app.Options{}), server.Options{
		Metrics: true,
		Mount: func(e *echo.Echo) {
			e.GET("/page", func(c echo.Context) error {
				c.Response().Header().Set("Content-Security-Policy", webCSP)
				return c.HTML(http.StatusOK, "<p>page</p>")
			})
			e.GET("/static/app.js", func(c echo.Context) error {
				return c.Blob(http.StatusOK, "text/javascript", []byte("1"))
			})
		},
	})
	const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantCSP            string // "" means no CSP header
		wantNoStore        bool
	}{
		{"healthz", http.MethodGet, "/healthz", http.StatusOK, apiCSP, true},
		{"readyz", http.MethodGet, "/readyz", http.StatusOK, apiCSP, true},
		{"metrics", http.MethodGet, "/metrics", http.StatusOK, apiCSP, true},
		{"api_unauthorized", http.MethodGet, "/api/v1/products", http.StatusUnauthorized, apiCSP, true},
		{"api_not_found", http.MethodGet, "/api/v1/no-such-thing", http.StatusNotFound, apiCSP, true},
		{"api_method_not_allowed", http.MethodDelete, "/api/v1/sales/batch", http.StatusMethodNotAllowed, apiCSP, true},
		{"web_page_keeps_its_csp", http.MethodGet, "/page", http.StatusOK, webCSP, false},
		{"static_file", http.MethodGet, "/static/app.js", http.StatusOK, "", false},
		{"unknown_page", http.MethodGet, "/nowhere", http.StatusNotFound, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.RemoteAddr = "127.0.0.1:40000"
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			h := rec.Header()
			for k, want := range map[string]string{
				"X-Content-Type-Options":  "nosniff",
				"X-Frame-Options":         "DENY",
				"Referrer-Policy":         "same-origin",
				"Content-Security-Policy": tt.wantCSP,
			} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if got := h.Get("Cache-Control") == "no-store"; got != tt.wantNoStore {
				t.Errorf("Cache-Control = %q, want no-store: %v", h.Get("Cache-Control"), tt.wantNoStore)
			}
		})
	}
}
