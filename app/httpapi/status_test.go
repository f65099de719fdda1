package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// fixture is the data the status tests work on.
type fixture struct {
	categoryID, supplierID, usedCategoryID int64
	product                                productJSON
	saleID, voidedSaleID                   int64
}

// setup creates a category in use, an unused category, a supplier, a
// product with stock 10, a sale and a voided sale.
func setup(t *testing.T, s *apptest.Server) fixture {
	t.Helper()
	m := s.Token(t, db.RoleManager)
	clerk := s.Token(t, db.RoleClerk)
	var f fixture
	var obj struct{ ID int64 }
	s.DoJSON(t, "POST", "/api/v1/categories", m, map[string]any{"name": "Unused"}, http.StatusCreated, &obj)
	f.categoryID = obj.ID
	s.DoJSON(t, "POST", "/api/v1/categories", m, map[string]any{"name": "Drinks"}, http.StatusCreated, &obj)
	f.usedCategoryID = obj.ID
	s.DoJSON(t, "POST", "/api/v1/suppliers", m, map[string]any{"name": "Acme", "lead_time_days": 5}, http.StatusCreated, &obj)
	f.supplierID = obj.ID
	s.DoJSON(t, "POST", "/api/v1/products", m, map[string]any{
		"sku": "P-1", "name": "Cola", "category_id": f.usedCategoryID, "supplier_id": f.supplierID,
		"unit_cost": 0.5, "unit_price": 1.25, "stock": 10}, http.StatusCreated, &f.product)
	var sale struct{ Sale struct{ ID int64 } }
	s.DoJSON(t, "POST", "/api/v1/sales", clerk, map[string]any{"product_id": f.product.ID, "quantity": 1}, http.StatusCreated, &sale)
	f.saleID = sale.Sale.ID
	s.DoJSON(t, "POST", "/api/v1/sales", clerk, map[string]any{"product_id": f.product.ID, "quantity": 1}, http.StatusCreated, &sale)
	f.voidedSaleID = sale.Sale.ID
	s.DoJSON(t, "POST", fmt.Sprintf("/api/v1/sales/%d/void", f.voidedSaleID), clerk, nil, http.StatusOK, nil)
	return f
}

