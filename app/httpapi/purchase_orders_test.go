package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// poJSON is a purchase order as the API answers it.
type poJSON struct {
	ID         int64      `json:"id"`
	SupplierID int64      `json:"supplier_id"`
	Status     string     `json:"status"`
	Note       string     `json:"note"`
	Version    int64      `json:"version"`
	ExpectedAt *time.Time `json:"expected_at"`
	ReceivedAt *time.Time `json:"received_at"`
	Lines      []struct {
		ProductID   int64   `json:"product_id"`
		Quantity    int64   `json:"quantity"`
		ReceivedQty int64   `json:"received_qty"`
		UnitCost    float64 `json:"unit_cost"`
	} `json:"lines"`
}

// poFixture is a supplier, two of its products and one draft of each.
type poFixture struct {
	supplier, p1, p2 int64
}

func newPOFixture(t *testing.T, s *apptest.Server) poFixture {
	t.Helper()
	m := s.Token(t, db.RoleManager)
	var f poFixture
	var obj struct{ ID int64 }
	s.DoJSON(t, "POST", "/api/v1/suppliers", m, map[string]any{"name": "Acme", "lead_time_days": 4}, http.StatusCreated, &obj)
	f.supplier = obj.ID
	s.DoJSON(t, "POST", "/api/v1/products", m, map[string]any{"sku": "PO-1", "name": "One", "supplier_id": f.supplier, "unit_cost": 1.5, "unit_price": 3, "stock": 2}, http.StatusCreated, &obj)
	f.p1 = obj.ID
	s.DoJSON(t, "POST", "/api/v1/products", m, map[string]any{"sku": "PO-2", "name": "Two", "supplier_id": f.supplier, "unit_cost": 2, "unit_price": 4}, http.StatusCreated, &obj)
	f.p2 = obj.ID
	return f
}

// draft creates a draft of qty units of product as a clerk.
func (f poFixture) draft(t *testing.T, s *apptest.Server, product, qty int64) poJSON {
	t.Helper()
	var po poJSON
	s.DoJSON(t, "POST", "/api/v1/purchase-orders", s.Token(t, db.RoleClerk), map[string]any{
		"supplier_id": f.supplier, "lines": []map[string]any{{"product_id": product, "quantity": qty}}}, http.StatusCreated, &po)
	return po
}

