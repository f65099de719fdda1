package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/forecast/restock"
	"smartinventory/views"
)

// restockRoutes registers the restock page, a supplier group's rows and
// the draft-orders action with its result page.
func (w *Web) restockRoutes(r router) {
	r.GET("/restock", w.handleRestock, db.RoleViewer)
	r.GET("/restock/groups/:supplier", w.handleRestockGroup, db.RoleViewer)
	r.POST("/restock/drafts", w.handleRestockDrafts, db.RoleClerk)
	r.GET("/restock/created", w.handleRestockCreated, db.RoleClerk)
}

// urgencyOptions are the urgency filter's choices.
var urgencyOptions = []views.Option{{Value: "", Label: "All"}, {Value: "overdue", Label: "Overdue"},
	{Value: "this_week", Label: "This week"}, {Value: "later", Label: "Later"}}

// handleRestock lists suggestions grouped by supplier (page, or the
// results fragment for htmx filter changes). Groups show their totals;
// their rows load when a group is opened, so the page stays small with
// thousands of suggestions. A single group is shown open.
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
	groups := app.GroupBySupplier(lines)
	for _, g := range groups {
		gv := views.RestockGroupView{Supplier: g.SupplierName, Products: len(g.Lines), Units: g.Units, Value: views.FormatMoney(g.Value),
			Open: len(groups) == 1}
		if g.SupplierID != nil {
			gv.SupplierID = *g.SupplierID
		}
		q := url.Values{}
		if f.Urgency != "" {
			q.Set("urgency", f.Urgency)
		}
		gv.RowsURL = "/restock/groups/" + views.Itoa(gv.SupplierID)
		if len(q) > 0 {
			gv.RowsURL += "?" + q.Encode()
		}
		for _, line := range g.Lines {
			switch line.Urgency {
			case restock.Overdue:
				gv.Overdue++
			case restock.ThisWeek:
				gv.ThisWeek++
			}
			if gv.Open {
				gv.Rows = append(gv.Rows, restockRow(line))
			}
		}
		m.Groups = append(m.Groups, gv)
	}
	l.Total = len(lines)
	return w.renderList(c, l, views.RestockPage(p, m), views.RestockResults(p, m))
}

// handleRestockGroup renders one supplier's suggestion rows (0: products
// without a supplier), for a group opened on the restock page.
func (w *Web) handleRestockGroup(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("supplier"), 10, 64)
	if err != nil || id < 0 {
		return echo.NewHTTPError(http.StatusNotFound, "No such supplier.")
	}
	urgency := c.QueryParam("urgency")
	lines, err := w.app.Restock.Suggestions(c.Request().Context(), actor(c), app.RestockFilter{Urgency: urgency, SupplierID: id})
	if err != nil {
		return err
	}
	m := views.RestockGroupRows{CanDraft: actor(c).Role.Rank() >= db.RoleClerk.Rank()}
	for _, l := range lines {
		if id == 0 && l.SupplierID != nil {
			continue
		}
		m.Rows = append(m.Rows, restockRow(l))
	}
	return w.render(c, http.StatusOK, views.RestockTableRows(m))
}

// restockRow is the table row of a suggestion.
func restockRow(l app.RestockLine) views.RestockRow {
	r := views.RestockRow{ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Supplier: l.SupplierName,
		Stock: l.Stock, OnOrder: l.OnOrder, Quantity: l.Quantity, Value: views.FormatMoney(l.Value),
		ValueCents: int64(math.Round(l.Value * 100)),
		Urgency:    string(l.Urgency), OrderBy: "—", StockoutDate: "—", Reason: l.Reason}
	if l.SupplierID != nil {
		r.SupplierID = *l.SupplierID
	}
	if !l.OrderBy.IsZero() {
		r.OrderBy = l.OrderBy.UTC().Format(db.DayLayout)
	}
	if !l.StockoutDate.IsZero() {
		r.StockoutDate = l.StockoutDate.UTC().Format(db.DayLayout)
	}
	for _, d := range l.PendingDrafts {
		r.Drafts = append(r.Drafts, views.PendingDraftView{OrderID: d.OrderID, Quantity: d.Quantity})
	}
	return r
}

// handleRestockDrafts turns the checked suggestions into draft purchase
// orders (one per supplier) and shows the drafts made. Nothing checked is
// an error message, not "draft everything".
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
		w.setFlash(c, views.FlashInfo, "Nothing to draft: the chosen products are on drafts or approved orders already.")
		return redirect(c, "/restock")
	}
	ids := make([]string, len(orders))
	for i, o := range orders {
		ids[i] = views.Itoa(o.ID)
	}
	noun := "draft order"
	if len(orders) > 1 {
		noun += "s"
	}
	w.setFlash(c, views.FlashSuccess, fmt.Sprintf("Created %d %s from %d suggestions. Review and approve them.",
		len(orders), noun, len(in.Lines)))
	return redirect(c, "/restock/created?orders="+strings.Join(ids, ","))
}

// maxCreatedShown bounds the result page's list.
const maxCreatedShown = 100

// handleRestockCreated lists the drafts just made, each linked.
func (w *Web) handleRestockCreated(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	var rows []views.DraftResultRow
	for i, s := range strings.Split(c.QueryParam("orders"), ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id <= 0 || i >= maxCreatedShown {
			continue
		}
		po, err := w.app.Purchasing.Order(ctx, a, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		row := views.DraftResultRow{ID: po.ID, Lines: len(po.Lines), Total: views.FormatMoney(po.Total().Float())}
		if sup, err := w.app.Catalog.Supplier(ctx, a, po.SupplierID); err == nil {
			row.Supplier = sup.Name
		}
		rows = append(rows, row)
	}
	return w.render(c, http.StatusOK, views.RestockCreatedPage(w.page(c, "Draft orders created", "restock"), rows))
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
