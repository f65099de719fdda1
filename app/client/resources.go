package client

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"smartinventory/api"
)

// Page is one page of a list endpoint: the items, the total that match the
// filter, and the limit and offset used.
type Page[T any] = api.Page[T]

// pagination adds limit and offset to q when set.
func pagination(q url.Values, limit, offset int) {
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
}

// setID adds a positive id parameter.
func setID(q url.Values, name string, id int64) {
	if id > 0 {
		q.Set(name, strconv.FormatInt(id, 10))
	}
}

// setStr adds a non-empty parameter.
func setStr(q url.Values, name, v string) {
	if v != "" {
		q.Set(name, v)
	}
}

// idPath returns "/resource/ID" plus any suffix.
func idPath(resource string, id int64, suffix ...string) string {
	return "/" + resource + "/" + strconv.FormatInt(id, 10) + strings.Join(suffix, "")
}

// Me returns the user the token belongs to (GET /me).
func (c *Client) Me(ctx context.Context) (*api.User, error) {
	u := new(api.User)
	return u, c.do(ctx, "GET", "/me", nil, nil, u)
}

// Products returns a page of products (GET /products). The zero filter
// lists the first page of active products by SKU.
func (c *Client) Products(ctx context.Context, f ProductFilter) (*Page[api.Product], error) {
	q := url.Values{}
	setStr(q, "q", f.Query)
	setID(q, "category_id", f.CategoryID)
	setID(q, "supplier_id", f.SupplierID)
	if f.LowStock {
		q.Set("low_stock", "true")
	}
	setStr(q, "active", f.Active)
	setStr(q, "sort", f.Sort)
	pagination(q, f.Limit, f.Offset)
	p := new(Page[api.Product])
	return p, c.do(ctx, "GET", "/products", q, nil, p)
}

// Product returns one product (GET /products/{id}).
func (c *Client) Product(ctx context.Context, id int64) (*api.Product, error) {
	p := new(api.Product)
	return p, c.do(ctx, "GET", idPath("products", id), nil, nil, p)
}

// ProductBySKU returns the product, active or not, whose SKU is exactly
// sku. The API has no lookup by SKU, so it searches with ?q= and keeps the
// exact match; none is an *Error with code api.ENOTFOUND and the message
// the server's own lookup gives.
func (c *Client) ProductBySKU(ctx context.Context, sku string) (*api.Product, error) {
	f := ProductFilter{Query: sku, Active: "all", Sort: "sku", Limit: api.MaxPageSize}
	for {
		page, err := c.Products(ctx, f)
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			if page.Items[i].SKU == sku {
				return &page.Items[i], nil
			}
		}
		f.Offset += len(page.Items)
		if len(page.Items) == 0 || f.Offset >= page.Total {
			break
		}
	}
	return nil, &Error{Status: 404, Title: "Not Found", Code: api.ENOTFOUND,
		Detail: fmt.Sprintf("Product with SKU %q not found.", sku)}
}

// CreateProduct creates a product (POST /products).
func (c *Client) CreateProduct(ctx context.Context, in api.ProductInput) (*api.Product, error) {
	p := new(api.Product)
	return p, c.do(ctx, "POST", "/products", nil, in, p)
}

// UpdateProduct changes the fields set in in (PATCH /products/{id});
// in.Version must be the product's current version, else the result is an
// *Error with code api.ECONFLICT.
func (c *Client) UpdateProduct(ctx context.Context, id int64, in api.ProductInput) (*api.Product, error) {
	p := new(api.Product)
	return p, c.do(ctx, "PATCH", idPath("products", id), nil, in, p)
}

// DeleteProduct deletes a product without history, or deactivates one with
// history (DELETE /products/{id}); deleted tells which.
func (c *Client) DeleteProduct(ctx context.Context, id int64) (deleted bool, err error) {
	var res api.DeleteResult
	if err := c.do(ctx, "DELETE", idPath("products", id), nil, nil, &res); err != nil {
		return false, err
	}
	return res.Deleted, nil
}

