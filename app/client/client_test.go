package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"smartinventory/api"
	"smartinventory/app/apptest"
	"smartinventory/app/client"
	"smartinventory/db"
)

// newClient returns a client of s with a token of role.
func newClient(t *testing.T, s *apptest.Server, role db.Role) *client.Client {
	t.Helper()
	c, err := client.New(s.URL, s.Token(t, role))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNew(t *testing.T) {
	tests := []struct {
		in, server string
		ok         bool
	}{
		{"http://localhost:8080", "http://localhost:8080", true},
		{"http://localhost:8080/", "http://localhost:8080", true},
		{"https://shop.example/api/v1", "https://shop.example", true},
		{"https://shop.example/inv/", "https://shop.example/inv", true},
		{"localhost:8080", "", false},
		{"ftp://x", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		c, err := client.New(tt.in, "t")
		if (err == nil) != tt.ok {
			t.Errorf("New(%q): err %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err == nil && c.Server() != tt.server {
			t.Errorf("New(%q).Server() = %q, want %q", tt.in, c.Server(), tt.server)
		}
	}
}

func TestClient_CatalogSalesStock(t *testing.T) {
	t.Parallel()
	s := apptest.NewServer(t)
	ctx := context.Background()
	m := newClient(t, s, db.RoleManager)

	me, err := m.Me(ctx)
	if err != nil || me.Username != "manager" {
		t.Fatalf("Me = %+v, %v", me, err)
	}
	cat, err := m.CreateCategory(ctx, api.CategoryInput{Name: api.Ptr("Tools")})
	if err != nil {
		t.Fatal(err)
	}
	sup, err := m.CreateSupplier(ctx, api.SupplierInput{Name: api.Ptr("ACME"), LeadTimeDays: api.Ptr(5)})
	if err != nil {
		t.Fatal(err)
	}
	price := api.Money(1250)
	p, err := m.CreateProduct(ctx, api.ProductInput{SKU: api.Ptr("HAM-1"), Name: api.Ptr("Hammer"),
		CategoryID: api.Of(cat.ID), SupplierID: api.Of(sup.ID), UnitPrice: &price, Stock: api.Ptr(int64(10)),
		LeadTimeDays: api.Of(3)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.CreateProduct(ctx, api.ProductInput{SKU: api.Ptr("HAM-10"), Name: api.Ptr("Big hammer")}); err != nil {
		t.Fatal(err)
	}

	// A PATCH that sets only the name keeps the nullable fields.
	p2, err := m.UpdateProduct(ctx, p.ID, api.ProductInput{Name: api.Ptr("Claw hammer"), Version: &p.Version})
	if err != nil {
		t.Fatal(err)
	}
	if p2.Name != "Claw hammer" || p2.CategoryID == nil || *p2.CategoryID != cat.ID || p2.LeadTimeDays == nil {
		t.Fatalf("after PATCH name: %+v", p2)
	}
	// api.Null clears one.
	p3, err := m.UpdateProduct(ctx, p.ID, api.ProductInput{LeadTimeDays: api.Null[int](), Version: &p2.Version})
	if err != nil || p3.LeadTimeDays != nil || p3.CategoryID == nil {
		t.Fatalf("after PATCH lead_time_days null: %+v, %v", p3, err)
	}
	// A stale version is a conflict, with the current product.
	_, err = m.UpdateProduct(ctx, p.ID, api.ProductInput{Name: api.Ptr("x"), Version: &p.Version})
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Status != http.StatusConflict || client.ErrorCode(err) != api.ECONFLICT || len(ce.Current) == 0 {
		t.Fatalf("stale update: %#v", err)
	}

	// Lookup by SKU is exact, though "HAM-1" is a substring of "HAM-10".
	got, err := m.ProductBySKU(ctx, "HAM-1")
	if err != nil || got.ID != p.ID {
		t.Fatalf("ProductBySKU(HAM-1) = %+v, %v", got, err)
	}
	if _, err := m.ProductBySKU(ctx, "HAM"); client.ErrorCode(err) != api.ENOTFOUND {
		t.Fatalf("ProductBySKU(HAM): %v, want not found", err)
	}
	page, err := m.Products(ctx, client.ProductFilter{Query: "ham", Sort: "-sku", Limit: 1})
	if err != nil || page.Total != 2 || len(page.Items) != 1 || page.Items[0].SKU != "HAM-10" {
		t.Fatalf("Products = %+v, %v", page, err)
	}

	clerk := newClient(t, s, db.RoleClerk)
	sold, err := clerk.RecordSale(ctx, api.SaleInput{SKU: api.Ptr("HAM-1"), Quantity: api.Ptr(int64(3))})
	if err != nil || sold.Stock != 7 || sold.Sale.UnitPrice != price {
		t.Fatalf("RecordSale = %+v, %v", sold, err)
	}
	if _, err := clerk.RecordSale(ctx, api.SaleInput{SKU: api.Ptr("HAM-1"), Quantity: api.Ptr(int64(100))}); client.ErrorCode(err) != api.ECONFLICT {
		t.Fatalf("overselling: %v, want conflict", err)
	}
	batch, err := clerk.RecordSales(ctx, []api.SaleInput{{ProductID: &p.ID, Quantity: api.Ptr(int64(1))}, {SKU: api.Ptr("HAM-1"), Quantity: api.Ptr(int64(1))}})
	if err != nil || len(batch) != 2 || batch[1].Stock != 5 {
		t.Fatalf("RecordSales = %+v, %v", batch, err)
	}
	sales, err := clerk.Sales(ctx, client.SaleFilter{ProductID: p.ID, From: time.Now().Add(-time.Hour)})
	if err != nil || sales.Total != 3 {
		t.Fatalf("Sales = %+v, %v", sales, err)
	}
	v, err := clerk.VoidSale(ctx, sold.Sale.ID, "typo")
	if err != nil || v.Stock != 8 || v.Sale.VoidedAt == nil {
		t.Fatalf("VoidSale = %+v, %v", v, err)
	}
	if _, err := clerk.VoidSale(ctx, sold.Sale.ID, ""); client.ErrorCode(err) != api.ECONFLICT {
		t.Fatalf("second void: %v", err)
	}
	mv, err := clerk.Adjust(ctx, api.AdjustmentInput{SKU: api.Ptr("HAM-1"), Delta: api.Ptr(int64(-2)), Reason: "broken"})
	if err != nil || mv.Balance != 6 {
		t.Fatalf("Adjust = %+v, %v", mv, err)
	}
	mv, err = clerk.Receive(ctx, api.ReceiptInput{ProductID: &p.ID, Quantity: api.Ptr(int64(4))})
	if err != nil || mv.Balance != 10 {
		t.Fatalf("Receive = %+v, %v", mv, err)
	}
	moves, err := clerk.Movements(ctx, client.MovementFilter{ProductID: p.ID, Kind: "adjustment"})
	if err != nil || moves.Total != 1 {
		t.Fatalf("Movements = %+v, %v", moves, err)
	}

	// Roles: a viewer may read but not write.
	viewer := newClient(t, s, db.RoleViewer)
	if _, err := viewer.Product(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err = viewer.CreateCategory(ctx, api.CategoryInput{Name: api.Ptr("No")})
	if !errors.As(err, &ce) || ce.Status != http.StatusForbidden || client.ErrorCode(err) != api.EFORBIDDEN {
		t.Fatalf("viewer create: %#v", err)
	}
	if err := m.DeleteCategory(ctx, cat.ID); client.ErrorCode(err) != api.ECONFLICT {
		t.Fatalf("delete category in use: %v", err)
	}
	deleted, err := m.DeleteProduct(ctx, p.ID)
	if err != nil || deleted {
		t.Fatalf("DeleteProduct with history = %v, %v; want deactivated", deleted, err)
	}
}

func TestClient_Errors(t *testing.T) {
	t.Parallel()
	s := apptest.NewServer(t)
	ctx := context.Background()
	bad, err := client.New(s.URL, "si_nope")
	if err != nil {
		t.Fatal(err)
	}
	m := newClient(t, s, db.RoleManager)

	// An unused port: listen, note the address, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()
	gone, err := client.New(down, "t")
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
		msg    string
	}{
		{"bad token", func() error { _, err := bad.Me(ctx); return err }, 401, api.EUNAUTHORIZED, ""},
		{"not found", func() error { _, err := m.Product(ctx, 999); return err }, 404, api.ENOTFOUND, ""},
		{"validation", func() error {
			_, err := m.CreateProduct(ctx, api.ProductInput{Name: api.Ptr("no sku")})
			return err
		}, 400, api.EINVALID, "sku"},
		{"bad query", func() error {
			_, err := m.Restock(ctx, client.RestockFilter{Urgency: "soon"})
			return err
		}, 400, api.EINVALID, "urgency"},
		{"unreachable", func() error { _, err := gone.Me(ctx); return err }, 0, api.EINTERNAL, "cannot reach " + down + ": connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			var ce *client.Error
			if tt.status == 0 {
				var ne *client.NetError
				if !errors.As(err, &ne) || errors.As(err, &ce) {
					t.Fatalf("%#v, want a *client.NetError", err)
				}
			} else if !errors.As(err, &ce) || ce.Status != tt.status {
				t.Fatalf("%#v, want *client.Error with status %d", err, tt.status)
			}
			if got := client.ErrorCode(err); got != tt.code {
				t.Errorf("code %q, want %q", got, tt.code)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not mention %q", err, tt.msg)
			}
		})
	}
}
