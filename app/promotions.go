package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Promotions plans the shop's promotions: a product, or every product of a
// category, sold for some days at a promotional price or a percent off.
// Managers and admins write them; anyone reads them. A product has at most
// one promotion on any day (its own or its category's): an overlapping one
// is a conflict naming the other. Every change is audited.
type Promotions struct{ *base }

// MaxPromotionNote is the longest promotion note accepted, in bytes.
const MaxPromotionNote = 500

// MaxPromotionDays is the longest promotion accepted, in days.
const MaxPromotionDays = 366

// PromotionInput creates or changes a promotion. Absent fields keep their
// value. Setting product_id clears category_id and the other way round;
// setting price clears percent_off and the other way round. Version is
// required on update.
type PromotionInput struct {
	ProductID  *int64    `json:"product_id"`
	CategoryID *int64    `json:"category_id"`
	FirstDay   *string   `json:"first_day"`
	LastDay    *string   `json:"last_day"`
	Price      *db.Money `json:"price"`
	PercentOff *float64  `json:"percent_off"`
	Display    *bool     `json:"display"`
	Feature    *bool     `json:"feature"`
	Coupon     *bool     `json:"coupon"`
	Note       *string   `json:"note"`
	Version    *int64    `json:"version"`
}

// apply sets the given fields on p; when both of a pair are given, both
// are kept so that validation reports the clash.
func (in *PromotionInput) apply(p *db.Promotion) {
	switch {
	case in.ProductID != nil && in.CategoryID != nil:
		p.ProductID, p.CategoryID = in.ProductID, in.CategoryID
	case in.ProductID != nil:
		p.ProductID, p.CategoryID = in.ProductID, nil
	case in.CategoryID != nil:
		p.ProductID, p.CategoryID = nil, in.CategoryID
	}
	switch {
	case in.Price != nil && in.PercentOff != nil:
		p.Price, p.PercentOff = in.Price, in.PercentOff
	case in.Price != nil:
		p.Price, p.PercentOff = in.Price, nil
	case in.PercentOff != nil:
		p.Price, p.PercentOff = nil, in.PercentOff
	}
	setIf(&p.FirstDay, trimmed(in.FirstDay))
	setIf(&p.LastDay, trimmed(in.LastDay))
	setIf(&p.Display, in.Display)
	setIf(&p.Feature, in.Feature)
	setIf(&p.Coupon, in.Coupon)
	setIf(&p.Note, trimmed(in.Note))
}

// parseDay parses a YYYY-MM-DD day, adding a field error when it is not one.
func (v *validation) day(field, s string) (time.Time, bool) {
	if s == "" {
		v.add(field, "is required (YYYY-MM-DD)")
		return time.Time{}, false
	}
	t, err := time.Parse(db.DayLayout, s)
	if err != nil || t.Format(db.DayLayout) != s {
		v.add(field, "must be a date as YYYY-MM-DD")
		return time.Time{}, false
	}
	return t, true
}

// validatePromotion checks the fields of p that need no database.
func validatePromotion(v *validation, p *db.Promotion) {
	switch {
	case p.ProductID == nil && p.CategoryID == nil:
		v.add("product_id", "is required (or category_id)")
	case p.ProductID != nil && p.CategoryID != nil:
		v.add("category_id", "give product_id or category_id, not both")
	case p.ProductID != nil && *p.ProductID <= 0:
		v.add("product_id", "must be a product id")
	case p.CategoryID != nil && *p.CategoryID <= 0:
		v.add("category_id", "must be a category id")
	}
	first, okF := v.day("first_day", p.FirstDay)
	last, okL := v.day("last_day", p.LastDay)
	if okF && okL {
		switch {
		case last.Before(first):
			v.add("last_day", "must not be before first_day")
		case last.Sub(first) >= MaxPromotionDays*24*time.Hour:
			v.add("last_day", "makes the promotion longer than %d days", MaxPromotionDays)
		}
	}
	switch {
	case p.Price == nil && p.PercentOff == nil:
		v.add("percent_off", "is required (or price)")
	case p.Price != nil && p.PercentOff != nil:
		v.add("price", "give price or percent_off, not both")
	case p.Price != nil:
		if *p.Price <= 0 {
			v.add("price", "must be greater than 0")
		} else {
			v.amount("price", *p.Price)
		}
	case p.PercentOff != nil:
		if pc := *p.PercentOff; math.IsNaN(pc) || pc <= 0 || pc >= 100 {
			v.add("percent_off", "must be more than 0 and less than 100")
		}
	}
	switch {
	case len(p.Note) > MaxPromotionNote:
		v.add("note", "must be at most %d characters", MaxPromotionNote)
	case strings.ContainsRune(p.Note, 0):
		v.add("note", "must not contain NUL characters")
	}
}

