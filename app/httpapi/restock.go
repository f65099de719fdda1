package httpapi

import (
	"github.com/labstack/echo/v4"

	"smartinventory/app"
)

// restockRoutes registers /restock.
func (h *handler) restockRoutes(g *router) {
	g.GET("/restock", h.handleRestockList)
}

// RestockList is the flat answer of GET /restock.
type RestockList struct {
	Items []app.RestockLine `json:"items"`
	Total int               `json:"total"`
}

// RestockGroups is the answer of GET /restock?group=supplier.
type RestockGroups struct {
	Groups []app.RestockGroup `json:"groups"`
}

// handleRestockList serves GET /restock: suggestions most urgent first,
// flat or grouped per supplier with totals.
func (h *handler) handleRestockList(c echo.Context) error {
	q := newQuery(c)
	f := app.RestockFilter{
		SupplierID: q.id("supplier_id"),
		Urgency:    q.oneOf("urgency", "overdue", "this_week", "later"),
		All:        q.boolean("all"),
	}
	group := q.oneOf("group", "supplier", "none")
	if err := q.err(); err != nil {
		return err
	}
	lines, err := h.app.Restock.Suggestions(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	if group == "supplier" {
		groups := app.GroupBySupplier(lines)
		if groups == nil {
			groups = []app.RestockGroup{}
		}
		return renderOK(c, RestockGroups{Groups: groups})
	}
	if lines == nil {
		lines = []app.RestockLine{}
	}
	return renderOK(c, RestockList{Items: lines, Total: len(lines)})
}
