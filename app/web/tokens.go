package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// tokenRoutes registers the API token pages (each user their own; admins
// any user's, from the user edit page) and the settings page (managers).
func (w *Web) tokenRoutes(r router) {
	r.GET("/account/tokens", w.handleTokenList, db.RoleViewer)
	r.POST("/account/tokens", w.handleTokenCreate, db.RoleViewer)
	r.POST("/account/tokens/:tid/revoke", w.handleTokenRevoke, db.RoleViewer)
	r.GET("/users/:id/tokens", w.handleUserTokenList, db.RoleAdmin)
	r.POST("/users/:id/tokens/:tid/revoke", w.handleTokenRevoke, db.RoleAdmin)
	r.GET("/settings", w.handleSettings, db.RoleManager)
	r.POST("/settings", w.handleSettingsSave, db.RoleManager)
	r.POST("/account/language", w.handleLanguage, db.RoleViewer)
}

// handleTokenList shows the signed-in user's tokens and the create form.
func (w *Web) handleTokenList(c echo.Context) error {
	return w.renderTokens(c, http.StatusOK, currentUser(c).Username, true, views.NewForm(), nil)
}

// handleUserTokenList shows another user's tokens to an admin.
func (w *Web) handleUserTokenList(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	u, err := w.findUser(c, id)
	if err != nil {
		return err
	}
	return w.renderTokens(c, http.StatusOK, u.Username, u.ID == currentUser(c).ID, views.NewForm(), nil)
}

// renderTokens renders username's tokens page; created is the token just
// created, whose secret the page shows once.
func (w *Web) renderTokens(c echo.Context, status int, username string, own bool, f views.Form, created *app.NewToken) error {
	tokens, err := w.app.Users.ListTokens(c.Request().Context(), actor(c), username)
	if err != nil {
		return err
	}
	title, base := "API tokens", "/account/tokens"
	if !own {
		u, err := w.app.Users.UserByName(c.Request().Context(), actor(c), username)
		if err != nil {
			return err
		}
		title, base = "API tokens of "+username, "/users/"+views.Itoa(u.ID)+"/tokens"
	}
	now := w.cfg.Now()
	m := views.TokensModel{Username: username, Own: own, Form: f, Base: base}
	for _, t := range tokens {
		row := views.TokenRow{ID: t.ID, Name: t.Name, Prefix: t.Prefix, Created: t.CreatedAt, LastUsed: t.LastUsedAt,
			Expires: t.ExpiresAt, Status: "active"}
		switch {
		case t.RevokedAt != nil:
			row.Status = "revoked"
		case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
			row.Status = "expired"
		}
		m.Items = append(m.Items, row)
	}
	if created != nil {
		m.NewSecret, m.NewName = created.Secret, created.Token.Name
	}
	return w.render(c, status, views.TokensPage(w.page(c, title, ""), m))
}

// handleTokenCreate creates a token for the signed-in user and shows its
// secret once (in this response only; it is never stored).
func (w *Web) handleTokenCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	var ttl time.Duration // empty: never expires; the service checks the bounds
	if days := r.int("expires_days"); days != nil {
		ttl = app.TokenTTL(int64(*days))
	}
	if !r.ok() {
		return w.renderTokens(c, http.StatusBadRequest, u.Username, true, r.form, nil)
	}
	tok, err := w.app.Users.CreateToken(c.Request().Context(), actor(c), u.Username, r.form.Value("name"), ttl)
	if applyError(&r.form, err, map[string]string{"ttl_days": "expires_days"}) {
		return w.renderTokens(c, formStatus(err), u.Username, true, r.form, nil)
	}
	if err != nil {
		return err
	}
	return w.renderTokens(c, http.StatusOK, u.Username, true, views.NewForm(), tok)
}

// handleTokenRevoke revokes a token (the owner's, or any for an admin:
// the service decides) and goes back to the list it was revoked from.
func (w *Web) handleTokenRevoke(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("tid"), 10, 64)
	if err != nil || id <= 0 {
		return echo.NewHTTPError(http.StatusNotFound, "There is no such token.")
	}
	if err := w.app.Users.RevokeToken(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	w.setFlash(c, views.FlashSuccess, "Token revoked: it no longer works.")
	if uid := c.Param("id"); uid != "" {
		return redirect(c, "/users/"+uid+"/tokens")
	}
	return redirect(c, "/account/tokens")
}

// settingFields maps the settings form's fields to the setting keys.
var settingFields = []struct{ field, key string }{
	{"shop_name", app.SettingShopName},
	{"currency", app.SettingShopCurrency},
	{"time_zone", app.SettingShopTimeZone},
	{"language", app.SettingShopLanguage},
	{"first_weekday", app.SettingShopFirstWeekday},
	{"approval_threshold", app.SettingApprovalThreshold},
	{"four_eyes", app.SettingFourEyes},
	{"service_calibration", app.SettingServiceCalibration},
}

// handleSettings shows the settings form with the current values.
func (w *Web) handleSettings(c echo.Context) error {
	list, err := w.app.Settings.List(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	byKey := map[string]string{}
	for _, s := range list {
		byKey[s.Key] = s.Value
	}
	f := views.NewForm()
	for _, sf := range settingFields {
		f.Values[sf.field] = byKey[sf.key]
	}
	return w.renderSettings(c, http.StatusOK, f)
}

func (w *Web) renderSettings(c echo.Context, status int, f views.Form) error {
	return w.render(c, status, views.SettingsPage(w.page(c, "Settings", "settings"), views.SettingsModel{Form: f}))
}

// handleSettingsSave stores the changed settings, one by one; a value the
// service refuses is shown next to its field (the others are saved).
func (w *Web) handleSettingsSave(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	list, err := w.app.Settings.List(ctx, a)
	if err != nil {
		return err
	}
	current := map[string]string{}
	for _, s := range list {
		current[s.Key] = s.Value
	}
	r.form.Values["four_eyes"] = strconv.FormatBool(r.form.Checked("four_eyes"))
	saved := 0
	for _, sf := range settingFields {
		if _, sent := r.form.Values[sf.field]; !sent && sf.field != "four_eyes" {
			continue // a form without the field leaves it as it is
		}
		v := strings.TrimSpace(r.form.Value(sf.field))
		if v == current[sf.key] {
			continue
		}
		err := w.app.Settings.Set(ctx, a, sf.key, v)
		if e, ok := app.AsError(err); ok && e.Code == app.EINVALID {
			msg := e.Message
			if len(e.Fields) > 0 {
				msg = e.Fields[0].Message
			}
			r.form.Errors[sf.field] = msg
			continue
		}
		if err != nil {
			return err
		}
		saved++
	}
	if !r.ok() {
		if saved > 0 {
			r.form.Message = "The other changes were saved; correct the highlighted setting."
		}
		return w.renderSettings(c, http.StatusBadRequest, r.form)
	}
	w.setFlash(c, views.FlashSuccess, "Settings saved.")
	return redirect(c, "/settings")
}
