package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// TestRoles checks who may do what: viewer reads only; clerk also sells,
// voids, adjusts and receives; manager also edits the catalogue and
// suppliers and reads the audit trail; admin also manages users.
func TestRoles(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		f := setup(t, s)
		pid := f.product.ID
		roles := []db.Role{db.RoleViewer, db.RoleClerk, db.RoleManager, db.RoleAdmin}

		type action struct {
			name         string
			min          db.Role
			method, path string
			body         func(role db.Role) any
			ok           int
		}
		none := func(db.Role) any { return nil }
		actions := []action{
			{"list products", db.RoleViewer, "GET", "/api/v1/products", none, 200},
			{"list sales", db.RoleViewer, "GET", "/api/v1/sales", none, 200},
			{"list movements", db.RoleViewer, "GET", "/api/v1/stock-movements", none, 200},
			{"record sale", db.RoleClerk, "POST", "/api/v1/sales",
				func(db.Role) any { return map[string]any{"product_id": pid, "quantity": 1} }, 201},
			{"receive", db.RoleClerk, "POST", "/api/v1/stock-receipts",
				func(db.Role) any { return map[string]any{"product_id": pid, "quantity": 3} }, 201},
			{"adjust", db.RoleClerk, "POST", "/api/v1/stock-adjustments",
				func(db.Role) any { return map[string]any{"product_id": pid, "delta": 1, "reason": "found"} }, 201},
			{"create product", db.RoleManager, "POST", "/api/v1/products",
				func(r db.Role) any { return map[string]any{"sku": "R-" + string(r), "name": "Role " + string(r)} }, 201},
			{"create supplier", db.RoleManager, "POST", "/api/v1/suppliers",
				func(r db.Role) any { return map[string]any{"name": "Supplier " + string(r)} }, 201},
			{"create category", db.RoleManager, "POST", "/api/v1/categories",
				func(r db.Role) any { return map[string]any{"name": "Category " + string(r)} }, 201},
			{"audit trail", db.RoleManager, "GET", "/api/v1/audit-events", none, 200},
			{"list users", db.RoleAdmin, "GET", "/api/v1/users", none, 200},
			{"create user", db.RoleAdmin, "POST", "/api/v1/users",
				func(r db.Role) any {
					return map[string]any{"username": "new-" + string(r), "role": "clerk", "password": "long enough password"}
				}, 201},
		}
		for _, a := range actions {
			for _, role := range roles {
				t.Run(a.name+"/"+string(role), func(t *testing.T) {
					want := a.ok
					if role.Rank() < a.min.Rank() {
						want = http.StatusForbidden
					}
					status, h, body := s.Do(t, a.method, a.path, s.Token(t, role), a.body(role))
					if status != want {
						t.Fatalf("%s as %s: status %d, want %d; %s", a.name, role, status, want, body)
					}
					if want == http.StatusForbidden {
						apptest.Problem(t, status, h, body)
					}
				})
			}
		}

		// Voids need a sale per role.
		for _, role := range roles {
			t.Run("void/"+string(role), func(t *testing.T) {
				var sale struct{ Sale struct{ ID int64 } }
				s.DoJSON(t, "POST", "/api/v1/sales", s.Token(t, db.RoleClerk), map[string]any{"product_id": pid, "quantity": 1}, 201, &sale)
				want := http.StatusOK
				if role == db.RoleViewer {
					want = http.StatusForbidden
				}
				status, _, body := s.Do(t, "POST", fmt.Sprintf("/api/v1/sales/%d/void", sale.Sale.ID), s.Token(t, role), map[string]any{"reason": "mistake"})
				if status != want {
					t.Fatalf("void as %s: status %d, want %d; %s", role, status, want, body)
				}
			})
		}
	})
}

// TestUsersAndTokens walks the user and token endpoints: an admin creates a
// clerk and a token for them, the token works, the clerk cannot be edited
// with a stale version, and revoking the token makes it fail with 401.
func TestUsersAndTokens(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		admin := s.Token(t, db.RoleAdmin)
		var u struct {
			ID      int64
			Role    string
			Version int64
		}
		s.DoJSON(t, "POST", "/api/v1/users", admin, map[string]any{"username": "carol", "display_name": "Carol", "role": "clerk", "password": "a long password"}, 201, &u)
		var tok struct {
			Token  struct{ ID int64 }
			Secret string
		}
		s.DoJSON(t, "POST", "/api/v1/tokens", admin, map[string]any{"username": "carol", "name": "till-1", "ttl_days": 30}, 201, &tok)
		var me struct{ Username string }
		s.DoJSON(t, "GET", "/api/v1/me", tok.Secret, nil, 200, &me)
		if me.Username != "carol" {
			t.Fatalf("me = %q, want carol", me.Username)
		}
		s.DoJSON(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), admin, map[string]any{"role": "manager", "version": u.Version}, 200, &u)
		if u.Role != "manager" {
			t.Errorf("role = %q after PATCH", u.Role)
		}
		status, h, body := s.Do(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), admin, map[string]any{"role": "viewer", "version": 1})
		apptest.Problem(t, status, h, body)
		if status != http.StatusConflict {
			t.Errorf("stale user PATCH: %d, want 409", status)
		}
		status, _, _ = s.Do(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", u.ID), s.Token(t, db.RoleManager), map[string]any{"role": "admin"})
		if status != http.StatusForbidden {
			t.Errorf("manager PATCH user: %d, want 403", status)
		}
		s.DoJSON(t, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.Token.ID), tok.Secret, nil, 200, nil)
		status, h, body = s.Do(t, "GET", "/api/v1/me", tok.Secret, nil)
		apptest.Problem(t, status, h, body)
		if status != http.StatusUnauthorized {
			t.Errorf("revoked token: %d, want 401", status)
		}
	})
}
