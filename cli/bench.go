package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/seed"
)

func init() { register(newBenchCmd) }

// The load benchmark
//
// `bench` measures the real server the way it runs in production: as
// separate processes of this program (`smartinventory serve --metrics` on
// 127.0.0.1), --replicas of them on one database, driven over loopback by
// vegeta in the bench process at a fixed concurrency: every scenario keeps
// --concurrency requests in flight for --duration (vegeta at an unlimited
// rate with exactly that many workers), spread round-robin over the
// replicas. The load generator shares the CPUs with the servers, so the
// figures are a lower bound for servers with the machine to themselves.
//
// Setup, in the bench process: a temporary database (SQLite in a temporary
// directory, or a temporary schema on --db postgres://…, dropped at the
// end) is filled by the seeder (--products × --days of sales), a user and
// an API token are created, the forecast batch runs, and the products that
// the write scenarios sell get a receipt of a billion units so no sale runs
// out of stock. Then the servers start (see benchServer), bench signs in
// to the web UI once, through the first replica, and checks that the
// session cookie works on every replica. The read scenarios run before
// the writes, so their caches see the seeded data.
//
// Memory: the server figure is each server process's peak RSS (VmHWM in
// /proc/PID/status) read after the scenarios, before it is stopped: its
// whole life (start, sign-in, scenarios), which holds no seeding. The peak
// RSS of the bench process (the load generator) is reported apart, for
// information; it is reset (/proc/self/clear_refs) after the setup.

// benchOptions are the flags of bench.
type benchOptions struct {
	products, days int
	duration       time.Duration
	concurrency    int
	replicas       int
	scenarios      []string
	seed           int64
	cpuProfile     string // --cpuprofile: profile the servers
}

// benchSaleProducts is how many products the write scenarios sell.
const benchSaleProducts = 200

// benchBatchLines is the size of one POST /sales/batch.
const benchBatchLines = 1000

// benchMaxReplicas bounds --replicas.
const benchMaxReplicas = 16

// benchRSSTarget is the target for the server's peak RSS.
const benchRSSTarget = 200 << 20

func newBenchCmd(env *Env) *cobra.Command {
	o := benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench [--products N] [--days N] [--duration D] [--concurrency N] [--replicas N]",
		Short: "Load-test the server on a temporary database and print req/s and latency per scenario",
		Long: `Fill a temporary database with --products products and --days days of
sales and run the forecast batch, then start the server as --replicas
child processes of this program ("smartinventory serve --metrics" on
127.0.0.1, their output in temporary log files) and drive them over
loopback with vegeta, from this process, at --concurrency requests in
flight for --duration per scenario, spread round-robin over the replicas.
It prints requests per second, p50 and p99 latency and errors per
scenario, the peak RSS (VmHWM) of each server process (target < 200 MB)
and, for information, that of this process (the load generator).

--replicas N (default 1) starts N servers on the same database, which
needs PostgreSQL or MySQL (--db postgres://… or mysql://…). The web UI is signed in to once,
through the first replica, and its session cookie is used on all of them.
The servers are stopped at the end, on errors and on Ctrl-C: SIGTERM,
then SIGKILL after 10s.

Scenarios (--scenarios picks some, comma-separated):
  list          GET /api/v1/products?limit=50
  detail        GET /api/v1/products/{random id}
  forecast      GET /api/v1/products/{random id}/forecast (cached by the batch)
  restock       GET /api/v1/restock
  dashboard     GET / (web page, signed in through POST /login)
  poll          the dashboard's fragments with If-None-Match (304, idle poll)
  sale          POST /api/v1/sales, one unit of a random product
  batch         POST /api/v1/sales/batch with 1,000 lines (see sales/s)

The database is temporary: a SQLite file in a temporary directory by
default; with --db postgres://… a new schema there, dropped at the end;
with --db mysql://… a new database on that server, dropped at the end
(the user needs CREATE and DROP); with --db sqlite:FILE that file, which must not hold products yet, and is
kept. All traffic goes to 127.0.0.1. --output json prints the whole report.`,
		Example: `  smartinventory bench
  smartinventory bench --products 200 --days 90 --duration 3s --scenarios list,detail,sale
  smartinventory bench --db postgres://postgres@127.0.0.1/bench?sslmode=disable
  smartinventory bench --db postgres://postgres@127.0.0.1/bench?sslmode=disable --replicas 2
  smartinventory bench --db mysql://root@127.0.0.1:3306/test --replicas 2`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			if env.Output != OutputTable && env.Output != OutputJSON {
				return usagef("--output: bench prints table or json")
			}
			dsn, kind := "", db.SQLite
			if cmd.Flags().Changed("db") {
				k, _, err := db.ParseDSN(env.DB)
				if err != nil {
					return usagef("--db: %v", err)
				}
				dsn, kind = env.DB, k
			}
			if o.replicas > 1 && kind == db.SQLite {
				return usagef("--replicas > 1 needs PostgreSQL or MySQL (--db postgres://… or mysql://…)")
			}
			return runBench(cmd.Context(), env, dsn, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.products, "products", 2000, "products to create")
	f.IntVar(&o.days, "days", 730, "days of sales history to create")
	f.DurationVar(&o.duration, "duration", 10*time.Second, "how long each scenario runs")
	f.IntVar(&o.concurrency, "concurrency", 32, "requests in flight during each scenario")
	f.IntVar(&o.replicas, "replicas", 1, "server processes on the one database (more than 1 needs PostgreSQL or MySQL)")
	f.StringSliceVar(&o.scenarios, "scenarios", nil, "scenarios to run (default all): "+strings.Join(scenarioNames(), ","))
	f.Int64Var(&o.seed, "seed", 1, "seed of the generated data")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the server to this file (replica N > 1: FILE.N)")
	return cmd
}

