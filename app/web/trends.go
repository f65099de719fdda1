package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/locale"
	"smartinventory/views"
)

// trendRoutes registers the trends page and the matrix cell fragment.
func (w *Web) trendRoutes(r router) {
	r.GET("/trends", w.handleTrends, db.RoleViewer)
	r.GET("/fragments/trends/cell", w.handleTrendCell, db.RoleViewer)
}

// trendRows is how many products each trends table lists.
const trendRows = 15

// cellRows is how many products a matrix cell lists.
const cellRows = 50

// handleTrends shows the matrix, movers, dead and excess stock; with
// ?abc=&xyz= it also lists that cell's products (the no-JavaScript path
// of the cell links).
func (w *Web) handleTrends(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	cells, err := w.app.Analytics.ABCXYZ(ctx, a)
	if err != nil {
		return err
	}
	var m views.TrendsModel
	abc, xyz := c.QueryParam("abc"), c.QueryParam("xyz")
	for _, cl := range cells {
		m.Cells = append(m.Cells, views.MatrixCell{ABC: cl.ABC, XYZ: cl.XYZ, Products: cl.Products,
			Revenue90: views.FormatMoney(cl.Revenue90), StockValue: views.FormatMoney(cl.StockValue),
			Selected: cl.ABC == abc && cl.XYZ == xyz})
	}
	if abc != "" || xyz != "" {
		cell, err := w.cellProducts(c, abc, xyz)
		if err != nil {
			return err
		}
		m.Cell = &cell
	}
	for _, s := range []struct {
		f     app.TrendFilter
		rows  *[]views.MoverRow
		total *int
	}{
		{app.TrendFilter{Mover: "fast", Sort: "units_30d"}, &m.Fast, nil},
		{app.TrendFilter{Mover: "slow", Sort: "-units_30d"}, &m.Slow, nil},
		{app.TrendFilter{Dead: true, Sort: "dead_value"}, &m.Dead, &m.DeadTotal},
		{app.TrendFilter{Excess: true, Sort: "excess_value"}, &m.Excess, &m.ExcessTotal},
	} {
		s.f.Limit = trendRows
		items, total, err := w.app.Analytics.Trends(ctx, a, s.f)
		if err != nil {
			return err
		}
		for _, t := range items {
			r := moverRow(w.localeOf(c), t)
			if s.f.Dead {
				r.Value = views.FormatMoney(t.DeadValue)
			} else if s.f.Excess {
				r.Value = views.FormatMoney(t.ExcessValue)
			}
			*s.rows = append(*s.rows, r)
		}
		if s.total != nil {
			*s.total = total
		}
	}
	return w.render(c, http.StatusOK, views.TrendsPage(w.page(c, "Trends", "trends"), m))
}

// handleTrendCell lists the products of one ABC×XYZ cell.
func (w *Web) handleTrendCell(c echo.Context) error {
	m, err := w.cellProducts(c, c.QueryParam("abc"), c.QueryParam("xyz"))
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.CellProducts(m))
}

// cellProducts returns a cell's products by revenue; unknown classes are 404.
func (w *Web) cellProducts(c echo.Context, abc, xyz string) (views.CellProductsModel, error) {
	if !oneOf(abc, "A", "B", "C") || !oneOf(xyz, "X", "Y", "Z") {
		return views.CellProductsModel{}, echo.NewHTTPError(http.StatusNotFound, "There is no such ABC×XYZ cell.")
	}
	items, total, err := w.app.Analytics.Trends(c.Request().Context(), actor(c),
		app.TrendFilter{ABC: abc, XYZ: xyz, Sort: "revenue_30d", Limit: cellRows})
	if err != nil {
		return views.CellProductsModel{}, err
	}
	m := views.CellProductsModel{ABC: abc, XYZ: xyz, Total: total}
	for _, t := range items {
		m.Rows = append(m.Rows, moverRow(w.localeOf(c), t))
	}
	return m, nil
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// moverRow is the table row of a product trend.
func moverRow(l *locale.Locale, t app.ProductTrend) views.MoverRow {
	r := views.MoverRow{ProductID: t.ProductID, SKU: t.SKU, Name: t.Name,
		Units30: l.Number(t.Units30, 0), Revenue30: l.Money(t.Revenue30),
		Velocity: l.Number(t.Velocity, 2), Change: l.Change(t.VelocityChange),
		Cover: locale.Dash, Stock: t.Stock, ABC: t.ABC, XYZ: t.XYZ, Class: t.Class}
	if t.DaysOfCover != nil {
		r.Cover = l.Number(*t.DaysOfCover, 0)
	}
	switch t.Direction { // significant changes only
	case "up":
		r.Change += " ↑"
	case "down":
		r.Change += " ↓"
	}
	return r
}
