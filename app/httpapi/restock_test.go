package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/db"
)

// shopDay0 is the first day of the stocked shop's history.
var shopDay0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// stocked is a server whose restock suggestions are known. Four products
// sold 8 to 12 a day for 60 days (day0 … day0+59); the clock stands at
// 08:00 on day 60 and forecasts are fresh:
//
//	EMPTY, COVER  supplier Acme, sold out yesterday: suggested, overdue
//	PLENTY        supplier Acme, stock for a year: not suggested
//	NOSUP         no supplier, sold out yesterday: suggested, overdue
type stocked struct {
	*apptest.Server
	supplier                     int64
	empty, cover, plenty, nosupp db.Product
	today                        string // YYYY-MM-DD of the clock
	clock                        *atomic.Int64
}

// advance moves the clock forward by d.
func (s *stocked) advance(d time.Duration) { s.clock.Add(int64(d)) }

// newStocked builds the stocked shop through the services.
func newStocked(t *testing.T) *stocked {
	t.Helper()
	clock := new(atomic.Int64)
	set := func(day, hour int) {
		clock.Store(shopDay0.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour).UnixNano())
	}
	set(0, 8)
	srv := apptest.NewServerWith(t, apptest.Options{App: app.Options{Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }}})
	s := &stocked{Server: srv, today: shopDay0.AddDate(0, 0, 60).Format(time.DateOnly), clock: clock}
	ctx := context.Background()
	sup, err := s.App.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme"), LeadTimeDays: app.Ptr(5)})
	if err != nil {
		t.Fatal(err)
	}
	s.supplier = sup.ID
	mk := func(sku string, stock int64, supplied bool) db.Product {
		in := app.ProductInput{SKU: app.Ptr(sku), Name: app.Ptr("Product " + sku), UnitCost: app.Ptr[db.Money](200),
			UnitPrice: app.Ptr[db.Money](300), Stock: &stock, PackSize: app.Ptr(6), MinOrderQty: app.Ptr(20)}
		if supplied {
			in.SupplierID = app.Of(sup.ID)
		}
		p, err := s.App.Catalog.CreateProduct(ctx, app.System, in)
		if err != nil {
			t.Fatal(err)
		}
		return *p
	}
	s.empty, s.cover, s.plenty, s.nosupp = mk("EMPTY", 600, true), mk("COVER", 600, true), mk("PLENTY", 5000, true), mk("NOSUP", 600, false)
	for d := 0; d < 60; d++ {
		set(d, 12)
		for _, p := range []db.Product{s.empty, s.cover, s.plenty, s.nosupp} {
			q := int64(8 + (d*7)%5)
			if d == 59 && p.ID != s.plenty.ID {
				q = s.stockOf(t, p.ID)
			}
			if _, err := s.App.Sales.Record(ctx, app.System, app.SaleInput{ProductID: app.Ptr(p.ID), Quantity: &q}); err != nil {
				t.Fatalf("day %d %s: %v", d, p.SKU, err)
			}
		}
	}
	set(60, 8)
	if _, err := s.App.Forecasts.RefreshAll(ctx, app.System, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// stockOf returns a product's stock, read from the database.
func (s *stocked) stockOf(t *testing.T, id int64) int64 {
	t.Helper()
	var stock int64
	if err := s.DB.NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", id).Scan(context.Background(), &stock); err != nil {
		t.Fatal(err)
	}
	return stock
}

// restockLineJSON is the part of a suggestion the tests read.
type restockLineJSON struct {
	ProductID  int64  `json:"product_id"`
	SKU        string `json:"sku"`
	SupplierID *int64 `json:"supplier_id"`
	OnOrder    int64  `json:"on_order"`
	Quantity   int64  `json:"quantity"`
	Urgency    string `json:"urgency"`
	Reason     string `json:"reason"`
}