// promotionTarget checks that the product or category exists, locks the
// rows that serialise the promotions of the same products (the category,
// then the product), and returns the category whose promotions also cover
// the target (the product's category, or the category itself).
func promotionTarget(ctx context.Context, tx bun.IDB, v *validation, p *db.Promotion) (catID *int64, err error) {
	lock := " FOR UPDATE"
	if db.IsSQLite(tx) {
		lock = "" // SQLite: the write queue runs one writer at a time
	}
	lockRow := func(table string, id int64) (bool, error) {
		var got int64
		rows, err := tx.QueryContext(ctx, "SELECT id FROM "+table+" WHERE id = ?"+lock, id)
		if err != nil {
			return false, fmt.Errorf("lock %s %d: %w", table, id, err)
		}
		defer rows.Close()
		found := rows.Next()
		if found {
			if err := rows.Scan(&got); err != nil {
				return false, fmt.Errorf("lock %s %d: %w", table, id, err)
			}
		}
		return found, rows.Err()
	}
	if p.CategoryID != nil {
		ok, err := lockRow("categories", *p.CategoryID)
		if err != nil {
			return nil, err
		}
		if !ok {
			v.add("category_id", "no category with id %d", *p.CategoryID)
		}
		return p.CategoryID, nil
	}
	var cat *int64
	err = tx.NewSelect().Model((*db.Product)(nil)).Column("category_id").Where("id = ?", *p.ProductID).Scan(ctx, &cat)
	if err != nil {
		if isNoRows(err) {
			v.add("product_id", "no product with id %d", *p.ProductID)
			return nil, nil
		}
		return nil, fmt.Errorf("load product %d: %w", *p.ProductID, err)
	}
	if cat != nil {
		if _, err := lockRow("categories", *cat); err != nil {
			return nil, err
		}
	}
	if _, err := lockRow("products", *p.ProductID); err != nil {
		return nil, err
	}
	return cat, nil
}

// overlapping returns a promotion other than p that covers one of p's
// products on one of p's days, or nil.
func overlapping(ctx context.Context, tx bun.IDB, p *db.Promotion, catID *int64) (*db.Promotion, error) {
	q := tx.NewSelect().Model((*db.Promotion)(nil)).
		Where("id <> ?", p.ID).Where("first_day <= ? AND last_day >= ?", p.LastDay, p.FirstDay)
	q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if p.ProductID != nil {
			q = q.Where("product_id = ?", *p.ProductID)
		} else {
			q = q.Where("product_id IN (?)", tx.NewSelect().Model((*db.Product)(nil)).Column("id").Where("category_id = ?", *catID))
		}
		if catID != nil {
			q = q.WhereOr("category_id = ?", *catID)
		}
		return q
	})
	other := new(db.Promotion)
	if err := q.OrderExpr("first_day, id").Limit(1).Scan(ctx, other); err != nil {
		if isNoRows(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("find overlapping promotions: %w", err)
	}
	return other, nil
}

// overlapConflict is the 409 naming the other promotion.
func overlapConflict(other *db.Promotion) error {
	what := ""
	if other.ProductID != nil {
		what = fmt.Sprintf("product %d", *other.ProductID)
	} else if other.CategoryID != nil {
		what = fmt.Sprintf("category %d", *other.CategoryID)
	}
	return &Error{Code: ECONFLICT,
		Message: fmt.Sprintf("Promotion %d (%s, %s to %s) already covers some of these days; a product has one promotion a day.",
			other.ID, what, other.FirstDay, other.LastDay),
		Fields:  []FieldError{{Field: "first_day", Message: fmt.Sprintf("overlaps promotion %d (%s to %s)", other.ID, other.FirstDay, other.LastDay)}},
		Current: other}
}

// checkPromotion validates p and refuses an overlap; it runs inside the
// write transaction, after locking the rows that serialise the check.
func checkPromotion(ctx context.Context, tx bun.IDB, p *db.Promotion) error {
	v := &validation{}
	validatePromotion(v, p)
	if err := v.err(); err != nil {
		return err
	}
	catID, err := promotionTarget(ctx, tx, v, p)
	if err != nil {
		return err
	}
	if err := v.err(); err != nil {
		return err
	}
	other, err := overlapping(ctx, tx, p, catID)
	if err != nil {
		return err
	}
	if other != nil {
		return overlapConflict(other)
	}
	return nil
}

