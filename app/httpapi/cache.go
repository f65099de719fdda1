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
// caches its encoded result. The ETag is derived from the version and key.
func (vc *versionedCache) serve(c echo.Context, version, key string, compute func() (any, error)) error {
	sum := sha256.Sum256([]byte(version + "\x00" + key))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	vc.mu.Lock()
	if vc.version != version {
		vc.version, vc.bodies = version, map[string][]byte{}
	}
	body, ok := vc.bodies[key]
	vc.mu.Unlock()
	if !ok {
		v, err := compute()
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := encodeJSON(&buf, v); err != nil {
			return err
		}
		body = buf.Bytes()
		vc.mu.Lock()
		if vc.version == version && len(vc.bodies) < maxCachedAnswers {
			vc.bodies[key] = body
		}
		vc.mu.Unlock()
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}