// serverArgs are the extra serve flags of replica n.
func (o *benchOptions) serverArgs(n int) []string {
	if o.cpuProfile == "" {
		return nil
	}
	path := o.cpuProfile
	if n > 1 {
		path += "." + strconv.Itoa(n)
	}
	return []string{"--cpuprofile", path}
}

// validate checks the flags (usage errors).
func (o *benchOptions) validate() error {
	switch {
	case o.products < 1 || o.products > 1_000_000:
		return usagef("--products must be between 1 and 1000000")
	case o.days < 1 || o.days > 3650:
		return usagef("--days must be between 1 and 3650")
	case o.duration < 100*time.Millisecond || o.duration > 10*time.Minute:
		return usagef("--duration must be between 100ms and 10m")
	case o.concurrency < 1 || o.concurrency > 1024:
		return usagef("--concurrency must be between 1 and 1024")
	case o.replicas < 1 || o.replicas > benchMaxReplicas:
		return usagef("--replicas must be between 1 and %d", benchMaxReplicas)
	}
	known := scenarioNames()
	for _, s := range o.scenarios {
		if !slices.Contains(known, s) {
			return usagef("--scenarios: unknown scenario %q (known: %s)", s, strings.Join(known, ", "))
		}
	}
	return nil
}

// scenarioSpec describes one scenario: its name, what it requests, and
// the target for it.
type scenarioSpec struct {
	name, request, target string
	// minRate is the target in requests (or, for batch, sales) per second.
	minRate float64
	// perRequest is how many sales one request records (batch), else 1.
	perRequest int
	// targeter builds the scenario's requests from the prepared state.
	targeter func(st *benchState) vegeta.Targeter
}

// scenarios lists every scenario in the order they run: reads before
// writes.
func scenarios() []scenarioSpec {
	return []scenarioSpec{
		{name: "list", request: "GET /api/v1/products?limit=50", target: ">= 5000 req/s", minRate: 5000, targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/products?limit=50" })
		}},
		{name: "detail", request: "GET /api/v1/products/{id}", target: ">= 15000 req/s", minRate: 15000, targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/products/" + st.randomProduct() })
		}},
		{name: "forecast", request: "GET /api/v1/products/{id}/forecast", targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/products/" + st.randomProduct() + "/forecast" })
		}},
		{name: "restock", request: "GET /api/v1/restock", target: ">= 1000 req/s", minRate: 1000, targeter: func(st *benchState) vegeta.Targeter {
			return st.get(func() string { return "/api/v1/restock" })
		}},
		{name: "dashboard", request: "GET / (signed in)", targeter: func(st *benchState) vegeta.Targeter {
			return st.page(func() (string, string) { return "/", "" })
		}},
		{name: "poll", request: "GET /fragments/dashboard/* (If-None-Match, 304)", targeter: func(st *benchState) vegeta.Targeter {
			return st.page(st.nextPoll)
		}},
		{name: "sale", request: "POST /api/v1/sales", target: ">= 3000 writes/s, no errors", minRate: 3000, targeter: func(st *benchState) vegeta.Targeter {
			return st.post("/api/v1/sales", func() ([]byte, error) {
				return json.Marshal(map[string]any{"product_id": st.saleProduct(), "quantity": 1})
			})
		}},
		{name: "batch", request: "POST /api/v1/sales/batch (1,000 lines)", target: ">= 50000 sales/s", minRate: 50000, perRequest: benchBatchLines,
			targeter: func(st *benchState) vegeta.Targeter {
				return st.post("/api/v1/sales/batch", func() ([]byte, error) {
					lines := make([]map[string]any, benchBatchLines)
					for i := range lines {
						lines[i] = map[string]any{"product_id": st.saleProduct(), "quantity": 1}
					}
					return json.Marshal(map[string]any{"lines": lines})
				})
			}},
	}
}

func scenarioNames() []string {
	var names []string
	for _, s := range scenarios() {
		names = append(names, s.name)
	}
	return names
}

// benchState is what the scenarios need from the setup.
type benchState struct {
	bases      []string // http://127.0.0.1:PORT of each replica
	turn       atomic.Uint64
	token      string   // API bearer token (admin)
	cookie     string   // Cookie header of a signed-in web session
	productIDs []string // every product id
	saleIDs    []int64  // products with plenty of stock
	pollURLs   []string // dashboard fragments
	pollETags  []string // their ETags
	pollNote   string
}

func (st *benchState) randomProduct() string { return st.productIDs[mrand.IntN(len(st.productIDs))] }
func (st *benchState) saleProduct() int64    { return st.saleIDs[mrand.IntN(len(st.saleIDs))] }

// base returns the base URL of the replica the next request goes to,
// round-robin (vegeta calls targeters from many goroutines).
func (st *benchState) base() string {
	if len(st.bases) == 1 {
		return st.bases[0]
	}
	return st.bases[(st.turn.Add(1)-1)%uint64(len(st.bases))]
}

// replicaOf returns the index of the replica that u was sent to, -1 for
// none.
func (st *benchState) replicaOf(u string) int {
	for i, b := range st.bases {
		if strings.HasPrefix(u, b+"/") {
			return i
		}
	}
	return -1
}

// nextPoll returns a random fragment to poll and its ETag (vegeta calls
// targeters from many goroutines; math/rand/v2's functions are safe).
func (st *benchState) nextPoll() (string, string) {
	i := int(mrand.Uint64() % uint64(len(st.pollURLs)))
	return st.pollURLs[i], st.pollETags[i]
}

