package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

// poFixture is a draft of two products from one supplier, a third product
// of that supplier to add, and a manager and a clerk signed in.
type poFixture struct {
	s              *testServer
	po             *db.PurchaseOrder
	a, b, extra    *db.Product
	manager, clerk *client
	path           string
}

func newPOFixture(t *testing.T) *poFixture {
	t.Helper()
	s := newTestServer(t, Config{})
	ctx := context.Background()
	sup, err := s.app.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme Ltd"),
		ContactName: app.Ptr("Ann Smith"), Email: app.Ptr("orders@acme.example"), LeadTimeDays: app.Ptr(7)})
	if err != nil {
		t.Fatal(err)
	}
	f := &poFixture{s: s}
	for _, p := range []**db.Product{&f.a, &f.b, &f.extra} {
		sku := []string{"PO-A", "PO-B", "PO-C"}[len(f.path)]
		f.path += "x"
		*p = s.product(t, sku, 0)
		if _, err := s.app.Catalog.UpdateProduct(ctx, app.System, (*p).ID, app.ProductInput{SupplierID: app.Of(sup.ID),
			UnitCost: app.Ptr[db.Money](400), Version: app.Ptr((*p).Version)}, false); err != nil {
			t.Fatal(err)
		}
	}
	f.po, err = s.app.Purchasing.CreateOrder(ctx, app.System, app.POInput{SupplierID: &sup.ID, Lines: []app.POLineInput{
		{ProductID: &f.a.ID, Quantity: app.Ptr[int64](10)}, {ProductID: &f.b.ID, Quantity: app.Ptr[int64](5)}}})
	if err != nil {
		t.Fatal(err)
	}
	s.user(t, "bob", db.RoleManager)
	s.user(t, "clerk", db.RoleClerk)
	f.manager, f.clerk = s.login(t, "bob"), s.login(t, "clerk")
	f.path = "/purchase-orders/" + itoa(f.po.ID)
	return f
}

func (f *poFixture) order(t *testing.T) *db.PurchaseOrder {
	t.Helper()
	po, err := f.s.app.Purchasing.Order(context.Background(), app.System, f.po.ID)
	if err != nil {
		t.Fatal(err)
	}
	return po
}

func TestPODraftLineEditor(t *testing.T) {
	f := newPOFixture(t)
	a, b := itoa(f.a.ID), itoa(f.b.ID)
	status, _, page := f.clerk.get(f.path)
	if status != http.StatusOK || !strings.Contains(page, `data-testid="po-lines-form"`) || !strings.Contains(page, `name="qty-`+a+`"`) {
		t.Fatalf("no line editor on the draft (status %d)", status)
	}
	// Every bad field is reported in one pass, next to its input.
	status, _, page = f.clerk.post(f.path+"/lines", url.Values{"version": {"1"}, "qty-" + a: {"0"}, "cost-" + a: {"-1"},
		"qty-" + b: {"x"}, "cost-" + b: {"4.00"}, "add-sku": {"NOPE"}, "add-qty": {"3"}})
	if status != http.StatusBadRequest {
		t.Fatalf("bad lines: status %d", status)
	}
	for _, want := range []string{"Quantity: must be a whole number", `no product has the SKU &#34;NOPE&#34;`} {
		if !strings.Contains(page, want) {
			t.Errorf("bad lines page lacks %q", want)
		}
	}
	if f.order(t).Version != 1 {
		t.Fatal("a refused edit changed the order")
	}
	// Service errors go next to their line: quantity 0 and a negative cost.
	status, _, page = f.clerk.post(f.path+"/lines", url.Values{"version": {"1"}, "qty-" + a: {"0"}, "cost-" + a: {"-1"},
		"qty-" + b: {"5"}, "cost-" + b: {"4.00"}})
	if status != http.StatusBadRequest || !strings.Contains(page, `id="e-qty-`+a+`"`) || !strings.Contains(page, `id="e-cost-`+a+`"`) {
		t.Fatalf("service errors not placed on line %s (status %d)", a, status)
	}
	// Change a's quantity and cost, remove b, add the extra product.
	status, h, _ := f.clerk.post(f.path+"/lines", url.Values{"version": {"1"}, "qty-" + a: {"12"}, "cost-" + a: {"3.75"},
		"qty-" + b: {"5"}, "cost-" + b: {"4.00"}, "remove-" + b: {"true"}, "add-sku": {"PO-C"}, "add-qty": {"6"}})
	if status != http.StatusSeeOther || h.Get("Location") != f.path {
		t.Fatalf("save lines: status %d, location %q", status, h.Get("Location"))
	}
	po := f.order(t)
	if po.Version != 2 || len(po.Lines) != 2 || po.Lines[0].ProductID != f.a.ID || po.Lines[0].Quantity != 12 || po.Lines[0].UnitCost != 375 ||
		po.Lines[1].ProductID != f.extra.ID || po.Lines[1].Quantity != 6 || po.Lines[1].UnitCost != 400 {
		t.Fatalf("lines after the edit: version %d %+v %+v", po.Version, po.Lines[0], po.Lines[len(po.Lines)-1])
	}
	// A stale version saves nothing and says so.
	status, _, _ = f.clerk.post(f.path+"/lines", url.Values{"version": {"1"}, "qty-" + a: {"99"}, "cost-" + a: {"3.75"}})
	_, _, page = f.clerk.get(f.path)
	if status != http.StatusSeeOther || !strings.Contains(page, "your changes were not saved") || f.order(t).Lines[0].Quantity != 12 {
		t.Fatalf("stale edit: status %d", status)
	}
}

