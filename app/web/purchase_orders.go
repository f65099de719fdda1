package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// purchaseOrderRoutes registers the purchase order pages and their state
// actions, each with the lowest role the service accepts for it.
func (w *Web) purchaseOrderRoutes(r router) {
	r.GET("/purchase-orders", w.handlePOList, db.RoleViewer)
	r.GET("/purchase-orders/:id", w.handlePOShow, db.RoleViewer)
	r.POST("/purchase-orders/:id/approve", w.handlePOApprove, db.RoleClerk)
	r.POST("/purchase-orders/:id/order", w.handlePOOrder, db.RoleManager)
	r.POST("/purchase-orders/:id/receive", w.handlePOReceive, db.RoleClerk)
	r.POST("/purchase-orders/:id/receive-all", w.handlePOReceiveAll, db.RoleClerk)
	r.POST("/purchase-orders/:id/lines", w.handlePOLines, db.RoleClerk)
	r.GET("/purchase-orders/:id/print", w.handlePOPrint, db.RoleViewer)
	r.GET("/purchase-orders/:id/pdf", w.handlePOPDF, db.RoleViewer)
	r.GET("/purchase-orders/:id/cancel", w.handlePOCancelConfirm, db.RoleManager)
	r.POST("/purchase-orders/:id/cancel", w.handlePOCancel, db.RoleManager)
}

// poStatusOptions are the status filter's choices.
var poStatusOptions = []views.Option{{Value: "", Label: "All"}, {Value: "open", Label: "Open"},
	{Value: string(db.PODraft), Label: "Draft"}, {Value: string(db.POApproved), Label: "Approved"},
	{Value: string(db.POOrdered), Label: "Ordered"}, {Value: string(db.POPartial), Label: "Partially received"},
	{Value: string(db.POReceived), Label: "Received"}, {Value: string(db.POCancelled), Label: "Cancelled"}}

// handlePOList lists purchase orders, newest first.
func (w *Web) handlePOList(c echo.Context) error {
	l := newList(c, "/purchase-orders", "#po-results", "")
	status := l.Query.Get("status")
	if !validOption(poStatusOptions, status) {
		return echo.NewHTTPError(http.StatusBadRequest, "Unknown status "+status+".")
	}
	items, total, err := w.app.Purchasing.ListOrders(c.Request().Context(), actor(c),
		app.OrderFilter{Status: status, SupplierID: queryInt64(l, "supplier"), Limit: l.PageSize, Offset: offset(l)})
	if err != nil {
		return err
	}
	_, sups, _, supName, err := w.refOptions(c, "All")
	if err != nil {
		return err
	}
	l.Total = total
	m := views.POListModel{List: l, Statuses: poStatusOptions, Suppliers: sups}
	for i := range items {
		po := &items[i]
		row := views.PORow{ID: po.ID, Supplier: supName[po.SupplierID], Status: string(po.Status), Lines: len(po.Lines),
			Total: po.Total().String(), Created: views.FormatTime(po.CreatedAt), Expected: views.FormatTimePtr(po.ExpectedAt)}
		for _, ln := range po.Lines {
			row.Units += ln.Quantity
		}
		m.Items = append(m.Items, row)
	}
	p := w.page(c, "Purchase orders", "purchase-orders")
	return w.renderList(c, l, views.POListPage(p, m), views.POResults(m))
}