// suggestedSKUs lists the SKUs of GET /restock (products that need an order).
func (s *stocked) suggestedSKUs(t *testing.T) string {
	t.Helper()
	var list struct{ Items []restockLineJSON }
	s.DoJSON(t, "GET", "/api/v1/restock", s.Token(t, db.RoleViewer), nil, http.StatusOK, &list)
	return skus(list.Items)
}

func skus(lines []restockLineJSON) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.SKU
	}
	return strings.Join(out, ",")
}

// TestRestock checks GET /restock's filters, shapes and errors.
func TestRestock(t *testing.T) {
	s := newStocked(t)
	viewer := s.Token(t, db.RoleViewer)
	tests := []struct {
		name  string
		query string
		want  string // the SKUs listed, in SKU order
	}{
		{"default", "", "COVER,EMPTY,NOSUP"},
		{"all", "?all=true", "COVER,EMPTY,NOSUP,PLENTY"},
		{"overdue", "?urgency=overdue", "COVER,EMPTY,NOSUP"},
		{"later", "?urgency=later", ""},
		{"supplier", fmt.Sprintf("?supplier_id=%d", s.supplier), "COVER,EMPTY"},
		{"supplier all", fmt.Sprintf("?supplier_id=%d&all=1", s.supplier), "COVER,EMPTY,PLENTY"},
		{"unknown supplier", "?supplier_id=999", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var list struct {
				Items []restockLineJSON
				Total int
			}
			s.DoJSON(t, "GET", "/api/v1/restock"+tt.query, viewer, nil, http.StatusOK, &list)
			if list.Items == nil || list.Total != len(list.Items) {
				t.Fatalf("items %v total %d", list.Items, list.Total)
			}
			got := sortedSKUs(list.Items)
			if got != tt.want {
				t.Fatalf("SKUs = %q, want %q", got, tt.want)
			}
			for _, l := range list.Items {
				if l.SKU != "PLENTY" && (l.Quantity < 20 || l.Quantity%6 != 0 || l.Urgency != "overdue" || l.Reason == "") {
					t.Errorf("line %+v: want overdue, ≥ MOQ 20, a multiple of 6, with a reason", l)
				}
			}
		})
	}

	t.Run("grouped", func(t *testing.T) {
		var res struct {
			Groups []struct {
				SupplierID   *int64 `json:"supplier_id"`
				SupplierName string `json:"supplier_name"`
				Lines        []restockLineJSON
				Units        int64
			}
		}
		s.DoJSON(t, "GET", "/api/v1/restock?group=supplier", viewer, nil, http.StatusOK, &res)
		if len(res.Groups) != 2 {
			t.Fatalf("groups = %+v", res.Groups)
		}
		for _, g := range res.Groups {
			var units int64
			for _, l := range g.Lines {
				units += l.Quantity
			}
			named := g.SupplierID != nil && *g.SupplierID == s.supplier && g.SupplierName == "Acme" && len(g.Lines) == 2
			if units != g.Units || (!named && (g.SupplierID != nil || len(g.Lines) != 1 || g.Lines[0].SKU != "NOSUP")) {
				t.Errorf("group %+v", g)
			}
		}
	})

	for _, tt := range []struct{ query, field string }{
		{"?urgency=soon", "urgency"},
		{"?all=maybe", "all"},
		{"?supplier_id=x", "supplier_id"},
		{"?group=category", "group"},
	} {
		t.Run("bad "+tt.field, func(t *testing.T) {
			status, h, body := s.Do(t, "GET", "/api/v1/restock"+tt.query, viewer, nil)
			if p := apptest.Problem(t, status, h, body); status != http.StatusBadRequest || !apptest.HasField(p, tt.field, -1) {
				t.Fatalf("status %d, want 400 naming %s: %s", status, tt.field, body)
			}
		})
	}
	if status, _, _ := s.Do(t, "GET", "/api/v1/restock", "", nil); status != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", status)
	}
}

// sortedSKUs lists the SKUs in SKU order.
func sortedSKUs(lines []restockLineJSON) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.SKU
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}