// get returns a targeter of API GETs at the paths path returns.
func (st *benchState) get(path func() string) vegeta.Targeter {
	h := http.Header{"Authorization": {"Bearer " + st.token}, "Accept": {"application/json"}}
	return func(t *vegeta.Target) error {
		t.Method, t.URL, t.Header, t.Body = http.MethodGet, st.base()+path(), h, nil
		return nil
	}
}

// page returns a targeter of signed-in web GETs, with If-None-Match when
// page gives an ETag.
func (st *benchState) page(page func() (path, etag string)) vegeta.Targeter {
	plain := http.Header{"Cookie": {st.cookie}, "Accept": {"text/html"}}
	return func(t *vegeta.Target) error {
		path, etag := page()
		h := plain
		if etag != "" {
			h = http.Header{"Cookie": {st.cookie}, "Accept": {"text/html"}, "HX-Request": {"true"}, "If-None-Match": {etag}}
		}
		t.Method, t.URL, t.Header, t.Body = http.MethodGet, st.base()+path, h, nil
		return nil
	}
}

// post returns a targeter of API POSTs to path with the JSON bodies body
// makes.
func (st *benchState) post(path string, body func() ([]byte, error)) vegeta.Targeter {
	h := http.Header{"Authorization": {"Bearer " + st.token}, "Content-Type": {"application/json"}}
	return func(t *vegeta.Target) error {
		b, err := body()
		if err != nil {
			return fmt.Errorf("bench: request body: %w", err)
		}
		t.Method, t.URL, t.Header, t.Body = http.MethodPost, st.base()+path, h, b
		return nil
	}
}

// benchResult is one scenario's figures.
type benchResult struct {
	Scenario    string         `json:"scenario"`
	Request     string         `json:"request"`
	Requests    uint64         `json:"requests"`
	PerReplica  []uint64       `json:"requests_per_replica"`
	Seconds     float64        `json:"seconds"`
	RPS         float64        `json:"req_per_s"`
	SalesPerSec float64        `json:"sales_per_s,omitempty"`
	P50         time.Duration  `json:"p50_ns"`
	P99         time.Duration  `json:"p99_ns"`
	Max         time.Duration  `json:"max_ns"`
	Errors      uint64         `json:"errors"`
	StatusCodes map[string]int `json:"status_codes"`
	FirstError  string         `json:"first_error,omitempty"`
	Target      string         `json:"target,omitempty"`
	Met         *bool          `json:"target_met,omitempty"`
	Note        string         `json:"note,omitempty"`
}

// benchServerReport is one server process's figures.
type benchServerReport struct {
	Replica       int     `json:"replica"` // 1, 2, …
	PID           int     `json:"pid"`
	Addr          string  `json:"addr"`
	ReadyRSS      int64   `json:"rss_when_ready_bytes"` // VmRSS after the sign-in, before the scenarios
	PeakRSS       int64   `json:"peak_rss_bytes"`       // VmHWM after the scenarios
	Requests      uint64  `json:"requests"`             // of the scenarios
	SalesRecorded float64 `json:"sales_recorded_metric"`
	Exit          string  `json:"exit"` // how the process ended, "exit status 0" after a clean drain
}

// benchReport is everything bench prints.
type benchReport struct {
	Database      string              `json:"database"`
	Products      int                 `json:"products"`
	Days          int                 `json:"days"`
	Sales         int                 `json:"seeded_sales"`
	SeedSeconds   float64             `json:"seed_seconds"`
	ForecastSecs  float64             `json:"forecast_batch_seconds"`
	Replicas      int                 `json:"replicas"`
	Concurrency   int                 `json:"concurrency"`
	Duration      string              `json:"duration_per_scenario"`
	CPUs          int                 `json:"cpus"`
	GoVersion     string              `json:"go_version"`
	ServerPeakRSS int64               `json:"server_peak_rss_bytes"`
	ServerRSSMet  *bool               `json:"server_rss_target_met,omitempty"`
	Servers       []benchServerReport `json:"servers"`
	BenchSetupRSS int64               `json:"bench_rss_after_setup_bytes"`
	BenchPeakRSS  int64               `json:"bench_peak_rss_bytes"`
	SalesRecorded float64             `json:"sales_recorded_metric"`
	LoadAverage   string              `json:"load_average,omitempty"`
	Scenarios     []benchResult       `json:"scenarios"`
	RSSMeaning    string              `json:"rss_meaning"`

	engine string // "SQLite" or "PostgreSQL"
}

