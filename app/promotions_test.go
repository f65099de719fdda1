package app_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

func promo(productID int64, first, last string, pct float64) app.PromotionInput {
	return app.PromotionInput{ProductID: &productID, FirstDay: &first, LastDay: &last, PercentOff: &pct}
}

func newCategoryWith(t *testing.T, a *app.App, name string, products ...*db.Product) *db.Category {
	t.Helper()
	c, err := a.Catalog.CreateCategory(ctx, app.System, app.CategoryInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range products {
		if _, err := a.Catalog.UpdateProduct(ctx, app.System, p.ID, app.ProductInput{CategoryID: app.Of(c.ID), Version: &p.Version}, false); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestPromotions_CreateValidation(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	p := newProduct(t, a, "P1", 5)
	day := func(s string) *string { return &s }
	tests := []struct {
		name  string
		in    app.PromotionInput
		field string
	}{
		{"no target", app.PromotionInput{FirstDay: day("2026-12-12"), LastDay: day("2026-12-18"), PercentOff: app.Ptr(20.0)}, "product_id"},
		{"both targets", app.PromotionInput{ProductID: &p.ID, CategoryID: app.Ptr[int64](1), FirstDay: day("2026-12-12"), LastDay: day("2026-12-18"), PercentOff: app.Ptr(20.0)}, "category_id"},
		{"unknown product", promo(999, "2026-12-12", "2026-12-18", 20), "product_id"},
		{"unknown category", app.PromotionInput{CategoryID: app.Ptr[int64](999), FirstDay: day("2026-12-12"), LastDay: day("2026-12-18"), PercentOff: app.Ptr(20.0)}, "category_id"},
		{"missing first day", app.PromotionInput{ProductID: &p.ID, LastDay: day("2026-12-18"), PercentOff: app.Ptr(20.0)}, "first_day"},
		{"bad first day", promo(p.ID, "12/12/2026", "2026-12-18", 20), "first_day"},
		{"impossible day", promo(p.ID, "2026-02-30", "2026-03-02", 20), "first_day"},
		{"last before first", promo(p.ID, "2026-12-18", "2026-12-12", 20), "last_day"},
		{"too long", promo(p.ID, "2026-01-01", "2027-01-02", 20), "last_day"},
		{"no discount", app.PromotionInput{ProductID: &p.ID, FirstDay: day("2026-12-12"), LastDay: day("2026-12-18")}, "percent_off"},
		{"price and percent", app.PromotionInput{ProductID: &p.ID, FirstDay: day("2026-12-12"), LastDay: day("2026-12-18"), PercentOff: app.Ptr(20.0), Price: app.Ptr[db.Money](100)}, "price"},
		{"percent 0", promo(p.ID, "2026-12-12", "2026-12-18", 0), "percent_off"},
		{"percent 100", promo(p.ID, "2026-12-12", "2026-12-18", 100), "percent_off"},
		{"price 0", app.PromotionInput{ProductID: &p.ID, FirstDay: day("2026-12-12"), LastDay: day("2026-12-18"), Price: app.Ptr[db.Money](0)}, "price"},
		{"note too long", func() app.PromotionInput {
			in := promo(p.ID, "2026-12-12", "2026-12-18", 20)
			in.Note = app.Ptr(strings.Repeat("x", app.MaxPromotionNote+1))
			return in
		}(), "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Promotions.Create(ctx, app.System, tt.in)
			wantCode(t, err, app.EINVALID)
			wantField(t, err, tt.field)
		})
	}
	if _, n, err := a.Promotions.List(ctx, app.System, app.PromotionFilter{}); err != nil || n != 0 {
		t.Fatalf("after invalid creates: %d promotions (%v), want 0", n, err)
	}
}

func TestPromotions_Roles(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	p := newProduct(t, a, "P1", 5)
	viewer := actorWithRole(t, a, "vera", db.RoleViewer)
	clerk := actorWithRole(t, a, "carl", db.RoleClerk)
	manager := actorWithRole(t, a, "mona", db.RoleManager)
	for _, who := range []app.Actor{viewer, clerk} {
		_, err := a.Promotions.Create(ctx, who, promo(p.ID, "2026-12-12", "2026-12-18", 20))
		wantCode(t, err, app.EFORBIDDEN)
	}
	pr, err := a.Promotions.Create(ctx, manager, promo(p.ID, "2026-12-12", "2026-12-18", 20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Promotions.Get(ctx, viewer, pr.ID); err != nil {
		t.Fatalf("viewer get: %v", err)
	}
	_, err = a.Promotions.Update(ctx, clerk, pr.ID, app.PromotionInput{Note: app.Ptr("x"), Version: &pr.Version})
	wantCode(t, err, app.EFORBIDDEN)
	wantCode(t, a.Promotions.Delete(ctx, viewer, pr.ID), app.EFORBIDDEN)
	if err := a.Promotions.Delete(ctx, manager, pr.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, a.Promotions.Delete(ctx, manager, pr.ID), app.ENOTFOUND)
}

func TestPromotions_Overlap(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p1, p2, p3 := newProduct(t, a, "P1", 5), newProduct(t, a, "P2", 5), newProduct(t, a, "P3", 5)
		cat := newCategoryWith(t, a, "Drinks", p1, p2)
		first, err := a.Promotions.Create(ctx, app.System, promo(p1.ID, "2026-12-12", "2026-12-18", 20))
		if err != nil {
			t.Fatal(err)
		}
		conflicts := []struct {
			name string
			in   app.PromotionInput
		}{
			{"same product, inside", promo(p1.ID, "2026-12-14", "2026-12-15", 10)},
			{"same product, last day touches", promo(p1.ID, "2026-12-01", "2026-12-12", 10)},
			{"same product, first day touches", promo(p1.ID, "2026-12-18", "2026-12-25", 10)},
			{"category covering it", app.PromotionInput{CategoryID: &cat.ID, FirstDay: app.Ptr("2026-12-10"), LastDay: app.Ptr("2026-12-31"), PercentOff: app.Ptr(5.0)}},
		}
		for _, c := range conflicts {
			_, err := a.Promotions.Create(ctx, app.System, c.in)
			wantCode(t, err, app.ECONFLICT)
			if !strings.Contains(app.ErrorMessage(err), "Promotion "+itoa(first.ID)) {
				t.Errorf("%s: message %q does not name promotion %d", c.name, app.ErrorMessage(err), first.ID)
			}
		}
		// Next to it, another product, and another product of the category: fine.
		for _, in := range []app.PromotionInput{
			promo(p1.ID, "2026-12-19", "2026-12-20", 10),
			promo(p3.ID, "2026-12-12", "2026-12-18", 10),
			promo(p2.ID, "2026-12-12", "2026-12-18", 10),
		} {
			if _, err := a.Promotions.Create(ctx, app.System, in); err != nil {
				t.Fatalf("create %s..%s of %d: %v", *in.FirstDay, *in.LastDay, *in.ProductID, err)
			}
		}
		// A category promotion is refused for a product covered by it.
		catPromo, err := a.Promotions.Create(ctx, app.System, app.PromotionInput{CategoryID: &cat.ID,
			FirstDay: app.Ptr("2027-01-05"), LastDay: app.Ptr("2027-01-10"), Price: app.Ptr[db.Money](199), Feature: app.Ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Promotions.Create(ctx, app.System, promo(p2.ID, "2027-01-10", "2027-01-12", 10))
		wantCode(t, err, app.ECONFLICT)
		if !strings.Contains(app.ErrorMessage(err), "Promotion "+itoa(catPromo.ID)) {
			t.Errorf("message %q does not name the category promotion %d", app.ErrorMessage(err), catPromo.ID)
		}
		// Moving a promotion onto another is refused; editing it in place is not.
		_, err = a.Promotions.Update(ctx, app.System, first.ID, app.PromotionInput{LastDay: app.Ptr("2026-12-19"), Version: &first.Version})
		wantCode(t, err, app.ECONFLICT)
		upd, err := a.Promotions.Update(ctx, app.System, first.ID, app.PromotionInput{Price: app.Ptr[db.Money](200), Version: &first.Version})
		if err != nil {
			t.Fatal(err)
		}
		if upd.PercentOff != nil || upd.Price == nil || *upd.Price != 200 || upd.Version != 2 {
			t.Fatalf("after setting a price: %+v", upd)
		}
		_, err = a.Promotions.Update(ctx, app.System, first.ID, app.PromotionInput{Note: app.Ptr("x"), Version: &first.Version})
		wantCode(t, err, app.ECONFLICT) // stale version
		// The product's list shows its own and its category's promotions.
		items, n, err := a.Promotions.List(ctx, app.System, app.PromotionFilter{ProductID: p2.ID})
		if err != nil || n != 2 || len(items) != 2 {
			t.Fatalf("promotions of P2: %d (%v), want 2", n, err)
		}
		_, n, err = a.Promotions.List(ctx, app.System, app.PromotionFilter{From: "2026-12-19", To: "2026-12-31"})
		if err != nil || n != 1 {
			t.Fatalf("promotions 19-31 Dec: %d (%v), want 1", n, err)
		}
		var audited int64
		audited, err = bdb.NewSelect().Model((*db.AuditEvent)(nil)).Where("entity_type = 'promotion'").Count(ctx)
		if err != nil || audited != 6 {
			t.Fatalf("audit events of promotions: %d (%v), want 6 (5 creates, 1 update)", audited, err)
		}
	})
}

// TestPromotions_ParallelCreates: creates of overlapping promotions racing
// each other, for the product and for its category, let exactly one pass.
func TestPromotions_ParallelCreates(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		p := newProduct(t, a, "P1", 5)
		cat := newCategoryWith(t, a, "Drinks", p)
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				in := promo(p.ID, "2026-12-12", "2026-12-18", float64(10+i))
				if i%2 == 1 {
					in.ProductID, in.CategoryID = nil, &cat.ID
				}
				_, errs[i] = a.Promotions.Create(ctx, app.System, in)
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch app.ErrorCode(err) {
			case "":
				ok++
			case app.ECONFLICT:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if _, total, err := a.Promotions.List(ctx, app.System, app.PromotionFilter{}); ok != 1 || total != 1 || err != nil {
			t.Fatalf("%d creates succeeded, %d promotions stored (%v); want 1 and 1", ok, total, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