// TestPurchaseOrderLifecycle walks draft → edit → approve → order →
// partial receipt → receipt, checking the stock and the 409s on the way.
func TestPurchaseOrderLifecycle(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		f := newPOFixture(t, s)
		clerk, manager := s.Token(t, db.RoleClerk), s.Token(t, db.RoleManager)

		status, h, body := s.Do(t, "POST", "/api/v1/purchase-orders", clerk, map[string]any{
			"supplier_id": f.supplier, "note": "first", "lines": []map[string]any{{"product_id": f.p1, "quantity": 10}}})
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		po := apptest.DecodeAs[poJSON](t, body)
		path := fmt.Sprintf("/api/v1/purchase-orders/%d", po.ID)
		if h.Get("Location") != path || po.Status != "draft" || po.Lines[0].UnitCost != 1.5 || po.Note != "first" {
			t.Fatalf("created %+v at %q", po, h.Get("Location"))
		}

		// Lines are editable while draft, with the current version.
		s.DoJSON(t, "PATCH", path, clerk, map[string]any{"version": po.Version, "note": "edited",
			"lines": []map[string]any{{"product_id": f.p1, "quantity": 10}, {"product_id": f.p2, "quantity": 5, "unit_cost": 1.75}}}, http.StatusOK, &po)
		if len(po.Lines) != 2 || po.Note != "edited" || po.Version != 2 {
			t.Fatalf("patched %+v", po)
		}
		s.DoJSON(t, "GET", path, s.Token(t, db.RoleViewer), nil, http.StatusOK, &po)
		if len(po.Lines) != 2 || po.Lines[1].UnitCost != 1.75 {
			t.Fatalf("got %+v", po)
		}

		steps := []struct {
			name         string
			token        string
			method, path string
			body         any
			want         int
			status       string // the order's status afterwards, "" = unchanged
		}{
			{"stale version", clerk, "PATCH", path, map[string]any{"version": 1, "note": "x"}, 409, ""},
			{"receive a draft", clerk, "POST", path + "/receive", map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 1}}}, 409, ""},
			{"order a draft", manager, "POST", path + "/order", nil, 409, ""},
			{"clerk approves", clerk, "POST", path + "/approve", nil, 403, ""},
			{"approve", manager, "POST", path + "/approve", nil, 200, "approved"},
			{"approve twice", manager, "POST", path + "/approve", nil, 409, ""},
			{"edit after approval", clerk, "PATCH", path, map[string]any{"version": 3, "note": "x"}, 409, ""},
			{"clerk orders", clerk, "POST", path + "/order", nil, 403, ""},
			{"bad expected_at", manager, "POST", path + "/order", map[string]any{"expected_at": "next week"}, 400, ""},
			{"order", manager, "POST", path + "/order", map[string]any{"expected_at": "2030-01-15"}, 200, "ordered"},
			{"receive too much", clerk, "POST", path + "/receive", map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 11}}}, 400, ""},
			{"receive another product", clerk, "POST", path + "/receive", map[string]any{"lines": []map[string]any{{"product_id": 999999, "quantity": 1}}}, 400, ""},
			{"receive nothing", clerk, "POST", path + "/receive", map[string]any{"lines": []any{}}, 400, ""},
			{"viewer receives", s.Token(t, db.RoleViewer), "POST", path + "/receive", map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 1}}}, 403, ""},
			{"receive part", clerk, "POST", path + "/receive", map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 4}}}, 200, "partial"},
			{"receive the rest", clerk, "POST", path + "/receive", map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 6}, {"product_id": f.p2, "quantity": 5}}}, 200, "received"},
			{"receive after receipt", clerk, "POST", path + "/receive", map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 1}}}, 409, ""},
			{"cancel a received order", manager, "POST", path + "/cancel", nil, 409, ""},
		}
		for _, st := range steps {
			status, h, body := s.Do(t, st.method, st.path, st.token, st.body)
			if status != st.want {
				t.Fatalf("%s: status %d, want %d; %s", st.name, status, st.want, body)
			}
			if status >= 400 {
				apptest.Problem(t, status, h, body)
				continue
			}
			if got := apptest.DecodeAs[poJSON](t, body); st.status != "" && got.Status != st.status {
				t.Fatalf("%s: status %q, want %q", st.name, got.Status, st.status)
			}
		}
		s.DoJSON(t, "GET", path, clerk, nil, http.StatusOK, &po)
		want := time.Date(2030, 1, 15, 0, 0, 0, 0, time.UTC)
		if po.ExpectedAt == nil || !po.ExpectedAt.Equal(want) || po.ReceivedAt == nil || po.Lines[0].ReceivedQty != 10 || po.Lines[1].ReceivedQty != 5 {
			t.Fatalf("received order %+v", po)
		}
		var p struct{ Stock int64 }
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/products/%d", f.p1), clerk, nil, http.StatusOK, &p)
		if p.Stock != 12 {
			t.Fatalf("stock %d after receiving 10 onto 2", p.Stock)
		}
		var moves struct{ Total int }
		s.DoJSON(t, "GET", fmt.Sprintf("/api/v1/stock-movements?product_id=%d&kind=receipt", f.p1), clerk, nil, http.StatusOK, &moves)
		if moves.Total != 2 {
			t.Fatalf("%d receipt movements, want one per receipt (2)", moves.Total)
		}
	})
}