func runBench(ctx context.Context, env *Env, dsn string, o benchOptions) (err error) {
	logf := func(format string, args ...any) { fmt.Fprintf(env.Stderr, "bench: "+format+"\n", args...) }
	rep := &benchReport{Products: o.products, Days: o.days, Replicas: o.replicas, Concurrency: o.concurrency,
		Duration: o.duration.String(), CPUs: runtime.NumCPU(), GoVersion: runtime.Version(),
		RSSMeaning: "server: VmHWM of each server process over its life (start, sign-in, scenarios), read before stopping it; " +
			"bench: VmHWM of the bench process (the load generator) during the scenarios, reset after setup"}

	bdb, serverDSN, desc, cleanup, err := openBenchDB(ctx, dsn)
	if err != nil {
		return cliError(err)
	}
	defer cleanup()
	rep.Database, rep.engine = desc, "SQLite"
	switch {
	case db.IsPostgres(bdb):
		rep.engine = "PostgreSQL"
	case db.IsMySQL(bdb):
		rep.engine = "MySQL"
	}

	logf("seeding %s: %d products × %d days", desc, o.products, o.days)
	start := time.Now()
	sum, err := seed.Generate(ctx, bdb, seed.Options{Products: o.products, Days: o.days, Seed: o.seed}, nil)
	if err != nil {
		return cliError(fmt.Errorf("bench: seed: %w", err))
	}
	rep.Sales, rep.SeedSeconds = sum.Sales, time.Since(start).Seconds()
	logf("seeded %d sales in %.1fs", sum.Sales, rep.SeedSeconds)

	a := app.New(bdb, app.Options{AnalyticsMaxStale: 30 * time.Second})
	st, password, err := prepareBench(ctx, a, bdb)
	if err != nil {
		return cliError(err)
	}
	logf("forecast batch…")
	status, err := a.Forecasts.RefreshAll(ctx, nil)
	if err != nil {
		return cliError(fmt.Errorf("bench: forecast batch: %w", err))
	}
	rep.ForecastSecs = status.Seconds
	logf("forecast batch: %d products in %.1fs", status.Done, status.Seconds)

	// The servers, as serve runs them, with their output in log files that
	// are kept when bench fails (not when it is interrupted). They are
	// stopped before the logs are read or removed (defers run last in,
	// first out).
	logDir, err := os.MkdirTemp("", "smartinventory-bench-logs-")
	if err != nil {
		return cliError(fmt.Errorf("bench: temporary directory: %w", err))
	}
	defer func() {
		if err != nil && !errors.Is(err, context.Canceled) {
			logf("server logs kept in %s", logDir)
			return
		}
		_ = os.RemoveAll(logDir)
	}()
	var servers []*benchServer
	defer func() {
		for _, s := range servers {
			s.halt()
		}
	}()
	for i := range o.replicas {
		s, err := startBenchServer(ctx, i+1, serverDSN, logDir, o.serverArgs(i+1))
		if err != nil {
			return cliError(err)
		}
		servers = append(servers, s)
		st.bases = append(st.bases, s.base)
		logf("server %d: pid %d on %s", s.replica, s.cmd.Process.Pid, s.addr)
	}

	if err := st.signIn(ctx, benchUser, password); err != nil {
		return cliError(err)
	}
	if err := st.preparePoll(ctx); err != nil {
		return cliError(err)
	}
	for _, s := range servers {
		rep.Servers = append(rep.Servers, benchServerReport{Replica: s.replica, PID: s.cmd.Process.Pid, Addr: s.addr,
			ReadyRSS: procStatusBytes(s.cmd.Process.Pid, "VmRSS")})
	}

	runtime.GC()
	debug.FreeOSMemory()
	rep.BenchSetupRSS = procStatusBytes(0, "VmRSS")
	resetPeakRSS()

	for _, sc := range scenarios() {
		if len(o.scenarios) > 0 && !slices.Contains(o.scenarios, sc.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return cliError(err)
		}
		for _, s := range servers {
			if err := s.running(); err != nil {
				return cliError(err)
			}
		}
		logf("scenario %s: %s for %s at concurrency %d", sc.name, sc.request, o.duration, o.concurrency)
		res := attack(ctx, sc, st, o)
		if sc.name == "poll" {
			res.Note = st.pollNote
		}
		logf("  %.0f req/s, p50 %s, p99 %s, errors %d", res.RPS, res.P50, res.P99, res.Errors)
		rep.Scenarios = append(rep.Scenarios, res)
		for i, n := range res.PerReplica {
			rep.Servers[i].Requests += n
		}
	}
	if err := ctx.Err(); err != nil {
		return cliError(err)
	}
	rep.BenchPeakRSS = procStatusBytes(0, "VmHWM")

	// Each server's figures, then a clean stop (SIGTERM, drain).
	for i, s := range servers {
		if err := s.running(); err != nil {
			return cliError(err)
		}
		sr := &rep.Servers[i]
		sr.PeakRSS = procStatusBytes(s.cmd.Process.Pid, "VmHWM")
		rep.ServerPeakRSS = max(rep.ServerPeakRSS, sr.PeakRSS)
		sr.SalesRecorded = scrapeSales(ctx, s.base)
		if sr.SalesRecorded < 0 || rep.SalesRecorded < 0 {
			rep.SalesRecorded = -1
		} else {
			rep.SalesRecorded += sr.SalesRecorded
		}
	}
	if rep.ServerPeakRSS > 0 {
		met := rep.ServerPeakRSS < benchRSSTarget
		rep.ServerRSSMet = &met
	}
	for i, s := range servers {
		s.halt()
		rep.Servers[i].Exit = s.cmd.ProcessState.String()
		if !s.cmd.ProcessState.Success() {
			logf("server %d did not stop cleanly (%s)%s", s.replica, s.cmd.ProcessState, s.logTail())
		}
	}
	left := 20
	for _, s := range servers {
		left = s.forwardProblems(env.Stderr, left)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		rep.LoadAverage = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return printBench(env, rep)
}

// benchUser is the admin that bench signs in as.
const benchUser = "bench"

// prepareBench creates the bench admin and its token, and gives the
// products the write scenarios sell a billion units each. It returns the
// state and the admin's password.
func prepareBench(ctx context.Context, a *app.App, bdb *bun.DB) (*benchState, string, error) {
	pw, err := app.RandomPassword()
	if err != nil {
		return nil, "", fmt.Errorf("bench: %w", err)
	}
	role := db.RoleAdmin
	if _, err := a.Users.CreateUser(ctx, app.System, app.UserInput{Username: app.Ptr(benchUser),
		DisplayName: app.Ptr("Benchmark"), Role: &role, Password: &pw}); err != nil {
		return nil, "", fmt.Errorf("bench: create user: %w", err)
	}
	tok, err := a.Users.CreateToken(ctx, app.System, benchUser, "bench", 0)
	if err != nil {
		return nil, "", fmt.Errorf("bench: create token: %w", err)
	}
	var ids []int64
	if err := bdb.NewSelect().Model((*db.Product)(nil)).Column("id").Where("active = ?", true).
		OrderExpr("id").Scan(ctx, &ids); err != nil {
		return nil, "", fmt.Errorf("bench: list products: %w", err)
	}
	if len(ids) == 0 {
		return nil, "", errors.New("bench: the seeded database has no active products")
	}
	st := &benchState{token: tok.Secret}
	for _, id := range ids {
		st.productIDs = append(st.productIDs, strconv.FormatInt(id, 10))
	}
	step := max(1, len(ids)/benchSaleProducts)
	for i := 0; i < len(ids) && len(st.saleIDs) < benchSaleProducts; i += step {
		id := ids[i]
		if _, err := a.Stock.Receive(ctx, app.System, app.ReceiptInput{ProductID: &id,
			Quantity: app.Ptr(int64(1_000_000_000)), Reason: "bench"}); err != nil {
			return nil, "", fmt.Errorf("bench: stock receipt: %w", err)
		}
		st.saleIDs = append(st.saleIDs, id)
	}
	return st, pw, nil
}

// csrfMeta finds the CSRF token in a page's <meta name="csrf-token">.
var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// signIn logs in through the web form of the first replica (GET /login
// for the CSRF token, POST /login), keeps the session cookie, and checks
// that every replica accepts it (sessions are cookies signed with a
// secret stored in the database).
func (st *benchState) signIn(ctx context.Context, user, password string) error {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return fmt.Errorf("bench: cookie jar: %w", err)
	}
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	first := st.bases[0]
	status, body, _, err := benchDo(ctx, client, http.MethodGet, first+"/login", nil, nil)
	if err != nil {
		return err
	}
	m := csrfMeta.FindSubmatch(body)
	if status != http.StatusOK || m == nil {
		return fmt.Errorf("bench: GET /login: %d, no CSRF token", status)
	}
	form := url.Values{"username": {user}, "password": {password}, "_csrf": {string(m[1])}}
	status, _, _, err = benchDo(ctx, client, http.MethodPost, first+"/login",
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, []byte(form.Encode()))
	if err != nil {
		return err
	}
	if status != http.StatusSeeOther {
		return fmt.Errorf("bench: POST /login: %d, want 303", status)
	}
	u, err := url.Parse(first + "/")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	st.cookie = strings.Join(parts, "; ")
	// The cookie as the scenarios send it, without the jar (cookies are
	// per host and port), to every replica.
	plain := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i, base := range st.bases {
		status, _, _, err = benchDo(ctx, plain, http.MethodGet, base+"/", http.Header{"Cookie": {st.cookie}}, nil)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("bench: GET / on replica %d with the session of replica 1: %d, want 200", i+1, status)
		}
	}
	return nil
}

