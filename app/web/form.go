package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// formReader turns posted form fields into service inputs and remembers
// the typed values (to show them again) and the fields that do not parse.
type formReader struct {
	form views.Form
}

// readForm reads the posted fields into a views.Form. Of repeated fields
// (a checkbox and its hidden "false") the last wins. Passwords and the
// CSRF token are never echoed back.
func readForm(c echo.Context) (*formReader, error) {
	params, err := c.FormParams()
	if err != nil {
		return nil, err
	}
	f := views.NewForm()
	for k, v := range params {
		if k == formCSRF || k == "password" || len(v) == 0 {
			continue
		}
		// Browsers never send NUL; drop it rather than pass it to a
		// database that cannot store it.
		f.Values[k] = strings.ReplaceAll(v[len(v)-1], "\x00", "")
	}
	return &formReader{form: f}, nil
}

// str returns the trimmed value of a text field.
func (r *formReader) str(name string) *string {
	v := strings.TrimSpace(r.form.Values[name])
	return &v
}

// int64 parses an integer field; empty gives nil.
func (r *formReader) int64(name string) *int64 {
	v := strings.TrimSpace(r.form.Values[name])
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.form.Errors[name] = "must be a whole number"
		return nil
	}
	return &n
}

// int parses an integer field; empty gives nil.
func (r *formReader) int(name string) *int {
	n := r.int64(name)
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

// money parses an amount such as 12.50; empty gives nil.
func (r *formReader) money(name string) *db.Money {
	v := strings.TrimSpace(r.form.Values[name])
	if v == "" {
		return nil
	}
	m, err := db.ParseMoney(v)
	if err != nil {
		r.form.Errors[name] = "must be an amount such as 12.50"
		return nil
	}
	return &m
}

// float parses a decimal field; empty gives nil.
func (r *formReader) float(name string) *float64 {
	v := strings.TrimSpace(r.form.Values[name])
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		r.form.Errors[name] = "must be a number such as 0.95"
		return nil
	}
	return &f
}

// bool reads a checkbox (with its hidden "false").
func (r *formReader) bool(name string) *bool {
	b := r.form.Checked(name)
	return &b
}

// nullableInt64 reads an optional id: empty clears it.
func (r *formReader) nullableInt64(name string) app.Nullable[int64] {
	if n := r.int64(name); n != nil {
		return app.Of(*n)
	}
	return app.Null[int64]()
}

// ok reports whether every field parsed.
func (r *formReader) ok() bool { return len(r.form.Errors) == 0 }

// fieldLabels names fields in messages where the plain name reads badly.
var fieldLabels = map[string]string{
	"sku": "SKU", "unit_cost": "Unit cost", "unit_price": "Unit price", "min_order_qty": "Minimum order quantity",
	"lead_time_days": "Lead time", "service_level": "Service level", "reorder_point": "Manual reorder point",
	"pack_size": "Pack size", "category_id": "Category", "supplier_id": "Supplier", "display_name": "Display name",
	"contact_name": "Contact", "email": "E-mail", "delta": "Change", "product_id": "Product", "ttl_days": "Expiry",
}

// fieldLabel returns the human name of a field.
func fieldLabel(name string) string {
	if l, ok := fieldLabels[name]; ok {
		return l
	}
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// formStatus is the status of a form shown again with the errors of err
// (see applyError): the API's status for err (app.Status: 400 for invalid
// input, 409 for a conflict such as too little stock or a taken SKU).
func formStatus(err error) int {
	status, _ := app.Status(err)
	return status
}

// applyError puts a service error on the form: its field errors next to
// the fields (renamed by rename, e.g. product_id → sku) and everything else
// in the form message. It reports false for errors that are not about the
// input (not found, forbidden, internal), which the caller returns as is.
func applyError(f *views.Form, err error, rename map[string]string) bool {
	e, ok := app.AsError(err)
	if !ok || (e.Code != app.EINVALID && e.Code != app.ECONFLICT) {
		return false
	}
	for _, fe := range e.Fields {
		name := fe.Field
		if to, ok := rename[name]; ok {
			name = to
		}
		msg := fieldLabel(fe.Field) + " " + fe.Message
		if _, shown := f.Values[name]; shown && name != "version" {
			f.Errors[name] = msg
		} else if f.Message == "" {
			f.Message = msg
		} else {
			f.Message += "; " + msg
		}
	}
	if len(e.Fields) == 0 || e.Code == app.ECONFLICT && len(f.Errors) == 0 && f.Message == "" {
		f.Message = e.Message
	}
	return true
}
