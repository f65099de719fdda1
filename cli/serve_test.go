package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/cli"
)

// serving is a `smartinventory serve` running in the test process.
type serving struct {
	url            string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

var urlRE = regexp.MustCompile(`running at (http://\S+/)`)

// startServe runs `serve` with args on 127.0.0.1:0 and waits until it
// prints its URL. The server is stopped when the test ends.
func startServe(t *testing.T, dsn string, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	argv := append([]string{"--db", dsn, "--addr", "127.0.0.1:0", "serve"}, args...)
	go func() { s.done <- cli.Main(ctx, argv, strings.NewReader(""), s.stdout, s.stderr) }()
	t.Cleanup(func() { s.stop(t) })

	deadline := time.After(2 * time.Minute) // --demo seeds first
	for s.url == "" {
		select {
		case code := <-s.done:
			s.done <- code
			t.Fatalf("serve exited with %d before printing its URL\nstdout: %s\nstderr: %s", code, s.stdout, s.stderr)
		case <-deadline:
			t.Fatalf("serve printed no URL\nstdout: %s\nstderr: %s", s.stdout, s.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if m := urlRE.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
		}
	}
	return s
}

// stop cancels the server's context (as SIGINT does) and returns its exit
// code; it fails the test if the server does not stop within 15 seconds.
func (s *serving) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code
		return code
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not stop within 15s of cancellation")
		return -1
	}
}

var loginRE = regexp.MustCompile(`(?m)^Login: (\S+) / (\S+)`)

// login returns the username and password serve printed, if any.
func (s *serving) login() (string, string, bool) {
	m := loginRE.FindStringSubmatch(s.stdout.String())
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// get requests path with an optional bearer token and returns the status.
func get(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp.StatusCode, body
}

func TestServeFirstRunPrintsAdminLogin(t *testing.T) {
	t.Parallel()
	dsn := tempDSN(t)
	s := startServe(t, dsn)
	ctx := context.Background()

	// /readyz answers 503 until the warm-up (restock and KPI caches) is
	// done, then 200 for good.
	code, body := get(t, s.url+"readyz", "")
	for deadline := time.Now().Add(60 * time.Second); code == http.StatusServiceUnavailable && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		code, body = get(t, s.url+"readyz", "")
	}
	if code != http.StatusOK {
		t.Errorf("GET /readyz: %d %s", code, body)
	}
	user, pw, ok := s.login()
	if !ok || user != "admin" {
		t.Fatalf("stdout %q: want Login: admin / PASSWORD", s.stdout)
	}
	a, bdb := openAppDB(t, dsn)
	u, err := a.Users.Authenticate(ctx, user, pw)
	if err != nil || u.Role != "admin" {
		t.Fatalf("log in with the printed password: user %v, err %v", u, err)
	}
	tok, err := a.Users.CreateToken(ctx, app.ActorFor(u, "test"), "admin", "serve test", 0)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, s.url+"api/v1/products", tok.Secret); code != http.StatusOK {
		t.Errorf("GET /api/v1/products with the admin's token: %d %s", code, body)
	}
	if code, _ := get(t, s.url+"api/v1/products", ""); code != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/products without a token: %d, want 401", code)
	}
	// The web UI is mounted: / leads a signed-out browser to the login page.
	if code, body := get(t, s.url, ""); code != http.StatusOK || !strings.Contains(strings.ToLower(string(body)), "<form") {
		t.Errorf("GET / (following redirects): %d, want 200 and the login form", code)
	}

	if code := s.stop(t); code != 0 {
		t.Errorf("exit %d after cancellation, want 0\nstderr: %s", code, s.stderr)
	}
	// stderr is not a terminal here: every log line must be JSON, and the
	// password must not be in the logs.
	for _, line := range strings.Split(strings.TrimSpace(s.stderr.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("stderr line is not JSON: %q", line)
		}
	}
	if strings.Contains(s.stderr.String(), pw) {
		t.Errorf("the admin password leaked into the logs")
	}
	if strings.Count(s.stdout.String(), "\n") != 2 {
		t.Errorf("stdout %q: want the URL and the login lines only", s.stdout)
	}

	// The password is printed only once: a restart prints no login, and
	// --demo on a database with users changes nothing.
	again := startServe(t, dsn, "--demo")
	if _, _, ok := again.login(); ok {
		t.Errorf("second start printed a login again: %q", again.stdout)
	}
	if code := again.stop(t); code != 0 {
		t.Errorf("second start: exit %d", code)
	}
	if !strings.Contains(again.stderr.String(), "--demo ignored") {
		t.Errorf("second start with --demo: stderr does not say --demo was ignored: %s", again.stderr)
	}
	if n, err := bdb.NewSelect().Table("products").Count(ctx); err != nil || n != 0 {
		t.Errorf("--demo on a database with users created %d products (%v)", n, err)
	}
}

func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two years of demo data")
	}
	if raceDetector {
		// Seeding takes ~2 s, but 1-2 min under -race on a busy machine.
		// .ci/run checks serve --demo with the real binary instead.
		t.Skip("seeds two years of demo data: too slow under -race")
	}
	t.Parallel()
	dsn := tempDSN(t)
	s := startServe(t, dsn, "--demo")
	user, pw, ok := s.login()
	if !ok || user != "demo" {
		t.Fatalf("stdout %q: want Login: demo / PASSWORD", s.stdout)
	}
	a := openApp(t, dsn)
	ctx := context.Background()
	u, err := a.Users.Authenticate(ctx, user, pw)
	if err != nil {
		t.Fatalf("log in as demo: %v", err)
	}
	tok, err := a.Users.CreateToken(ctx, app.ActorFor(u, "test"), user, "serve test", 0)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(t, s.url+"api/v1/products?limit=1", tok.Secret)
	var page struct {
		Total int `json:"total"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &page) != nil || page.Total < 100 {
		t.Errorf("GET /api/v1/products: %d, total %d; want 200 and the demo catalogue", code, page.Total)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit %d after cancellation, want 0", code)
	}
}

func TestServeUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad addr", []string{"--db", tempDSN(t), "--addr", "8080", "serve"}, "--addr"},
		{"bad db", []string{"--db", "oracle://x", "serve"}, "--db"},
		{"extra argument", []string{"--db", tempDSN(t), "serve", "now"}, "no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 mentioning %q", r.code, r.stderr, tt.want)
			}
		})
	}
}
