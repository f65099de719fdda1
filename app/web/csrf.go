package web

import (
	"context"
	"crypto/hmac"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Where the CSRF token travels.
const (
	headerCSRF = "X-CSRF-Token"
	formCSRF   = "_csrf"
)

// csrfToken is the session's CSRF token: HMAC of its nonce.
func (w *Web) csrfToken(ctx context.Context, s session) string {
	if s.Nonce == "" {
		return ""
	}
	return sign(w.keys.get(ctx).csrf, s.Nonce)
}

// validCSRF reports whether token is the session's CSRF token.
func (w *Web) validCSRF(ctx context.Context, s session, token string) bool {
	want := w.csrfToken(ctx, s)
	return want != "" && token != "" && hmac.Equal([]byte(want), []byte(token))
}

// safeMethod reports whether m cannot change anything.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// errCSRF is the answer to a write without a valid token.
var errCSRF = echo.NewHTTPError(http.StatusForbidden,
	"This form has expired or did not come from this site. Reload the page and try again.")

// checkCSRF refuses unsafe requests whose X-CSRF-Token header or _csrf
// field of the form body (never the URL) is not the session's token, and requests browsers mark as
// cross-site (Sec-Fetch-Site), before any handler runs.
func (w *Web) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if safeMethod(r.Method) {
			return next(c)
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			return errCSRF
		}
		// The header or the form body only: a token in the URL would end up
		// in logs, history and Referer headers, so it does not count.
		token := r.Header.Get(headerCSRF)
		if token == "" {
			token = r.PostFormValue(formCSRF)
		}
		if !w.validCSRF(r.Context(), currentSession(c), token) {
			return errCSRF
		}
		return next(c)
	}
}
