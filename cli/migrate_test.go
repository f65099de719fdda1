package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// migrationList is the JSON shape of `migrate status -o json`.
type migrationList struct {
	Items []struct {
		Name      string `json:"name"`
		Applied   bool   `json:"applied"`
		AppliedAt string `json:"applied_at"`
	} `json:"items"`
	Total int `json:"total"`
}

func migrationStatus(t *testing.T, dsn string) migrationList {
	t.Helper()
	r := mustRun(t, "", "--db", dsn, "migrate", "status", "-o", "json")
	var l migrationList
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		t.Fatalf("migrate status -o json: %v\n%s", err, r.stdout)
	}
	if l.Total != len(l.Items) || l.Total == 0 {
		t.Fatalf("migrate status: total %d, %d items; want the same, > 0", l.Total, len(l.Items))
	}
	return l
}

func countApplied(l migrationList) int {
	n := 0
	for _, m := range l.Items {
		if m.Applied {
			n++
		}
	}
	return n
}

func TestMigrateUpStatusDown(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)

	if n := countApplied(migrationStatus(t, dsn)); n != 0 {
		t.Fatalf("fresh database: %d migrations applied, want 0", n)
	}

	up := mustRun(t, "", "--db", dsn, "migrate")
	if up.stdout != "" || !strings.Contains(up.stderr, "applied") {
		t.Errorf("migrate: stdout %q (want empty), stderr %q (want applied …)", up.stdout, up.stderr)
	}
	all := migrationStatus(t, dsn)
	if n := countApplied(all); n != all.Total {
		t.Fatalf("after migrate: %d of %d applied", n, all.Total)
	}
	for _, m := range all.Items {
		if m.AppliedAt == "" {
			t.Errorf("migration %s: no applied_at", m.Name)
		}
	}

	again := mustRun(t, "", "--db", dsn, "migrate", "up")
	if !strings.Contains(again.stderr, "up to date") {
		t.Errorf("second migrate up: stderr %q, want up to date", again.stderr)
	}

	table := mustRun(t, "", "--db", dsn, "migrate", "status")
	lines := strings.Split(strings.TrimSpace(table.stdout), "\n")
	if len(lines) != all.Total+1 || !strings.HasPrefix(lines[0], "MIGRATION") {
		t.Errorf("migrate status table:\n%s\nwant a header and %d rows", table.stdout, all.Total)
	}

	down := mustRun(t, "", "--db", dsn, "migrate", "down", "--yes")
	if !strings.Contains(down.stderr, "rolled back") {
		t.Errorf("migrate down: stderr %q, want rolled back …", down.stderr)
	}
	if n := countApplied(migrationStatus(t, dsn)); n >= all.Total {
		t.Errorf("after migrate down: %d of %d still applied", n, all.Total)
	}
}

func TestMigrateUsageErrors(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"unknown action", []string{"--db", dsn, "migrate", "sideways"}, "unknown migrate action"},
		{"two actions", []string{"--db", dsn, "migrate", "up", "down"}, "one action"},
		{"down without --yes", []string{"--db", dsn, "migrate", "down"}, "--yes"},
		{"bad output", []string{"--db", dsn, "migrate", "status", "-o", "xml"}, "--output"},
		{"bad db", []string{"--db", "mysql://x", "migrate"}, "--db"},
		{"unknown flag", []string{"--db", dsn, "migrate", "--force"}, "unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want empty", r.stdout)
			}
		})
	}
}
