package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/forecast/trend"
)

// The OpenAPI 3.1 document is built from the operation table below and
// from the Go types of the bodies (their JSON tags), so schemas never drift
// from the structs. A test compares the table with the routes Echo has
// registered, in both directions.

// param is a query parameter of an operation.
type param struct {
	name, typ, desc string
	enum            []string
}

// operation describes one route for the document.
type operation struct {
	method, path string // path as registered with Echo, relative to Prefix
	id, tag      string
	summary      string
	description  string // longer rules, when the summary cannot hold them
	query        []param
	body         string // schema name of the request body, "" for none
	bodyOptional bool
	status       int    // success status
	resp         string // schema name of the success body
	public       bool   // no authentication
	writes       bool   // may answer 409
	produces     string // media type of the success body when not JSON (schema: string)
	csvBody      bool   // the request body is a CSV file (text/csv or multipart "file")
}

var (
	pageParams    = []param{{"limit", "integer", "Page size, 1 to 500 (default 50).", nil}, {"offset", "integer", "Items to skip (default 0).", nil}}
	nameParams    = append([]param{{"q", "string", "Case-insensitive substring of the name.", nil}, {"sort", "string", "Sort key (name, created_at, updated_at, id); prefix - for descending.", nil}}, pageParams...)
	timeParamDesc = "RFC 3339 time or YYYY-MM-DD date (UTC)."
	importParams  = []param{{"dry_run", "boolean", "Check every line and report without writing.", nil}, {"decimal_comma", "boolean", "Accept amounts with a decimal comma (12,50).", nil}}
)

