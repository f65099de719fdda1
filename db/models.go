// Package db holds the domain types (bun models), the migrations runner, the
// connection setup of each supported database, the ledger check and the
// helpers that queries share (among them SalesWriter, the bulk writer of
// sales imports). Most queries are written by the services of package app,
// with bun, next to the rules they serve; the ones here take a bun.IDB (or
// a bun.Tx) so they run on a *bun.DB or inside a transaction owned by the
// caller.
package db

import (
	"context"
	"math"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db/namekey"
)

// Category groups products (e.g. "Beverages").
type Category struct {
	bun.BaseModel `bun:"table:categories"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	Name        string    `bun:"name,notnull" json:"name"`
	Description string    `bun:"description,notnull" json:"description"`
	Version     int64     `bun:"version,notnull" json:"version"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// Supplier delivers products. LeadTimeDays is the default time from order
// to receipt for its products.
type Supplier struct {
	bun.BaseModel `bun:"table:suppliers"`

	ID           int64     `bun:"id,pk,autoincrement" json:"id"`
	Name         string    `bun:"name,notnull" json:"name"`
	ContactName  string    `bun:"contact_name,notnull" json:"contact_name"`
	Email        string    `bun:"email,notnull" json:"email"`
	Phone        string    `bun:"phone,notnull" json:"phone"`
	LeadTimeDays int       `bun:"lead_time_days,notnull" json:"lead_time_days"`
	Notes        string    `bun:"notes,notnull" json:"notes"`
	Version      int64     `bun:"version,notnull" json:"version"`
	CreatedAt    time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// Product is a stock-keeping unit. Stock is the on-hand quantity; it only
// changes through stock movements and always equals the sum of them.
// Version increases on every catalogue edit (optimistic locking); stock
// changes do not bump it.
type Product struct {
	bun.BaseModel `bun:"table:products"`

	ID  int64  `bun:"id,pk,autoincrement" json:"id"`
	SKU string `bun:"sku,notnull" json:"sku"`
	// SKUKey is namekey.Key(SKU), unique: SKUs differing only in case,
	// width or invisible characters are one SKU. Set before every write.
	SKUKey       string   `bun:"sku_norm,notnull" json:"-"`
	Name         string   `bun:"name,notnull" json:"name"`
	Description  string   `bun:"description,notnull" json:"description"`
	CategoryID   *int64   `bun:"category_id" json:"category_id"`
	SupplierID   *int64   `bun:"supplier_id" json:"supplier_id"`
	UnitCost     Money    `bun:"unit_cost,notnull" json:"unit_cost"`
	UnitPrice    Money    `bun:"unit_price,notnull" json:"unit_price"`
	Stock        int64    `bun:"stock,notnull" json:"stock"`
	PackSize     int      `bun:"pack_size,notnull" json:"pack_size"`
	MinOrderQty  int      `bun:"min_order_qty,notnull" json:"min_order_qty"`
	LeadTimeDays *int     `bun:"lead_time_days" json:"lead_time_days"`
	ServiceLevel *float64 `bun:"service_level" json:"service_level"`
	// ReorderPoint is a manual low-stock threshold (0 = none); forecasts
	// compute their own reorder point.
	ReorderPoint int64     `bun:"reorder_point,notnull" json:"reorder_point"`
	Active       bool      `bun:"active,notnull" json:"active"`
	Version      int64     `bun:"version,notnull" json:"version"`
	CreatedAt    time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// Sale is one sale line. Recording it decrements stock and adds to the
// DailySales rollup in the same transaction; voiding it reverses both.
type Sale struct {
	bun.BaseModel `bun:"table:sales"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	ProductID  int64      `bun:"product_id,notnull" json:"product_id"`
	Quantity   int64      `bun:"quantity,notnull" json:"quantity"`
	UnitPrice  Money      `bun:"unit_price,notnull" json:"unit_price"`
	SoldAt     time.Time  `bun:"sold_at,notnull" json:"sold_at"`
	Channel    string     `bun:"channel,notnull" json:"channel"`
	Note       string     `bun:"note,notnull" json:"note"`
	ExternalID *string    `bun:"external_id" json:"external_id,omitempty"`
	RecordedBy *int64     `bun:"recorded_by" json:"recorded_by"`
	VoidedAt   *time.Time `bun:"voided_at" json:"voided_at,omitempty"`
	VoidedBy   *int64     `bun:"voided_by" json:"voided_by,omitempty"`
	CreatedAt  time.Time  `bun:"created_at,notnull" json:"created_at"`
}

// Revenue is quantity × unit price. Recorded sales are within MaxTotal;
// for any other values Revenue never wraps: it saturates (see
// CheckedRevenue to tell).
func (s *Sale) Revenue() Money {
	r, ok := s.CheckedRevenue()
	if !ok {
		return math.MaxInt64
	}
	return r
}

// CheckedRevenue is quantity × unit price, and false when that is
// negative or above MaxTotal.
func (s *Sale) CheckedRevenue() (Money, bool) { return MulMoney(s.Quantity, s.UnitPrice) }

// MovementKind says why stock changed.
type MovementKind string

// Movement kinds.
const (
	MoveInitial    MovementKind = "initial"
	MoveSale       MovementKind = "sale"
	MoveReceipt    MovementKind = "receipt"
	MoveAdjustment MovementKind = "adjustment"
	MoveReturn     MovementKind = "return"
	MoveVoid       MovementKind = "void"
)

// StockMovement is one entry of the stock ledger: Delta is the change and
// Balance the product's on-hand stock right after it.
type StockMovement struct {
	bun.BaseModel `bun:"table:stock_movements"`

	ID        int64        `bun:"id,pk,autoincrement" json:"id"`
	ProductID int64        `bun:"product_id,notnull" json:"product_id"`
	Kind      MovementKind `bun:"kind,notnull" json:"kind"`
	Delta     int64        `bun:"delta,notnull" json:"delta"`
	Balance   int64        `bun:"balance,notnull" json:"balance"`
	Reason    string       `bun:"reason,notnull" json:"reason"`
	SaleID    *int64       `bun:"sale_id" json:"sale_id,omitempty"`
	UserID    *int64       `bun:"user_id" json:"user_id"`
	CreatedAt time.Time    `bun:"created_at,notnull" json:"created_at"`
}

// DailySales is the per-product, per-day rollup of non-voided sales. Day is
// the UTC date as YYYY-MM-DD.
type DailySales struct {
	bun.BaseModel `bun:"table:daily_sales"`

	ProductID int64  `bun:"product_id,pk" json:"product_id"`
	Day       string `bun:"day,pk" json:"day"`
	Units     int64  `bun:"units,notnull" json:"units"`
	Revenue   Money  `bun:"revenue,notnull" json:"revenue"`
}

// DayLayout is the format of DailySales.Day.
const DayLayout = "2006-01-02"

// Role decides what a user may do. Each role includes the rights of the
// roles below it: viewer < clerk < manager < admin.
type Role string

// Roles.
const (
	RoleViewer  Role = "viewer"
	RoleClerk   Role = "clerk"
	RoleManager Role = "manager"
	RoleAdmin   Role = "admin"
)

// Rank orders roles; an unknown role ranks below viewer.
func (r Role) Rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleClerk:
		return 2
	case RoleManager:
		return 3
	case RoleAdmin:
		return 4
	}
	return 0
}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool { return r.Rank() > 0 }

// User is a person who logs in. PasswordHash is a bcrypt hash.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID       int64  `bun:"id,pk,autoincrement" json:"id"`
	Username string `bun:"username,notnull" json:"username"`
	// UsernameKey is namekey.Key(Username), unique like Product.SKUKey.
	UsernameKey  string `bun:"username_norm,notnull" json:"-"`
	DisplayName  string `bun:"display_name,notnull" json:"display_name"`
	Role         Role   `bun:"role,notnull" json:"role"`
	PasswordHash string `bun:"password_hash,notnull" json:"-"`
	Active       bool   `bun:"active,notnull" json:"active"`
	// Language is the preferred language of the web UI (es, en); empty:
	// the browser's, else the shop's.
	Language    string     `bun:"language,notnull" json:"language"`
	Version     int64      `bun:"version,notnull" json:"version"`
	LastLoginAt *time.Time `bun:"last_login_at" json:"last_login_at"`
	CreatedAt   time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at,notnull" json:"updated_at"`
}

// Session is a signed-in web session. The browser holds a random token;
// only its SHA-256 is stored. CSRFNonce binds the session's CSRF token.
type Session struct {
	bun.BaseModel `bun:"table:web_sessions"`

	TokenHash string    `bun:"token_hash,pk"`
	UserID    int64     `bun:"user_id,notnull"`
	CSRFNonce string    `bun:"csrf_nonce,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// APIToken authenticates API calls as its user. Only the SHA-256 of the
// secret is stored; Prefix (the first characters) helps people tell tokens
// apart.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID     int64      `bun:"user_id,notnull" json:"user_id"`
	Name       string     `bun:"name,notnull" json:"name"`
	Prefix     string     `bun:"prefix,notnull" json:"prefix"`
	TokenHash  string     `bun:"token_hash,notnull" json:"-"`
	CreatedAt  time.Time  `bun:"created_at,notnull" json:"created_at"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"last_used_at"`
	ExpiresAt  *time.Time `bun:"expires_at" json:"expires_at"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"revoked_at"`
}

// AuditEvent records who changed what, with the changed fields before and
// after (JSON objects). Audit rows are only ever inserted.
type AuditEvent struct {
	bun.BaseModel `bun:"table:audit_events"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	UserID     *int64    `bun:"user_id" json:"user_id"`
	Username   string    `bun:"username,notnull" json:"username"`
	Source     string    `bun:"source,notnull" json:"source"`
	Action     string    `bun:"action,notnull" json:"action"`
	EntityType string    `bun:"entity_type,notnull" json:"entity_type"`
	EntityID   int64     `bun:"entity_id,notnull" json:"entity_id"`
	Before     string    `bun:"before,notnull" json:"before,omitempty"`
	After      string    `bun:"after,notnull" json:"after,omitempty"`
	CreatedAt  time.Time `bun:"created_at,notnull" json:"created_at"`
}

// POStatus is the state of a purchase order.
type POStatus string

// Purchase order states: draft → approved → ordered → received, or
// cancelled from any state before received. "partial" means ordered with
// some but not all goods received.
const (
	PODraft     POStatus = "draft"
	POApproved  POStatus = "approved"
	POOrdered   POStatus = "ordered"
	POPartial   POStatus = "partial"
	POReceived  POStatus = "received"
	POCancelled POStatus = "cancelled"
)

// Open reports whether goods of an order in this state are still to come
// (they count as "on order" for restocking).
func (s POStatus) Open() bool {
	return s == PODraft || s == POApproved || s == POOrdered || s == POPartial
}

// PurchaseOrder is an order to one supplier.
type PurchaseOrder struct {
	bun.BaseModel `bun:"table:purchase_orders"`

	ID         int64    `bun:"id,pk,autoincrement" json:"id"`
	SupplierID int64    `bun:"supplier_id,notnull" json:"supplier_id"`
	Status     POStatus `bun:"status,notnull" json:"status"`
	Note       string   `bun:"note,notnull" json:"note"`
	CreatedBy  *int64   `bun:"created_by" json:"created_by"`
	// LinesEditedBy is who last replaced the lines of the draft; for
	// the four-eyes rule they count as a drafter.
	LinesEditedBy *int64     `bun:"lines_edited_by" json:"lines_edited_by"`
	ApprovedBy    *int64     `bun:"approved_by" json:"approved_by"`
	ApprovedAt    *time.Time `bun:"approved_at" json:"approved_at"`
	OrderedAt     *time.Time `bun:"ordered_at" json:"ordered_at"`
	ExpectedAt    *time.Time `bun:"expected_at" json:"expected_at"`
	ReceivedAt    *time.Time `bun:"received_at" json:"received_at"`
	CancelledAt   *time.Time `bun:"cancelled_at" json:"cancelled_at"`
	Version       int64      `bun:"version,notnull" json:"version"`
	CreatedAt     time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at,notnull" json:"updated_at"`

	Lines []*PurchaseOrderLine `bun:"rel:has-many,join:id=order_id" json:"lines"`
}

// Total is the order's value at the lines' unit costs. Stored orders are
// within MaxTotal; for any other lines Total never wraps: it saturates
// (see CheckedTotal to tell).
func (po *PurchaseOrder) Total() Money {
	t, ok := po.CheckedTotal()
	if !ok {
		return math.MaxInt64
	}
	return t
}

// CheckedTotal is the order's value at the lines' unit costs, and false
// when a line or the sum is negative or above MaxTotal.
func (po *PurchaseOrder) CheckedTotal() (Money, bool) {
	var t Money
	for _, l := range po.Lines {
		lt, ok := l.CheckedTotal()
		if !ok {
			return 0, false
		}
		if t, ok = AddMoney(t, lt); !ok {
			return 0, false
		}
	}
	return t, true
}

// PurchaseOrderLine is one product on a purchase order.
type PurchaseOrderLine struct {
	bun.BaseModel `bun:"table:purchase_order_lines"`

	ID          int64 `bun:"id,pk,autoincrement" json:"id"`
	OrderID     int64 `bun:"order_id,notnull" json:"order_id"`
	ProductID   int64 `bun:"product_id,notnull" json:"product_id"`
	Quantity    int64 `bun:"quantity,notnull" json:"quantity"`
	ReceivedQty int64 `bun:"received_qty,notnull" json:"received_qty"`
	UnitCost    Money `bun:"unit_cost,notnull" json:"unit_cost"`
}

// CheckedTotal is quantity × unit cost, and false when that is negative
// or above MaxTotal.
func (l *PurchaseOrderLine) CheckedTotal() (Money, bool) { return MulMoney(l.Quantity, l.UnitCost) }

// Total is quantity × unit cost, saturating like PurchaseOrder.Total.
func (l *PurchaseOrderLine) Total() Money {
	t, ok := l.CheckedTotal()
	if !ok {
		return math.MaxInt64
	}
	return t
}

// Outstanding is what is still to be received.
func (l *PurchaseOrderLine) Outstanding() int64 { return max(l.Quantity-l.ReceivedQty, 0) }

// Forecast is the cached demand forecast of one product, computed by the
// forecast batch. Payload holds the encoded forecast.Forecast (points,
// quantiles and error distribution); the other columns summarise it for
// lists and staleness checks.
type Forecast struct {
	bun.BaseModel `bun:"table:forecasts"`

	ProductID     int64     `bun:"product_id,pk" json:"product_id"`
	ComputedAt    time.Time `bun:"computed_at,notnull" json:"computed_at"`
	DataThrough   string    `bun:"data_through,notnull" json:"data_through"` // last day of history used (YYYY-MM-DD)
	Method        string    `bun:"method,notnull" json:"method"`
	Params        string    `bun:"params,notnull" json:"params"`
	DemandClass   string    `bun:"demand_class,notnull" json:"demand_class"`
	Horizon       int       `bun:"horizon,notnull" json:"horizon"`
	RMSSE         float64   `bun:"rmsse,notnull" json:"rmsse"`
	MASE          float64   `bun:"mase,notnull" json:"mase"`
	Bias          float64   `bun:"bias,notnull" json:"bias"`
	BaselineRMSSE float64   `bun:"baseline_rmsse,notnull" json:"baseline_rmsse"`
	BaselineMASE  float64   `bun:"baseline_mase,notnull" json:"baseline_mase"`
	Payload       string    `bun:"payload,notnull" json:"-"`
}

// Setting is a shop-wide setting (key → value as text), shared by every
// server process.
type Setting struct {
	bun.BaseModel `bun:"table:settings"`

	Key       string    `bun:"key,pk" json:"key"`
	Value     string    `bun:"value,notnull" json:"value"`
	UpdatedAt time.Time `bun:"updated_at,notnull" json:"updated_at"`
	UpdatedBy *int64    `bun:"updated_by" json:"updated_by"`
}

// Comment is a note someone left on a purchase order or on a product's
// restock suggestion ("waiting for supplier price").
type Comment struct {
	bun.BaseModel `bun:"table:comments"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	EntityType string    `bun:"entity_type,notnull" json:"entity_type"` // purchase_order or product
	EntityID   int64     `bun:"entity_id,notnull" json:"entity_id"`
	UserID     *int64    `bun:"user_id" json:"user_id"`
	Username   string    `bun:"username,notnull" json:"username"`
	Body       string    `bun:"body,notnull" json:"body"`
	CreatedAt  time.Time `bun:"created_at,notnull" json:"created_at"`
}

var (
	_ bun.BeforeAppendModelHook = (*Product)(nil)
	_ bun.BeforeAppendModelHook = (*User)(nil)
)

// BeforeAppendModel keeps SKUKey in step with SKU on every insert and update.
func (p *Product) BeforeAppendModel(_ context.Context, q bun.Query) error {
	switch q.(type) {
	case *bun.InsertQuery, *bun.UpdateQuery:
		p.SKUKey = namekey.Key(p.SKU)
	}
	return nil
}

// BeforeAppendModel keeps UsernameKey in step with Username on every
// insert and update.
func (u *User) BeforeAppendModel(_ context.Context, q bun.Query) error {
	switch q.(type) {
	case *bun.InsertQuery, *bun.UpdateQuery:
		u.UsernameKey = namekey.Key(u.Username)
	}
	return nil
}
