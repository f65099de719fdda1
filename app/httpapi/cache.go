package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// versionedCache keeps encoded JSON answers of expensive read endpoints for
// one data version (app.App.DataVersion): while nothing changed, a request
// is answered from memory (or with 304 to If-None-Match), and the first
// request after a change recomputes. Answers must not depend on who asks
// beyond the route's role check.
type versionedCache struct {
	mu      sync.Mutex
	version string
	bodies  map[string][]byte
}

// maxCachedAnswers bounds the distinct queries kept per version.
const maxCachedAnswers = 64

// serve answers the request for key from the cache, or calls compute and
// caches its encoded result. version returns the current data version; it
// is read again after computing, because computing may itself advance it
// (the first analytics snapshot), and the ETag must name what was sent.
func (vc *versionedCache) serve(c echo.Context, version func() (string, error), key string, compute func() (any, error)) error {
	v, err := version()
	if err != nil {
		return err
	}
	etag := etagFor(v, key)
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		setCacheHeaders(c, etag)
		return c.NoContent(http.StatusNotModified)
	}
	vc.mu.Lock()
	body, ok := vc.bodies[key]
	ok = ok && vc.version == v
	vc.mu.Unlock()
	if !ok {
		answer, err := compute()
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := encodeJSON(&buf, answer); err != nil {
			return err
		}
		body = buf.Bytes()
		if v, err = version(); err != nil {
			return err
		}
		etag = etagFor(v, key)
		vc.mu.Lock()
		if vc.version != v {
			vc.version, vc.bodies = v, map[string][]byte{}
		}
		if len(vc.bodies) < maxCachedAnswers {
			vc.bodies[key] = body
		}
		vc.mu.Unlock()
	}
	setCacheHeaders(c, etag)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

func etagFor(version, key string) string {
	sum := sha256.Sum256([]byte(version + "\x00" + key))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

func setCacheHeaders(c echo.Context, etag string) {
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
}