// operations lists every API route. Keep it in step with the *Routes
// methods; TestOpenAPICoversRoutes fails otherwise.
var operations = []operation{
	{method: "GET", path: "/openapi.json", id: "getOpenAPI", tag: "meta", summary: "This OpenAPI document.", status: 200, resp: "", public: true},

	{method: "GET", path: "/products", id: "listProducts", tag: "products", summary: "List products.", status: 200, resp: "ProductPage",
		query: append([]param{
			{"q", "string", "Case-insensitive substring of SKU or name.", nil},
			{"category_id", "integer", "Only this category.", nil},
			{"supplier_id", "integer", "Only this supplier.", nil},
			{"low_stock", "boolean", "Only products at or below their reorder point.", nil},
			{"active", "string", "Active products (true, the default), inactive ones (false) or all.", []string{"true", "false", "all"}},
			{"sort", "string", "Sort key (sku, name, stock, unit_price, unit_cost, created_at, updated_at, id); prefix - for descending.", nil},
		}, pageParams...)},
	{method: "POST", path: "/products", id: "createProduct", tag: "products", summary: "Create a product; stock is its initial on-hand quantity.", body: "ProductInput", status: 201, resp: "Product", writes: true},
	{method: "GET", path: "/products/:id", id: "getProduct", tag: "products", summary: "Get a product.", status: 200, resp: "Product"},
	{method: "PATCH", path: "/products/:id", id: "patchProduct", tag: "products", summary: "Change some fields of a product; version must be current (else 409 with current).", body: "ProductInput", status: 200, resp: "Product", writes: true},
	{method: "PUT", path: "/products/:id", id: "replaceProduct", tag: "products", summary: "Replace a product; absent fields return to their defaults; version must be current.", body: "ProductInput", status: 200, resp: "Product", writes: true},
	{method: "DELETE", path: "/products/:id", id: "deleteProduct", tag: "products", summary: "Delete a product without history, or deactivate one with history.", status: 200, resp: "DeleteResult", writes: true},

	{method: "GET", path: "/categories", id: "listCategories", tag: "categories", summary: "List categories.", status: 200, resp: "CategoryPage", query: nameParams},
	{method: "POST", path: "/categories", id: "createCategory", tag: "categories", summary: "Create a category.", body: "CategoryInput", status: 201, resp: "Category", writes: true},
	{method: "GET", path: "/categories/:id", id: "getCategory", tag: "categories", summary: "Get a category.", status: 200, resp: "Category"},
	{method: "PATCH", path: "/categories/:id", id: "patchCategory", tag: "categories", summary: "Change a category; version must be current.", body: "CategoryInput", status: 200, resp: "Category", writes: true},
	{method: "DELETE", path: "/categories/:id", id: "deleteCategory", tag: "categories", summary: "Delete a category no product uses (else 409).", status: 200, resp: "DeleteResult", writes: true},

	{method: "GET", path: "/suppliers", id: "listSuppliers", tag: "suppliers", summary: "List suppliers.", status: 200, resp: "SupplierPage", query: nameParams},
	{method: "POST", path: "/suppliers", id: "createSupplier", tag: "suppliers", summary: "Create a supplier.", body: "SupplierInput", status: 201, resp: "Supplier", writes: true},
	{method: "GET", path: "/suppliers/:id", id: "getSupplier", tag: "suppliers", summary: "Get a supplier.", status: 200, resp: "Supplier"},
	{method: "PATCH", path: "/suppliers/:id", id: "patchSupplier", tag: "suppliers", summary: "Change a supplier; version must be current.", body: "SupplierInput", status: 200, resp: "Supplier", writes: true},
	{method: "DELETE", path: "/suppliers/:id", id: "deleteSupplier", tag: "suppliers", summary: "Delete a supplier no product uses (else 409).", status: 200, resp: "DeleteResult", writes: true},

	{method: "GET", path: "/sales", id: "listSales", tag: "sales", summary: "List sales, newest first.", status: 200, resp: "SalePage",
		query: append([]param{
			{"product_id", "integer", "Only this product.", nil},
			{"from", "string", "Sold at or after. " + timeParamDesc, nil},
			{"to", "string", "Sold before; a date includes that whole day. " + timeParamDesc, nil},
			{"voided", "string", "Valid sales (false, the default), voided ones (true) or all.", []string{"true", "false", "all"}},
		}, pageParams...)},
	{method: "POST", path: "/sales", id: "createSale", tag: "sales", summary: "Record a sale; not enough stock is a 409 and nothing is written.", body: "SaleInput", status: 201, resp: "SaleResult", writes: true},
	{method: "POST", path: "/sales/batch", id: "createSaleBatch", tag: "sales", summary: "Record up to 10,000 sales, all or none; errors carry the line index.", body: "BatchRequest", status: 201, resp: "BatchResult", writes: true},
	{method: "GET", path: "/sales/:id", id: "getSale", tag: "sales", summary: "Get a sale.", status: 200, resp: "Sale"},
	{method: "POST", path: "/sales/:id/void", id: "voidSale", tag: "sales", summary: "Void a sale: its quantity returns to stock. Voiding twice is a 409.", body: "VoidRequest", bodyOptional: true, status: 200, resp: "SaleResult", writes: true},

	{method: "GET", path: "/stock-movements", id: "listStockMovements", tag: "stock", summary: "List stock ledger entries, newest first.", status: 200, resp: "StockMovementPage",
		query: append([]param{
			{"product_id", "integer", "Only this product.", nil},
			{"kind", "string", "Only this kind of movement.", movementKinds},
		}, pageParams...)},
	{method: "POST", path: "/stock-adjustments", id: "createStockAdjustment", tag: "stock", summary: "Adjust stock by delta with a reason; stock may not go negative (409).", body: "AdjustmentInput", status: 201, resp: "StockMovement", writes: true},
	{method: "POST", path: "/stock-receipts", id: "createStockReceipt", tag: "stock", summary: "Add received goods to stock.", body: "ReceiptInput", status: 201, resp: "StockMovement", writes: true},

	{method: "GET", path: "/audit-events", id: "listAuditEvents", tag: "audit", summary: "List audit events, newest first (managers and admins).", status: 200, resp: "AuditEventPage",
		query: append([]param{
			{"username", "string", "Only this user's events.", nil},
			{"entity_type", "string", "Only this entity type (product, sale, ...).", nil},
			{"entity_id", "integer", "Only this entity.", nil},
			{"from", "string", "At or after. " + timeParamDesc, nil},
			{"to", "string", "Before; a date includes that whole day. " + timeParamDesc, nil},
		}, pageParams...)},

	{method: "GET", path: "/purchase-orders/:id/comments", id: "listOrderComments", tag: "collaboration", summary: "Comments on a purchase order, oldest first.", status: 200, resp: "CommentList"},
	{method: "POST", path: "/purchase-orders/:id/comments", id: "addOrderComment", tag: "collaboration", summary: "Comment on a purchase order (clerks and above).", body: "CommentRequest", status: 201, resp: "Comment", writes: true},
	{method: "GET", path: "/products/:id/comments", id: "listProductComments", tag: "collaboration", summary: "Comments on a product's restock suggestion, oldest first.", status: 200, resp: "CommentList"},
	{method: "POST", path: "/products/:id/comments", id: "addProductComment", tag: "collaboration", summary: "Comment on a product's restock suggestion (clerks and above).", body: "CommentRequest", status: 201, resp: "Comment", writes: true},
	{method: "GET", path: "/settings", id: "listSettings", tag: "collaboration", summary: "Shop-wide settings with their values (defaults when unset).", status: 200, resp: "SettingList"},
	{method: "PUT", path: "/settings/:key", id: "putSetting", tag: "collaboration", summary: "Change a setting (managers and admins): shop.name, shop.currency (ISO 4217), shop.time_zone (IANA; rebuilds the daily rollup), shop.language (es, en), shop.first_weekday, restock.service_calibration, purchasing.approval_threshold, purchasing.four_eyes. An unknown value is a 400 naming the field.", body: "SettingRequest", status: 200, resp: "SettingList", writes: true},

	{method: "GET", path: "/me", id: "getMe", tag: "users", summary: "The caller's own user.", status: 200, resp: "User"},
	{method: "GET", path: "/users", id: "listUsers", tag: "users", summary: "List users (admins).", status: 200, resp: "UserPage"},
	{method: "POST", path: "/users", id: "createUser", tag: "users", summary: "Create a user (admins).", body: "UserInput", status: 201, resp: "User", writes: true},
	{method: "PATCH", path: "/users/:id", id: "patchUser", tag: "users", summary: "Change a user's display name, role, password or active flag (admins).", body: "UserInput", status: 200, resp: "User", writes: true},
	{method: "GET", path: "/tokens", id: "listTokens", tag: "users", summary: "List the caller's API tokens (admins: any user's).", status: 200, resp: "APITokenPage",
		query: []param{{"username", "string", "Whose tokens (default: the caller; others need admin).", nil}}},
	{method: "POST", path: "/tokens", id: "createToken", tag: "users", summary: "Create an API token; its secret is shown only in this response. ttl_days is 0 (never expires) to 3650; a request authenticated by an expiring token may only create tokens that expire no later (else 400 on ttl_days). A blank name becomes \"token\".", body: "TokenRequest", bodyOptional: true, status: 201, resp: "NewToken", writes: true},
	{method: "DELETE", path: "/tokens/:id", id: "revokeToken", tag: "users", summary: "Revoke an API token (its owner or an admin).", status: 200, resp: "RevokeResult", writes: true},

	{method: "GET", path: "/products/:id/forecast", id: "getProductForecast", tag: "forecasts", summary: "A product's daily demand forecast with quantiles, model, backtest accuracy and demand class; the cached auto forecast, or computed now for another model or a horizon over 90 days (409 without sales history).", status: 200, resp: "ForecastResponse",
		query: []param{
			{"horizon", "integer", "Days to return, 1 to 365 (default 30).", nil},
			{"model", "string", "Forecast model (default auto).", forecastModels()},
		}},
	{method: "POST", path: "/products/:id/forecast/refresh", id: "recomputeProductForecast", tag: "forecasts", summary: "Recompute and cache a product's forecast now (clerks and above).", status: 200, resp: "ForecastResponse",
		query: []param{{"horizon", "integer", "Days to return, 1 to 90 (default 30).", nil}}},
	{method: "POST", path: "/forecasts/refresh", id: "startForecastRefresh", tag: "forecasts", summary: "Start the forecast batch for every active product in the background (managers and admins); 409 while one runs.", status: 202, resp: "JobStatus", writes: true},
	{method: "GET", path: "/forecasts/status", id: "getForecastStatus", tag: "forecasts", summary: "Progress of the current or last forecast batch.", status: 200, resp: "JobStatus"},

	{method: "GET", path: "/analytics/trends", id: "listTrends", tag: "analytics", summary: "Product trends: units and revenue over 7/30/90 days, velocity change, ABC/XYZ, demand class, cover, movers, dead and excess stock.", status: 200, resp: "ProductTrendPage",
		query: append([]param{
			{"category_id", "integer", "Only this category.", nil},
			{"supplier_id", "integer", "Only this supplier.", nil},
			{"class", "string", "Only this demand class.", demandClasses},
			{"abc", "string", "Only this ABC class (by revenue).", []string{"A", "B", "C"}},
			{"xyz", "string", "Only this XYZ class (by weekly demand variability).", []string{"X", "Y", "Z"}},
			{"mover", "string", "Only fast, slow, normal movers or products without recent sales.", moverKinds},
			{"dead", "boolean", "Only dead stock.", nil},
			{"excess", "boolean", "Only excess stock.", nil},
			{"sort", "string", "Sort key (" + strings.Join(app.TrendSortKeys(), ", ") + "), descending except sku; prefix - to reverse. Default revenue_30d.", nil},
		}, pageParams...)},
	{method: "GET", path: "/analytics/abc-xyz", id: "getABCXYZ", tag: "analytics", summary: "The ABC×XYZ matrix: products, 90-day revenue and stock value per cell.", status: 200, resp: "ABCXYZResponse"},
	{method: "GET", path: "/dashboard/kpis", id: "getKPIs", tag: "analytics", summary: "Dashboard figures: inventory value and units, SKUs below reorder point, projected stock-outs in 7 days, sales vs the previous period, dead stock.", status: 200, resp: "KPIs"},

	{method: "GET", path: "/restock", id: "listRestock", tag: "restock", summary: "Restock suggestions, most urgent first: {items, total}, or {groups} per supplier with totals when group=supplier.", status: 200, resp: "RestockList",
		query: []param{
			{"supplier_id", "integer", "Only this supplier's products.", nil},
			{"urgency", "string", "Only this urgency.", []string{"overdue", "this_week", "later"}},
			{"all", "boolean", "Include products that need no order.", nil},
			{"group", "string", "supplier: answer {groups: [...]} (schema RestockGroups) instead of a flat list.", []string{"supplier", "none"}},
		}},

	{method: "GET", path: "/purchase-orders", id: "listPurchaseOrders", tag: "purchase-orders", summary: "List purchase orders with their lines, newest first.", status: 200, resp: "PurchaseOrderPage",
		query: append([]param{
			{"status", "string", "Only this status; open = draft, approved, ordered or partial.", poStatuses},
			{"supplier_id", "integer", "Only this supplier.", nil},
		}, pageParams...)},
	{method: "POST", path: "/purchase-orders", id: "createPurchaseOrder", tag: "purchase-orders", summary: "Draft a purchase order for one supplier (clerks and above).", body: "POInput", status: 201, resp: "PurchaseOrder", writes: true},
	{method: "POST", path: "/purchase-orders/from-suggestions", id: "draftPurchaseOrdersFromSuggestions", tag: "purchase-orders", summary: "Draft one order per supplier from the chosen restock suggestions (no lines: all); idempotent: 201 with the drafts, 200 with an empty list when open orders already cover them.", body: "FromSuggestionsInput", bodyOptional: true, status: 201, resp: "DraftList", writes: true},
	{method: "GET", path: "/purchase-orders/:id", id: "getPurchaseOrder", tag: "purchase-orders", summary: "Get a purchase order with its lines.", status: 200, resp: "PurchaseOrder"},
	{method: "PATCH", path: "/purchase-orders/:id", id: "patchPurchaseOrder", tag: "purchase-orders", summary: "Change a draft's note or replace its lines; version must be current; only drafts (else 409).", body: "POInput", status: 200, resp: "PurchaseOrder", writes: true},
	{method: "POST", path: "/purchase-orders/:id/approve", id: "approvePurchaseOrder", tag: "purchase-orders", summary: "Approve a draft; other states are a 409.",
		description: "Who may approve (app.Purchasing.MayApprove, the one rule the web UI follows too): managers and admins " +
			"may approve any draft. A clerk may approve only when the setting purchasing.approval_threshold is above 0 and " +
			"the order's total is at most the threshold; at threshold 0 (the default) clerks never approve, a zero-cost " +
			"order included. With purchasing.four_eyes on (the default), whoever drafted the order or last replaced its " +
			"lines (created_by, lines_edited_by) may not approve it while another active manager or admin exists. " +
			"A refusal is a 403 saying why.",
		status: 200, resp: "PurchaseOrder", writes: true},
	{method: "POST", path: "/purchase-orders/:id/order", id: "placePurchaseOrder", tag: "purchase-orders", summary: "Mark an approved order as sent to the supplier, with the expected delivery (managers and admins).", body: "OrderRequest", bodyOptional: true, status: 200, resp: "PurchaseOrder", writes: true},
	{method: "POST", path: "/purchase-orders/:id/receive", id: "receivePurchaseOrder", tag: "purchase-orders", summary: "Receive goods per line into stock (clerks and above); partial until nothing is outstanding.", body: "ReceiveInput", status: 200, resp: "PurchaseOrder", writes: true},
	{method: "POST", path: "/purchase-orders/:id/cancel", id: "cancelPurchaseOrder", tag: "purchase-orders", summary: "Cancel an order not yet fully received (managers and admins).", status: 200, resp: "PurchaseOrder", writes: true},

	{method: "GET", path: "/export/products.csv", id: "exportProducts", tag: "import-export", summary: "Every product as CSV with a header line (attachment), in the columns the import accepts, read in pages (rows changed during a long download appear as they were when read); at most 2 exports per user at once, 429 with Retry-After beyond.", status: 200, produces: "text/csv"},
	{method: "POST", path: "/import/products", id: "importProducts", tag: "import-export", summary: "Import products from a CSV body (text/csv, or the multipart part file), all or nothing; 400 lists every invalid line (index = file line, field = column).", csvBody: true, status: 200, resp: "ImportSummary", writes: true, query: importParams},
	{method: "GET", path: "/export/suppliers.csv", id: "exportSuppliers", tag: "import-export", summary: "Every supplier as CSV with a header line (attachment), in the columns the import accepts, read in pages (rows changed during a long download appear as they were when read); at most 2 exports per user at once, 429 with Retry-After beyond.", status: 200, produces: "text/csv"},
	{method: "POST", path: "/import/suppliers", id: "importSuppliers", tag: "import-export", summary: "Import suppliers from a CSV body (text/csv, or the multipart part file), all or nothing; 400 lists every invalid line (index = file line, field = column).", csvBody: true, status: 200, resp: "ImportSummary", writes: true, query: importParams},
	{method: "GET", path: "/export/categories.csv", id: "exportCategories", tag: "import-export", summary: "Every category as CSV with a header line (attachment), in the columns the import accepts, read in pages (rows changed during a long download appear as they were when read); at most 2 exports per user at once, 429 with Retry-After beyond.", status: 200, produces: "text/csv"},
	{method: "POST", path: "/import/categories", id: "importCategories", tag: "import-export", summary: "Import categories from a CSV body (text/csv, or the multipart part file), all or nothing; 400 lists every invalid line (index = file line, field = column).", csvBody: true, status: 200, resp: "ImportSummary", writes: true, query: importParams},
	{method: "GET", path: "/export/sales.csv", id: "exportSales", tag: "import-export", summary: "Every non-voided sale as CSV with a header line (attachment), in the columns the import accepts, read in pages (rows changed during a long download appear as they were when read); at most 2 exports per user at once, 429 with Retry-After beyond.", status: 200, produces: "text/csv"},
	{method: "POST", path: "/import/sales", id: "importSales", tag: "import-export", summary: "Import sales from a CSV body (text/csv, or the multipart part file), all or nothing; 400 lists every invalid line (index = file line, field = column).", csvBody: true, status: 200, resp: "ImportSummary", writes: true, query: importParams},
}

