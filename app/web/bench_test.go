package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/db"
	"smartinventory/db/seed"
)

// The benchmarks measure server time (the handler through the real
// router, no network) over one demo database of 2,000 products × 730
// days with cached forecasts, built once (about 12 s plus the forecast
// batch) in a temporary directory. Targets: the dashboard page
// under 50 ms, an idle fragment poll under 2 ms.
//
//	go test ./app/web/ -run '^$' -bench . -benchtime 20x

var (
	benchOnce sync.Once
	benchEnv  *benchServer
	benchErr  error
)

// benchServer is the router with a signed-in admin's cookies.
type benchServer struct {
	app     *app.App
	e       *echo.Echo
	cookies []*http.Cookie
}

func demoServer(b *testing.B) *benchServer {
	b.Helper()
	benchOnce.Do(func() { benchEnv, benchErr = buildDemoServer() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchEnv
}

func buildDemoServer() (*benchServer, error) {
	dir, err := os.MkdirTemp("", "smartinventory-webbench-")
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	bdb, err := db.Open(ctx, "sqlite:"+filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		return nil, err
	}
	end := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	if _, err := seed.Generate(ctx, bdb, seed.Options{Products: 2000, Days: 730, EndDate: end, Seed: 1}, nil); err != nil {
		return nil, err
	}
	now := func() time.Time { return end.Add(30 * time.Hour) }
	a := app.New(bdb, app.Options{Now: now, AnalyticsMaxStale: 30 * time.Second}) // as serve
	if _, err := a.Forecasts.RefreshAll(ctx, app.System, nil); err != nil {
		return nil, err
	}
	if _, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr("admin"), Role: app.Ptr(db.RoleAdmin), Password: app.Ptr(testPassword)}); err != nil {
		return nil, err
	}
	w, err := New(ctx, a, Config{Now: now, LoginBurst: 100})
	if err != nil {
		return nil, err
	}
	s := &benchServer{app: a, e: server.New(a, server.Options{ActorFromRequest: w.ActorFromRequest, Mount: w.Mount, HandleError: w.HandleError})}
	// Sign in: the login form's cookies, then the session's.
	rec := s.do(http.MethodGet, "/login", nil)
	s.cookies = rec.Result().Cookies()
	token := csrfMeta.FindStringSubmatch(rec.Body.String())
	form := url.Values{"username": {"admin"}, "password": {testPassword}}
	if token != nil {
		form.Set("_csrf", token[1])
	}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range s.cookies {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		return nil, &benchError{"login", rec.Code}
	}
	s.cookies = rec.Result().Cookies()
	return s, nil
}

type benchError struct {
	what string
	code int
}

func (e *benchError) Error() string { return e.what + ": status " + http.StatusText(e.code) }

// do serves one request; headers are name, value pairs.
func (s *benchServer) do(method, path string, cookies []*http.Cookie, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	return rec
}

// get serves a signed-in GET and fails unless it answers want.
func (s *benchServer) get(b *testing.B, path string, want int, headers ...string) *httptest.ResponseRecorder {
	rec := s.do(http.MethodGet, path, s.cookies, headers...)
	if rec.Code != want {
		b.Fatalf("GET %s: status %d, want %d: %.300s", path, rec.Code, want, rec.Body.String())
	}
	return rec
}

// BenchmarkDashboardPage is the whole dashboard page (KPIs, restock and
// movers tables, chart links) while the data does not change.
func BenchmarkDashboardPage(b *testing.B) {
	s := demoServer(b)
	start := time.Now()
	s.get(b, "/", http.StatusOK) // first render: analytics, restock and KPIs computed
	b.Logf("first render after start: %v", time.Since(start))
	for b.Loop() {
		s.get(b, "/", http.StatusOK)
	}
}

// BenchmarkFragmentPollIdle is a dashboard fragment's poll when nothing
// changed: If-None-Match → 304.
func BenchmarkFragmentPollIdle(b *testing.B) {
	s := demoServer(b)
	etag := s.get(b, fragKPIs, http.StatusOK, "HX-Request", "true").Header().Get("ETag")
	for b.Loop() {
		s.get(b, fragKPIs, http.StatusNotModified, "HX-Request", "true", "If-None-Match", etag)
	}
}

// BenchmarkChartSales is the dashboard's sales chart at an unchanged data
// version (inputs cached; the SVG cached per ETag after the first draw),
// without a conditional header.
func BenchmarkChartSales(b *testing.B) {
	s := demoServer(b)
	start := time.Now()
	s.get(b, "/charts/dashboard/sales.svg", http.StatusOK)
	b.Logf("first draw (history, forecast of the total, SVG): %v", time.Since(start))
	for b.Loop() {
		s.get(b, "/charts/dashboard/sales.svg", http.StatusOK)
	}
}

// BenchmarkDashboardAfterSale is the dashboard page right after a sale
// (the sale itself is not timed): restock suggestions and KPIs are
// recomputed for the new data version, while trends are served from the
// previous snapshot and a new one is built in the background
// (AnalyticsMaxStale 30 s, as in serve).
func BenchmarkDashboardAfterSale(b *testing.B) {
	s := demoServer(b)
	ctx := context.Background()
	p, err := s.app.Catalog.ProductBySKU(ctx, app.System, stockedBenchSKU(b, s))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		if _, err := s.app.Sales.Record(ctx, app.System, app.SaleInput{ProductID: app.Ptr(p.ID), Quantity: app.Ptr(int64(1))}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s.get(b, "/", http.StatusOK)
	}
}

func stockedBenchSKU(b *testing.B, s *benchServer) string {
	items, _, err := s.app.Catalog.ListProducts(context.Background(), app.System, app.ProductFilter{Limit: 100})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range items {
		if p.Active && p.Stock > 100 {
			return p.SKU
		}
	}
	b.Fatal("no product with stock")
	return ""
}

// BenchmarkRestockPage is the buyer's review page over the 2,000-product
// demo (about 1,650 suggestions in 20 supplier groups) while the data does
// not change; it reports the page's size (target: under 100 KB, the rows
// load per group) and fails above it, and the largest group's rows.
func BenchmarkRestockPage(b *testing.B) {
	s := demoServer(b)
	start := time.Now()
	rec := s.get(b, "/restock", http.StatusOK)
	b.Logf("first render after start: %v, %d bytes", time.Since(start), rec.Body.Len())
	if rec.Body.Len() >= 100_000 {
		b.Fatalf("restock page is %d bytes, want < 100 KB", rec.Body.Len())
	}
	var size int
	for b.Loop() {
		size = s.get(b, "/restock", http.StatusOK).Body.Len()
	}
	b.ReportMetric(float64(size), "html-bytes")
	group := s.get(b, "/restock/groups/1", http.StatusOK, "HX-Request", "true")
	b.Logf("one supplier's rows: %d bytes", group.Body.Len())
}
