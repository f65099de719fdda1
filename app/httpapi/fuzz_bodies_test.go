package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// The targets below post arbitrary bodies to the JSON endpoints that
// FuzzSaleJSON and FuzzProductJSON do not cover. Each request must be
// answered within 5 s with a non-5xx status, and every 4xx must be a
// well-formed problem (see fuzzRequest). Seeds are the valid body of each
// endpoint plus near misses; the corpus in testdata/fuzz/FuzzXxx keeps
// further interesting inputs.

// fuzzProduct creates a product with plenty of stock and returns its id.
func fuzzProduct(f *testing.F, s *apptest.Server, sku string) int64 {
	var p struct{ ID int64 }
	s.DoJSON(f, "POST", "/api/v1/products", s.Token(f, db.RoleManager),
		map[string]any{"sku": sku, "name": "Fuzz " + sku, "stock": 1000000, "unit_price": 2, "unit_cost": 1},
		http.StatusCreated, &p)
	return p.ID
}

// FuzzBatchJSON posts arbitrary bodies to POST /sales/batch and to
// POST /sales/{id}/void.
func FuzzBatchJSON(f *testing.F) {
	for _, seed := range []string{
		`{"lines": [{"product_id": 1, "quantity": 1}]}`,
		`{"lines": [{"sku": "F-1", "quantity": 2, "unit_price": 1.5, "sold_at": "2024-05-01T10:00:00Z", "external_id": "a"}, {"sku": "F-1", "quantity": 1, "external_id": "a"}]}`,
		`{"lines": []}`,
		`{"lines": [{"product_id": 1, "quantity": 9223372036854775807}, {"product_id": 1, "quantity": 1}]}`,
		`{"lines": [{"product_id": 1, "quantity": 1, "unit_price": -0.01}]}`,
		`{"lines": [{"product_id": 1, "quantity": 1, "sold_at": "0001-01-01T00:00:00Z"}]}`,
		`{"lines": {"product_id": 1}}`,
		`{"reason": "customer returned it"}`,
		`{"reason": 5}`,
		`{"lines": [{}], "extra": true}`,
	} {
		f.Add(seed)
	}
	s := apptest.NewServer(f)
	clerk := s.Token(f, db.RoleClerk)
	pid := fuzzProduct(f, s, "F-1")
	var sale struct {
		Sale struct{ ID int64 }
	}
	s.DoJSON(f, "POST", "/api/v1/sales", clerk, map[string]any{"product_id": pid, "quantity": 1}, http.StatusCreated, &sale)
	void := fmt.Sprintf("/api/v1/sales/%d/void", sale.Sale.ID)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzRequest(t, s, clerk, "POST", "/api/v1/sales/batch", body)
		fuzzRequest(t, s, s.Token(t, db.RoleManager), "POST", void, body)
	})
}

// FuzzStockJSON posts arbitrary bodies to POST /stock-adjustments and
// POST /stock-receipts.
func FuzzStockJSON(f *testing.F) {
	for _, seed := range []string{
		`{"product_id": 1, "delta": -2, "reason": "broken", "kind": "damage"}`,
		`{"sku": "F-1", "delta": 5, "kind": "count"}`,
		`{"product_id": 1, "delta": 0}`,
		`{"product_id": 1, "delta": -9223372036854775808}`,
		`{"product_id": 1, "delta": 9223372036854775807}`,
		`{"product_id": 1, "quantity": 10, "reason": "delivery note 17"}`,
		`{"sku": "F-1", "quantity": -1}`,
		`{"sku": "", "quantity": 1}`,
		`{"product_id": 1, "kind": "unknown", "delta": 1}`,
		`{"product_id": 1.5, "delta": "1"}`,
	} {
		f.Add(seed)
	}
	s := apptest.NewServer(f)
	clerk := s.Token(f, db.RoleClerk)
	fuzzProduct(f, s, "F-1")
	f.Fuzz(func(t *testing.T, body string) {
		fuzzRequest(t, s, clerk, "POST", "/api/v1/stock-adjustments", body)
		fuzzRequest(t, s, clerk, "POST", "/api/v1/stock-receipts", body)
	})
}

