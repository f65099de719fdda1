// Package web is the browser UI of Smart Inventory: server-rendered pages
// (templ components from package views) with htmx partial updates, a signed
// session cookie, CSRF protection and role checks. Handlers are thin: parse
// the request, call one service of package app with the signed-in user's
// actor, render a view model.
//
// # Adding a page
//
//  1. Write the view model and the templ components in views/ (a page
//     component wrapping @views.Layout(p), and a fragment component for the
//     part htmx replaces).
//  2. Write handleThingList etc. in a file of its own here; build the
//     layout data with w.page(c, title, navKey) and render with w.render
//     (full page) or, when isHTMX(c), the fragment alone.
//  3. Register the routes in that file's thingRoutes, with the lowest role
//     that may use them: r.GET("/things", w.handleThingList, db.RoleViewer).
//     The router adds the security headers, the session, the CSRF check,
//     the sign-in check and the role check.
//
// # Sessions and CSRF
//
// A signed-in session lives in the database (app.Sessions, table
// web_sessions); the cookie si_session holds its random token, of which
// only the SHA-256 is stored. Every request looks the session and its user
// up there, uncached, so signing out, a new password or role and
// deactivation end a session at once on every replica, and a copy of the
// database yields no cookie. Anonymous visitors get a cookie signed with
// HMAC-SHA256 under a secret stored in the database (table web_secrets)
// that holds only a nonce for the login form's CSRF token; it grants
// nothing. `smartinventory secret rotate` replaces the secret and ends
// every session; running servers reload it when they hear of the change.
//
// The CSRF token is HMAC(secret, nonce): bound to the session, rotated at
// sign-in. Forms send it as _csrf; htmx sends it as the
// X-CSRF-Token header (static/js/app.js reads <meta name="csrf-token">).
// Every POST/PUT/PATCH/DELETE through the web router is refused with 403
// without a valid token.
//
// The JSON API accepts the browser session too (ActorFromRequest). A write
// to the API with the session cookie must carry X-CSRF-Token as well;
// without it ActorFromRequest does not vouch for the request, so it falls
// back to the bearer token and, with none, gets 401. Bearer-token requests
// need no CSRF token: browsers never add bearer tokens on their own.
package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// Config tunes the web UI. The zero value is ready for use.
type Config struct {
	// Logger receives internal errors. Default: discard.
	Logger *slog.Logger
	// SessionTTL is how long a session lasts without activity; sessions are
	// renewed while used. Default 12 hours.
	SessionTTL time.Duration
	// TrustProxy makes the server believe X-Forwarded-Proto (Secure cookies
	// behind a TLS-terminating proxy). Only set it behind a proxy that
	// overwrites it. The client IP of login rate limits is Echo's
	// RealIP, whose extractor the server sets (server.Options.TrustProxy).
	TrustProxy bool
	// LoginBurst and LoginRefill rate-limit sign-in attempts per client IP
	// and username: LoginBurst attempts at once, then one per LoginRefill.
	// Defaults 5 and 20 s.
	LoginBurst  int
	LoginRefill time.Duration
	// Secret, when set, signs sessions instead of the secret stored in the
	// database (tests; or a secret from the environment). At least 32 bytes.
	Secret []byte
	// Now returns the current time (tests). Default time.Now.
	Now func() time.Time
	// PollInterval is how often the dashboard's fragments poll for
	// changes. Idle polls cost a few indexed lookups (304 Not Modified).
	// Default 10 s.
	PollInterval time.Duration
	// LivePollInterval is how often the dashboard's fragments poll while
	// the page also listens to the event stream (/events, see events.go),
	// which makes them refetch at once after changes: the polls are only
	// the fallback for a stream that does not get through. Default 30 s.
	LivePollInterval time.Duration
}

// Web is the browser UI. Build it with New, then hand ActorFromRequest,
// Mount and HandleError to server.Options.
type Web struct {
	app     *app.App
	cfg     Config
	logger  *slog.Logger
	keys    *keyring
	limiter *limiter
	cache   dashCache // dashboard and chart inputs by data version
	events  *eventStreams
}

// New returns the web UI over a. It loads (or, on first start, creates)
// the signing secret in the database, which must be migrated.
func New(ctx context.Context, a *app.App, cfg Config) (*Web, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.LoginBurst <= 0 {
		cfg.LoginBurst = 5
	}
	if cfg.LoginRefill <= 0 {
		cfg.LoginRefill = 20 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 10 * time.Second
	}
	if cfg.LivePollInterval <= 0 {
		cfg.LivePollInterval = 30 * time.Second
	}
	kr := &keyring{a: a, logger: cfg.Logger, fixed: cfg.Secret != nil}
	secret := cfg.Secret
	if secret == nil {
		var err error
		secret, err = a.Sessions.Secret(ctx, app.SessionSecretName)
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		kr.gen = a.Changes.AuthGeneration()
	}
	if len(secret) < 32 {
		return nil, fmt.Errorf("web: the session secret must be at least 32 bytes")
	}
	kr.keys = deriveKeys(secret)
	return &Web{
		app:     a,
		cfg:     cfg,
		logger:  cfg.Logger,
		keys:    kr,
		limiter: newLimiter(cfg.LoginBurst, cfg.LoginRefill, cfg.Now),
		events:  newEventStreams(),
	}, nil
}

// router registers web routes with the middleware every page needs and
// the role the route requires. (Route-level middleware, not group
// middleware: Echo's groups add catch-all routes that would shadow the
// API's 404 and 405 answers.)
type router struct {
	e *echo.Echo
	w *Web
}

// GET registers a page or fragment for users with at least role min.
func (r router) GET(path string, h echo.HandlerFunc, min db.Role) {
	r.e.GET(path, h, r.w.chain(min)...)
}

// POST registers an action for users with at least role min.
func (r router) POST(path string, h echo.HandlerFunc, min db.Role) {
	r.e.POST(path, h, r.w.chain(min)...)
}

// chain is the middleware of a signed-in route.
func (w *Web) chain(min db.Role) []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{w.securityHeaders, w.loadSession, w.requireUser, w.checkCSRF, w.requireRole(min)}
}

// Mount registers every web route on e. It is server.Options.Mount.
func (w *Web) Mount(e *echo.Echo) {
	e.GET("/static/*", handleStatic)
	e.GET("/favicon.ico", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, "/static/img/favicon.svg")
	})
	public := []echo.MiddlewareFunc{w.securityHeaders, w.loadSession, w.checkCSRF}
	e.GET("/login", w.handleLoginForm, public...)
	e.POST("/login", w.handleLogin, public...)
	e.POST("/logout", w.handleLogout, public...)

	r := router{e: e, w: w}
	w.dashboardRoutes(r)
	w.productRoutes(r)
	w.productDetailRoutes(r)
	w.supplierRoutes(r)
	w.categoryRoutes(r)
	w.userRoutes(r)
	w.saleRoutes(r)
	w.stockRoutes(r)
	w.restockRoutes(r)
	w.trendRoutes(r)
	w.purchaseOrderRoutes(r)
	w.chartRoutes(r)
	w.auditRoutes(r)
	w.commentRoutes(r)
	w.tokenRoutes(r)
	w.changeRoutes(r)
	w.importRoutes(r)
	w.promotionRoutes(r)
	w.eventRoutes(r)
}
