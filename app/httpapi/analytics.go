package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/forecast/trend"
)

// analyticsRoutes registers trends, the ABC×XYZ matrix and the dashboard KPIs.
func (h *handler) analyticsRoutes(g *router) {
	g.GET("/analytics/trends", h.handleTrendList)
	g.GET("/analytics/abc-xyz", h.handleABCXYZ)
	g.GET("/dashboard/kpis", h.handleKPIs)
}

// Values accepted by the trend filters.
var (
	demandClasses = []string{"smooth", "erratic", "intermittent", "lumpy", "short", "dead"}
	moverKinds    = []string{"fast", "slow", "normal", "none"}
)

// ABCXYZResponse is the ABC×XYZ matrix: nine cells AX, AY, AZ, BX … CZ.
type ABCXYZResponse struct {
	Cells []trend.Cell `json:"cells"`
}

// handleTrendList serves GET /analytics/trends.
func (h *handler) handleTrendList(c echo.Context) error {
	q := newQuery(c)
	f := app.TrendFilter{
		CategoryID: q.id("category_id"),
		SupplierID: q.id("supplier_id"),
		Class:      q.oneOf("class", demandClasses...),
		ABC:        q.oneOf("abc", "A", "B", "C"),
		XYZ:        q.oneOf("xyz", "X", "Y", "Z"),
		Mover:      q.oneOf("mover", moverKinds...),
		Dead:       q.boolean("dead"),
		Excess:     q.boolean("excess"),
		Sort:       q.trendSort("sort"),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Analytics.Trends(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.ProductTrend{}
	}
	return renderOK(c, Page[app.ProductTrend]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// trendSort returns a trend sort key, optionally prefixed with "-".
func (q *query) trendSort(name string) string {
	raw := q.str(name)
	key := strings.TrimPrefix(raw, "-")
	if raw == "" {
		return ""
	}
	for _, k := range app.TrendSortKeys() {
		if k == key {
			return raw
		}
	}
	q.bad(name, "must be one of "+strings.Join(app.TrendSortKeys(), ", ")+"; prefix - to reverse")
	return ""
}

// handleABCXYZ serves GET /analytics/abc-xyz.
func (h *handler) handleABCXYZ(c echo.Context) error {
	cells, err := h.app.Analytics.ABCXYZ(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	if cells == nil {
		cells = []trend.Cell{}
	}
	return renderOK(c, ABCXYZResponse{Cells: cells})
}

// handleKPIs serves GET /dashboard/kpis.
func (h *handler) handleKPIs(c echo.Context) error {
	k, err := h.app.Restock.KPIs(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return renderOK(c, k)
}
