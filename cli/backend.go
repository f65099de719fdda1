package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"smartinventory/api"
	"smartinventory/app"
	"smartinventory/app/client"
	"smartinventory/db"
)

// Local and remote mode
//
// The data commands (products, categories, suppliers, sales, stock,
// forecast, restock, trends, po) talk to a backend: the services of a local
// database (--db, as the system actor) or a running server through its API
// (--server URL with --token, SMARTINV_SERVER/SMARTINV_TOKEN, or the server
// saved by `smartinventory login`). Both return the application's own types
// and errors (remoteBackend turns the client's api types into them, and its
// errors into *app.Error), so a command prints the same output and exits
// with the same code in both modes.

// backend is what the data commands need from the shop's data. Its methods
// mirror the app services and the API one for one; errors carry app error
// codes in both implementations.
type backend interface {
	Products(ctx context.Context, f app.ProductFilter) ([]db.Product, int, error)
	Product(ctx context.Context, id int64) (*db.Product, error)
	ProductBySKU(ctx context.Context, sku string) (*db.Product, error)
	CreateProduct(ctx context.Context, in app.ProductInput) (*db.Product, error)
	UpdateProduct(ctx context.Context, id int64, in app.ProductInput) (*db.Product, error)
	DeleteProduct(ctx context.Context, id int64) (deleted bool, err error)

	Categories(ctx context.Context, f app.NameFilter) ([]db.Category, int, error)
	Category(ctx context.Context, id int64) (*db.Category, error)
	CreateCategory(ctx context.Context, in app.CategoryInput) (*db.Category, error)
	UpdateCategory(ctx context.Context, id int64, in app.CategoryInput) (*db.Category, error)
	DeleteCategory(ctx context.Context, id int64) error

	Suppliers(ctx context.Context, f app.NameFilter) ([]db.Supplier, int, error)
	Supplier(ctx context.Context, id int64) (*db.Supplier, error)
	CreateSupplier(ctx context.Context, in app.SupplierInput) (*db.Supplier, error)
	UpdateSupplier(ctx context.Context, id int64, in app.SupplierInput) (*db.Supplier, error)
	DeleteSupplier(ctx context.Context, id int64) error

	RecordSale(ctx context.Context, in app.SaleInput) (*app.SaleResult, error)
	Sales(ctx context.Context, f app.SaleFilter) ([]db.Sale, int, error)
	VoidSale(ctx context.Context, id int64, reason string) (*app.SaleResult, error)

	Adjust(ctx context.Context, in app.AdjustmentInput) (*db.StockMovement, error)
	Receive(ctx context.Context, in app.ReceiptInput) (*db.StockMovement, error)

	// Forecast returns a product's forecast as the API shows it: the cached
	// one for model "auto" within the cached horizon, else computed now.
	Forecast(ctx context.Context, productID int64, model string, horizon int) (*api.ForecastResponse, error)
	// RefreshStaleForecasts runs the forecast batch when forecasts are older
	// than yesterday's data (locally; a server keeps its own fresh).
	RefreshStaleForecasts(ctx context.Context, progress func(done, total int)) error
	Restock(ctx context.Context, f app.RestockFilter) ([]app.RestockLine, error)
	Trends(ctx context.Context, f app.TrendFilter) ([]app.ProductTrend, int, error)

	Orders(ctx context.Context, f app.OrderFilter) ([]db.PurchaseOrder, int, error)
	Order(ctx context.Context, id int64) (*db.PurchaseOrder, error)
	DraftOrdersFromSuggestions(ctx context.Context, in app.FromSuggestionsInput) ([]db.PurchaseOrder, error)
	ApproveOrder(ctx context.Context, id int64) (*db.PurchaseOrder, error)
	CancelOrder(ctx context.Context, id int64) (*db.PurchaseOrder, error)
	MarkOrdered(ctx context.Context, id int64, expected *time.Time) (*db.PurchaseOrder, error)
	ReceiveOrder(ctx context.Context, id int64, in app.ReceiveInput) (*db.PurchaseOrder, error)
	// SupplierNames maps every supplier's ID to its name.
	SupplierNames(ctx context.Context) (map[int64]string, error)
	// ProductSKUs maps the given product IDs to their SKUs.
	ProductSKUs(ctx context.Context, ids []int64) (map[int64]string, error)

	Settings(ctx context.Context) ([]db.Setting, error)
	SetSetting(ctx context.Context, key, value string) ([]db.Setting, error)

	// Close releases the database or connections.
	Close() error
}

