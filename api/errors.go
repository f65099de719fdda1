package api

import (
	"fmt"
	"strings"
)

// Error codes: the "code" of a problem response, and the codes of the
// server's service errors (app.EINVALID and the others are these).
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields says which
	ENOTFOUND     = "not_found"    // the entity does not exist
	ECONFLICT     = "conflict"     // the entity's state forbids it (stale version, stock, in use)
	EFORBIDDEN    = "forbidden"    // the actor's role may not do it
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EINTERNAL     = "internal"     // anything else
)

// ProblemContentType is the media type of error responses (RFC 9457).
const ProblemContentType = "application/problem+json"

// ProblemTypeBase prefixes the type URI of the problems this API defines
// (followed by the error code).
const ProblemTypeBase = "urn:smartinventory:problem:"

// FieldError is one problem with one input field. Index is the line of a
// batch the field belongs to, when there is one.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Index   *int   `json:"index,omitempty"`
}

// Problem is an RFC 9457 problem details object. Errors lists per-field
// problems of a validation error (Index is the line of a batch); Current
// holds the current representation of the entity on a stale-version
// conflict.
type Problem struct {
	Type    string       `json:"type"`
	Title   string       `json:"title"`
	Status  int          `json:"status"`
	Detail  string       `json:"detail,omitempty"`
	Code    string       `json:"code,omitempty"`
	Errors  []FieldError `json:"errors,omitempty"`
	Current any          `json:"current,omitempty"`
}

// StatusFor maps an error code to its HTTP status (500 for EINTERNAL and
// unknown codes). It is the only place that does. (The statuses are
// written as numbers so that this package, which the domain types use for
// Money, does not pull in net/http.)
func StatusFor(code string) int {
	switch code {
	case EINVALID:
		return 400
	case ENOTFOUND:
		return 404
	case ECONFLICT:
		return 409
	case EFORBIDDEN:
		return 403
	case EUNAUTHORIZED:
		return 401
	}
	return 500
}

// CodeFor is the error code of an error status that came without one
// (from something in front of the server, or a body that is not a
// problem): StatusFor read backwards, with the other client errors the
// server answers (413, 415, 422, 412) mapped to their nearest code.
func CodeFor(status int) string {
	switch status {
	case 400, 422, 413, 415:
		return EINVALID
	case 401:
		return EUNAUTHORIZED
	case 403:
		return EFORBIDDEN
	case 404:
		return ENOTFOUND
	case 409, 412:
		return ECONFLICT
	}
	return EINTERNAL
}

// ErrorText is how an error with a message and field problems reads on
// one line: the message, then "; field: message" for the first three
// fields ("; line N field: message" for a batch line) and how many more
// there are.
func ErrorText(message string, fields []FieldError) string {
	if len(fields) == 0 {
		return message
	}
	var b strings.Builder
	b.WriteString(message)
	for i, f := range fields {
		if i == 3 {
			fmt.Fprintf(&b, "; … %d more", len(fields)-3)
			break
		}
		if f.Index != nil {
			fmt.Fprintf(&b, "; line %d %s: %s", *f.Index, f.Field, f.Message)
		} else {
			fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
		}
	}
	return b.String()
}
