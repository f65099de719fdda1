package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/uptrace/bun"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/app/web"
	"smartinventory/db"
	"smartinventory/db/seed"
)

func init() { register(newBenchCmd) }

// The load benchmark
//
// `bench` measures the real server the way serve runs it (server.New with
// the web UI mounted, metrics on, server.Run on 127.0.0.1:0) in this
// process, over loopback, with vegeta at a fixed concurrency: every
// scenario keeps --concurrency requests in flight for --duration (vegeta
// at an unlimited rate with exactly that many workers). The load
// generator shares the CPUs with the server, so the figures are a lower
// bound for a server with the machine to itself.
//
// Setup: a temporary database (SQLite in a temporary directory, or a
// temporary schema on --db postgres://…, dropped at the end) is filled by
// the seeder (--products × --days of sales), a user and an API token are
// created, the forecast batch runs, and the products that the write
// scenarios sell get a receipt of a billion units so no sale runs out of
// stock. The read scenarios run before the writes, so their caches see
// the seeded data.
//
// Peak RSS is the process's VmHWM (/proc/self/status) during the
// scenarios: it is reset (/proc/self/clear_refs) after the setup, so it
// measures the server under load — plus the load generator, which runs in
// the same process — and not the seeder.

// benchOptions are the flags of bench.
type benchOptions struct {
	products, days int
	duration       time.Duration
	concurrency    int
	scenarios      []string
	cpuProfile     string
	memProfile     string
	seed           int64
}

// benchSaleProducts is how many products the write scenarios sell.
const benchSaleProducts = 200

// benchBatchLines is the size of one POST /sales/batch.
const benchBatchLines = 1000

func newBenchCmd(env *Env) *cobra.Command {
	o := benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench [--products N] [--days N] [--duration D] [--concurrency N]",
		Short: "Load-test the server on a temporary database and print req/s and latency per scenario",
		Long: `Fill a temporary database with --products products and --days days of
sales, start the server in this process on 127.0.0.1 (as serve does),
run the forecast batch, then drive it over loopback with vegeta at
--concurrency requests in flight for --duration per scenario, and print
requests per second, p50 and p99 latency and errors per scenario, and the
peak RSS (VmHWM) of the process during the scenarios.

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
with --db sqlite:FILE that file, which must not hold products yet, and is
kept. All traffic goes to 127.0.0.1. --output json prints the whole report.`,
		Example: `  smartinventory bench
  smartinventory bench --products 200 --days 90 --duration 3s --scenarios list,detail,sale
  smartinventory bench --db postgres://postgres@127.0.0.1/bench?sslmode=disable
  smartinventory bench --cpuprofile bench.pprof --scenarios restock`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			if env.Output != OutputTable && env.Output != OutputJSON {
				return usagef("--output: bench prints table or json")
			}
			dsn := ""
			if cmd.Flags().Changed("db") {
				if _, _, err := db.ParseDSN(env.DB); err != nil {
					return usagef("--db: %v", err)
				}
				dsn = env.DB
			}
			return runBench(cmd.Context(), env, dsn, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.products, "products", 2000, "products to create")
	f.IntVar(&o.days, "days", 730, "days of sales history to create")
	f.DurationVar(&o.duration, "duration", 10*time.Second, "how long each scenario runs")
	f.IntVar(&o.concurrency, "concurrency", 32, "requests in flight during each scenario")
	f.StringSliceVar(&o.scenarios, "scenarios", nil, "scenarios to run (default all): "+strings.Join(scenarioNames(), ","))
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the scenarios to this file")
	f.StringVar(&o.memProfile, "memprofile", "", "write a heap profile taken after the scenarios to this file")
	f.Int64Var(&o.seed, "seed", 1, "seed of the generated data")
	return cmd
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
	base       string   // http://127.0.0.1:PORT
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
		t.Method, t.URL, t.Header, t.Body = http.MethodGet, st.base+path(), h, nil
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
		t.Method, t.URL, t.Header, t.Body = http.MethodGet, st.base+path, h, nil
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
		t.Method, t.URL, t.Header, t.Body = http.MethodPost, st.base+path, h, b
		return nil
	}
}

