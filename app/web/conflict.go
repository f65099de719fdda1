package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/views"
)

// staleCurrent returns the current record of a stale-version conflict
// (ECONFLICT carrying Current), or nil for any other error.
func staleCurrent(err error) any {
	if e, ok := app.AsError(err); ok && e.Code == app.ECONFLICT && e.Current != nil {
		return e.Current
	}
	return nil
}

// conflict builds the conflict view of a stale edit: who changed the
// record and when (the latest audit event of the entity), their values,
// and the current version so that resubmitting keeps the user's values.
// updated is the record's own update time, used when the audit trail is
// not readable.
func (w *Web) conflict(c echo.Context, entity string, id, version int64, updated time.Time, theirs map[string]string, reload string) *views.Conflict {
	cf := &views.Conflict{By: "someone else", At: updated, Version: version, Theirs: theirs, ReloadHref: reload}
	evs, _, err := w.app.Audit.List(c.Request().Context(), actor(c), app.AuditFilter{EntityType: entity, EntityID: id, Limit: 1})
	if err == nil && len(evs) > 0 {
		cf.By, cf.At = evs[0].Username, evs[0].CreatedAt
	}
	return cf
}
