package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestBench runs the benchmark with tiny parameters and checks its report:
// every chosen scenario ran without errors and with the expected status.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	r := mustRun(t, "", "bench", "--products", "20", "--days", "20", "--duration", "300ms",
		"--concurrency", "4", "--scenarios", "list,detail,forecast,restock,dashboard,poll,sale,batch", "-o", "json")
	var rep struct {
		Database      string  `json:"database"`
		Products      int     `json:"products"`
		PeakRSS       int64   `json:"peak_rss_bytes"`
		SalesRecorded float64 `json:"sales_recorded_metric"`
		Scenarios     []struct {
			Scenario    string         `json:"scenario"`
			Requests    uint64         `json:"requests"`
			RPS         float64        `json:"req_per_s"`
			SalesPerSec float64        `json:"sales_per_s"`
			P50         int64          `json:"p50_ns"`
			P99         int64          `json:"p99_ns"`
			Errors      uint64         `json:"errors"`
			StatusCodes map[string]int `json:"status_codes"`
			FirstError  string         `json:"first_error"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("bench -o json printed %q: %v", r.stdout, err)
	}
	if rep.Products != 20 || !strings.HasPrefix(rep.Database, "SQLite") {
		t.Errorf("database %q, products %d", rep.Database, rep.Products)
	}
	want := map[string]string{
		"list": "200", "detail": "200", "forecast": "200", "restock": "200",
		"dashboard": "200", "poll": "304", "sale": "201", "batch": "201",
	}
	if len(rep.Scenarios) != len(want) {
		t.Fatalf("%d scenarios, want %d: %s", len(rep.Scenarios), len(want), r.stdout)
	}
	var sales uint64
	for _, s := range rep.Scenarios {
		code, ok := want[s.Scenario]
		switch {
		case !ok:
			t.Errorf("unexpected scenario %q", s.Scenario)
		case s.Requests == 0 || s.RPS <= 0:
			t.Errorf("%s: %d requests, %.0f req/s", s.Scenario, s.Requests, s.RPS)
		case s.Errors != 0 || s.StatusCodes[code] != int(s.Requests):
			t.Errorf("%s: %d errors, status codes %v (want all %s); first error %q", s.Scenario, s.Errors, s.StatusCodes, code, s.FirstError)
		case s.P50 <= 0 || s.P99 < s.P50:
			t.Errorf("%s: p50 %d ns, p99 %d ns", s.Scenario, s.P50, s.P99)
		}
		switch s.Scenario {
		case "sale":
			sales += s.Requests
		case "batch":
			sales += s.Requests * 1000
			if s.SalesPerSec <= 0 {
				t.Errorf("batch: %.0f sales/s", s.SalesPerSec)
			}
		}
	}
	if rep.SalesRecorded != float64(sales) {
		t.Errorf("/metrics counted %.0f sales, the scenarios recorded %d", rep.SalesRecorded, sales)
	}
	if rep.PeakRSS <= 0 {
		t.Errorf("peak RSS %d", rep.PeakRSS)
	}
}

// TestBench_Table checks the table output of a one-scenario run on a
// SQLite file given with --db.
func TestBench_Table(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "b.db")
	r := mustRun(t, "", "--db", dsn, "bench", "--products", "5", "--days", "5", "--duration", "200ms",
		"--concurrency", "2", "--scenarios", "detail")
	for _, w := range []string{"SCENARIO", "REQ/S", "P99", "detail", "peak RSS:", "SQLite (" + dsn + ")"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, r.stdout)
		}
	}
	// The file now holds products: a second run must refuse it.
	again := runCLI(t, "", "--db", dsn, "bench", "--products", "5", "--days", "5", "--duration", "200ms", "--scenarios", "detail")
	if again.code == 0 {
		t.Errorf("bench on a database with products succeeded:\n%s", again.stdout)
	}
}

func TestBench_UsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"products", []string{"--products", "0"}, "--products"},
		{"days", []string{"--days", "0"}, "--days"},
		{"duration", []string{"--duration", "1ms"}, "--duration"},
		{"concurrency", []string{"--concurrency", "0"}, "--concurrency"},
		{"scenario", []string{"--scenarios", "list,nope"}, `unknown scenario "nope"`},
		{"output", []string{"-o", "csv"}, "table or json"},
		{"db", []string{"--db", "mysql://x"}, "--db"},
		{"args", []string{"extra"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", append([]string{"bench"}, tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}
