package httpapi

import (
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
)

// Paging bounds of list endpoints.
const (
	defaultLimit = app.DefaultPageSize
	maxLimit     = app.MaxPageSize
)

// pathID parses the positive integer path parameter name; anything else is
// a 400 naming the parameter.
func pathID(c echo.Context, name string) (int64, error) {
	raw := c.Param(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, &app.Error{Code: app.EINVALID, Message: "Invalid path parameter.",
			Fields: []app.FieldError{{Field: name, Message: "must be a positive integer"}}}
	}
	return id, nil
}

// query parses query parameters, collecting every problem so that one 400
// names all the bad parameters.
type query struct {
	c      echo.Context
	fields []app.FieldError
}

func newQuery(c echo.Context) *query { return &query{c: c} }

func (q *query) bad(name, msg string) {
	q.fields = append(q.fields, app.FieldError{Field: name, Message: msg})
}

// str returns the trimmed parameter; one holding a NUL character is refused
// (the databases cannot take it).
func (q *query) str(name string) string {
	v := strings.TrimSpace(q.c.QueryParam(name))
	if strings.ContainsRune(v, 0) {
		q.bad(name, "must not contain NUL characters")
		return ""
	}
	return v
}

// id returns a positive id parameter, 0 when absent.
func (q *query) id(name string) int64 {
	raw := q.str(name)
	if raw == "" {
		return 0
	}
	v, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || v <= 0 {
		q.bad(name, "must be a positive integer")
		return 0
	}
	return v
}

// boolean returns a true/false parameter, false when absent.
func (q *query) boolean(name string) bool {
	raw := q.str(name)
	if raw == "" {
		return false
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		q.bad(name, "must be true or false")
		return false
	}
	return v
}

// oneOf returns the parameter when it is one of allowed (or absent).
func (q *query) oneOf(name string, allowed ...string) string {
	raw := q.str(name)
	if raw == "" {
		return ""
	}
	for _, a := range allowed {
		if raw == a {
			return raw
		}
	}
	q.bad(name, "must be one of "+strings.Join(allowed, ", "))
	return ""
}

// time returns an RFC 3339 time or a YYYY-MM-DD date (midnight UTC); with
// endOfDay a date means the midnight that ends it (for exclusive upper
// bounds), so to=2025-01-31 includes the 31st.
func (q *query) time(name string, endOfDay bool) time.Time {
	raw := q.str(name)
	if raw == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		return t.UTC()
	}
	t, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		q.bad(name, "must be an RFC 3339 time or a YYYY-MM-DD date")
		return time.Time{}
	}
	if endOfDay {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// page returns limit (1..500, default 50) and offset (≥ 0, default 0).
func (q *query) page() (limit, offset int) {
	limit = defaultLimit
	if raw := q.str("limit"); raw != "" {
		v, err := strconv.Atoi(raw)
		switch {
		case err != nil:
			q.bad("limit", "must be an integer")
		case v < 1 || v > maxLimit:
			q.bad("limit", "must be between 1 and "+strconv.Itoa(maxLimit))
		default:
			limit = v
		}
	}
	if raw := q.str("offset"); raw != "" {
		v, err := strconv.Atoi(raw)
		switch {
		case err != nil:
			q.bad("offset", "must be an integer")
		case v < 0:
			q.bad("offset", "must not be negative")
		default:
			offset = v
		}
	}
	return limit, offset
}

// err returns the collected problems as one EINVALID error, or nil.
func (q *query) err() error {
	if len(q.fields) == 0 {
		return nil
	}
	return &app.Error{Code: app.EINVALID, Message: "Invalid query parameters.", Fields: q.fields}
}