// TestPurchaseOrderListAndErrors checks the list filters, cancellation and
// the 400/403/404 answers.
func TestPurchaseOrderListAndErrors(t *testing.T) {
	s := apptest.NewServer(t)
	f := newPOFixture(t, s)
	manager, viewer := s.Token(t, db.RoleManager), s.Token(t, db.RoleViewer)
	a, b := f.draft(t, s, f.p1, 3), f.draft(t, s, f.p2, 4)
	s.DoJSON(t, "POST", fmt.Sprintf("/api/v1/purchase-orders/%d/cancel", b.ID), manager, nil, http.StatusOK, nil)

	lists := []struct {
		query string
		want  []int64
	}{
		{"", []int64{b.ID, a.ID}},
		{"?status=open", []int64{a.ID}},
		{"?status=draft", []int64{a.ID}},
		{"?status=cancelled", []int64{b.ID}},
		{"?status=received", nil},
		{fmt.Sprintf("?supplier_id=%d&limit=1", f.supplier), []int64{b.ID}},
		{"?offset=1", []int64{a.ID}},
		{"?supplier_id=999999", nil},
	}
	for _, tt := range lists {
		t.Run("list"+tt.query, func(t *testing.T) {
			var page struct {
				Items []poJSON
				Total int
			}
			s.DoJSON(t, "GET", "/api/v1/purchase-orders"+tt.query, viewer, nil, http.StatusOK, &page)
			if page.Items == nil || len(page.Items) != len(tt.want) {
				t.Fatalf("items %+v, want ids %v", page.Items, tt.want)
			}
			for i, po := range page.Items {
				if po.ID != tt.want[i] || len(po.Lines) != 1 {
					t.Fatalf("items %+v, want ids %v with their lines", page.Items, tt.want)
				}
			}
		})
	}

	orderPath := fmt.Sprintf("/api/v1/purchase-orders/%d", a.ID)
	tests := []struct {
		name         string
		role         db.Role
		method, path string
		body         any
		want         int
		field        string
	}{
		{"bad status", db.RoleViewer, "GET", "/api/v1/purchase-orders?status=lost", nil, 400, "status"},
		{"bad limit", db.RoleViewer, "GET", "/api/v1/purchase-orders?limit=0", nil, 400, "limit"},
		{"bad id", db.RoleViewer, "GET", "/api/v1/purchase-orders/abc", nil, 400, "id"},
		{"no supplier", db.RoleClerk, "POST", "/api/v1/purchase-orders", map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 1}}}, 400, "supplier_id"},
		{"no lines", db.RoleClerk, "POST", "/api/v1/purchase-orders", map[string]any{"supplier_id": f.supplier}, 400, "lines"},
		{"unknown supplier", db.RoleClerk, "POST", "/api/v1/purchase-orders", map[string]any{"supplier_id": 999999, "lines": []map[string]any{{"product_id": f.p1, "quantity": 1}}}, 400, "supplier_id"},
		{"unknown field", db.RoleClerk, "POST", "/api/v1/purchase-orders", map[string]any{"supplier_id": f.supplier, "status": "approved"}, 400, "status"},
		{"quantity string", db.RoleClerk, "POST", "/api/v1/purchase-orders", `{"supplier_id": 1, "lines": [{"product_id": 1, "quantity": "ten"}]}`, 400, "quantity"},
		{"patch without version", db.RoleClerk, "PATCH", orderPath, map[string]any{"note": "x"}, 400, "version"},
		{"patch supplier", db.RoleClerk, "PATCH", orderPath, map[string]any{"version": a.Version, "supplier_id": f.supplier}, 400, "supplier_id"},
		{"receive without body", db.RoleClerk, "POST", orderPath + "/receive", nil, 400, ""},
		{"viewer drafts", db.RoleViewer, "POST", "/api/v1/purchase-orders", map[string]any{"supplier_id": f.supplier, "lines": []map[string]any{{"product_id": f.p1, "quantity": 1}}}, 403, ""},
		{"viewer edits", db.RoleViewer, "PATCH", orderPath, map[string]any{"version": a.Version, "note": "x"}, 403, ""},
		{"clerk cancels", db.RoleClerk, "POST", orderPath + "/cancel", nil, 403, ""},
		{"unknown order", db.RoleViewer, "GET", "/api/v1/purchase-orders/999999", nil, 404, ""},
		{"approve unknown", db.RoleManager, "POST", "/api/v1/purchase-orders/999999/approve", nil, 404, ""},
		{"patch unknown", db.RoleClerk, "PATCH", "/api/v1/purchase-orders/999999", map[string]any{"version": 1, "note": "x"}, 404, ""},
		{"cancel twice", db.RoleManager, "POST", fmt.Sprintf("/api/v1/purchase-orders/%d/cancel", b.ID), nil, 409, ""},
		{"approve cancelled", db.RoleManager, "POST", fmt.Sprintf("/api/v1/purchase-orders/%d/approve", b.ID), nil, 409, ""},
		{"delete", db.RoleAdmin, "DELETE", orderPath, nil, 405, ""},
		{"no token", "", "GET", "/api/v1/purchase-orders", nil, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := ""
			if tt.role != "" {
				token = s.Token(t, tt.role)
			}
			status, h, body := s.Do(t, tt.method, tt.path, token, tt.body)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, body)
			}
			p := apptest.Problem(t, status, h, body)
			if tt.field != "" && !apptest.HasField(p, tt.field, -1) {
				t.Fatalf("problem does not name %q: %s", tt.field, body)
			}
		})
	}
}

