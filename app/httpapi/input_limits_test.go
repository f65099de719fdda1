package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/db"
)

// countingBody is a request body that counts the bytes read from it.
type countingBody struct {
	r    io.Reader
	read int
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

// TestViewerWriteRefusedBeforeBodyIsRead: a viewer's 10 MB POST to a clerk
// endpoint is a 403 and not a byte of the body is read.
func TestViewerWriteRefusedBeforeBodyIsRead(t *testing.T) {
	s := apptest.NewServer(t)
	tok := s.Token(t, db.RoleViewer)
	for _, path := range []string{"/api/v1/sales/batch", "/api/v1/products", "/api/v1/import/sales", "/api/v1/users"} {
		body := &countingBody{r: strings.NewReader(`{"lines":[` + strings.Repeat(`{"sku":"x","quantity":1},`, 400_000) + `{}]}`)}
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || body.read != 0 {
			t.Errorf("POST %s as viewer: status %d, %d body bytes read; want 403 and none", path, rec.Code, body.read)
		}
	}
	// The viewer still manages their own tokens.
	status, _, b := s.Do(t, "POST", "/api/v1/tokens", tok, map[string]any{"name": "mine"})
	if status != http.StatusCreated {
		t.Fatalf("viewer creates a token: %d %s", status, b)
	}
}

// TestProblemFieldErrorsCapped: a batch of 500 invalid sales answers 400
// with at most app.MaxFieldErrors field errors and a last "and N more".
func TestProblemFieldErrorsCapped(t *testing.T) {
	s := apptest.NewServer(t)
	lines := make([]map[string]any, 500)
	for i := range lines {
		lines[i] = map[string]any{"sku": "X", "quantity": 0}
	}
	status, h, body := s.Do(t, "POST", "/api/v1/sales/batch", s.Token(t, db.RoleClerk), map[string]any{"lines": lines})
	p := apptest.Problem(t, status, h, body)
	if status != http.StatusBadRequest || len(p.Errors) != app.MaxFieldErrors+1 {
		t.Fatalf("status %d with %d field errors; want 400 with %d", status, len(p.Errors), app.MaxFieldErrors+1)
	}
	if last := p.Errors[len(p.Errors)-1]; last.Message != fmt.Sprintf("and %d more", 500-app.MaxFieldErrors) {
		t.Fatalf("last field error %+v, want the count of the rest", last)
	}
}

// TestTextLengthLimits: over-long free text is a 400 naming the field and
// the limit, on every kind of input.
func TestTextLengthLimits(t *testing.T) {
	s := apptest.NewServer(t)
	f := setup(t, s)
	long := func(n int) string { return strings.Repeat("é", n+1) } // characters, not bytes
	tests := []struct {
		name, path, field string
		role              db.Role
		body              map[string]any
		limit             int
	}{
		{"sale note", "/api/v1/sales", "note", db.RoleClerk, map[string]any{"product_id": f.product.ID, "quantity": 1, "note": long(app.MaxNoteLength)}, app.MaxNoteLength},
		{"adjustment reason", "/api/v1/stock-adjustments", "reason", db.RoleClerk, map[string]any{"product_id": f.product.ID, "delta": 1, "reason": long(app.MaxNoteLength)}, app.MaxNoteLength},
		{"receipt reason", "/api/v1/stock-receipts", "reason", db.RoleClerk, map[string]any{"product_id": f.product.ID, "quantity": 1, "reason": long(app.MaxNoteLength)}, app.MaxNoteLength},
		{"product description", "/api/v1/products", "description", db.RoleManager, map[string]any{"sku": "LONG-1", "name": "Long", "description": long(app.MaxDescriptionLength)}, app.MaxDescriptionLength},
		{"category description", "/api/v1/categories", "description", db.RoleManager, map[string]any{"name": "Long", "description": long(app.MaxDescriptionLength)}, app.MaxDescriptionLength},
		{"supplier notes", "/api/v1/suppliers", "notes", db.RoleManager, map[string]any{"name": "Long", "notes": long(app.MaxNotesLength)}, app.MaxNotesLength},
		{"supplier contact", "/api/v1/suppliers", "contact_name", db.RoleManager, map[string]any{"name": "Long", "contact_name": long(app.MaxNameLength)}, app.MaxNameLength},
		{"order note", "/api/v1/purchase-orders", "note", db.RoleClerk, map[string]any{"supplier_id": f.supplierID, "note": long(app.MaxNoteLength), "lines": []map[string]any{{"product_id": f.product.ID, "quantity": 1}}}, app.MaxNoteLength},
		{"display name", "/api/v1/users", "display_name", db.RoleAdmin, map[string]any{"username": "longname", "role": "clerk", "password": "long enough password", "display_name": long(app.MaxDisplayNameLength)}, app.MaxDisplayNameLength},
		{"token name", "/api/v1/tokens", "name", db.RoleViewer, map[string]any{"name": long(app.MaxTokenNameLength)}, app.MaxTokenNameLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := s.Do(t, "POST", tt.path, s.Token(t, tt.role), tt.body)
			p := apptest.Problem(t, status, h, body)
			want := fmt.Sprintf("must be at most %d characters", tt.limit)
			for _, fe := range p.Errors {
				if fe.Field == tt.field && fe.Message == want {
					return
				}
			}
			t.Fatalf("status %d, errors %+v; want 400 with %s: %s", status, p.Errors, tt.field, want)
		})
	}
}

// TestTokenCannotOutliveItsCreator: a token that expires at E creates
// tokens expiring at E or earlier only.
func TestTokenCannotOutliveItsCreator(t *testing.T) {
	s := apptest.NewServer(t)
	ctx := context.Background()
	s.Token(t, db.RoleClerk) // creates the user "clerk"
	short, err := s.App.Users.CreateToken(ctx, app.System, "clerk", "short", 10*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []map[string]any{{"name": "forever"}, {"name": "longer", "ttl_days": 30}} {
		status, h, b := s.Do(t, "POST", "/api/v1/tokens", short.Secret, body)
		p := apptest.Problem(t, status, h, b)
		if status != http.StatusBadRequest || !apptest.HasField(p, "ttl_days", -1) {
			t.Fatalf("%v through a 10-day token: %d %s; want 400 on ttl_days", body, status, b)
		}
	}
	var created app.NewToken
	s.DoJSON(t, "POST", "/api/v1/tokens", short.Secret, map[string]any{"ttl_days": 5}, http.StatusCreated, &created)
	if created.Token.ExpiresAt == nil || created.Token.ExpiresAt.After(*short.Token.ExpiresAt) || created.Token.Name != app.DefaultTokenName {
		t.Fatalf("created %+v; want an expiry before %v and the default name", created.Token, short.Token.ExpiresAt)
	}
	// A token without expiry may create any.
	s.DoJSON(t, "POST", "/api/v1/tokens", s.Token(t, db.RoleClerk), map[string]any{"name": "forever"}, http.StatusCreated, &created)
	if created.Token.ExpiresAt != nil {
		t.Fatalf("created %+v; want no expiry", created.Token)
	}
}
