package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPopulate(t *testing.T) {
	dsn := tempDSN(t)
	r := mustRun(t, "", "--db", dsn, "populate", "--products", "15", "--days", "60", "--end-date", "2026-01-31", "--seed", "2")
	for _, want := range []string{"populated 2025-12-03 .. 2026-01-31", "products    15 (new categories 8, new suppliers 20)", "sales ", "movements "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.stderr != "" {
		t.Errorf("stderr is not a terminal, so no progress bar; got %q", r.stderr)
	}

	// A second run refuses the non-empty database (conflict) ...
	r = runCLI(t, "", "--db", dsn, "populate", "--products", "5")
	if r.code != 3 || !strings.Contains(r.stderr, "already has products (15)") || !strings.Contains(r.stderr, "--append") {
		t.Errorf("second populate: exit %d, stderr %q; want 3 and a hint at --append", r.code, r.stderr)
	}
	// ... unless told to append.
	r = mustRun(t, "", "--db", dsn, "-o", "json", "populate", "--products", "5", "--days", "30", "--end-date", "2026-01-31", "--append")
	var sum struct {
		Products   int     `json:"products"`
		Categories int     `json:"categories"`
		Sales      int     `json:"sales"`
		LastDay    string  `json:"last_day"`
		Seconds    float64 `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("populate -o json: %v\n%s", err, r.stdout)
	}
	if sum.Products != 5 || sum.Categories != 0 || sum.Sales == 0 || sum.LastDay != "2026-01-31" || sum.Seconds <= 0 {
		t.Errorf("json summary %+v: want 5 products, 0 new categories, some sales, last day 2026-01-31, seconds > 0", sum)
	}
	r = mustRun(t, "", "--db", dsn, "check")
	if !strings.HasPrefix(r.stdout, "ok: 20 products,") {
		t.Errorf("check after populate + append: %q", r.stdout)
	}
}

func TestPopulateCSV(t *testing.T) {
	r := mustRun(t, "", "--db", tempDSN(t), "-o", "csv", "populate", "--products", "3", "--days", "10", "--end-date", "2026-01-31")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "products,sales,movements,daily_rows,") || !strings.HasPrefix(lines[1], "3,") {
		t.Errorf("csv summary:\n%s", r.stdout)
	}
}

func TestPopulateUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"bad end date", []string{"--end-date", "31.01.2026"}, "--end-date"},
		{"zero products", []string{"--products", "0"}, "products must be"},
		{"negative days", []string{"--days", "-5"}, "days must be"},
		{"not a number", []string{"--products", "many"}, "invalid argument"},
		{"extra argument", []string{"now"}, "no arguments"},
		{"unknown output", []string{"-o", "yaml"}, "--output"},
		{"remote server", []string{"--server", "http://127.0.0.1:1"}, "local database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn := tempDSN(t)
			args := append([]string{"--db", dsn, "populate", "--products", "2", "--days", "5"}, tt.args...)
			r := runCLI(t, "", args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}
