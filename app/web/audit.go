package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// auditRoutes registers the audit trail: the global page and the History
// fragment of entity pages. Reading the audit trail is for managers and
// admins (the service refuses anyone else too).
func (w *Web) auditRoutes(r router) {
	r.GET("/audit", w.handleAuditList, db.RoleManager)
	r.GET("/fragments/history/:type/:id", w.handleHistory, db.RoleManager)
}

// auditEntityOptions are the audit page's entity type filter choices.
var auditEntityOptions = []views.Option{{Value: "", Label: "All"},
	{Value: "product", Label: "Products"}, {Value: "supplier", Label: "Suppliers"}, {Value: "category", Label: "Categories"},
	{Value: "purchase_order", Label: "Purchase orders"}, {Value: "sale", Label: "Sales"},
	{Value: "stock_movement", Label: "Stock movements"}, {Value: "user", Label: "Users"},
	{Value: "api_token", Label: "API tokens"}, {Value: "setting", Label: "Settings"}}

// historyEntities are the entity types with a History section.
var historyEntities = []string{"product", "supplier", "purchase_order"}

// historySize is the number of events a History section shows; the rest
// are on the audit page.
const historySize = 20

// handleAuditList lists audit events, newest first, filtered by user,
// entity type (and entity id) and date range (page, or the results
// fragment for htmx).
func (w *Web) handleAuditList(c echo.Context) error {
	l := newList(c, "/audit", "#audit-results", "")
	f := app.AuditFilter{Username: l.Query.Get("user"), EntityType: l.Query.Get("entity_type"),
		EntityID: queryInt64(l, "entity_id"), Limit: l.PageSize, Offset: offset(l)}
	if !validOption(auditEntityOptions, f.EntityType) {
		return echo.NewHTTPError(http.StatusBadRequest, "Unknown entity type "+f.EntityType+".")
	}
	if d, err := time.Parse(db.DayLayout, l.Query.Get("from")); err == nil {
		f.From = d
	}
	if d, err := time.Parse(db.DayLayout, l.Query.Get("to")); err == nil {
		f.To = d.AddDate(0, 0, 1) // inclusive
	}
	evs, total, err := w.app.Audit.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	l.Total = total
	m := views.AuditModel{List: l, EntityTypes: auditEntityOptions, Items: auditViews(evs)}
	return w.renderList(c, l, views.AuditPage(w.page(c, "History", "audit"), m), views.AuditResults(m))
}

// handleHistory is the History fragment of a product, supplier or
// purchase order: its newest audit events.
func (w *Web) handleHistory(c echo.Context) error {
	typ := c.Param("type")
	if !slices.Contains(historyEntities, typ) {
		return echo.NewHTTPError(http.StatusNotFound, "There is no such history.")
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	evs, total, err := w.app.Audit.List(c.Request().Context(), actor(c),
		app.AuditFilter{EntityType: typ, EntityID: id, Limit: historySize})
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.History(views.HistoryModel{EntityType: typ, EntityID: id, Events: auditViews(evs), Total: total}))
}

// auditViews turns audit events into their views.
func auditViews(evs []db.AuditEvent) []views.AuditEventView {
	out := make([]views.AuditEventView, len(evs))
	for i, ev := range evs {
		out[i] = views.AuditEventView{ID: ev.ID, Username: ev.Username, Source: ev.Source, Action: ev.Action,
			EntityType: ev.EntityType, EntityID: ev.EntityID, EntityHref: entityHref(ev.EntityType, ev.EntityID),
			At: ev.CreatedAt, Changes: auditChanges(ev.Before, ev.After)}
	}
	return out
}

// entityHref is the page of an audited entity, "" when it has none.
func entityHref(typ string, id int64) string {
	if id == 0 {
		return ""
	}
	switch typ {
	case "product":
		return "/products/" + views.Itoa(id)
	case "supplier":
		return "/suppliers/" + views.Itoa(id) + "/edit"
	case "category":
		return "/categories/" + views.Itoa(id) + "/edit"
	case "purchase_order":
		return "/purchase-orders/" + views.Itoa(id)
	case "user":
		return "/users/" + views.Itoa(id) + "/edit"
	}
	return ""
}

// auditChanges lists the fields of an event's before and after objects
// (JSON, either may be empty), sorted by name, with their values as text.
func auditChanges(before, after string) []views.AuditChange {
	b, a := decodeObject(before), decodeObject(after)
	var fields []string
	for k := range b {
		fields = append(fields, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			fields = append(fields, k)
		}
	}
	slices.Sort(fields)
	out := make([]views.AuditChange, len(fields))
	for i, k := range fields {
		out[i] = views.AuditChange{Field: k, Before: valueText(k, b[k]), After: valueText(k, a[k])}
	}
	return out
}

// decodeObject decodes a JSON object, keeping numbers as written; nil
// when s is empty or not an object.
func decodeObject(s string) map[string]any {
	if s == "" {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var m map[string]any
	if d.Decode(&m) != nil {
		return nil
	}
	return m
}

// moneyFields are the audited fields holding amounts (db.Money, written
// as JSON numbers without trailing zeros: 12.5).
var moneyFields = map[string]bool{"unit_cost": true, "unit_price": true, "revenue": true}

// valueText is the audited value v of field as text: strings as they
// are, amounts with two decimals, null as "", anything else as compact
// JSON.
func valueText(field string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		if moneyFields[field] {
			if m, err := db.ParseMoney(x.String()); err == nil {
				return m.String()
			}
		}
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(raw)
}
