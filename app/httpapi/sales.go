package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/api"
	"smartinventory/app"
	"smartinventory/db"
)

// saleRoutes registers /sales.
func (h *handler) saleRoutes(g *router) {
	g.GET("/sales", h.handleSaleList)
	g.POST("/sales", h.handleSaleCreate)
	g.POST("/sales/batch", h.handleSaleBatch)
	g.GET("/sales/:id", h.handleSaleGet)
	g.POST("/sales/:id/void", h.handleSaleVoid)
}

// BatchRequest is the body of POST /sales/batch.
type BatchRequest struct {
	Lines []app.SaleInput `json:"lines"`
}

// BatchResult answers POST /sales/batch: every recorded line, in order.
type BatchResult struct {
	Count int              `json:"count"`
	Items []app.SaleResult `json:"items"`
}

// VoidRequest is the optional body of POST /sales/{id}/void.
type VoidRequest = api.VoidRequest

// handleSaleList serves GET /sales, newest first.
func (h *handler) handleSaleList(c echo.Context) error {
	q := newQuery(c)
	f := app.SaleFilter{
		ProductID: q.id("product_id"),
		From:      q.time("from", false),
		To:        q.time("to", true),
		Voided:    q.oneOf("voided", "true", "false", "all"),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Sales.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.Sale]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handleSaleGet serves GET /sales/{id}.
func (h *handler) handleSaleGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	s, err := h.app.Sales.Sale(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, s)
}

// handleSaleCreate serves POST /sales: 201 with the sale and the new stock;
// not enough stock is a 409 and nothing is recorded.
func (h *handler) handleSaleCreate(c echo.Context) error {
	var in app.SaleInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	res, err := h.app.Sales.Record(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/sales/"+strconv.FormatInt(res.Sale.ID, 10))
	return render(c, http.StatusCreated, res)
}

// handleSaleBatch serves POST /sales/batch: all lines or none; errors carry
// the zero-based index of their line.
func (h *handler) handleSaleBatch(c echo.Context) error {
	var in BatchRequest
	if err := h.decode(c, &in); err != nil {
		return err
	}
	res, err := h.app.Sales.RecordBatch(c.Request().Context(), actor(c), in.Lines)
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, BatchResult{Count: len(res), Items: res})
}

// handleSaleVoid serves POST /sales/{id}/void; voiding twice is a 409.
func (h *handler) handleSaleVoid(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in VoidRequest
	if err := h.decodeOptional(c, &in); err != nil {
		return err
	}
	res, err := h.app.Sales.Void(c.Request().Context(), actor(c), id, in.Reason)
	if err != nil {
		return err
	}
	return renderOK(c, res)
}
