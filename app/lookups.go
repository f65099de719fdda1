package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Small read-only lookups that the web pages and the command line need
// beside the services' lists: labels for rows that carry ids, counts for
// notices, one user by id. Each checks the caller's role like the list it
// stands for.

// ProductLabel is a product's SKU and name.
type ProductLabel struct {
	SKU  string
	Name string
}

// ProductLabels returns the SKU and name of each product of ids that
// exists, in one query (lists of sales and movements carry product ids
// only). A product that is gone has no entry.
func (c *Catalog) ProductLabels(ctx context.Context, a Actor, ids []int64) (map[int64]ProductLabel, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return nil, err
	}
	out := make(map[int64]ProductLabel, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []db.Product
	if err := c.db.NewSelect().Model(&rows).Column("id", "sku", "name").
		Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load product labels: %w", err)
	}
	for _, p := range rows {
		out[p.ID] = ProductLabel{SKU: p.SKU, Name: p.Name}
	}
	return out, nil
}

// SupplierNames maps every supplier's id to its name.
func (c *Catalog) SupplierNames(ctx context.Context, a Actor) (map[int64]string, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return nil, err
	}
	var sups []db.Supplier
	if err := c.db.NewSelect().Model(&sups).Column("id", "name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load supplier names: %w", err)
	}
	out := make(map[int64]string, len(sups))
	for _, s := range sups {
		out[s.ID] = s.Name
	}
	return out, nil
}

// CountProducts returns how many products exist, active or not.
func (c *Catalog) CountProducts(ctx context.Context, a Actor) (int, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return 0, err
	}
	n, err := c.db.NewSelect().Model((*db.Product)(nil)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count products: %w", err)
	}
	return int(n), nil
}

// ChangesSince returns how many audited changes of the given entity types
// were made after since by anyone but the caller (changes without a user,
// such as the command line's, count). Any signed-in user may ask: it is
// the "N changes by others" notice of the list pages, which reveals no
// more than reloading the list does.
func (au *Audit) ChangesSince(ctx context.Context, a Actor, entityTypes []string, since time.Time) (int, error) {
	if err := a.require(db.RoleViewer, "see changes"); err != nil {
		return 0, err
	}
	if len(entityTypes) == 0 {
		return 0, nil
	}
	n, err := au.db.NewSelect().Model((*db.AuditEvent)(nil)).
		Where("entity_type IN (?)", bun.In(entityTypes)).
		Where("created_at > ?", since.UTC()).
		Where("(user_id IS NULL OR user_id <> ?)", a.UserID).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count changes: %w", err)
	}
	return int(n), nil
}

// Demand returns the daily demand histories q selects (see LoadDemand),
// for charts.
func (an *Analytics) Demand(ctx context.Context, a Actor, q DemandQuery) (map[int64]*DemandSeries, error) {
	if err := a.require(db.RoleViewer, "read sales history"); err != nil {
		return nil, err
	}
	return an.loadDemand(ctx, an.db, q)
}

// User returns one user by id (admin only).
func (u *Users) User(ctx context.Context, a Actor, id int64) (*db.User, error) {
	if err := a.require(db.RoleAdmin, "manage users"); err != nil {
		return nil, err
	}
	user := new(db.User)
	if err := u.db.NewSelect().Model(user).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, Errorf(ENOTFOUND, "User %d not found.", id)
		}
		return nil, fmt.Errorf("load user %d: %w", id, err)
	}
	return user, nil
}
