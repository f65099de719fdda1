package server

import (
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app/httpapi"
)

// Security headers
//
// Every response gets the headers that are safe for any content type:
// X-Content-Type-Options: nosniff (no MIME sniffing), X-Frame-Options:
// DENY and Referrer-Policy: same-origin, the values the web UI uses on
// its pages (app/web securityHeaders).
//
// Responses of the machine endpoints — the JSON API, /healthz, /readyz and
// /metrics — also get a Content-Security-Policy that allows nothing at all
// (default-src 'none', which is stricter than 'self': JSON and metrics load
// no scripts, styles or frames), frame-ancestors 'none' (never framed),
// and Cache-Control: no-store unless the handler chose its own.
//
// Responses over HTTPS (served with TLS, or, with TrustProxy, forwarded
// by a proxy that says X-Forwarded-Proto: https) get
// Strict-Transport-Security for a year, so browsers never fall back to
// plain HTTP for this host. Subdomains are left alone.
//
// Web pages set their own, fuller CSP (scripts and styles from 'self'
// only, frame-ancestors 'none') in their route middleware, which runs
// after this one and so overrides it; static files keep their caching.

// apiCSP is the Content-Security-Policy of API, health and metrics responses.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// machinePath reports whether path is served to programs rather than
// browsers: the API, the health checks and the metrics.
func machinePath(path string) bool {
	switch path {
	case "/healthz", "/readyz", metricsPath:
		return true
	}
	return path == httpapi.Prefix || strings.HasPrefix(path, httpapi.Prefix+"/")
}

// hsts is the Strict-Transport-Security of HTTPS responses.
const hsts = "max-age=31536000"

// securityHeaders sets the security headers described above before the
// handler runs, so they are on error responses too.
func securityHeaders(trustProxy bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			r := c.Request()
			if r.TLS != nil || (trustProxy && strings.EqualFold(r.Header.Get(echo.HeaderXForwardedProto), "https")) {
				h.Set(echo.HeaderStrictTransportSecurity, hsts)
			}
			h.Set(echo.HeaderXContentTypeOptions, "nosniff")
			h.Set(echo.HeaderXFrameOptions, "DENY")
			h.Set(echo.HeaderReferrerPolicy, "same-origin")
			if machinePath(c.Request().URL.Path) {
				h.Set(echo.HeaderContentSecurityPolicy, apiCSP)
				h.Set(echo.HeaderCacheControl, "no-store")
			}
			return next(c)
		}
	}
}
