package httpapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/api"
	"smartinventory/app"
	"smartinventory/locale"
)

// ProblemContentType is the media type of error responses (RFC 9457).
const ProblemContentType = api.ProblemContentType

// problemTypeBase prefixes the type URI of the problems this API defines.
const problemTypeBase = api.ProblemTypeBase

// Problem is an RFC 9457 problem details object (the API's type). Errors
// lists per-field problems of a validation error (Index is the line of a
// batch); Current holds the current representation of the entity on a
// stale-version conflict.
type Problem = api.Problem

// StatusFor maps an app error code to its HTTP status (api.StatusFor,
// which the Go client reads backwards).
func StatusFor(code string) int { return api.StatusFor(code) }

// ProblemFor returns the problem describing err, and whether err is an
// internal error (which callers log; its text never reaches the client).
func ProblemFor(err error) (p Problem, internal bool) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status := he.Code
		if status < 400 || status > 599 {
			status = http.StatusInternalServerError
		}
		p = Problem{Type: "about:blank", Title: http.StatusText(status), Status: status}
		if status >= 500 {
			return internalProblem(), true
		}
		if msg, ok := he.Message.(string); ok && msg != "" && msg != http.StatusText(status) {
			p.Detail = msg
		} else {
			p.Detail = echoDetail(status)
		}
		return p, false
	}
	status, _ := app.Status(err)
	ae, ok := app.AsError(err)
	if !ok || status == http.StatusInternalServerError {
		return internalProblem(), true
	}
	p = Problem{
		Type:    problemTypeBase + ae.Code,
		Title:   http.StatusText(status),
		Status:  status,
		Detail:  ae.Message,
		Code:    ae.Code,
		Errors:  ae.Fields,
		Current: ae.Current,
	}
	return p, false
}

// internalProblem is what every unexpected error shows: nothing internal.
func internalProblem() Problem {
	return Problem{
		Type:   problemTypeBase + app.EINTERNAL,
		Title:  http.StatusText(http.StatusInternalServerError),
		Status: http.StatusInternalServerError,
		Detail: "Internal error.",
		Code:   app.EINTERNAL,
	}
}

// echoDetail is the detail of the errors Echo itself raises.
func echoDetail(status int) string {
	switch status {
	case http.StatusNotFound:
		return "No such resource."
	case http.StatusMethodNotAllowed:
		return "This method is not allowed on this resource."
	case http.StatusRequestEntityTooLarge:
		return "The request body is too large."
	case http.StatusUnsupportedMediaType:
		return "Send the body as application/json."
	}
	return http.StatusText(status) + "."
}

// ErrorHandler returns the Echo HTTPErrorHandler that renders every error
// as problem+json, logging internal ones with logger (their text is never
// sent).
func ErrorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p, internal := ProblemFor(err)
		if internal {
			logger.ErrorContext(c.Request().Context(), "internal error",
				"err", err,
				"method", c.Request().Method,
				"path", c.Request().URL.Path,
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		}
		if ae, ok := app.AsError(err); ok && ae.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(ae.RetryAfter.Seconds()+0.999)))
		}
		if lang, ok := locale.Match(c.Request().Header.Get("Accept-Language")); ok {
			p = localizeProblem(p, locale.New(lang, "", nil))
		}
		if err := writeProblem(c, p); err != nil {
			logger.WarnContext(c.Request().Context(), "write problem", "err", err)
		}
	}
}

// localizeProblem translates the problem's title, detail and field
// messages that the catalogs know (a client that sends Accept-Language
// reads them in its language; the codes and field names stay).
func localizeProblem(p Problem, l *locale.Locale) Problem {
	tr := func(s string) string {
		if locale.Has(s) {
			return l.T(s)
		}
		return s
	}
	p.Title, p.Detail = tr(p.Title), tr(p.Detail)
	if len(p.Errors) > 0 {
		fields := make([]api.FieldError, len(p.Errors))
		for i, f := range p.Errors {
			f.Message = tr(f.Message)
			fields[i] = f
		}
		p.Errors = fields
	}
	return p
}

// writeProblem sends p with its status and content type.
func writeProblem(c echo.Context, p Problem) error {
	if c.Request().Method == http.MethodHead {
		return c.NoContent(p.Status)
	}
	c.Response().Header().Set(echo.HeaderContentType, ProblemContentType)
	c.Response().WriteHeader(p.Status)
	if err := encodeJSON(c.Response(), p); err != nil {
		return fmt.Errorf("encode problem: %w", err)
	}
	return nil
}
