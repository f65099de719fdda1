package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// reportJSON is the part of the -o json report that the tests check.
type reportJSON struct {
	Database      string  `json:"database"`
	Products      int     `json:"products"`
	Replicas      int     `json:"replicas"`
	ServerPeakRSS int64   `json:"server_peak_rss_bytes"`
	BenchPeakRSS  int64   `json:"bench_peak_rss_bytes"`
	SalesRecorded float64 `json:"sales_recorded_metric"`
	Servers       []struct {
		Replica       int     `json:"replica"`
		PID           int     `json:"pid"`
		PeakRSS       int64   `json:"peak_rss_bytes"`
		Requests      uint64  `json:"requests"`
		SalesRecorded float64 `json:"sales_recorded_metric"`
		Exit          string  `json:"exit"`
	} `json:"servers"`
	Scenarios []struct {
		Scenario    string         `json:"scenario"`
		Requests    uint64         `json:"requests"`
		PerReplica  []uint64       `json:"requests_per_replica"`
		RPS         float64        `json:"req_per_s"`
		SalesPerSec float64        `json:"sales_per_s"`
		P50         int64          `json:"p50_ns"`
		P99         int64          `json:"p99_ns"`
		Errors      uint64         `json:"errors"`
		StatusCodes map[string]int `json:"status_codes"`
		FirstError  string         `json:"first_error"`
	} `json:"scenarios"`
}

// parseBench decodes the JSON report of a bench run.
func parseBench(t *testing.T, r result) reportJSON {
	t.Helper()
	var rep reportJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("bench -o json printed %q: %v", r.stdout, err)
	}
	return rep
}

// checkBenchServers checks that the report has replicas servers, each a
// child process (not this one) that is gone now, that stopped cleanly and
// has a peak RSS.
func checkBenchServers(t *testing.T, rep reportJSON, replicas int) {
	t.Helper()
	if rep.Replicas != replicas || len(rep.Servers) != replicas {
		t.Fatalf("replicas %d, %d servers; want %d", rep.Replicas, len(rep.Servers), replicas)
	}
	pids := map[int]bool{}
	for _, s := range rep.Servers {
		switch {
		case s.PID <= 0 || s.PID == os.Getpid() || pids[s.PID]:
			t.Errorf("server %d: pid %d (bench runs as %d, servers %v)", s.Replica, s.PID, os.Getpid(), pids)
		case s.PeakRSS <= 0:
			t.Errorf("server %d: peak RSS %d", s.Replica, s.PeakRSS)
		case s.Exit != "exit status 0":
			t.Errorf("server %d stopped with %q, want a clean exit", s.Replica, s.Exit)
		case s.Requests == 0:
			t.Errorf("server %d served no requests", s.Replica)
		}
		pids[s.PID] = true
		if p, err := os.FindProcess(s.PID); err == nil && p.Signal(syscall.Signal(0)) == nil {
			t.Errorf("server %d (pid %d) still runs after bench returned", s.Replica, s.PID)
		}
	}
	if rep.ServerPeakRSS <= 0 || rep.BenchPeakRSS <= 0 {
		t.Errorf("server peak RSS %d, bench peak RSS %d", rep.ServerPeakRSS, rep.BenchPeakRSS)
	}
}

// TestBench runs the benchmark with tiny parameters and checks its report:
// every chosen scenario ran without errors and with the expected status,
// against a server in a child process (the test binary, see main_test.go)
// that has stopped.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	r := mustRun(t, "--products", "20", "--days", "20", "--duration", "300ms",
		"--concurrency", "4", "--scenarios", "list,detail,forecast,restock,dashboard,poll,sale,batch", "-o", "json")
	rep := parseBench(t, r)
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
	checkBenchServers(t, rep, 1)
}

// TestBench_Table checks the table output of a one-scenario run on a
// SQLite file given with --db.
func TestBench_Table(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "b.db")
	r := mustRun(t, "--db", dsn, "--products", "5", "--days", "5", "--duration", "200ms",
		"--concurrency", "2", "--scenarios", "detail")
	for _, w := range []string{"SCENARIO", "REQ/S", "P99", "detail", "server RSS:", "bench RSS:", "1 replica (a separate process) on one SQLite database", "SQLite (" + dsn + ")"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, r.stdout)
		}
	}
	// The file now holds products: a second run must refuse it.
	again := runBenchCmd(t, "--db", dsn, "--products", "5", "--days", "5", "--duration", "200ms", "--scenarios", "detail")
	if again.code == 0 {
		t.Errorf("bench on a database with products succeeded:\n%s", again.stdout)
	}
}

// TestBench_Interrupted cancels bench (as Ctrl-C does) during its first
// scenario and checks that it exits 130 and leaves no server running.
func TestBench_Interrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stderr := &cancelOn{text: "bench: scenario detail", cancel: cancel}
	var stdout syncBuffer
	code := run(ctx, []string{"--products", "5", "--days", "5", "--duration", "10m", "--scenarios", "detail"},
		strings.NewReader(""), &stdout, stderr)
	if code != 130 {
		t.Fatalf("exit %d, want 130 (interrupted)\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	m := regexp.MustCompile(`server 1: pid (\d+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("stderr names no server pid:\n%s", stderr.String())
	}
	pid, _ := strconv.Atoi(m[1])
	if p, err := os.FindProcess(pid); err == nil && p.Signal(syscall.Signal(0)) == nil {
		t.Errorf("server pid %d still runs after bench was interrupted", pid)
	}
}

