package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// fuzzQuery sends GET path with the raw query string query through the
// real router and fails on a 5xx, a malformed problem or no answer
// within 5 s. The query is set on the URL as is, so it may hold bytes no
// client would send.
func fuzzQuery(t *testing.T, s *apptest.Server, token, path, query string) {
	req := httptest.NewRequest("GET", path, nil)
	req.URL.RawQuery = query
	req.RequestURI = path + "?" + query
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Handler.ServeHTTP(rec, req)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("GET %s?%s: no answer within 5 s", path, query)
	}
	if rec.Code >= 500 {
		t.Fatalf("GET %s?%s: status %d: %s", path, query, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		if err := apptest.CheckProblem(rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Fatalf("GET %s?%s: %v", path, query, err)
		}
	}
}

// FuzzListQuery sends arbitrary query strings to every GET endpoint that
// reads query parameters (lists, filters, paging, sorting, analytics,
// forecasts): the answer is never a 5xx, and every 4xx is a problem.
// The first input picks the endpoint (modulo their number), so the
// fuzzer can pair any query with any parser.
func FuzzListQuery(f *testing.F) {
	s := apptest.NewServer(f)
	admin := s.Token(f, db.RoleAdmin)
	m := s.Token(f, db.RoleManager)
	var p struct{ ID int64 }
	s.DoJSON(f, "POST", "/api/v1/products", m,
		map[string]any{"sku": "F-1", "name": "Fuzz", "stock": 1000, "unit_price": 2, "unit_cost": 1}, http.StatusCreated, &p)
	for day := range 30 {
		s.DoJSON(f, "POST", "/api/v1/sales", m, map[string]any{"product_id": p.ID, "quantity": 1 + day%4,
			"sold_at": time.Now().UTC().AddDate(0, 0, -day).Format(time.RFC3339)}, http.StatusCreated, nil)
	}
	paths := []string{
		"/api/v1/products",
		"/api/v1/categories",
		"/api/v1/suppliers",
		"/api/v1/sales",
		"/api/v1/stock-movements",
		"/api/v1/audit-events",
		"/api/v1/users",
		"/api/v1/tokens",
		"/api/v1/purchase-orders",
		"/api/v1/restock",
		"/api/v1/analytics/trends",
		"/api/v1/analytics/abc-xyz",
		"/api/v1/dashboard/kpis",
		"/api/v1/forecasts/status",
		"/api/v1/settings",
		fmt.Sprintf("/api/v1/products/%d/forecast", p.ID),
		fmt.Sprintf("/api/v1/products/%d/comments", p.ID),
	}
	for _, seed := range []struct {
		path  uint8
		query string
	}{
		{0, "q=fuzz&category_id=1&supplier_id=2&active=true&low_stock=false&sort=-sku&limit=10&offset=5"},
		{0, "limit=0&offset=-1&sort=nope&active=maybe"},
		{0, "limit=99999999999999999999&offset=9223372036854775807"},
		{3, "product_id=1&from=2024-01-01&to=2024-12-31&voided=all&limit=500"},
		{3, "from=2024-13-45&to=yesterday&voided=maybe"},
		{3, "from=0001-01-01&to=9999-12-31"},
		{4, "product_id=1&kind=sale&from=2024-01-01T00:00:00Z"},
		{5, "entity_type=product&entity_id=1&username=admin&from=2020-01-01"},
		{8, "status=open&supplier_id=1"},
		{8, "status=bogus"},
		{9, "urgency=high&supplier_id=1&category_id=1&limit=1"},
		{10, "mover=up&class=A&sort=sku&from=2024-01-01&to=2024-06-30"},
		{11, "abc=A&xyz=Z&group=category"},
		{12, "from=2025-01-01&to=2024-01-01"},
		{15, "model=auto&days=90&horizon=30"},
		{16, "limit=%zz&offset=%00"},
		{1, ";;;&&&===%"},
	} {
		f.Add(seed.path, seed.query)
	}
	f.Fuzz(func(t *testing.T, path uint8, query string) {
		fuzzQuery(t, s, admin, paths[int(path)%len(paths)], query)
	})
}
