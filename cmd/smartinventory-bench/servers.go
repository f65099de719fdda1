package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server processes
//
// Each replica is `PROGRAM serve --addr 127.0.0.1:PORT --metrics`, PROGRAM
// being this one (whose serve is the smartinventory command line, see
// run) or the --server-bin binary,
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

// benchServerEnv is added to the servers' environment. The tests run
// bench inside the test binary, which is then also the server program, and
// set it so that the test binary runs the command line instead of the
// tests (main_test.go).
var benchServerEnv []string

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

// startBenchServer starts replica, running program ("": this one), and
// waits until it is ready. When the port it was given was taken in the
// meantime, it tries another one.
func startBenchServer(ctx context.Context, program string, replica int, dsn, logDir string, extra []string) (*benchServer, error) {
	for attempt := 1; ; attempt++ {
		s, err := launchBenchServer(ctx, program, replica, dsn, logDir, extra)
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
func launchBenchServer(ctx context.Context, program string, replica int, dsn, logDir string, extra []string) (*benchServer, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	exe := program
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
	cmd.Env = append(append(os.Environ(), benchServerEnv...), "SMARTINV_DB="+dsn)
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
