package httpapi_test

import (
	"net/http"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/db"
)

// TestRestockAnswersAreCachedPerDataVersion: an unchanged restock list
// answers 304 to its ETag; a sale changes the ETag; a viewer still needs
// a token.
func TestRestockAnswersAreCachedPerDataVersion(t *testing.T) {
	s := apptest.NewServer(t)
	manager := s.Token(t, db.RoleManager)
	var p db.Product
	s.DoJSON(t, "POST", "/api/v1/products", manager, map[string]any{"sku": "C-1", "name": "Cached", "stock": 9}, http.StatusCreated, &p)

	status, h, _ := s.Do(t, "GET", "/api/v1/restock?all=true", manager, nil)
	etag := h.Get("ETag")
	if status != http.StatusOK || etag == "" {
		t.Fatalf("first GET: %d, ETag %q", status, etag)
	}
	req := func(etag string) (int, string) {
		r, err := http.NewRequest("GET", s.URL+"/api/v1/restock?all=true", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "Bearer "+manager)
		r.Header.Set("If-None-Match", etag)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("ETag")
	}
	if code, _ := req(etag); code != http.StatusNotModified {
		t.Fatalf("unchanged: %d, want 304", code)
	}
	s.DoJSON(t, "POST", "/api/v1/sales", manager, map[string]any{"product_id": p.ID, "quantity": 1}, http.StatusCreated, nil)
	code, etag2 := req(etag)
	if code != http.StatusOK || etag2 == etag {
		t.Fatalf("after a sale: %d with ETag %q (was %q), want 200 and a new ETag", code, etag2, etag)
	}
	if status, _, _ := s.Do(t, "GET", "/api/v1/restock", "", nil); status != http.StatusUnauthorized {
		t.Fatalf("no token: %d, want 401", status)
	}
}
