package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/api"
	"smartinventory/app"
	"smartinventory/db"
)

// productRoutes registers /products.
func (h *handler) productRoutes(g *router) {
	g.GET("/products", h.handleProductList)
	g.POST("/products", h.handleProductCreate)
	g.GET("/products/:id", h.handleProductGet)
	g.PATCH("/products/:id", h.handleProductPatch)
	g.PUT("/products/:id", h.handleProductPut)
	g.DELETE("/products/:id", h.handleProductDelete)
}

// DeleteResult answers DELETE /products/{id}: a product without history is
// deleted, one with history is deactivated instead.
type DeleteResult = api.DeleteResult

// handleProductList serves GET /products.
func (h *handler) handleProductList(c echo.Context) error {
	q := newQuery(c)
	f := app.ProductFilter{
		Query:      q.str("q"),
		CategoryID: q.id("category_id"),
		SupplierID: q.id("supplier_id"),
		LowStock:   q.boolean("low_stock"),
		Active:     q.oneOf("active", "true", "false", "all"),
		Sort:       q.str("sort"),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := h.app.Catalog.ListProducts(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.Product]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handleProductGet serves GET /products/{id}.
func (h *handler) handleProductGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.app.Catalog.Product(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, p)
}

// handleProductCreate serves POST /products.
func (h *handler) handleProductCreate(c echo.Context) error {
	var in app.ProductInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	p, err := h.app.Catalog.CreateProduct(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/products/"+strconv.FormatInt(p.ID, 10))
	return render(c, http.StatusCreated, p)
}

// handleProductPatch serves PATCH /products/{id}: absent fields keep their value.
func (h *handler) handleProductPatch(c echo.Context) error { return h.updateProduct(c, false) }

// handleProductPut serves PUT /products/{id}: absent fields return to their defaults.
func (h *handler) handleProductPut(c echo.Context) error { return h.updateProduct(c, true) }

func (h *handler) updateProduct(c echo.Context, replace bool) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.ProductInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	p, err := h.app.Catalog.UpdateProduct(c.Request().Context(), actor(c), id, in, replace)
	if err != nil {
		return err
	}
	return renderOK(c, p)
}

// handleProductDelete serves DELETE /products/{id}.
func (h *handler) handleProductDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	deleted, err := h.app.Catalog.DeleteProduct(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, DeleteResult{Deleted: deleted, Deactivated: !deleted})
}