// withBackend opens the backend the flags choose, runs fn with it and
// closes it. Errors of fn pass through cliError.
func (e *Env) withBackend(cmd *cobra.Command, fn func(b backend) error) error {
	b, err := e.openBackend(cmd)
	if err != nil {
		return err
	}
	defer b.Close()
	return cliError(fn(b))
}

// openBackend returns the remote backend when a server is given (--server,
// SMARTINV_SERVER, or the login config when neither --db nor SMARTINV_DB
// names a local database), else the local database.
func (e *Env) openBackend(cmd *cobra.Command) (backend, error) {
	server, token, err := e.remote(cmd)
	if err != nil {
		return nil, err
	}
	if server != "" {
		if token == "" {
			return nil, usagef("no API token for %s: give --token, set SMARTINV_TOKEN, or run smartinventory login --server %s", server, server)
		}
		c, err := client.New(server, token, client.WithUserAgent("smartinventory-cli"))
		if err != nil {
			return nil, usageError{err}
		}
		return remoteBackend{c}, nil
	}
	bdb, err := e.openDB(cmd.Context())
	if err != nil {
		return nil, err
	}
	return &localBackend{a: app.New(bdb, app.Options{}), db: bdb}, nil
}

// remote returns the server and token to use, or "" for local mode.
func (e *Env) remote(cmd *cobra.Command) (server, token string, err error) {
	if e.Server != "" {
		return e.Server, e.Token, nil
	}
	if flagChanged(cmd, "db") || os.Getenv("SMARTINV_DB") != "" {
		return "", "", nil
	}
	cfg, err := loadConfig()
	if err != nil || cfg == nil {
		return "", "", err
	}
	token = cfg.Token
	if e.Token != "" {
		token = e.Token
	}
	return cfg.Server, token, nil
}

// flagChanged reports whether the flag name (own or inherited) was given.
func flagChanged(cmd *cobra.Command, name string) bool {
	if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
		return true
	}
	f := cmd.InheritedFlags().Lookup(name)
	return f != nil && f.Changed
}

// localBackend runs on the services of a local database as app.System.
type localBackend struct {
	a  *app.App
	db *db.DB
}

var _ backend = (*localBackend)(nil)

func (l *localBackend) Close() error { return l.db.Close() }

