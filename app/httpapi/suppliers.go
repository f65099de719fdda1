package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// supplierRoutes registers /suppliers.
func (h *handler) supplierRoutes(g *router) {
	g.GET("/suppliers", h.handleSupplierList)
	g.POST("/suppliers", h.handleSupplierCreate)
	g.GET("/suppliers/:id", h.handleSupplierGet)
	g.PATCH("/suppliers/:id", h.handleSupplierPatch)
	g.DELETE("/suppliers/:id", h.handleSupplierDelete)
}

// handleSupplierList serves GET /suppliers.
func (h *handler) handleSupplierList(c echo.Context) error {
	f, err := nameFilter(c)
	if err != nil {
		return err
	}
	items, total, err := h.app.Catalog.ListSuppliers(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.Supplier]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handleSupplierGet serves GET /suppliers/{id}.
func (h *handler) handleSupplierGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	s, err := h.app.Catalog.Supplier(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, s)
}

// handleSupplierCreate serves POST /suppliers.
func (h *handler) handleSupplierCreate(c echo.Context) error {
	var in app.SupplierInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	s, err := h.app.Catalog.CreateSupplier(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/suppliers/"+strconv.FormatInt(s.ID, 10))
	return render(c, http.StatusCreated, s)
}

// handleSupplierPatch serves PATCH /suppliers/{id}.
func (h *handler) handleSupplierPatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.SupplierInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	s, err := h.app.Catalog.UpdateSupplier(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return renderOK(c, s)
}

// handleSupplierDelete serves DELETE /suppliers/{id}; a supplier in use is a 409.
func (h *handler) handleSupplierDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.app.Catalog.DeleteSupplier(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return renderOK(c, DeleteResult{Deleted: true})
}
