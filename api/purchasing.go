package api

import "time"

// PurchaseOrder is an order to one supplier, with its lines. Status is
// draft, approved, ordered, partial, received or cancelled.
type PurchaseOrder struct {
	ID            int64      `json:"id"`
	SupplierID    int64      `json:"supplier_id"`
	Status        string     `json:"status"`
	Note          string     `json:"note"`
	CreatedBy     *int64     `json:"created_by"`
	LinesEditedBy *int64     `json:"lines_edited_by"`
	ApprovedBy    *int64     `json:"approved_by"`
	ApprovedAt    *time.Time `json:"approved_at"`
	OrderedAt     *time.Time `json:"ordered_at"`
	ExpectedAt    *time.Time `json:"expected_at"`
	ReceivedAt    *time.Time `json:"received_at"`
	CancelledAt   *time.Time `json:"cancelled_at"`
	Version       int64      `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`

	Lines []*PurchaseOrderLine `json:"lines"`
}

// PurchaseOrderLine is one product on a purchase order.
type PurchaseOrderLine struct {
	ID          int64 `json:"id"`
	OrderID     int64 `json:"order_id"`
	ProductID   int64 `json:"product_id"`
	Quantity    int64 `json:"quantity"`
	ReceivedQty int64 `json:"received_qty"`
	UnitCost    Money `json:"unit_cost"`
}

// POInput drafts an order, or replaces a draft's lines and note; Version
// is required on update.
type POInput struct {
	SupplierID *int64        `json:"supplier_id,omitempty"`
	Note       *string       `json:"note,omitempty"`
	Lines      []POLineInput `json:"lines"`
	Version    *int64        `json:"version,omitempty"`
}

// POLineInput is one product and quantity on an order. UnitCost defaults
// to the product's unit cost.
type POLineInput struct {
	ProductID *int64 `json:"product_id,omitempty"`
	Quantity  *int64 `json:"quantity,omitempty"`
	UnitCost  *Money `json:"unit_cost,omitempty"`
}

// ReceiveInput receives goods against an order's lines, by product (POST
// /purchase-orders/{id}/receive).
type ReceiveInput struct {
	Lines []ReceiveLine `json:"lines"`
}

// ReceiveLine is a quantity of one product received.
type ReceiveLine struct {
	ProductID *int64 `json:"product_id,omitempty"`
	Quantity  *int64 `json:"quantity,omitempty"`
}

// OrderRequest is the optional body of POST /purchase-orders/{id}/order.
type OrderRequest struct {
	// ExpectedAt is the expected delivery: an RFC 3339 time or a
	// YYYY-MM-DD date (midnight UTC). Default: now + the supplier's lead time.
	ExpectedAt *string `json:"expected_at"`
}

// FromSuggestionsInput says which restock suggestions to turn into draft
// purchase orders (POST /purchase-orders/from-suggestions).
type FromSuggestionsInput struct {
	// Lines are the chosen products. Empty means every current suggestion
	// with a quantity (products without a supplier are then left out).
	Lines []SuggestedLine `json:"lines"`
	// SupplierID, when set, keeps only this supplier's products.
	SupplierID *int64 `json:"supplier_id,omitempty"`
	// Note goes on every draft (default: "Drafted from restock suggestions.").
	Note *string `json:"note,omitempty"`
}

// SuggestedLine is one product of FromSuggestionsInput, with the quantity
// to order (default: the suggested one).
type SuggestedLine struct {
	ProductID *int64 `json:"product_id,omitempty"`
	Quantity  *int64 `json:"quantity,omitempty"`
}

// DraftList answers POST /purchase-orders/from-suggestions: the drafts
// created, none when open orders already cover every suggestion.
type DraftList struct {
	Items []PurchaseOrder `json:"items"`
	Total int             `json:"total"`
}
