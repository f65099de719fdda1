package app

import (
	"errors"
	"fmt"
	"time"

	"smartinventory/api"
)

// Error codes, free of any transport; the HTTP layers map them to statuses.
// They are the API's codes (the "code" of a problem response).
const (
	EINVALID      = api.EINVALID      // the input breaks a rule; Fields says which
	ENOTFOUND     = api.ENOTFOUND     // the entity does not exist
	ECONFLICT     = api.ECONFLICT     // the entity's state forbids it (stale version, stock, in use)
	EFORBIDDEN    = api.EFORBIDDEN    // the actor's role may not do it
	EUNAUTHORIZED = api.EUNAUTHORIZED // no valid credentials
	EBUSY         = api.EBUSY         // too many at once for this actor; try again after Error.RetryAfter
	EINTERNAL     = api.EINTERNAL     // anything else
)

// FieldError is one problem with one input field. Index is the line of a
// batch the field belongs to, when there is one. It is the API's type.
type FieldError = api.FieldError

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

// Error implements error: the message, then the first field problems.
func (e *Error) Error() string { return api.ErrorText(e.Message, e.Fields) }

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

// Status returns the HTTP status of err and its code: the one mapping
// from errors to statuses, which the JSON API (as problem+json) and the
// web pages (as HTML) both answer with. Invalid input is 400, a missing
// entity 404, a conflict 409 and so on (api.StatusFor); any error that is
// not an *Error is 500 with code EINTERNAL, and nil is 200 with "".
func Status(err error) (status int, code string) {
	if err == nil {
		return 200, ""
	}
	code = ErrorCode(err)
	return api.StatusFor(code), code
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
	return &Error{Code: EINVALID, Message: "Validation failed.", Fields: limitFields(v.fields)}
}
