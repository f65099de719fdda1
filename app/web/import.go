package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// importRoutes registers the CSV import page: clerks import sales,
// managers also the catalogue (the service checks the kind's role).
func (w *Web) importRoutes(r router) {
	r.GET("/import", w.handleImportForm, db.RoleClerk)
	r.POST("/import", w.handleImport, db.RoleClerk)
}

// importKindOptions are the kinds the page's user may import.
func importKindOptions(p views.Page) []views.Option {
	var out []views.Option
	for _, k := range app.ImportKinds() {
		if k == app.ImportSales || p.Can(db.RoleManager) {
			out = append(out, views.Option{Value: k, Label: k})
		}
	}
	return out
}

// handleImportForm shows the empty upload form.
func (w *Web) handleImportForm(c echo.Context) error {
	f := views.NewForm()
	f.Values["kind"] = app.ImportSales
	return w.renderImport(c, http.StatusOK, views.ImportModel{Form: f})
}

func (w *Web) renderImport(c echo.Context, status int, m views.ImportModel) error {
	p := w.page(c, "Import CSV", "import")
	m.Kinds = importKindOptions(p)
	return w.render(c, status, views.ImportPage(p, m))
}

// handleImport runs an uploaded CSV file through App.Import and shows the
// summary, or the refused lines (nothing is written then).
func (w *Web) handleImport(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	m := views.ImportModel{Form: r.form}
	kind := r.form.Value("kind")
	if !slices.ContainsFunc(importKindOptions(w.page(c, "", "")), func(o views.Option) bool { return o.Value == kind }) {
		m.Form.Errors["kind"] = "choose one of the listed kinds"
	}
	fh, err := c.FormFile("file")
	if err != nil {
		m.Form.Errors["file"] = "choose a CSV file"
	}
	if m.Form.HasErrors() {
		return w.renderImport(c, http.StatusBadRequest, m)
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	sum, err := w.app.Import(c.Request().Context(), actor(c), kind, file,
		app.ImportOptions{DryRun: r.form.Checked("dry_run"), DecimalComma: r.form.Checked("decimal_comma")})
	if sum != nil && len(sum.Errors) > 0 {
		m.ErrorCount = sum.ErrorCount
		for _, e := range sum.Errors {
			m.Errors = append(m.Errors, views.ImportErrorView{Line: e.Line, Column: e.Column, Message: e.Message})
		}
		m.Form.Message = app.ErrorMessage(err)
		return w.renderImport(c, http.StatusBadRequest, m)
	}
	if code := app.ErrorCode(err); code == app.EINVALID || code == app.ECONFLICT {
		m.Form.Message = errorText(err)
		return w.renderImport(c, http.StatusBadRequest, m)
	}
	if err != nil {
		return err
	}
	m.Summary = &views.ImportSummaryView{Kind: sum.Kind, DryRun: sum.DryRun, Lines: sum.Lines, Inserted: sum.Inserted,
		Updated: sum.Updated, Skipped: sum.Skipped, CreatedCategories: sum.CreatedCategories,
		CreatedSuppliers: sum.CreatedSuppliers, Written: sum.Written}
	return w.renderImport(c, http.StatusOK, m)
}
