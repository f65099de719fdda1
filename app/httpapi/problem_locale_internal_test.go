package httpapi

import (
	"testing"

	"smartinventory/api"
	"smartinventory/locale"
)

func TestLocalizeProblem(t *testing.T) {
	p := Problem{Title: "Bad Request", Detail: "Validation failed.", Status: 400, Code: "invalid",
		Errors: []api.FieldError{{Field: "value", Message: "is required"}, {Field: "sku", Message: "SKU-1 is taken"}}}
	got := localizeProblem(p, locale.New("es", "", nil))
	if got.Title != "Solicitud incorrecta" || got.Detail != "La validación ha fallado." || got.Errors[0].Message != "es obligatorio" ||
		got.Errors[1].Message != "SKU-1 is taken" || got.Errors[0].Field != "value" || got.Code != "invalid" {
		t.Errorf("localized = %+v", got)
	}
	if p.Errors[0].Message != "is required" {
		t.Error("localizeProblem changed its argument's field errors")
	}
}
