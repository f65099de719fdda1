package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// productRoutes registers the product pages and the product picker fragments.
func (w *Web) productRoutes(r router) {
	r.GET("/products", w.handleProductList, db.RoleViewer)
	r.GET("/products/new", w.handleProductNew, db.RoleManager)
	r.POST("/products", w.handleProductCreate, db.RoleManager)
	r.GET("/products/:id", w.handleProductShow, db.RoleViewer)
	r.GET("/products/:id/edit", w.handleProductEdit, db.RoleManager)
	r.POST("/products/:id", w.handleProductUpdate, db.RoleManager)
	r.GET("/products/:id/delete", w.handleProductDeleteConfirm, db.RoleManager)
	r.POST("/products/:id/delete", w.handleProductDelete, db.RoleManager)
	r.GET("/fragments/product-options", w.handleProductOptions, db.RoleViewer)
	r.GET("/fragments/product-summary", w.handleProductSummary, db.RoleViewer)
}

// refOptions returns the category and supplier options for selects and a
// name lookup for each, with first an option labelled first ("All",
// "None"). Catalogues with more than app.MaxPageSize categories or
// suppliers show the first ones only.
func (w *Web) refOptions(c echo.Context, first string) (cats, sups []views.Option, catName, supName map[int64]string, err error) {
	a, ctx := actor(c), c.Request().Context()
	cs, _, err := w.app.Catalog.ListCategories(ctx, a, app.NameFilter{Limit: app.MaxPageSize})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ss, _, err := w.app.Catalog.ListSuppliers(ctx, a, app.NameFilter{Limit: app.MaxPageSize})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cats, sups = []views.Option{{Value: "", Label: first}}, []views.Option{{Value: "", Label: first}}
	catName, supName = map[int64]string{}, map[int64]string{}
	for _, x := range cs {
		cats = append(cats, views.Option{Value: views.Itoa(x.ID), Label: x.Name})
		catName[x.ID] = x.Name
	}
	for _, x := range ss {
		sups = append(sups, views.Option{Value: views.Itoa(x.ID), Label: x.Name})
		supName[x.ID] = x.Name
	}
	return cats, sups, catName, supName, nil
}

func nameOf(names map[int64]string, id *int64) string {
	if id == nil {
		return ""
	}
	return names[*id]
}

