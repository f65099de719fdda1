package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/app/httpapi"
)

// TestErrorStatusesMatchTheAPI: the web answers every service error with
// the status the API gives it (invalid input 400, not 422), as a page or,
// for htmx, as the error panel retargeted to the flash area.
func TestErrorStatusesMatchTheAPI(t *testing.T) {
	s := newTestServer(t, Config{})
	codes := []string{app.EINVALID, app.ENOTFOUND, app.ECONFLICT, app.EFORBIDDEN, app.EBUSY}
	for _, code := range codes {
		for _, htmx := range []bool{false, true} {
			err := app.Errorf(code, "Something about %s.", code)
			want, _ := httpapi.ProblemFor(err)
			req := httptest.NewRequest(http.MethodGet, "/products", nil)
			if htmx {
				req.Header.Set("HX-Request", "true")
			}
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(req, rec)
			s.web.HandleError(err, c)
			if rec.Code != want.Status {
				t.Errorf("%s (htmx %v): web status %d, API status %d", code, htmx, rec.Code, want.Status)
			}
			if htmx && rec.Header().Get("HX-Retarget") != "#flash-area" {
				t.Errorf("%s: the htmx error panel is not retargeted to the flash area: %q", code, rec.Header().Get("HX-Retarget"))
			}
		}
	}
	if status, code := app.Status(app.Errorf(app.EINVALID, "x")); status != http.StatusBadRequest || code != app.EINVALID {
		t.Errorf("app.Status(EINVALID) = %d, %q", status, code)
	}
	if status, code := app.Status(errors.New("disk on fire")); status != http.StatusInternalServerError || code != app.EINTERNAL {
		t.Errorf("app.Status(internal) = %d, %q", status, code)
	}
}
