package client

import (
	"context"
	"net/url"

	"smartinventory/api"
)

// Promotions returns a page of promotions by first day (GET /promotions).
func (c *Client) Promotions(ctx context.Context, f PromotionFilter) (*Page[api.Promotion], error) {
	q := url.Values{}
	setID(q, "product_id", f.ProductID)
	setID(q, "category_id", f.CategoryID)
	setStr(q, "from", f.From)
	setStr(q, "to", f.To)
	pagination(q, f.Limit, f.Offset)
	p := new(Page[api.Promotion])
	return p, c.do(ctx, "GET", "/promotions", q, nil, p)
}

// Promotion returns one promotion (GET /promotions/{id}).
func (c *Client) Promotion(ctx context.Context, id int64) (*api.Promotion, error) {
	v := new(api.Promotion)
	return v, c.do(ctx, "GET", idPath("promotions", id), nil, nil, v)
}

// CreatePromotion plans a promotion (POST /promotions); one overlapping
// another promotion of the same products is a conflict.
func (c *Client) CreatePromotion(ctx context.Context, in api.PromotionInput) (*api.Promotion, error) {
	v := new(api.Promotion)
	return v, c.do(ctx, "POST", "/promotions", nil, in, v)
}

// UpdatePromotion changes a promotion (PATCH /promotions/{id}); in.Version
// must be current.
func (c *Client) UpdatePromotion(ctx context.Context, id int64, in api.PromotionInput) (*api.Promotion, error) {
	v := new(api.Promotion)
	return v, c.do(ctx, "PATCH", idPath("promotions", id), nil, in, v)
}

// DeletePromotion deletes a promotion (DELETE /promotions/{id}).
func (c *Client) DeletePromotion(ctx context.Context, id int64) error {
	return c.do(ctx, "DELETE", idPath("promotions", id), nil, nil, nil)
}

// PlannedPrices returns a page of planned prices (GET /planned-prices).
func (c *Client) PlannedPrices(ctx context.Context, f PlannedPriceFilter) (*Page[api.PlannedPrice], error) {
	q := url.Values{}
	setID(q, "product_id", f.ProductID)
	if f.Pending {
		q.Set("pending", "true")
	}
	pagination(q, f.Limit, f.Offset)
	p := new(Page[api.PlannedPrice])
	return p, c.do(ctx, "GET", "/planned-prices", q, nil, p)
}

// PlanPrice plans a product's list price (POST /products/{id}/planned-prices).
func (c *Client) PlanPrice(ctx context.Context, productID int64, in api.PlannedPriceInput) (*api.PlannedPrice, error) {
	v := new(api.PlannedPrice)
	return v, c.do(ctx, "POST", idPath("products", productID, "/planned-prices"), nil, in, v)
}

// CancelPlannedPrice cancels a planned price not applied yet (DELETE
// /planned-prices/{id}).
func (c *Client) CancelPlannedPrice(ctx context.Context, id int64) error {
	return c.do(ctx, "DELETE", idPath("planned-prices", id), nil, nil, nil)
}