// benchResult is one scenario's figures.
type benchResult struct {
	Scenario    string         `json:"scenario"`
	Request     string         `json:"request"`
	Requests    uint64         `json:"requests"`
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

// benchReport is everything bench prints.
type benchReport struct {
	Database       string        `json:"database"`
	Products       int           `json:"products"`
	Days           int           `json:"days"`
	Sales          int           `json:"seeded_sales"`
	SeedSeconds    float64       `json:"seed_seconds"`
	ForecastSecs   float64       `json:"forecast_batch_seconds"`
	Concurrency    int           `json:"concurrency"`
	Duration       string        `json:"duration_per_scenario"`
	CPUs           int           `json:"cpus"`
	GoVersion      string        `json:"go_version"`
	SetupRSS       int64         `json:"rss_after_setup_bytes"`
	PeakRSS        int64         `json:"peak_rss_bytes"`
	SalesRecorded  float64       `json:"sales_recorded_metric"`
	LoadAverage    string        `json:"load_average,omitempty"`
	Scenarios      []benchResult `json:"scenarios"`
	PeakRSSMeaning string        `json:"peak_rss_meaning"`
}

func runBench(ctx context.Context, env *Env, dsn string, o benchOptions) error {
	logf := func(format string, args ...any) { fmt.Fprintf(env.Stderr, "bench: "+format+"\n", args...) }
	rep := &benchReport{Products: o.products, Days: o.days, Concurrency: o.concurrency, Duration: o.duration.String(),
		CPUs: runtime.NumCPU(), GoVersion: runtime.Version(),
		PeakRSSMeaning: "VmHWM of the bench process during the scenarios (server and load generator), reset after setup"}

	bdb, desc, cleanup, err := openBenchDB(ctx, dsn)
	if err != nil {
		return cliError(err)
	}
	defer cleanup()
	rep.Database = desc

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

	// The server, as serve builds it; request logs are formatted as in
	// production, and only warnings and errors reach stderr.
	logger := slog.New(slog.NewJSONHandler(&problemLines{w: env.Stderr, left: 20}, nil))
	ui, err := web.New(ctx, a, web.Config{Logger: logger})
	if err != nil {
		return cliError(fmt.Errorf("bench: %w", err))
	}
	h := server.New(a, server.Options{Logger: logger, ActorFromRequest: ui.ActorFromRequest,
		Mount: ui.Mount, HandleError: ui.HandleError, Metrics: true})
	srvCtx, stop := context.WithCancel(ctx)
	defer stop()
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() { errc <- server.Run(srvCtx, "127.0.0.1:0", h, logger, func(addr net.Addr) { addrc <- addr }) }()
	select {
	case addr := <-addrc:
		st.base = "http://" + addr.String()
	case err := <-errc:
		return cliError(fmt.Errorf("bench: start server: %w", err))
	}
	defer func() {
		stop()
		if err := <-errc; err != nil {
			logf("server: %v", err)
		}
	}()

	if err := st.signIn(ctx, benchUser, password); err != nil {
		return cliError(err)
	}
	if err := st.preparePoll(ctx); err != nil {
		return cliError(err)
	}

	runtime.GC()
	debug.FreeOSMemory()
	rep.SetupRSS = procStatusBytes("VmRSS")
	resetPeakRSS()

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return cliError(fmt.Errorf("bench: cpu profile: %w", err))
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return cliError(fmt.Errorf("bench: cpu profile: %w", err))
		}
		defer pprof.StopCPUProfile()
	}
	for _, sc := range scenarios() {
		if len(o.scenarios) > 0 && !slices.Contains(o.scenarios, sc.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return cliError(err)
		}
		logf("scenario %s: %s for %s at concurrency %d", sc.name, sc.request, o.duration, o.concurrency)
		res := attack(sc, st, o)
		if sc.name == "poll" {
			res.Note = st.pollNote
		}
		logf("  %.0f req/s, p50 %s, p99 %s, errors %d", res.RPS, res.P50, res.P99, res.Errors)
		rep.Scenarios = append(rep.Scenarios, res)
	}
	rep.PeakRSS = procStatusBytes("VmHWM")
	if o.memProfile != "" {
		if err := writeHeapProfile(o.memProfile); err != nil {
			return cliError(err)
		}
	}
	rep.SalesRecorded = st.scrapeSales(ctx)
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

