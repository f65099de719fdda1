package app

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/api"
	"smartinventory/db"
)

// Audit records and lists audit events. Events are written in the same
// transaction as the change they describe and are never updated or deleted.
type Audit struct{ *base }

// record writes one audit event. before and after are entities (or nil);
// only the fields that differ are kept.
func (au *Audit) record(ctx context.Context, tx bun.IDB, a Actor, action, entityType string, id int64, before, after any) error {
	b, af, err := diff(before, after)
	if err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, entityType, id, err)
	}
	ev := &db.AuditEvent{
		UserID: a.userID(), Username: a.Username, Source: a.Source, Action: action,
		EntityType: entityType, EntityID: id, Before: b, After: af, CreatedAt: au.now(),
	}
	if _, err := tx.NewInsert().Model(ev).Exec(ctx); err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, entityType, id, err)
	}
	return nil
}

// diff turns two entities into JSON objects holding only changed fields
// (all fields when one side is nil). Bookkeeping fields are left out.
func diff(before, after any) (string, string, error) {
	bm, err := toMap(before)
	if err != nil {
		return "", "", err
	}
	am, err := toMap(after)
	if err != nil {
		return "", "", err
	}
	for _, k := range []string{"version", "updated_at", "created_at"} {
		delete(bm, k)
		delete(am, k)
	}
	if bm != nil && am != nil {
		for k, v := range bm {
			if reflect.DeepEqual(v, am[k]) {
				delete(bm, k)
				delete(am, k)
			}
		}
	}
	return encode(bm), encode(am), nil
}

func toMap(v any) (map[string]any, error) {
	if v == nil || reflect.ValueOf(v).IsNil() {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func encode(m map[string]any) string {
	if m == nil {
		return ""
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	return string(raw)
}

// AuditFilter selects audit events.
type AuditFilter struct {
	Username   string
	EntityType string
	EntityID   int64
	From, To   time.Time
	Limit      int
	Offset     int
}

// List returns audit events, newest first, and the total matching.
// Managers and admins may read the audit trail.
func (au *Audit) List(ctx context.Context, a Actor, f AuditFilter) ([]db.AuditEvent, int, error) {
	if err := a.require(db.RoleManager, "read the audit trail"); err != nil {
		return nil, 0, err
	}
	evs := []db.AuditEvent{}
	q := au.db.NewSelect().Model(&evs).OrderExpr("id DESC")
	if f.Username != "" {
		q = q.Where("username = ?", f.Username)
	}
	if f.EntityType != "" {
		q = q.Where("entity_type = ?", f.EntityType)
	}
	if f.EntityID != 0 {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To.UTC())
	}
	n, err := q.Limit(int64(pageLimit(f.Limit))).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit events: %w", err)
	}
	return evs, int(n), nil
}

// Page limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = api.MaxPageSize
)

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}
