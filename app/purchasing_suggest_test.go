package app_test

import (
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// suggestShop is a shop whose restock suggestions are known: EMPTY, COVER
// and NOSUP sold out yesterday (NOSUP has no supplier), PLENTY has stock
// for a year. All sold about 10 a day for 60 days; forecasts are fresh.
type suggestShop struct {
	*shop
	supplier                     *db.Supplier
	empty, cover, plenty, nosupp *db.Product
}

func newSuggestShop(t *testing.T, bdb *bun.DB) *suggestShop {
	t.Helper()
	s := &suggestShop{shop: newShop(t, bdb)}
	var err error
	s.supplier, err = s.a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme"), LeadTimeDays: app.Ptr(5)})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(sku string, stock int64, supplied bool) *db.Product {
		in := app.ProductInput{SKU: app.Ptr(sku), Name: app.Ptr(sku), UnitCost: app.Ptr[db.Money](200),
			UnitPrice: app.Ptr[db.Money](300), Stock: &stock, PackSize: app.Ptr(6), MinOrderQty: app.Ptr(20)}
		if supplied {
			in.SupplierID = app.Of(s.supplier.ID)
		}
		p, err := s.a.Catalog.CreateProduct(ctx, app.System, in)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	s.empty, s.cover, s.plenty, s.nosupp = mk("EMPTY", 600, true), mk("COVER", 600, true), mk("PLENTY", 5000, true), mk("NOSUP", 600, false)
	for d := 0; d < 60; d++ {
		s.at(d, 12)
		for _, p := range []*db.Product{s.empty, s.cover, s.plenty, s.nosupp} {
			q := demandOn(d)
			if d == 59 && p != s.plenty {
				q = s.stock(p.ID)
			}
			if err := s.sell(p.ID, q); err != nil {
				t.Fatalf("day %d %s: %v", d, p.SKU, err)
			}
		}
	}
	s.at(60, 8)
	if _, err := s.a.Forecasts.RefreshAll(ctx, app.System, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *suggestShop) stock(id int64) int64 {
	s.t.Helper()
	var stock int64
	if err := app.DBOf(s.a).NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", id).Scan(ctx, &stock); err != nil {
		s.t.Fatal(err)
	}
	return stock
}

// suggested returns the current suggested quantity per product.
func (s *suggestShop) suggested() map[int64]int64 {
	s.t.Helper()
	lines, err := s.a.Restock.Suggestions(ctx, app.System, app.RestockFilter{All: true})
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[int64]int64{}
	for _, l := range lines {
		out[l.ProductID] = l.Quantity
	}
	return out
}

func (s *suggestShop) countOrders() int64 {
	s.t.Helper()
	n, err := app.DBOf(s.a).NewSelect().Model((*db.PurchaseOrder)(nil)).Count(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

func line(id int64, qty ...int64) app.SuggestedLine {
	l := app.SuggestedLine{ProductID: app.Ptr(id)}
	if len(qty) > 0 {
		l.Quantity = app.Ptr(qty[0])
	}
	return l
}

func TestDraftOrdersFromSuggestions_Invalid(t *testing.T) {
	s := newSuggestShop(t, dbtest.Open(t))
	viewer := actorWithRole(t, s.a, "viewer", db.RoleViewer)
	clerk := actorWithRole(t, s.a, "clerk", db.RoleClerk)
	tests := []struct {
		name  string
		actor app.Actor
		in    app.FromSuggestionsInput
		code  string
		field string
	}{
		{"viewer", viewer, app.FromSuggestionsInput{}, app.EFORBIDDEN, ""},
		{"unknown product", clerk, app.FromSuggestionsInput{Lines: []app.SuggestedLine{line(999999)}}, app.EINVALID, "product_id"},
		{"no supplier", clerk, app.FromSuggestionsInput{Lines: []app.SuggestedLine{line(s.empty.ID), line(s.nosupp.ID)}}, app.EINVALID, "product_id"},
		{"missing product id", clerk, app.FromSuggestionsInput{Lines: []app.SuggestedLine{{Quantity: app.Ptr[int64](5)}}}, app.EINVALID, "product_id"},
		{"twice", clerk, app.FromSuggestionsInput{Lines: []app.SuggestedLine{line(s.empty.ID), line(s.empty.ID)}}, app.EINVALID, "product_id"},
		{"zero quantity", clerk, app.FromSuggestionsInput{Lines: []app.SuggestedLine{line(s.empty.ID, 0)}}, app.EINVALID, "quantity"},
		{"other supplier", clerk, app.FromSuggestionsInput{SupplierID: app.Ptr(s.supplier.ID + 1), Lines: []app.SuggestedLine{line(s.empty.ID)}}, app.EINVALID, "product_id"},
		{"bad supplier", clerk, app.FromSuggestionsInput{SupplierID: app.Ptr[int64](-1)}, app.EINVALID, "supplier_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orders, err := s.a.DraftOrdersFromSuggestions(ctx, tt.actor, tt.in)
			wantCode(t, err, tt.code)
			if tt.field != "" {
				wantField(t, err, tt.field)
			}
			if orders != nil || s.countOrders() != 0 {
				t.Fatalf("drafted %v (%d orders) on error", orders, s.countOrders())
			}
		})
	}
}

// TestDraftOrdersFromSuggestions walks the idempotency rules: a chosen
// product with a quantity override, then everything else, then nothing.
func TestDraftOrdersFromSuggestions(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		s := newSuggestShop(t, bdb)
		clerk := actorWithRole(t, s.a, "clerk", db.RoleClerk)
		before := s.suggested()
		if before[s.empty.ID] == 0 || before[s.cover.ID] == 0 || before[s.nosupp.ID] == 0 || before[s.plenty.ID] != 0 {
			t.Fatalf("suggestions before = %v", before)
		}

		// 1. One chosen product with its own quantity.
		orders, err := s.a.DraftOrdersFromSuggestions(ctx, clerk, app.FromSuggestionsInput{Lines: []app.SuggestedLine{line(s.empty.ID, 7)}})
		if err != nil {
			t.Fatal(err)
		}
		if len(orders) != 1 || len(orders[0].Lines) != 1 || orders[0].Lines[0].ProductID != s.empty.ID || orders[0].Lines[0].Quantity != 7 ||
			orders[0].Status != db.PODraft || orders[0].SupplierID != s.supplier.ID || orders[0].Note != app.DefaultSuggestionNote {
			t.Fatalf("first drafts = %+v", orders)
		}
		// 7 units do not cover EMPTY's need, but it is on a draft now: a
		// second draft for it is never made, even with a quantity.
		if s.suggested()[s.empty.ID] == 0 {
			t.Fatal("7 units should not cover EMPTY's need")
		}
		orders, err = s.a.DraftOrdersFromSuggestions(ctx, clerk, app.FromSuggestionsInput{Lines: []app.SuggestedLine{line(s.empty.ID, 7)}})
		if err != nil || len(orders) != 0 {
			t.Fatalf("redraft of a drafted product = %+v, %v", orders, err)
		}

		// 2. Everything else: COVER at its suggested quantity; NOSUP (no
		// supplier) and PLENTY (no need) are left out.
		orders, err = s.a.DraftOrdersFromSuggestions(ctx, clerk, app.FromSuggestionsInput{Note: app.Ptr("weekly")})
		if err != nil {
			t.Fatal(err)
		}
		if len(orders) != 1 || len(orders[0].Lines) != 1 || orders[0].Lines[0].ProductID != s.cover.ID ||
			orders[0].Lines[0].Quantity != before[s.cover.ID] || orders[0].Note != "weekly" || orders[0].Lines[0].UnitCost != 200 {
			t.Fatalf("second drafts = %+v", orders)
		}
		// A draft is not on order: COVER is still suggested, but not
		// drafted again.
		if got := s.suggested()[s.cover.ID]; got == 0 {
			t.Fatal("COVER's need hidden by a draft")
		}
		if orders, err := s.a.DraftOrdersFromSuggestions(ctx, clerk, app.FromSuggestionsInput{}); err != nil || len(orders) != 0 {
			t.Fatalf("redraft of drafted products = %+v, %v", orders, err)
		}

		// 3. Nothing left: the same calls draft nothing, also once the
		// order is approved and placed (no longer a draft, still open).
		manager := actorWithRole(t, s.a, "manager", db.RoleManager)
		if _, err := s.a.Purchasing.Approve(ctx, manager, orders[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := s.suggested()[s.cover.ID]; got != 0 {
			t.Fatalf("COVER still suggested (%d) with an approved order covering it", got)
		}
		if _, err := s.a.Purchasing.MarkOrdered(ctx, manager, orders[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		for _, in := range []app.FromSuggestionsInput{{}, {Lines: []app.SuggestedLine{line(s.cover.ID)}}, {SupplierID: app.Ptr(s.supplier.ID)}} {
			orders, err = s.a.DraftOrdersFromSuggestions(ctx, clerk, in)
			if err != nil || len(orders) != 0 {
				t.Fatalf("repeat %+v drafted %+v, %v", in, orders, err)
			}
		}
		if n := s.countOrders(); n != 2 {
			t.Fatalf("%d orders, want 2", n)
		}
	})
}
