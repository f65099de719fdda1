package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCRUDLocal drives the CRUD commands on a local database: flags for
// every field, --from-json, usage errors and conflicts.
func TestCRUDLocal(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	run := func(stdin string, args ...string) result {
		return runCLI(t, stdin, append([]string{"--db", dsn}, args...)...)
	}
	ok := func(stdin string, args ...string) result {
		t.Helper()
		return mustRun(t, stdin, append([]string{"--db", dsn}, args...)...)
	}
	ok("", "suppliers", "create", "--name", "ACME", "--contact-name", "Ann", "--email", "ann@acme.example",
		"--phone", "555", "--lead-time-days", "6", "--notes", "weekly")
	ok("", "categories", "create", "--name", "Tools", "--description", "hand tools")

	jsonFile := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(jsonFile, []byte(`{"sku":"J-1","name":"From file","unit_price":3.5,"pack_size":4}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ok("", "products", "create", "--from-json", jsonFile, "--name", "Flag wins", "--supplier", "ACME", "--category", "tools")

	var p struct {
		ID           int64    `json:"id"`
		SKU          string   `json:"sku"`
		Name         string   `json:"name"`
		UnitPrice    float64  `json:"unit_price"`
		PackSize     int      `json:"pack_size"`
		SupplierID   *int64   `json:"supplier_id"`
		ServiceLevel *float64 `json:"service_level"`
		Version      int64    `json:"version"`
	}
	decode := func(s string) {
		t.Helper()
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			t.Fatalf("%v: %s", err, s)
		}
	}
	decode(ok(`{"sku":"J-2","name":"stdin"}`, "products", "create", "--from-json", "-", "--service-level", "0.97", "--supplier", "1", "-o", "json").stdout)
	if p.SKU != "J-2" || p.ServiceLevel == nil || *p.ServiceLevel != 0.97 || p.SupplierID == nil {
		t.Fatalf("created from stdin: %+v", p)
	}
	decode(ok("", "products", "show", "J-1", "-o", "json").stdout)
	if p.Name != "Flag wins" || p.UnitPrice != 3.5 || p.SupplierID == nil || p.PackSize != 4 {
		t.Fatalf("created from file: %+v", p)
	}

	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"update needs version", "", []string{"products", "update", "J-1", "--name", "x"}, 2, "--version is required"},
		{"stale version", "", []string{"products", "update", "J-1", "--version", "9", "--name", "x"}, 3, "now at version"},
		{"bad money", "", []string{"products", "create", "--sku", "B", "--name", "b", "--unit-price", "1,2,3"}, 2, "--unit-price"},
		{"bad nullable", "", []string{"products", "create", "--sku", "B", "--name", "b", "--lead-time-days", "x"}, 2, "--lead-time-days"},
		{"unknown category", "", []string{"products", "create", "--sku", "B", "--name", "b", "--category", "x"}, 4, `No category named "x"`},
		{"unknown json field", `{"sku":"B","colour":"red"}`, []string{"products", "create", "--from-json", "-"}, 2, "colour"},
		{"validation", "", []string{"products", "create", "--name", "no sku"}, 2, "sku"},
		{"missing product", "", []string{"products", "show", "NOPE"}, 4, "not found"},
		{"missing supplier name", "", []string{"suppliers", "show", "Nobody"}, 4, `No supplier named "Nobody"`},
		{"sale needs quantity", "", []string{"sales", "record", "--sku", "J-1"}, 2, "--quantity"},
		{"oversell", "", []string{"sales", "record", "--sku", "J-1", "--quantity", "1"}, 3, ""},
		{"bad date", "", []string{"sales", "list", "--from", "yesterday"}, 2, "--from"},
		{"void bad id", "", []string{"sales", "void", "x"}, 2, "sale ID"},
		{"adjust needs delta", "", []string{"stock", "adjust", "--sku", "J-1"}, 2, "--delta"},
		{"supplier in use", "", []string{"suppliers", "delete", "ACME"}, 3, ""},
		{"no subcommand", "", []string{"products"}, 2, "needs a subcommand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, tt.code, tt.stderr)
			}
		})
	}

	// Stock, sales and the version workflow.
	ok("", "stock", "receive", "--sku", "J-1", "--quantity", "10", "--reason", "delivery")
	ok("", "stock", "adjust", "--sku", "J-1", "--delta", "-1", "--reason", "broken")
	r := ok("", "sales", "record", "--sku", "J-1", "--quantity", "3", "-o", "json")
	var sale struct {
		Sale  struct{ ID int64 } `json:"sale"`
		Stock int64              `json:"stock"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sale); err != nil || sale.Stock != 6 {
		t.Fatalf("sale: %s, %v", r.stdout, err)
	}
	if r := ok("", "sales", "list", "--product", "J-1", "-o", "csv"); strings.Count(r.stdout, "\n") != 2 {
		t.Errorf("sales list: %q", r.stdout)
	}
	ok("", "sales", "void", "1", "--reason", "typo")
	if r := ok("", "sales", "list", "--product", "J-1", "-o", "csv"); strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("sales list after void: %q", r.stdout)
	}
	decode(ok("", "products", "show", "J-1", "-o", "json").stdout)
	v := p.Version
	decode(ok("", "products", "update", "J-1", "--version", itoa(v), "--name", "Renamed", "--supplier", "none", "-o", "json").stdout)
	if p.Name != "Renamed" || p.SupplierID != nil || p.Version != v+1 || p.PackSize != 4 {
		t.Fatalf("after update: %+v", p)
	}
	if r := ok("", "categories", "update", "Tools", "--version", "1", "--name", "Hand tools", "-o", "csv"); !strings.Contains(r.stdout, "name,Hand tools") {
		t.Errorf("category update: %q", r.stdout)
	}
	if r := run("", "categories", "delete", "Hand tools"); r.code != 3 || !strings.Contains(r.stderr, "used by 1 product") {
		t.Errorf("deleting a category in use: exit %d, %q", r.code, r.stderr)
	}
	ok("", "categories", "create", "--name", "Spare")
	if r := ok("", "categories", "delete", "spare", "-o", "json"); !strings.Contains(r.stdout, `"deleted": true`) {
		t.Errorf("category delete: %q", r.stdout)
	}
	if r := ok("", "stock", "-o", "json"); !strings.Contains(r.stdout, `"sku": "J-1"`) {
		t.Errorf("stock status lost its behaviour: %q", r.stdout)
	}
}

func itoa(v int64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
