package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// supplierRoutes registers the supplier pages.
func (w *Web) supplierRoutes(r router) {
	r.GET("/suppliers", w.handleSupplierList, db.RoleViewer)
	r.GET("/suppliers/new", w.handleSupplierNew, db.RoleManager)
	r.POST("/suppliers", w.handleSupplierCreate, db.RoleManager)
	r.GET("/suppliers/:id/edit", w.handleSupplierEdit, db.RoleManager)
	r.POST("/suppliers/:id", w.handleSupplierUpdate, db.RoleManager)
	r.GET("/suppliers/:id/delete", w.handleSupplierDeleteConfirm, db.RoleManager)
	r.POST("/suppliers/:id/delete", w.handleSupplierDelete, db.RoleManager)
}

// handleSupplierList lists suppliers.
func (w *Web) handleSupplierList(c echo.Context) error {
	l := newList(c, "/suppliers", "#supplier-results", "name")
	items, total, err := w.app.Catalog.ListSuppliers(c.Request().Context(), actor(c),
		app.NameFilter{Query: l.Query.Get("q"), Sort: l.Query.Get("sort"), Limit: l.PageSize, Offset: offset(l)})
	if err != nil {
		return err
	}
	l.Total = total
	m := views.SuppliersModel{List: l, Items: items}
	p := w.page(c, "Suppliers", "suppliers")
	return w.renderList(c, l, views.SuppliersPage(p, m), views.SupplierResults(p, m))
}

func supplierValues(s *db.Supplier) map[string]string {
	return map[string]string{"name": s.Name, "contact_name": s.ContactName, "email": s.Email, "phone": s.Phone,
		"lead_time_days": strconv.Itoa(s.LeadTimeDays), "notes": s.Notes, "version": views.Itoa(s.Version)}
}

func supplierInput(r *formReader) app.SupplierInput {
	return app.SupplierInput{Name: r.str("name"), ContactName: r.str("contact_name"), Email: r.str("email"),
		Phone: r.str("phone"), LeadTimeDays: r.int("lead_time_days"), Notes: r.str("notes"), Version: r.int64("version")}
}

func (w *Web) renderSupplierForm(c echo.Context, status int, id int64, f views.Form) error {
	title := "New supplier"
	if id != 0 {
		title = "Edit " + f.Value("name")
	}
	return w.render(c, status, views.SupplierFormPage(w.page(c, title, "suppliers"), views.EditModel{ID: id, Form: f, Base: "/suppliers"}))
}

// handleSupplierNew shows the empty supplier form.
func (w *Web) handleSupplierNew(c echo.Context) error {
	f := views.NewForm()
	f.Values["lead_time_days"] = "7"
	return w.renderSupplierForm(c, http.StatusOK, 0, f)
}

// handleSupplierCreate creates a supplier or shows the form with errors.
func (w *Web) handleSupplierCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := supplierInput(r)
	in.Version = nil
	if !r.ok() {
		return w.renderSupplierForm(c, http.StatusBadRequest, 0, r.form)
	}
	s, err := w.app.Catalog.CreateSupplier(c.Request().Context(), actor(c), in)
	if applyError(&r.form, err, nil) {
		return w.renderSupplierForm(c, formStatus(err), 0, r.form)
	}
	if err != nil {
		return err
	}
	w.flashf(c, views.FlashSuccess, "Supplier %s created.", s.Name)
	return redirect(c, "/suppliers")
}

// handleSupplierEdit shows the edit form.
func (w *Web) handleSupplierEdit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	s, err := w.app.Catalog.Supplier(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	f := views.NewForm()
	f.Values = supplierValues(s)
	return w.renderSupplierForm(c, http.StatusOK, id, f)
}

// handleSupplierUpdate saves an edit; a stale version shows the conflict view.
func (w *Web) handleSupplierUpdate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := supplierInput(r)
	if !r.ok() {
		return w.renderSupplierForm(c, http.StatusBadRequest, id, r.form)
	}
	s, err := w.app.Catalog.UpdateSupplier(c.Request().Context(), actor(c), id, in)
	if cur, ok := staleCurrent(err).(*db.Supplier); ok {
		r.form.Conflict = w.conflict(c, "supplier", id, cur.Version, cur.UpdatedAt, supplierValues(cur), "/suppliers/"+views.Itoa(id)+"/edit")
		r.form.Values["version"] = views.Itoa(cur.Version)
		return w.renderSupplierForm(c, http.StatusConflict, id, r.form)
	}
	if applyError(&r.form, err, nil) {
		return w.renderSupplierForm(c, formStatus(err), id, r.form)
	}
	if err != nil {
		return err
	}
	w.flashf(c, views.FlashSuccess, "Supplier %s saved.", s.Name)
	return redirect(c, "/suppliers")
}

// handleSupplierDeleteConfirm asks before deleting.
func (w *Web) handleSupplierDeleteConfirm(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	s, err := w.app.Catalog.Supplier(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.ConfirmPage(w.page(c, "Delete "+s.Name, "suppliers"), views.ConfirmModel{
		Title: "Delete " + s.Name + "?", Message: "Only a supplier that no product uses can be deleted.",
		Action: "/suppliers/" + views.Itoa(id) + "/delete", Button: "Delete supplier", CancelHref: "/suppliers",
	}))
}

// handleSupplierDelete deletes an unused supplier.
func (w *Web) handleSupplierDelete(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := w.app.Catalog.DeleteSupplier(c.Request().Context(), actor(c), id); err != nil {
		if app.ErrorCode(err) == app.ECONFLICT {
			w.setFlash(c, views.FlashError, app.ErrorMessage(err))
			return redirect(c, "/suppliers")
		}
		return err
	}
	w.setFlash(c, views.FlashSuccess, "Supplier deleted.")
	return redirect(c, "/suppliers")
}