// handleProductList lists products (page, or the results fragment for htmx).
func (w *Web) handleProductList(c echo.Context) error {
	l := newList(c, "/products", "#product-results", "sku")
	f := app.ProductFilter{Query: l.Query.Get("q"), CategoryID: queryInt64(l, "category"), SupplierID: queryInt64(l, "supplier"),
		LowStock: l.Query.Get("low") == "1", Active: l.Query.Get("active"), Sort: l.Query.Get("sort"), Limit: l.PageSize, Offset: offset(l)}
	items, total, err := w.app.Catalog.ListProducts(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	cats, sups, catName, supName, err := w.refOptions(c, "All")
	if err != nil {
		return err
	}
	points, err := w.app.Restock.ReorderPoints(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	l.Total = total
	m := views.ProductsModel{List: l, Categories: cats, Suppliers: sups}
	for _, p := range items {
		m.Items = append(m.Items, views.ProductRow{Product: p, Category: nameOf(catName, p.CategoryID), Supplier: nameOf(supName, p.SupplierID),
			LowStock: points[p.ID].Low()})
	}
	p := w.page(c, "Products", "products")
	return w.renderList(c, l, views.ProductsPage(p, m), views.ProductResults(p, m))
}

// productValues are a product's form values.
func productValues(p *db.Product) map[string]string {
	v := map[string]string{
		"sku": p.SKU, "name": p.Name, "description": p.Description,
		"unit_cost": p.UnitCost.String(), "unit_price": p.UnitPrice.String(),
		"pack_size": strconv.Itoa(p.PackSize), "min_order_qty": strconv.Itoa(p.MinOrderQty),
		"reorder_point": views.Itoa(p.ReorderPoint), "active": strconv.FormatBool(p.Active),
		"version": views.Itoa(p.Version), "category_id": "", "supplier_id": "", "lead_time_days": "", "service_level": "",
	}
	if p.CategoryID != nil {
		v["category_id"] = views.Itoa(*p.CategoryID)
	}
	if p.SupplierID != nil {
		v["supplier_id"] = views.Itoa(*p.SupplierID)
	}
	if p.LeadTimeDays != nil {
		v["lead_time_days"] = strconv.Itoa(*p.LeadTimeDays)
	}
	if p.ServiceLevel != nil {
		v["service_level"] = strconv.FormatFloat(*p.ServiceLevel, 'f', -1, 64)
	}
	return v
}

// productInput reads the product form. Empty optional fields clear the
// value (lead time, service level, category, supplier) or take the
// default (pack size, MOQ on create).
func productInput(r *formReader, create bool) app.ProductInput {
	in := app.ProductInput{
		SKU: r.str("sku"), Name: r.str("name"), Description: r.str("description"),
		CategoryID: r.nullableInt64("category_id"), SupplierID: r.nullableInt64("supplier_id"),
		UnitCost: r.money("unit_cost"), UnitPrice: r.money("unit_price"),
		PackSize: r.int("pack_size"), MinOrderQty: r.int("min_order_qty"),
		ReorderPoint: r.int64("reorder_point"), Active: r.bool("active"),
	}
	if n := r.int("lead_time_days"); n != nil {
		in.LeadTimeDays = app.Of(*n)
	} else {
		in.LeadTimeDays = app.Null[int]()
	}
	if f := r.float("service_level"); f != nil {
		in.ServiceLevel = app.Of(*f)
	} else {
		in.ServiceLevel = app.Null[float64]()
	}
	if create {
		in.Stock = r.int64("stock")
	} else {
		in.Version = r.int64("version")
	}
	zero := db.Money(0)
	if in.UnitCost == nil && r.form.Errors["unit_cost"] == "" {
		in.UnitCost = &zero
	}
	if in.UnitPrice == nil && r.form.Errors["unit_price"] == "" {
		in.UnitPrice = &zero
	}
	return in
}

// renderProductForm renders the create (id 0) or edit form.
func (w *Web) renderProductForm(c echo.Context, status int, id int64, f views.Form) error {
	cats, sups, _, _, err := w.refOptions(c, "None")
	if err != nil {
		return err
	}
	title := "New product"
	if id != 0 {
		title = "Edit " + f.Value("sku")
	}
	m := views.ProductFormModel{ID: id, Form: f, Categories: cats, Suppliers: sups}
	return w.render(c, status, views.ProductFormPage(w.page(c, title, "products"), m))
}

// handleProductNew shows the empty product form.
func (w *Web) handleProductNew(c echo.Context) error {
	f := views.NewForm()
	f.Values = map[string]string{"pack_size": "1", "min_order_qty": "1", "reorder_point": "0", "active": "true", "stock": "0"}
	return w.renderProductForm(c, http.StatusOK, 0, f)
}

// handleProductCreate creates a product, or shows the form again with the
// typed values and the errors.
func (w *Web) handleProductCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := productInput(r, true)
	if !r.ok() {
		if err := w.checkProductForm(c, &r.form, 0, in); err != nil {
			return err
		}
		return w.renderProductForm(c, http.StatusBadRequest, 0, r.form)
	}
	p, err := w.app.Catalog.CreateProduct(c.Request().Context(), actor(c), in)
	if applyError(&r.form, err, nil) {
		return w.renderProductForm(c, formStatus(err), 0, r.form)
	}
	if err != nil {
		return err
	}
	w.setFlash(c, views.FlashSuccess, fmt.Sprintf("Product %s created.", p.SKU))
	return redirect(c, "/products/"+views.Itoa(p.ID))
}

// handleProductEdit shows the edit form with the stored values.
func (w *Web) handleProductEdit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := w.app.Catalog.Product(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	f := views.NewForm()
	f.Values = productValues(p)
	return w.renderProductForm(c, http.StatusOK, id, f)
}

// handleProductUpdate saves an edit. A stale version shows the conflict
// view: their values beside the user's, the form carrying the current
// version so that saving again keeps the user's values.
func (w *Web) handleProductUpdate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := productInput(r, false)
	if !r.ok() {
		if err := w.checkProductForm(c, &r.form, id, in); err != nil {
			return err
		}
		return w.renderProductForm(c, http.StatusBadRequest, id, r.form)
	}
	p, err := w.app.Catalog.UpdateProduct(c.Request().Context(), actor(c), id, in, false)
	if cur, ok := staleCurrent(err).(*db.Product); ok {
		r.form.Conflict = w.conflict(c, "product", id, cur.Version, cur.UpdatedAt, productValues(cur), "/products/"+views.Itoa(id)+"/edit")
		r.form.Values["version"] = views.Itoa(cur.Version)
		return w.renderProductForm(c, http.StatusConflict, id, r.form)
	}
	if applyError(&r.form, err, nil) {
		return w.renderProductForm(c, formStatus(err), id, r.form)
	}
	if err != nil {
		return err
	}
	w.setFlash(c, views.FlashSuccess, fmt.Sprintf("Product %s saved.", p.SKU))
	return redirect(c, "/products/"+views.Itoa(id))
}

// handleProductShow shows a product with its stock forms and movements.
func (w *Web) handleProductShow(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return w.renderProductPage(c, http.StatusOK, id, views.NewForm(), views.NewForm())
}