// Create adds a promotion; one that overlaps another promotion of the same
// product (or of a category covering it) is a conflict.
func (s *Promotions) Create(ctx context.Context, a Actor, in PromotionInput) (*db.Promotion, error) {
	if err := a.require(db.RoleManager, "plan promotions"); err != nil {
		return nil, err
	}
	now := s.now()
	p := &db.Promotion{Version: 1, CreatedAt: now, UpdatedAt: now}
	in.apply(p)
	v := &validation{}
	validatePromotion(v, p)
	if err := v.err(); err != nil {
		return nil, err
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := checkPromotion(ctx, tx, p); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return fmt.Errorf("insert promotion: %w", err)
		}
		return s.audit.record(ctx, tx, a, "create", "promotion", p.ID, nil, p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Update changes a promotion; in.Version must be current.
func (s *Promotions) Update(ctx context.Context, a Actor, id int64, in PromotionInput) (*db.Promotion, error) {
	if err := a.require(db.RoleManager, "plan promotions"); err != nil {
		return nil, err
	}
	if in.Version == nil {
		return nil, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "version", Message: "is required (the version you are editing)"}}}
	}
	var out *db.Promotion
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur := new(db.Promotion)
		if err := findByID(ctx, tx, cur, id, "Promotion"); err != nil {
			return err
		}
		if cur.Version != *in.Version {
			return staleConflict("promotion", cur.Version, cur)
		}
		next := *cur
		in.apply(&next)
		if err := checkPromotion(ctx, tx, &next); err != nil {
			return err
		}
		next.Version, next.UpdatedAt = cur.Version+1, s.now()
		res, err := tx.NewUpdate().Model(&next).ExcludeColumn("id", "created_at").
			Where("id = ? AND version = ?", id, cur.Version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update promotion %d: %w", id, err)
		}
		if err := oneRow(res, "promotion", cur); err != nil {
			return err
		}
		out = &next
		return s.audit.record(ctx, tx, a, "update", "promotion", id, cur, &next)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes a promotion.
func (s *Promotions) Delete(ctx context.Context, a Actor, id int64) error {
	if err := a.require(db.RoleManager, "plan promotions"); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur := new(db.Promotion)
		if err := findByID(ctx, tx, cur, id, "Promotion"); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model(cur).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("delete promotion %d: %w", id, err)
		}
		return s.audit.record(ctx, tx, a, "delete", "promotion", id, cur, nil)
	})
}

// Get returns one promotion.
func (s *Promotions) Get(ctx context.Context, a Actor, id int64) (*db.Promotion, error) {
	if err := a.require(db.RoleViewer, "read promotions"); err != nil {
		return nil, err
	}
	p := new(db.Promotion)
	return p, findByID(ctx, s.db, p, id, "Promotion")
}

// PromotionFilter selects promotions. ProductID selects the promotions
// covering a product (its own and its category's); CategoryID those of a
// category. From and To (YYYY-MM-DD, either may be empty) keep the
// promotions running on at least one day between them.
type PromotionFilter struct {
	ProductID  int64
	CategoryID int64
	From, To   string
	Limit      int
	Offset     int
}

// List returns a page of promotions, by first day, and the total.
func (s *Promotions) List(ctx context.Context, a Actor, f PromotionFilter) ([]db.Promotion, int, error) {
	if err := a.require(db.RoleViewer, "read promotions"); err != nil {
		return nil, 0, err
	}
	v := &validation{}
	if f.From != "" {
		v.day("from", f.From)
	}
	if f.To != "" {
		v.day("to", f.To)
	}
	if err := v.err(); err != nil {
		return nil, 0, err
	}
	items := []db.Promotion{}
	q := s.db.NewSelect().Model(&items).OrderExpr("first_day, id")
	if f.ProductID > 0 {
		var cat *int64
		if err := s.db.NewSelect().Model((*db.Product)(nil)).Column("category_id").Where("id = ?", f.ProductID).Scan(ctx, &cat); err != nil {
			if isNoRows(err) {
				return nil, 0, Errorf(ENOTFOUND, "Product %d not found.", f.ProductID)
			}
			return nil, 0, fmt.Errorf("load product %d: %w", f.ProductID, err)
		}
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("product_id = ?", f.ProductID)
			if cat != nil {
				q = q.WhereOr("category_id = ?", *cat)
			}
			return q
		})
	}
	if f.CategoryID > 0 {
		q = q.Where("category_id = ?", f.CategoryID)
	}
	if f.From != "" {
		q = q.Where("last_day >= ?", f.From)
	}
	if f.To != "" {
		q = q.Where("first_day <= ?", f.To)
	}
	n, err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list promotions: %w", err)
	}
	return items, int(n), nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
