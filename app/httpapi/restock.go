package httpapi

import (
	"fmt"

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
	ctx := c.Request().Context()
	// The role check first: cached answers must not bypass it.
	if err := h.app.Restock.CanRead(actor(c)); err != nil {
		return err
	}
	version := func() (string, error) { return h.app.DataVersion(ctx) }
	key := fmt.Sprintf("%d/%s/%t/%s", f.SupplierID, f.Urgency, f.All, group)
	return h.restock.serve(c, version, key, func() (any, error) {
		lines, err := h.app.Restock.Suggestions(ctx, actor(c), f)
		if err != nil {
			return nil, err
		}
		if group == "supplier" {
			groups := app.GroupBySupplier(lines)
			if groups == nil {
				groups = []app.RestockGroup{}
			}
			return RestockGroups{Groups: groups}, nil
		}
		if lines == nil {
			lines = []app.RestockLine{}
		}
		return RestockList{Items: lines, Total: len(lines)}, nil
	})
}