// renderProductPage renders the product page with the given stock forms
// (which carry errors after a failed adjustment or receipt).
func (w *Web) renderProductPage(c echo.Context, status int, id int64, adjust, receive views.Form) error {
	ctx, a := c.Request().Context(), actor(c)
	p, err := w.app.Catalog.Product(ctx, a, id)
	if err != nil {
		return err
	}
	l := newList(c, "/products/"+views.Itoa(id), "#movement-results", "")
	moves, total, err := w.app.Stock.Movements(ctx, a, app.MovementFilter{ProductID: id, Limit: l.PageSize, Offset: offset(l)})
	if err != nil {
		return err
	}
	l.Total = total
	points, err := w.app.Restock.ReorderPoints(ctx, a)
	if err != nil {
		return err
	}
	m := views.ProductModel{Product: *p, Adjust: adjust, Receive: receive, ReorderPoint: points[id].Text()}
	m.Adjust.Prefix, m.Receive.Prefix = "adj-", "rcv-"
	if p.CategoryID != nil {
		if cat, err := w.app.Catalog.Category(ctx, a, *p.CategoryID); err == nil {
			m.Category = cat.Name
		}
	}
	if p.SupplierID != nil {
		if sup, err := w.app.Catalog.Supplier(ctx, a, *p.SupplierID); err == nil {
			m.Supplier = sup.Name
		}
	}
	if m.Plan, err = w.productPlan(ctx, a, id); err != nil {
		return err
	}
	m.Movements = views.MovementsModel{List: l}
	for _, mv := range moves {
		m.Movements.Items = append(m.Movements.Items, views.MovementRow{StockMovement: mv, SKU: p.SKU, Name: p.Name})
	}
	if isHTMX(c) && status == http.StatusOK {
		return w.renderList(c, l, nil, views.MovementResults(m.Movements))
	}
	return w.render(c, status, views.ProductPage(w.page(c, p.SKU, "products"), m))
}

// handleProductDeleteConfirm asks before deleting.
func (w *Web) handleProductDeleteConfirm(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := w.app.Catalog.Product(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.ConfirmPage(w.page(c, "Delete "+p.SKU, "products"), views.ConfirmModel{
		Title:   "Delete " + p.SKU + "?",
		Message: "A product without sales or stock movements is deleted; one with history is deactivated instead, so the history stays.",
		Action:  "/products/" + views.Itoa(id) + "/delete", Button: "Delete product", CancelHref: "/products",
	}))
}

// handleProductDelete deletes (or deactivates) a product.
func (w *Web) handleProductDelete(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	deleted, err := w.app.Catalog.DeleteProduct(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	if deleted {
		w.setFlash(c, views.FlashSuccess, "Product deleted.")
	} else {
		w.setFlash(c, views.FlashInfo, "The product has history, so it was deactivated instead of deleted.")
	}
	return redirect(c, "/products")
}

// handleProductOptions returns the product picker's suggestions for the
// typed SKU or name (active products only).
func (w *Web) handleProductOptions(c echo.Context) error {
	q := c.QueryParam("sku")
	if q == "" {
		q = c.QueryParam("q")
	}
	items, _, err := w.app.Catalog.ListProducts(c.Request().Context(), actor(c), app.ProductFilter{Query: q, Limit: 20})
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.ProductOptions(items))
}

// handleProductSummary returns the chosen product's stock and price for
// the sale form, found by SKU, name or part of either (empty when nothing
// or several products match).
func (w *Web) handleProductSummary(c echo.Context) error {
	m, err := w.app.Catalog.FindProduct(c.Request().Context(), actor(c), c.QueryParam("sku"))
	if code := app.ErrorCode(err); code == app.ENOTFOUND || code == app.EINVALID {
		return w.render(c, http.StatusOK, views.ProductSummary(nil, ""))
	}
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.ProductSummary(m.Product, m.By))
}

// checkProductForm adds the service's field errors (Catalog.CheckProduct)
// to a product form whose other fields did not parse, keeping the parse
// errors: every bad field shows in one pass. It returns only errors that
// are not about the input.
func (w *Web) checkProductForm(c echo.Context, f *views.Form, id int64, in app.ProductInput) error {
	err := w.app.Catalog.CheckProduct(c.Request().Context(), actor(c), id, in)
	e, ok := app.AsError(err)
	if err == nil || ok && e.Code == app.EINVALID {
		if ok {
			for _, fe := range e.Fields {
				if _, bad := f.Errors[fe.Field]; !bad && fe.Field != "version" {
					if _, shown := f.Values[fe.Field]; shown {
						f.Errors[fe.Field] = fieldLabel(fe.Field) + " " + fe.Message
					}
				}
			}
		}
		return nil
	}
	return err
}
