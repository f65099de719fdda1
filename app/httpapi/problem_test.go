package httpapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/httpapi"
)

func TestStatusFor(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{app.EINVALID, 400},
		{app.EUNAUTHORIZED, 401},
		{app.EFORBIDDEN, 403},
		{app.ENOTFOUND, 404},
		{app.ECONFLICT, 409},
		{app.EINTERNAL, 500},
		{"something-else", 500},
		{"", 500},
	}
	for _, tt := range tests {
		if got := httpapi.StatusFor(tt.code); got != tt.want {
			t.Errorf("StatusFor(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestProblemFor(t *testing.T) {
	idx := 2
	tests := []struct {
		name         string
		err          error
		wantStatus   int
		wantInternal bool
		wantDetail   string
		wantFields   int
	}{
		{"plain error is internal", errors.New("pq: password authentication failed for user secret"), 500, true, "Internal error.", 0},
		{"wrapped app error", fmt.Errorf("ctx: %w", app.Errorf(app.ENOTFOUND, "Product 9 not found.")), 404, false, "Product 9 not found.", 0},
		{"internal app error hides its message", app.Errorf(app.EINTERNAL, "disk full at /var/secret"), 500, true, "Internal error.", 0},
		{"validation with fields", &app.Error{Code: app.EINVALID, Message: "Validation failed.",
			Fields: []app.FieldError{{Field: "quantity", Message: "must be greater than 0", Index: &idx}}}, 400, false, "Validation failed.", 1},
		{"echo 404", echo.ErrNotFound, 404, false, "No such resource.", 0},
		{"echo 405", echo.ErrMethodNotAllowed, 405, false, "This method is not allowed on this resource.", 0},
		{"echo 413 with message", echo.NewHTTPError(413, "too big"), 413, false, "too big", 0},
		{"echo 500 hides its message", echo.NewHTTPError(500, "stack trace"), 500, true, "Internal error.", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, internal := httpapi.ProblemFor(tt.err)
			if p.Status != tt.wantStatus || internal != tt.wantInternal || p.Detail != tt.wantDetail || len(p.Errors) != tt.wantFields {
				t.Errorf("ProblemFor = %+v, internal %v; want status %d internal %v detail %q fields %d",
					p, internal, tt.wantStatus, tt.wantInternal, tt.wantDetail, tt.wantFields)
			}
			if p.Type == "" || p.Title != http.StatusText(p.Status) {
				t.Errorf("type %q title %q", p.Type, p.Title)
			}
		})
	}
}