// nameQuery encodes the filter of the category and supplier lists.
func nameQuery(f NameFilter) url.Values {
	q := url.Values{}
	setStr(q, "q", f.Query)
	setStr(q, "sort", f.Sort)
	pagination(q, f.Limit, f.Offset)
	return q
}

// Categories returns a page of categories (GET /categories).
func (c *Client) Categories(ctx context.Context, f NameFilter) (*Page[api.Category], error) {
	p := new(Page[api.Category])
	return p, c.do(ctx, "GET", "/categories", nameQuery(f), nil, p)
}

// Category returns one category (GET /categories/{id}).
func (c *Client) Category(ctx context.Context, id int64) (*api.Category, error) {
	v := new(api.Category)
	return v, c.do(ctx, "GET", idPath("categories", id), nil, nil, v)
}

// CreateCategory creates a category (POST /categories).
func (c *Client) CreateCategory(ctx context.Context, in api.CategoryInput) (*api.Category, error) {
	v := new(api.Category)
	return v, c.do(ctx, "POST", "/categories", nil, in, v)
}

// UpdateCategory changes a category (PATCH /categories/{id}); in.Version
// must be current.
func (c *Client) UpdateCategory(ctx context.Context, id int64, in api.CategoryInput) (*api.Category, error) {
	v := new(api.Category)
	return v, c.do(ctx, "PATCH", idPath("categories", id), nil, in, v)
}

// DeleteCategory deletes a category; one in use is a conflict.
func (c *Client) DeleteCategory(ctx context.Context, id int64) error {
	return c.do(ctx, "DELETE", idPath("categories", id), nil, nil, nil)
}

// Suppliers returns a page of suppliers (GET /suppliers).
func (c *Client) Suppliers(ctx context.Context, f NameFilter) (*Page[api.Supplier], error) {
	p := new(Page[api.Supplier])
	return p, c.do(ctx, "GET", "/suppliers", nameQuery(f), nil, p)
}

// Supplier returns one supplier (GET /suppliers/{id}).
func (c *Client) Supplier(ctx context.Context, id int64) (*api.Supplier, error) {
	v := new(api.Supplier)
	return v, c.do(ctx, "GET", idPath("suppliers", id), nil, nil, v)
}

// CreateSupplier creates a supplier (POST /suppliers).
func (c *Client) CreateSupplier(ctx context.Context, in api.SupplierInput) (*api.Supplier, error) {
	v := new(api.Supplier)
	return v, c.do(ctx, "POST", "/suppliers", nil, in, v)
}

// UpdateSupplier changes a supplier (PATCH /suppliers/{id}); in.Version
// must be current.
func (c *Client) UpdateSupplier(ctx context.Context, id int64, in api.SupplierInput) (*api.Supplier, error) {
	v := new(api.Supplier)
	return v, c.do(ctx, "PATCH", idPath("suppliers", id), nil, in, v)
}

// DeleteSupplier deletes a supplier; one in use is a conflict.
func (c *Client) DeleteSupplier(ctx context.Context, id int64) error {
	return c.do(ctx, "DELETE", idPath("suppliers", id), nil, nil, nil)
}

// RecordSale records one sale (POST /sales); not enough stock is a
// conflict and nothing is recorded.
func (c *Client) RecordSale(ctx context.Context, in api.SaleInput) (*api.SaleResult, error) {
	v := new(api.SaleResult)
	return v, c.do(ctx, "POST", "/sales", nil, in, v)
}

// RecordSales records every line or none (POST /sales/batch); field
// errors carry the zero-based index of their line.
func (c *Client) RecordSales(ctx context.Context, lines []api.SaleInput) ([]api.SaleResult, error) {
	var res api.BatchResult
	if err := c.do(ctx, "POST", "/sales/batch", nil, api.BatchRequest{Lines: lines}, &res); err != nil {
		return nil, err
	}
	return res.Items, nil
}

