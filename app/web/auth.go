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
		setPageHeaders(c.Response().Header())
		return next(c)
	}
}

// setPageHeaders sets the security headers of a page (also on error pages
// of requests that no route's middleware saw, such as unknown URLs).
func setPageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
		"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
}

// loadSession puts the request's session (and, when signed in, its user)
// on c, starting an anonymous one when there is none, and renews a
// signed-in session past half its life. Renewal is best-effort, in the
// background: a busy database neither delays nor fails the request.
func (w *Web) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, ok, err := w.readSession(c.Request())
		if err != nil {
			return err
		}
		switch {
		case !ok:
			w.startAnonymous(c)
			if s.ended {
				c.Set(ctxEnded, true)
			}
			return next(c)
		case s.token != "" && time.Unix(s.Expires, 0).Sub(w.cfg.Now()) < w.cfg.SessionTTL/2:
			s.Expires = w.app.Sessions.Renew(s.token, w.cfg.SessionTTL).Unix()
			c.SetCookie(w.cookie(c, sessionCookie, s.token, int(w.cfg.SessionTTL/time.Second)))
		}
		c.Set(ctxSession, s)
		if s.user != nil {
			c.Set(ctxUser, s.user)
		}
		return next(c)
	}
}

// requireUser lets signed-in users through and sends everyone else to
// /login. The session and its user are read from the database on every
// request (loadSession), so sign-out elsewhere, a new password or role and
// deactivation take effect at once, on every replica.
func (w *Web) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			if ended, _ := c.Get(ctxEnded).(bool); ended {
				w.setFlash(c, views.FlashError, "You have been signed out: your session has ended. Please sign in again.")
			}
			return w.toLogin(c)
		}
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
	s, ok, err := w.readSession(r)
	if err != nil || !ok || s.user == nil {
		return app.Actor{}, false
	}
	if !safeMethod(r.Method) && !w.validCSRF(r.Context(), s, r.Header.Get(headerCSRF)) {
		return app.Actor{}, false
	}
	return app.ActorFor(s.user, "web"), true
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
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
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
	key := keyFor(c.RealIP(), username) // the server's one IP extractor (server.Options.TrustProxy)
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
	if old := currentSession(c); old.token != "" {
		if err := w.app.Sessions.End(c.Request().Context(), old.token); err != nil {
			return fmt.Errorf("web: sign in: %w", err)
		}
	}
	if err := w.startSignedIn(c, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, safeNext(next))
}

// handleLogout ends the session in the database, so the cookie is worth
// nothing anywhere after it (a fresh anonymous one replaces it).
func (w *Web) handleLogout(c echo.Context) error {
	if s := currentSession(c); s.token != "" {
		if err := w.app.Sessions.End(c.Request().Context(), s.token); err != nil {
			return fmt.Errorf("web: sign out: %w", err)
		}
	}
	w.startAnonymous(c)
	w.setFlash(c, views.FlashInfo, "You have been signed out.")
	return c.Redirect(http.StatusSeeOther, "/login")
}
