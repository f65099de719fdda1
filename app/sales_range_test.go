package app_test

import (
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/db/dbtest"
)

func TestSaleListReversedRangeIsInvalid(t *testing.T) {
	a := app.New(dbtest.Open(t), app.Options{})
	from := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	_, _, err := a.Sales.List(ctx, app.System, app.SaleFilter{From: from, To: from.AddDate(0, 0, -1)})
	wantField(t, err, "to")
	_, _, err = a.Sales.List(ctx, app.System, app.SaleFilter{From: from, To: from})
	wantField(t, err, "to")
	if _, _, err := a.Sales.List(ctx, app.System, app.SaleFilter{From: from, To: from.AddDate(0, 0, 1)}); err != nil {
		t.Fatalf("one day: %v", err)
	}
}
