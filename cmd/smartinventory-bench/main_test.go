package main

import (
	"bytes"
	"context"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testRunServerEnv, set to 1, makes the test binary this program: it runs
// the command line instead of the tests.
const testRunServerEnv = "SMARTINV_TEST_RUN_BENCH"

// TestMain lets the test binary stand in for this program. bench starts
// its servers as child processes of os.Executable(), which in tests is
// this binary: with testRunServerEnv=1 in its environment it runs run with
// its arguments ("serve …"), as main does, and exits with its code.
// Otherwise it runs the tests, with bench's servers started that way.
func TestMain(m *testing.M) {
	if os.Getenv(testRunServerEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	benchServerEnv = []string{testRunServerEnv + "=1"}
	os.Exit(m.Run())
}

// result is the exit code and output of a run.
type result struct {
	code           int
	stdout, stderr string
}

// runBenchCmd runs the program with args and returns its exit code and
// output. It fails the test if the run takes longer than a minute.
func runBenchCmd(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
	if ctx.Err() != nil {
		t.Fatalf("smartinventory-bench %s: timed out", strings.Join(args, " "))
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun runs the program and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := runBenchCmd(t, args...)
	if r.code != 0 {
		t.Fatalf("smartinventory-bench %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
