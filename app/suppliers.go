package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// CategoryInput creates or changes a category.
type CategoryInput struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Version     *int64  `json:"version"` // required on update
}

// SupplierInput creates or changes a supplier.
type SupplierInput struct {
	Name         *string `json:"name"`
	ContactName  *string `json:"contact_name"`
	Email        *string `json:"email"`
	Phone        *string `json:"phone"`
	LeadTimeDays *int    `json:"lead_time_days"`
	Notes        *string `json:"notes"`
	Version      *int64  `json:"version"` // required on update
}

func (in *CategoryInput) apply(c *db.Category) {
	setIf(&c.Name, trimmed(in.Name))
	setIf(&c.Description, in.Description)
}

func (in *SupplierInput) apply(s *db.Supplier) {
	setIf(&s.Name, trimmed(in.Name))
	setIf(&s.ContactName, trimmed(in.ContactName))
	setIf(&s.Email, trimmed(in.Email))
	setIf(&s.Phone, trimmed(in.Phone))
	setIf(&s.LeadTimeDays, in.LeadTimeDays)
	setIf(&s.Notes, in.Notes)
}

func validateName(v *validation, name string) {
	switch {
	case name == "":
		v.add("name", "is required")
	case tooLong(name, MaxNameLength):
		v.add("name", "must be at most %d characters", MaxNameLength)
	}
}

func validateCategory(v *validation, c *db.Category) {
	validateName(v, c.Name)
	v.text("description", c.Description, MaxDescriptionLength)
}

func validateSupplier(v *validation, s *db.Supplier) {
	validateName(v, s.Name)
	v.text("contact_name", s.ContactName, MaxNameLength)
	v.text("notes", s.Notes, MaxNotesLength)
	if tooLong(s.Email, MaxEmailLength) {
		v.add("email", "must be at most %d characters", MaxEmailLength)
	} else if s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			v.add("email", "is not a valid e-mail address")
		}
	}
	if s.LeadTimeDays < 0 || s.LeadTimeDays > 365 {
		v.add("lead_time_days", "must be between 0 and 365")
	}
	v.text("phone", s.Phone, MaxPhoneLength)
}

func nameConflict(entity, name string) error {
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("A %s named %q already exists.", entity, name),
		Fields: []FieldError{{Field: "name", Message: "already exists"}}}
}

// named describes how a named, versioned entity (a category or a
// supplier) is validated and stamped, so that both share one create and one
// update flow.
type named[T any] struct {
	entity   string // "category"
	title    string // "Category"
	action   string // what the role check calls the change
	validate func(*validation, *T)
	name     func(*T) string
	id       func(*T) int64
	// stamp sets the row's version and update time.
	stamp   func(row *T, version int64, now time.Time)
	version func(*T) int64
}

var categorySpec = named[db.Category]{
	entity: "category", title: "Category", action: "edit the catalogue", validate: validateCategory,
	name:    func(c *db.Category) string { return c.Name },
	id:      func(c *db.Category) int64 { return c.ID },
	stamp:   func(c *db.Category, v int64, now time.Time) { c.Version, c.UpdatedAt = v, now },
	version: func(c *db.Category) int64 { return c.Version },
}

var supplierSpec = named[db.Supplier]{
	entity: "supplier", title: "Supplier", action: "edit suppliers", validate: validateSupplier,
	name:    func(s *db.Supplier) string { return s.Name },
	id:      func(s *db.Supplier) int64 { return s.ID },
	stamp:   func(s *db.Supplier, v int64, now time.Time) { s.Version, s.UpdatedAt = v, now },
	version: func(s *db.Supplier) int64 { return s.Version },
}

// createNamed validates and inserts row; a duplicate name is a conflict.
func createNamed[T any](ctx context.Context, c *Catalog, a Actor, spec named[T], row *T) (*T, error) {
	if err := a.require(db.RoleManager, spec.action); err != nil {
		return nil, err
	}
	v := &validation{}
	spec.validate(v, row)
	if err := v.err(); err != nil {
		return nil, err
	}
	err := c.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return nameConflict(spec.entity, spec.name(row))
			}
			return fmt.Errorf("insert %s: %w", spec.entity, err)
		}
		return c.audit.record(ctx, tx, a, "create", spec.entity, spec.id(row), nil, row)
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}

// updateNamed applies a change to the stored row when version is current;
// a stale version is a conflict carrying the current row.
func updateNamed[T any](ctx context.Context, c *Catalog, a Actor, spec named[T], id int64, version *int64, apply func(*T)) (*T, error) {
	if err := a.require(db.RoleManager, spec.action); err != nil {
		return nil, err
	}
	if version == nil {
		return nil, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "version", Message: "is required (the version you are editing)"}}}
	}
	var out *T
	err := c.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur := new(T)
		if err := findByID(ctx, tx, cur, id, spec.title); err != nil {
			return err
		}
		if spec.version(cur) != *version {
			return staleConflict(spec.entity, spec.version(cur), cur)
		}
		next := *cur
		apply(&next)
		v := &validation{}
		spec.validate(v, &next)
		if err := v.err(); err != nil {
			return err
		}
		spec.stamp(&next, spec.version(cur)+1, c.now())
		res, err := tx.NewUpdate().Model(&next).ExcludeColumn("id", "created_at").
			Where("id = ? AND version = ?", id, spec.version(cur)).Exec(ctx)
		if err != nil {
			if db.IsUniqueViolation(err) {
				return nameConflict(spec.entity, spec.name(&next))
			}
			return fmt.Errorf("update %s %d: %w", spec.entity, id, err)
		}
		if err := oneRow(res, spec.entity, cur); err != nil {
			return err
		}
		out = &next
		return c.audit.record(ctx, tx, a, "update", spec.entity, id, cur, &next)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateCategory adds a category; a duplicate name is a conflict.
