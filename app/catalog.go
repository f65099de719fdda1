package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/db/namekey"
)

// Catalog manages products, categories and suppliers. Reading needs any
// role; changing needs manager or admin.
type Catalog struct {
	*base
	// lowStock returns the products at or below their effective reorder
	// point (Restock.lowStockIDs): the one rule, owned by Restock.
	lowStock func(ctx context.Context) ([]int64, error)
	// counts remembers the totals of ListProducts' filters.
	counts countCache
}

// maxCachedCounts bounds countCache: past it the cache starts afresh.
const maxCachedCounts = 1024

// countCache remembers how many products match each filter for as long as
// the change feed sees no write (Changes.Generation), so that paging
// through the catalogue does not count it again for every page. Without a
// live watcher it always counts, since other processes' writes would go
// unseen.
type countCache struct {
	mu  sync.Mutex
	gen uint64
	n   map[string]int
}

// get returns the cached total for key, else count's result (cached under
// the generation read before it ran, so a change during count is never
// hidden).
func (c *countCache) get(ch *Changes, key string, count func() (int, error)) (int, error) {
	if !ch.Live() {
		return count()
	}
	gen := ch.Generation()
	c.mu.Lock()
	if c.gen == gen {
		if n, ok := c.n[key]; ok {
			c.mu.Unlock()
			return n, nil
		}
	}
	c.mu.Unlock()
	n, err := count()
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return n, nil // a newer generation is cached already
	}
	if gen != c.gen || c.n == nil || len(c.n) >= maxCachedCounts {
		c.gen, c.n = gen, map[string]int{}
	}
	c.n[key] = n
	return n, nil
}

// ProductInput creates or changes a product. Absent fields keep their value
// (or default on create); Nullable fields may be cleared with null.
type ProductInput struct {
	SKU          *string           `json:"sku"`
	Name         *string           `json:"name"`
	Description  *string           `json:"description"`
	CategoryID   Nullable[int64]   `json:"category_id"`
	SupplierID   Nullable[int64]   `json:"supplier_id"`
	UnitCost     *db.Money         `json:"unit_cost"`
	UnitPrice    *db.Money         `json:"unit_price"`
	Stock        *int64            `json:"stock"` // initial on-hand stock; create only
	PackSize     *int              `json:"pack_size"`
	MinOrderQty  *int              `json:"min_order_qty"`
	LeadTimeDays Nullable[int]     `json:"lead_time_days"`
	ServiceLevel Nullable[float64] `json:"service_level"`
	ReorderPoint *int64            `json:"reorder_point"`
	Active       *bool             `json:"active"`
	Version      *int64            `json:"version"` // required on update
}

