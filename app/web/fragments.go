package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"smartinventory/static"
	"smartinventory/views"
)

// Polled fragments and conditional requests
//
// The dashboard's cards and tables are fragments at their own URLs under
// /fragments/dashboard/ that refresh themselves (outerHTML) with
// hx-trigger="every <LivePollInterval>, smartinv:changed from:body";
// smartinv:changed comes from the event stream (events.go), so a change
// makes every fragment refetch at once, and the polls are the fallback.
// (The list pages' changes notice polls every PollInterval.) Each
// rendered fragment carries its ETag in hx-headers, so the next request
// sends If-None-Match; when nothing changed the server answers 304 Not
// Modified after computing only App.DataVersion (a few indexed lookups),
// and htmx keeps the element (the layout's htmx-config lists 304 as "no
// swap": htmx 2's default would swap the empty body in). Charts use the
// same ETags with the browser's own cache.

// etag returns the strong ETag of the representation at path?query at
// data version v: it covers the data, the URL, the user's role (pages
// hide what a role may not do), the poll intervals (they are in the
// markup) and the build (templates change with the assets).
func (w *Web) etag(c echo.Context, v, path, query string) string {
	h := sha256.New()
	role := ""
	if u := currentUser(c); u != nil {
		role = string(u.Role)
	}
	l := w.localeOf(c)
	for _, s := range []string{v, path, query, role, w.cfg.PollInterval.String(), w.cfg.LivePollInterval.String(), static.Version,
		l.Lang, l.Currency, l.Zone.String()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return `"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
}

// notModified computes the ETag of the request from the data version,
// sets it (with Cache-Control: private, no-cache, so browsers revalidate
// every time; w.render makes HTML no-store, which is fine as htmx sends
// If-None-Match itself) and reports whether the client's If-None-Match
// already holds it, after answering 304. Otherwise the caller renders at
// data version v.
func (w *Web) notModified(c echo.Context) (v string, done bool, err error) {
	v, err = w.app.DataVersion(c.Request().Context())
	if err != nil {
		return "", false, err
	}
	u := c.Request().URL
	etag := w.etag(c, v, u.Path, u.RawQuery)
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set(echo.HeaderCacheControl, "private, no-cache")
	if etagMatch(c.Request().Header.Get("If-None-Match"), etag) {
		return v, true, c.NoContent(http.StatusNotModified)
	}
	return v, false, nil
}

// fragment returns the handler of a polled fragment: 304 when the client
// has the current version, else the component build makes at version v.
func (w *Web) fragment(build func(c echo.Context, v string) (templ.Component, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, done, err := w.notModified(c)
		if err != nil || done {
			return err
		}
		t, err := build(c, v)
		if err != nil {
			return err
		}
		return w.render(c, http.StatusOK, t)
	}
}

// etagMatch reports whether an If-None-Match header value lists etag (or
// is "*"). Weak validators match their strong twin (RFC 9110 weak
// comparison, as If-None-Match requires).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// poll returns the refresh settings of the dashboard fragment at url
// rendered at data version v: change events, and slow polls as fallback.
func (w *Web) poll(c echo.Context, url, v string) views.Poll {
	return views.Poll{URL: url, Every: w.cfg.LivePollInterval, Events: true, ETag: w.etag(c, v, url, "")}
}

// versioned caches one value computed at a data version; concurrent
// callers at the same version wait for one computation.
type versioned[T any] struct {
	mu      sync.Mutex
	version string
	ok      bool
	val     T
}

// get returns the cached value when it was computed at version, else
// computes, caches and returns it. Errors are not cached.
func (v *versioned[T]) get(version string, build func() (T, error)) (T, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ok && v.version == version {
		return v.val, nil
	}
	val, err := build()
	if err != nil {
		var zero T
		return zero, err
	}
	v.val, v.version, v.ok = val, version, true
	return val, nil
}
