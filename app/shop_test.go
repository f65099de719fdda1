package app_test

import (
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// A sale at 20:00 on a Monday in Mexico City (02:00 on Tuesday in UTC)
// belongs to that Monday for a shop there: in the rollup, the KPIs and the
// weekday pattern the forecasts learn. The same sale in a Madrid shop
// (03:00 on Tuesday there) belongs to Tuesday, also after the zone changed
// and the rollup was rebuilt.
func TestLocalDaysFollowTheShopZone(t *testing.T) {
	mexico, _ := time.LoadLocation("America/Mexico_City")
	monday8pm := time.Date(2026, 12, 7, 20, 0, 0, 0, mexico) // 2026-12-08T02:00Z
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		now := monday8pm.AddDate(0, 0, -30)
		a := app.New(bdb, app.Options{Now: func() time.Time { return now }})
		if err := a.Settings.Set(ctx, app.System, app.SettingShopTimeZone, "America/Mexico_City"); err != nil {
			t.Fatal(err)
		}
		p := newProduct(t, a, "LOCAL-1", 100)
		now = monday8pm.Add(3 * time.Hour) // Monday 23:00 in Mexico City
		if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr(int64(3)), SoldAt: &monday8pm}); err != nil {
			t.Fatal(err)
		}
		checkDay(t, a, bdb, p.ID, "2026-12-07", time.Monday)
		k, err := a.Restock.KPIs(ctx, app.System)
		if err != nil {
			t.Fatal(err)
		}
		if k.Sales[0].Period != "today" || k.Sales[0].Units != 3 {
			t.Errorf("KPI today in Mexico City = %+v, want 3 units", k.Sales[0])
		}

		if err := a.Settings.Set(ctx, app.System, app.SettingShopTimeZone, "Europe/Madrid"); err != nil {
			t.Fatal(err)
		}
		checkDay(t, a, bdb, p.ID, "2026-12-08", time.Tuesday)
		now = monday8pm.Add(23 * time.Hour) // Wednesday 02:00 in Madrid: the sale was yesterday
		k, err = a.Restock.KPIs(ctx, app.System)
		if err != nil {
			t.Fatal(err)
		}
		if k.Sales[0].Units != 0 || k.Sales[0].PreviousUnits != 0 || k.Sales[1].Units != 3 {
			t.Errorf("KPIs on Wednesday 02:00 in Madrid = %+v, want 0 today, 0 yesterday until 02:00, 3 in 7 days", k.Sales[:2])
		}
	})
}

// "Today so far" is compared with yesterday until the same time of day.
func TestKPITodayComparesWithYesterdayUntilNow(t *testing.T) {
	madrid, _ := time.LoadLocation("Europe/Madrid")
	bdb := dbtest.Open(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, madrid)
	a := app.New(bdb, app.Options{Now: func() time.Time { return now }})
	if err := a.Settings.Set(ctx, app.System, app.SettingShopTimeZone, "Europe/Madrid"); err != nil {
		t.Fatal(err)
	}
	p := newProduct(t, a, "KPI-1", 100)
	for _, s := range []struct {
		at  time.Time
		qty int64
	}{
		{time.Date(2026, 12, 7, 9, 0, 0, 0, madrid), 2},  // yesterday morning
		{time.Date(2026, 12, 7, 18, 0, 0, 0, madrid), 5}, // yesterday evening: after now's time of day
		{time.Date(2026, 12, 8, 8, 0, 0, 0, madrid), 4},  // today
	} {
		at := s.at
		now = at
		if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: &s.qty, SoldAt: &at}); err != nil {
			t.Fatal(err)
		}
	}
	now = time.Date(2026, 12, 8, 12, 0, 0, 0, madrid)
	k, err := a.Restock.KPIs(ctx, app.System)
	if err != nil {
		t.Fatal(err)
	}
	if got := k.Sales[0]; got.Units != 4 || got.PreviousUnits != 2 || got.Change == nil || *got.Change != 1 {
		t.Errorf("today = %+v, want 4 units against 2 yesterday until 12:00 (+100 %%)", got)
	}
}

