package server_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/app/server"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestOptionsHooks checks the places the web layer plugs in: Mount adds
// routes, ActorFromRequest supplies the API actor (e.g. from a session),
// HandleError renders non-API errors, and internal errors and panics are
// logged but never shown.
func TestOptionsHooks(t *testing.T) {
	var logs bytes.Buffer
	bdb := dbtest.Open(t)
	a := app.New(bdb, app.Options{})
	e := server.New(a, server.Options{
		Logger:    slog.New(slog.NewTextHandler(&logs, nil)),
		BodyLimit: 1024,
		ActorFromRequest: func(r *http.Request) (app.Actor, bool) {
			if c, err := r.Cookie("session"); err == nil && c.Value == "manager" {
				return app.Actor{UserID: 0, Username: "web-manager", Role: db.RoleManager, Source: "web"}, true
			}
			return app.Actor{}, false
		},
		Mount: func(e *echo.Echo) {
			e.GET("/web/hello", func(c echo.Context) error { return c.String(200, "hello") })
			e.GET("/web/fail", func(c echo.Context) error { return errors.New("secret-connection-string") })
			e.GET("/web/panic", func(c echo.Context) error { panic("secret-panic-value") })
			e.GET("/web/custom", func(c echo.Context) error { return echo.NewHTTPError(http.StatusTeapot) })
		},
		HandleError: func(err error, c echo.Context) bool {
			if c.Request().URL.Path == "/web/custom" {
				_ = c.HTML(http.StatusTeapot, "<p>custom</p>")
				return true
			}
			return false
		},
	})

	tests := []struct {
		name, method, path, cookie, body string
		want                             int
		wantBody                         string
	}{
		{"mounted route", "GET", "/web/hello", "", "", 200, "hello"},
		{"session actor reaches the API", "POST", "/api/v1/categories", "manager", `{"name":"From web"}`, 201, "From web"},
		{"no session and no token", "POST", "/api/v1/categories", "", `{"name":"x"}`, 401, "application"},
		{"internal error hidden", "GET", "/web/fail", "", "", 500, "Internal error."},
		{"panic hidden", "GET", "/web/panic", "", "", 500, "Internal error."},
		{"web error handler", "GET", "/web/custom", "", "", http.StatusTeapot, "<p>custom</p>"},
		{"streamed body over limit", "POST", "/api/v1/categories?stream=1", "manager", `{"name":"` + strings.Repeat("y", 2000) + `"}`, 413, "larger"},
		{"body limit from options", "POST", "/api/v1/categories", "manager", `{"name":"` + strings.Repeat("x", 2000) + `"}`, 413, "larger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if strings.Contains(tt.path, "stream=1") {
				req.ContentLength = -1 // no Content-Length: the limit applies while reading
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: "session", Value: tt.cookie})
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) && !strings.Contains(rec.Header().Get("Content-Type"), tt.wantBody) {
				t.Errorf("body %q lacks %q", rec.Body, tt.wantBody)
			}
			if strings.Contains(rec.Body.String(), "secret") {
				t.Errorf("response leaks internal text: %s", rec.Body)
			}
			if rec.Code >= 400 && rec.Code != http.StatusTeapot {
				if err := apptest.CheckProblem(rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for _, want := range []string{"secret-connection-string", "secret-panic-value"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
}