// dashboardFragments are the dashboard's polled fragments.
var dashboardFragments = []string{
	"/fragments/dashboard/kpis", "/fragments/dashboard/charts", "/fragments/dashboard/restock",
	"/fragments/dashboard/movers/fast", "/fragments/dashboard/movers/slow",
}

// preparePoll fetches each dashboard fragment once, from the first
// replica, for its ETag (ETags derive from the data version, so every
// replica agrees). Without fragments (an older web UI) the poll scenario
// polls / instead, and says so in its note.
func (st *benchState) preparePoll(ctx context.Context) error {
	client := &http.Client{Timeout: 60 * time.Second}
	h := http.Header{"Cookie": {st.cookie}, "HX-Request": {"true"}}
	for _, path := range dashboardFragments {
		status, _, header, err := benchDo(ctx, client, http.MethodGet, st.bases[0]+path, h, nil)
		if err != nil {
			return err
		}
		if status == http.StatusOK && header.Get("ETag") != "" {
			st.pollURLs = append(st.pollURLs, path)
			st.pollETags = append(st.pollETags, header.Get("ETag"))
		}
	}
	if len(st.pollURLs) > 0 {
		st.pollNote = fmt.Sprintf("%d fragments at random", len(st.pollURLs))
		return nil
	}
	_, _, header, err := benchDo(ctx, client, http.MethodGet, st.bases[0]+"/", h, nil)
	if err != nil {
		return err
	}
	st.pollURLs, st.pollETags = []string{"/"}, []string{header.Get("ETag")}
	st.pollNote = "no dashboard fragments with ETags: polled / instead"
	return nil
}

// scrapeSales reads smartinventory_sales_recorded_total from the /metrics
// of the server at base (-1 when it cannot).
func scrapeSales(ctx context.Context, base string) float64 {
	status, body, _, err := benchDo(ctx, &http.Client{Timeout: 30 * time.Second}, http.MethodGet, base+"/metrics", nil, nil)
	if err != nil || status != http.StatusOK {
		return -1
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "smartinventory_sales_recorded_total "); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				return f
			}
		}
	}
	return -1
}

// benchDo sends one request and returns the status, body and headers.
func benchDo(ctx context.Context, client *http.Client, method, u string, h http.Header, body []byte) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bench: %s %s: %w", method, u, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bench: %s %s: %w", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("bench: %s %s: read body: %w", method, u, err)
	}
	return resp.StatusCode, b, resp.Header, nil
}

