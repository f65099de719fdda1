package httpapi

import (
	"reflect"
	"strings"

	"smartinventory/app"
)

// nulFields returns a field error for every decoded string that holds a NUL
// character ("\u0000" in JSON), which neither database can store. Fields
// are named by their JSON names, with the index of batch lines.
func nulFields(v any) []app.FieldError {
	var out []app.FieldError
	walkStrings(reflect.ValueOf(v), "", nil, func(field string, index *int) {
		out = append(out, app.FieldError{Field: field, Message: "must not contain NUL characters", Index: index})
	})
	return out
}

func walkStrings(v reflect.Value, field string, index *int, bad func(string, *int)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), field, index, bad)
		}
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			bad(field, index)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			i := i
			walkStrings(v.Index(i), field, &i, bad)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if k.Kind() == reflect.String && strings.ContainsRune(k.String(), 0) {
				bad(field, index)
			}
			walkStrings(v.MapIndex(k), field, index, bad)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			switch {
			case name == "-":
				continue
			case name == "" && f.Anonymous:
				name = field
			case name == "":
				name = f.Name
			}
			walkStrings(v.Field(i), name, index, bad)
		}
	}
}

// nulError is the 400 for strings holding NUL characters, or nil.
func nulError(v any) error {
	fields := nulFields(v)
	if len(fields) == 0 {
		return nil
	}
	return &app.Error{Code: app.EINVALID, Message: "Validation failed.", Fields: fields}
}
