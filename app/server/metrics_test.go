package server_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/app/server"
	"smartinventory/db"
)

// scrape reads /metrics through the handler from a loopback client and
// returns the samples by name with labels, e.g.
// `smartinventory_sales_recorded_total` or
// `smartinventory_http_requests_total{method="GET",route="/healthz",status="2xx"}`.
func scrape(t *testing.T, s *apptest.Server) map[string]float64 {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q, want the text format", ct)
	}
	samples := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample line %q: %v", line, err)
		}
		samples[line[:i]] = v
	}
	return samples
}

// newProduct creates a product with plenty of stock and returns its id.
func newProduct(t *testing.T, s *apptest.Server, sku string) int64 {
	t.Helper()
	p, err := s.App.Catalog.CreateProduct(context.Background(), app.System, app.ProductInput{
		SKU: app.Ptr(sku), Name: app.Ptr("Product " + sku), UnitCost: app.Ptr(db.Money(100)),
		UnitPrice: app.Ptr(db.Money(250)), Stock: app.Ptr(int64(1000))})
	if err != nil {
		t.Fatalf("create product: %v", err)
	}
	return p.ID
}

func TestMetrics_Series(t *testing.T) {
	s := apptest.NewServerWith(t, apptest.Options{Server: server.Options{Metrics: true}})
	clerk := s.Token(t, db.RoleClerk)
	id := newProduct(t, s, "M-1")
	if _, err := s.App.Forecasts.RefreshAll(context.Background(), app.System, nil); err != nil {
		t.Fatalf("forecast batch: %v", err)
	}

	sale := map[string]any{"product_id": id, "quantity": 1}
	batch := map[string]any{"lines": []any{sale, sale, sale}}
	requests := []struct {
		method, path string
		body         any
		want         int
	}{
		{http.MethodGet, "/healthz", nil, http.StatusOK},
		{http.MethodGet, fmt.Sprintf("/api/v1/products/%d", id), nil, http.StatusOK},
		{http.MethodGet, "/api/v1/products/999999", nil, http.StatusNotFound},
		{http.MethodGet, "/api/v1/products/999998", nil, http.StatusNotFound},
		{http.MethodPost, "/api/v1/sales", sale, http.StatusCreated},
		{http.MethodPost, "/api/v1/sales", sale, http.StatusCreated},
		{http.MethodPost, "/api/v1/sales", map[string]any{"product_id": id, "quantity": 1_000_000}, http.StatusConflict},
		{http.MethodPost, "/api/v1/sales/batch", batch, http.StatusCreated},
		{http.MethodGet, "/no/such/page/1", nil, http.StatusNotFound},
		{http.MethodGet, "/api/v1/no/such/thing", nil, http.StatusNotFound},
	}
	for _, r := range requests {
		if status, _, body := s.Do(t, r.method, r.path, clerk, r.body); status != r.want {
			t.Fatalf("%s %s: %d, want %d: %s", r.method, r.path, status, r.want, body)
		}
	}

	m := scrape(t, s)
	tests := []struct {
		sample string
		want   float64 // -1: present with any value > 0
	}{
		{`smartinventory_http_requests_total{method="GET",route="/healthz",status="2xx"}`, 1},
		{`smartinventory_http_requests_total{method="GET",route="/api/v1/products/:id",status="2xx"}`, 1},
		{`smartinventory_http_requests_total{method="GET",route="/api/v1/products/:id",status="4xx"}`, 2},
		{`smartinventory_http_requests_total{method="POST",route="/api/v1/sales",status="2xx"}`, 2},
		{`smartinventory_http_requests_total{method="POST",route="/api/v1/sales",status="4xx"}`, 1},
		{`smartinventory_http_requests_total{method="POST",route="/api/v1/sales/batch",status="2xx"}`, 1},
		{`smartinventory_http_requests_total{method="GET",route="unmatched",status="4xx"}`, 2},
		{`smartinventory_http_request_duration_seconds_count{method="POST",route="/api/v1/sales",status="2xx"}`, 2},
		{`smartinventory_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="2xx",le="+Inf"}`, 1},
		{`smartinventory_sales_recorded_total`, 5},
		{`smartinventory_http_requests_in_flight`, 1}, // the scrape itself
		{`smartinventory_forecast_batch_running`, 0},
		{`smartinventory_forecast_batch_products`, 1},
		{`smartinventory_forecast_batch_duration_seconds`, -1},
		{`smartinventory_forecast_batch_last_finished_timestamp_seconds`, -1},
		{`go_sql_max_open_connections{db_name="smartinventory"}`, db.SQLiteMaxConns},
		{`go_sql_open_connections{db_name="smartinventory"}`, -1},
		{`go_goroutines`, -1},
	}
	for _, tt := range tests {
		got, ok := m[tt.sample]
		switch {
		case !ok:
			t.Errorf("no sample %s", tt.sample)
		case tt.want < 0 && got <= 0:
			t.Errorf("%s = %v, want > 0", tt.sample, got)
		case tt.want >= 0 && got != tt.want:
			t.Errorf("%s = %v, want %v", tt.sample, got, tt.want)
		}
	}
	for name := range m {
		if strings.Contains(name, "999999") || strings.Contains(name, "/no/such") {
			t.Errorf("raw URL in a label: %s", name)
		}
	}
}