// attack runs one scenario: --concurrency workers sending back to back
// (vegeta at an unlimited rate) for --duration, or until ctx ends.
func attack(ctx context.Context, sc scenarioSpec, st *benchState, o benchOptions) benchResult {
	n := uint64(o.concurrency)
	atk := vegeta.NewAttacker(
		vegeta.Workers(n), vegeta.MaxWorkers(n),
		vegeta.Connections(o.concurrency), vegeta.MaxConnections(o.concurrency),
		vegeta.KeepAlive(true), vegeta.HTTP2(false), vegeta.MaxBody(0),
		vegeta.Timeout(30*time.Second),
		// Loopback only, never through a proxy from the environment.
		vegeta.Proxy(func(*http.Request) (*url.URL, error) { return nil, nil }),
	)
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			atk.Stop()
		case <-finished:
		}
	}()
	var m vegeta.Metrics
	var first string
	perReplica := make([]uint64, len(st.bases))
	begin := time.Now()
	for r := range atk.Attack(sc.targeter(st), vegeta.Rate{}, o.duration, sc.name) {
		m.Add(r)
		if i := st.replicaOf(r.URL); i >= 0 {
			perReplica[i]++
		}
		if r.Error != "" && first == "" {
			first = fmt.Sprintf("%d %s", r.Code, r.Error)
		}
	}
	elapsed := time.Since(begin).Seconds()
	m.Close()
	res := benchResult{
		Scenario: sc.name, Request: sc.request, Requests: m.Requests, PerReplica: perReplica, Seconds: elapsed,
		P50: m.Latencies.P50, P99: m.Latencies.P99, Max: m.Latencies.Max,
		StatusCodes: m.StatusCodes, FirstError: first, Target: sc.target,
	}
	if elapsed > 0 {
		res.RPS = float64(m.Requests) / elapsed
	}
	success := uint64(math.Round(m.Success * float64(m.Requests)))
	res.Errors = m.Requests - success
	rate := res.RPS
	if sc.perRequest > 1 {
		res.SalesPerSec = float64(success*uint64(sc.perRequest)) / elapsed
		rate = res.SalesPerSec
	}
	if sc.minRate > 0 {
		met := rate >= sc.minRate && res.P99 < 20*time.Millisecond && (sc.name != "sale" || res.Errors == 0)
		res.Met = &met
	}
	return res
}

// printBench writes the report as a table (with a summary below) or JSON.
func printBench(env *Env, rep *benchReport) error {
	if env.Output == OutputJSON {
		return writeJSON(env.Stdout, rep)
	}
	cols := []Column[benchResult]{
		{Header: "SCENARIO", Value: func(r benchResult) string { return r.Scenario }},
		{Header: "REQUESTS", Right: true, Value: func(r benchResult) string { return strconv.FormatUint(r.Requests, 10) }},
	}
	if len(rep.Servers) > 1 {
		cols = append(cols, Column[benchResult]{Header: "PER REPLICA", Right: true, Value: func(r benchResult) string {
			parts := make([]string, len(r.PerReplica))
			for i, n := range r.PerReplica {
				parts[i] = strconv.FormatUint(n, 10)
			}
			return strings.Join(parts, "/")
		}})
	}
	cols = append(cols, []Column[benchResult]{
		{Header: "REQ/S", Right: true, Value: func(r benchResult) string { return strconv.FormatFloat(r.RPS, 'f', 0, 64) }},
		{Header: "P50", Right: true, Value: func(r benchResult) string { return benchMillis(r.P50) }},
		{Header: "P99", Right: true, Value: func(r benchResult) string { return benchMillis(r.P99) }},
		{Header: "ERRORS", Right: true, Value: func(r benchResult) string { return strconv.FormatUint(r.Errors, 10) }},
		{Header: "STATUS", Value: func(r benchResult) string { return benchCodes(r.StatusCodes) }},
		{Header: "TARGET", Value: func(r benchResult) string {
			switch {
			case r.Met == nil:
				return ""
			case *r.Met:
				return "met (" + r.Target + ", p99 < 20ms)"
			}
			return "MISSED (" + r.Target + ", p99 < 20ms)"
		}},
		{Header: "NOTE", Value: func(r benchResult) string {
			notes := []string{}
			if r.SalesPerSec > 0 {
				notes = append(notes, strconv.FormatFloat(r.SalesPerSec, 'f', 0, 64)+" sales/s")
			}
			if r.Note != "" {
				notes = append(notes, r.Note)
			}
			if r.FirstError != "" {
				notes = append(notes, "first error: "+r.FirstError)
			}
			return strings.Join(notes, "; ")
		}},
	}...)
	if err := writeTable(env.Stdout, rep.Scenarios, cols); err != nil {
		return err
	}

	servers := "1 replica (a separate process)"
	if rep.Replicas > 1 {
		servers = fmt.Sprintf("%d replicas (separate processes)", rep.Replicas)
	}
	load := "vegeta in the bench process over loopback"
	if rep.Replicas > 1 {
		load += ", round-robin over the replicas"
	}
	serverRSS := "n/a (no /proc)"
	if rep.ServerRSSMet != nil {
		serverRSS = benchMB(rep.ServerPeakRSS) + " peak"
		if rep.Replicas > 1 {
			serverRSS += " (the largest replica)"
		}
		if *rep.ServerRSSMet {
			serverRSS += " — target < 200 MB met"
		} else {
			serverRSS += " — target < 200 MB MISSED"
		}
	}
	var replicas strings.Builder
	for _, s := range rep.Servers {
		fmt.Fprintf(&replicas, "  replica %d:     pid %d on %s: peak %s, %s when ready; %d requests, %.0f sales; %s\n",
			s.Replica, s.PID, s.Addr, benchMB(s.PeakRSS), benchMB(s.ReadyRSS), s.Requests, s.SalesRecorded, s.Exit)
	}
	sales := "from /metrics"
	if rep.Replicas > 1 {
		sales = fmt.Sprintf("from /metrics, summed over the %d replicas", rep.Replicas)
	}
	_, err := fmt.Fprintf(env.Stdout, `
database:        %s
data:            %d products, %d days, %d seeded sales (seeded in %.1fs)
forecast batch:  %.1fs
servers:         %s on one %s database
load:            %d requests in flight, %s per scenario, %s
machine:         %d CPUs, %s, load average %s at the end
server RSS:      %s
%sbench RSS:       %s peak (the load generator; %s after setup)
sales recorded:  %.0f (%s)
`, rep.Database, rep.Products, rep.Days, rep.Sales, rep.SeedSeconds, rep.ForecastSecs,
		servers, rep.engine,
		rep.Concurrency, rep.Duration, load,
		rep.CPUs, rep.GoVersion, rep.LoadAverage,
		serverRSS, replicas.String(), benchMB(rep.BenchPeakRSS), benchMB(rep.BenchSetupRSS),
		rep.SalesRecorded, sales)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// benchMB formats a byte count in whole megabytes ("n/a" for 0: no /proc).
func benchMB(b int64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

// benchMillis formats a latency in milliseconds with two decimals.
func benchMillis(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
}

// benchCodes formats status counts, e.g. "200:5120 500:3".
func benchCodes(codes map[string]int) string {
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if k == "0" {
			parts = append(parts, "neterr:"+strconv.Itoa(codes[k]))
			continue
		}
		parts = append(parts, k+":"+strconv.Itoa(codes[k]))
	}
	return strings.Join(parts, " ")
}

// openBenchDB opens and migrates the benchmark database: a new SQLite file
// in a temporary directory (dsn ""), a new schema on PostgreSQL, or the
// SQLite file dsn names. It returns the database, the DSN the servers
// open (with the schema in search_path on PostgreSQL), a description, and
// cleanup, which closes the database and removes what was created.
func openBenchDB(ctx context.Context, dsn string) (*bun.DB, string, string, func(), error) {
	cleanup := func() {}
	kind := db.SQLite
	if dsn != "" {
		var err error
		if kind, _, err = db.ParseDSN(dsn); err != nil {
			return nil, "", "", nil, err
		}
	}
	desc := ""
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "smartinventory-bench-")
		if err != nil {
			return nil, "", "", nil, fmt.Errorf("bench: temporary directory: %w", err)
		}
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
		desc = "SQLite (temporary file)"
		cleanup = func() { _ = os.RemoveAll(dir) }
	case kind == db.Postgres:
		schema, drop, err := createBenchSchema(ctx, dsn)
		if err != nil {
			return nil, "", "", nil, err
		}
		u, err := url.Parse(dsn)
		if err != nil {
			drop()
			return nil, "", "", nil, fmt.Errorf("bench: parse --db: %w", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
		desc = "PostgreSQL (temporary schema " + schema + ")"
		cleanup = drop
	case kind == db.MySQL:
		name, drop, err := createBenchDatabase(ctx, dsn)
		if err != nil {
			return nil, "", "", nil, err
		}
		u, err := url.Parse(dsn)
		if err != nil {
			drop()
			return nil, "", "", nil, fmt.Errorf("bench: parse --db: %w", err)
		}
		u.Path = "/" + name
		dsn = u.String()
		desc = "MySQL (temporary database " + name + ")"
		cleanup = drop
	default:
		desc = "SQLite (" + dsn + ")"
	}
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		cleanup()
		return nil, "", "", nil, fmt.Errorf("bench: open database: %w", err)
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		_ = bdb.Close()
		cleanup()
		return nil, "", "", nil, fmt.Errorf("bench: migrate: %w", err)
	}
	return bdb, dsn, desc, func() { _ = bdb.Close(); cleanup() }, nil
}

