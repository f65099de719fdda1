package migrations_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db/dbtest"
	"smartinventory/db/migrations"
)

// TestNameKeysMigration: existing names are backfilled with their keys;
// a database holding two names with one key is refused with a message
// naming them, and left as it was.
func TestNameKeysMigration(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		if err := migrations.DownNameKeys(ctx, bdb); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		for _, sku := range []string{"DUP-A", "dup\u200b-a", "Ｂ-1"} {
			if _, err := bdb.ExecContext(ctx, "INSERT INTO products (sku, name, created_at, updated_at) VALUES (?, ?, ?, ?)", sku, "x", now, now); err != nil {
				t.Fatal(err)
			}
		}
		err := migrations.UpNameKeys(ctx, bdb)
		if err == nil || !strings.Contains(err.Error(), `"DUP-A" (id 1) = "dup\u200b-a" (id 2)`) || !strings.Contains(err.Error(), "rename all but one") {
			t.Fatalf("migrating duplicates: %v; want an error naming both", err)
		}
		var n int
		if err := bdb.NewRaw("SELECT COUNT(*) FROM products WHERE sku = 'DUP-A'").Scan(ctx, &n); err != nil || n != 1 {
			t.Fatalf("the refused migration changed the data: %d, %v", n, err)
		}
		if _, err := bdb.ExecContext(ctx, "UPDATE products SET sku = 'DUP-B' WHERE id = 2"); err != nil {
			t.Fatal(err)
		}
		if err := migrations.UpNameKeys(ctx, bdb); err != nil {
			t.Fatalf("migrating after the rename: %v", err)
		}
		var keys []string
		if err := bdb.NewRaw("SELECT sku_norm FROM products ORDER BY id").Scan(ctx, &keys); err != nil {
			t.Fatal(err)
		}
		if strings.Join(keys, ",") != "dup-a,dup-b,b-1" {
			t.Fatalf("backfilled keys %q", keys)
		}
		_, err = bdb.ExecContext(ctx, "INSERT INTO products (sku, name, sku_norm, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", "dup-A", "x", "dup-a", now, now)
		if err == nil {
			t.Fatal("the unique index on sku_norm let a second dup-a in")
		}
	})
}