// TestStatuses checks every status the API answers, through the real
// router, on each database.
func TestStatuses(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		f := setup(t, s)
		pid := f.product.ID
		prod := fmt.Sprintf("/api/v1/products/%d", pid)
		big := `{"product_id": 1, "quantity": 1, "note": "` + strings.Repeat("x", 10<<20) + `"}`

		tests := []struct {
			name         string
			method, path string
			role         db.Role // "" = no token
			token        string  // overrides role
			body         any
			want         int
			field        string // expected errors[].field on 4xx, "" = none required
		}{
			{"list products", "GET", "/api/v1/products?q=col&low_stock=false&active=all&sort=-name&limit=10&offset=0", db.RoleViewer, "", nil, 200, ""},
			{"get product", "GET", prod, db.RoleViewer, "", nil, 200, ""},
			{"list categories", "GET", "/api/v1/categories?q=dr", db.RoleViewer, "", nil, 200, ""},
			{"list suppliers", "GET", "/api/v1/suppliers?sort=-lead_time_days", db.RoleViewer, "", nil, 200, ""},
			{"list sales", "GET", fmt.Sprintf("/api/v1/sales?product_id=%d&from=2000-01-01&to=2100-01-01T00:00:00Z&voided=all", pid), db.RoleViewer, "", nil, 200, ""},
			{"get sale", "GET", fmt.Sprintf("/api/v1/sales/%d", f.saleID), db.RoleViewer, "", nil, 200, ""},
			{"list movements", "GET", fmt.Sprintf("/api/v1/stock-movements?product_id=%d&kind=sale", pid), db.RoleViewer, "", nil, 200, ""},
			{"me", "GET", "/api/v1/me", db.RoleViewer, "", nil, 200, ""},
			{"own tokens", "GET", "/api/v1/tokens", db.RoleViewer, "", nil, 200, ""},
			{"audit manager", "GET", "/api/v1/audit-events?entity_type=product&from=2000-01-01", db.RoleManager, "", nil, 200, ""},
			{"openapi without token", "GET", "/api/v1/openapi.json", "", "", nil, 200, ""},

			{"create category", "POST", "/api/v1/categories", db.RoleManager, "", map[string]any{"name": "Snacks"}, 201, ""},
			{"receipt", "POST", "/api/v1/stock-receipts", db.RoleClerk, "", map[string]any{"product_id": pid, "quantity": 5, "reason": "PO-1"}, 201, ""},
			{"adjustment", "POST", "/api/v1/stock-adjustments", db.RoleClerk, "", map[string]any{"sku": "P-1", "delta": -1, "reason": "broken"}, 201, ""},
			{"token for self", "POST", "/api/v1/tokens", db.RoleViewer, "", map[string]any{"name": "laptop"}, 201, ""},

			{"bad path id", "GET", "/api/v1/products/abc", db.RoleViewer, "", nil, 400, "id"},
			{"zero path id", "GET", "/api/v1/sales/0", db.RoleViewer, "", nil, 400, "id"},
			{"limit too big", "GET", "/api/v1/products?limit=501", db.RoleViewer, "", nil, 400, "limit"},
			{"limit not a number", "GET", "/api/v1/products?limit=abc", db.RoleViewer, "", nil, 400, "limit"},
			{"negative offset", "GET", "/api/v1/sales?offset=-1", db.RoleViewer, "", nil, 400, "offset"},
			{"bad category_id", "GET", "/api/v1/products?category_id=x", db.RoleViewer, "", nil, 400, "category_id"},
			{"bad low_stock", "GET", "/api/v1/products?low_stock=maybe", db.RoleViewer, "", nil, 400, "low_stock"},
			{"bad active", "GET", "/api/v1/products?active=sometimes", db.RoleViewer, "", nil, 400, "active"},
			{"bad sort", "GET", "/api/v1/products?sort=price", db.RoleViewer, "", nil, 400, "sort"},
			{"bad from", "GET", "/api/v1/sales?from=yesterday", db.RoleViewer, "", nil, 400, "from"},
			{"bad voided", "GET", "/api/v1/sales?voided=perhaps", db.RoleViewer, "", nil, 400, "voided"},
			{"bad kind", "GET", "/api/v1/stock-movements?kind=theft", db.RoleViewer, "", nil, 400, "kind"},
			{"malformed json", "POST", "/api/v1/sales", db.RoleClerk, "", `{"product_id": `, 400, ""},
			{"syntax error", "POST", "/api/v1/sales", db.RoleClerk, "", `{"product_id" 1}`, 400, ""},
			{"empty body", "POST", "/api/v1/sales", db.RoleClerk, "", ``, 400, ""},
			{"two values", "POST", "/api/v1/sales", db.RoleClerk, "", fmt.Sprintf(`{"product_id": %d, "quantity": 1}{}`, pid), 400, ""},
			{"array body", "POST", "/api/v1/sales", db.RoleClerk, "", `[1]`, 400, ""},
			{"unknown field", "POST", "/api/v1/sales", db.RoleClerk, "", fmt.Sprintf(`{"product_id": %d, "quantity": 1, "discount": 5}`, pid), 400, "discount"},
			{"quantity string", "POST", "/api/v1/sales", db.RoleClerk, "", fmt.Sprintf(`{"product_id": %d, "quantity": "abc"}`, pid), 400, "quantity"},
			{"quantity zero", "POST", "/api/v1/sales", db.RoleClerk, "", map[string]any{"product_id": pid, "quantity": 0}, 400, "quantity"},
			{"quantity negative", "POST", "/api/v1/sales", db.RoleClerk, "", map[string]any{"product_id": pid, "quantity": -2}, 400, "quantity"},
			{"unit_price three decimals", "POST", "/api/v1/sales", db.RoleClerk, "", fmt.Sprintf(`{"product_id": %d, "quantity": 1, "unit_price": 1.234}`, pid), 400, "unit_price"},
			{"sold_at not a time", "POST", "/api/v1/sales", db.RoleClerk, "", fmt.Sprintf(`{"product_id": %d, "quantity": 1, "sold_at": "monday"}`, pid), 400, "sold_at"},
			{"unknown product in body", "POST", "/api/v1/sales", db.RoleClerk, "", map[string]any{"product_id": 999999, "quantity": 1}, 400, "product_id"},
			{"category_id wrong type", "PATCH", prod, db.RoleManager, "", `{"category_id": "drinks", "version": 1}`, 400, "category_id"},
			{"product without sku", "POST", "/api/v1/products", db.RoleManager, "", map[string]any{"name": "No SKU"}, 400, "sku"},
			{"patch without version", "PATCH", prod, db.RoleManager, "", map[string]any{"name": "X"}, 400, "version"},
			{"adjustment without reason", "POST", "/api/v1/stock-adjustments", db.RoleClerk, "", map[string]any{"product_id": pid, "delta": 1}, 400, "reason"},
			{"limit on audit", "GET", "/api/v1/audit-events?limit=1000", db.RoleManager, "", nil, 400, "limit"},

			{"no token", "GET", "/api/v1/products", "", "", nil, 401, ""},
			{"unknown token", "GET", "/api/v1/products", "", "si_not-a-real-token", nil, 401, ""},
			{"not a si token", "GET", "/api/v1/products", "", "abc", nil, 401, ""},

			{"viewer sells", "POST", "/api/v1/sales", db.RoleViewer, "", map[string]any{"product_id": pid, "quantity": 1}, 403, ""},
			{"clerk edits catalogue", "PATCH", prod, db.RoleClerk, "", map[string]any{"name": "X", "version": 1}, 403, ""},
			{"clerk reads audit", "GET", "/api/v1/audit-events", db.RoleClerk, "", nil, 403, ""},
			{"manager lists users", "GET", "/api/v1/users", db.RoleManager, "", nil, 403, ""},
			{"viewer lists admin tokens", "GET", "/api/v1/tokens?username=admin", db.RoleViewer, "", nil, 403, ""},

			{"unknown product", "GET", "/api/v1/products/999999", db.RoleViewer, "", nil, 404, ""},
			{"unknown category", "PATCH", "/api/v1/categories/999999", db.RoleManager, "", map[string]any{"name": "X", "version": 1}, 404, ""},
			{"unknown supplier", "DELETE", "/api/v1/suppliers/999999", db.RoleManager, "", nil, 404, ""},
			{"void unknown sale", "POST", "/api/v1/sales/999999/void", db.RoleClerk, "", nil, 404, ""},
			{"unknown api route", "GET", "/api/v1/nothing-here", db.RoleViewer, "", nil, 404, ""},
			{"unknown site route", "GET", "/nothing-here", "", "", nil, 404, ""},

			{"method not allowed", "DELETE", "/api/v1/sales", db.RoleClerk, "", nil, 405, ""},
			{"patch collection", "PATCH", "/api/v1/products", db.RoleManager, "", map[string]any{}, 405, ""},

			{"sell more than stock", "POST", "/api/v1/sales", db.RoleClerk, "", map[string]any{"product_id": pid, "quantity": 1000}, 409, ""},
			{"duplicate sku", "POST", "/api/v1/products", db.RoleManager, "", map[string]any{"sku": "P-1", "name": "Again"}, 409, ""},
			{"delete used category", "DELETE", fmt.Sprintf("/api/v1/categories/%d", f.usedCategoryID), db.RoleManager, "", nil, 409, ""},
			{"void twice", "POST", fmt.Sprintf("/api/v1/sales/%d/void", f.voidedSaleID), db.RoleClerk, "", nil, 409, ""},
			{"adjust below zero", "POST", "/api/v1/stock-adjustments", db.RoleClerk, "", map[string]any{"product_id": pid, "delta": -1000, "reason": "count"}, 409, ""},
			{"stale version", "PATCH", prod, db.RoleManager, "", map[string]any{"name": "X", "version": f.product.Version + 5}, 409, "version"},

			{"body over 10 MB", "POST", "/api/v1/sales", db.RoleClerk, "", big, 413, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token := tt.token
				if token == "" && tt.role != "" {
					token = s.Token(t, tt.role)
				}
				status, h, body := s.Do(t, tt.method, tt.path, token, tt.body)
				if status != tt.want {
					t.Fatalf("%s %s: status %d, want %d; body %.500s", tt.method, tt.path, status, tt.want, body)
				}
				if status < 400 {
					if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
						t.Errorf("content type %q", ct)
					}
					return
				}
				p := apptest.Problem(t, status, h, body)
				if tt.field != "" && !apptest.HasField(p, tt.field, -1) {
					t.Errorf("problem has no errors[].field %q: %s", tt.field, body)
				}
				if status == http.StatusUnauthorized && h.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				if status == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
					t.Error("405 without Allow")
				}
				if status == http.StatusConflict && tt.field == "version" && p.Current == nil {
					t.Errorf("stale-version 409 without current: %s", body)
				}
			})
		}
	})
}
