// Package static holds the browser assets of the web UI, embedded in the
// binary: the Tailwind build (css/app.css, built from css/input.css by
// `npm run build:css` and committed), the vendored htmx 2 (js/htmx.min.js,
// copied by `npm run vendor:htmx`), the small glue script js/app.js and
// the images.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

// FS holds the assets; paths are relative to this directory ("css/app.css").
//
//go:embed css/app.css js/htmx.min.js js/app.js img
var FS embed.FS

// Version is a short hash of every asset. Pages add it to asset URLs
// (?v=…) so that browsers may cache them for long and still fetch new ones
// after an upgrade.
var Version = version()

func version() string {
	h := sha256.New()
	_ = fs.WalkDir(FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := FS.ReadFile(path)
		if err != nil {
			return err
		}
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}
