package cli

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"smartinventory/api"
	"smartinventory/app"
)

// fill sets every field of the value v points to, recursively, to a
// non-zero value (slices get one element, Nullable fields a value).
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				fill(f)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	}
}

// TestRemoteInputs checks that remote mode sends every field of every
// input: each app input, filled completely, converts to an api input with
// the same JSON.
func TestRemoteInputs(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		convert func(in any) any
	}{
		{"ProductInput", &app.ProductInput{}, func(in any) any { return productToAPI(*in.(*app.ProductInput)) }},
		{"SaleInput", &app.SaleInput{}, func(in any) any { return saleToAPI(*in.(*app.SaleInput)) }},
		{"AdjustmentInput", &app.AdjustmentInput{}, func(in any) any { return api.AdjustmentInput(*in.(*app.AdjustmentInput)) }},
		{"FromSuggestionsInput", &app.FromSuggestionsInput{}, func(in any) any { return suggestionsToAPI(*in.(*app.FromSuggestionsInput)) }},
		{"ReceiveInput", &app.ReceiveInput{}, func(in any) any { return receiveToAPI(*in.(*app.ReceiveInput)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fill(reflect.ValueOf(tt.in).Elem())
			want, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(tt.convert(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("sent %s\nwant %s", got, want)
			}
		})
	}
}
