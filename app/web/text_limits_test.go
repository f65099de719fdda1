package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// TestWeb_TextLimits: the forms refuse over-long text with the services'
// limits, next to the field.
func TestWeb_TextLimits(t *testing.T) {
	s := newTestServerOn(t, dbtest.Open(t), Config{})
	s.user(t, "boss", db.RoleManager)
	s.product(t, "WT-1", 10)
	c := s.login(t, "boss")
	long := func(n int) string { return strings.Repeat("ß", n+1) }
	tests := []struct {
		name, path string
		form       url.Values
		field      string
		limit      int
	}{
		{"product description", "/products", url.Values{"sku": {"WT-2"}, "name": {"x"}, "description": {long(app.MaxDescriptionLength)}}, "description", app.MaxDescriptionLength},
		{"sale note", "/sales", url.Values{"sku": {"WT-1"}, "quantity": {"1"}, "note": {long(app.MaxNoteLength)}}, "note", app.MaxNoteLength},
		{"adjustment reason", "/stock/adjustments", url.Values{"sku": {"WT-1"}, "delta": {"1"}, "reason": {long(app.MaxNoteLength)}}, "reason", app.MaxNoteLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := c.post(tt.path, tt.form)
			want := fmt.Sprintf("must be at most %d characters", tt.limit)
			if status != http.StatusBadRequest || !strings.Contains(body, `data-testid="error-`+tt.field+`"`) || !strings.Contains(body, want) {
				t.Fatalf("status %d, want 400 with %s: %s; %.300s", status, tt.field, want, body)
			}
		})
	}
}
