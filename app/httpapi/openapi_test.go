package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"smartinventory/app/apptest"
	"smartinventory/app/httpapi"
)

// TestOpenAPICoversRoutes fails when a route registered with Echo under
// /api/v1 is missing from the served OpenAPI document, or the document
// describes a route Echo does not serve.
func TestOpenAPICoversRoutes(t *testing.T) {
	s := apptest.NewServer(t)
	status, _, body := s.Do(t, "GET", "/api/v1/openapi.json", "", nil)
	if status != http.StatusOK {
		t.Fatalf("GET openapi.json: %d %s", status, body)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	apptest.Decode(t, body, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}

	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range s.Handler.Routes() {
		if !strings.HasPrefix(r.Path, httpapi.Prefix+"/") || !isHTTPMethod(r.Method) {
			continue // health checks, web pages, Echo's not-found catch-alls
		}
		registered[r.Method+" "+httpapi.OpenAPIPath(strings.TrimPrefix(r.Path, httpapi.Prefix))] = true
	}
	if len(registered) < 20 {
		t.Fatalf("only %d API routes registered: %v", len(registered), registered)
	}
	for r := range registered {
		if !documented[r] {
			t.Errorf("route %s is served but not in openapi.json", r)
		}
	}
	for r := range documented {
		if !registered[r] {
			t.Errorf("openapi.json documents %s, which is not served", r)
		}
	}

	// Every $ref must resolve.
	refs := map[string]bool{}
	collectRefs(t, body, refs)
	for r := range refs {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		if _, ok := doc.Comps.Schemas[name]; !ok || name == r {
			t.Errorf("unresolved $ref %s", r)
		}
	}
}

func isHTTPMethod(m string) bool {
	return slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}, m)
}

func collectRefs(t *testing.T, raw []byte, refs map[string]bool) {
	t.Helper()
	var v any
	apptest.Decode(t, raw, &v)
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "$ref" {
					refs[s] = true
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}

// TestOpenAPIPath checks the Echo-to-OpenAPI path conversion.
func TestOpenAPIPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/products", "/products"},
		{"/products/:id", "/products/{id}"},
		{"/sales/:id/void", "/sales/{id}/void"},
	}
	for _, tt := range tests {
		if got := httpapi.OpenAPIPath(tt.in); got != tt.want {
			t.Errorf("OpenAPIPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
