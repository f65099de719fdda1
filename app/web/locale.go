package web

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/db"
	"smartinventory/locale"
	"smartinventory/views"
)

// ctxLocale is the echo.Context key of the request's *locale.Locale.
const ctxLocale = "locale"

// localeOf returns the reader's locale: the language of the signed-in
// user's profile, else the first of Accept-Language that the UI speaks,
// else the shop's; the shop's currency and time zone.
func (w *Web) localeOf(c echo.Context) *locale.Locale {
	if l, ok := c.Get(ctxLocale).(*locale.Locale); ok && l != nil {
		return l
	}
	shop, err := w.app.Settings.Shop(c.Request().Context())
	if err != nil {
		w.logger.Warn("read the shop settings", "err", err)
		return locale.English
	}
	lang := shop.Language
	if al, ok := locale.Match(c.Request().Header.Get("Accept-Language")); ok {
		lang = al
	}
	if u := currentUser(c); u != nil && u.Language != "" {
		lang = u.Language
	}
	l := locale.New(lang, shop.Currency, shop.Location)
	c.Set(ctxLocale, l)
	return l
}

// localized is the request's context carrying its locale, for rendering.
func (w *Web) localized(c echo.Context) context.Context {
	return locale.With(c.Request().Context(), w.localeOf(c))
}

// t says key in the reader's language.
func (w *Web) t(c echo.Context, key string, args ...any) string {
	return w.localeOf(c).T(key, args...)
}

// flashf stores a one-time message, translated: key is a catalog format.
func (w *Web) flashf(c echo.Context, kind, key string, args ...any) {
	w.storeFlash(c, kind, w.t(c, key, args...))
}

// handleLanguage stores the signed-in user's language (the header's
// language buttons) and goes back to the page it came from.
func (w *Web) handleLanguage(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	u, err := w.app.Users.SetLanguage(c.Request().Context(), actor(c), r.form.Value("language"))
	if err != nil {
		return err
	}
	c.Set(ctxUser, u)
	c.Set(ctxLocale, nil)
	w.setFlash(c, views.FlashSuccess, "Language changed.")
	return redirect(c, backTo(c.Request().Referer()))
}

// backTo is the path (and query) of a same-site referrer, else "/".
func backTo(referer string) string {
	u, err := url.Parse(referer)
	if err != nil || u.Path == "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// todayOf is the shop's current local day for c's request (today's UTC day
// when the shop settings cannot be read; the error is logged).
func (w *Web) todayOf(c echo.Context) time.Time {
	day, _, err := w.today(c.Request().Context())
	if err != nil {
		w.logger.Warn("read the shop settings", "err", err)
		return db.LocalDay(w.cfg.Now(), time.UTC)
	}
	return day
}