func checkDay(t *testing.T, a *app.App, bdb *bun.DB, id int64, day string, wd time.Weekday) {
	t.Helper()
	var rows []db.DailySales
	if err := bdb.NewSelect().Model(&rows).Where("product_id = ?", id).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Day != day || rows[0].Units != 3 {
		t.Errorf("daily_sales = %+v, want 3 units on %s", rows, day)
	}
	rep, err := db.Check(ctx, bdb)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("check: %+v", rep.Mismatches)
	}
	shop, err := a.Settings.Shop(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start, _ := time.Parse(db.DayLayout, "2026-11-01")
	hist, err := app.LoadDemand(ctx, bdb, app.DemandQuery{ProductIDs: []int64{id}, From: start, To: start.AddDate(0, 0, 60), Location: shop.Location})
	if err != nil {
		t.Fatal(err)
	}
	s := hist[id]
	if s == nil {
		t.Fatal("no demand series")
	}
	var sold []time.Weekday
	for i, v := range s.Values {
		if v > 0 {
			sold = append(sold, s.Start.AddDate(0, 0, i).Weekday())
		}
	}
	if len(sold) != 1 || sold[0] != wd {
		t.Errorf("demand series sells on %v, want only %v", sold, wd)
	}
}

func TestShopSettingsValidation(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	for _, tt := range []struct{ key, value string }{
		{app.SettingShopTimeZone, "Mars/Olympus_Mons"},
		{app.SettingShopTimeZone, "Local"},
		{app.SettingShopCurrency, "EURO"},
		{app.SettingShopCurrency, "XYZ"},
		{app.SettingShopLanguage, "fr"},
		{app.SettingShopFirstWeekday, "someday"},
		{app.SettingShopName, " "},
	} {
		err := a.Settings.Set(ctx, app.System, tt.key, tt.value)
		wantCode(t, err, app.EINVALID)
		wantField(t, err, "value")
	}
	for _, tt := range []struct{ key, value, stored string }{
		{app.SettingShopCurrency, "mxn", "MXN"},
		{app.SettingShopLanguage, "ES", "es"},
		{app.SettingShopFirstWeekday, "Sunday", "sunday"},
		{app.SettingShopName, " Ferretería López ", "Ferretería López"},
	} {
		if err := a.Settings.Set(ctx, app.System, tt.key, tt.value); err != nil {
			t.Fatalf("set %s=%q: %v", tt.key, tt.value, err)
		}
		if got, _ := a.Settings.Get(ctx, app.System, tt.key, ""); got != tt.stored {
			t.Errorf("%s stored as %q, want %q", tt.key, got, tt.stored)
		}
	}
	shop, err := a.Settings.Shop(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if shop.Currency != "MXN" || shop.Language != "es" || shop.FirstWeekday != time.Sunday || shop.TimeZone != "UTC" {
		t.Errorf("shop = %+v", shop)
	}
}

func TestInitShopKeepsUTCForExistingSales(t *testing.T) {
	bdb := dbtest.Open(t)
	a := app.New(bdb, app.Options{})
	p := newProduct(t, a, "OLD-1", 10)
	if _, err := a.Sales.Record(ctx, app.System, app.SaleInput{ProductID: &p.ID, Quantity: app.Ptr(int64(1))}); err != nil {
		t.Fatal(err)
	}
	if err := a.Settings.InitShop(ctx, app.DemoShop()); err != nil {
		t.Fatal(err)
	}
	shop, err := a.Settings.Shop(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if shop.TimeZone != "UTC" || shop.Language != "es" || shop.Currency != "EUR" {
		t.Errorf("shop after first run on a database with sales = %+v, want UTC, es, EUR", shop)
	}
	if err := a.Settings.InitShop(ctx, app.ShopDefaults()); err != nil {
		t.Fatal(err)
	}
	if again, _ := a.Settings.Shop(ctx); again.Language != "es" {
		t.Errorf("a second InitShop changed the language to %q", again.Language)
	}
}
