package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// errTrailing reports data after the first JSON value of a body.
var errTrailing = errors.New("trailing data after the JSON value")

// decode reads the request body into v (a pointer to a struct) strictly:
// unknown fields, more than one JSON value, malformed JSON and values of the
// wrong type are EINVALID errors (400) naming the JSON field; a body larger
// than the limit is 413.
func (h *handler) decode(c echo.Context, v any) error {
	body, err := readBody(c.Request().Body, h.opt.BodyLimit)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return app.Errorf(app.EINVALID, "The request body is empty; send a JSON object.")
	}
	if err := strictUnmarshal(body, v); err != nil {
		return describeDecodeError(body, reflect.TypeOf(v), err)
	}
	return nulError(v)
}

// decodeOptional is decode for endpoints whose body may be empty.
func (h *handler) decodeOptional(c echo.Context, v any) error {
	body, err := readBody(c.Request().Body, h.opt.BodyLimit)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := strictUnmarshal(body, v); err != nil {
		return describeDecodeError(body, reflect.TypeOf(v), err)
	}
	return nulError(v)
}

// tooLarge is the error of a body over the limit.
func tooLarge(limit int64) error {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
		fmt.Sprintf("The request body is larger than %d bytes.", limit))
}

// readBody reads at most limit bytes of body; more is a 413 error.
func readBody(body io.Reader, limit int64) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		var he *echo.HTTPError
		if errors.As(err, &mbe) || (errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge) {
			return nil, tooLarge(limit)
		}
		return nil, app.Errorf(app.EINVALID, "The request body could not be read.")
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}

// strictUnmarshal decodes exactly one JSON value into v, refusing unknown fields.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailing
	}
	return nil
}

// describeDecodeError turns a decoding error into an EINVALID *app.Error
// whose Fields name the offending JSON fields (and batch lines).
func describeDecodeError(body []byte, typ reflect.Type, err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errTrailing):
		return app.Errorf(app.EINVALID, "The request body must hold exactly one JSON value.")
	case errors.As(err, &syn):
		return app.Errorf(app.EINVALID, "The request body is not valid JSON (error at byte %d).", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return app.Errorf(app.EINVALID, "The request body is not valid JSON (it ends too early).")
	}
	fields, isObject := locate(body, typ, nil)
	if !isObject {
		return app.Errorf(app.EINVALID, "The request body must be a JSON object.")
	}
	if len(fields) == 0 {
		return app.Errorf(app.EINVALID, "The request body does not match the expected fields.")
	}
	return &app.Error{Code: app.EINVALID, Message: "The request body has invalid fields.", Fields: fields}
}

// locate finds the fields of the JSON object raw that cannot be decoded into
// typ, recursing into arrays of objects (whose elements get their index).
// It reports false when raw is not a JSON object.
func locate(raw []byte, typ reflect.Type, index *int) ([]app.FieldError, bool) {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil || typ.Kind() != reflect.Struct {
		return nil, false
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []app.FieldError
	for _, key := range keys {
		sf, name, ok := jsonField(typ, key)
		if !ok {
			out = append(out, app.FieldError{Field: key, Message: "is not a known field", Index: index})
			continue
		}
		val := obj[key]
		if elem, ok := structSlice(sf.Type); ok {
			var items []json.RawMessage
			if err := json.Unmarshal(val, &items); err != nil {
				out = append(out, app.FieldError{Field: name, Message: "must be an array", Index: index})
				continue
			}
			for i, item := range items {
				i := i
				sub, isObj := locate(item, elem, &i)
				if !isObj && !bytes.Equal(bytes.TrimSpace(item), []byte("null")) {
					sub = []app.FieldError{{Field: name, Message: "must hold objects", Index: &i}}
				}
				out = append(out, sub...)
			}
			continue
		}
		if err := json.Unmarshal(val, reflect.New(sf.Type).Interface()); err != nil {
			out = append(out, app.FieldError{Field: name, Message: typeMessage(sf.Type), Index: index})
		}
	}
	return out, true
}

// jsonField finds the field of struct typ that the JSON key decodes into,
// matching names the way encoding/json does (exact, then case-insensitive).
func jsonField(typ reflect.Type, key string) (reflect.StructField, string, bool) {
	var fold *reflect.StructField
	var foldName string
	for i := 0; i < typ.NumField(); i++ {
		sf := typ.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if name == key {
			return sf, name, true
		}
		if fold == nil && strings.EqualFold(name, key) {
			f := sf
			fold, foldName = &f, name
		}
	}
	if fold != nil {
		return *fold, foldName, true
	}
	return reflect.StructField{}, "", false
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	moneyType       = reflect.TypeFor[db.Money]()
	timeType        = reflect.TypeFor[time.Time]()
)

// structSlice reports whether t is a slice of plain structs and returns the
// element type.
func structSlice(t reflect.Type) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Slice {
		return nil, false
	}
	e := t.Elem()
	if e.Kind() != reflect.Struct || reflect.PointerTo(e).Implements(unmarshalerType) {
		return nil, false
	}
	return e, true
}

// typeMessage says what a JSON value for a field of type t must be.
func typeMessage(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case moneyType:
		return "must be a number with at most two decimals"
	case timeType:
		return "must be an RFC 3339 date-time such as 2025-01-31T15:04:05Z"
	}
	if t.Kind() == reflect.Struct && strings.HasPrefix(t.Name(), "Nullable[") {
		if v, ok := t.FieldByName("V"); ok {
			return typeMessage(v.Type) + " or null"
		}
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "must be an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "must be a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "must be a number"
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Slice, reflect.Array:
		return "must be an array"
	}
	return "has the wrong type"
}
