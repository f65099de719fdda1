package app_test

import (
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

func TestPurchaseOrderLifecycle(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		sup, err := a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme"), LeadTimeDays: app.Ptr(5)})
		if err != nil {
			t.Fatal(err)
		}
		p := newProduct(t, a, "PO-1", 2)
		clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
		manager := actorWithRole(t, a, "boss", db.RoleManager)

		_, err = a.Purchasing.CreateOrder(ctx, clerk, app.POInput{SupplierID: &sup.ID, Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr[int64](0)}}})
		wantField(t, err, "quantity")
		po, err := a.Purchasing.CreateOrder(ctx, clerk, app.POInput{SupplierID: &sup.ID,
			Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr[int64](10), UnitCost: app.Ptr[db.Money](150)}}})
		if err != nil {
			t.Fatal(err)
		}
		if po.Status != db.PODraft || po.Total() != 1500 {
			t.Fatalf("draft = %+v total %v", po, po.Total())
		}
		// A draft is not an order: nothing on order yet.
		onOrder, err := app.OnOrder(ctx, bdb)
		if err != nil || onOrder[p.ID] != 0 {
			t.Fatalf("on order with a draft = %v, %v", onOrder, err)
		}
		_, err = a.Purchasing.Receive(ctx, clerk, po.ID, receive(p.ID, 1))
		wantCode(t, err, app.ECONFLICT) // not ordered yet
		_, err = a.Purchasing.Approve(ctx, clerk, po.ID)
		wantCode(t, err, app.EFORBIDDEN)
		if _, err := a.Purchasing.Approve(ctx, manager, po.ID); err != nil {
			t.Fatal(err)
		}
		if onOrder, err := app.OnOrder(ctx, bdb); err != nil || onOrder[p.ID] != 10 {
			t.Fatalf("on order once approved = %v, %v", onOrder, err)
		}
		_, err = a.Purchasing.Approve(ctx, manager, po.ID)
		wantCode(t, err, app.ECONFLICT) // already approved
		_, err = a.Purchasing.UpdateOrder(ctx, clerk, po.ID, app.POInput{Note: app.Ptr("x"), Version: app.Ptr[int64](2)})
		wantCode(t, err, app.ECONFLICT) // only drafts change
		ordered, err := a.Purchasing.MarkOrdered(ctx, manager, po.ID, nil)
		if err != nil || ordered.ExpectedAt == nil || ordered.ExpectedAt.Sub(*ordered.OrderedAt).Hours() != 5*24 {
			t.Fatalf("ordered = %+v, %v", ordered, err)
		}
		_, err = a.Purchasing.Receive(ctx, clerk, po.ID, receive(p.ID, 11))
		wantField(t, err, "quantity")
		part, err := a.Purchasing.Receive(ctx, clerk, po.ID, receive(p.ID, 4))
		if err != nil || part.Status != db.POPartial {
			t.Fatalf("partial = %+v, %v", part, err)
		}
		full, err := a.Purchasing.Receive(ctx, clerk, po.ID, receive(p.ID, 6))
		if err != nil || full.Status != db.POReceived {
			t.Fatalf("full = %+v, %v", full, err)
		}
		if stock, sum := ledger(t, bdb, p.ID); stock != 12 || sum != 12 {
			t.Fatalf("stock %d sum %d, want 12", stock, sum)
		}
		onOrder, _ = app.OnOrder(ctx, bdb)
		if onOrder[p.ID] != 0 {
			t.Fatalf("still on order: %v", onOrder)
		}
		_, err = a.Purchasing.Cancel(ctx, manager, po.ID)
		wantCode(t, err, app.ECONFLICT)
		list, total, err := a.Purchasing.ListOrders(ctx, clerk, app.OrderFilter{Status: "received"})
		if err != nil || total != 1 || len(list[0].Lines) != 1 {
			t.Fatalf("list = %+v, %d, %v", list, total, err)
		}
	})
}

func receive(productID, qty int64) app.ReceiveInput {
	return app.ReceiveInput{Lines: []app.ReceiveLine{{ProductID: &productID, Quantity: &qty}}}
}

