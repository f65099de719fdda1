package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Prices plans future list prices: on a planned price's day the product's
// unit price becomes the planned one, by itself (ApplyDue, run by
// Schedule), audited as the system. Managers and admins plan and cancel
// them; anyone reads them.
type Prices struct{ *base }

// PriceJob is the actor of the planned-price job in the audit log.
var PriceJob = Actor{Username: "system", Role: db.RoleAdmin, Source: "job:planned-prices"}

// PlannedPriceInput plans a product's list price from a day on.
type PlannedPriceInput struct {
	Day       *string   `json:"day"`
	UnitPrice *db.Money `json:"unit_price"`
	Note      *string   `json:"note"`
}

// currentDay is the shop's current local day, YYYY-MM-DD.
func (b *base) currentDay(ctx context.Context) (string, error) {
	t, err := b.today(ctx)
	if err != nil {
		return "", fmt.Errorf("planned prices: %w", err)
	}
	return t.Format(db.DayLayout), nil
}

// Plan adds a planned price of a product for a day after today; a second
// plan for the same product and day is a conflict.
func (ps *Prices) Plan(ctx context.Context, a Actor, productID int64, in PlannedPriceInput) (*db.PlannedPrice, error) {
	if err := a.require(db.RoleManager, "plan prices"); err != nil {
		return nil, err
	}
	pp := &db.PlannedPrice{ProductID: productID, CreatedAt: ps.now()}
	setIf(&pp.Day, trimmed(in.Day))
	setIf(&pp.Note, trimmed(in.Note))
	today, err := ps.currentDay(ctx)
	if err != nil {
		return nil, err
	}
	v := &validation{}
	if _, ok := v.day("day", pp.Day); ok && pp.Day <= today {
		v.add("day", "must be after today (%s); change unit_price for today", today)
	}
	if in.UnitPrice == nil {
		v.add("unit_price", "is required")
	} else {
		pp.UnitPrice = *in.UnitPrice
		v.amount("unit_price", pp.UnitPrice)
	}
	switch {
	case len(pp.Note) > MaxPromotionNote:
		v.add("note", "must be at most %d characters", MaxPromotionNote)
	case strings.ContainsRune(pp.Note, 0):
		v.add("note", "must not contain NUL characters")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	err = ps.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := findProduct(ctx, tx, productID); err != nil {
			return err
		}
		other := new(db.PlannedPrice)
		err := tx.NewSelect().Model(other).Where("product_id = ? AND day = ?", productID, pp.Day).Scan(ctx)
		if err == nil {
			return &Error{Code: ECONFLICT, Message: fmt.Sprintf("Planned price %d already sets product %d's price on %s.", other.ID, productID, pp.Day),
				Fields: []FieldError{{Field: "day", Message: fmt.Sprintf("already planned (planned price %d)", other.ID)}}, Current: other}
		} else if !isNoRows(err) {
			return fmt.Errorf("find planned price: %w", err)
		}
		if _, err := tx.NewInsert().Model(pp).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return Errorf(ECONFLICT, "Product %d already has a planned price on %s.", productID, pp.Day)
			}
			return fmt.Errorf("insert planned price: %w", err)
		}
		return ps.audit.record(ctx, tx, a, "create", "planned_price", pp.ID, nil, pp)
	})
	if err != nil {
		return nil, err
	}
	return pp, nil
}

// PlannedPriceFilter selects planned prices: of one product (0: all), and
// only those not applied yet when Pending.
type PlannedPriceFilter struct {
	ProductID int64
	Pending   bool
	Limit     int
	Offset    int
}

// List returns a page of planned prices by day, and the total.
func (ps *Prices) List(ctx context.Context, a Actor, f PlannedPriceFilter) ([]db.PlannedPrice, int, error) {
	if err := a.require(db.RoleViewer, "read planned prices"); err != nil {
		return nil, 0, err
	}
	items := []db.PlannedPrice{}
	q := ps.db.NewSelect().Model(&items).OrderExpr("day, product_id")
	if f.ProductID > 0 {
		if _, err := findProduct(ctx, ps.db, f.ProductID); err != nil {
			return nil, 0, err
		}
		q = q.Where("product_id = ?", f.ProductID)
	}
	if f.Pending {
		q = q.Where("applied_at IS NULL")
	}
	n, err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list planned prices: %w", err)
	}
	return items, int(n), nil
}

// Cancel deletes a planned price that has not been applied; an applied one
// is history and a conflict.
func (ps *Prices) Cancel(ctx context.Context, a Actor, id int64) error {
	if err := a.require(db.RoleManager, "plan prices"); err != nil {
		return err
	}
	return ps.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur := new(db.PlannedPrice)
		if err := findByID(ctx, tx, cur, id, "Planned price"); err != nil {
			return err
		}
		if cur.AppliedAt != nil {
			return Errorf(ECONFLICT, "Planned price %d was applied on %s; change the product's price instead.", id, cur.AppliedAt.Format(db.DayLayout))
		}
		res, err := tx.NewDelete().Model(cur).Where("id = ? AND applied_at IS NULL", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete planned price %d: %w", id, err)
		}
		if err := oneRow(res, "planned price", cur); err != nil {
			return err
		}
		return ps.audit.record(ctx, tx, a, "delete", "planned_price", id, cur, nil)
	})
}

// ApplyDue applies every planned price whose day has come (today or
// earlier, in day order, so a product missed for days ends at its latest
// price): the product's unit price changes and its version increases,
// audited as PriceJob. It is idempotent and safe to run on several
// replicas at once: a planned price is claimed by the conditional update
// of its applied_at, which only one transaction wins. It returns how many
// it applied.
func (ps *Prices) ApplyDue(ctx context.Context) (int, error) {
	today, err := ps.currentDay(ctx)
	if err != nil {
		return 0, err
	}
	var due []db.PlannedPrice
	if err := ps.db.NewSelect().Model(&due).Where("applied_at IS NULL AND day <= ?", today).
		OrderExpr("day, id").Scan(ctx); err != nil {
		return 0, fmt.Errorf("find due planned prices: %w", err)
	}
	applied := 0
	for i := range due {
		pp := due[i]
		var won bool
		err := ps.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			won = false
			now := ps.now()
			res, err := tx.NewUpdate().Model((*db.PlannedPrice)(nil)).Set("applied_at = ?", now).
				Where("id = ? AND applied_at IS NULL", pp.ID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("claim planned price %d: %w", pp.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return err // another run applied it
			}
			cur, err := findProduct(ctx, tx, pp.ProductID)
			if err != nil {
				return err
			}
			next := *cur
			next.UnitPrice, next.Version, next.UpdatedAt = pp.UnitPrice, cur.Version+1, now
			if _, err := tx.NewUpdate().Model(&next).Column("unit_price", "version", "updated_at").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("apply planned price %d: %w", pp.ID, err)
			}
			won = true
			return ps.audit.record(ctx, tx, PriceJob, "update", "product", cur.ID, cur, &next)
		})
		if err != nil {
			return applied, fmt.Errorf("apply planned price %d: %w", pp.ID, err)
		}
		if won {
			applied++
		}
	}
	return applied, nil
}

// Schedule applies due planned prices at once and then every interval
// until ctx ends.
func (ps *Prices) Schedule(ctx context.Context, logger *slog.Logger, every time.Duration) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := ps.ApplyDue(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			logger.Error("planned prices failed", "err", err, "applied", n)
		} else if n > 0 {
			logger.Info("planned prices applied", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
