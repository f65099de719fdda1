package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"smartinventory/api"
	"smartinventory/app/apptest"
	"smartinventory/db"
)

func TestPromotionsAPI(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		f := setup(t, s)
		m, viewer := s.Token(t, db.RoleManager), s.Token(t, db.RoleViewer)
		body := map[string]any{"product_id": f.product.ID, "first_day": "2026-12-12", "last_day": "2026-12-18",
			"percent_off": 20, "feature": true, "note": "Christmas"}
		var p api.Promotion
		s.DoJSON(t, "POST", "/api/v1/promotions", m, body, http.StatusCreated, &p)
		if p.ID == 0 || p.PercentOff == nil || *p.PercentOff != 20 || !p.Feature || p.Display || p.Version != 1 {
			t.Fatalf("created %+v", p)
		}

		// A viewer reads but may not write.
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/promotions/%d", p.ID), viewer, nil, http.StatusOK, nil)
		status, h, b := s.Do(t, "POST", "/api/v1/promotions", viewer, body)
		apptest.Problem(t, status, h, b)
		if status != http.StatusForbidden {
			t.Fatalf("viewer create: %d, want 403", status)
		}

		// The category's promotion overlaps: 409 naming the other one.
		status, h, b = s.Do(t, "POST", "/api/v1/promotions", m, map[string]any{"category_id": f.usedCategoryID,
			"first_day": "2026-12-18", "last_day": "2026-12-24", "price": 0.99})
		pr := apptest.Problem(t, status, h, b)
		if status != http.StatusConflict || !strings.Contains(pr.Detail, fmt.Sprintf("Promotion %d", p.ID)) {
			t.Fatalf("overlap: %d %q, want 409 naming promotion %d", status, pr.Detail, p.ID)
		}

		// Invalid input: 400 naming every field.
		status, h, b = s.Do(t, "POST", "/api/v1/promotions", m, map[string]any{"product_id": f.product.ID,
			"first_day": "2026-12-20", "last_day": "2026-12-19", "price": 1, "percent_off": 10})
		pr = apptest.Problem(t, status, h, b)
		if status != http.StatusBadRequest || !apptest.HasField(pr, "last_day", -1) || !apptest.HasField(pr, "price", -1) {
			t.Fatalf("invalid: %d %+v, want 400 naming last_day and price", status, pr.Errors)
		}

		// Patch with the version; a stale one is a 409.
		var up api.Promotion
		s.DoJSON(t, "PATCH", fmt.Sprintf("/api/v1/promotions/%d", p.ID), m, map[string]any{"price": 0.99, "version": 1}, http.StatusOK, &up)
		if up.Price == nil || *up.Price != 99 || up.PercentOff != nil || up.Version != 2 {
			t.Fatalf("patched %+v", up)
		}
		status, _, _ = s.Do(t, "PATCH", fmt.Sprintf("/api/v1/promotions/%d", p.ID), m, map[string]any{"note": "x", "version": 1})
		if status != http.StatusConflict {
			t.Fatalf("stale patch: %d, want 409", status)
		}

		var page struct {
			Items []api.Promotion `json:"items"`
			Total int             `json:"total"`
		}
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/promotions?product_id=%d&from=2026-12-01&to=2026-12-31", f.product.ID), viewer, nil, http.StatusOK, &page)
		if page.Total != 1 || page.Items[0].ID != p.ID {
			t.Fatalf("list: %+v", page)
		}
		status, h, b = s.Do(t, "GET", "/api/v1/promotions?from=12-01", viewer, nil)
		if pr := apptest.Problem(t, status, h, b); status != http.StatusBadRequest || !apptest.HasField(pr, "from", -1) {
			t.Fatalf("bad from: %d %+v", status, pr.Errors)
		}
		s.DoJSON(t, "DELETE", fmt.Sprintf("/api/v1/promotions/%d", p.ID), m, nil, http.StatusOK, nil)
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/promotions/%d", p.ID), m, nil, http.StatusNotFound, nil)

		// Planned prices.
		var pp api.PlannedPrice
		s.DoJSON(t, "POST", fmt.Sprintf("/api/v1/products/%d/planned-prices", f.product.ID), m,
			map[string]any{"day": "2099-01-01", "unit_price": 1.49}, http.StatusCreated, &pp)
		if pp.UnitPrice != 149 || pp.AppliedAt != nil {
			t.Fatalf("planned %+v", pp)
		}
		status, h, b = s.Do(t, "POST", fmt.Sprintf("/api/v1/products/%d/planned-prices", f.product.ID), m,
			map[string]any{"day": "2000-01-01", "unit_price": 1.49})
		if pr := apptest.Problem(t, status, h, b); status != http.StatusBadRequest || !apptest.HasField(pr, "day", -1) {
			t.Fatalf("past day: %d %+v", status, pr.Errors)
		}
		var pps struct {
			Items []api.PlannedPrice `json:"items"`
			Total int                `json:"total"`
		}
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/planned-prices?product_id=%d&pending=true", f.product.ID), viewer, nil, http.StatusOK, &pps)
		if pps.Total != 1 {
			t.Fatalf("planned prices: %+v", pps)
		}
		s.DoJSON(t, "DELETE", fmt.Sprintf("/api/v1/planned-prices/%d", pp.ID), viewer, nil, http.StatusForbidden, nil)
		s.DoJSON(t, "DELETE", fmt.Sprintf("/api/v1/planned-prices/%d", pp.ID), m, nil, http.StatusOK, nil)
	})
}
