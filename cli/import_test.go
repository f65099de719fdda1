package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportExportCommands(t *testing.T) {
	dsn := tempDSN(t)
	dir := t.TempDir()
	products := filepath.Join(dir, "products.csv")
	if err := os.WriteFile(products, []byte("\ufeffsku;name;unit_price;stock\nK1;Kettle;\"19,90\";4\nK2;Kettle XL;24,50;2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sales := "sku,quantity,external_id\nK1,1,s1\nK1,0,s2\nK9,1,s3\nK2,5,s4\n"

	tests := []struct {
		name           string
		stdin          string
		args           []string
		code           int
		stdout, stderr []string // substrings
	}{
		{name: "decimal comma needs the flag", args: []string{"import", "products", products}, code: 1,
			stdout: []string{"products rejected: 2 lines", "errors      2"},
			stderr: []string{"line 2, column unit_price: must be an amount like 12.50", "error: import rejected: 2 invalid lines"}},
		{name: "dry run", args: []string{"import", "products", products, "--decimal-comma", "--dry-run"},
			stdout: []string{"checked (dry run, nothing written)", "inserted    2"}},
		{name: "import products", args: []string{"import", "products", products, "--decimal-comma"},
			stdout: []string{"products imported: 2 lines", "inserted    2"}},
		{name: "again: unchanged", args: []string{"import", "products", products, "--decimal-comma"},
			stdout: []string{"skipped     2"}},
		{name: "bad sales list every line on stderr", stdin: sales, args: []string{"import", "sales", "-"}, code: 1,
			stdout: []string{"errors      3"},
			stderr: []string{"line 3, column quantity: must be greater than 0\nline 4, column sku: no product with SKU \"K9\"\nline 5, column quantity: insufficient stock for K2: 5 requested, 2 on hand\n"}},
		{name: "good sales", stdin: "sku,quantity,external_id\nK1,1,s1\nK2,2,s4\n", args: []string{"import", "sales", "-"},
			stdout: []string{"inserted    2"}},
		{name: "the same sales again add nothing", stdin: "sku,quantity,external_id\nK1,1,s1\nK2,2,s4\n", args: []string{"-o", "json", "import", "sales", "-"},
			stdout: []string{`"inserted": 0`, `"skipped": 2`}},
		{name: "unknown kind", args: []string{"import", "widgets", products}, code: 2, stderr: []string{`unknown kind "widgets"`}},
		{name: "missing file", args: []string{"import", "sales", filepath.Join(dir, "nope.csv")}, code: 1, stderr: []string{"no such file"}},
		{name: "export to stdout", args: []string{"export", "products"},
			stdout: []string{"sku,name,description,category,supplier,unit_cost,unit_price,stock", "K1,Kettle,,,,0.00,19.90,3,"}},
		{name: "export sales", args: []string{"export", "sales", "-"}, stdout: []string{",K2,2,24.50,,,s4\n"}},
		{name: "export needs a kind", args: []string{"export"}, code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, append([]string{"--db", dsn}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
		})
	}

	// Export to a file, then import it into a fresh database.
	out := filepath.Join(dir, "export.csv")
	mustRun(t, "", "--db", dsn, "export", "products", out)
	other := tempDSN(t)
	r := mustRun(t, "", "--db", other, "-o", "json", "import", "products", out)
	var sum struct {
		Inserted int `json:"inserted"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil || sum.Inserted != 2 {
		t.Errorf("round trip: %v %s", err, r.stdout)
	}
}
