package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// promotionRoutes registers the promotion pages.
func (w *Web) promotionRoutes(r router) {
	r.GET("/promotions", w.handlePromotionList, db.RoleViewer)
	r.GET("/promotions/new", w.handlePromotionNew, db.RoleManager)
	r.POST("/promotions", w.handlePromotionCreate, db.RoleManager)
	r.GET("/promotions/:id/delete", w.handlePromotionDeleteConfirm, db.RoleManager)
	r.POST("/promotions/:id/delete", w.handlePromotionDelete, db.RoleManager)
}

// promotionRows describes promotions for the tables: what they cover,
// their discount and their advertising.
func (w *Web) promotionRows(ctx context.Context, a app.Actor, items []db.Promotion) ([]views.PromotionRow, error) {
	var ids []int64
	for _, p := range items {
		if p.ProductID != nil {
			ids = append(ids, *p.ProductID)
		}
	}
	labels, err := w.app.Catalog.ProductLabels(ctx, a, ids)
	if err != nil {
		return nil, err
	}
	cats := map[int64]string{}
	rows := make([]views.PromotionRow, len(items))
	for i, p := range items {
		r := views.PromotionRow{Promotion: p}
		switch {
		case p.ProductID != nil:
			l := labels[*p.ProductID]
			r.Target, r.TargetHref = l.SKU+" · "+l.Name, "/products/"+views.Itoa(*p.ProductID)
		case p.CategoryID != nil:
			name, ok := cats[*p.CategoryID]
			if !ok {
				if c, err := w.app.Catalog.Category(ctx, a, *p.CategoryID); err == nil {
					name = c.Name
				}
				cats[*p.CategoryID] = name
			}
			r.Target = "Category " + name
		}
		if p.PercentOff != nil {
			r.Discount = strconv.FormatFloat(*p.PercentOff, 'f', -1, 64) + " % off"
		} else if p.Price != nil {
			r.Discount = "at " + p.Price.String()
		}
		var flags []string
		for _, f := range []struct {
			on   bool
			name string
		}{{p.Display, "display"}, {p.Feature, "feature"}, {p.Coupon, "coupon"}} {
			if f.on {
				flags = append(flags, f.name)
			}
		}
		r.Flags = strings.Join(flags, ", ")
		rows[i] = r
	}
	return rows, nil
}

// handlePromotionList lists the promotions running today or later.
func (w *Web) handlePromotionList(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	from := w.todayOf(c).Format(db.DayLayout)
	items, _, err := w.app.Promotions.List(ctx, a, app.PromotionFilter{From: from, Limit: app.MaxPageSize})
	if err != nil {
		return err
	}
	rows, err := w.promotionRows(ctx, a, items)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.PromotionsPage(w.page(c, "Promotions", "promotions"), views.PromotionsModel{Items: rows, From: from}))
}

func (w *Web) renderPromotionForm(c echo.Context, status int, f views.Form) error {
	cats, _, _, _, err := w.refOptions(c, "None (a product)")
	if err != nil {
		return err
	}
	return w.render(c, status, views.PromotionFormPage(w.page(c, "New promotion", "promotions"), views.PromotionFormModel{Form: f, Categories: cats}))
}

// handlePromotionNew shows the empty promotion form (for a product when
// ?sku= is given).
func (w *Web) handlePromotionNew(c echo.Context) error {
	f := views.NewForm()
	f.Values["sku"] = c.QueryParam("sku")
	return w.renderPromotionForm(c, http.StatusOK, f)
}

