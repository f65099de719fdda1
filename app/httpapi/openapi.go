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
	query        []param
	body         string // schema name of the request body, "" for none
	bodyOptional bool
	status       int    // success status
	resp         string // schema name of the success body
	public       bool   // no authentication
	writes       bool   // may answer 409
}

var (
	pageParams    = []param{{"limit", "integer", "Page size, 1 to 500 (default 50).", nil}, {"offset", "integer", "Items to skip (default 0).", nil}}
	nameParams    = append([]param{{"q", "string", "Case-insensitive substring of the name.", nil}, {"sort", "string", "Sort key (name, created_at, updated_at, id); prefix - for descending.", nil}}, pageParams...)
	timeParamDesc = "RFC 3339 time or YYYY-MM-DD date (UTC)."
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

	{method: "GET", path: "/me", id: "getMe", tag: "users", summary: "The caller's own user.", status: 200, resp: "User"},
	{method: "GET", path: "/users", id: "listUsers", tag: "users", summary: "List users (admins).", status: 200, resp: "UserPage"},
	{method: "POST", path: "/users", id: "createUser", tag: "users", summary: "Create a user (admins).", body: "UserInput", status: 201, resp: "User", writes: true},
	{method: "PATCH", path: "/users/:id", id: "patchUser", tag: "users", summary: "Change a user's display name, role, password or active flag (admins).", body: "UserInput", status: 200, resp: "User", writes: true},
	{method: "GET", path: "/tokens", id: "listTokens", tag: "users", summary: "List the caller's API tokens (admins: any user's).", status: 200, resp: "APITokenPage",
		query: []param{{"username", "string", "Whose tokens (default: the caller; others need admin).", nil}}},
	{method: "POST", path: "/tokens", id: "createToken", tag: "users", summary: "Create an API token; its secret is shown only in this response.", body: "TokenRequest", bodyOptional: true, status: 201, resp: "NewToken", writes: true},
	{method: "DELETE", path: "/tokens/:id", id: "revokeToken", tag: "users", summary: "Revoke an API token (its owner or an admin).", status: 200, resp: "RevokeResult", writes: true},
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
		if op.body != "" {
			responses["413"] = problem
		}
		o := object{"operationId": op.id, "summary": op.summary, "tags": []string{op.tag}, "responses": responses}
		if params != nil {
			o["parameters"] = params
		}
		if op.body != "" {
			o["requestBody"] = object{"required": !op.bodyOptional,
				"content": object{"application/json": object{"schema": ref(op.body)}}}
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
