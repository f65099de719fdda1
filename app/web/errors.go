package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/locale"
	"smartinventory/views"
)

// errorTitles are the headings of the error pages.
var errorTitles = map[int]string{
	http.StatusNotFound:         "Page not found",
	http.StatusForbidden:        "Not allowed",
	http.StatusConflict:         "Conflict",
	http.StatusBadRequest:       "Invalid request",
	http.StatusMethodNotAllowed: "Not allowed",
	http.StatusTooManyRequests:  "Too many requests",
}

// HandleError renders the error of a request outside /api/ as an error
// page (or, for htmx, the error panel, which app.js shows in the flash
// area). It is server.Options.HandleError and always handles the error.
func (w *Web) HandleError(err error, c echo.Context) bool {
	if c.Response().Committed {
		return true
	}
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. Please try again."
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		if status == http.StatusNotFound && he == echo.ErrNotFound {
			msg = "There is nothing at this address. It may have moved, or the link is wrong."
		}
	case app.ErrorCode(err) != app.EINTERNAL:
		// The API's status (app.Status), with an HTML body.
		status, _ = app.Status(err)
		msg = app.ErrorMessage(err)
	}
	if status == http.StatusUnauthorized {
		_ = w.toLogin(c)
		return true
	}
	if status >= 500 {
		w.logger.ErrorContext(c.Request().Context(), "web request failed",
			"method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		msg = "Something went wrong on our side. Please try again."
	}
	// Requests that failed before the middleware ran (unknown routes) still
	// get the navigation when the visitor is signed in.
	if c.Get(ctxSession) == nil {
		if s, ok, err := w.readSession(c.Request()); err == nil && ok {
			c.Set(ctxSession, s)
			if s.user != nil {
				c.Set(ctxUser, s.user)
			}
		}
	}
	setPageHeaders(c.Response().Header())
	title := errorTitles[status]
	if title == "" {
		title = http.StatusText(status)
	}
	if locale.Has(title) {
		title = w.t(c, title)
	}
	if locale.Has(msg) {
		msg = w.t(c, msg)
	}
	m := views.ErrorModel{Status: status, Title: title, Message: msg}
	var rerr error
	if isHTMX(c) {
		// The panel goes into the flash area, not where the request
		// meant to swap (app.js swaps error responses that say where).
		c.Response().Header().Set("HX-Retarget", "#flash-area")
		c.Response().Header().Set("HX-Reswap", "innerHTML")
		rerr = w.render(c, status, views.ErrorPanel(m))
	} else {
		rerr = w.render(c, status, views.ErrorPage(w.page(c, title, ""), m))
	}
	if rerr != nil {
		w.logger.Error("render error page", "err", rerr)
		_ = c.String(status, msg)
	}
	return true
}
