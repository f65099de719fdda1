package httpapi_test

import (
	"net/http"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// TestNULCharactersAreRefused: strings holding NUL (which the databases
// cannot store) are a 400 naming the field, in bodies and query strings.
func TestNULCharactersAreRefused(t *testing.T) {
	s := apptest.NewServer(t)
	tok := s.Token(t, db.RoleManager)
	tests := []struct {
		method, path, body, field string
		index                     int
	}{
		{"POST", "/api/v1/products", `{"sku":"A\u0000B","name":"x"}`, "sku", -1},
		{"POST", "/api/v1/products", `{"sku":"AB","name":"x\u0000y"}`, "name", -1},
		{"POST", "/api/v1/categories", `{"name":"c\u0000"}`, "name", -1},
		{"POST", "/api/v1/sales/batch", `{"lines":[{"sku":"AB","quantity":1},{"sku":"AB","quantity":1,"note":"n\u0000"}]}`, "note", 1},
		{"GET", "/api/v1/categories?q=%00", "", "q", -1},
		{"GET", "/api/v1/products?q=a%00", "", "q", -1},
	}
	for _, tt := range tests {
		var body any
		if tt.body != "" {
			body = tt.body
		}
		status, h, b := s.Do(t, tt.method, tt.path, tok, body)
		p := apptest.Problem(t, status, h, b)
		if status != http.StatusBadRequest || !apptest.HasField(p, tt.field, tt.index) {
			t.Errorf("%s %s %s: %d %s, want 400 on %s", tt.method, tt.path, tt.body, status, b, tt.field)
		}
	}
}
