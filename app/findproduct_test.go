package app_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db/dbtest"
)

func TestFindProduct(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		a := app.New(bdb, app.Options{})
		for _, sku := range []string{"MUG-RED", "MUG-BLUE", "TEA-1"} {
			newProduct(t, a, sku, 5) // named "Product <sku>"
		}
		for _, tt := range []struct{ text, sku, by string }{
			{"MUG-RED", "MUG-RED", "SKU"},
			{"mug-blue", "MUG-BLUE", "SKU"},
			{"product tea-1", "TEA-1", "name"},
			{"  Product MUG-RED ", "MUG-RED", "name"},
			{"blu", "MUG-BLUE", "part of the SKU or name"},
		} {
			m, err := a.Catalog.FindProduct(ctx, app.System, tt.text)
			if err != nil || m.Product.SKU != tt.sku || m.By != tt.by {
				t.Errorf("FindProduct(%q) = %+v, %v; want %s by %s", tt.text, m, err, tt.sku, tt.by)
			}
		}
		_, err := a.Catalog.FindProduct(ctx, app.System, "mug")
		wantField(t, err, "product")
		if e, _ := app.AsError(err); !strings.Contains(e.Fields[0].Message, "MUG-BLUE, MUG-RED") {
			t.Errorf("ambiguous message %q", e.Fields[0].Message)
		}
		_, err = a.Catalog.FindProduct(ctx, app.System, "coffee")
		wantCode(t, err, app.ENOTFOUND)
		_, err = a.Catalog.FindProduct(ctx, app.System, "50%")
		wantCode(t, err, app.ENOTFOUND) // % is a character, not a wildcard
	})
}
