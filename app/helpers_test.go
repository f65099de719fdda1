package app_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
)

var ctx = context.Background()

// newProduct creates a product with the given stock as the system actor.
func newProduct(t *testing.T, a *app.App, sku string, stock int64) *db.Product {
	t.Helper()
	price := db.Money(250)
	p, err := a.Catalog.CreateProduct(ctx, app.System, app.ProductInput{
		SKU: app.Ptr(sku), Name: app.Ptr("Product " + sku), UnitPrice: &price, Stock: &stock,
	})
	if err != nil {
		t.Fatalf("create product %s: %v", sku, err)
	}
	return p
}

// actorWithRole creates a user of the role and returns its actor.
func actorWithRole(t *testing.T, a *app.App, name string, role db.Role) app.Actor {
	t.Helper()
	u, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr(name), Role: &role, Password: app.Ptr("correct horse")})
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return app.ActorFor(u, "test")
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := app.AsError(err)
	if !ok {
		t.Fatalf("error %v is not an *app.Error", err)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v has no field %q (fields %+v)", err, field, e.Fields)
}

// ledger returns a product's stock and the sum of its movements.
func ledger(t *testing.T, bdb *bun.DB, id int64) (stock, sum int64) {
	t.Helper()
	if err := bdb.NewSelect().Model((*db.Product)(nil)).Column("stock").Where("id = ?", id).Scan(ctx, &stock); err != nil {
		t.Fatal(err)
	}
	if err := bdb.NewSelect().Model((*db.StockMovement)(nil)).ColumnExpr("COALESCE(SUM(delta), 0)").Where("product_id = ?", id).Scan(ctx, &sum); err != nil {
		t.Fatal(err)
	}
	return stock, sum
}

// daily returns the rollup units of a product over all days.
func daily(t *testing.T, bdb *bun.DB, id int64) int64 {
	t.Helper()
	var units int64
	if err := bdb.NewSelect().Model((*db.DailySales)(nil)).ColumnExpr("COALESCE(SUM(units), 0)").Where("product_id = ?", id).Scan(ctx, &units); err != nil {
		t.Fatal(err)
	}
	return units
}
