package app_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestApprovalBypasses replays issue 12's finding 6: a clerk approving a
// zero-cost order under the default threshold of 0, and a manager
// approving an order whose lines she replaced.
func TestApprovalBypasses(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		sup, err := a.Catalog.CreateSupplier(ctx, app.System, app.SupplierInput{Name: app.Ptr("Acme")})
		if err != nil {
			t.Fatal(err)
		}
		p := newProduct(t, a, "AB-1", 0) // unit cost 0
		clerk := actorWithRole(t, a, "clerk", db.RoleClerk)
		anna := actorWithRole(t, a, "anna", db.RoleManager)
		ben := actorWithRole(t, a, "ben", db.RoleManager)
		draft := func(who app.Actor, cost db.Money) *db.PurchaseOrder {
			t.Helper()
			po, err := a.Purchasing.CreateOrder(ctx, who, app.POInput{SupplierID: &sup.ID,
				Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr[int64](3), UnitCost: &cost}}})
			if err != nil {
				t.Fatal(err)
			}
			return po
		}
		mayApprove := func(who app.Actor, id int64) (bool, string) {
			t.Helper()
			po, err := a.Purchasing.Order(ctx, who, id)
			if err != nil {
				t.Fatal(err)
			}
			ok, reason, err := a.Purchasing.MayApprove(ctx, who, po)
			if err != nil {
				t.Fatal(err)
			}
			return ok, reason
		}

		// Threshold 0 (the default): clerks never approve, not even an
		// order worth nothing.
		free := draft(anna, 0)
		if ok, reason := mayApprove(clerk, free.ID); ok || !strings.Contains(reason, "manager") {
			t.Errorf("MayApprove(clerk, zero-cost) = %v, %q", ok, reason)
		}
		_, err = a.Purchasing.Approve(ctx, clerk, free.ID)
		wantCode(t, err, app.EFORBIDDEN)

		// A manager who replaced the lines of someone else's draft counts
		// as a drafter under four-eyes; a note alone does not.
		po := draft(clerk, 1000)
		edited, err := a.Purchasing.UpdateOrder(ctx, anna, po.ID, app.POInput{Version: &po.Version,
			Lines: []app.POLineInput{{ProductID: &p.ID, Quantity: app.Ptr[int64](500), UnitCost: app.Ptr[db.Money](1000)}}})
		if err != nil {
			t.Fatal(err)
		}
		if edited.LinesEditedBy == nil || *edited.LinesEditedBy != anna.UserID {
			t.Fatalf("lines_edited_by = %v, want anna", edited.LinesEditedBy)
		}
		if _, err := a.Purchasing.UpdateOrder(ctx, ben, po.ID, app.POInput{Version: &edited.Version, Note: app.Ptr("checked")}); err != nil {
			t.Fatal(err)
		}
		if ok, reason := mayApprove(anna, po.ID); ok || !strings.Contains(reason, "four-eyes") {
			t.Errorf("MayApprove(anna, edited) = %v, %q", ok, reason)
		}
		_, err = a.Purchasing.Approve(ctx, anna, po.ID)
		wantCode(t, err, app.EFORBIDDEN)
		if ok, reason := mayApprove(ben, po.ID); !ok {
			t.Errorf("MayApprove(ben) = false, %q", reason)
		}
		approved, err := a.Purchasing.Approve(ctx, ben, po.ID)
		if err != nil || approved.ApprovedBy == nil || *approved.ApprovedBy != ben.UserID {
			t.Fatalf("ben approving = %+v, %v", approved, err)
		}
		if ok, reason := mayApprove(ben, po.ID); ok || !strings.Contains(reason, "only drafts") {
			t.Errorf("MayApprove(approved) = %v, %q", ok, reason)
		}

		// With a threshold, clerks approve orders up to it, the free one
		// included, and no more.
		if err := a.Settings.Set(ctx, anna, app.SettingApprovalThreshold, "30"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Purchasing.Approve(ctx, clerk, free.ID); err != nil {
			t.Fatalf("clerk approving 0.00 under 30.00: %v", err)
		}
		over := draft(anna, 1001) // 30.03
		if ok, _ := mayApprove(clerk, over.ID); ok {
			t.Error("MayApprove(clerk, 30.03 over 30.00) = true")
		}
		_, err = a.Purchasing.Approve(ctx, clerk, over.ID)
		wantCode(t, err, app.EFORBIDDEN)
		wantField(t, a.Settings.Set(ctx, anna, app.SettingApprovalThreshold, "1000000000000.01"), "value")
	})
}
