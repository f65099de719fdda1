package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// categoryRow is one line of a categories import.
type categoryRow struct {
	line int64
	in   CategoryInput
}

func (im *importer) importCategories(ctx context.Context, tx bun.Tx) error {
	seen := map[string]int64{}
	now := im.now()
	for {
		var rows []categoryRow
		more, err := im.readBatch(ctx, func(c *cells) {
			r := categoryRow{line: im.in.line, in: CategoryInput{Name: c.text("name", MaxNameLength), Description: c.text("description", MaxDescriptionLength)}}
			if c.bad {
				return
			}
			if r.in.Name == nil {
				c.fail("name", "is required")
				return
			}
			if !im.dupCheck(seen, *r.in.Name, r.line, "name") {
				rows = append(rows, r)
			}
		})
		if err != nil || !more {
			return err
		}
		names := make([]string, len(rows))
		for i, r := range rows {
			names[i] = *r.in.Name
		}
		var have []db.Category
		if err := tx.NewSelect().Model(&have).Where("name IN (?)", bun.In(names)).Scan(ctx); err != nil {
			return fmt.Errorf("import: load categories: %w", err)
		}
		byName := map[string]*db.Category{}
		for i := range have {
			byName[have[i].Name] = &have[i]
		}
		var inserts []*db.Category
		for _, r := range rows {
			cur := byName[*r.in.Name]
			next := db.Category{Version: 1, CreatedAt: now, UpdatedAt: now}
			if cur != nil {
				next = *cur
			}
			r.in.apply(&next)
			v := &validation{}
			validateCategory(v, &next)
			if im.lineFields(r.line, v, nil) {
				continue
			}
			switch {
			case cur == nil:
				c := next
				inserts = append(inserts, &c)
			case next == *cur:
				im.sum.Skipped++
			default:
				next.Version, next.UpdatedAt = cur.Version+1, now
				if im.opt.DryRun {
					im.sum.Updated++
					continue
				}
				if _, err := tx.NewUpdate().Model(&next).Column("description", "version", "updated_at").
					Where("id = ? AND version = ?", cur.ID, cur.Version).Exec(ctx); err != nil {
					return fmt.Errorf("import: update category %q: %w", cur.Name, err)
				}
				im.sum.Updated++
			}
		}
		if len(inserts) > 0 && im.opt.DryRun {
			im.sum.Inserted += int64(len(inserts))
		} else if len(inserts) > 0 {
			if _, err := tx.NewInsert().Model(&inserts).Exec(ctx); err != nil {
				return fmt.Errorf("import: insert categories: %w", err)
			}
			im.sum.Inserted += int64(len(inserts))
		}
	}
}

// supplierRow is one line of a suppliers import.
type supplierRow struct {
	line int64
	in   SupplierInput
}

func (im *importer) importSuppliers(ctx context.Context, tx bun.Tx) error {
	seen := map[string]int64{}
	now := im.now()
	for {
		var rows []supplierRow
		more, err := im.readBatch(ctx, func(c *cells) {
			r := supplierRow{line: im.in.line, in: SupplierInput{
				Name: c.text("name", MaxNameLength), ContactName: c.text("contact_name", MaxNameLength), Email: c.text("email", MaxEmailLength),
				Phone: c.text("phone", MaxPhoneLength), LeadTimeDays: c.smallInt("lead_time_days"), Notes: c.text("notes", MaxNotesLength)}}
			if c.bad {
				return
			}
			if r.in.Name == nil {
				c.fail("name", "is required")
				return
			}
			if !im.dupCheck(seen, *r.in.Name, r.line, "name") {
				rows = append(rows, r)
			}
		})
		if err != nil || !more {
			return err
		}
		names := make([]string, len(rows))
		for i, r := range rows {
			names[i] = *r.in.Name
		}
		var have []db.Supplier
		if err := tx.NewSelect().Model(&have).Where("name IN (?)", bun.In(names)).Scan(ctx); err != nil {
			return fmt.Errorf("import: load suppliers: %w", err)
		}
		byName := map[string]*db.Supplier{}
		for i := range have {
			byName[have[i].Name] = &have[i]
		}
		var inserts []*db.Supplier
		for _, r := range rows {
			cur := byName[*r.in.Name]
			next := db.Supplier{LeadTimeDays: 7, Version: 1, CreatedAt: now, UpdatedAt: now}
			if cur != nil {
				next = *cur
			}
			r.in.apply(&next)
			v := &validation{}
			validateSupplier(v, &next)
			if im.lineFields(r.line, v, nil) {
				continue
			}
			switch {
			case cur == nil:
				s := next
				inserts = append(inserts, &s)
			case next == *cur:
				im.sum.Skipped++
			default:
				next.Version, next.UpdatedAt = cur.Version+1, now
				if im.opt.DryRun {
					im.sum.Updated++
					continue
				}
				if _, err := tx.NewUpdate().Model(&next).ExcludeColumn("id", "name", "created_at").
					Where("id = ? AND version = ?", cur.ID, cur.Version).Exec(ctx); err != nil {
					return fmt.Errorf("import: update supplier %q: %w", cur.Name, err)
				}
				im.sum.Updated++
			}
		}
		if len(inserts) > 0 && im.opt.DryRun {
			im.sum.Inserted += int64(len(inserts))
		} else if len(inserts) > 0 {
			if _, err := tx.NewInsert().Model(&inserts).Exec(ctx); err != nil {
				return fmt.Errorf("import: insert suppliers: %w", err)
			}
			im.sum.Inserted += int64(len(inserts))
		}
	}
}
