package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// categoryRoutes registers /categories.
func (h *handler) categoryRoutes(g *router) {
	g.GET("/categories", h.handleCategoryList)
	g.POST("/categories", h.handleCategoryCreate)
	g.GET("/categories/:id", h.handleCategoryGet)
	g.PATCH("/categories/:id", h.handleCategoryPatch)
	g.DELETE("/categories/:id", h.handleCategoryDelete)
}

// nameFilter parses the query of the category and supplier lists.
func nameFilter(c echo.Context) (app.NameFilter, error) {
	q := newQuery(c)
	f := app.NameFilter{Query: q.str("q"), Sort: q.str("sort")}
	f.Limit, f.Offset = q.page()
	return f, q.err()
}

// handleCategoryList serves GET /categories.
func (h *handler) handleCategoryList(c echo.Context) error {
	f, err := nameFilter(c)
	if err != nil {
		return err
	}
	items, total, err := h.app.Catalog.ListCategories(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.Category]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// handleCategoryGet serves GET /categories/{id}.
func (h *handler) handleCategoryGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cat, err := h.app.Catalog.Category(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, cat)
}

// handleCategoryCreate serves POST /categories.
func (h *handler) handleCategoryCreate(c echo.Context) error {
	var in app.CategoryInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	cat, err := h.app.Catalog.CreateCategory(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/categories/"+strconv.FormatInt(cat.ID, 10))
	return render(c, http.StatusCreated, cat)
}

// handleCategoryPatch serves PATCH /categories/{id}.
func (h *handler) handleCategoryPatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.CategoryInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	cat, err := h.app.Catalog.UpdateCategory(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return renderOK(c, cat)
}

// handleCategoryDelete serves DELETE /categories/{id}; a category in use is a 409.
func (h *handler) handleCategoryDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.app.Catalog.DeleteCategory(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return renderOK(c, DeleteResult{Deleted: true})
}
