package migrations

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"smartinventory/db/namekey"
)

// SKUs and usernames become unique as names, not as byte strings: the new
// columns products.sku_norm and users.username_norm hold namekey.Key of the
// name (case folded, NFKC, without invisible format characters) under a
// unique index, so "DUP-A", "dup-a" and "ＤＵＰ－Ａ" cannot coexist, even when
// created at the same moment on two replicas. The services write the
// column (db.Product and db.User set it before every insert and update)
// and look names up by it.
//
// Existing rows are backfilled here, in Go, because no SQL of the three
// databases computes NFKC and case folding alike. A database that already
// holds two names with one key is not changed at all: the migration fails
// first, listing them, and the operator renames all but one of each group
// (with the previous version, or in SQL) and starts again. Renaming them
// here would change SKUs that tills, scripts and suppliers use.
func init() {
	Migrations.MustRegister(upNameKeys, downNameKeys)
}

// nameKeyColumn is a name column and its key column.
type nameKeyColumn struct {
	table, column, key, index, what string
}

var nameKeyColumns = []nameKeyColumn{
	{"products", "sku", "sku_norm", "products_sku_norm_idx", "SKUs"},
	{"users", "username", "username_norm", "users_username_norm_idx", "usernames"},
}

// nameRow is one row's id and name (frozen here: not a live model).
type nameRow struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
}

func upNameKeys(ctx context.Context, bdb *bun.DB) error {
	keys := make([]map[int64]string, len(nameKeyColumns))
	// Check every table before changing any: MySQL commits each ALTER.
	for i, c := range nameKeyColumns {
		var rows []nameRow
		if err := bdb.NewRaw("SELECT id, "+c.column+" AS name FROM "+c.table+" ORDER BY id").Scan(ctx, &rows); err != nil {
			return fmt.Errorf("read %s: %w", c.table, err)
		}
		if err := duplicateNames(c, rows); err != nil {
			return err
		}
		keys[i] = make(map[int64]string, len(rows))
		for _, r := range rows {
			keys[i][r.ID] = namekey.Key(r.Name)
		}
	}
	return bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i, c := range nameKeyColumns {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+c.table+" ADD COLUMN "+c.key+" VARCHAR(255) NOT NULL DEFAULT ''"); err != nil {
				return fmt.Errorf("add %s.%s: %w", c.table, c.key, err)
			}
			for id, key := range keys[i] {
				if _, err := tx.ExecContext(ctx, "UPDATE "+c.table+" SET "+c.key+" = ? WHERE id = ?", key, id); err != nil {
					return fmt.Errorf("backfill %s.%s of %d: %w", c.table, c.key, id, err)
				}
			}
			if _, err := tx.ExecContext(ctx, "CREATE UNIQUE INDEX "+c.index+" ON "+c.table+" ("+c.key+")"); err != nil {
				return fmt.Errorf("index %s.%s: %w", c.table, c.key, err)
			}
		}
		return nil
	})
}

// duplicateNames fails, naming every group, when rows hold two names with
// one key.
func duplicateNames(c nameKeyColumn, rows []nameRow) error {
	groups := map[string][]nameRow{}
	for _, r := range rows {
		k := namekey.Key(r.Name)
		groups[k] = append(groups[k], r)
	}
	var dups []string
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		names := make([]string, len(g))
		for i, r := range g {
			names[i] = fmt.Sprintf("%q (id %d)", r.Name, r.ID)
		}
		dups = append(dups, strings.Join(names, " = "))
	}
	if len(dups) == 0 {
		return nil
	}
	sort.Strings(dups)
	return fmt.Errorf("%s must be unique ignoring case, width and invisible characters, but %s holds %d such group(s): %s; "+
		"rename all but one of each (with the previous version, or in SQL) and migrate again",
		c.what, c.table, len(dups), strings.Join(dups, "; "))
}

func downNameKeys(ctx context.Context, bdb *bun.DB) error {
	return bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, c := range nameKeyColumns {
			drop := "DROP INDEX " + c.index
			if bdb.Dialect().Name() == dialect.MySQL {
				drop += " ON " + c.table
			}
			if _, err := tx.ExecContext(ctx, drop); err != nil {
				return fmt.Errorf("drop index %s: %w", c.index, err)
			}
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+c.table+" DROP COLUMN "+c.key); err != nil {
				return fmt.Errorf("drop %s.%s: %w", c.table, c.key, err)
			}
		}
		return nil
	})
}
