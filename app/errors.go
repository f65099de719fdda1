package app

import (
	"errors"
	"fmt"
	"time"
)

// Error codes, free of any transport; the HTTP layers map them to statuses.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields says which
	ENOTFOUND     = "not_found"    // the entity does not exist
	ECONFLICT     = "conflict"     // the entity's state forbids it (stale version, stock, in use)
	EFORBIDDEN    = "forbidden"    // the actor's role may not do it
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EBUSY         = "busy"         // too many at once for this actor; try again after Error.RetryAfter
	EINTERNAL     = "internal"     // anything else
)

// FieldError is one problem with one input field. Index is the line of a
// batch the field belongs to, when there is one.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Index   *int   `json:"index,omitempty"`
}

// Error is an application error with a code, a human message, optional
// per-field problems and, for conflicts, the current state of the entity.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Current any
	// RetryAfter, for EBUSY, is when trying again makes sense.
	RetryAfter time.Duration
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	msg := e.Message
	for i, f := range e.Fields {
		if i == 3 {
			msg += fmt.Sprintf("; … %d more", len(e.Fields)-3)
			break
		}
		if f.Index != nil {
			msg += fmt.Sprintf("; line %d %s: %s", *f.Index, f.Field, f.Message)
		} else {
			msg += fmt.Sprintf("; %s: %s", f.Field, f.Message)
		}
	}
	return msg
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err's *Error, EINTERNAL for any other error
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err's *Error, or "Internal error."
// for any other error, so internal details never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// AsError returns err's *Error, if it has one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// validation collects field errors before any write.
type validation struct {
	fields []FieldError
	index  *int
}

func (v *validation) add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...), Index: v.index})
}

// err returns an EINVALID error holding every field error, or nil.
func (v *validation) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Validation failed.", Fields: v.fields}
}