// TestPurchaseOrderRoles checks who may move an order along: clerks draft
// and receive, managers and admins approve, place and cancel.
func TestPurchaseOrderRoles(t *testing.T) {
	s := apptest.NewServer(t)
	f := newPOFixture(t, s)
	manager := s.Token(t, db.RoleManager)
	// prepare brings a new order to the state an action needs.
	prepare := func(t *testing.T, to string) poJSON {
		po := f.draft(t, s, f.p1, 5)
		path := fmt.Sprintf("/api/v1/purchase-orders/%d", po.ID)
		if to == "draft" {
			return po
		}
		s.DoJSON(t, "POST", path+"/approve", manager, nil, http.StatusOK, nil)
		if to == "approved" {
			return po
		}
		s.DoJSON(t, "POST", path+"/order", manager, nil, http.StatusOK, nil)
		return po
	}
	actions := []struct {
		action, from string
		min          db.Role
		body         any
	}{
		{"approve", "draft", db.RoleManager, nil},
		{"order", "approved", db.RoleManager, nil},
		{"cancel", "ordered", db.RoleManager, nil},
		{"receive", "ordered", db.RoleClerk, map[string]any{"lines": []map[string]any{{"product_id": f.p1, "quantity": 5}}}},
	}
	for _, a := range actions {
		for _, role := range []db.Role{db.RoleViewer, db.RoleClerk, db.RoleManager, db.RoleAdmin} {
			t.Run(a.action+"/"+string(role), func(t *testing.T) {
				po := prepare(t, a.from)
				want := http.StatusOK
				if role.Rank() < a.min.Rank() {
					want = http.StatusForbidden
				}
				status, _, body := s.Do(t, "POST", fmt.Sprintf("/api/v1/purchase-orders/%d/%s", po.ID, a.action), s.Token(t, role), a.body)
				if status != want {
					t.Fatalf("%s as %s: %d, want %d; %s", a.action, role, status, want, body)
				}
			})
		}
	}
}

