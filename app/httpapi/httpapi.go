// Package httpapi is the JSON API of Smart Inventory under /api/v1. Its
// handlers are thin adapters over the services in package app: they parse
// the request, call one service method with the request's actor and render
// the result; every error becomes an RFC 9457 problem+json response through
// the one ErrorHandler.
package httpapi

import (
	"io"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// DefaultBodyLimit is the largest JSON body read when Options.BodyLimit is 0.
const DefaultBodyLimit = 10 << 20

// Options configure the API.
type Options struct {
	// Logger receives internal errors. Default: discard.
	Logger *slog.Logger
	// ActorFromRequest, when set, is asked first for the request's actor
	// (the web layer's browser session). When it reports false, the
	// Authorization: Bearer token decides.
	ActorFromRequest func(r *http.Request) (app.Actor, bool)
	// BodyLimit is the largest request body in bytes (413 above it).
	// Default DefaultBodyLimit.
	BodyLimit int64
}

// handler holds what every API handler needs.
type handler struct {
	app    *app.App
	logger *slog.Logger
	opt    Options

	restock versionedCache // encoded GET /restock answers per data version
}

// Register mounts every API route on g (normally e.Group(Prefix)). The
// Echo instance's HTTPErrorHandler should be ErrorHandler (server.New sets
// it) so that errors render as problem+json.
func Register(g *echo.Group, a *app.App, opt Options) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.BodyLimit <= 0 {
		opt.BodyLimit = DefaultBodyLimit
	}
	h := &handler{app: a, logger: opt.Logger, opt: opt}

	g.GET("/openapi.json", h.handleOpenAPI)
	h.routes(&router{g: g, mw: []echo.MiddlewareFunc{h.authenticate}})
}

// router registers routes on a group with route-level middleware. (Group
// middleware would make Echo add catch-all not-found routes to the group,
// which turn every 405 into a 404.)
type router struct {
	g  *echo.Group
	mw []echo.MiddlewareFunc
}

func (r *router) GET(path string, h echo.HandlerFunc)    { r.g.GET(path, h, r.mw...) }
func (r *router) POST(path string, h echo.HandlerFunc)   { r.g.POST(path, h, r.mw...) }
func (r *router) PUT(path string, h echo.HandlerFunc)    { r.g.PUT(path, h, r.mw...) }
func (r *router) PATCH(path string, h echo.HandlerFunc)  { r.g.PATCH(path, h, r.mw...) }
func (r *router) DELETE(path string, h echo.HandlerFunc) { r.g.DELETE(path, h, r.mw...) }

// gated returns the router whose routes also pass writeGate.
func (r *router) gated() *router {
	return &router{g: r.g, mw: append(append([]echo.MiddlewareFunc{}, r.mw...), writeGate)}
}

// routes registers the authenticated routes.
func (h *handler) routes(g *router) {
	h.userRoutes(g) // own tokens: anyone; the rest checks in the service
	g = g.gated()
	h.productRoutes(g)
	h.categoryRoutes(g)
	h.supplierRoutes(g)
	h.saleRoutes(g)
	h.stockRoutes(g)
	h.auditRoutes(g)
	h.forecastRoutes(g)
	h.analyticsRoutes(g)
	h.restockRoutes(g)
	h.purchaseOrderRoutes(g)
	h.importExportRoutes(g)
	h.commentRoutes(g)
}
