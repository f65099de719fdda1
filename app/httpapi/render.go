package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/api"
)

// Page is the envelope of every list response (the API's type, shared
// with the Go client).
type Page[T any] = api.Page[T]

// encodeJSON writes v as JSON without escaping HTML characters.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	return nil
}

// render writes v as JSON with status.
func render(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(status)
	return encodeJSON(c.Response(), v)
}

// renderOK writes v as JSON with 200.
func renderOK(c echo.Context, v any) error { return render(c, http.StatusOK, v) }