// signIn logs in through the web form (GET /login for the CSRF token,
// POST /login) and keeps the session cookie.
func (st *benchState) signIn(ctx context.Context, user, password string) error {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return fmt.Errorf("bench: cookie jar: %w", err)
	}
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	status, body, _, err := benchDo(ctx, client, http.MethodGet, st.base+"/login", nil, nil)
	if err != nil {
		return err
	}
	m := csrfMeta.FindSubmatch(body)
	if status != http.StatusOK || m == nil {
		return fmt.Errorf("bench: GET /login: %d, no CSRF token", status)
	}
	form := url.Values{"username": {user}, "password": {password}, "_csrf": {string(m[1])}}
	status, _, _, err = benchDo(ctx, client, http.MethodPost, st.base+"/login",
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, []byte(form.Encode()))
	if err != nil {
		return err
	}
	if status != http.StatusSeeOther {
		return fmt.Errorf("bench: POST /login: %d, want 303", status)
	}
	u, err := url.Parse(st.base + "/")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	st.cookie = strings.Join(parts, "; ")
	status, _, _, err = benchDo(ctx, client, http.MethodGet, st.base+"/", nil, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("bench: GET / after signing in: %d, want 200", status)
	}
	return nil
}

// dashboardFragments are the dashboard's polled fragments.
var dashboardFragments = []string{
	"/fragments/dashboard/kpis", "/fragments/dashboard/charts", "/fragments/dashboard/restock",
	"/fragments/dashboard/movers/fast", "/fragments/dashboard/movers/slow",
}

