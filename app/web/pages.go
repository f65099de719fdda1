package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/db"
	"smartinventory/views"
)

// pageRoutes registers the pages that are still placeholders. Another
// change replaces each with the real page; the nav keys stay.
func (w *Web) pageRoutes(r router) {
	r.GET("/", w.comingSoon("Dashboard", "dashboard",
		"KPIs, charts and restock alerts will appear here. Meanwhile, manage products, sales and stock from the menu."), db.RoleViewer)
	r.GET("/restock", w.comingSoon("Restock", "restock",
		"Restock suggestions by supplier, with the reasoning, will appear here."), db.RoleViewer)
	r.GET("/purchase-orders", w.comingSoon("Purchase orders", "purchase-orders",
		"Purchase orders and their approval steps will appear here."), db.RoleViewer)
	r.GET("/trends", w.comingSoon("Trends", "trends",
		"The ABC×XYZ matrix, fast and slow movers and dead stock will appear here."), db.RoleViewer)
}

// comingSoon returns the handler of a placeholder page.
func (w *Web) comingSoon(title, nav, text string) echo.HandlerFunc {
	return func(c echo.Context) error {
		return w.render(c, http.StatusOK, views.ComingSoonPage(w.page(c, title, nav), text))
	}
}
