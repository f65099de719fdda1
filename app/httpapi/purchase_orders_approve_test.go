package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// TestApproveBypassesRefused replays issue 12's finding 6 through the API:
// a clerk approving a zero-cost order at the default threshold, and a
// manager approving an order whose lines she replaced, both get 403.
func TestApproveBypassesRefused(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		f := newPOFixture(t, s)
		clerk, manager := s.Token(t, db.RoleClerk), s.Token(t, db.RoleManager)
		other := s.NewUserToken(t, "second-manager", db.RoleManager)
		create := func(token string) poJSON {
			var po poJSON
			s.DoJSON(t, "POST", "/api/v1/purchase-orders", token, map[string]any{"supplier_id": f.supplier,
				"lines": []map[string]any{{"product_id": f.p1, "quantity": 10, "unit_cost": 0}}}, http.StatusCreated, &po)
			return po
		}
		forbidden := func(token string, id int64) {
			t.Helper()
			st, h, b := s.Do(t, "POST", fmt.Sprintf("/api/v1/purchase-orders/%d/approve", id), token, nil)
			if p := apptest.Problem(t, st, h, b); st != http.StatusForbidden || p.Code != "forbidden" {
				t.Fatalf("approve %d: %d %s, want 403", id, st, b)
			}
		}

		free := create(other)
		forbidden(clerk, free.ID)

		po := create(clerk)
		path := fmt.Sprintf("/api/v1/purchase-orders/%d", po.ID)
		var edited struct {
			poJSON
			LinesEditedBy *int64 `json:"lines_edited_by"`
		}
		s.DoJSON(t, "PATCH", path, manager, map[string]any{"version": po.Version,
			"lines": []map[string]any{{"product_id": f.p1, "quantity": 9000}}}, http.StatusOK, &edited)
		if edited.LinesEditedBy == nil {
			t.Fatalf("lines_edited_by not set: %+v", edited)
		}
		forbidden(manager, po.ID)
		s.DoJSON(t, "POST", path+"/approve", other, nil, http.StatusOK, &po)
		if po.Status != "approved" {
			t.Fatalf("status %q after the other manager approved", po.Status)
		}
	})
}
