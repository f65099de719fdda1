package api

import "time"

// Promotion is a promotion of one product (ProductID) or of every product
// of a category (CategoryID), from FirstDay to LastDay (YYYY-MM-DD, both
// included) at Price or PercentOff off (exactly one of each pair is set).
type Promotion struct {
	ID         int64     `json:"id"`
	ProductID  *int64    `json:"product_id"`
	CategoryID *int64    `json:"category_id"`
	FirstDay   string    `json:"first_day"`
	LastDay    string    `json:"last_day"`
	Price      *Money    `json:"price"`
	PercentOff *float64  `json:"percent_off"`
	Display    bool      `json:"display"`
	Feature    bool      `json:"feature"`
	Coupon     bool      `json:"coupon"`
	Note       string    `json:"note"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// PromotionInput creates or changes a promotion (POST, PATCH /promotions).
// Setting ProductID clears CategoryID and the other way round; setting
// Price clears PercentOff and the other way round. Version is required on
// update.
type PromotionInput struct {
	ProductID  *int64   `json:"product_id,omitempty"`
	CategoryID *int64   `json:"category_id,omitempty"`
	FirstDay   *string  `json:"first_day,omitempty"`
	LastDay    *string  `json:"last_day,omitempty"`
	Price      *Money   `json:"price,omitempty"`
	PercentOff *float64 `json:"percent_off,omitempty"`
	Display    *bool    `json:"display,omitempty"`
	Feature    *bool    `json:"feature,omitempty"`
	Coupon     *bool    `json:"coupon,omitempty"`
	Note       *string  `json:"note,omitempty"`
	Version    *int64   `json:"version,omitempty"`
}

// PlannedPrice is a product's list price from Day (YYYY-MM-DD) on;
// AppliedAt is when the product's unit price changed to it (nil: not yet).
type PlannedPrice struct {
	ID        int64      `json:"id"`
	ProductID int64      `json:"product_id"`
	Day       string     `json:"day"`
	UnitPrice Money      `json:"unit_price"`
	Note      string     `json:"note"`
	AppliedAt *time.Time `json:"applied_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// PlannedPriceInput plans a product's list price from a day after today
// (POST /products/{id}/planned-prices).
type PlannedPriceInput struct {
	Day       *string `json:"day,omitempty"`
	UnitPrice *Money  `json:"unit_price,omitempty"`
	Note      *string `json:"note,omitempty"`
}
