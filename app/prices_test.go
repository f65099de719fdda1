package app_test

import (
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// newClock returns a test clock at an RFC 3339 time.
func newClock(s string) *clock {
	c := &clock{}
	c.set(s)
	return c
}

func (c *clock) set(s string) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func TestPrices_PlanValidation(t *testing.T) {
	clk := newClock("2026-12-04T10:00:00Z")
	a := app.New(dbtest.Open(t), app.Options{Now: clk.now})
	p := newProduct(t, a, "P1", 5)
	price := db.Money(300)
	tests := []struct {
		name  string
		in    app.PlannedPriceInput
		field string
	}{
		{"no day", app.PlannedPriceInput{UnitPrice: &price}, "day"},
		{"bad day", app.PlannedPriceInput{Day: app.Ptr("2026-13-01"), UnitPrice: &price}, "day"},
		{"today", app.PlannedPriceInput{Day: app.Ptr("2026-12-04"), UnitPrice: &price}, "day"},
		{"no price", app.PlannedPriceInput{Day: app.Ptr("2026-12-10")}, "unit_price"},
		{"negative price", app.PlannedPriceInput{Day: app.Ptr("2026-12-10"), UnitPrice: app.Ptr[db.Money](-1)}, "unit_price"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Prices.Plan(ctx, app.System, p.ID, tt.in)
			wantCode(t, err, app.EINVALID)
			wantField(t, err, tt.field)
		})
	}
	_, err := a.Prices.Plan(ctx, app.System, 999, app.PlannedPriceInput{Day: app.Ptr("2026-12-10"), UnitPrice: &price})
	wantCode(t, err, app.ENOTFOUND)
	clerk := actorWithRole(t, a, "carl", db.RoleClerk)
	_, err = a.Prices.Plan(ctx, clerk, p.ID, app.PlannedPriceInput{Day: app.Ptr("2026-12-10"), UnitPrice: &price})
	wantCode(t, err, app.EFORBIDDEN)
	if _, err := a.Prices.Plan(ctx, app.System, p.ID, app.PlannedPriceInput{Day: app.Ptr("2026-12-10"), UnitPrice: &price}); err != nil {
		t.Fatal(err)
	}
	_, err = a.Prices.Plan(ctx, app.System, p.ID, app.PlannedPriceInput{Day: app.Ptr("2026-12-10"), UnitPrice: app.Ptr[db.Money](400)})
	wantCode(t, err, app.ECONFLICT)
}

// TestPrices_ApplyDue: a planned price changes the product's price on its
// day and not before, once, audited as the system, even when two replicas
// run the job at the same time.
func TestPrices_ApplyDue(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		clk := newClock("2026-12-04T10:00:00Z")
		a := app.New(bdb, app.Options{Now: clk.now})
		replica := app.New(bdb, app.Options{Now: clk.now})
		p := newProduct(t, a, "P1", 5) // 2.50
		q := newProduct(t, a, "P2", 5)
		for _, pl := range []struct {
			id    int64
			day   string
			price db.Money
		}{{p.ID, "2026-12-06", 300}, {p.ID, "2026-12-07", 350}, {q.ID, "2026-12-07", 100}, {q.ID, "2026-12-20", 120}} {
			if _, err := a.Prices.Plan(ctx, app.System, pl.id, app.PlannedPriceInput{Day: &pl.day, UnitPrice: &pl.price}); err != nil {
				t.Fatal(err)
			}
		}
		price := func(id int64) db.Money {
			t.Helper()
			pr, err := a.Catalog.Product(ctx, app.System, id)
			if err != nil {
				t.Fatal(err)
			}
			return pr.UnitPrice
		}
		if n, err := a.Prices.ApplyDue(ctx); err != nil || n != 0 || price(p.ID) != 250 {
			t.Fatalf("before the day: applied %d (%v), price %v; want 0, 2.50", n, err, price(p.ID))
		}
		clk.set("2026-12-07T00:05:00Z") // both of P1's days have come: the later wins
		var wg sync.WaitGroup
		var applied [2]int
		var errs [2]error
		for i, inst := range []*app.App{a, replica} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				applied[i], errs[i] = inst.Prices.ApplyDue(ctx)
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil || applied[0]+applied[1] != 3 {
			t.Fatalf("two replicas applied %v (errors %v), want 3 in all", applied, errs)
		}
		if price(p.ID) != 350 || price(q.ID) != 100 {
			t.Fatalf("prices after 7 Dec: %v, %v; want 3.50, 1.00", price(p.ID), price(q.ID))
		}
		if n, err := a.Prices.ApplyDue(ctx); err != nil || n != 0 {
			t.Fatalf("second run applied %d (%v), want 0", n, err)
		}
		var events []db.AuditEvent
		if err := bdb.NewSelect().Model(&events).Where("entity_type = 'product' AND action = 'update'").OrderExpr("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(events) != 3 {
			t.Fatalf("%d product updates audited, want 3", len(events))
		}
		for _, e := range events {
			if e.Username != "system" || e.Source != app.PriceJob.Source || e.UserID != nil {
				t.Errorf("audit event by %q from %q (user %v), want the system's job", e.Username, e.Source, e.UserID)
			}
		}
		pending, n, err := a.Prices.List(ctx, app.System, app.PlannedPriceFilter{ProductID: q.ID, Pending: true})
		if err != nil || n != 1 || pending[0].Day != "2026-12-20" {
			t.Fatalf("pending of P2: %+v (%v), want the one of 20 Dec", pending, err)
		}
		done, _, err := a.Prices.List(ctx, app.System, app.PlannedPriceFilter{ProductID: p.ID})
		if err != nil || len(done) != 2 || done[0].AppliedAt == nil {
			t.Fatalf("planned prices of P1: %+v (%v)", done, err)
		}
		wantCode(t, a.Prices.Cancel(ctx, app.System, done[0].ID), app.ECONFLICT)
		if err := a.Prices.Cancel(ctx, app.System, pending[0].ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPrices_ApplyDueOnTheShopsDay: the day of a planned price is the
// shop's local day, not UTC's.
func TestPrices_ApplyDueOnTheShopsDay(t *testing.T) {
	clk := newClock("2026-12-06T10:00:00Z") // 23:00 on 6 Dec in Auckland
	a := app.New(dbtest.Open(t), app.Options{Now: clk.now})
	if err := a.Settings.Set(ctx, app.System, app.SettingShopTimeZone, "Pacific/Auckland"); err != nil {
		t.Fatal(err)
	}
	p := newProduct(t, a, "P1", 5)
	if _, err := a.Prices.Plan(ctx, app.System, p.ID, app.PlannedPriceInput{Day: app.Ptr("2026-12-07"), UnitPrice: app.Ptr[db.Money](300)}); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Prices.ApplyDue(ctx); err != nil || n != 0 {
		t.Fatalf("at 23:00 on 6 Dec local: applied %d (%v), want 0", n, err)
	}
	clk.set("2026-12-06T11:30:00Z") // 00:30 on 7 Dec in Auckland, still 6 Dec in UTC
	if n, err := a.Prices.ApplyDue(ctx); err != nil || n != 1 {
		t.Fatalf("at 00:30 on 7 Dec local: applied %d (%v), want 1", n, err)
	}
	_, err := a.Prices.Plan(ctx, app.System, p.ID, app.PlannedPriceInput{Day: app.Ptr("2026-12-07"), UnitPrice: app.Ptr[db.Money](310)})
	wantField(t, err, "day") // 7 Dec is today in the shop
}
