package web

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"smartinventory/locale"
	"smartinventory/static"
	"smartinventory/views"
)

// render writes component t with status. It renders into a buffer first,
// so a failing component becomes a clean error page, not half a page.
// Pages vary on HX-Request (a URL answers with a page or a fragment) and
// are never cached: they hold the CSRF token and the user's data.
func (w *Web) render(c echo.Context, status int, t templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := t.Render(w.localized(c), buf); err != nil {
		return fmt.Errorf("web: render %s: %w", c.Path(), err)
	}
	h := c.Response().Header()
	h.Add("Vary", "HX-Request")
	h.Add("Vary", "Accept-Language")
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// page returns the layout data of the current request: the user, the CSRF
// token and the pending flash message.
func (w *Web) page(c echo.Context, title, nav string) views.Page {
	if locale.Has(title) {
		title = w.t(c, title)
	}
	p := views.Page{Title: title, Nav: nav, CSRF: w.csrfToken(c.Request().Context(), currentSession(c)),
		Flash: w.takeFlash(c), AssetVersion: static.Version}
	if u := currentUser(c); u != nil {
		p.User = &views.User{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role}
	}
	return p
}

// isHTMX reports whether the request wants a fragment: an htmx request
// that is not a history restore (those need the whole page).
func isHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-History-Restore-Request") != "true"
}

// redirect sends the browser to path after a successful action. htmx
// requests get HX-Location so the page changes without a full reload.
func redirect(c echo.Context, path string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", path)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, path)
}

// pageSize is the number of rows of list pages.
const pageSize = 25

// newList reads the list state (filters, sort, page) from the query.
// Empty parameters are dropped so URLs stay short.
func newList(c echo.Context, path, target, defaultSort string) views.List {
	q := url.Values{}
	for k, v := range c.QueryParams() {
		if len(v) > 0 && strings.TrimSpace(v[len(v)-1]) != "" {
			q.Set(k, strings.TrimSpace(v[len(v)-1]))
		}
	}
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	return views.List{Path: path, Query: q, Page: page, PageSize: pageSize, Target: target, DefaultSort: defaultSort}
}

// offset is the first row of the list's page.
func offset(l views.List) int { return (l.Page - 1) * l.PageSize }

// renderList renders the full page, or for htmx the results fragment with
// HX-Push-Url set to the canonical URL of the list (Back then works).
func (w *Web) renderList(c echo.Context, l views.List, page, fragment templ.Component) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Push-Url", l.URL("page", strconv.Itoa(l.Page)))
		return w.render(c, http.StatusOK, fragment)
	}
	return w.render(c, http.StatusOK, page)
}

// pathID parses the :id path parameter; a bad one is a 404.
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusNotFound, "There is no such page.")
	}
	return id, nil
}

// queryInt64 parses an optional integer query parameter (0 when absent or bad).
func queryInt64(l views.List, name string) int64 {
	n, _ := strconv.ParseInt(l.Query.Get(name), 10, 64)
	return n
}

// handleStatic serves the embedded assets. URLs carrying the current
// ?v=static.Version are cached for a year; others are revalidated.
// Directories are not listed: only files are served, anything else is
// the 404 page.
func handleStatic(c echo.Context) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if st, err := fs.Stat(static.FS, name); err != nil || st.IsDir() {
		return echo.ErrNotFound
	}
	if c.QueryParam("v") == static.Version {
		c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
	}
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	http.StripPrefix("/static/", http.FileServerFS(static.FS)).ServeHTTP(c.Response(), c.Request())
	return nil
}