// apply copies the set fields of in onto p.
func (in *ProductInput) apply(p *db.Product) {
	setIf(&p.SKU, cleanName(in.SKU))
	setIf(&p.Name, trimmed(in.Name))
	setIf(&p.Description, in.Description)
	setNullable(&p.CategoryID, in.CategoryID)
	setNullable(&p.SupplierID, in.SupplierID)
	setIf(&p.UnitCost, in.UnitCost)
	setIf(&p.UnitPrice, in.UnitPrice)
	setIf(&p.PackSize, in.PackSize)
	setIf(&p.MinOrderQty, in.MinOrderQty)
	setNullable(&p.LeadTimeDays, in.LeadTimeDays)
	setNullable(&p.ServiceLevel, in.ServiceLevel)
	setIf(&p.ReorderPoint, in.ReorderPoint)
	setIf(&p.Active, in.Active)
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func setNullable[T any](dst **T, n Nullable[T]) {
	if n.Set {
		*dst = n.Value()
	}
}

// cleanName is namekey.Clean of an optional SKU or username: without
// invisible characters, NFKC, trimmed.
func cleanName(s *string) *string {
	if s == nil {
		return nil
	}
	t := namekey.Clean(*s)
	return &t
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}

// validateProduct checks the rules every product must satisfy.
func validateProduct(v *validation, p *db.Product) {
	switch {
	case p.SKU == "":
		v.add("sku", "is required")
	case tooLong(p.SKU, MaxSKULength):
		v.add("sku", "must be at most %d characters", MaxSKULength)
	case strings.IndexFunc(p.SKU, unicode.IsSpace) >= 0:
		v.add("sku", "must not contain spaces")
	}
	switch {
	case p.Name == "":
		v.add("name", "is required")
	case tooLong(p.Name, MaxNameLength):
		v.add("name", "must be at most %d characters", MaxNameLength)
	}
	v.text("description", p.Description, MaxDescriptionLength)
	v.amount("unit_cost", p.UnitCost)
	v.amount("unit_price", p.UnitPrice)
	if p.PackSize < 1 || p.PackSize > 1_000_000 {
		v.add("pack_size", "must be between 1 and 1000000")
	}
	if p.MinOrderQty < 1 || p.MinOrderQty > 1_000_000 {
		v.add("min_order_qty", "must be between 1 and 1000000")
	}
	if p.LeadTimeDays != nil && (*p.LeadTimeDays < 0 || *p.LeadTimeDays > 365) {
		v.add("lead_time_days", "must be between 0 and 365")
	}
	if p.ServiceLevel != nil && !(*p.ServiceLevel >= 0.5 && *p.ServiceLevel <= 0.999) {
		v.add("service_level", "must be between 0.5 and 0.999")
	}
	v.quantity("reorder_point", p.ReorderPoint, 0)
}

// checkRefs verifies that the category and supplier a product names exist.
func checkRefs(ctx context.Context, tx bun.IDB, v *validation, p *db.Product) error {
	if p.CategoryID != nil {
		ok, err := tx.NewSelect().Model((*db.Category)(nil)).Where("id = ?", *p.CategoryID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check category %d: %w", *p.CategoryID, err)
		}
		if !ok {
			v.add("category_id", "no category with id %d", *p.CategoryID)
		}
	}
	if p.SupplierID != nil {
		ok, err := tx.NewSelect().Model((*db.Supplier)(nil)).Where("id = ?", *p.SupplierID).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check supplier %d: %w", *p.SupplierID, err)
		}
		if !ok {
			v.add("supplier_id", "no supplier with id %d", *p.SupplierID)
		}
	}
	return nil
}

// CheckProduct validates in as CreateProduct (id 0) or UpdateProduct
// (a merge onto product id) would, without writing: every field error in
// one pass. Forms call it when some fields did not even parse, so that the
// person sees all the problems at once.
func (c *Catalog) CheckProduct(ctx context.Context, a Actor, id int64, in ProductInput) error {
	if err := a.require(db.RoleManager, "edit the catalogue"); err != nil {
		return err
	}
	p := &db.Product{PackSize: 1, MinOrderQty: 1, Active: true}
	if id != 0 {
		cur, err := findProduct(ctx, c.db, id)
		if err != nil {
			return err
		}
		p = cur
	}
	in.apply(p)
	v := &validation{}
	validateProduct(v, p)
	if id == 0 && in.Stock != nil {
		v.quantity("stock", *in.Stock, 0)
	}
	if err := checkRefs(ctx, c.db, v, p); err != nil {
		return err
	}
	return v.err()
}

