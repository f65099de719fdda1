package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/api"
	"smartinventory/app"
	"smartinventory/db"
)

// purchaseOrderRoutes registers /purchase-orders.
func (h *handler) purchaseOrderRoutes(g *router) {
	g.GET("/purchase-orders", h.handlePOList)
	g.POST("/purchase-orders", h.handlePOCreate)
	g.POST("/purchase-orders/from-suggestions", h.handlePOFromSuggestions)
	g.GET("/purchase-orders/:id", h.handlePOGet)
	g.PATCH("/purchase-orders/:id", h.handlePOPatch)
	g.POST("/purchase-orders/:id/approve", h.handlePOApprove)
	g.POST("/purchase-orders/:id/order", h.handlePOOrder)
	g.POST("/purchase-orders/:id/receive", h.handlePOReceive)
	g.POST("/purchase-orders/:id/cancel", h.handlePOCancel)
}

// poStatuses are the accepted values of the status filter.
var poStatuses = []string{"open", string(db.PODraft), string(db.POApproved), string(db.POOrdered),
	string(db.POPartial), string(db.POReceived), string(db.POCancelled)}

// OrderRequest is the optional body of POST /purchase-orders/{id}/order.
// ExpectedAt is the expected delivery: an RFC 3339 time or a YYYY-MM-DD
// date (midnight UTC); default: now + the supplier's lead time.
type OrderRequest = api.OrderRequest

// DraftList answers POST /purchase-orders/from-suggestions: the drafts
// created, none when open orders already cover every suggestion.
type DraftList struct {
	Items []db.PurchaseOrder `json:"items"`
	Total int                `json:"total"`
}

// handlePOList serves GET /purchase-orders, newest first.
func (h *handler) handlePOList(c echo.Context) error {
	q := newQuery(c)
	f := app.OrderFilter{
		Status:     q.oneOf("status", poStatuses...),
		SupplierID: q.id("supplier_id"),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Purchasing.ListOrders(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.PurchaseOrder]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handlePOGet serves GET /purchase-orders/{id}.
func (h *handler) handlePOGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	po, err := h.app.Purchasing.Order(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, po)
}

// handlePOCreate serves POST /purchase-orders: 201 with the new draft.
func (h *handler) handlePOCreate(c echo.Context) error {
	var in app.POInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	po, err := h.app.Purchasing.CreateOrder(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/purchase-orders/"+strconv.FormatInt(po.ID, 10))
	return render(c, http.StatusCreated, po)
}

// handlePOFromSuggestions serves POST /purchase-orders/from-suggestions:
// 201 with the drafts created (one per supplier), or 200 with an empty
// list when open orders already cover every chosen suggestion.
func (h *handler) handlePOFromSuggestions(c echo.Context) error {
	var in app.FromSuggestionsInput
	if err := h.decodeOptional(c, &in); err != nil {
		return err
	}
	orders, err := h.app.DraftOrdersFromSuggestions(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if len(orders) == 0 {
		status = http.StatusOK
	}
	return render(c, status, DraftList{Items: orders, Total: len(orders)})
}

// handlePOPatch serves PATCH /purchase-orders/{id}: a draft's note and
// lines; version must be current.
func (h *handler) handlePOPatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.POInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	po, err := h.app.Purchasing.UpdateOrder(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return renderOK(c, po)
}

// handlePOApprove serves POST /purchase-orders/{id}/approve.
func (h *handler) handlePOApprove(c echo.Context) error {
	return h.poTransition(c, h.app.Purchasing.Approve)
}

// handlePOCancel serves POST /purchase-orders/{id}/cancel.
func (h *handler) handlePOCancel(c echo.Context) error {
	return h.poTransition(c, h.app.Purchasing.Cancel)
}

// poTransition runs a bodiless state change on the order in the path.
func (h *handler) poTransition(c echo.Context, do func(ctx context.Context, a app.Actor, id int64) (*db.PurchaseOrder, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	po, err := do(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, po)
}

// handlePOOrder serves POST /purchase-orders/{id}/order.
func (h *handler) handlePOOrder(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in OrderRequest
	if err := h.decodeOptional(c, &in); err != nil {
		return err
	}
	var expected *time.Time
	if in.ExpectedAt != nil {
		t, err := parseDateTime(*in.ExpectedAt)
		if err != nil {
			return &app.Error{Code: app.EINVALID, Message: "The request body has invalid fields.",
				Fields: []app.FieldError{{Field: "expected_at", Message: "must be an RFC 3339 time or a YYYY-MM-DD date"}}}
		}
		expected = &t
	}
	po, err := h.app.Purchasing.MarkOrdered(c.Request().Context(), actor(c), id, expected)
	if err != nil {
		return err
	}
	return renderOK(c, po)
}

// handlePOReceive serves POST /purchase-orders/{id}/receive.
func (h *handler) handlePOReceive(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.ReceiveInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	po, err := h.app.Purchasing.Receive(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return renderOK(c, po)
}

// parseDateTime parses an RFC 3339 time or a YYYY-MM-DD date (midnight UTC).
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}