func (l *localBackend) Products(ctx context.Context, f app.ProductFilter) ([]db.Product, int, error) {
	return l.a.Catalog.ListProducts(ctx, app.System, f)
}
func (l *localBackend) Product(ctx context.Context, id int64) (*db.Product, error) {
	return l.a.Catalog.Product(ctx, app.System, id)
}
func (l *localBackend) ProductBySKU(ctx context.Context, sku string) (*db.Product, error) {
	return l.a.Catalog.ProductBySKU(ctx, app.System, sku)
}
func (l *localBackend) CreateProduct(ctx context.Context, in app.ProductInput) (*db.Product, error) {
	return l.a.Catalog.CreateProduct(ctx, app.System, in)
}
func (l *localBackend) UpdateProduct(ctx context.Context, id int64, in app.ProductInput) (*db.Product, error) {
	return l.a.Catalog.UpdateProduct(ctx, app.System, id, in, false)
}
func (l *localBackend) DeleteProduct(ctx context.Context, id int64) (bool, error) {
	return l.a.Catalog.DeleteProduct(ctx, app.System, id)
}
func (l *localBackend) Categories(ctx context.Context, f app.NameFilter) ([]db.Category, int, error) {
	return l.a.Catalog.ListCategories(ctx, app.System, f)
}
func (l *localBackend) Category(ctx context.Context, id int64) (*db.Category, error) {
	return l.a.Catalog.Category(ctx, app.System, id)
}
func (l *localBackend) CreateCategory(ctx context.Context, in app.CategoryInput) (*db.Category, error) {
	return l.a.Catalog.CreateCategory(ctx, app.System, in)
}
func (l *localBackend) UpdateCategory(ctx context.Context, id int64, in app.CategoryInput) (*db.Category, error) {
	return l.a.Catalog.UpdateCategory(ctx, app.System, id, in)
}
func (l *localBackend) DeleteCategory(ctx context.Context, id int64) error {
	return l.a.Catalog.DeleteCategory(ctx, app.System, id)
}
func (l *localBackend) Suppliers(ctx context.Context, f app.NameFilter) ([]db.Supplier, int, error) {
	return l.a.Catalog.ListSuppliers(ctx, app.System, f)
}
func (l *localBackend) Supplier(ctx context.Context, id int64) (*db.Supplier, error) {
	return l.a.Catalog.Supplier(ctx, app.System, id)
}
func (l *localBackend) CreateSupplier(ctx context.Context, in app.SupplierInput) (*db.Supplier, error) {
	return l.a.Catalog.CreateSupplier(ctx, app.System, in)
}
func (l *localBackend) UpdateSupplier(ctx context.Context, id int64, in app.SupplierInput) (*db.Supplier, error) {
	return l.a.Catalog.UpdateSupplier(ctx, app.System, id, in)
}
func (l *localBackend) DeleteSupplier(ctx context.Context, id int64) error {
	return l.a.Catalog.DeleteSupplier(ctx, app.System, id)
}
func (l *localBackend) RecordSale(ctx context.Context, in app.SaleInput) (*app.SaleResult, error) {
	return l.a.Sales.Record(ctx, app.System, in)
}
func (l *localBackend) Sales(ctx context.Context, f app.SaleFilter) ([]db.Sale, int, error) {
	return l.a.Sales.List(ctx, app.System, f)
}
func (l *localBackend) VoidSale(ctx context.Context, id int64, reason string) (*app.SaleResult, error) {
	return l.a.Sales.Void(ctx, app.System, id, reason)
}
func (l *localBackend) Adjust(ctx context.Context, in app.AdjustmentInput) (*db.StockMovement, error) {
	return l.a.Stock.Adjust(ctx, app.System, in)
}
func (l *localBackend) Receive(ctx context.Context, in app.ReceiptInput) (*db.StockMovement, error) {
	return l.a.Stock.Receive(ctx, app.System, in)
}

func (l *localBackend) Forecast(ctx context.Context, productID int64, model string, horizon int) (*api.ForecastResponse, error) {
	return l.a.Forecasts.Response(ctx, app.System, productID, model, horizon)
}

func (l *localBackend) RefreshStaleForecasts(ctx context.Context, progress func(done, total int)) error {
	stale, err := l.a.Forecasts.Stale(ctx, app.System)
	if err != nil || !stale {
		return err
	}
	_, err = l.a.Forecasts.RefreshAll(ctx, app.System, progress)
	return err
}

func (l *localBackend) Restock(ctx context.Context, f app.RestockFilter) ([]app.RestockLine, error) {
	return l.a.Restock.Suggestions(ctx, app.System, f)
}
func (l *localBackend) Trends(ctx context.Context, f app.TrendFilter) ([]app.ProductTrend, int, error) {
	return l.a.Analytics.Trends(ctx, app.System, f)
}
func (l *localBackend) Orders(ctx context.Context, f app.OrderFilter) ([]db.PurchaseOrder, int, error) {
	return l.a.Purchasing.ListOrders(ctx, app.System, f)
}
func (l *localBackend) Order(ctx context.Context, id int64) (*db.PurchaseOrder, error) {
	return l.a.Purchasing.Order(ctx, app.System, id)
}
func (l *localBackend) DraftOrdersFromSuggestions(ctx context.Context, in app.FromSuggestionsInput) ([]db.PurchaseOrder, error) {
	return l.a.DraftOrdersFromSuggestions(ctx, app.System, in)
}
func (l *localBackend) ApproveOrder(ctx context.Context, id int64) (*db.PurchaseOrder, error) {
	return l.a.Purchasing.Approve(ctx, app.System, id)
}
func (l *localBackend) CancelOrder(ctx context.Context, id int64) (*db.PurchaseOrder, error) {
	return l.a.Purchasing.Cancel(ctx, app.System, id)
}
func (l *localBackend) MarkOrdered(ctx context.Context, id int64, expected *time.Time) (*db.PurchaseOrder, error) {
	return l.a.Purchasing.MarkOrdered(ctx, app.System, id, expected)
}
func (l *localBackend) ReceiveOrder(ctx context.Context, id int64, in app.ReceiveInput) (*db.PurchaseOrder, error) {
	return l.a.Purchasing.Receive(ctx, app.System, id, in)
}