// cancelOn is a stderr that calls cancel once text has been written.
type cancelOn struct {
	syncBuffer
	text   string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	n, err := c.syncBuffer.Write(p)
	if strings.Contains(c.String(), c.text) {
		c.cancel()
	}
	return n, err
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
		{"replicas", []string{"--replicas", "0"}, "--replicas must be between 1 and 16"},
		{"replicas on temporary SQLite", []string{"--replicas", "2"}, "--replicas > 1 needs PostgreSQL or MySQL (--db postgres://… or mysql://…)"},
		{"replicas on a SQLite file", []string{"--db", "sqlite:x.db", "--replicas", "2"}, "--replicas > 1 needs PostgreSQL"},
		{"args", []string{"extra"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBenchCmd(t, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// checkReplicaScenarios checks a two-replica bench run: both servers
// served every scenario without errors, and /metrics counted the sales.
func checkReplicaScenarios(t *testing.T, r result, rep reportJSON) {
	t.Helper()
	checkBenchServers(t, rep, 2)
	want := map[string]string{"list": "200", "dashboard": "200", "poll": "304", "sale": "201"}
	if len(rep.Scenarios) != len(want) {
		t.Fatalf("%d scenarios, want %d: %s", len(rep.Scenarios), len(want), r.stdout)
	}
	var sales uint64
	for _, s := range rep.Scenarios {
		code := want[s.Scenario]
		if s.Requests == 0 || s.Errors != 0 || s.StatusCodes[code] != int(s.Requests) {
			t.Errorf("%s: %d requests, %d errors, status codes %v (want all %s); first error %q",
				s.Scenario, s.Requests, s.Errors, s.StatusCodes, code, s.FirstError)
		}
		if len(s.PerReplica) != 2 || s.PerReplica[0] == 0 || s.PerReplica[1] == 0 || s.PerReplica[0]+s.PerReplica[1] != s.Requests {
			t.Errorf("%s: %d requests, per replica %v: want both replicas to serve", s.Scenario, s.Requests, s.PerReplica)
		}
		if s.Scenario == "sale" {
			sales = s.Requests
		}
	}
	if rep.SalesRecorded != float64(sales) || rep.Servers[0].SalesRecorded <= 0 || rep.Servers[1].SalesRecorded <= 0 {
		t.Errorf("/metrics counted %.0f sales (%.0f + %.0f), the sale scenario recorded %d",
			rep.SalesRecorded, rep.Servers[0].SalesRecorded, rep.Servers[1].SalesRecorded, sales)
	}

}

// TestBench_ReplicasOnMySQL runs two server processes on one MySQL
// database and checks that both served every scenario (sessions valid on
// both), and that the temporary database is gone afterwards.
func TestBench_ReplicasOnMySQL(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	dsn := os.Getenv(dbtest.MySQLEnv)
	if dsn == "" {
		t.Skipf("bench --replicas on MySQL skipped: set %s to a DSN (e.g. mysql://root@127.0.0.1:3306/test)", dbtest.MySQLEnv)
	}
	r := mustRun(t, "--db", dsn, "--replicas", "2", "--products", "20", "--days", "30", "--duration", "300ms",
		"--concurrency", "4", "--scenarios", "list,dashboard,poll,sale", "-o", "json")
	rep := parseBench(t, r)
	name, ok := strings.CutPrefix(rep.Database, "MySQL (temporary database ")
	if !ok {
		t.Fatalf("database %q", rep.Database)
	}
	name = strings.TrimSuffix(name, ")")
	checkReplicaScenarios(t, r, rep)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	my, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer my.Close()
	n, err := my.NewSelect().Table("information_schema.schemata").Where("schema_name = ?", name).Count(ctx)
	if err != nil || n != 0 {
		t.Errorf("database %s after bench: %d rows, %v; want it dropped", name, n, err)
	}
}

// TestBench_ReplicasOnPostgres runs two server processes on one PostgreSQL
// database and checks that both served every scenario, the web session
// of one included, and that the temporary schema is gone afterwards.
func TestBench_ReplicasOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	dsn := os.Getenv(dbtest.PostgresEnv)
	if dsn == "" {
		t.Skipf("bench --replicas on PostgreSQL skipped: set %s to a DSN (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", dbtest.PostgresEnv)
	}
	r := mustRun(t, "--db", dsn, "--replicas", "2", "--products", "20", "--days", "30", "--duration", "300ms",
		"--concurrency", "4", "--scenarios", "list,dashboard,poll,sale", "-o", "json")
	rep := parseBench(t, r)
	schema, ok := strings.CutPrefix(rep.Database, "PostgreSQL (temporary schema ")
	if !ok {
		t.Fatalf("database %q", rep.Database)
	}
	schema = strings.TrimSuffix(schema, ")")
	checkReplicaScenarios(t, r, rep)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pg, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	n, err := pg.NewSelect().Table("information_schema.schemata").Where("schema_name = ?", schema).Count(ctx)
	if err != nil || n != 0 {
		t.Errorf("schema %s after bench: %d rows, %v; want it dropped", schema, n, err)
	}
}

// TestBench_ServerBin runs the servers from the program --server-bin
// names: the test binary itself (which serves, see main_test.go), then a
// path that does not exist, which fails naming it.
func TestBench_ServerBin(t *testing.T) {
	if testing.Short() {
		t.Skip("bench seeds a database and loads a server")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, "--server-bin", self, "--products", "5", "--days", "5", "--duration", "200ms",
		"--concurrency", "2", "--scenarios", "detail", "-o", "json")
	checkBenchServers(t, parseBench(t, r), 1)

	missing := filepath.Join(t.TempDir(), "no-such-smartinventory")
	r = runBenchCmd(t, "--server-bin", missing, "--products", "5", "--days", "5", "--duration", "200ms", "--scenarios", "detail")
	if r.code != 1 || !strings.Contains(r.stderr, "start server 1 ("+missing+" serve)") {
		t.Errorf("exit %d, stderr %q; want 1 and the missing program named", r.code, r.stderr)
	}
}