func (c *Catalog) CreateCategory(ctx context.Context, a Actor, in CategoryInput) (*db.Category, error) {
	now := c.now()
	cat := &db.Category{Version: 1, CreatedAt: now, UpdatedAt: now}
	in.apply(cat)
	return createNamed(ctx, c, a, categorySpec, cat)
}

// UpdateCategory changes a category; in.Version must be current.
func (c *Catalog) UpdateCategory(ctx context.Context, a Actor, id int64, in CategoryInput) (*db.Category, error) {
	return updateNamed(ctx, c, a, categorySpec, id, in.Version, in.apply)
}

// DeleteCategory deletes an unused category; one with products is a conflict.
func (c *Catalog) DeleteCategory(ctx context.Context, a Actor, id int64) error {
	return c.deleteUnused(ctx, a, id, new(db.Category), "category", "Category")
}

// CreateSupplier adds a supplier; a duplicate name is a conflict.
func (c *Catalog) CreateSupplier(ctx context.Context, a Actor, in SupplierInput) (*db.Supplier, error) {
	now := c.now()
	s := &db.Supplier{LeadTimeDays: 7, Version: 1, CreatedAt: now, UpdatedAt: now}
	in.apply(s)
	return createNamed(ctx, c, a, supplierSpec, s)
}

// UpdateSupplier changes a supplier; in.Version must be current.
func (c *Catalog) UpdateSupplier(ctx context.Context, a Actor, id int64, in SupplierInput) (*db.Supplier, error) {
	return updateNamed(ctx, c, a, supplierSpec, id, in.Version, in.apply)
}

// DeleteSupplier deletes a supplier no product uses; otherwise a conflict.
func (c *Catalog) DeleteSupplier(ctx context.Context, a Actor, id int64) error {
	return c.deleteUnused(ctx, a, id, new(db.Supplier), "supplier", "Supplier")
}

// deleteUnused deletes a category or supplier unless a product references it.
func (c *Catalog) deleteUnused(ctx context.Context, a Actor, id int64, model any, entity, title string) error {
	if err := a.require(db.RoleManager, "edit the catalogue"); err != nil {
		return err
	}
	return c.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := findByID(ctx, tx, model, id, title); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*db.Product)(nil)).Where(entity+"_id = ?", id).Count(ctx)
		if err != nil {
			return fmt.Errorf("count products of %s %d: %w", entity, id, err)
		}
		if n > 0 {
			return Errorf(ECONFLICT, "%s %d is used by %d product(s); move them first.", title, id, n)
		}
		if _, err := tx.NewDelete().Model(model).Where("id = ?", id).Exec(ctx); err != nil {
			if db.IsForeignKeyViolation(err) {
				return Errorf(ECONFLICT, "%s %d is still referenced.", title, id)
			}
			return fmt.Errorf("delete %s %d: %w", entity, id, err)
		}
		return c.audit.record(ctx, tx, a, "delete", entity, id, model, nil)
	})
}

func findByID(ctx context.Context, idb bun.IDB, model any, id int64, title string) error {
	if err := idb.NewSelect().Model(model).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "%s %d not found.", title, id)
		}
		return fmt.Errorf("load %s %d: %w", strings.ToLower(title), id, err)
	}
	return nil
}

// Category returns one category.
func (c *Catalog) Category(ctx context.Context, a Actor, id int64) (*db.Category, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return nil, err
	}
	cat := new(db.Category)
	return cat, findByID(ctx, c.db, cat, id, "Category")
}

// Supplier returns one supplier.
func (c *Catalog) Supplier(ctx context.Context, a Actor, id int64) (*db.Supplier, error) {
	if err := a.require(db.RoleViewer, "read suppliers"); err != nil {
		return nil, err
	}
	s := new(db.Supplier)
	return s, findByID(ctx, c.db, s, id, "Supplier")
}

// NameFilter selects categories or suppliers by a name substring.
type NameFilter struct {
	Query  string
	Sort   string // name, created_at, updated_at, id (and lead_time_days for suppliers); "-" = descending
	Limit  int
	Offset int
}

// ListCategories returns a page of categories and the total.
func (c *Catalog) ListCategories(ctx context.Context, a Actor, f NameFilter) ([]db.Category, int, error) {
	items := []db.Category{}
	n, err := c.listNamed(ctx, a, &items, f, map[string]string{"name": "name", "created_at": "created_at", "updated_at": "updated_at", "id": "id"})
	return items, n, err
}

// ListSuppliers returns a page of suppliers and the total.
func (c *Catalog) ListSuppliers(ctx context.Context, a Actor, f NameFilter) ([]db.Supplier, int, error) {
	items := []db.Supplier{}
	n, err := c.listNamed(ctx, a, &items, f, map[string]string{"name": "name", "created_at": "created_at",
		"updated_at": "updated_at", "id": "id", "lead_time_days": "lead_time_days"})
	return items, n, err
}

func (c *Catalog) listNamed(ctx context.Context, a Actor, dest any, f NameFilter, sorts map[string]string) (int, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return 0, err
	}
	order, err := sortOrder(f.Sort, sorts, "name")
	if err != nil {
		return 0, err
	}
	if strings.ContainsRune(f.Query, 0) {
		return 0, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "q", Message: "must not contain NUL characters"}}}
	}
	q := c.db.NewSelect().Model(dest).OrderExpr(order)
	if f.Query != "" {
		q = q.Where("LOWER(name) LIKE ?"+db.LikeEscape(c.db), "%"+escapeLike(strings.ToLower(f.Query))+"%")
	}
	n, err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	if err != nil {
		return 0, fmt.Errorf("list: %w", err)
	}
	return int(n), nil
}
