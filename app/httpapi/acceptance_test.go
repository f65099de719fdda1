package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

type productJSON struct {
	ID      int64  `json:"id"`
	SKU     string `json:"sku"`
	Stock   int64  `json:"stock"`
	Version int64  `json:"version"`
}

// TestAcceptance follows the first steps of an API user on each database:
// create a product with stock, sell some, be refused more than is left,
// send invalid quantities, edit with a stale version, and be refused
// without a token or with too low a role.
func TestAcceptance(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		manager := s.Token(t, db.RoleManager)
		clerk := s.Token(t, db.RoleClerk)
		viewer := s.Token(t, db.RoleViewer)

		var p productJSON
		s.DoJSON(t, "POST", "/api/v1/products", manager,
			map[string]any{"sku": "ACC-1", "name": "Acceptance", "unit_price": 2.5, "stock": 5}, http.StatusCreated, &p)
		if p.Stock != 5 || p.Version == 0 {
			t.Fatalf("created product %+v", p)
		}

		var sold struct {
			Sale  struct{ ID, Quantity int64 }
			Stock int64
		}
		s.DoJSON(t, "POST", "/api/v1/sales", clerk, map[string]any{"product_id": p.ID, "quantity": 3}, http.StatusCreated, &sold)
		if sold.Stock != 2 || sold.Sale.Quantity != 3 {
			t.Fatalf("first sale: %+v, want stock 2", sold)
		}

		status, h, body := s.Do(t, "POST", "/api/v1/sales", clerk, map[string]any{"product_id": p.ID, "quantity": 3})
		apptest.Problem(t, http.StatusConflict, h, body)
		if status != http.StatusConflict {
			t.Fatalf("second sale status %d", status)
		}
		var now productJSON
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/products/%d", p.ID), viewer, nil, http.StatusOK, &now)
		if now.Stock != 2 {
			t.Fatalf("stock after refused sale = %d, want 2", now.Stock)
		}

		for _, q := range []string{`0`, `"abc"`, `-1`, `1.5`} {
			status, h, body := s.Do(t, "POST", "/api/v1/sales", clerk, fmt.Sprintf(`{"product_id": %d, "quantity": %s}`, p.ID, q))
			pr := apptest.Problem(t, status, h, body)
			if status != http.StatusBadRequest || !apptest.HasField(pr, "quantity", -1) {
				t.Errorf("quantity %s: status %d, problem %s; want 400 with errors[].field quantity", q, status, body)
			}
		}

		patch := fmt.Sprintf("/api/v1/products/%d", p.ID)
		s.DoJSON(t, "PATCH", patch, manager, map[string]any{"name": "Renamed", "version": p.Version}, http.StatusOK, nil)
		status, h, body = s.Do(t, "PATCH", patch, manager, map[string]any{"name": "Stale", "version": p.Version})
		pr := apptest.Problem(t, status, h, body)
		if status != http.StatusConflict || pr.Current == nil {
			t.Errorf("stale PATCH: status %d, body %s; want 409 with current", status, body)
		}

		status, h, body = s.Do(t, "POST", "/api/v1/sales", viewer, map[string]any{"product_id": p.ID, "quantity": 1})
		apptest.Problem(t, status, h, body)
		if status != http.StatusForbidden {
			t.Errorf("viewer sale: status %d, want 403", status)
		}

		status, h, body = s.Do(t, "POST", "/api/v1/sales", "", map[string]any{"product_id": p.ID, "quantity": 1})
		apptest.Problem(t, status, h, body)
		if status != http.StatusUnauthorized {
			t.Errorf("no token: status %d, want 401", status)
		}
		s.DoJSON(t, "GET", patch, viewer, nil, http.StatusOK, &now)
		if now.Stock != 2 {
			t.Errorf("final stock = %d, want 2", now.Stock)
		}
	})
}