// schemaTypes names the Go types that become component schemas.
var schemaTypes = []struct {
	name string
	typ  reflect.Type
}{
	{"Product", reflect.TypeFor[db.Product]()},
	{"Category", reflect.TypeFor[db.Category]()},
	{"Supplier", reflect.TypeFor[db.Supplier]()},
	{"Sale", reflect.TypeFor[db.Sale]()},
	{"StockMovement", reflect.TypeFor[db.StockMovement]()},
	{"AuditEvent", reflect.TypeFor[db.AuditEvent]()},
	{"Comment", reflect.TypeFor[db.Comment]()},
	{"CommentRequest", reflect.TypeFor[CommentRequest]()},
	{"CommentList", reflect.TypeFor[CommentList]()},
	{"Setting", reflect.TypeFor[db.Setting]()},
	{"SettingRequest", reflect.TypeFor[SettingRequest]()},
	{"SettingList", reflect.TypeFor[SettingList]()},
	{"User", reflect.TypeFor[db.User]()},
	{"APIToken", reflect.TypeFor[db.APIToken]()},
	{"ProductInput", reflect.TypeFor[app.ProductInput]()},
	{"CategoryInput", reflect.TypeFor[app.CategoryInput]()},
	{"SupplierInput", reflect.TypeFor[app.SupplierInput]()},
	{"SaleInput", reflect.TypeFor[app.SaleInput]()},
	{"AdjustmentInput", reflect.TypeFor[app.AdjustmentInput]()},
	{"ReceiptInput", reflect.TypeFor[app.ReceiptInput]()},
	{"UserInput", reflect.TypeFor[app.UserInput]()},
	{"BatchRequest", reflect.TypeFor[BatchRequest]()},
	{"VoidRequest", reflect.TypeFor[VoidRequest]()},
	{"TokenRequest", reflect.TypeFor[TokenRequest]()},
	{"SaleResult", reflect.TypeFor[app.SaleResult]()},
	{"BatchResult", reflect.TypeFor[BatchResult]()},
	{"NewToken", reflect.TypeFor[app.NewToken]()},
	{"DeleteResult", reflect.TypeFor[DeleteResult]()},
	{"RevokeResult", reflect.TypeFor[RevokeResult]()},
	{"FieldError", reflect.TypeFor[app.FieldError]()},
	{"Problem", reflect.TypeFor[Problem]()},
	{"ProductPage", reflect.TypeFor[Page[db.Product]]()},
	{"CategoryPage", reflect.TypeFor[Page[db.Category]]()},
	{"SupplierPage", reflect.TypeFor[Page[db.Supplier]]()},
	{"SalePage", reflect.TypeFor[Page[db.Sale]]()},
	{"StockMovementPage", reflect.TypeFor[Page[db.StockMovement]]()},
	{"AuditEventPage", reflect.TypeFor[Page[db.AuditEvent]]()},
	{"UserPage", reflect.TypeFor[Page[db.User]]()},
	{"APITokenPage", reflect.TypeFor[Page[db.APIToken]]()},
	{"ForecastResponse", reflect.TypeFor[ForecastResponse]()},
	{"ForecastPoint", reflect.TypeFor[ForecastPoint]()},
	{"Accuracy", reflect.TypeFor[Accuracy]()},
	{"JobStatus", reflect.TypeFor[app.JobStatus]()},
	{"ProductTrend", reflect.TypeFor[app.ProductTrend]()},
	{"ProductTrendPage", reflect.TypeFor[Page[app.ProductTrend]]()},
	{"ABCXYZCell", reflect.TypeFor[trend.Cell]()},
	{"ABCXYZResponse", reflect.TypeFor[ABCXYZResponse]()},
	{"KPIs", reflect.TypeFor[app.KPIs]()},
	{"SalesPeriod", reflect.TypeFor[app.SalesPeriod]()},
	{"RestockLine", reflect.TypeFor[app.RestockLine]()},
	{"PendingDraft", reflect.TypeFor[app.PendingDraft]()},
	{"RestockList", reflect.TypeFor[RestockList]()},
	{"RestockGroup", reflect.TypeFor[app.RestockGroup]()},
	{"RestockGroups", reflect.TypeFor[RestockGroups]()},
	{"PurchaseOrder", reflect.TypeFor[db.PurchaseOrder]()},
	{"PurchaseOrderLine", reflect.TypeFor[db.PurchaseOrderLine]()},
	{"PurchaseOrderPage", reflect.TypeFor[Page[db.PurchaseOrder]]()},
	{"POInput", reflect.TypeFor[app.POInput]()},
	{"POLineInput", reflect.TypeFor[app.POLineInput]()},
	{"ReceiveInput", reflect.TypeFor[app.ReceiveInput]()},
	{"ReceiveLine", reflect.TypeFor[app.ReceiveLine]()},
	{"OrderRequest", reflect.TypeFor[OrderRequest]()},
	{"FromSuggestionsInput", reflect.TypeFor[app.FromSuggestionsInput]()},
	{"SuggestedLine", reflect.TypeFor[app.SuggestedLine]()},
	{"DraftList", reflect.TypeFor[DraftList]()},
	{"ImportSummary", reflect.TypeFor[app.ImportSummary]()},
	{"ImportError", reflect.TypeFor[app.ImportError]()},
}

