// Package api holds the JSON types of the Smart Inventory REST API
// (/api/v1): request bodies, responses, the list envelope, the problem
// type of error responses and the error codes. It imports only the
// standard library, so that a Go client of the API (app/client) builds
// without the server's dependencies (SQLite, pgx, Echo, gonum).
//
// The server uses the same definitions, so the two cannot drift apart:
//   - db.Money reads and writes JSON through Money; app.Nullable is
//     Nullable; FieldError, the error codes and MaxPageSize are the
//     server's too;
//   - the envelopes and the responses the HTTP layer itself builds (Page,
//     Problem, DeleteResult, VoidRequest, OrderRequest, ForecastResponse,
//     …) are httpapi's types (aliases);
//   - the entity and input types (Product, SaleInput, RestockLine, …)
//     mirror the server's domain types field for field, JSON name for JSON
//     name; httpapi's TestAPITypesMatchServer compares each with the
//     OpenAPI schema of the same name and fails on any difference.
//
// Every struct type here but Page is named like its schema in
// /api/v1/openapi.json (lists are ProductPage, SalePage, …: Page[Product]).
package api

// MaxPageSize is the largest page a list endpoint returns (?limit=).
const MaxPageSize = 500

// Page is the envelope of every list response: the items of this page,
// the total that match the filter, and the limit and offset used.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// Ptr returns a pointer to v, for building inputs.
func Ptr[T any](v T) *T { return &v }
