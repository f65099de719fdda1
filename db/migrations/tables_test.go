package migrations_test

import (
	"context"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/dbtest"
	"smartinventory/db/migrations"
)

// TestTablesCoverTheSchema: migrations.Tables (what copy and backup carry)
// names every table the migrations create, with its primary key, on every
// database, so that a new table cannot be forgotten.
func TestTablesCoverTheSchema(t *testing.T) {
	dbtest.EachDB(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		have, err := db.TableNames(ctx, bdb)
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, tb := range migrations.Tables {
			listed = append(listed, tb.Name)
			key, err := db.PrimaryKey(ctx, bdb, tb.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(key, tb.Key) {
				t.Errorf("table %s: primary key %q, migrations.Tables says %q", tb.Name, key, tb.Key)
			}
		}
		for _, name := range have {
			if !slices.Contains(listed, name) && !slices.Contains(migrations.Bookkeeping, name) {
				t.Errorf("table %s is not in migrations.Tables: add it (parents first) so that copy and backup carry it", name)
			}
		}
		for _, name := range listed {
			if !slices.Contains(have, name) {
				t.Errorf("migrations.Tables names %s, which the migrations do not create", name)
			}
		}
	})
}