func validOption(opts []views.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// handlePOShow shows one order with the actions the user may take.
func (w *Web) handlePOShow(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return w.renderPO(c, http.StatusOK, id, nil)
}

// poFormValues are the line editor's values of an order as stored.
func poFormValues(po *db.PurchaseOrder) views.Form {
	f := views.NewForm()
	f.Values["version"] = views.Itoa(po.Version)
	for _, l := range po.Lines {
		k := views.Itoa(l.ProductID)
		f.Values["qty-"+k] = views.Itoa(l.Quantity)
		f.Values["cost-"+k] = l.UnitCost.String()
	}
	return f
}

// renderPO renders order id; form (nil: the stored values) carries the
// line editor's or the receipt form's typed values and errors.
func (w *Web) renderPO(c echo.Context, status int, id int64, form *views.Form) error {
	ctx, a := c.Request().Context(), actor(c)
	po, err := w.app.Purchasing.Order(ctx, a, id)
	if err != nil {
		return err
	}
	sup, err := w.app.Catalog.Supplier(ctx, a, po.SupplierID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(po.Lines))
	for i, l := range po.Lines {
		ids[i] = l.ProductID
	}
	labels, err := w.app.Catalog.ProductLabels(ctx, a, ids)
	if err != nil {
		return err
	}
	p := w.page(c, fmt.Sprintf("Purchase order #%d", po.ID), "purchase-orders")
	approve, note := false, ""
	if po.Status == db.PODraft && p.Can(db.RoleClerk) {
		if approve, note, err = w.app.Purchasing.MayApprove(ctx, a, po); err != nil {
			return err
		}
	}
	m := views.POModel{ID: po.ID, Supplier: sup.Name, SupplierID: sup.ID, Status: string(po.Status), Note: po.Note, Total: po.Total().String(),
		ApproveNote: note,
		Actions: views.POActions{
			// The button follows the service's rule (Purchasing.MayApprove);
			// the service still has the last word (its refusal is shown
			// as a flash).
			Approve: approve,
			Order:   po.Status == db.POApproved && p.Can(db.RoleManager),
			Cancel:  po.Status.Open() && p.Can(db.RoleManager),
			Receive: (po.Status == db.POOrdered || po.Status == db.POPartial) && p.Can(db.RoleClerk),
			Edit:    po.Status == db.PODraft && p.Can(db.RoleClerk),
		},
		DefaultExpected: w.cfg.Now().UTC().AddDate(0, 0, sup.LeadTimeDays).Format(db.DayLayout)}
	if form != nil {
		m.Form = *form
	} else {
		m.Form = poFormValues(po)
	}
	if m.Actions.Edit {
		prods, _, err := w.app.Catalog.ListProducts(ctx, a, app.ProductFilter{SupplierID: po.SupplierID, Sort: "sku", Limit: 500})
		if err != nil {
			return err
		}
		for _, pr := range prods {
			m.SupplierProducts = append(m.SupplierProducts, views.Option{Value: pr.SKU, Label: pr.Name})
		}
	}
	m.Dates = append(m.Dates, views.Option{Label: "Created", Value: views.FormatTime(po.CreatedAt)})
	for _, d := range []struct {
		label string
		at    *time.Time
	}{{"Approved", po.ApprovedAt}, {"Ordered", po.OrderedAt}, {"Expected", po.ExpectedAt}, {"Received", po.ReceivedAt}, {"Cancelled", po.CancelledAt}} {
		if d.at != nil {
			m.Dates = append(m.Dates, views.Option{Label: d.label, Value: views.FormatTime(*d.at)})
		}
	}
	for _, l := range po.Lines {
		lb := labels[l.ProductID]
		m.Lines = append(m.Lines, views.POLineView{ProductID: l.ProductID, SKU: lb.SKU, Name: lb.Name, Quantity: l.Quantity,
			Received: l.ReceivedQty, Outstanding: l.Outstanding(), UnitCost: l.UnitCost.String(),
			Total: l.Total().String()})
		m.OutstandingUnits += l.Outstanding()
	}
	return w.render(c, status, views.POPage(p, m))
}

// poAction runs a state change of order :id and goes back to the order
// with a flash: success, or the service's refusal (a conflict such as a
// stale state, the four-eyes rule, an invalid quantity).
func (w *Web) poAction(c echo.Context, done string, run func(id int64) error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	back := "/purchase-orders/" + views.Itoa(id)
	err = run(id)
	switch app.ErrorCode(err) {
	case app.EINVALID, app.ECONFLICT, app.EFORBIDDEN:
		w.setFlash(c, views.FlashError, errorText(err))
		return redirect(c, back)
	}
	if err != nil {
		return err
	}
	w.setFlash(c, views.FlashSuccess, fmt.Sprintf("Purchase order #%d %s.", id, done))
	return redirect(c, back)
}

// handlePOApprove approves a draft.
func (w *Web) handlePOApprove(c echo.Context) error {
	return w.poAction(c, "approved", func(id int64) error {
		_, err := w.app.Purchasing.Approve(c.Request().Context(), actor(c), id)
		return err
	})
}

// handlePOOrder marks an approved order as sent, with the expected
// delivery date (empty: the supplier's lead time).
func (w *Web) handlePOOrder(c echo.Context) error {
	var expected *time.Time
	if s := c.FormValue("expected_at"); s != "" {
		t, err := time.Parse(db.DayLayout, s)
		if err != nil {
			w.setFlash(c, views.FlashError, "Expected delivery must be a date such as 2026-12-24.")
			return redirect(c, "/purchase-orders/"+c.Param("id"))
		}
		expected = &t
	}
	return w.poAction(c, "marked as ordered", func(id int64) error {
		_, err := w.app.Purchasing.MarkOrdered(c.Request().Context(), actor(c), id, expected)
		return err
	})
}

// handlePOReceive receives several lines in one go: the quantities typed
// in the receipt form's rcv-<product id> fields; empty and 0 lines are
// not received. The service refuses the whole receipt when any line is
// over its outstanding quantity, naming the line.
func (w *Web) handlePOReceive(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	po, err := w.app.Purchasing.Order(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	var in app.ReceiveInput
	var keys []string
	units := int64(0)
	for _, l := range po.Lines {
		k := "rcv-" + views.Itoa(l.ProductID)
		q := r.int64(k)
		if q == nil || *q == 0 {
			continue
		}
		in.Lines = append(in.Lines, app.ReceiveLine{ProductID: app.Ptr(l.ProductID), Quantity: q})
		keys = append(keys, k)
		units += *q
	}
	if !r.ok() {
		r.form.Message = "Quantities received must be whole numbers."
		return w.renderPO(c, http.StatusBadRequest, id, &r.form)
	}
	if len(in.Lines) == 0 {
		r.form.Message = "Enter the quantity received on at least one line, or use Receive all."
		return w.renderPO(c, http.StatusBadRequest, id, &r.form)
	}
	_, err = w.app.Purchasing.Receive(c.Request().Context(), actor(c), id, in)
	if indexedErrors(&r.form, err, func(i int, field string) string { return keys[i] }) {
		return w.renderPO(c, http.StatusBadRequest, id, &r.form)
	}
	if err != nil {
		return w.poAction(c, "", func(int64) error { return err })
	}
	w.setFlash(c, views.FlashSuccess, fmt.Sprintf("Purchase order #%d: received %d units on %d lines.", id, units, len(in.Lines)))
	return redirect(c, "/purchase-orders/"+views.Itoa(id))
}

// handlePOReceiveAll receives everything outstanding.
func (w *Web) handlePOReceiveAll(c echo.Context) error {
	return w.poAction(c, "received in full", func(id int64) error {
		_, err := w.app.Purchasing.ReceiveAll(c.Request().Context(), actor(c), id)
		return err
	})
}

// handlePOLines saves the draft's line editor: each line's quantity and
// unit cost (qty-<product id>, cost-<product id>), lines ticked
// remove-<product id> left out, and a new line by SKU (add-sku, add-qty,
// add-cost). The service replaces the lines if the version is current.
func (w *Web) handlePOLines(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	po, err := w.app.Purchasing.Order(ctx, a, id)
	if err != nil {
		return err
	}
	var lines []app.POLineInput
	var keys []string // the form key of each line, "add" for the new one
	for _, pid := range formLineIDs(r.form, po) {
		k := views.Itoa(pid)
		if r.form.Checked("remove-" + k) {
			continue
		}
		in := app.POLineInput{ProductID: app.Ptr(pid), Quantity: r.int64("qty-" + k), UnitCost: r.money("cost-" + k)}
		if in.Quantity == nil && r.form.Errors["qty-"+k] == "" {
			r.form.Errors["qty-"+k] = "Quantity: is required"
		}
		lines, keys = append(lines, in), append(keys, k)
	}
	if sku := strings.TrimSpace(r.form.Values["add-sku"]); sku != "" {
		in := app.POLineInput{Quantity: r.int64("add-qty"), UnitCost: r.money("add-cost")}
		if in.Quantity == nil && r.form.Errors["add-qty"] == "" {
			r.form.Errors["add-qty"] = "Quantity: is required"
		}
		p, err := w.app.Catalog.ProductBySKU(ctx, a, sku)
		switch {
		case app.ErrorCode(err) == app.ENOTFOUND:
			r.form.Errors["add-sku"] = fmt.Sprintf("SKU: no product has the SKU %q", sku)
		case err != nil:
			return err
		default:
			in.ProductID = &p.ID
			lines, keys = append(lines, in), append(keys, "add")
		}
	}
	for k, msg := range r.form.Errors {
		if !strings.Contains(msg, ":") {
			r.form.Errors[k] = poFieldLabel(k) + ": " + msg
		}
	}
	if !r.ok() {
		return w.renderPO(c, http.StatusBadRequest, id, &r.form)
	}
	_, err = w.app.Purchasing.UpdateOrder(ctx, a, id, app.POInput{Lines: lines, Version: r.int64("version")})
	if staleCurrent(err) != nil {
		w.setFlash(c, views.FlashError, "Someone changed this order while you were editing it; your changes were not saved. This is the order as it is now.")
		return redirect(c, "/purchase-orders/"+views.Itoa(id))
	}
	prefix := map[string]string{"quantity": "qty-", "unit_cost": "cost-", "product_id": "add-sku"}
	if indexedErrors(&r.form, err, func(i int, field string) string {
		k := keys[i]
		if field == "product_id" {
			return "add-sku"
		}
		if k == "add" {
			return map[string]string{"quantity": "add-qty", "unit_cost": "add-cost"}[field]
		}
		return prefix[field] + k
	}) {
		return w.renderPO(c, http.StatusBadRequest, id, &r.form)
	}
	if err != nil {
		return w.poAction(c, "", func(int64) error { return err })
	}
	w.setFlash(c, views.FlashSuccess, fmt.Sprintf("Purchase order #%d: lines saved.", id))
	return redirect(c, "/purchase-orders/"+views.Itoa(id))
}

// formLineIDs are the products of the lines the editor showed (its qty-
// fields): in the order's line order, then any the order no longer has
// (the service then reports the stale version).
func formLineIDs(f views.Form, po *db.PurchaseOrder) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, l := range po.Lines {
		if _, ok := f.Values["qty-"+views.Itoa(l.ProductID)]; ok {
			out, seen[l.ProductID] = append(out, l.ProductID), true
		}
	}
	var rest []int64
	for k := range f.Values {
		if id, err := strconv.ParseInt(strings.TrimPrefix(k, "qty-"), 10, 64); strings.HasPrefix(k, "qty-") && err == nil && !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// poFieldLabel names a line editor or receipt field in messages.
func poFieldLabel(key string) string {
	switch {
	case strings.HasPrefix(key, "qty-"), key == "add-qty":
		return "Quantity"
	case strings.HasPrefix(key, "cost-"), key == "add-cost":
		return "Unit cost"
	case strings.HasPrefix(key, "rcv-"):
		return "Quantity received"
	case key == "add-sku":
		return "SKU"
	}
	return fieldLabel(key)
}

// indexedErrors puts a service's validation errors of line inputs next to
// the form fields that carried them: name maps a field error's line index
// and field to the form key ("" or an unknown index: the form message).
// It reports false when err is not a validation error.
func indexedErrors(f *views.Form, err error, name func(i int, field string) string) bool {
	e, ok := app.AsError(err)
	if !ok || e.Code != app.EINVALID {
		return false
	}
	f.Message = e.Message
	for _, fe := range e.Fields {
		msg := fieldLabel(fe.Field) + ": " + fe.Message
		key := ""
		if fe.Index != nil {
			key = name(*fe.Index, fe.Field)
		}
		if key == "" {
			f.Message += " " + msg + "."
			continue
		}
		f.Errors[key] = msg
	}
	return true
}

// handlePOCancelConfirm asks before cancelling.
func (w *Web) handlePOCancelConfirm(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := w.app.Purchasing.Order(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	path := "/purchase-orders/" + views.Itoa(id)
	return w.render(c, http.StatusOK, views.ConfirmPage(w.page(c, fmt.Sprintf("Cancel order #%d", id), "purchase-orders"), views.ConfirmModel{
		Title:   fmt.Sprintf("Cancel purchase order #%d?", id),
		Message: "The order stays in the list as cancelled; goods already received stay in stock.",
		Action:  path + "/cancel", Button: "Cancel order", CancelHref: path,
	}))
}

// handlePOCancel cancels an order.
func (w *Web) handlePOCancel(c echo.Context) error {
	return w.poAction(c, "cancelled", func(id int64) error {
		_, err := w.app.Purchasing.Cancel(c.Request().Context(), actor(c), id)
		return err
	})
}
