package app

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/namekey"
)

// productRow is one line of a products import.
type productRow struct {
	line     int64
	in       ProductInput
	category *string
	supplier *string
}

// productColumns maps validation field names to CSV columns.
var productColumns = map[string]string{"category_id": "category", "supplier_id": "supplier"}

func (im *importer) importProducts(ctx context.Context, tx bun.Tx) error {
	seen := map[string]int64{}
	cats := map[string]int64{}
	sups := map[string]int64{}
	now := im.now()
	for {
		var rows []productRow
		more, err := im.readBatch(ctx, func(c *cells) {
			r := productRow{line: im.in.line}
			r.in = ProductInput{
				SKU: c.text("sku", MaxSKULength), Name: c.text("name", MaxNameLength), Description: c.text("description", MaxDescriptionLength),
				UnitCost: c.money("unit_cost"), UnitPrice: c.money("unit_price"), Stock: c.integer("stock"),
				PackSize: c.smallInt("pack_size"), MinOrderQty: c.smallInt("min_order_qty"),
				ReorderPoint: c.integer("reorder_point"), Active: c.boolean("active"),
			}
			if v := c.smallInt("lead_time_days"); v != nil {
				r.in.LeadTimeDays = Nullable[int]{Set: true, Valid: true, V: *v}
			}
			if v := c.fraction("service_level"); v != nil {
				r.in.ServiceLevel = Nullable[float64]{Set: true, Valid: true, V: *v}
			}
			r.category, r.supplier = c.text("category", MaxNameLength), c.text("supplier", MaxNameLength)
			if c.bad {
				return
			}
			if r.in.SKU == nil {
				c.fail("sku", "is required")
				return
			}
			if r.in.Stock != nil && (*r.in.Stock < 0 || *r.in.Stock > db.MaxQuantity) {
				c.fail("stock", "must be between 0 and %d", db.MaxQuantity)
				return
			}
			if !im.dupCheckKey(seen, namekey.Key(*r.in.SKU), *r.in.SKU, r.line, "sku") {
				rows = append(rows, r)
			}
		})
		if err != nil || !more {
			return err
		}
		if err := im.productBatch(ctx, tx, rows, cats, sups, now); err != nil {
			return err
		}
	}
}

// productBatch upserts one batch of product lines.
func (im *importer) productBatch(ctx context.Context, tx bun.Tx, rows []productRow, cats, sups map[string]int64, now time.Time) error {
	skus := make([]string, len(rows))
	catNames, supNames := map[string]bool{}, map[string]bool{}
	for i, r := range rows {
		skus[i] = namekey.Key(*r.in.SKU)
		if r.category != nil {
			catNames[*r.category] = true
		}
		if r.supplier != nil {
			supNames[*r.supplier] = true
		}
	}
	var have []db.Product
	if err := tx.NewSelect().Model(&have).Where("sku_norm IN (?)", bun.In(skus)).Scan(ctx); err != nil {
		return fmt.Errorf("import: load products: %w", err)
	}
	bySKU := map[string]*db.Product{}
	for i := range have {
		bySKU[have[i].SKUKey] = &have[i]
	}
	if err := im.ensureNames(ctx, tx, "categories", catNames, cats, now); err != nil {
		return err
	}
	if err := im.ensureNames(ctx, tx, "suppliers", supNames, sups, now); err != nil {
		return err
	}
	var inserts []*db.Product
	for _, r := range rows {
		if r.category != nil {
			r.in.CategoryID = Nullable[int64]{Set: true, Valid: true, V: cats[*r.category]}
		}
		if r.supplier != nil {
			r.in.SupplierID = Nullable[int64]{Set: true, Valid: true, V: sups[*r.supplier]}
		}
		cur := bySKU[namekey.Key(*r.in.SKU)]
		next := db.Product{PackSize: 1, MinOrderQty: 1, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
		if cur != nil {
			next = *cur
			r.in.SKU = &cur.SKU // "dup-a" in the file updates "DUP-A", keeping its spelling
		}
		r.in.apply(&next)
		v := &validation{}
		if cur == nil && r.in.Name == nil {
			v.add("name", "is required for a new product")
		}
		validateProduct(v, &next)
		if im.lineFields(r.line, v, productColumns) {
			continue
		}
		switch {
		case cur == nil:
			if r.in.Stock != nil {
				next.Stock = *r.in.Stock
			}
			p := next
			inserts = append(inserts, &p)
		case reflect.DeepEqual(next, *cur):
			im.sum.Skipped++
		default:
			next.Version, next.UpdatedAt = cur.Version+1, now
			if im.opt.DryRun {
				im.sum.Updated++
				continue
			}
			if _, err := tx.NewUpdate().Model(&next).ExcludeColumn("id", "stock", "created_at").
				Where("id = ? AND version = ?", cur.ID, cur.Version).Exec(ctx); err != nil {
				return fmt.Errorf("import: update product %s: %w", cur.SKU, err)
			}
			im.sum.Updated++
		}
	}
	if len(inserts) == 0 {
		return nil
	}
	if im.opt.DryRun {
		im.sum.Inserted += int64(len(inserts))
		return nil
	}
	if _, err := tx.NewInsert().Model(&inserts).Exec(ctx); err != nil {
		return fmt.Errorf("import: insert products: %w", err)
	}
	im.sum.Inserted += int64(len(inserts))
	var moves []db.StockMovement
	for _, p := range inserts {
		if p.Stock > 0 {
			moves = append(moves, db.StockMovement{ProductID: p.ID, Kind: db.MoveInitial, Delta: p.Stock, Balance: p.Stock,
				Reason: "initial stock (import)", UserID: im.actor.userID(), CreatedAt: now})
		}
	}
	if len(moves) > 0 {
		if _, err := tx.NewInsert().Model(&moves).Exec(ctx); err != nil {
			return fmt.Errorf("import: insert initial stock movements: %w", err)
		}
	}
	return nil
}

// ensureNames fills ids (name → id) for every name in names from table
// (categories or suppliers), creating the missing ones.
func (im *importer) ensureNames(ctx context.Context, tx bun.Tx, table string, names map[string]bool, ids map[string]int64, now time.Time) error {
	var missing []string
	for name := range names {
		if _, ok := ids[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var found []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := tx.NewSelect().Table(table).Column("id", "name").Where("name IN (?)", bun.In(missing)).Scan(ctx, &found); err != nil {
		return fmt.Errorf("import: load %s: %w", table, err)
	}
	for _, r := range found {
		ids[r.Name] = r.ID
	}
	for _, name := range missing {
		if _, ok := ids[name]; ok {
			continue
		}
		var id int64
		var err error
		switch {
		case im.opt.DryRun:
			// Not written: a stand-in id, unique within the import.
			im.dryIDs--
			id = im.dryIDs
			if table == "categories" {
				im.sum.CreatedCategories++
			} else {
				im.sum.CreatedSuppliers++
			}
		case table == "categories":
			c := &db.Category{Name: name, Version: 1, CreatedAt: now, UpdatedAt: now}
			_, err = tx.NewInsert().Model(c).Exec(ctx)
			id = c.ID
			im.sum.CreatedCategories++
		default:
			s := &db.Supplier{Name: name, LeadTimeDays: 7, Version: 1, CreatedAt: now, UpdatedAt: now}
			_, err = tx.NewInsert().Model(s).Exec(ctx)
			id = s.ID
			im.sum.CreatedSuppliers++
		}
		if err != nil {
			return fmt.Errorf("import: create %s %q: %w", table, name, err)
		}
		ids[name] = id
	}
	return nil
}