func (l *localBackend) SupplierNames(ctx context.Context) (map[int64]string, error) {
	return l.a.Catalog.SupplierNames(ctx, app.System)
}

func (l *localBackend) ProductSKUs(ctx context.Context, ids []int64) (map[int64]string, error) {
	labels, err := l.a.Catalog.ProductLabels(ctx, app.System, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(labels))
	for id, p := range labels {
		out[id] = p.SKU
	}
	return out, nil
}

// remoteBackend runs against a server through the REST client, as the
// token's user. The client speaks the api types; remoteBackend converts
// filters and most inputs with plain conversions (they have the fields of
// the app's, so a difference stops the build), the other inputs field by
// field (TestRemoteInputs), responses by their JSON (their shapes are the
// server's, which httpapi's TestAPITypesMatchServer checks), and the
// client's errors into *app.Error (remoteError).
type remoteBackend struct{ c *client.Client }

var _ backend = remoteBackend{}

func (r remoteBackend) Close() error { return nil }

// remoteError turns the client's *client.Error into the *app.Error the
// server's service returned, so cliError picks the same message and exit
// code as in local mode; other errors (unreachable server, …) pass through.
func remoteError(err error) error {
	var ce *client.Error
	if !errors.As(err, &ce) {
		return err
	}
	ae := &app.Error{Code: ce.Code, Message: ce.Message(), Fields: ce.Fields}
	if len(ce.Current) > 0 {
		ae.Current = ce.Current
	}
	return ae
}

