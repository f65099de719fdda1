package api

import "time"

// Sale is one sale line; recording it took Quantity off the product's
// stock.
type Sale struct {
	ID         int64      `json:"id"`
	ProductID  int64      `json:"product_id"`
	Quantity   int64      `json:"quantity"`
	UnitPrice  Money      `json:"unit_price"`
	SoldAt     time.Time  `json:"sold_at"`
	Channel    string     `json:"channel"`
	Note       string     `json:"note"`
	ExternalID *string    `json:"external_id,omitempty"`
	RecordedBy *int64     `json:"recorded_by"`
	VoidedAt   *time.Time `json:"voided_at,omitempty"`
	VoidedBy   *int64     `json:"voided_by,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
}

// SaleInput is one sale line (POST /sales, a line of POST /sales/batch).
// The product is named by ProductID or SKU.
type SaleInput struct {
	ProductID  *int64     `json:"product_id,omitempty"`
	SKU        *string    `json:"sku,omitempty"`
	Quantity   *int64     `json:"quantity,omitempty"`
	UnitPrice  *Money     `json:"unit_price,omitempty"` // default: the product's price
	SoldAt     *time.Time `json:"sold_at,omitempty"`    // default: now
	Channel    string     `json:"channel"`
	Note       string     `json:"note"`
	ExternalID *string    `json:"external_id,omitempty"` // optional idempotency key
}

// SaleResult is a recorded (or voided) sale with its product's stock right
// after it.
type SaleResult struct {
	Sale  Sale  `json:"sale"`
	Stock int64 `json:"stock"`
}

// BatchRequest is the body of POST /sales/batch: every line is recorded,
// or none.
type BatchRequest struct {
	Lines []SaleInput `json:"lines"`
}

// BatchResult answers POST /sales/batch: every recorded line, in order.
type BatchResult struct {
	Count int          `json:"count"`
	Items []SaleResult `json:"items"`
}

// VoidRequest is the optional body of POST /sales/{id}/void.
type VoidRequest struct {
	Reason string `json:"reason"`
}

// StockMovement is one entry of the stock ledger: Delta is the change and
// Balance the product's on-hand stock right after it. Kind is initial,
// sale, receipt, adjustment, return or void.
type StockMovement struct {
	ID        int64     `json:"id"`
	ProductID int64     `json:"product_id"`
	Kind      string    `json:"kind"`
	Delta     int64     `json:"delta"`
	Balance   int64     `json:"balance"`
	Reason    string    `json:"reason"`
	SaleID    *int64    `json:"sale_id,omitempty"`
	UserID    *int64    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
}

// AdjustmentInput changes a product's stock by Delta for a Reason (POST
// /stock-adjustments). Kind is "adjustment" (default) or "return".
type AdjustmentInput struct {
	ProductID *int64  `json:"product_id,omitempty"`
	SKU       *string `json:"sku,omitempty"`
	Delta     *int64  `json:"delta,omitempty"`
	Reason    string  `json:"reason"`
	Kind      string  `json:"kind"`
}

// ReceiptInput adds received goods to stock (POST /stock-receipts).
type ReceiptInput struct {
	ProductID *int64  `json:"product_id,omitempty"`
	SKU       *string `json:"sku,omitempty"`
	Quantity  *int64  `json:"quantity,omitempty"`
	Reason    string  `json:"reason"` // e.g. a delivery note or order number
}
