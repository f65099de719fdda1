package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"smartinventory/app"
)

func TestCLIError(t *testing.T) {
	idx := 4
	tests := []struct {
		name string
		err  error
		code int
		msg  string
	}{
		{"nil", nil, ExitOK, ""},
		{"invalid with fields", &app.Error{Code: app.EINVALID, Message: "Validation failed.", Fields: []app.FieldError{
			{Field: "quantity", Message: "must be greater than 0"},
			{Field: "sku", Message: "is required", Index: &idx},
		}}, ExitUsage, "Validation failed.\n  quantity: must be greater than 0\n  line 4: sku: is required"},
		{"conflict", app.Errorf(app.ECONFLICT, "Not enough stock."), ExitConflict, "Not enough stock."},
		{"wrapped not found", fmt.Errorf("load: %w", app.Errorf(app.ENOTFOUND, "Product 9 not found.")), ExitNotFound, "Product 9 not found."},
		{"forbidden", app.Errorf(app.EFORBIDDEN, "No."), ExitUnauthorized, "No."},
		{"unauthorized", app.Errorf(app.EUNAUTHORIZED, "Who?"), ExitUnauthorized, "Who?"},
		{"internal code", app.Errorf(app.EINTERNAL, "Oops."), ExitError, "Oops."},
		{"plain", errors.New("disk full"), ExitError, "disk full"},
		{"interrupted", fmt.Errorf("seed: %w", context.Canceled), 130, "interrupted"},
		{"usage passes through", usagef("bad flag"), ExitUsage, "bad flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cliError(tt.err)
			if tt.err == nil {
				if err != nil {
					t.Fatalf("cliError(nil) = %v", err)
				}
				return
			}
			if got := exitCode(err); got != tt.code {
				t.Errorf("exit code %d, want %d", got, tt.code)
			}
			if err.Error() != tt.msg {
				t.Errorf("message %q, want %q", err.Error(), tt.msg)
			}
			if !errors.Is(err, tt.err) && !errors.Is(tt.err, errors.Unwrap(err)) {
				var ae *app.Error
				if !errors.As(err, &ae) {
					t.Errorf("the original error is lost: %v", err)
				}
			}
		})
	}
}