type object = map[string]any

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
	openAPIErr  error
)

// OpenAPI returns the OpenAPI 3.1 document of the API as JSON.
func OpenAPI() ([]byte, error) {
	openAPIOnce.Do(func() {
		openAPIDoc, openAPIErr = json.MarshalIndent(buildOpenAPI(), "", "  ")
		if openAPIErr != nil {
			openAPIErr = fmt.Errorf("openapi: marshal: %w", openAPIErr)
		}
	})
	return openAPIDoc, openAPIErr
}

// handleOpenAPI serves GET /openapi.json.
func (h *handler) handleOpenAPI(c echo.Context) error {
	doc, err := OpenAPI()
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, doc)
}

var echoParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// OpenAPIPath turns an Echo path ("/products/:id") into an OpenAPI path
// ("/products/{id}").
func OpenAPIPath(echoPath string) string { return echoParam.ReplaceAllString(echoPath, "{$1}") }

func buildOpenAPI() object {
	schemas := object{}
	for _, st := range schemaTypes {
		schemas[st.name] = schemaOf(st.typ, true)
	}
	problem := object{"description": "An RFC 9457 problem.",
		"content": object{ProblemContentType: object{"schema": ref("Problem")}}}

	paths := object{}
	for _, op := range operations {
		p := OpenAPIPath(op.path)
		item, _ := paths[p].(object)
		if item == nil {
			item = object{}
			paths[p] = item
		}
		var params []any
		for _, m := range echoParam.FindAllStringSubmatch(op.path, -1) {
			params = append(params, object{"name": m[1], "in": "path", "required": true,
				"description": "Positive integer id.", "schema": object{"type": "integer", "format": "int64", "minimum": 1}})
		}
		for _, q := range op.query {
			s := object{"type": q.typ}
			if q.enum != nil {
				s["enum"] = q.enum
			}
			if q.name == "limit" {
				s["minimum"], s["maximum"] = 1, maxLimit
			}
			if q.name == "offset" {
				s["minimum"] = 0
			}
			params = append(params, object{"name": q.name, "in": "query", "description": q.desc, "schema": s})
		}
		responses := object{"default": problem}
		success := object{"description": http.StatusText(op.status)}
		if op.resp != "" {
			success["content"] = object{"application/json": object{"schema": ref(op.resp)}}
		} else {
			success["content"] = object{"application/json": object{"schema": object{"type": "object"}}}
		}
		if op.produces != "" {
			success["content"] = object{op.produces: object{"schema": object{"type": "string"}}}
		}
		responses[strconv.Itoa(op.status)] = success
		if !op.public {
			responses["401"] = problem
			responses["403"] = problem
		}
		if len(params) > 0 || op.body != "" {
			responses["400"] = problem
		}
		if strings.Contains(op.path, ":") {
			responses["404"] = problem
		}
		if op.writes {
			responses["409"] = problem
		}
		if op.body != "" || op.csvBody {
			responses["413"] = problem
		}
		o := object{"operationId": op.id, "summary": op.summary, "tags": []string{op.tag}, "responses": responses}
		if op.description != "" {
			o["description"] = op.description
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.body != "" {
			o["requestBody"] = object{"required": !op.bodyOptional,
				"content": object{"application/json": object{"schema": ref(op.body)}}}
		}
		if op.csvBody {
			o["requestBody"] = object{"required": true, "content": object{
				"text/csv": object{"schema": object{"type": "string"}},
				"multipart/form-data": object{"schema": object{"type": "object", "required": []string{"file"},
					"properties": object{"file": object{"type": "string", "contentMediaType": "text/csv"}}}},
			}}
		}
		if op.public {
			o["security"] = []any{}
		}
		item[strings.ToLower(op.method)] = o
	}
	return object{
		"openapi": "3.1.0",
		"info": object{
			"title":   "Smart Inventory API",
			"version": "1",
			"description": "JSON API of Smart Inventory. Authenticate with Authorization: Bearer <token>. " +
				"Lists answer {items, total, limit, offset}. Errors are application/problem+json (RFC 9457): " +
				"400 invalid input (errors[].field names the JSON field or query parameter, errors[].index the batch line), " +
				"401 no or bad token, 403 role too low, 404 unknown id or route, 405 wrong method, " +
				"409 conflict (stale version with current, insufficient stock, in use), 413 body over 10 MB. " +
				"Money is a JSON number in major units with at most two decimals.",
		},
		"servers":    []any{object{"url": Prefix}},
		"security":   []any{object{"bearerAuth": []string{}}},
		"paths":      paths,
		"components": object{"schemas": schemas, "securitySchemes": object{"bearerAuth": object{"type": "http", "scheme": "bearer", "bearerFormat": "si_…"}}},
	}
}

func ref(name string) object { return object{"$ref": "#/components/schemas/" + name} }

var (
	moneyT = reflect.TypeFor[db.Money]()
	timeT  = reflect.TypeFor[time.Time]()
	anyT   = reflect.TypeFor[any]()
)

// schemaOf returns the JSON Schema of t; named types other than the top
// one become references.
func schemaOf(t reflect.Type, top bool) object {
	if !top {
		if name, ok := schemaNames()[t]; ok {
			return ref(name)
		}
	}
	switch {
	case t == moneyT:
		return object{"type": "number", "description": "Money in major units, at most two decimals."}
	case t == timeT:
		return object{"type": "string", "format": "date-time"}
	case t == anyT:
		return object{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(schemaOf(t.Elem(), false))
	case reflect.Bool:
		return object{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return object{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return object{"type": "number"}
	case reflect.String:
		return object{"type": "string"}
	case reflect.Slice, reflect.Array:
		return object{"type": "array", "items": schemaOf(t.Elem(), false)}
	case reflect.Interface, reflect.Map:
		return object{}
	case reflect.Struct:
		if strings.HasPrefix(t.Name(), "Nullable[") {
			if v, ok := t.FieldByName("V"); ok {
				return nullable(schemaOf(v.Type, false))
			}
		}
		props := object{}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("json") == "" {
				// An embedded struct's fields are promoted into the object,
				// as encoding/json does.
				if emb, ok := schemaOf(sf.Type, true)["properties"].(object); ok {
					for k, v := range emb {
						props[k] = v
					}
				}
				continue
			}
			if !sf.IsExported() || sf.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			props[name] = schemaOf(sf.Type, false)
			if doc := sf.Tag.Get("doc"); doc != "" {
				// A doc tag labels a field, e.g. a statistic among whole units.
				described := object{"description": doc}
				for k, v := range props[name].(object) {
					described[k] = v
				}
				props[name] = described
			}
		}
		return object{"type": "object", "properties": props}
	}
	return object{}
}

var (
	schemaNamesOnce sync.Once
	schemaNamesMap  map[reflect.Type]string
)

func schemaNames() map[reflect.Type]string {
	schemaNamesOnce.Do(func() {
		schemaNamesMap = map[reflect.Type]string{}
		for _, st := range schemaTypes {
			schemaNamesMap[st.typ] = st.name
		}
	})
	return schemaNamesMap
}

// nullable allows null besides what s allows.
func nullable(s object) object {
	if typ, ok := s["type"].(string); ok {
		out := object{}
		for k, v := range s {
			out[k] = v
		}
		out["type"] = []string{typ, "null"}
		return out
	}
	return object{"oneOf": []any{s, object{"type": "null"}}}
}
