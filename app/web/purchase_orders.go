package web

import (
	"fmt"
	"net/http"
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
	m := views.POModel{ID: po.ID, Supplier: sup.Name, Status: string(po.Status), Note: po.Note, Total: po.Total().String(),
		ApproveNote: note,
		Actions: views.POActions{
			// The button follows the service's rule (Purchasing.MayApprove);
			// the service still has the last word (its refusal is shown
			// as a flash).
			Approve: approve,
			Order:   po.Status == db.POApproved && p.Can(db.RoleManager),
			Cancel:  po.Status.Open() && p.Can(db.RoleManager),
			Receive: (po.Status == db.POOrdered || po.Status == db.POPartial) && p.Can(db.RoleClerk),
		},
		DefaultExpected: w.cfg.Now().UTC().AddDate(0, 0, sup.LeadTimeDays).Format(db.DayLayout)}
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
	}
	return w.render(c, http.StatusOK, views.POPage(p, m))
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

// handlePOReceive receives one line's goods.
func (w *Web) handlePOReceive(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	pid, qty := r.int64("product_id"), r.int64("quantity")
	if !r.ok() || pid == nil || qty == nil {
		w.setFlash(c, views.FlashError, "Enter the quantity received as a whole number.")
		return redirect(c, "/purchase-orders/"+c.Param("id"))
	}
	return w.poAction(c, fmt.Sprintf("received %d units", *qty), func(id int64) error {
		_, err := w.app.Purchasing.Receive(c.Request().Context(), actor(c), id,
			app.ReceiveInput{Lines: []app.ReceiveLine{{ProductID: pid, Quantity: qty}}})
		return err
	})
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