// TestPurchaseOrdersFromSuggestions checks that suggestions become one
// draft per supplier, that a repeat drafts nothing, and that an open order
// covering a product keeps it out of the suggestions.
func TestPurchaseOrdersFromSuggestions(t *testing.T) {
	s := newStocked(t)
	clerk := s.Token(t, db.RoleClerk)
	const path = "/api/v1/purchase-orders/from-suggestions"
	var before struct{ Items []restockLineJSON }
	s.DoJSON(t, "GET", "/api/v1/restock", clerk, nil, http.StatusOK, &before)
	if got := sortedSKUs(before.Items); got != "COVER,EMPTY,NOSUP" {
		t.Fatalf("suggested before: %s", got)
	}
	suggested := map[int64]int64{}
	for _, l := range before.Items {
		suggested[l.ProductID] = l.Quantity
	}

	errs := []struct {
		name  string
		role  db.Role
		body  any
		want  int
		field string
	}{
		{"viewer", db.RoleViewer, nil, 403, ""},
		{"no supplier", db.RoleClerk, map[string]any{"lines": []map[string]any{{"product_id": s.empty.ID}, {"product_id": s.nosupp.ID}}}, 400, "product_id"},
		{"unknown product", db.RoleClerk, map[string]any{"lines": []map[string]any{{"product_id": 999999}}}, 400, "product_id"},
		{"zero quantity", db.RoleClerk, map[string]any{"lines": []map[string]any{{"product_id": s.empty.ID, "quantity": 0}}}, 400, "quantity"},
		{"unknown field", db.RoleClerk, map[string]any{"products": []int64{s.empty.ID}}, 400, "products"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := s.Do(t, "POST", path, s.Token(t, tt.role), tt.body)
			p := apptest.Problem(t, status, h, body)
			if status != tt.want || (tt.field != "" && !apptest.HasField(p, tt.field, -1)) {
				t.Fatalf("status %d, want %d naming %q: %s", status, tt.want, tt.field, body)
			}
		})
	}

	// Everything suggested: one draft for Acme with EMPTY and COVER at
	// their suggested quantities; NOSUP (no supplier) is left out.
	var drafts struct {
		Items []poJSON
		Total int
	}
	s.DoJSON(t, "POST", path, clerk, nil, http.StatusCreated, &drafts)
	if drafts.Total != 1 || len(drafts.Items) != 1 || drafts.Items[0].SupplierID != s.supplier || drafts.Items[0].Status != "draft" || len(drafts.Items[0].Lines) != 2 {
		t.Fatalf("drafts = %+v", drafts)
	}
	for _, l := range drafts.Items[0].Lines {
		if l.Quantity != suggested[l.ProductID] || (l.ProductID != s.empty.ID && l.ProductID != s.cover.ID) {
			t.Errorf("line %+v, suggested %d", l, suggested[l.ProductID])
		}
	}

	// A draft is not on order: EMPTY and COVER are still suggested (the
	// draft never hides their need), but repeating the call, in any
	// form, drafts nothing (200, empty).
	if got := strings.Split(s.suggestedSKUs(t), ","); !slices.Contains(got, "EMPTY") || !slices.Contains(got, "COVER") {
		t.Fatalf("suggested with a draft for EMPTY and COVER: %s", got)
	}
	for _, body := range []any{nil, map[string]any{"supplier_id": s.supplier},
		map[string]any{"lines": []map[string]any{{"product_id": s.cover.ID, "quantity": 500}}}} {
		var again struct {
			Items []poJSON
			Total int
		}
		s.DoJSON(t, "POST", path, clerk, body, http.StatusOK, &again)
		if again.Items == nil || again.Total != 0 {
			t.Fatalf("repeat with %v drafted %+v", body, again)
		}
	}
	var open struct{ Total int }
	s.DoJSON(t, "GET", "/api/v1/purchase-orders?status=open", clerk, nil, http.StatusOK, &open)
	if open.Total != 1 {
		t.Fatalf("%d open orders after repeats, want 1", open.Total)
	}

	// Once the draft is cancelled the need is back, and so is a draft. (The
	// clock moves on: cached suggestions are keyed by the orders' update time.)
	s.advance(time.Minute)
	s.DoJSON(t, "POST", fmt.Sprintf("/api/v1/purchase-orders/%d/cancel", drafts.Items[0].ID), s.Token(t, db.RoleManager), nil, http.StatusOK, nil)
	s.DoJSON(t, "POST", path, clerk, map[string]any{"lines": []map[string]any{{"product_id": s.cover.ID, "quantity": 60}}, "note": "only COVER"}, http.StatusCreated, &drafts)
	if drafts.Total != 1 || len(drafts.Items[0].Lines) != 1 || drafts.Items[0].Lines[0].Quantity != 60 || drafts.Items[0].Note != "only COVER" {
		t.Fatalf("after cancelling: %+v", drafts)
	}
}
