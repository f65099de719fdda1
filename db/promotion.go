package db

import (
	"time"

	"github.com/uptrace/bun"
)

// Promotion is a promotion of one product (ProductID) or of every product
// of a category (CategoryID): exactly one of the two is set. It runs from
// FirstDay to LastDay, both included, shop-local days as YYYY-MM-DD. It
// sells at Price or at PercentOff off the regular price (exactly one of
// the two is set). Display, Feature and Coupon say how it is advertised
// (in-store display, feature ad, coupon). Version increases on every edit.
type Promotion struct {
	bun.BaseModel `bun:"table:promotions"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	ProductID  *int64    `bun:"product_id" json:"product_id"`
	CategoryID *int64    `bun:"category_id" json:"category_id"`
	FirstDay   string    `bun:"first_day,notnull" json:"first_day"`
	LastDay    string    `bun:"last_day,notnull" json:"last_day"`
	Price      *Money    `bun:"price" json:"price"`
	PercentOff *float64  `bun:"percent_off" json:"percent_off"`
	Display    bool      `bun:"display,notnull" json:"display"`
	Feature    bool      `bun:"feature,notnull" json:"feature"`
	Coupon     bool      `bun:"coupon,notnull" json:"coupon"`
	Note       string    `bun:"note,notnull" json:"note"`
	Version    int64     `bun:"version,notnull" json:"version"`
	CreatedAt  time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// PlannedPrice is a future list price of a product: on Day (shop-local,
// YYYY-MM-DD) the product's unit price becomes UnitPrice. AppliedAt is
// when that happened (nil: not yet).
type PlannedPrice struct {
	bun.BaseModel `bun:"table:planned_prices"`

	ID        int64      `bun:"id,pk,autoincrement" json:"id"`
	ProductID int64      `bun:"product_id,notnull" json:"product_id"`
	Day       string     `bun:"day,notnull" json:"day"`
	UnitPrice Money      `bun:"unit_price,notnull" json:"unit_price"`
	Note      string     `bun:"note,notnull" json:"note"`
	AppliedAt *time.Time `bun:"applied_at" json:"applied_at"`
	CreatedAt time.Time  `bun:"created_at,notnull" json:"created_at"`
}
