package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// categoryRoutes registers the category pages.
func (w *Web) categoryRoutes(r router) {
	r.GET("/categories", w.handleCategoryList, db.RoleViewer)
	r.GET("/categories/new", w.handleCategoryNew, db.RoleManager)
	r.POST("/categories", w.handleCategoryCreate, db.RoleManager)
	r.GET("/categories/:id/edit", w.handleCategoryEdit, db.RoleManager)
	r.POST("/categories/:id", w.handleCategoryUpdate, db.RoleManager)
	r.GET("/categories/:id/delete", w.handleCategoryDeleteConfirm, db.RoleManager)
	r.POST("/categories/:id/delete", w.handleCategoryDelete, db.RoleManager)
}

// handleCategoryList lists categories.
func (w *Web) handleCategoryList(c echo.Context) error {
	l := newList(c, "/categories", "#category-results", "name")
	items, total, err := w.app.Catalog.ListCategories(c.Request().Context(), actor(c),
		app.NameFilter{Query: l.Query.Get("q"), Sort: l.Query.Get("sort"), Limit: l.PageSize, Offset: offset(l)})
	if err != nil {
		return err
	}
	l.Total = total
	m := views.CategoriesModel{List: l, Items: items}
	p := w.page(c, "Categories", "categories")
	return w.renderList(c, l, views.CategoriesPage(p, m), views.CategoryResults(p, m))
}

func categoryValues(s *db.Category) map[string]string {
	return map[string]string{"name": s.Name, "description": s.Description, "version": views.Itoa(s.Version)}
}

func categoryInput(r *formReader) app.CategoryInput {
	return app.CategoryInput{Name: r.str("name"), Description: r.str("description"), Version: r.int64("version")}
}

func (w *Web) renderCategoryForm(c echo.Context, status int, id int64, f views.Form) error {
	title := "New category"
	if id != 0 {
		title = "Edit " + f.Value("name")
	}
	return w.render(c, status, views.CategoryFormPage(w.page(c, title, "categories"), views.EditModel{ID: id, Form: f, Base: "/categories"}))
}

// handleCategoryNew shows the empty category form.
func (w *Web) handleCategoryNew(c echo.Context) error {
	return w.renderCategoryForm(c, http.StatusOK, 0, views.NewForm())
}

// handleCategoryCreate creates a category or shows the form with errors.
func (w *Web) handleCategoryCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := categoryInput(r)
	in.Version = nil
	if !r.ok() {
		return w.renderCategoryForm(c, http.StatusBadRequest, 0, r.form)
	}
	s, err := w.app.Catalog.CreateCategory(c.Request().Context(), actor(c), in)
	if applyError(&r.form, err, nil) {
		return w.renderCategoryForm(c, formStatus(err), 0, r.form)
	}
	if err != nil {
		return err
	}
	w.flashf(c, views.FlashSuccess, "Category %s created.", s.Name)
	return redirect(c, "/categories")
}

// handleCategoryEdit shows the edit form.
func (w *Web) handleCategoryEdit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	s, err := w.app.Catalog.Category(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	f := views.NewForm()
	f.Values = categoryValues(s)
	return w.renderCategoryForm(c, http.StatusOK, id, f)
}

// handleCategoryUpdate saves an edit; a stale version shows the conflict view.
func (w *Web) handleCategoryUpdate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := categoryInput(r)
	if !r.ok() {
		return w.renderCategoryForm(c, http.StatusBadRequest, id, r.form)
	}
	s, err := w.app.Catalog.UpdateCategory(c.Request().Context(), actor(c), id, in)
	if cur, ok := staleCurrent(err).(*db.Category); ok {
		r.form.Conflict = w.conflict(c, "category", id, cur.Version, cur.UpdatedAt, categoryValues(cur), "/categories/"+views.Itoa(id)+"/edit")
		r.form.Values["version"] = views.Itoa(cur.Version)
		return w.renderCategoryForm(c, http.StatusConflict, id, r.form)
	}
	if applyError(&r.form, err, nil) {
		return w.renderCategoryForm(c, formStatus(err), id, r.form)
	}
	if err != nil {
		return err
	}
	w.flashf(c, views.FlashSuccess, "Category %s saved.", s.Name)
	return redirect(c, "/categories")
}

// handleCategoryDeleteConfirm asks before deleting.
func (w *Web) handleCategoryDeleteConfirm(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	s, err := w.app.Catalog.Category(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.ConfirmPage(w.page(c, "Delete "+s.Name, "categories"), views.ConfirmModel{
		Title: "Delete " + s.Name + "?", Message: "Only a category that no product uses can be deleted.",
		Action: "/categories/" + views.Itoa(id) + "/delete", Button: "Delete category", CancelHref: "/categories",
	}))
}

// handleCategoryDelete deletes an unused category.
func (w *Web) handleCategoryDelete(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := w.app.Catalog.DeleteCategory(c.Request().Context(), actor(c), id); err != nil {
		if app.ErrorCode(err) == app.ECONFLICT {
			w.setFlash(c, views.FlashError, app.ErrorMessage(err))
			return redirect(c, "/categories")
		}
		return err
	}
	w.setFlash(c, views.FlashSuccess, "Category deleted.")
	return redirect(c, "/categories")
}
