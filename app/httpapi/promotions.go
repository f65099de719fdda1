package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// promotionRoutes registers /promotions and the planned prices.
func (h *handler) promotionRoutes(g *router) {
	g.GET("/promotions", h.handlePromotionList)
	g.POST("/promotions", h.handlePromotionCreate)
	g.GET("/promotions/:id", h.handlePromotionGet)
	g.PATCH("/promotions/:id", h.handlePromotionPatch)
	g.DELETE("/promotions/:id", h.handlePromotionDelete)
	g.GET("/planned-prices", h.handlePlannedPriceList)
	g.POST("/products/:id/planned-prices", h.handlePlannedPriceCreate)
	g.DELETE("/planned-prices/:id", h.handlePlannedPriceDelete)
}

// handlePromotionList serves GET /promotions.
func (h *handler) handlePromotionList(c echo.Context) error {
	q := newQuery(c)
	f := app.PromotionFilter{ProductID: q.id("product_id"), CategoryID: q.id("category_id"), From: q.str("from"), To: q.str("to")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Promotions.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.Promotion]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handlePromotionGet serves GET /promotions/{id}.
func (h *handler) handlePromotionGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.app.Promotions.Get(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, p)
}

// handlePromotionCreate serves POST /promotions.
func (h *handler) handlePromotionCreate(c echo.Context) error {
	var in app.PromotionInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	p, err := h.app.Promotions.Create(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/promotions/"+strconv.FormatInt(p.ID, 10))
	return render(c, http.StatusCreated, p)
}

// handlePromotionPatch serves PATCH /promotions/{id}.
func (h *handler) handlePromotionPatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.PromotionInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	p, err := h.app.Promotions.Update(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return renderOK(c, p)
}

// handlePromotionDelete serves DELETE /promotions/{id}.
func (h *handler) handlePromotionDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.app.Promotions.Delete(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return renderOK(c, DeleteResult{Deleted: true})
}

// handlePlannedPriceList serves GET /planned-prices.
func (h *handler) handlePlannedPriceList(c echo.Context) error {
	q := newQuery(c)
	f := app.PlannedPriceFilter{ProductID: q.id("product_id"), Pending: q.boolean("pending")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Prices.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.PlannedPrice]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handlePlannedPriceCreate serves POST /products/{id}/planned-prices.
func (h *handler) handlePlannedPriceCreate(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.PlannedPriceInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	pp, err := h.app.Prices.Plan(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, pp)
}

// handlePlannedPriceDelete serves DELETE /planned-prices/{id}.
func (h *handler) handlePlannedPriceDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.app.Prices.Cancel(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return renderOK(c, DeleteResult{Deleted: true})
}
