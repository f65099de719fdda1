package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// restockRoutes registers the restock page and the draft-orders action.
func (w *Web) restockRoutes(r router) {
	r.GET("/restock", w.handleRestock, db.RoleViewer)
	r.POST("/restock/drafts", w.handleRestockDrafts, db.RoleClerk)
}

// urgencyOptions are the urgency filter's choices.
var urgencyOptions = []views.Option{{Value: "", Label: "All"}, {Value: "overdue", Label: "Overdue"},
	{Value: "this_week", Label: "This week"}, {Value: "later", Label: "Later"}}

// handleRestock lists suggestions grouped by supplier (page, or the
// results fragment for htmx filter changes).
func (w *Web) handleRestock(c echo.Context) error {
	l := newList(c, "/restock", "#restock-results", "")
	f := app.RestockFilter{Urgency: l.Query.Get("urgency"), SupplierID: queryInt64(l, "supplier")}
	lines, err := w.app.Restock.Suggestions(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	_, sups, _, _, err := w.refOptions(c, "All")
	if err != nil {
		return err
	}
	p := w.page(c, "Restock", "restock")
	m := views.RestockModel{List: l, Urgencies: urgencyOptions, Suppliers: sups, CanDraft: p.Can(db.RoleClerk)}
	for _, g := range app.GroupBySupplier(lines) {
		gv := views.RestockGroupView{Supplier: g.SupplierName, Units: g.Units, Value: views.FormatMoney(g.Value)}
		if g.SupplierID != nil {
			gv.SupplierID = *g.SupplierID
		}
		for _, line := range g.Lines {
			gv.Rows = append(gv.Rows, restockRow(line))
		}
		m.Groups = append(m.Groups, gv)
	}
	l.Total = len(lines)
	return w.renderList(c, l, views.RestockPage(p, m), views.RestockResults(p, m))
}

// restockRow is the table row of a suggestion.
func restockRow(l app.RestockLine) views.RestockRow {
	r := views.RestockRow{ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Supplier: l.SupplierName,
		Stock: l.Stock, OnOrder: l.OnOrder, Quantity: l.Quantity, Value: views.FormatMoney(l.Value),
		Urgency: string(l.Urgency), OrderBy: "—", StockoutDate: "—", Reason: l.Reason}
	if l.SupplierID != nil {
		r.SupplierID = *l.SupplierID
	}
	if !l.OrderBy.IsZero() {
		r.OrderBy = l.OrderBy.UTC().Format(db.DayLayout)
	}
	if !l.StockoutDate.IsZero() {
		r.StockoutDate = l.StockoutDate.UTC().Format(db.DayLayout)
	}
	return r
}

// handleRestockDrafts turns the checked suggestions into draft purchase
// orders (one per supplier) and shows the drafts. Nothing checked is an
// error message, not "draft everything".
func (w *Web) handleRestockDrafts(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return err
	}
	var in app.FromSuggestionsInput
	for _, s := range params["product"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "The chosen products are not valid.")
		}
		in.Lines = append(in.Lines, app.SuggestedLine{ProductID: app.Ptr(id)})
	}
	if len(in.Lines) == 0 {
		w.setFlash(c, views.FlashError, "Choose at least one product to order.")
		return redirect(c, "/restock")
	}
	if note := strings.TrimSpace(params.Get("note")); note != "" {
		in.Note = &note
	}
	orders, err := w.app.DraftOrdersFromSuggestions(c.Request().Context(), actor(c), in)
	if code := app.ErrorCode(err); code == app.EINVALID || code == app.ECONFLICT {
		w.setFlash(c, views.FlashError, "No drafts were created: "+errorText(err)+" Reload the suggestions and try again.")
		return redirect(c, "/restock")
	}
	if err != nil {
		return err
	}
	if len(orders) == 0 {
		w.setFlash(c, views.FlashInfo, "Nothing to draft: open orders already cover the chosen products.")
		return redirect(c, "/restock")
	}
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = "#" + views.Itoa(o.ID)
	}
	noun := "draft order"
	if len(orders) > 1 {
		noun += "s"
	}
	w.setFlash(c, views.FlashSuccess, fmt.Sprintf("Created %d %s (%s) from %d suggestions. Review and approve them below.",
		len(orders), noun, strings.Join(ids, ", "), len(in.Lines)))
	return redirect(c, "/purchase-orders?status=draft")
}

// errorText is an app error's message with its field messages, for flashes.
func errorText(err error) string {
	e, ok := app.AsError(err)
	if !ok {
		return app.ErrorMessage(err)
	}
	msg := e.Message
	for _, f := range e.Fields {
		msg += " " + fieldLabel(f.Field) + " " + f.Message + "."
	}
	return msg
}