func TestPOReceiveSeveralLinesAndAll(t *testing.T) {
	f := newPOFixture(t)
	ctx := context.Background()
	if _, err := f.s.app.Purchasing.Approve(ctx, app.System, f.po.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.app.Purchasing.MarkOrdered(ctx, app.System, f.po.ID, nil); err != nil {
		t.Fatal(err)
	}
	a, b := itoa(f.a.ID), itoa(f.b.ID)
	// Over-receipt of one line refuses the whole form and names the line.
	status, _, page := f.clerk.post(f.path+"/receive", url.Values{"rcv-" + a: {"4"}, "rcv-" + b: {"6"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "Nothing was received.") ||
		!strings.Contains(page, "of PO-B (Product PO-B) is 6, but only 5 of the 5 ordered are outstanding") {
		t.Fatalf("over-receipt: status %d", status)
	}
	if po := f.order(t); po.Lines[0].ReceivedQty != 0 || po.Status != db.POOrdered {
		t.Fatalf("a refused receipt booked: %+v", po.Lines[0])
	}
	// Two lines in one form.
	status, _, _ = f.clerk.post(f.path+"/receive", url.Values{"rcv-" + a: {"4"}, "rcv-" + b: {"2"}})
	if po := f.order(t); status != http.StatusSeeOther || po.Lines[0].ReceivedQty != 4 || po.Lines[1].ReceivedQty != 2 || po.Status != db.POPartial {
		t.Fatalf("receive two lines: status %d, %+v %+v", status, po.Lines[0], po.Lines[1])
	}
	_, _, page = f.clerk.get(f.path)
	if !strings.Contains(page, "received 6 units on 2 lines") || !strings.Contains(page, "Receive all (9 units)") {
		t.Fatal("no success flash or no Receive all button with the outstanding units")
	}
	status, _, _ = f.clerk.post(f.path+"/receive-all", url.Values{})
	if po := f.order(t); status != http.StatusSeeOther || po.Status != db.POReceived || po.Lines[0].ReceivedQty != 10 || po.Lines[1].ReceivedQty != 5 {
		t.Fatalf("receive all: status %d, %+v", status, po)
	}
	if got, _ := f.s.app.Catalog.Product(ctx, app.System, f.a.ID); got.Stock != 10 {
		t.Fatalf("stock of PO-A = %d, want 10", got.Stock)
	}
	status, _, _ = f.clerk.post(f.path+"/receive-all", url.Values{})
	_, _, page = f.clerk.get(f.path)
	if status != http.StatusSeeOther || !strings.Contains(page, `data-testid="flash-error"`) {
		t.Fatalf("receive all twice: status %d, no error flash", status)
	}
}

func TestPOPrintAndPDF(t *testing.T) {
	f := newPOFixture(t)
	viewer := f.s.client(t)
	f.s.user(t, "viewer", db.RoleViewer)
	viewer = f.s.login(t, "viewer")
	status, _, page := viewer.get(f.path + "/print")
	if status != http.StatusOK {
		t.Fatalf("print: %d", status)
	}
	for _, want := range []string{"@media print", "Acme Ltd", "Attn. Ann Smith", "orders@acme.example", `data-testid="po-print-line"`, "PO-B", ">60.00<"} {
		if !strings.Contains(page, want) {
			t.Errorf("print view lacks %q", want)
		}
	}
	if strings.Contains(page, `data-testid="layout"`) {
		t.Error("print view carries the app's navigation")
	}
	status, h, body := viewer.get(f.path + "/pdf")
	if status != http.StatusOK || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") ||
		!strings.Contains(h.Get("Content-Disposition"), "purchase-order-"+itoa(f.po.ID)+".pdf") {
		t.Fatalf("pdf: status %d, type %q, starts %q", status, h.Get("Content-Type"), body[:min(len(body), 8)])
	}
	if status, _, _ := viewer.get("/purchase-orders/99999/pdf"); status != http.StatusNotFound {
		t.Errorf("pdf of a missing order: %d", status)
	}
}

func TestSalesReversedDateRangeIs400(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "viewer", db.RoleViewer)
	c := s.login(t, "viewer")
	if status, _, _ := c.get("/sales?from=2026-12-05&to=2026-12-04"); status != http.StatusBadRequest {
		t.Errorf("reversed range: status %d, want 400", status)
	}
	if status, _, _ := c.get("/sales?from=2026-12-05&to=2026-12-05"); status != http.StatusOK {
		t.Errorf("one day: status %d, want 200", status)
	}
}

func TestSaleFormByProductName(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "clerk", db.RoleClerk)
	p := s.product(t, "TEA-1", 10) // "Product TEA-1"
	s.product(t, "TEA-2", 10)
	c := s.login(t, "clerk")
	c.get("/sales/new")
	status, _, page := c.post("/sales", url.Values{"sku": {"product tea"}, "quantity": {"1"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "matches several products (TEA-1, TEA-2)") {
		t.Fatalf("ambiguous name: status %d", status)
	}
	status, _, _ = c.post("/sales", url.Values{"sku": {"Product TEA-1"}, "quantity": {"3"}})
	_, _, page = c.get("/sales")
	if status != http.StatusSeeOther || !strings.Contains(page, "Sale recorded: 3 × TEA-1 (Product TEA-1), matched by name") {
		t.Fatalf("sale by name: status %d", status)
	}
	if got, _ := s.app.Catalog.Product(context.Background(), app.System, p.ID); got.Stock != 7 {
		t.Fatalf("stock %d, want 7", got.Stock)
	}
	status, _, page = c.post("/sales", url.Values{"sku": {"coffee"}, "quantity": {"1"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "no product has the SKU or name &#34;coffee&#34;") {
		t.Fatalf("unknown product: status %d", status)
	}
	if _, _, frag := c.get("/fragments/product-summary?sku=product+tea-2"); !strings.Contains(frag, "Matched by name") || !strings.Contains(frag, "TEA-2") {
		t.Errorf("summary fragment %q", frag)
	}
}

func TestProductFormReportsEveryBadFieldAtOnce(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "bob", db.RoleManager)
	c := s.login(t, "bob")
	c.get("/products/new")
	form := url.Values{
		"sku": {"HAS SPACE"}, "name": {""}, "unit_cost": {"abc"}, "unit_price": {"-1"}, "pack_size": {"x"},
		"min_order_qty": {"0"}, "lead_time_days": {"soon"}, "service_level": {"2"}, "reorder_point": {"-1"},
		"stock": {"0"}, "active": {"true"},
	}
	status, _, page := c.post("/products", form)
	if status != http.StatusBadRequest {
		t.Fatalf("status %d", status)
	}
	var missing []string
	for _, f := range []string{"sku", "name", "unit_cost", "unit_price", "pack_size", "min_order_qty", "lead_time_days", "service_level", "reorder_point"} {
		if !strings.Contains(page, `data-testid="error-`+f+`"`) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		t.Errorf("fields without their error in the first response: %v", missing)
	}
	if _, total, _ := s.app.Catalog.ListProducts(context.Background(), app.System, app.ProductFilter{Active: "all"}); total != 0 {
		t.Errorf("a refused form wrote %d products", total)
	}
}

func TestEmptyFilteredListsOfferClearFilters(t *testing.T) {
	s := newTestServer(t, Config{})
	s.user(t, "viewer", db.RoleViewer)
	c := s.login(t, "viewer")
	for _, path := range []string{"/sales?sku=NOPE", "/stock?kind=receipt"} {
		status, _, page := c.get(path)
		if status != http.StatusOK || !strings.Contains(page, `data-testid="clear-filters"`) {
			t.Errorf("%s: status %d, no Clear filters", path, status)
		}
	}
	if _, _, page := c.get("/sales"); strings.Contains(page, `data-testid="clear-filters"`) {
		t.Error("unfiltered empty sales offer Clear filters")
	}
}
