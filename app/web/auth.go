package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// securityHeaders sets the headers every page gets. The CSP allows scripts
// and styles from this origin only (htmx's inline indicator styles are
// switched off in the layout); inline style attributes stay allowed for
// charts.
func (w *Web) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

// loadSession puts the request's session on c, starting an anonymous one
// when there is none, and renews a signed-in session past half its life
// (same nonce, so the CSRF token does not change).
func (w *Web) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, ok := w.readSession(c.Request())
		switch {
		case !ok:
			w.startSession(c, 0)
		case s.UserID != 0 && time.Unix(s.Expires, 0).Sub(w.cfg.Now()) < w.cfg.SessionTTL/2:
			s.Expires = w.cfg.Now().Add(w.cfg.SessionTTL).Unix()
			w.setSession(c, s)
		default:
			c.Set(ctxSession, s)
		}
		return next(c)
	}
}

// requireUser lets signed-in, active users through and sends everyone else
// to /login. The user is re-read on every request, so deactivation and
// role changes take effect at once.
func (w *Web) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := currentSession(c)
		if s.UserID == 0 {
			return w.toLogin(c)
		}
		u, err := w.app.Users.ActiveUser(c.Request().Context(), s.UserID)
		if app.ErrorCode(err) == app.EUNAUTHORIZED {
			w.startSession(c, 0)
			w.setFlash(c, views.FlashError, "You have been signed out: your account is no longer active.")
			return w.toLogin(c)
		}
		if err != nil {
			return err
		}
		c.Set(ctxUser, u)
		return next(c)
	}
}

// toLogin redirects to the login page, remembering where a GET wanted to
// go. htmx requests get HX-Redirect, so the whole page changes.
func (w *Web) toLogin(c echo.Context) error {
	target := "/login"
	r := c.Request()
	if r.Method == http.MethodGet && !isHTMX(c) && r.URL.RequestURI() != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// requireRole refuses users whose role is below min with 403.
func (w *Web) requireRole(min db.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil || u.Role.Rank() < min.Rank() {
				role := db.Role("none")
				if u != nil {
					role = u.Role
				}
				return app.Errorf(app.EFORBIDDEN, "Your role (%s) may not open this page; it needs %s or higher.", role, min)
			}
			return next(c)
		}
	}
}

// ActorFromRequest returns the actor of a request carrying a valid browser
// session of an active user, for the JSON API (server.Options). Requests
// that may change something must also carry the session's CSRF token in
// X-CSRF-Token; otherwise the session is ignored (the API then asks for a
// bearer token and answers 401).
func (w *Web) ActorFromRequest(r *http.Request) (app.Actor, bool) {
	s, ok := w.readSession(r)
	if !ok || s.UserID == 0 {
		return app.Actor{}, false
	}
	if !safeMethod(r.Method) && !w.validCSRF(s, r.Header.Get(headerCSRF)) {
		return app.Actor{}, false
	}
	u, err := w.app.Users.ActiveUser(r.Context(), s.UserID)
	if err != nil {
		return app.Actor{}, false
	}
	return app.ActorFor(u, "web"), true
}

// actor is the signed-in user's actor for service calls.
func actor(c echo.Context) app.Actor {
	u := currentUser(c)
	if u == nil {
		return app.Actor{}
	}
	return app.ActorFor(u, "web")
}

// safeNext returns next if it is a local path, else "/". It refuses
// scheme-relative ("//host") and backslash tricks.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// handleLoginForm shows the sign-in form (or goes home when signed in).
func (w *Web) handleLoginForm(c echo.Context) error {
	if s := currentSession(c); s.UserID != 0 {
		if _, err := w.app.Users.ActiveUser(c.Request().Context(), s.UserID); err == nil {
			return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
		}
	}
	return w.render(c, http.StatusOK, views.LoginPage(w.page(c, "Sign in", ""), views.LoginModel{Next: c.QueryParam("next")}))
}

// handleLogin checks the credentials, rate-limited per client IP and
// username, and starts a new session (a new nonce: no session fixation).
func (w *Web) handleLogin(c echo.Context) error {
	username := strings.TrimSpace(c.FormValue("username"))
	password := c.FormValue("password")
	next := c.FormValue("next")
	shown := username
	if len(shown) > maxLoginName {
		shown = shown[:maxLoginName] // longer names cannot exist: never keep or echo more
	}
	m := views.LoginModel{Username: shown, Next: next}
	key := keyFor(w.clientIP(c.Request()), username)
	if ok, wait := w.limiter.allow(key); !ok {
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		m.Error = fmt.Sprintf("Too many sign-in attempts. Try again in %d seconds.", int(wait.Seconds())+1)
		return w.render(c, http.StatusTooManyRequests, views.LoginPage(w.page(c, "Sign in", ""), m))
	}
	u, err := w.app.Users.Authenticate(c.Request().Context(), username, password)
	if app.ErrorCode(err) == app.EUNAUTHORIZED {
		m.Error = app.ErrorMessage(err)
		return w.render(c, http.StatusUnauthorized, views.LoginPage(w.page(c, "Sign in", ""), m))
	}
	if err != nil {
		return fmt.Errorf("web: sign in: %w", err)
	}
	w.limiter.reset(key)
	w.startSession(c, u.ID)
	return c.Redirect(http.StatusSeeOther, safeNext(next))
}

// handleLogout ends the session (a fresh anonymous one replaces it).
func (w *Web) handleLogout(c echo.Context) error {
	w.startSession(c, 0)
	w.setFlash(c, views.FlashInfo, "You have been signed out.")
	return c.Redirect(http.StatusSeeOther, "/login")
}
