package crash

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"smartinventory/db/dbtest"
)

// iterationsFlag is the number of crash iterations per database; 0 means
// $SMARTINV_CRASH_ITERATIONS, else defaultIterations.
var iterationsFlag = flag.Int("crash.iterations", 0,
	"crash iterations per database (default $SMARTINV_CRASH_ITERATIONS, else 2)")

// IterationsEnv overrides the default number of iterations.
const IterationsEnv = "SMARTINV_CRASH_ITERATIONS"

// BinaryEnv names a prebuilt smartinventory binary to test instead of
// building one from the module.
const BinaryEnv = "SMARTINV_CRASH_BINARY"

const (
	defaultIterations = 2
	maxIterations     = 1000
	// startTimeout bounds a server start (migrations included).
	startTimeout = 60 * time.Second
	// cliTimeout bounds one CLI command.
	cliTimeout = 3 * time.Minute
	// exitTimeout bounds the wait for a signalled process to exit.
	exitTimeout = 30 * time.Second
)

// iterations returns how many times each crash scenario runs per database.
func iterations(t *testing.T) int {
	t.Helper()
	n := *iterationsFlag
	if n == 0 {
		if v := os.Getenv(IterationsEnv); v != "" {
			var err error
			if n, err = strconv.Atoi(v); err != nil {
				t.Fatalf("%s=%q: not an integer", IterationsEnv, v)
			}
		}
	}
	if n == 0 {
		n = defaultIterations
	}
	if n < 1 || n > maxIterations {
		t.Fatalf("crash iterations %d outside 1..%d", n, maxIterations)
	}
	return n
}

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

// TestMain removes the binary built for the tests.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary returns the smartinventory binary under test: $SMARTINV_CRASH_BINARY
// or, built once per test run, `go build` of the module root (found with
// go env GOMOD) into a temporary directory.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("crash tests run real processes; skipped with -short")
	}
	if b := os.Getenv(BinaryEnv); b != "" {
		return b
	}
	buildOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		gomod := strings.TrimSpace(string(out))
		if gomod == "" || gomod == os.DevNull {
			buildErr = errors.New("go env GOMOD: not inside a module")
			return
		}
		if buildDir, err = os.MkdirTemp("", "smartinv-crash-"); err != nil {
			buildErr = err
			return
		}
		bin := filepath.Join(buildDir, "smartinventory")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir = filepath.Dir(gomod)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		buildBin = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// eachDatabase runs fn iterations times as subtests on a fresh SQLite file
// and then, when SMARTINV_TEST_POSTGRES is set, on a fresh PostgreSQL schema
// per iteration, and when SMARTINV_TEST_MYSQL is set, on a fresh MySQL
// database per iteration.
func eachDatabase(t *testing.T, fn func(t *testing.T, dsn string, iteration int)) {
	t.Helper()
	n := iterations(t)
	for _, kind := range dbtest.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			for i := range n {
				t.Run(fmt.Sprintf("iteration-%02d", i+1), func(t *testing.T) { fn(t, dbtest.DSN(t, kind), i) })
			}
		})
	}
}

// childEnv is the environment of child processes: ours without the
// variables that would point the CLI at another database or server.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "SMARTINV_DB", "SMARTINV_ADDR", "SMARTINV_SERVER", "SMARTINV_TOKEN":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// process is a child process whose exit is awaited by a goroutine; it is
// killed when the test ends if it is still running.
type process struct {
	cmd    *exec.Cmd
	name   string
	done   chan struct{}
	err    error // from Wait, valid after done is closed
	stderr *lockedBuffer
}

// lockedBuffer is a bytes.Buffer safe for the writer goroutine of exec and
// the test reading it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startProcess starts bin with args. stdoutLine, when not nil, gets every
// line the process writes on stdout (from a goroutine).
func startProcess(t *testing.T, bin string, stdoutLine func(string), args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	cmd.Stdin = nil
	p := &process{cmd: cmd, name: args[0], done: make(chan struct{}), stderr: &lockedBuffer{}}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s %v: %v", bin, args, err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if stdoutLine != nil {
				stdoutLine(sc.Text())
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop() })
	return p
}

// stop ends the process if it still runs: SIGTERM, then SIGKILL after 10 s.
// (A SIGKILL alone can leave a PostgreSQL backend finishing the process's
// last statement while the test drops its schema.)
func (p *process) stop() {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited reports whether the process has exited.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// signal sends sig and waits for the process to exit; it returns the exit
// status (-1 when killed by a signal).
func (p *process) signal(t *testing.T, sig syscall.Signal) int {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil && !p.exited() {
		t.Fatalf("signal %v to %s: %v", sig, p.name, err)
	}
	return p.wait(t)
}

// wait waits for the process to exit (at most exitTimeout) and returns
// its exit status, -1 when a signal ended it.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(exitTimeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%s did not exit within %v; stderr:\n%s", p.name, exitTimeout, tail(p.stderr.String()))
	}
	return p.cmd.ProcessState.ExitCode()
}

