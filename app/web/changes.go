package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"smartinventory/db"
	"smartinventory/views"
)

// Live notice of changes by others
//
// List pages (views.ChangesLists) load /fragments/changes?list=<page>
// once shown; the answer fixes the time ("since", Unix milliseconds) and
// then polls itself like the dashboard's fragments: 304 while
// App.DataVersion is unchanged, else the number of audit events of the
// list's entity types newer than "since" by anyone but the viewer.

// changeRoutes registers the changes notice fragment.
func (w *Web) changeRoutes(r router) {
	r.GET(changesPath, w.fragment(w.buildChanges), db.RoleViewer)
}

const changesPath = "/fragments/changes"

// changeEntities are the audited entity types whose changes each list
// page shows (sales and movements change the products' stock).
var changeEntities = map[string][]string{
	"products":        {"product", "sale", "stock_movement"},
	"sales":           {"sale"},
	"purchase-orders": {"purchase_order"},
}

// buildChanges renders the notice at data version v.
func (w *Web) buildChanges(c echo.Context, v string) (templ.Component, error) {
	list := c.QueryParam("list")
	types, ok := changeEntities[list]
	if !ok {
		return nil, echo.NewHTTPError(http.StatusNotFound, "There is no such list.")
	}
	since, count := w.cfg.Now(), 0
	if s := c.QueryParam("since"); s != "" {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, echo.NewHTTPError(http.StatusBadRequest, "since must be a time in Unix milliseconds.")
		}
		since = time.UnixMilli(ms)
		n, err := w.app.Audit.ChangesSince(c.Request().Context(), actor(c), types, since)
		if err != nil {
			return nil, err
		}
		count = n
	}
	q := url.Values{"list": {list}, "since": {strconv.FormatInt(since.UnixMilli(), 10)}}.Encode()
	poll := views.Poll{URL: changesPath + "?" + q, Every: w.cfg.PollInterval, ETag: w.etag(c, v, changesPath, q)}
	return views.ChangesNotice(views.ChangesModel{Poll: poll, Count: count, RefreshHref: refreshHref(c, "/"+list)}), nil
}

// refreshHref is the path and query of the page an htmx request came
// from (HX-Current-URL), or def.
func refreshHref(c echo.Context, def string) string {
	u, err := url.Parse(c.Request().Header.Get("HX-Current-URL"))
	if err != nil || len(u.Path) < 1 || u.Path[0] != '/' || (len(u.Path) > 1 && u.Path[1] == '/') {
		return def
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}