func TestApprovalThresholdAndFourEyes(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		sup, err := a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme")})
		if err != nil {
			t.Fatal(err)
		}
		p := newProduct(t, a, "FE-1", 0)
		clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
		anna := actorWithRole(t, a, "anna", db.RoleManager)
		draft := func(who app.Actor, qty int64) *db.PurchaseOrder {
			t.Helper()
			po, err := a.Purchasing.CreateOrder(ctx, who, app.POInput{SupplierID: &sup.ID,
				Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: &qty, UnitCost: app.Ptr[db.Money](1000)}}})
			if err != nil {
				t.Fatal(err)
			}
			return po
		}
		// Alone, a manager may approve her own draft.
		own := draft(anna, 1)
		if _, err := a.Purchasing.Approve(ctx, anna, own.ID); err != nil {
			t.Fatalf("sole manager approving own draft: %v", err)
		}
		// With a second manager, four-eyes applies.
		ben := actorWithRole(t, a, "ben", db.RoleManager)
		own2 := draft(anna, 1)
		_, err = a.Purchasing.Approve(ctx, anna, own2.ID)
		wantCode(t, err, app.EFORBIDDEN)
		if _, err := a.Purchasing.Approve(ctx, ben, own2.ID); err != nil {
			t.Fatal(err)
		}
		// Clerks may approve small orders only once a threshold is set.
		small := draft(anna, 2) // 20.00
		_, err = a.Purchasing.Approve(ctx, clerk, small.ID)
		wantCode(t, err, app.EFORBIDDEN)
		if err := a.Settings.Set(ctx, anna, app.SettingApprovalThreshold, "50"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Purchasing.Approve(ctx, clerk, small.ID); err != nil {
			t.Fatalf("clerk approving 20.00 under a 50.00 threshold: %v", err)
		}
		big := draft(anna, 6) // 60.00
		_, err = a.Purchasing.Approve(ctx, clerk, big.ID)
		wantCode(t, err, app.EFORBIDDEN)
		// Four-eyes off: the drafter may approve.
		if err := a.Settings.Set(ctx, ben, app.SettingFourEyes, "false"); err != nil {
			t.Fatal(err)
		}
		own3 := draft(anna, 1)
		if _, err := a.Purchasing.Approve(ctx, anna, own3.ID); err != nil {
			t.Fatal(err)
		}
		wantField(t, a.Settings.Set(ctx, anna, app.SettingFourEyes, "maybe"), "value")
		wantCode(t, a.Settings.Set(ctx, clerk, app.SettingFourEyes, "true"), app.EFORBIDDEN)
	})
}

func TestComments(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "CM-1", 0)
		clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
		viewer := actorWithRole(t, a, "viewer", db.RoleViewer)
		if _, err := a.Comments.Add(ctx, clerk, app.CommentOnProduct, p.ID, "  waiting for supplier price "); err != nil {
			t.Fatal(err)
		}
		_, err := a.Comments.Add(ctx, viewer, app.CommentOnProduct, p.ID, "hi")
		wantCode(t, err, app.EFORBIDDEN)
		_, err = a.Comments.Add(ctx, clerk, app.CommentOnProduct, p.ID, " ")
		wantField(t, err, "body")
		_, err = a.Comments.Add(ctx, clerk, app.CommentOnOrder, 99, "x")
		wantCode(t, err, app.ENOTFOUND)
		list, err := a.Comments.List(ctx, viewer, app.CommentOnProduct, p.ID)
		if err != nil || len(list) != 1 || list[0].Body != "waiting for supplier price" || list[0].Username != "clerk" {
			t.Fatalf("comments = %+v, %v", list, err)
		}
		evs, _, err := a.Audit.List(ctx, app.System, app.AuditFilter{EntityType: "product", EntityID: p.ID})
		if err != nil || len(evs) == 0 || evs[0].Action != "comment" {
			t.Fatalf("audit = %+v, %v", evs, err)
		}
	})
}
