package api

import "time"

// Category groups products (e.g. "Beverages").
type Category struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Supplier delivers products. LeadTimeDays is the default time from order
// to receipt for its products.
type Supplier struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	ContactName  string    `json:"contact_name"`
	Email        string    `json:"email"`
	Phone        string    `json:"phone"`
	LeadTimeDays int       `json:"lead_time_days"`
	Notes        string    `json:"notes"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Product is a stock-keeping unit. Stock is the on-hand quantity; Version
// increases on every catalogue edit (send it back with a change).
type Product struct {
	ID           int64    `json:"id"`
	SKU          string   `json:"sku"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	CategoryID   *int64   `json:"category_id"`
	SupplierID   *int64   `json:"supplier_id"`
	UnitCost     Money    `json:"unit_cost"`
	UnitPrice    Money    `json:"unit_price"`
	Stock        int64    `json:"stock"`
	PackSize     int      `json:"pack_size"`
	MinOrderQty  int      `json:"min_order_qty"`
	LeadTimeDays *int     `json:"lead_time_days"`
	ServiceLevel *float64 `json:"service_level"`
	// ReorderPoint is a manual low-stock threshold (0 = none).
	ReorderPoint int64     `json:"reorder_point"`
	Active       bool      `json:"active"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// ProductInput creates or changes a product (POST, PATCH, PUT /products).
// Absent fields keep their value (or default on create); the Nullable ones
// may be cleared with Null. Version is required on update.
type ProductInput struct {
	SKU          *string           `json:"sku,omitempty"`
	Name         *string           `json:"name,omitempty"`
	Description  *string           `json:"description,omitempty"`
	CategoryID   Nullable[int64]   `json:"category_id,omitzero"`
	SupplierID   Nullable[int64]   `json:"supplier_id,omitzero"`
	UnitCost     *Money            `json:"unit_cost,omitempty"`
	UnitPrice    *Money            `json:"unit_price,omitempty"`
	Stock        *int64            `json:"stock,omitempty"` // initial on-hand stock; create only
	PackSize     *int              `json:"pack_size,omitempty"`
	MinOrderQty  *int              `json:"min_order_qty,omitempty"`
	LeadTimeDays Nullable[int]     `json:"lead_time_days,omitzero"`
	ServiceLevel Nullable[float64] `json:"service_level,omitzero"`
	ReorderPoint *int64            `json:"reorder_point,omitempty"`
	Active       *bool             `json:"active,omitempty"`
	Version      *int64            `json:"version,omitempty"`
}

// CategoryInput creates or changes a category; Version is required on
// update.
type CategoryInput struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Version     *int64  `json:"version,omitempty"`
}

// SupplierInput creates or changes a supplier; Version is required on
// update.
type SupplierInput struct {
	Name         *string `json:"name,omitempty"`
	ContactName  *string `json:"contact_name,omitempty"`
	Email        *string `json:"email,omitempty"`
	Phone        *string `json:"phone,omitempty"`
	LeadTimeDays *int    `json:"lead_time_days,omitempty"`
	Notes        *string `json:"notes,omitempty"`
	Version      *int64  `json:"version,omitempty"`
}

// DeleteResult answers DELETE /products/{id}: a product without history is
// deleted, one with history is deactivated instead.
type DeleteResult struct {
	Deleted     bool `json:"deleted"`
	Deactivated bool `json:"deactivated"`
}

// User is a person who logs in (GET /me, /users).
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        string     `json:"role"` // viewer, clerk, manager or admin
	Active      bool       `json:"active"`
	Language    string     `json:"language"` // preferred UI language: es, en or "" (the browser's, else the shop's)
	Version     int64      `json:"version"`
	LastLoginAt *time.Time `json:"last_login_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}
