package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// stockRoutes registers the stock ledger and its changes.
func (h *handler) stockRoutes(g *router) {
	g.GET("/stock-movements", h.handleMovementList)
	g.POST("/stock-adjustments", h.handleAdjustmentCreate)
	g.POST("/stock-receipts", h.handleReceiptCreate)
}

// movementKinds are the accepted values of the kind filter.
var movementKinds = []string{
	string(db.MoveInitial), string(db.MoveSale), string(db.MoveReceipt),
	string(db.MoveAdjustment), string(db.MoveReturn), string(db.MoveVoid),
}

// handleMovementList serves GET /stock-movements, newest first.
func (h *handler) handleMovementList(c echo.Context) error {
	q := newQuery(c)
	f := app.MovementFilter{ProductID: q.id("product_id"), Kind: q.oneOf("kind", movementKinds...)}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Stock.Movements(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.StockMovement]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handleAdjustmentCreate serves POST /stock-adjustments: 201 with the
// movement (its balance is the new stock); going below zero is a 409.
func (h *handler) handleAdjustmentCreate(c echo.Context) error {
	var in app.AdjustmentInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	m, err := h.app.Stock.Adjust(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, m)
}

// handleReceiptCreate serves POST /stock-receipts: 201 with the movement.
func (h *handler) handleReceiptCreate(c echo.Context) error {
	var in app.ReceiptInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	m, err := h.app.Stock.Receive(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, m)
}
