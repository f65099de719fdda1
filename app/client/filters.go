package client

import "time"

// The filters below are the query parameters of the list endpoints. They
// have the fields of the server's own filters (app.ProductFilter, …), in
// the same order with the same types, so the command line converts one
// into the other with a plain conversion, which stops compiling when they
// differ.

// ProductFilter selects and orders products (GET /products).
type ProductFilter struct {
	Query      string // substring of SKU or name, case-insensitive
	CategoryID int64
	SupplierID int64
	LowStock   bool   // stock at or below the product's reorder point
	Active     string // "true" (default), "false" or "all"
	Sort       string // sku, name, stock, unit_price, unit_cost, created_at, updated_at, id; "-" prefix = descending
	Limit      int
	Offset     int
}

// NameFilter selects categories or suppliers by a name substring.
type NameFilter struct {
	Query  string
	Sort   string // name, created_at, updated_at, id (and lead_time_days for suppliers); "-" = descending
	Limit  int
	Offset int
}

// SaleFilter selects sales (GET /sales).
type SaleFilter struct {
	ProductID int64
	From, To  time.Time // sold_at in [From, To)
	Voided    string    // "false" (default: only valid sales), "true", "all"
	Limit     int
	Offset    int
}

// MovementFilter selects stock movements (GET /stock-movements).
type MovementFilter struct {
	ProductID int64
	Kind      string
	Limit     int
	Offset    int
}

// RestockFilter selects restock suggestions (GET /restock).
type RestockFilter struct {
	SupplierID int64
	Urgency    string // overdue, this_week, later; empty = all with a quantity
	All        bool   // include products that need no order
}

// TrendFilter selects and orders trends (GET /analytics/trends).
type TrendFilter struct {
	CategoryID int64
	SupplierID int64
	Class      string // demand class: smooth, erratic, intermittent, lumpy, …
	ABC        string // A, B or C
	XYZ        string // X, Y or Z
	Mover      string // fast, slow, normal, none
	Dead       bool   // only dead stock
	Excess     bool   // only excess stock
	Sort       string // revenue_30d (default, descending), units_30d, velocity_change, days_of_cover, dead_value, sku; "-" flips
	Limit      int
	Offset     int
}

// OrderFilter selects purchase orders (GET /purchase-orders).
type OrderFilter struct {
	Status     string // a purchase order status, or "open"
	SupplierID int64
	Limit      int
	Offset     int
}

// PromotionFilter selects promotions (GET /promotions).
type PromotionFilter struct {
	ProductID  int64 // the promotions covering it: its own and its category's
	CategoryID int64
	From, To   string // YYYY-MM-DD: running on at least one day between them
	Limit      int
	Offset     int
}

// PlannedPriceFilter selects planned prices (GET /planned-prices).
type PlannedPriceFilter struct {
	ProductID int64
	Pending   bool // only those not applied yet
	Limit     int
	Offset    int
}