// Sales returns a page of sales, newest first (GET /sales). f.To is
// exclusive.
func (c *Client) Sales(ctx context.Context, f SaleFilter) (*Page[api.Sale], error) {
	q := url.Values{}
	setID(q, "product_id", f.ProductID)
	if !f.From.IsZero() {
		q.Set("from", f.From.UTC().Format(time.RFC3339Nano))
	}
	if !f.To.IsZero() {
		q.Set("to", f.To.UTC().Format(time.RFC3339Nano))
	}
	setStr(q, "voided", f.Voided)
	pagination(q, f.Limit, f.Offset)
	p := new(Page[api.Sale])
	return p, c.do(ctx, "GET", "/sales", q, nil, p)
}

// Sale returns one sale (GET /sales/{id}).
func (c *Client) Sale(ctx context.Context, id int64) (*api.Sale, error) {
	v := new(api.Sale)
	return v, c.do(ctx, "GET", idPath("sales", id), nil, nil, v)
}

// VoidSale voids a sale and puts its units back in stock (POST
// /sales/{id}/void); voiding twice is a conflict.
func (c *Client) VoidSale(ctx context.Context, id int64, reason string) (*api.SaleResult, error) {
	v := new(api.SaleResult)
	return v, c.do(ctx, "POST", idPath("sales", id, "/void"), nil, api.VoidRequest{Reason: reason}, v)
}

// Movements returns a page of stock movements, newest first (GET
// /stock-movements).
func (c *Client) Movements(ctx context.Context, f MovementFilter) (*Page[api.StockMovement], error) {
	q := url.Values{}
	setID(q, "product_id", f.ProductID)
	setStr(q, "kind", f.Kind)
	pagination(q, f.Limit, f.Offset)
	p := new(Page[api.StockMovement])
	return p, c.do(ctx, "GET", "/stock-movements", q, nil, p)
}

// Adjust changes a product's stock (POST /stock-adjustments); the
// movement's Balance is the new stock. Going below zero is a conflict.
func (c *Client) Adjust(ctx context.Context, in api.AdjustmentInput) (*api.StockMovement, error) {
	v := new(api.StockMovement)
	return v, c.do(ctx, "POST", "/stock-adjustments", nil, in, v)
}

// Receive adds received goods to stock (POST /stock-receipts).
func (c *Client) Receive(ctx context.Context, in api.ReceiptInput) (*api.StockMovement, error) {
	v := new(api.StockMovement)
	return v, c.do(ctx, "POST", "/stock-receipts", nil, in, v)
}

// ForecastOptions choose the forecast of GET /products/{id}/forecast.
type ForecastOptions struct {
	Horizon int    // days, 1-365; 0 = the server's default (30)
	Model   string // "auto" (default: the cached forecast) or a method name
}

// Forecast returns a product's demand forecast (GET
// /products/{id}/forecast).
func (c *Client) Forecast(ctx context.Context, productID int64, o ForecastOptions) (*api.ForecastResponse, error) {
	q := url.Values{}
	if o.Horizon > 0 {
		q.Set("horizon", strconv.Itoa(o.Horizon))
	}
	setStr(q, "model", o.Model)
	v := new(api.ForecastResponse)
	return v, c.do(ctx, "GET", idPath("products", productID, "/forecast"), q, nil, v)
}

// Restock returns the restock suggestions, most urgent first (GET /restock).
func (c *Client) Restock(ctx context.Context, f RestockFilter) ([]api.RestockLine, error) {
	q := url.Values{}
	setID(q, "supplier_id", f.SupplierID)
	setStr(q, "urgency", f.Urgency)
	if f.All {
		q.Set("all", "true")
	}
	var res api.RestockList
	if err := c.do(ctx, "GET", "/restock", q, nil, &res); err != nil {
		return nil, err
	}
	return res.Items, nil
}

// Trends returns a page of product trends (GET /analytics/trends).
func (c *Client) Trends(ctx context.Context, f TrendFilter) (*Page[api.ProductTrend], error) {
	q := url.Values{}
	setID(q, "category_id", f.CategoryID)
	setID(q, "supplier_id", f.SupplierID)
	setStr(q, "class", f.Class)
	setStr(q, "abc", f.ABC)
	setStr(q, "xyz", f.XYZ)
	setStr(q, "mover", f.Mover)
	if f.Dead {
		q.Set("dead", "true")
	}
	if f.Excess {
		q.Set("excess", "true")
	}
	setStr(q, "sort", f.Sort)
	pagination(q, f.Limit, f.Offset)
	p := new(Page[api.ProductTrend])
	return p, c.do(ctx, "GET", "/analytics/trends", q, nil, p)
}

