package app_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// orderedPO drafts, approves and places an order of the given quantities
// of fresh products; it returns the order and its products.
func orderedPO(t *testing.T, a *app.App, qty ...int64) (*db.PurchaseOrder, []*db.Product) {
	t.Helper()
	sup, err := a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme"), LeadTimeDays: app.Ptr(5)})
	if err != nil {
		t.Fatal(err)
	}
	in := app.POInput{SupplierID: &sup.ID}
	var products []*db.Product
	for i, q := range qty {
		p := newProduct(t, a, "RCV-"+string(rune('A'+i)), 0)
		products = append(products, p)
		in.Lines = append(in.Lines, app.POLineInput{ProductID: &p.ID, Quantity: app.Ptr(q)})
	}
	po, err := a.Purchasing.CreateOrder(ctx, app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Purchasing.Approve(ctx, app.System, po.ID); err != nil {
		t.Fatal(err)
	}
	if po, err = a.Purchasing.MarkOrdered(ctx, app.System, po.ID, nil); err != nil {
		t.Fatal(err)
	}
	return po, products
}

func TestOverReceiptNamesTheLine(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		po, ps := orderedPO(t, a, 10, 132)
		_, err := a.Purchasing.Receive(ctx, app.System, po.ID, app.ReceiveInput{Lines: []app.ReceiveLine{
			{ProductID: &ps[0].ID, Quantity: app.Ptr[int64](5)}, {ProductID: &ps[1].ID, Quantity: app.Ptr[int64](140)}}})
		e, ok := app.AsError(err)
		if !ok || e.Code != app.EINVALID || len(e.Fields) != 1 {
			t.Fatalf("err = %v", err)
		}
		f := e.Fields[0]
		if f.Field != "quantity" || f.Index == nil || *f.Index != 1 ||
			!strings.Contains(f.Message, "RCV-B (Product RCV-B)") || !strings.Contains(f.Message, "140") || !strings.Contains(f.Message, "only 132") {
			t.Fatalf("field error = %+v %q", f, f.Message)
		}
		// Nothing was booked, not even the valid line.
		if stock, _ := ledger(t, bdb, ps[0].ID); stock != 0 {
			t.Fatalf("stock of the valid line = %d, want 0", stock)
		}
	})
}

func TestReceiveAll(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		po, ps := orderedPO(t, a, 10, 7, 3)
		clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
		if _, err := a.Purchasing.Receive(ctx, clerk, po.ID, receive(ps[1].ID, 2)); err != nil {
			t.Fatal(err)
		}
		got, err := a.Purchasing.ReceiveAll(ctx, clerk, po.ID)
		if err != nil || got.Status != db.POReceived {
			t.Fatalf("receive all = %+v, %v", got, err)
		}
		for i, want := range []int64{10, 7, 3} {
			if stock, sum := ledger(t, bdb, ps[i].ID); stock != want || sum != want {
				t.Fatalf("product %d: stock %d sum %d, want %d", i, stock, sum, want)
			}
		}
		_, err = a.Purchasing.ReceiveAll(ctx, clerk, po.ID)
		wantCode(t, err, app.ECONFLICT)
		viewer := actorWithRole(t, a, "viewer", db.RoleViewer)
		_, err = a.Purchasing.ReceiveAll(ctx, viewer, po.ID)
		wantCode(t, err, app.EFORBIDDEN)
	})
}

func TestReceiptHistorySaysWhatArrived(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		po, ps := orderedPO(t, a, 10, 7)
		if _, err := a.Purchasing.Receive(ctx, app.System, po.ID, app.ReceiveInput{Lines: []app.ReceiveLine{
			{ProductID: &ps[0].ID, Quantity: app.Ptr[int64](4)}, {ProductID: &ps[1].ID, Quantity: app.Ptr[int64](7)}}}); err != nil {
			t.Fatal(err)
		}
		evs, _, err := a.Audit.List(ctx, app.System, app.AuditFilter{EntityType: "purchase_order", EntityID: po.ID, Limit: 1})
		if err != nil || len(evs) != 1 || evs[0].Action != "receive" {
			t.Fatalf("events %+v, %v", evs, err)
		}
		want := `"received":"4 × RCV-A (Product RCV-A); 7 × RCV-B (Product RCV-B)"`
		if !strings.Contains(evs[0].After, want) || !strings.Contains(evs[0].After, `"status":"partial"`) {
			t.Fatalf("receipt audit after = %s, want %s", evs[0].After, want)
		}
	})
}
