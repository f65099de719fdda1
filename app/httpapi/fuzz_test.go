package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// hangAfter is how long fuzzRequest waits before it calls a request hung.
// It detects hangs, not slowness: a user creation hashes a password with
// bcrypt, which under the race detector on a busy two-core machine has
// taken over 5 s.
const hangAfter = 60 * time.Second

// fuzzRequest posts body to path through the real router (no network, so
// the fuzzer runs fast) and fails on any 5xx or malformed problem.
func fuzzRequest(t *testing.T, s *apptest.Server, token, method, path, body string) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Handler.ServeHTTP(rec, req)
	}()
	select {
	case <-done:
	case <-time.After(hangAfter):
		t.Fatalf("%s %s with %q: no answer within %v", method, path, body, hangAfter)
	}
	if rec.Code >= 500 {
		t.Fatalf("%s %s with %q: status %d: %s", method, path, body, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		if err := apptest.CheckProblem(rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Fatalf("%s %s with %q: %v", method, path, body, err)
		}
	}
}

// FuzzSaleJSON posts arbitrary bodies to POST /sales and /sales/batch.
func FuzzSaleJSON(f *testing.F) {
	for _, seed := range []string{
		`{"product_id": 1, "quantity": 1}`,
		`{"sku": "F-1", "quantity": 2, "unit_price": 1.5, "sold_at": "2024-05-01T10:00:00Z", "channel": "web"}`,
		`{"product_id": 1, "quantity": "abc"}`,
		`{"product_id": -1, "quantity": 0}`,
		`{"product_id": 1, "quantity": 1e30}`,
		`{"product_id": 1, "quantity": 1, "external_id": ""}`,
		`{"lines": [{"product_id": 1, "quantity": 1}, {"sku": "F-1", "quantity": 99}]}`,
		`{"lines": [null, 1, "x"]}`,
		`[]`, `null`, ``, `{`, `{}{}`, `"x"`,
	} {
		f.Add(seed)
	}
	s := apptest.NewServer(f)
	clerk := s.Token(f, db.RoleClerk)
	s.DoJSON(f, "POST", "/api/v1/products", s.Token(f, db.RoleManager), map[string]any{"sku": "F-1", "name": "Fuzz", "stock": 1000000}, http.StatusCreated, nil)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzRequest(t, s, clerk, "POST", "/api/v1/sales", body)
		fuzzRequest(t, s, clerk, "POST", "/api/v1/sales/batch", body)
	})
}

// FuzzProductJSON posts arbitrary bodies to POST /products and PATCH and
// PUT /products/{id}.
func FuzzProductJSON(f *testing.F) {
	for _, seed := range []string{
		`{"sku": "N-1", "name": "New", "unit_cost": 1.2, "unit_price": 2, "stock": 3, "pack_size": 6, "min_order_qty": 12}`,
		`{"sku": "N-2", "name": "X", "category_id": null, "lead_time_days": 400, "service_level": 1.5}`,
		`{"name": "Renamed", "version": 1}`,
		`{"unit_price": 1.234, "version": 1}`,
		`{"unit_price": "1", "version": 1}`,
		`{"category_id": 99999, "version": 1}`,
		`{"stock": -1}`, `{"active": "yes"}`, `{"SKU": "case"}`,
	} {
		f.Add(seed)
	}
	s := apptest.NewServer(f)
	m := s.Token(f, db.RoleManager)
	var p struct{ ID int64 }
	s.DoJSON(f, "POST", "/api/v1/products", m, map[string]any{"sku": "F-1", "name": "Fuzz"}, http.StatusCreated, &p)
	path := fmt.Sprintf("/api/v1/products/%d", p.ID)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzRequest(t, s, m, "POST", "/api/v1/products", body)
		fuzzRequest(t, s, m, "PATCH", path, body)
		fuzzRequest(t, s, m, "PUT", path, body)
	})
}
