package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"smartinventory/locale"
)

// ctxLocale is the echo.Context key of the request's *locale.Locale.
const ctxLocale = "locale"

// localeOf returns the reader's locale: the first language of
// Accept-Language that the UI speaks, else the shop's; the shop's currency
// and time zone.
func (w *Web) localeOf(c echo.Context) *locale.Locale {
	if l, ok := c.Get(ctxLocale).(*locale.Locale); ok {
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
