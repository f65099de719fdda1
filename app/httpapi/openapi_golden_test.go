package httpapi_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"smartinventory/app/httpapi"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.json from the current document")

// TestOpenAPIGolden compares the OpenAPI document with
// testdata/openapi.json, so that every change of the API's contract shows
// in review as a change of that file (go test ./app/httpapi -run
// TestOpenAPIGolden -update rewrites it).
func TestOpenAPIGolden(t *testing.T) {
	got, err := httpapi.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	got = append(bytes.Clone(got), '\n')
	path := filepath.Join("testdata", "openapi.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./app/httpapi -run TestOpenAPIGolden -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w []byte
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if !bytes.Equal(g, w) {
				t.Fatalf("the OpenAPI document differs from %s from line %d:\n got: %s\nwant: %s\n(go test ./app/httpapi -run TestOpenAPIGolden -update accepts it)", path, i+1, g, w)
			}
		}
	}
}
