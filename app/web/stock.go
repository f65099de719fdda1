package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// stockRoutes registers the stock page and the two stock actions.
func (w *Web) stockRoutes(r router) {
	r.GET("/stock", w.handleStockPage, db.RoleViewer)
	r.POST("/stock/adjustments", w.handleStockAdjust, db.RoleClerk)
	r.POST("/stock/receipts", w.handleStockReceive, db.RoleClerk)
}

// handleStockPage shows the stock forms and the ledger.
func (w *Web) handleStockPage(c echo.Context) error {
	return w.renderStockPage(c, http.StatusOK, views.NewForm(), views.NewForm())
}

// renderStockPage renders the stock page with the given forms (carrying
// errors after a failed action), or the ledger fragment for htmx.
func (w *Web) renderStockPage(c echo.Context, status int, adjust, receive views.Form) error {
	ctx, a := c.Request().Context(), actor(c)
	l := newList(c, "/stock", "#movement-results", "")
	f := app.MovementFilter{Kind: l.Query.Get("kind"), Limit: l.PageSize, Offset: offset(l)}
	if sku := l.Query.Get("sku"); sku != "" {
		p, err := w.app.Catalog.ProductBySKU(ctx, a, sku)
		switch {
		case app.ErrorCode(err) == app.ENOTFOUND:
			f.ProductID = -1
		case err != nil:
			return err
		default:
			f.ProductID = p.ID
		}
	}
	moves, total, err := w.app.Stock.Movements(ctx, a, f)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(moves))
	for _, mv := range moves {
		ids = append(ids, mv.ProductID)
	}
	labels, err := w.app.Catalog.ProductLabels(ctx, a, ids)
	if err != nil {
		return err
	}
	l.Total = total
	m := views.StockModel{Movements: views.MovementsModel{List: l, ShowProduct: true}, Adjust: adjust, Receive: receive}
	m.Adjust.Prefix, m.Receive.Prefix = "adj-", "rcv-"
	for _, mv := range moves {
		m.Movements.Items = append(m.Movements.Items, views.MovementRow{StockMovement: mv, SKU: labels[mv.ProductID].SKU, Name: labels[mv.ProductID].Name})
	}
	if isHTMX(c) && status == http.StatusOK {
		return w.renderList(c, l, nil, views.MovementResults(m.Movements))
	}
	return w.render(c, status, views.StockPage(w.page(c, "Stock", "stock"), m))
}

// stockBack returns the page a stock form came from: the stock page or a
// product page (id > 0).
func stockBack(v string) (path string, productID int64) {
	if rest, ok := strings.CutPrefix(v, "/products/"); ok {
		if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
			return v, id
		}
	}
	return "/stock", 0
}

// renderStockForms shows the forms again on the page they came from, with
// the status of their error (formStatus).
func (w *Web) renderStockForms(c echo.Context, status int, back string, adjust, receive views.Form) error {
	if _, id := stockBack(back); id > 0 {
		return w.renderProductPage(c, status, id, adjust, receive)
	}
	return w.renderStockPage(c, status, adjust, receive)
}

// handleStockAdjust applies a stock adjustment or return.
func (w *Web) handleStockAdjust(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	back := r.form.Value("back")
	in := app.AdjustmentInput{SKU: r.str("sku"), Delta: r.int64("delta"), Reason: *r.str("reason"), Kind: r.form.Value("kind")}
	if *in.SKU == "" {
		in.SKU = nil
	}
	if !r.ok() {
		return w.renderStockForms(c, http.StatusBadRequest, back, r.form, views.NewForm())
	}
	mv, err := w.app.Stock.Adjust(c.Request().Context(), actor(c), in)
	if applyError(&r.form, err, saleFormRename) {
		return w.renderStockForms(c, formStatus(err), back, r.form, views.NewForm())
	}
	if err != nil {
		return err
	}
	path, _ := stockBack(back)
	w.flashf(c, views.FlashSuccess, "Stock of %s changed by %+d; now %d.", r.form.Value("sku"), mv.Delta, mv.Balance)
	return redirect(c, path)
}

// handleStockReceive records received goods.
func (w *Web) handleStockReceive(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	back := r.form.Value("back")
	in := app.ReceiptInput{SKU: r.str("sku"), Quantity: r.int64("quantity"), Reason: *r.str("reason")}
	if *in.SKU == "" {
		in.SKU = nil
	}
	if !r.ok() {
		return w.renderStockForms(c, http.StatusBadRequest, back, views.NewForm(), r.form)
	}
	mv, err := w.app.Stock.Receive(c.Request().Context(), actor(c), in)
	if applyError(&r.form, err, saleFormRename) {
		return w.renderStockForms(c, formStatus(err), back, views.NewForm(), r.form)
	}
	if err != nil {
		return err
	}
	path, _ := stockBack(back)
	w.flashf(c, views.FlashSuccess, "Received %d of %s; stock now %d.", mv.Delta, r.form.Value("sku"), mv.Balance)
	return redirect(c, path)
}