func TestMetrics_Access(t *testing.T) {
	var sessionActor *app.Actor
	s := apptest.NewServerWith(t, apptest.Options{Server: server.Options{
		Metrics: true,
		ActorFromRequest: func(r *http.Request) (app.Actor, bool) {
			if r.Header.Get("Cookie") == "session" && sessionActor != nil {
				return *sessionActor, true
			}
			return app.Actor{}, false
		},
	}})
	admin, clerk := s.Token(t, db.RoleAdmin), s.Token(t, db.RoleClerk)
	sessionActor = &app.Actor{Username: "boss", Role: db.RoleAdmin, Source: "web"}

	tests := []struct {
		name, remote string
		header       map[string]string
		want         int
	}{
		{"loopback_v4", "127.0.0.1:5000", nil, http.StatusOK},
		{"loopback_v6", "[::1]:5000", nil, http.StatusOK},
		{"loopback_via_proxy", "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusUnauthorized},
		{"loopback_forwarded", "127.0.0.1:5000", map[string]string{"Forwarded": "for=203.0.113.9"}, http.StatusUnauthorized},
		{"remote_anonymous", "203.0.113.9:5000", nil, http.StatusUnauthorized},
		{"remote_bad_token", "203.0.113.9:5000", map[string]string{"Authorization": "Bearer si_nope"}, http.StatusUnauthorized},
		{"remote_clerk", "203.0.113.9:5000", map[string]string{"Authorization": "Bearer " + clerk}, http.StatusForbidden},
		{"remote_admin", "203.0.113.9:5000", map[string]string{"Authorization": "Bearer " + admin}, http.StatusOK},
		{"remote_admin_session", "203.0.113.9:5000", map[string]string{"Cookie": "session"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.RemoteAddr = tt.remote
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			s.Handler.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			isMetrics := strings.Contains(rec.Body.String(), "smartinventory_sales_recorded_total")
			if isMetrics != (tt.want == http.StatusOK) {
				t.Errorf("metrics in the body: %v, want %v", isMetrics, tt.want == http.StatusOK)
			}
		})
	}

	t.Run("session_of_a_clerk", func(t *testing.T) {
		sessionActor = &app.Actor{Username: "c", Role: db.RoleClerk, Source: "web"}
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = "203.0.113.9:5000"
		req.Header.Set("Cookie", "session")
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("status = %d, want 403", rec.Code)
		}
	})
}

func TestMetrics_Disabled(t *testing.T) {
	s := apptest.NewServer(t)
	if status, _, _ := s.Do(t, http.MethodGet, "/metrics", "", nil); status != http.StatusNotFound {
		t.Errorf("GET /metrics without Options.Metrics: %d, want 404", status)
	}
}

// TestRequestLog checks the request log line: request id, user, status,
// latency, and the client IP, which forwarding headers set only behind a
// trusted proxy.
func TestRequestLog(t *testing.T) {
	tests := []struct {
		name       string
		trustProxy bool
		token      bool
		want       []string
		wantNot    []string
	}{
		{"token_user", false, true, []string{`"user":"clerk"`, `"status":200`, `"request_id":"req-42"`, `"latency":`, `"route":"/api/v1/products"`, `"remote_ip":"127.0.0.1"`}, nil},
		{"anonymous", false, false, []string{`"user":""`, `"status":401`}, nil},
		{"proxy_headers_ignored", false, true, []string{`"remote_ip":"127.0.0.1"`}, []string{"198.51.100.7"}},
		{"proxy_trusted", true, true, []string{`"remote_ip":"198.51.100.7"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			s := apptest.NewServerWith(t, apptest.Options{Server: server.Options{
				Logger:     slog.New(slog.NewJSONHandler(&logs, nil)),
				TrustProxy: tt.trustProxy,
			}})
			token := ""
			if tt.token {
				token = s.Token(t, db.RoleClerk)
			}
			req, err := http.NewRequest(http.MethodGet, s.URL+"/api/v1/products", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Request-ID", "req-42")
			req.Header.Set("X-Forwarded-For", "198.51.100.7")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			line := ""
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, `"msg":"request"`) {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("no request log line in %s", logs.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(line, w) {
					t.Errorf("log line lacks %s: %s", w, line)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(line, w) {
					t.Errorf("log line has %s: %s", w, line)
				}
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestMetrics_EventStreamsHaveNoLatency: an event stream is counted as a
// request, but its lifetime (as long as a page stays open) is kept out of
// the latency histogram; other responses are timed.
func TestMetrics_EventStreamsHaveNoLatency(t *testing.T) {
	s := apptest.NewServerWith(t, apptest.Options{Server: server.Options{Metrics: true,
		Mount: func(e *echo.Echo) {
			e.GET("/test/stream", func(c echo.Context) error {
				c.Response().Header().Set(echo.HeaderContentType, "text/event-stream")
				return c.String(http.StatusOK, "event: changed\ndata: 1\n\n")
			})
			e.GET("/test/plain", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
		}}})
	for _, path := range []string{"/test/stream", "/test/plain"} {
		if status, _, body := s.Do(t, http.MethodGet, path, "", nil); status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
	}
	m := scrape(t, s)
	tests := []struct {
		sample  string
		present bool
	}{
		{`smartinventory_http_requests_total{method="GET",route="/test/stream",status="2xx"}`, true},
		{`smartinventory_http_request_duration_seconds_count{method="GET",route="/test/stream",status="2xx"}`, false},
		{`smartinventory_http_requests_total{method="GET",route="/test/plain",status="2xx"}`, true},
		{`smartinventory_http_request_duration_seconds_count{method="GET",route="/test/plain",status="2xx"}`, true},
	}
	for _, tt := range tests {
		if _, ok := m[tt.sample]; ok != tt.present {
			t.Errorf("%s present = %v, want %v", tt.sample, ok, tt.present)
		}
	}
}
