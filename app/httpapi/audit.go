package httpapi

import (
	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// auditRoutes registers /audit-events.
func (h *handler) auditRoutes(g *router) {
	g.GET("/audit-events", h.handleAuditList)
}

// handleAuditList serves GET /audit-events (managers and admins), newest first.
func (h *handler) handleAuditList(c echo.Context) error {
	q := newQuery(c)
	f := app.AuditFilter{
		Username:   q.str("username"),
		EntityType: q.str("entity_type"),
		EntityID:   q.id("entity_id"),
		From:       q.time("from", false),
		To:         q.time("to", true),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Audit.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []db.AuditEvent{} // Audit.List returns nil when nothing matches
	}
	return renderOK(c, Page[db.AuditEvent]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}
