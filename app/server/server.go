// Package server builds the HTTP handler of Smart Inventory (middleware,
// health checks, metrics, the JSON API under /api/v1 and the web UI, which
// Options.Mount adds) and runs it with sane timeouts and a graceful
// shutdown.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/httpapi"
)

// DefaultBodyLimit is the largest request body accepted when Options.BodyLimit is 0.
const DefaultBodyLimit = 10 << 20 // 10 MB

// ShutdownTimeout is how long Run waits for in-flight requests on shutdown.
const ShutdownTimeout = 10 * time.Second

// Options configure the handler built by New.
type Options struct {
	// Logger receives request logs and internal errors. Default: discard.
	Logger *slog.Logger
	// BodyLimit is the largest request body in bytes; larger bodies get 413.
	// Default DefaultBodyLimit (10 MB).
	BodyLimit int64
	// ActorFromRequest, when set, is asked first for the actor of an API
	// request (e.g. the web layer's browser session). When it reports false
	// the API falls back to the Authorization: Bearer token.
	ActorFromRequest func(r *http.Request) (app.Actor, bool)
	// Mount, when set, registers more routes (the web UI, static files) on
	// the Echo instance after the health checks and the API.
	Mount func(e *echo.Echo)
	// HandleError, when set, renders errors of requests outside /api/ (the
	// web UI's error pages). It returns false to leave the error to the
	// default problem+json rendering.
	HandleError func(err error, c echo.Context) bool
	// Metrics serves GET /metrics (Prometheus text format) and counts the
	// requests for it; see metrics.go for the series and who may read them.
	Metrics bool
	// TrustProxy takes the client IP (logs, metrics access) from
	// X-Forwarded-For as set by a proxy on a loopback or private address.
	// Off: the peer address, and forwarding headers are ignored.
	TrustProxy bool
}

// New returns the Echo instance serving a: /healthz, /readyz, the JSON API
// under /api/v1 and whatever Options.Mount adds.
func New(a *app.App, opt Options) *echo.Echo {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.BodyLimit <= 0 {
		opt.BodyLimit = DefaultBodyLimit
	}
	logger := opt.Logger

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	apiErrors := httpapi.ErrorHandler(logger)
	if opt.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		if opt.HandleError != nil && !strings.HasPrefix(c.Request().URL.Path, "/api/") && !machinePath(c.Request().URL.Path) {
			if opt.HandleError(err, c) {
				return
			}
		}
		apiErrors(err, c)
	}

	var m *metrics
	if opt.Metrics {
		var err error
		if m, err = newMetrics(a); err != nil {
			logger.Error("metrics disabled", "err", err)
		}
	}
	e.Use(requestID())
	e.Use(securityHeaders())
	if m != nil {
		e.Use(m.middleware())
	}
	e.Use(requestLogger(logger))
	e.Use(recoverer(logger))
	e.Use(bodyLimit(opt.BodyLimit))

	e.GET("/healthz", handleHealthz)
	e.GET("/readyz", handleReadyz(a, logger))
	if m != nil {
		e.GET(metricsPath, m.handler(a, opt.ActorFromRequest))
	}

	httpapi.Register(e.Group(httpapi.Prefix), a, httpapi.Options{
		Logger:           logger,
		ActorFromRequest: opt.ActorFromRequest,
		BodyLimit:        opt.BodyLimit,
	})

	if opt.Mount != nil {
		opt.Mount(e)
	}
	return e
}

// handleHealthz answers 200 while the process is up.
func handleHealthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers 200 when the database answers, 503 otherwise.
func handleReadyz(a *app.App, logger *slog.Logger) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
		defer cancel()
		if err := a.Ready(ctx); err != nil {
			logger.Warn("not ready", "err", err)
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}

// Run listens on addr (":0" picks a free port), calls ready with the bound
// address, and serves h until ctx is cancelled; it then stops accepting
// connections and waits up to ShutdownTimeout for in-flight requests.
// It returns nil after a clean shutdown.
func Run(ctx context.Context, addr string, h http.Handler, logger *slog.Logger, ready func(addr net.Addr)) error {
	return RunTLS(ctx, addr, h, logger, TLSFiles{}, ready)
}

// TLSFiles name a PEM certificate (chain) and its private key.
type TLSFiles struct{ Cert, Key string }

// RunTLS is Run serving HTTPS with the certificate and key in files; with
// empty files it serves plain HTTP, as Run does. The files are loaded
// before listening, so a bad pair fails at once.
func RunTLS(ctx context.Context, addr string, h http.Handler, logger *slog.Logger, files TLSFiles, ready func(addr net.Addr)) error {
	if (files.Cert == "") != (files.Key == "") {
		return fmt.Errorf("server: TLS needs both a certificate and a key file")
	}
	var tlsConfig *tls.Config
	if files.Cert != "" {
		pair, err := tls.LoadX509KeyPair(files.Cert, files.Key)
		if err != nil {
			return fmt.Errorf("server: load TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	if tlsConfig != nil {
		// ServeTLS with the certificate in TLSConfig (empty file names)
		// also offers HTTP/2.
		srv.TLSConfig = tlsConfig
		go func() { errc <- srv.ServeTLS(ln, "", "") }()
	} else {
		go func() { errc <- srv.Serve(ln) }()
	}
	logger.Info("listening", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr())
	}

	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("server: serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: serve: %w", err)
	}
	return nil
}