// createBenchSchema creates a new schema on the PostgreSQL server at dsn
// and returns its name and a function that drops it.
func createBenchSchema(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := db.Open(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: schema name: %w", err)
	}
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: create schema: %w", err)
	}
	drop := func() {
		// The run's context may be cancelled by now (Ctrl-C): drop anyway.
		dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = admin.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE")
		_ = admin.Close()
	}
	return schema, drop, nil
}

// createBenchDatabase creates a new database on the MySQL server at dsn
// and returns its name and a function that drops it.
func createBenchDatabase(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := db.Open(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("bench: %w", err)
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: database name: %w", err)
	}
	name := "smartinv_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE "+db.MySQLCollation); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("bench: create database: %w", err)
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = admin.ExecContext(dctx, "DROP DATABASE "+name)
		_ = admin.Close()
	}
	return name, drop, nil
}

// Server processes
//
// Each replica is `<this program> serve --addr 127.0.0.1:PORT --metrics`
// with the database in SMARTINV_DB (not on the command line, which every
// user can read: a PostgreSQL DSN may hold a password), on a port found
// free by listening on 127.0.0.1:0, with stdout and stderr in a log file.
// It is ready when GET /readyz answers 200 (the database answers).
//
// A server is stopped by cancelling its context: exec sends SIGTERM
// (cmd.Cancel), serve drains in-flight requests and exits, and exec kills
// it if it has not exited after benchStopTimeout (cmd.WaitDelay). The
// context derives from the command's, so Ctrl-C stops the servers too,
// and runBench halts them on every return. On Linux a server also gets
// SIGTERM when bench itself dies (benchSysProcAttr).

// benchServerCommand is how bench starts a server: path "" means this
// program (os.Executable); env is added to this process's environment.
// The cli tests run bench inside the test binary and set env so that the
// test binary runs the command line instead of the tests (main_test.go).
var benchServerCommand struct {
	path string
	env  []string
}

// benchStopTimeout is how long a server may drain after SIGTERM before it
// is killed.
const benchStopTimeout = 10 * time.Second

// benchReadyTimeout is how long a server may take to answer /readyz.
const benchReadyTimeout = time.Minute

// benchServer is one running server process.
type benchServer struct {
	replica int    // 1, 2, …
	addr    string // 127.0.0.1:PORT
	base    string // http://127.0.0.1:PORT
	logPath string // its stdout and stderr
	cmd     *exec.Cmd
	stop    context.CancelFunc // cancels cmd's context: SIGTERM, later SIGKILL
	done    chan struct{}      // closed when cmd.Wait has returned
}