// Orders returns a page of purchase orders with their lines, newest first
// (GET /purchase-orders).
func (c *Client) Orders(ctx context.Context, f OrderFilter) (*Page[api.PurchaseOrder], error) {
	q := url.Values{}
	setStr(q, "status", f.Status)
	setID(q, "supplier_id", f.SupplierID)
	pagination(q, f.Limit, f.Offset)
	p := new(Page[api.PurchaseOrder])
	return p, c.do(ctx, "GET", "/purchase-orders", q, nil, p)
}

// Order returns one purchase order with its lines.
func (c *Client) Order(ctx context.Context, id int64) (*api.PurchaseOrder, error) {
	v := new(api.PurchaseOrder)
	return v, c.do(ctx, "GET", idPath("purchase-orders", id), nil, nil, v)
}

// CreateOrder drafts a purchase order (POST /purchase-orders).
func (c *Client) CreateOrder(ctx context.Context, in api.POInput) (*api.PurchaseOrder, error) {
	v := new(api.PurchaseOrder)
	return v, c.do(ctx, "POST", "/purchase-orders", nil, in, v)
}

// DraftOrdersFromSuggestions drafts one order per supplier from the restock
// suggestions (POST /purchase-orders/from-suggestions); none when open
// orders already cover every suggestion.
func (c *Client) DraftOrdersFromSuggestions(ctx context.Context, in api.FromSuggestionsInput) ([]api.PurchaseOrder, error) {
	var res api.DraftList
	if err := c.do(ctx, "POST", "/purchase-orders/from-suggestions", nil, in, &res); err != nil {
		return nil, err
	}
	return res.Items, nil
}

// ApproveOrder approves a draft order.
func (c *Client) ApproveOrder(ctx context.Context, id int64) (*api.PurchaseOrder, error) {
	v := new(api.PurchaseOrder)
	return v, c.do(ctx, "POST", idPath("purchase-orders", id, "/approve"), nil, nil, v)
}

// CancelOrder cancels an order that is not fully received.
func (c *Client) CancelOrder(ctx context.Context, id int64) (*api.PurchaseOrder, error) {
	v := new(api.PurchaseOrder)
	return v, c.do(ctx, "POST", idPath("purchase-orders", id, "/cancel"), nil, nil, v)
}

// MarkOrdered records that an approved order was placed; expected nil
// means now plus the supplier's lead time.
func (c *Client) MarkOrdered(ctx context.Context, id int64, expected *time.Time) (*api.PurchaseOrder, error) {
	var req api.OrderRequest
	if expected != nil {
		s := expected.UTC().Format(time.RFC3339Nano)
		req.ExpectedAt = &s
	}
	v := new(api.PurchaseOrder)
	return v, c.do(ctx, "POST", idPath("purchase-orders", id, "/order"), nil, req, v)
}

// ReceiveOrder books a delivery against an ordered purchase order.
func (c *Client) ReceiveOrder(ctx context.Context, id int64, in api.ReceiveInput) (*api.PurchaseOrder, error) {
	v := new(api.PurchaseOrder)
	return v, c.do(ctx, "POST", idPath("purchase-orders", id, "/receive"), nil, in, v)
}

// Settings lists every shop-wide setting with its value.
func (c *Client) Settings(ctx context.Context) ([]api.Setting, error) {
	var v api.SettingList
	if err := c.do(ctx, "GET", "/settings", nil, nil, &v); err != nil {
		return nil, err
	}
	return v.Items, nil
}

// SetSetting changes a setting (managers and admins) and returns them all.
func (c *Client) SetSetting(ctx context.Context, key, value string) ([]api.Setting, error) {
	var v api.SettingList
	if err := c.do(ctx, "PUT", "/settings/"+url.PathEscape(key), nil, api.SettingRequest{Value: value}, &v); err != nil {
		return nil, err
	}
	return v.Items, nil
}