// preparePoll fetches each dashboard fragment once for its ETag. Without
// fragments (an older web UI) the poll scenario polls / instead, and says
// so in its note.
func (st *benchState) preparePoll(ctx context.Context) error {
	client := &http.Client{Timeout: 60 * time.Second}
	h := http.Header{"Cookie": {st.cookie}, "HX-Request": {"true"}}
	for _, path := range dashboardFragments {
		status, _, header, err := benchDo(ctx, client, http.MethodGet, st.base+path, h, nil)
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
	_, _, header, err := benchDo(ctx, client, http.MethodGet, st.base+"/", h, nil)
	if err != nil {
		return err
	}
	st.pollURLs, st.pollETags = []string{"/"}, []string{header.Get("ETag")}
	st.pollNote = "no dashboard fragments with ETags: polled / instead"
	return nil
}

// scrapeSales reads smartinventory_sales_recorded_total from /metrics
// (-1 when it cannot).
func (st *benchState) scrapeSales(ctx context.Context) float64 {
	status, body, _, err := benchDo(ctx, &http.Client{Timeout: 30 * time.Second}, http.MethodGet, st.base+"/metrics", nil, nil)
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
// (vegeta at an unlimited rate) for --duration.
func attack(sc scenarioSpec, st *benchState, o benchOptions) benchResult {
	n := uint64(o.concurrency)
	atk := vegeta.NewAttacker(
		vegeta.Workers(n), vegeta.MaxWorkers(n),
		vegeta.Connections(o.concurrency), vegeta.MaxConnections(o.concurrency),
		vegeta.KeepAlive(true), vegeta.HTTP2(false), vegeta.MaxBody(0),
		vegeta.Timeout(30*time.Second),
		// Loopback only, never through a proxy from the environment.
		vegeta.Proxy(func(*http.Request) (*url.URL, error) { return nil, nil }),
	)
	var m vegeta.Metrics
	var first string
	begin := time.Now()
	for r := range atk.Attack(sc.targeter(st), vegeta.Rate{}, o.duration, sc.name) {
		m.Add(r)
		if r.Error != "" && first == "" {
			first = fmt.Sprintf("%d %s", r.Code, r.Error)
		}
	}
	elapsed := time.Since(begin).Seconds()
	m.Close()
	res := benchResult{
		Scenario: sc.name, Request: sc.request, Requests: m.Requests, Seconds: elapsed,
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
	}
	if err := writeTable(env.Stdout, rep.Scenarios, cols); err != nil {
		return err
	}
	rss := "n/a (no /proc)"
	if rep.PeakRSS > 0 {
		rss = fmt.Sprintf("%.0f MB", float64(rep.PeakRSS)/(1<<20))
		if rep.PeakRSS >= 200<<20 {
			rss += " (target < 200 MB MISSED)"
		} else {
			rss += " (target < 200 MB met)"
		}
	}
	_, err := fmt.Fprintf(env.Stdout, `
database:        %s
data:            %d products, %d days, %d seeded sales (seeded in %.1fs)
forecast batch:  %.1fs
load:            %d requests in flight, %s per scenario, vegeta in this process over loopback
machine:         %d CPUs, %s, load average %s at the end
RSS after setup: %.0f MB
peak RSS:        %s — %s
sales recorded:  %.0f (from /metrics)
`, rep.Database, rep.Products, rep.Days, rep.Sales, rep.SeedSeconds, rep.ForecastSecs, rep.Concurrency, rep.Duration,
		rep.CPUs, rep.GoVersion, rep.LoadAverage, float64(rep.SetupRSS)/(1<<20), rss, rep.PeakRSSMeaning, rep.SalesRecorded)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
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
// SQLite file dsn names. cleanup closes it and removes what was created.
func openBenchDB(ctx context.Context, dsn string) (*bun.DB, string, func(), error) {
	cleanup := func() {}
	kind := db.SQLite
	if dsn != "" {
		var err error
		if kind, _, err = db.ParseDSN(dsn); err != nil {
			return nil, "", nil, err
		}
	}
	desc := ""
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "smartinventory-bench-")
		if err != nil {
			return nil, "", nil, fmt.Errorf("bench: temporary directory: %w", err)
		}
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
		desc = "SQLite (temporary file)"
		cleanup = func() { _ = os.RemoveAll(dir) }
	case kind == db.Postgres:
		schema, drop, err := createBenchSchema(ctx, dsn)
		if err != nil {
			return nil, "", nil, err
		}
		u, err := url.Parse(dsn)
		if err != nil {
			drop()
			return nil, "", nil, fmt.Errorf("bench: parse --db: %w", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
		desc = "PostgreSQL (temporary schema " + schema + ")"
		cleanup = drop
	default:
		desc = "SQLite (" + dsn + ")"
	}
	bdb, err := db.Open(ctx, dsn)
	if err != nil {
		cleanup()
		return nil, "", nil, fmt.Errorf("bench: open database: %w", err)
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		_ = bdb.Close()
		cleanup()
		return nil, "", nil, fmt.Errorf("bench: migrate: %w", err)
	}
	return bdb, desc, func() { _ = bdb.Close(); cleanup() }, nil
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

// procStatusBytes returns a "kB" field of /proc/self/status in bytes, 0
// when it cannot be read (not Linux).
func procStatusBytes(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
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

// writeHeapProfile writes a heap profile (after a GC) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("bench: heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("bench: heap profile: %w", err)
	}
	return nil
}

// problemLines passes the log lines of level WARN and ERROR on to w, at
// most left of them, and drops the rest (the per-request INFO lines).
// slog handlers write one line per Write call.
type problemLines struct {
	mu   sync.Mutex
	w    io.Writer
	left int
}

func (p *problemLines) Write(b []byte) (int, error) {
	if !bytes.Contains(b, []byte(`"level":"WARN"`)) && !bytes.Contains(b, []byte(`"level":"ERROR"`)) {
		return len(b), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.left <= 0 {
		return len(b), nil
	}
	p.left--
	if _, err := p.w.Write(append([]byte("bench: server log: "), b...)); err != nil {
		return 0, fmt.Errorf("bench: log: %w", err)
	}
	return len(b), nil
}

// resetPeakRSS resets VmHWM to the current RSS (Linux: writing 5 to
// /proc/self/clear_refs); elsewhere it does nothing.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