// FuzzPurchaseOrderJSON posts arbitrary bodies to the purchase order
// endpoints: create, patch, order, receive and from-suggestions.
func FuzzPurchaseOrderJSON(f *testing.F) {
	for _, seed := range []string{
		`{"supplier_id": 1, "note": "weekly", "lines": [{"product_id": 1, "quantity": 12, "unit_cost": 1.25}]}`,
		`{"supplier_id": 1, "lines": []}`,
		`{"supplier_id": 1, "lines": [{"product_id": 1, "quantity": 1}, {"product_id": 1, "quantity": 2}]}`,
		`{"note": "changed", "version": 1}`,
		`{"lines": [{"product_id": 1, "quantity": 0}], "version": 1}`,
		`{"expected_at": "2030-01-31"}`,
		`{"expected_at": "1999-02-30T25:00:00Z"}`,
		`{"lines": [{"product_id": 1, "quantity": 5}]}`,
		`{"lines": [{"product_id": 1, "quantity": 9223372036854775807}]}`,
		`{"supplier_id": 1}`,
		`{"supplier_id": -1, "lines": null}`,
	} {
		f.Add(seed)
	}
	s := apptest.NewServer(f)
	m := s.Token(f, db.RoleManager)
	pid := fuzzProduct(f, s, "F-1")
	var sup struct{ ID int64 }
	s.DoJSON(f, "POST", "/api/v1/suppliers", m, map[string]any{"name": "Fuzz supplier", "lead_time_days": 7}, http.StatusCreated, &sup)
	var po struct{ ID int64 }
	s.DoJSON(f, "POST", "/api/v1/purchase-orders", m,
		map[string]any{"supplier_id": sup.ID, "lines": []map[string]any{{"product_id": pid, "quantity": 10, "unit_cost": 1}}},
		http.StatusCreated, &po)
	base := fmt.Sprintf("/api/v1/purchase-orders/%d", po.ID)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzRequest(t, s, m, "POST", "/api/v1/purchase-orders", body)
		fuzzRequest(t, s, m, "PATCH", base, body)
		fuzzRequest(t, s, m, "POST", base+"/order", body)
		fuzzRequest(t, s, m, "POST", base+"/receive", body)
		fuzzRequest(t, s, m, "POST", "/api/v1/purchase-orders/from-suggestions", body)
	})
}

// FuzzUserJSON posts arbitrary bodies to POST /users, PATCH /users/{id}
// and POST /tokens.
func FuzzUserJSON(f *testing.F) {
	for _, seed := range []string{
		`{"username": "ann", "display_name": "Ann", "role": "clerk", "password": "long enough pw"}`,
		`{"username": "Ann", "role": "admin", "password": "short"}`,
		`{"username": "-bad", "role": "clerk", "password": "long enough pw"}`,
		`{"username": "x", "role": "root", "password": "long enough pw"}`,
		`{"display_name": "Renamed", "version": 1}`,
		`{"active": false, "version": 1}`,
		`{"role": "viewer", "version": 99}`,
		`{"username": "admin", "name": "ci", "ttl_days": 30}`,
		`{"name": "x", "ttl_days": -1}`,
		`{"ttl_days": 99999999999999999999}`,
		`{"password": "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000", "version": 1}`,
	} {
		f.Add(seed)
	}
	s := apptest.NewServer(f)
	admin := s.Token(f, db.RoleAdmin)
	s.Token(f, db.RoleClerk) // the user "clerk", patched below
	var users struct {
		Items []struct {
			ID       int64
			Username string
		}
	}
	s.DoJSON(f, "GET", "/api/v1/users", admin, nil, http.StatusOK, &users)
	var clerkID int64
	for _, u := range users.Items {
		if u.Username == string(db.RoleClerk) {
			clerkID = u.ID
		}
	}
	if clerkID == 0 {
		f.Fatal("no clerk user listed")
	}
	patch := fmt.Sprintf("/api/v1/users/%d", clerkID)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzRequest(t, s, admin, "POST", "/api/v1/users", body)
		fuzzRequest(t, s, admin, "PATCH", patch, body)
		fuzzRequest(t, s, admin, "POST", "/api/v1/tokens", body)
	})
}

// FuzzCatalogJSON posts arbitrary bodies to the category, supplier,
// comment and setting endpoints.
func FuzzCatalogJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name": "Drinks", "description": "cold"}`,
		`{"name": "", "version": 1}`,
		`{"name": "Renamed", "version": 1}`,
		`{"name": "ACME", "contact_name": "Al", "email": "al@example.com", "phone": "+1 555", "lead_time_days": 14}`,
		`{"email": "not an email", "version": 1}`,
		`{"lead_time_days": -3, "version": 1}`,
		`{"body": "Please check the count."}`,
		`{"body": ""}`,
		`{"value": "0.95"}`,
		`{"value": "EUR"}`,
		`{"value": 1}`,
	} {
		f.Add(seed)
	}
	s := apptest.NewServer(f)
	m := s.Token(f, db.RoleManager)
	admin := s.Token(f, db.RoleAdmin)
	pid := fuzzProduct(f, s, "F-1")
	var cat, sup struct{ ID int64 }
	s.DoJSON(f, "POST", "/api/v1/categories", m, map[string]any{"name": "Fuzz category"}, http.StatusCreated, &cat)
	s.DoJSON(f, "POST", "/api/v1/suppliers", m, map[string]any{"name": "Fuzz supplier"}, http.StatusCreated, &sup)
	var settings struct {
		Items []struct{ Key string }
	}
	s.DoJSON(f, "GET", "/api/v1/settings", admin, nil, http.StatusOK, &settings)
	catPath := fmt.Sprintf("/api/v1/categories/%d", cat.ID)
	supPath := fmt.Sprintf("/api/v1/suppliers/%d", sup.ID)
	commentPath := fmt.Sprintf("/api/v1/products/%d/comments", pid)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzRequest(t, s, m, "POST", "/api/v1/categories", body)
		fuzzRequest(t, s, m, "PATCH", catPath, body)
		fuzzRequest(t, s, m, "POST", "/api/v1/suppliers", body)
		fuzzRequest(t, s, m, "PATCH", supPath, body)
		fuzzRequest(t, s, m, "POST", commentPath, body)
		for _, st := range settings.Items {
			fuzzRequest(t, s, admin, "PUT", "/api/v1/settings/"+st.Key, body)
		}
	})
}