// fromAPI converts a response of the client into the app type T of the same
// JSON shape. A field of the response that T lacks is an error, not a loss.
func fromAPI[T, A any](v A, err error) (T, error) {
	var out T
	if err != nil {
		return out, remoteError(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return out, fmt.Errorf("remote: encode %T: %w", v, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return out, fmt.Errorf("remote: read %T as %T: %w", v, out, err)
	}
	return out, nil
}

// pageFromAPI converts a page of the client into its items and total.
func pageFromAPI[T, A any](p *client.Page[A], err error) ([]T, int, error) {
	if err != nil {
		return nil, 0, remoteError(err)
	}
	items, err := fromAPI[[]T](p.Items, nil)
	if err != nil {
		return nil, 0, err
	}
	return items, p.Total, nil
}

func (r remoteBackend) Products(ctx context.Context, f app.ProductFilter) ([]db.Product, int, error) {
	return pageFromAPI[db.Product](r.c.Products(ctx, client.ProductFilter(f)))
}
func (r remoteBackend) Product(ctx context.Context, id int64) (*db.Product, error) {
	return fromAPI[*db.Product](r.c.Product(ctx, id))
}
func (r remoteBackend) ProductBySKU(ctx context.Context, sku string) (*db.Product, error) {
	return fromAPI[*db.Product](r.c.ProductBySKU(ctx, sku))
}
func (r remoteBackend) CreateProduct(ctx context.Context, in app.ProductInput) (*db.Product, error) {
	return fromAPI[*db.Product](r.c.CreateProduct(ctx, productToAPI(in)))
}
func (r remoteBackend) UpdateProduct(ctx context.Context, id int64, in app.ProductInput) (*db.Product, error) {
	return fromAPI[*db.Product](r.c.UpdateProduct(ctx, id, productToAPI(in)))
}
func (r remoteBackend) DeleteProduct(ctx context.Context, id int64) (bool, error) {
	deleted, err := r.c.DeleteProduct(ctx, id)
	return deleted, remoteError(err)
}
func (r remoteBackend) Categories(ctx context.Context, f app.NameFilter) ([]db.Category, int, error) {
	return pageFromAPI[db.Category](r.c.Categories(ctx, client.NameFilter(f)))
}
func (r remoteBackend) Category(ctx context.Context, id int64) (*db.Category, error) {
	return fromAPI[*db.Category](r.c.Category(ctx, id))
}
func (r remoteBackend) CreateCategory(ctx context.Context, in app.CategoryInput) (*db.Category, error) {
	return fromAPI[*db.Category](r.c.CreateCategory(ctx, api.CategoryInput(in)))
}
func (r remoteBackend) UpdateCategory(ctx context.Context, id int64, in app.CategoryInput) (*db.Category, error) {
	return fromAPI[*db.Category](r.c.UpdateCategory(ctx, id, api.CategoryInput(in)))
}
func (r remoteBackend) DeleteCategory(ctx context.Context, id int64) error {
	return remoteError(r.c.DeleteCategory(ctx, id))
}
func (r remoteBackend) Suppliers(ctx context.Context, f app.NameFilter) ([]db.Supplier, int, error) {
	return pageFromAPI[db.Supplier](r.c.Suppliers(ctx, client.NameFilter(f)))
}
func (r remoteBackend) Supplier(ctx context.Context, id int64) (*db.Supplier, error) {
	return fromAPI[*db.Supplier](r.c.Supplier(ctx, id))
}
func (r remoteBackend) CreateSupplier(ctx context.Context, in app.SupplierInput) (*db.Supplier, error) {
	return fromAPI[*db.Supplier](r.c.CreateSupplier(ctx, api.SupplierInput(in)))
}
func (r remoteBackend) UpdateSupplier(ctx context.Context, id int64, in app.SupplierInput) (*db.Supplier, error) {
	return fromAPI[*db.Supplier](r.c.UpdateSupplier(ctx, id, api.SupplierInput(in)))
}
func (r remoteBackend) DeleteSupplier(ctx context.Context, id int64) error {
	return remoteError(r.c.DeleteSupplier(ctx, id))
}
func (r remoteBackend) RecordSale(ctx context.Context, in app.SaleInput) (*app.SaleResult, error) {
	return fromAPI[*app.SaleResult](r.c.RecordSale(ctx, saleToAPI(in)))
}
func (r remoteBackend) Sales(ctx context.Context, f app.SaleFilter) ([]db.Sale, int, error) {
	return pageFromAPI[db.Sale](r.c.Sales(ctx, client.SaleFilter(f)))
}
func (r remoteBackend) VoidSale(ctx context.Context, id int64, reason string) (*app.SaleResult, error) {
	return fromAPI[*app.SaleResult](r.c.VoidSale(ctx, id, reason))
}
func (r remoteBackend) Adjust(ctx context.Context, in app.AdjustmentInput) (*db.StockMovement, error) {
	return fromAPI[*db.StockMovement](r.c.Adjust(ctx, api.AdjustmentInput(in)))
}
func (r remoteBackend) Receive(ctx context.Context, in app.ReceiptInput) (*db.StockMovement, error) {
	return fromAPI[*db.StockMovement](r.c.Receive(ctx, api.ReceiptInput(in)))
}
func (r remoteBackend) Forecast(ctx context.Context, productID int64, model string, horizon int) (*api.ForecastResponse, error) {
	fr, err := r.c.Forecast(ctx, productID, client.ForecastOptions{Horizon: horizon, Model: model})
	return fr, remoteError(err)
}

// RefreshStaleForecasts does nothing: the server refreshes its forecasts
// at start and nightly.
func (r remoteBackend) RefreshStaleForecasts(context.Context, func(done, total int)) error {
	return nil
}

func (r remoteBackend) Restock(ctx context.Context, f app.RestockFilter) ([]app.RestockLine, error) {
	return fromAPI[[]app.RestockLine](r.c.Restock(ctx, client.RestockFilter(f)))
}
func (r remoteBackend) Trends(ctx context.Context, f app.TrendFilter) ([]app.ProductTrend, int, error) {
	return pageFromAPI[app.ProductTrend](r.c.Trends(ctx, client.TrendFilter(f)))
}
func (r remoteBackend) Orders(ctx context.Context, f app.OrderFilter) ([]db.PurchaseOrder, int, error) {
	return pageFromAPI[db.PurchaseOrder](r.c.Orders(ctx, client.OrderFilter(f)))
}
func (r remoteBackend) Order(ctx context.Context, id int64) (*db.PurchaseOrder, error) {
	return fromAPI[*db.PurchaseOrder](r.c.Order(ctx, id))
}
func (r remoteBackend) DraftOrdersFromSuggestions(ctx context.Context, in app.FromSuggestionsInput) ([]db.PurchaseOrder, error) {
	return fromAPI[[]db.PurchaseOrder](r.c.DraftOrdersFromSuggestions(ctx, suggestionsToAPI(in)))
}
func (r remoteBackend) ApproveOrder(ctx context.Context, id int64) (*db.PurchaseOrder, error) {
	return fromAPI[*db.PurchaseOrder](r.c.ApproveOrder(ctx, id))
}
func (r remoteBackend) CancelOrder(ctx context.Context, id int64) (*db.PurchaseOrder, error) {
	return fromAPI[*db.PurchaseOrder](r.c.CancelOrder(ctx, id))
}
func (r remoteBackend) MarkOrdered(ctx context.Context, id int64, expected *time.Time) (*db.PurchaseOrder, error) {
	return fromAPI[*db.PurchaseOrder](r.c.MarkOrdered(ctx, id, expected))
}
func (r remoteBackend) ReceiveOrder(ctx context.Context, id int64, in app.ReceiveInput) (*db.PurchaseOrder, error) {
	return fromAPI[*db.PurchaseOrder](r.c.ReceiveOrder(ctx, id, receiveToAPI(in)))
}

// The inputs whose fields differ in type from the api's (db.Money is not
// api.Money; lists of the app's line types) are converted field by field;
// TestRemoteInputs checks that these functions carry every field.

func productToAPI(in app.ProductInput) api.ProductInput {
	return api.ProductInput{SKU: in.SKU, Name: in.Name, Description: in.Description,
		CategoryID: in.CategoryID, SupplierID: in.SupplierID,
		UnitCost: (*api.Money)(in.UnitCost), UnitPrice: (*api.Money)(in.UnitPrice), Stock: in.Stock,
		PackSize: in.PackSize, MinOrderQty: in.MinOrderQty, LeadTimeDays: in.LeadTimeDays, ServiceLevel: in.ServiceLevel,
		ReorderPoint: in.ReorderPoint, Active: in.Active, Version: in.Version}
}

func saleToAPI(in app.SaleInput) api.SaleInput {
	return api.SaleInput{ProductID: in.ProductID, SKU: in.SKU, Quantity: in.Quantity, UnitPrice: (*api.Money)(in.UnitPrice),
		SoldAt: in.SoldAt, Channel: in.Channel, Note: in.Note, ExternalID: in.ExternalID}
}
func suggestionsToAPI(in app.FromSuggestionsInput) api.FromSuggestionsInput {
	lines := make([]api.SuggestedLine, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = api.SuggestedLine(l)
	}
	return api.FromSuggestionsInput{Lines: lines, SupplierID: in.SupplierID, Note: in.Note}
}

func receiveToAPI(in app.ReceiveInput) api.ReceiveInput {
	lines := make([]api.ReceiveLine, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = api.ReceiveLine(l)
	}
	return api.ReceiveInput{Lines: lines}
}

// SupplierNames pages through every supplier.
func (r remoteBackend) SupplierNames(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	f := client.NameFilter{Limit: api.MaxPageSize}
	for {
		page, err := r.c.Suppliers(ctx, f)
		if err != nil {
			return nil, remoteError(err)
		}
		for _, s := range page.Items {
			out[s.ID] = s.Name
		}
		f.Offset += len(page.Items)
		if len(page.Items) == 0 || f.Offset >= page.Total {
			return out, nil
		}
	}
}

// ProductSKUs reads each product; a product that is gone has no SKU.
func (r remoteBackend) ProductSKUs(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		p, err := r.c.Product(ctx, id)
		if client.ErrorCode(err) == api.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, remoteError(err)
		}
		out[id] = p.SKU
	}
	return out, nil
}