// CreateProduct adds a product; a positive initial stock is recorded as an
// "initial" stock movement. A duplicate SKU is a conflict.
func (c *Catalog) CreateProduct(ctx context.Context, a Actor, in ProductInput) (*db.Product, error) {
	if err := a.require(db.RoleManager, "edit the catalogue"); err != nil {
		return nil, err
	}
	now := c.now()
	p := &db.Product{PackSize: 1, MinOrderQty: 1, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	in.apply(p)
	v := &validation{}
	validateProduct(v, p)
	if in.Stock != nil {
		v.quantity("stock", *in.Stock, 0)
		p.Stock = max(*in.Stock, 0)
	}
	if len(v.fields) > 0 {
		// Report unknown references in the same pass as the other fields.
		if err := checkRefs(ctx, c.db, v, p); err != nil {
			return nil, err
		}
		return nil, v.err()
	}
	err := c.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := checkRefs(ctx, tx, v, p); err != nil {
			return err
		}
		if err := v.err(); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return skuConflict(p.SKU)
			}
			return fmt.Errorf("insert product %s: %w", p.SKU, err)
		}
		if p.Stock > 0 {
			m := &db.StockMovement{ProductID: p.ID, Kind: db.MoveInitial, Delta: p.Stock, Balance: p.Stock,
				Reason: "initial stock", UserID: a.userID(), CreatedAt: now}
			if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
				return fmt.Errorf("insert initial movement: %w", err)
			}
		}
		return c.audit.record(ctx, tx, a, "create", "product", p.ID, nil, p)
	})
	if err != nil {
		return nil, c.namedSKUConflict(ctx, err)
	}
	return p, nil
}

// skuTaken is the error of a write the unique index on products.sku_norm
// refused. The transaction has failed (on PostgreSQL it takes no more
// queries), so namedSKUConflict looks the holder up after it.
type skuTaken struct{ sku string }

func (e *skuTaken) Error() string { return fmt.Sprintf("sku %q is taken", e.sku) }

func skuConflict(sku string) error { return &skuTaken{sku: sku} }

// namedSKUConflict turns a skuTaken error into the 409 that names the
// product holding the SKU; other errors pass unchanged.
func (c *Catalog) namedSKUConflict(ctx context.Context, err error) error {
	var taken *skuTaken
	if !errors.As(err, &taken) {
		return err
	}
	msg := fmt.Sprintf("A product with SKU %q already exists.", taken.sku)
	field := "already exists"
	var have db.Product
	if c.db.NewSelect().Model(&have).Column("id", "sku").Where("sku_norm = ?", namekey.Key(taken.sku)).Scan(ctx) == nil &&
		have.SKU != taken.sku {
		msg = fmt.Sprintf("SKU %q is taken by product %d, SKU %q (SKUs differing only in case, width or invisible characters are one SKU).",
			taken.sku, have.ID, have.SKU)
		field = fmt.Sprintf("is taken by %q (product %d)", have.SKU, have.ID)
	}
	return &Error{Code: ECONFLICT, Message: msg, Fields: []FieldError{{Field: "sku", Message: field}}}
}

// UpdateProduct changes a product. in.Version must equal the stored version,
// otherwise the update is a conflict carrying the current product. With
// replace (PUT semantics) absent fields return to their defaults. Stock is
// never changed here: use stock adjustments and receipts.
func (c *Catalog) UpdateProduct(ctx context.Context, a Actor, id int64, in ProductInput, replace bool) (*db.Product, error) {
	if err := a.require(db.RoleManager, "edit the catalogue"); err != nil {
		return nil, err
	}
	v := &validation{}
	if in.Version == nil {
		v.add("version", "is required (the version you are editing)")
	}
	if in.Stock != nil {
		v.add("stock", "cannot be edited; record a stock adjustment or receipt")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	var out *db.Product
	err := c.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur, err := findProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != *in.Version {
			return staleConflict("product", cur.Version, cur)
		}
		next := *cur
		if replace {
			next = db.Product{ID: cur.ID, Stock: cur.Stock, PackSize: 1, MinOrderQty: 1, Active: true,
				Version: cur.Version, CreatedAt: cur.CreatedAt}
		}
		in.apply(&next)
		validateProduct(v, &next)
		if err := checkRefs(ctx, tx, v, &next); err != nil {
			return err
		}
		if err := v.err(); err != nil {
			return err
		}
		next.UpdatedAt = c.now()
		next.Version = cur.Version + 1
		res, err := tx.NewUpdate().Model(&next).
			ExcludeColumn("id", "stock", "created_at").
			Where("id = ? AND version = ?", id, cur.Version).Exec(ctx)
		if err != nil {
			if db.IsUniqueViolation(err) {
				return skuConflict(next.SKU)
			}
			return fmt.Errorf("update product %d: %w", id, err)
		}
		if err := oneRow(res, "product", cur); err != nil {
			return err
		}
		out = &next
		return c.audit.record(ctx, tx, a, "update", "product", id, cur, &next)
	})
	if err != nil {
		return nil, c.namedSKUConflict(ctx, err)
	}
	return out, nil
}

