package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// saleRoutes registers the sales pages. Void uses htmx: the row turns into
// a confirmation row, whose button posts and gets the voided row back.
func (w *Web) saleRoutes(r router) {
	r.GET("/sales", w.handleSaleList, db.RoleViewer)
	r.GET("/sales/new", w.handleSaleNew, db.RoleClerk)
	r.POST("/sales", w.handleSaleCreate, db.RoleClerk)
	r.GET("/sales/:id/row", w.handleSaleRow, db.RoleViewer)
	r.GET("/sales/:id/void", w.handleSaleVoidConfirm, db.RoleClerk)
	r.POST("/sales/:id/void", w.handleSaleVoid, db.RoleClerk)
}

// saleFormRename maps service field names to the sale form's fields.
var saleFormRename = map[string]string{"product_id": "sku"}

// handleSaleList lists sales filtered by product SKU, dates and status.
func (w *Web) handleSaleList(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	l := newList(c, "/sales", "#sale-results", "")
	f := app.SaleFilter{Voided: l.Query.Get("voided"), Limit: l.PageSize, Offset: offset(l)}
	if sku := l.Query.Get("sku"); sku != "" {
		p, err := w.app.Catalog.ProductBySKU(ctx, a, sku)
		switch {
		case app.ErrorCode(err) == app.ENOTFOUND:
			f.ProductID = -1 // no such product: no sales
		case err != nil:
			return err
		default:
			f.ProductID = p.ID
		}
	}
	if d, err := time.Parse(db.DayLayout, l.Query.Get("from")); err == nil {
		f.From = d
	}
	if d, err := time.Parse(db.DayLayout, l.Query.Get("to")); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	sales, total, err := w.app.Sales.List(ctx, a, f)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(sales))
	for _, s := range sales {
		ids = append(ids, s.ProductID)
	}
	labels, err := w.app.Catalog.ProductLabels(ctx, a, ids)
	if err != nil {
		return err
	}
	l.Total = total
	m := views.SalesModel{List: l}
	for _, s := range sales {
		m.Items = append(m.Items, views.SaleRow{Sale: s, SKU: labels[s.ProductID].SKU, Name: labels[s.ProductID].Name})
	}
	p := w.page(c, "Sales", "sales")
	return w.renderList(c, l, views.SalesPage(p, m), views.SaleResults(p, m))
}

// renderSaleForm renders the record-a-sale form with the chosen product's
// summary when the SKU is known.
func (w *Web) renderSaleForm(c echo.Context, status int, f views.Form) error {
	m := views.SaleFormModel{Form: f}
	if sku := f.Value("sku"); sku != "" {
		if p, err := w.app.Catalog.ProductBySKU(c.Request().Context(), actor(c), sku); err == nil {
			m.Product = p
		}
	}
	return w.render(c, status, views.SaleFormPage(w.page(c, "Record sale", "sales"), m))
}

// handleSaleNew shows the sale form (?sku= preselects a product).
func (w *Web) handleSaleNew(c echo.Context) error {
	f := views.NewForm()
	f.Values = map[string]string{"sku": c.QueryParam("sku"), "quantity": "1"}
	return w.renderSaleForm(c, http.StatusOK, f)
}

// handleSaleCreate records a sale; errors (unknown SKU, not enough stock)
// show next to the fields with the typed values kept.
func (w *Web) handleSaleCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := app.SaleInput{SKU: r.str("sku"), Quantity: r.int64("quantity"), UnitPrice: r.money("unit_price"),
		Channel: *r.str("channel"), Note: *r.str("note")}
	if *in.SKU == "" {
		in.SKU = nil
	}
	if !r.ok() {
		return w.renderSaleForm(c, http.StatusBadRequest, r.form)
	}
	res, err := w.app.Sales.Record(c.Request().Context(), actor(c), in)
	if applyError(&r.form, err, saleFormRename) {
		return w.renderSaleForm(c, formStatus(err), r.form)
	}
	if err != nil {
		return err
	}
	w.flashf(c, views.FlashSuccess, "Sale recorded: %d × %s at %s. Stock now %d.",
		res.Sale.Quantity, strings.TrimSpace(r.form.Value("sku")), w.localeOf(c).Money(res.Sale.UnitPrice.Float()), res.Stock)
	return redirect(c, "/sales")
}

// saleRow loads one sale with its product's label.
func (w *Web) saleRow(c echo.Context) (views.SaleRow, error) {
	id, err := pathID(c)
	if err != nil {
		return views.SaleRow{}, err
	}
	s, err := w.app.Sales.Sale(c.Request().Context(), actor(c), id)
	if err != nil {
		return views.SaleRow{}, err
	}
	labels, err := w.app.Catalog.ProductLabels(c.Request().Context(), actor(c), []int64{s.ProductID})
	if err != nil {
		return views.SaleRow{}, err
	}
	return views.SaleRow{Sale: *s, SKU: labels[s.ProductID].SKU, Name: labels[s.ProductID].Name}, nil
}

// handleSaleRow returns one row of the sales table (cancel of a void).
func (w *Web) handleSaleRow(c echo.Context) error {
	row, err := w.saleRow(c)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.SaleRowView(w.page(c, "", "sales"), row))
}

// handleSaleVoidConfirm asks before voiding: a row for htmx, a page otherwise.
func (w *Web) handleSaleVoidConfirm(c echo.Context) error {
	row, err := w.saleRow(c)
	if err != nil {
		return err
	}
	p := w.page(c, "Void sale", "sales")
	if isHTMX(c) {
		return w.render(c, http.StatusOK, views.SaleVoidRow(p, row))
	}
	return w.render(c, http.StatusOK, views.ConfirmPage(p, views.ConfirmModel{
		Title:   fmt.Sprintf("Void the sale of %d × %s?", row.Quantity, row.SKU),
		Message: "The units go back to stock and the sale leaves the sales figures.",
		Action:  "/sales/" + views.Itoa(row.ID) + "/void", Button: "Void sale", CancelHref: "/sales",
	}))
}

// handleSaleVoid voids a sale; htmx gets the voided row back.
func (w *Web) handleSaleVoid(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := w.app.Sales.Void(c.Request().Context(), actor(c), id, strings.TrimSpace(c.FormValue("reason"))); err != nil {
		return err
	}
	if isHTMX(c) {
		row, err := w.saleRow(c)
		if err != nil {
			return err
		}
		return w.render(c, http.StatusOK, views.SaleRowView(w.page(c, "", "sales"), row))
	}
	w.setFlash(c, views.FlashSuccess, "Sale voided; its units are back in stock.")
	return redirect(c, "/sales")
}
