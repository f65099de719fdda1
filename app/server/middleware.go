package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// The middleware here is small and written for this server: Echo's own
// middleware package pulls golang.org/x/time, which the module does not
// require.

// requestID takes a sane X-Request-ID from the request or makes one, and
// echoes it on the response.
func requestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if !validRequestID(id) {
				id = newRequestID()
			}
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			return next(c)
		}
	}
}

// validRequestID accepts short printable ASCII ids without spaces.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return fmt.Sprintf("t%d", time.Now().UnixNano())
	}
	return hex.EncodeToString(b)
}

// requestLogger logs one line per request with slog. It renders the
// handler's error first (through the HTTPErrorHandler) so the logged status
// is the one sent.
func requestLogger(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			req := c.Request()
			logger.LogAttrs(req.Context(), level, "request",
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.String("route", c.Path()),
				slog.Int("status", status),
				slog.Int64("bytes", c.Response().Size),
				slog.Duration("latency", time.Since(start)),
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.String("user", requestUser(c)),
				slog.String("remote_ip", c.RealIP()),
			)
			return nil
		}
	}
}

// Context keys under which the API (app/httpapi) and the web UI (app/web)
// keep the request's actor and user.
const (
	keyAPIActor = "httpapi.actor"
	keyWebUser  = "web.user"
)

// requestUser names the signed-in user of a request for the log: the API
// actor (token or session), else the web page's user; "" when anonymous.
func requestUser(c echo.Context) string {
	if a, ok := c.Get(keyAPIActor).(app.Actor); ok && a.Username != "" {
		return a.Username
	}
	if u, ok := c.Get(keyWebUser).(*db.User); ok && u != nil {
		return u.Username
	}
	return ""
}

// recoverer turns a panic in a handler into a logged 500.
func recoverer(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				if r == http.ErrAbortHandler {
					panic(r)
				}
				logger.ErrorContext(c.Request().Context(), "panic in handler",
					"panic", fmt.Sprint(r),
					"method", c.Request().Method,
					"path", c.Request().URL.Path,
					"stack", string(debug.Stack()))
				err = fmt.Errorf("recovered panic: %v", r)
			}()
			return next(c)
		}
	}
}

// bodyLimit refuses bodies larger than limit bytes with 413: at once when
// Content-Length says so, else when reading passes the limit (the reader
// then fails with *http.MaxBytesError, which the API maps to 413).
func bodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > limit {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
					fmt.Sprintf("The request body is larger than %d bytes.", limit))
			}
			if req.Body != nil && req.Body != http.NoBody {
				req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
			}
			return next(c)
		}
	}
}
