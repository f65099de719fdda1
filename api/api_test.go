package api_test

import (
	"encoding/json"
	"testing"

	"smartinventory/api"
)

// TestStatusAndCode checks that CodeFor reads StatusFor backwards for
// every code, so a client sees the code the server's service returned
// even from a response without a problem body.
func TestStatusAndCode(t *testing.T) {
	for _, code := range []string{api.EINVALID, api.ENOTFOUND, api.ECONFLICT, api.EFORBIDDEN, api.EUNAUTHORIZED, api.EINTERNAL} {
		if got := api.CodeFor(api.StatusFor(code)); got != code {
			t.Errorf("CodeFor(StatusFor(%q) = %d) = %q", code, api.StatusFor(code), got)
		}
	}
	if got := api.StatusFor("no such code"); got != 500 {
		t.Errorf("StatusFor(unknown) = %d, want 500", got)
	}
}

// TestProductInputLeavesAbsentFieldsOut checks the encoding a client
// sends: absent fields are left out (the server keeps their value), a
// Nullable cleared with Null is null (the server clears it).
func TestProductInputLeavesAbsentFieldsOut(t *testing.T) {
	tests := []struct {
		in   api.ProductInput
		want string
	}{
		{api.ProductInput{}, `{}`},
		{api.ProductInput{Name: api.Ptr("Tea")}, `{"name":"Tea"}`},
		{api.ProductInput{CategoryID: api.Null[int64](), LeadTimeDays: api.Of(3)}, `{"category_id":null,"lead_time_days":3}`},
		{api.ProductInput{UnitPrice: api.Ptr(api.Money(395)), Version: api.Ptr(int64(2))}, `{"unit_price":3.95,"version":2}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tt.in, b, err, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	line := 2
	fields := []api.FieldError{{Field: "sku", Message: "is required"}, {Field: "quantity", Message: "must be greater than 0", Index: &line},
		{Field: "a", Message: "x"}, {Field: "b", Message: "y"}, {Field: "c", Message: "z"}}
	tests := []struct {
		fields []api.FieldError
		want   string
	}{
		{nil, "Validation failed."},
		{fields[:2], "Validation failed.; sku: is required; line 2 quantity: must be greater than 0"},
		{fields, "Validation failed.; sku: is required; line 2 quantity: must be greater than 0; a: x; … 2 more"},
	}
	for _, tt := range tests {
		if got := api.ErrorText("Validation failed.", tt.fields); got != tt.want {
			t.Errorf("ErrorText(%d fields) = %q, want %q", len(tt.fields), got, tt.want)
		}
	}
}