// oneRow turns "no row updated" into a stale-version conflict.
func oneRow(res sql.Result, entity string, current any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update %s: %w", entity, err)
	}
	if n != 1 {
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf("The %s was changed by someone else; reload it and try again.", entity), Current: current}
	}
	return nil
}

func staleConflict(entity string, current int64, cur any) error {
	return &Error{Code: ECONFLICT,
		Message: fmt.Sprintf("The %s was changed by someone else (now at version %d); reload it and try again.", entity, current),
		Fields:  []FieldError{{Field: "version", Message: fmt.Sprintf("is stale; current version is %d", current)}},
		Current: cur}
}

// DeleteProduct deletes a product without history, or deactivates one that
// has sales or stock movements beyond its initial stock. It reports whether
// the product was deleted (true) or deactivated (false).
func (c *Catalog) DeleteProduct(ctx context.Context, a Actor, id int64) (deleted bool, err error) {
	if err := a.require(db.RoleManager, "edit the catalogue"); err != nil {
		return false, err
	}
	err = c.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur, err := findProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		hasSales, err := tx.NewSelect().Model((*db.Sale)(nil)).Where("product_id = ?", id).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check sales of product %d: %w", id, err)
		}
		hasMoves, err := tx.NewSelect().Model((*db.StockMovement)(nil)).
			Where("product_id = ? AND kind <> ?", id, db.MoveInitial).Exists(ctx)
		if err != nil {
			return fmt.Errorf("check movements of product %d: %w", id, err)
		}
		if hasSales || hasMoves {
			if !cur.Active {
				return nil
			}
			next := *cur
			next.Active, next.Version, next.UpdatedAt = false, cur.Version+1, c.now()
			if _, err := tx.NewUpdate().Model(&next).Column("active", "version", "updated_at").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("deactivate product %d: %w", id, err)
			}
			return c.audit.record(ctx, tx, a, "deactivate", "product", id, cur, &next)
		}
		deleted = true
		for _, q := range []*bun.DeleteQuery{
			tx.NewDelete().Model((*db.StockMovement)(nil)).Where("product_id = ?", id),
			tx.NewDelete().Model((*db.DailySales)(nil)).Where("product_id = ?", id),
			tx.NewDelete().Model((*db.Promotion)(nil)).Where("product_id = ?", id),
			tx.NewDelete().Model((*db.PlannedPrice)(nil)).Where("product_id = ?", id),
			tx.NewDelete().Model((*db.Product)(nil)).Where("id = ?", id),
		} {
			if _, err := q.Exec(ctx); err != nil {
				return fmt.Errorf("delete product %d: %w", id, err)
			}
		}
		return c.audit.record(ctx, tx, a, "delete", "product", id, cur, nil)
	})
	return deleted, err
}

func findProduct(ctx context.Context, idb bun.IDB, id int64) (*db.Product, error) {
	p := new(db.Product)
	if err := idb.NewSelect().Model(p).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, Errorf(ENOTFOUND, "Product %d not found.", id)
		}
		return nil, fmt.Errorf("load product %d: %w", id, err)
	}
	return p, nil
}

// Product returns one product by id.
func (c *Catalog) Product(ctx context.Context, a Actor, id int64) (*db.Product, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return nil, err
	}
	return findProduct(ctx, c.db, id)
}

// ProductBySKU returns one product by SKU.
func (c *Catalog) ProductBySKU(ctx context.Context, a Actor, sku string) (*db.Product, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return nil, err
	}
	p := new(db.Product)
	if err := c.db.NewSelect().Model(p).Where("sku_norm = ?", namekey.Key(sku)).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, Errorf(ENOTFOUND, "Product with SKU %q not found.", sku)
		}
		return nil, fmt.Errorf("load product %q: %w", sku, err)
	}
	return p, nil
}