// startBenchServer starts replica and waits until it is ready. When the
// port it was given was taken in the meantime, it tries another one.
func startBenchServer(ctx context.Context, replica int, dsn, logDir string, extra []string) (*benchServer, error) {
	for attempt := 1; ; attempt++ {
		s, err := launchBenchServer(ctx, replica, dsn, logDir, extra)
		if err != nil {
			return nil, err
		}
		err = s.waitReady(ctx)
		if err == nil {
			return s, nil
		}
		s.halt()
		if attempt == 3 || !s.portTaken() {
			return nil, err
		}
	}
}

// launchBenchServer starts the process of replica on a free port.
func launchBenchServer(ctx context.Context, replica int, dsn, logDir string, extra []string) (*benchServer, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	exe := benchServerCommand.path
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("bench: find this program to start the server: %w", err)
		}
	}
	logPath := filepath.Join(logDir, fmt.Sprintf("server-%d.log", replica))
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("bench: server log: %w", err)
	}
	sctx, stop := context.WithCancel(ctx)
	cmd := exec.CommandContext(sctx, exe, append([]string{"serve", "--addr", addr, "--metrics"}, extra...)...)
	cmd.Env = append(append(os.Environ(), benchServerCommand.env...), "SMARTINV_DB="+dsn)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = benchSysProcAttr()
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = benchStopTimeout
	err = cmd.Start()
	_ = logFile.Close() // the child has its own descriptor
	if err != nil {
		stop()
		return nil, fmt.Errorf("bench: start server %d (%s serve): %w", replica, exe, err)
	}
	s := &benchServer{replica: replica, addr: addr, base: "http://" + addr, logPath: logPath,
		cmd: cmd, stop: stop, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait() // the outcome is in cmd.ProcessState
		close(s.done)
	}()
	return s, nil
}

// freeLoopbackAddr returns 127.0.0.1:PORT with a port that was free just
// now.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("bench: find a free port: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("bench: find a free port: %w", err)
	}
	return addr, nil
}

// waitReady polls GET /readyz until it answers 200, the process exits,
// benchReadyTimeout passes or ctx ends.
func (s *benchServer) waitReady(ctx context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.NewTimer(benchReadyTimeout)
	defer deadline.Stop()
	for {
		status, _, _, err := benchDo(ctx, client, http.MethodGet, s.base+"/readyz", nil, nil)
		if err == nil && status == http.StatusOK {
			// Another program could hold the port: the server must live.
			return s.running()
		}
		select {
		case <-s.done:
			return s.failure(fmt.Sprintf("exited before it was ready (%s)", s.cmd.ProcessState))
		case <-deadline.C:
			return s.failure(fmt.Sprintf("did not answer GET %s/readyz with 200 within %s", s.base, benchReadyTimeout))
		case <-ctx.Done():
			return fmt.Errorf("bench: waiting for server %d: %w", s.replica, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// running returns an error when the process has exited.
func (s *benchServer) running() error {
	select {
	case <-s.done:
		return s.failure(fmt.Sprintf("exited (%s)", s.cmd.ProcessState))
	default:
		return nil
	}
}

// halt stops the process (SIGTERM, SIGKILL after benchStopTimeout) and
// waits for it. It may be called more than once.
func (s *benchServer) halt() {
	s.stop()
	<-s.done
}

// failure describes what went wrong with the process, with the end of its
// log.
func (s *benchServer) failure(what string) error {
	return fmt.Errorf("bench: server %d (pid %d, %s) %s%s", s.replica, s.cmd.Process.Pid, s.addr, what, s.logTail())
}

// logTail returns the last lines of the process's log, indented, after a
// heading naming the file.
func (s *benchServer) logTail() string {
	lines := tailLines(s.logPath, 15, 4096)
	if len(lines) == 0 {
		return "; its log " + s.logPath + " is empty"
	}
	return "; the end of its log " + s.logPath + ":\n    " + strings.Join(lines, "\n    ")
}

// portTaken reports whether the server failed because its port was taken.
func (s *benchServer) portTaken() bool {
	return strings.Contains(strings.Join(tailLines(s.logPath, 15, 4096), "\n"), "address already in use")
}

// forwardProblems copies the WARN and ERROR lines of the process's log
// (JSON lines: its stderr is not a terminal) to w, at most left of them,
// and returns how many more may follow.
func (s *benchServer) forwardProblems(w io.Writer, left int) int {
	f, err := os.Open(s.logPath)
	if err != nil {
		return left
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for left > 0 && sc.Scan() {
		line := sc.Bytes()
		if bytes.Contains(line, []byte(`"level":"WARN"`)) || bytes.Contains(line, []byte(`"level":"ERROR"`)) {
			fmt.Fprintf(w, "bench: server %d log: %s\n", s.replica, line)
			left--
		}
	}
	return left
}

// tailLines returns the last n lines within the last size bytes of the
// file at path (none when it cannot be read).
func tailLines(path string, n int, size int64) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	off := max(0, fi.Size()-size)
	b := make([]byte, fi.Size()-off)
	if _, err := f.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		return nil
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if off > 0 && len(lines) > 1 {
		lines = lines[1:] // the first one is cut
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

// procStatusBytes returns a "kB" field of /proc/PID/status (pid 0: this
// process) in bytes, 0 when it cannot be read (not Linux).
func procStatusBytes(pid int, field string) int64 {
	proc := "self"
	if pid != 0 {
		proc = strconv.Itoa(pid)
	}
	b, err := os.ReadFile("/proc/" + proc + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS resets this process's VmHWM to its current RSS (Linux:
// writing 5 to /proc/self/clear_refs); elsewhere it does nothing.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