// handlePromotionCreate plans a promotion or shows the form with its
// errors inline (an overlap names the other promotion at the first day).
func (w *Web) handlePromotionCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	in := app.PromotionInput{CategoryID: r.int64("category_id"), FirstDay: r.str("first_day"), LastDay: r.str("last_day"),
		PercentOff: r.float("percent_off"), Price: r.money("price"),
		Display: r.bool("display"), Feature: r.bool("feature"), Coupon: r.bool("coupon"), Note: r.str("note")}
	if sku := strings.TrimSpace(r.form.Values["sku"]); sku != "" {
		p, err := w.app.Catalog.ProductBySKU(ctx, a, sku)
		switch {
		case app.ErrorCode(err) == app.ENOTFOUND:
			r.form.Errors["sku"] = "no product with this SKU"
		case err != nil:
			return err
		default:
			in.ProductID = &p.ID
		}
	}
	if !r.ok() {
		return w.renderPromotionForm(c, http.StatusBadRequest, r.form)
	}
	p, err := w.app.Promotions.Create(ctx, a, in)
	if applyError(&r.form, err, map[string]string{"product_id": "sku"}) {
		status, _ := app.Status(err)
		return w.renderPromotionForm(c, status, r.form)
	}
	if err != nil {
		return err
	}
	w.setFlash(c, views.FlashSuccess, "Promotion "+views.Itoa(p.ID)+" planned ("+p.FirstDay+" – "+p.LastDay+").")
	return redirect(c, "/promotions")
}

// handlePromotionDeleteConfirm asks before deleting.
func (w *Web) handlePromotionDeleteConfirm(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := w.app.Promotions.Get(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	title := "Delete promotion " + views.Itoa(p.ID) + "?"
	return w.render(c, http.StatusOK, views.ConfirmPage(w.page(c, title, "promotions"), views.ConfirmModel{
		Title: title, Message: "It runs from " + p.FirstDay + " to " + p.LastDay + ".",
		Action: "/promotions/" + views.Itoa(id) + "/delete", Button: "Delete promotion", CancelHref: "/promotions",
	}))
}

// handlePromotionDelete deletes a promotion.
func (w *Web) handlePromotionDelete(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := w.app.Promotions.Delete(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	w.setFlash(c, views.FlashSuccess, "Promotion deleted.")
	return redirect(c, "/promotions")
}

// productPlan returns a product's promotions from today on and its
// pending planned prices, for the product page.
func (w *Web) productPlan(ctx context.Context, a app.Actor, id int64) (views.ProductPlanModel, error) {
	var m views.ProductPlanModel
	today, _, err := w.today(ctx)
	if err != nil {
		return m, err
	}
	items, _, err := w.app.Promotions.List(ctx, a, app.PromotionFilter{ProductID: id, From: today.Format(db.DayLayout), Limit: 20})
	if err != nil {
		return m, err
	}
	if m.Promotions, err = w.promotionRows(ctx, a, items); err != nil {
		return m, err
	}
	m.Prices, _, err = w.app.Prices.List(ctx, a, app.PlannedPriceFilter{ProductID: id, Pending: true, Limit: 20})
	return m, err
}

// calendarDays is how far ahead the dashboard's calendar looks.
const calendarDays = 30

// promotionCalendar returns the promotions running in the next 30 days
// (from today) with the days each covers.
func (w *Web) promotionCalendar(ctx context.Context, a app.Actor) (views.PromotionCalendarModel, error) {
	first, _, err := w.today(ctx)
	if err != nil {
		return views.PromotionCalendarModel{}, err
	}
	last := first.AddDate(0, 0, calendarDays-1)
	m := views.PromotionCalendarModel{From: first.Format(db.DayLayout), To: last.Format(db.DayLayout)}
	items, _, err := w.app.Promotions.List(ctx, a, app.PromotionFilter{From: m.From, To: m.To, Limit: 50})
	if err != nil {
		return m, err
	}
	rows, err := w.promotionRows(ctx, a, items)
	if err != nil {
		return m, err
	}
	for _, r := range rows {
		cr := views.CalendarRow{PromotionRow: r, Days: make([]bool, calendarDays)}
		for i := range cr.Days {
			d := first.AddDate(0, 0, i).Format(db.DayLayout)
			cr.Days[i] = r.Promotion.FirstDay <= d && d <= r.Promotion.LastDay
		}
		m.Rows = append(m.Rows, cr)
	}
	return m, nil
}