// ProductFilter selects and orders products.
type ProductFilter struct {
	Query      string // substring of SKU or name, case-insensitive
	CategoryID int64
	SupplierID int64
	LowStock   bool   // on hand + on order at or below the effective reorder point (ReorderPointOf.Low)
	Active     string // "true" (default), "false" or "all"
	Sort       string // sku, name, stock, unit_price, unit_cost, created_at, updated_at; "-" prefix = descending
	Limit      int
	Offset     int
}

// productSorts maps the sort keys to columns.
var productSorts = map[string]string{
	"sku": "sku", "name": "name", "stock": "stock", "unit_price": "unit_price", "unit_cost": "unit_cost",
	"created_at": "created_at", "updated_at": "updated_at", "id": "id",
}

// ProductSortKeys lists the accepted values of ProductFilter.Sort (without "-").
func ProductSortKeys() []string {
	return []string{"sku", "name", "stock", "unit_price", "unit_cost", "created_at", "updated_at", "id"}
}

// ListProducts returns a page of products and the total that match.
func (c *Catalog) ListProducts(ctx context.Context, a Actor, f ProductFilter) ([]db.Product, int, error) {
	if err := a.require(db.RoleViewer, "read the catalogue"); err != nil {
		return nil, 0, err
	}
	order, err := sortOrder(f.Sort, productSorts, "sku")
	if err != nil {
		return nil, 0, err
	}
	if strings.ContainsRune(f.Query, 0) {
		return nil, 0, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "q", Message: "must not contain NUL characters"}}}
	}
	items := []db.Product{}
	q := c.db.NewSelect().Model(&items).OrderExpr(order)
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		q = q.Where("(LOWER(sku) LIKE ?"+db.LikeEscape(c.db)+" OR LOWER(name) LIKE ?"+db.LikeEscape(c.db)+")", like, like)
	}
	if f.CategoryID != 0 {
		q = q.Where("category_id = ?", f.CategoryID)
	}
	if f.SupplierID != 0 {
		q = q.Where("supplier_id = ?", f.SupplierID)
	}
	if f.LowStock {
		ids, err := c.lowStock(ctx)
		if err != nil {
			return nil, 0, err
		}
		if len(ids) == 0 {
			return items, 0, nil
		}
		q = q.Where("id IN (?)", bun.In(ids))
	}
	switch f.Active {
	case "", "true":
		q = q.Where("active = ?", true)
	case "false":
		q = q.Where("active = ?", false)
	case "all":
	default:
		return nil, 0, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "active", Message: "must be true, false or all"}}}
	}
	if err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("list products: %w", err)
	}
	count := func() (int, error) {
		n, err := q.Count(ctx)
		if err != nil {
			return 0, fmt.Errorf("count products: %w", err)
		}
		return int(n), nil
	}
	if f.LowStock {
		// The low-stock ids are computed afresh (forecasts, dates): so is
		// their total.
		n, err := count()
		if err != nil {
			return nil, 0, err
		}
		return items, n, nil
	}
	// The total depends on the filter, not on the order or the page.
	key := fmt.Sprintf("%q|%d|%d|%q", f.Query, f.CategoryID, f.SupplierID, f.Active)
	n, err := c.counts.get(c.changes, key, count)
	if err != nil {
		return nil, 0, err
	}
	return items, n, nil
}

// sortOrder turns "name" or "-name" into an ORDER BY clause with id as tie-breaker.
func sortOrder(sort string, allowed map[string]string, def string) (string, error) {
	if sort == "" {
		sort = def
	}
	desc := strings.HasPrefix(sort, "-")
	col, ok := allowed[strings.TrimPrefix(sort, "-")]
	if !ok {
		return "", &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "sort", Message: "unknown sort key " + sort}}}
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	return col + " " + dir + ", id " + dir, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
