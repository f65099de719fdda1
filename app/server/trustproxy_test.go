package server_test

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db/dbtest"
)

// RealIP follows X-Forwarded-For only through the trusted proxies: the
// rightmost untrusted hop, never a hop the client wrote in front.
func TestTrustedProxies(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	mount := func(e *echo.Echo) {
		e.GET("/ip", func(c echo.Context) error { return c.String(http.StatusOK, c.RealIP()) })
	}
	_, only10, _ := net.ParseCIDR("10.0.0.0/8")
	tests := []struct {
		name   string
		opt    server.Options
		remote string
		xff    string
		want   string
	}{
		{"off: the peer", server.Options{}, "192.0.2.1:1234", "203.0.113.7", "192.0.2.1"},
		{"default ranges: rightmost untrusted", server.Options{TrustProxy: true}, "127.0.0.1:1234", "198.51.100.1, 203.0.113.7", "203.0.113.7"},
		{"default ranges: through private hops", server.Options{TrustProxy: true}, "10.1.2.3:1234", "203.0.113.7, 192.168.1.1", "203.0.113.7"},
		{"given ranges only: loopback not trusted", server.Options{TrustProxy: true, TrustedProxies: []*net.IPNet{only10}}, "127.0.0.1:1234", "203.0.113.7", "127.0.0.1"},
		{"given ranges only: trusted proxy", server.Options{TrustProxy: true, TrustedProxies: []*net.IPNet{only10}}, "10.0.0.9:1234", "203.0.113.7", "203.0.113.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Mount = mount
			e := server.New(a, tt.opt)
			req := httptest.NewRequest(http.MethodGet, "/ip", nil)
			req.RemoteAddr = tt.remote
			req.Header.Set("X-Forwarded-For", tt.xff)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if got := rec.Body.String(); got != tt.want {
				t.Errorf("RealIP %q, want %q", got, tt.want)
			}
		})
	}
}

// Issue 12 (Low): HTTPS responses carry Strict-Transport-Security; plain
// HTTP ones do not, nor do forged X-Forwarded-Proto headers without a
// trusted proxy.
func TestHSTS(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	tests := []struct {
		name  string
		opt   server.Options
		tls   bool
		proto string
		want  bool
	}{
		{"plain HTTP", server.Options{}, false, "", false},
		{"TLS", server.Options{}, true, "", true},
		{"forged proto without trust", server.Options{}, false, "https", false},
		{"trusted proxy says https", server.Options{TrustProxy: true}, false, "https", true},
		{"trusted proxy says http", server.Options{TrustProxy: true}, false, "http", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := server.New(a, tt.opt)
			req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			if tt.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			got := rec.Header().Get("Strict-Transport-Security")
			if (got != "") != tt.want || (tt.want && !strings.HasPrefix(got, "max-age=")) {
				t.Errorf("Strict-Transport-Security %q, want it: %v", got, tt.want)
			}
		})
	}
}