// server is a running `smartinventory serve`.
type server struct {
	*process
	url string // base URL, with a trailing slash
}

// startServer runs `serve --addr 127.0.0.1:0 --db dsn` and waits for its URL.
func startServer(t *testing.T, bin, dsn string) *server {
	t.Helper()
	urls := make(chan string, 1)
	p := startProcess(t, bin, func(line string) {
		if u, ok := strings.CutPrefix(line, "Smart Inventory is running at "); ok {
			select {
			case urls <- strings.TrimSpace(u):
			default:
			}
		}
	}, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	select {
	case u := <-urls:
		if !strings.HasPrefix(u, "http://127.0.0.1:") {
			t.Fatalf("serve printed URL %q, want one on 127.0.0.1", u)
		}
		return &server{process: p, url: strings.TrimSuffix(u, "/") + "/"}
	case <-p.done:
		t.Fatalf("serve exited (%v) before printing its URL; stderr:\n%s", p.err, tail(p.stderr.String()))
	case <-time.After(startTimeout):
		t.Fatalf("serve printed no URL within %v; stderr:\n%s", startTimeout, tail(p.stderr.String()))
	}
	return nil
}

// runCLI runs bin with args to completion and returns stdout, stderr and
// the exit status.
func runCLI(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = childEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v: no exit within %v", args, cliTimeout)
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// checkDB runs `smartinventory check` on dsn and fails the test unless it
// exits 0.
func checkDB(t *testing.T, bin, dsn string) {
	t.Helper()
	out, errOut, code := runCLI(t, bin, "check", "--db", dsn)
	if code != 0 {
		t.Fatalf("check exited %d:\n%s\n%s", code, tail(out), tail(errOut))
	}
}

// adminToken creates an API token for the admin user that serve created.
func adminToken(t *testing.T, bin, dsn string) string {
	t.Helper()
	out, errOut, code := runCLI(t, bin, "tokens", "create", "admin", "--db", dsn)
	tok := strings.TrimSpace(out)
	if code != 0 || tok == "" || strings.ContainsAny(tok, " \n") {
		t.Fatalf("tokens create admin: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	return tok
}

// client is an HTTP client of one test's servers.
type client struct {
	http  *http.Client
	token string
}

func newClient(t *testing.T, token string) *client {
	tr := &http.Transport{MaxIdleConnsPerHost: 32, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{http: &http.Client{Transport: tr, Timeout: 20 * time.Second}, token: token}
}

// do sends a JSON request to base+path (path without the leading slash) and
// returns the status and body. err is a transport error.
func (c *client) do(method, base, path string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, b, nil
}

// must is do that fails the test unless the status is want, decoding the
// JSON answer into out when not nil.
func (c *client) must(t *testing.T, method, base, path string, body any, want int, out any) {
	t.Helper()
	status, b, err := c.do(method, base, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// product is the part of a product the tests read.
type product struct {
	ID    int64  `json:"id"`
	SKU   string `json:"sku"`
	Stock int64  `json:"stock"`
}

// sale is the part of a sale the tests read.
type sale struct {
	ID        int64      `json:"id"`
	ProductID int64      `json:"product_id"`
	Quantity  int64      `json:"quantity"`
	VoidedAt  *time.Time `json:"voided_at"`
}

// createProducts creates n products with stock each through the API.
func createProducts(t *testing.T, c *client, base string, n int, stock int64) []product {
	t.Helper()
	ps := make([]product, n)
	for i := range ps {
		c.must(t, "POST", base, "api/v1/products", map[string]any{
			"sku": fmt.Sprintf("CRASH-%d", i+1), "name": fmt.Sprintf("Crash test %d", i+1),
			"stock": stock, "unit_price": 2.5, "unit_cost": 1,
		}, http.StatusCreated, &ps[i])
		if ps[i].ID == 0 || ps[i].Stock != stock {
			t.Fatalf("created product %+v, want stock %d", ps[i], stock)
		}
	}
	return ps
}

// allSales lists every sale (voided or not) through the API, by id.
func allSales(t *testing.T, c *client, base string) map[int64]sale {
	t.Helper()
	const limit = 500
	out := map[int64]sale{}
	total := -1
	for offset, pages := 0, 0; total < 0 || offset < total; offset += limit {
		if pages++; pages > 10000 {
			t.Fatal("GET /sales: more than 10000 pages")
		}
		var page struct {
			Items []sale `json:"items"`
			Total int    `json:"total"`
		}
		c.must(t, "GET", base, fmt.Sprintf("api/v1/sales?voided=all&limit=%d&offset=%d", limit, offset), nil, http.StatusOK, &page)
		total = page.Total
		for _, s := range page.Items {
			out[s.ID] = s
		}
		if len(page.Items) == 0 {
			break
		}
	}
	if len(out) != total {
		t.Fatalf("GET /sales: %d distinct sales listed, total says %d", len(out), total)
	}
	return out
}

// tail returns the last lines of s, for failure messages.
func tail(s string) string {
	const max = 4000
	if len(s) > max {
		return "…" + s[len(s)-max:]
	}
	return s
}
