package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"smartinventory/app"
	"smartinventory/cli"
	"smartinventory/db"
	"smartinventory/db/dbtest"
)

// result is what one run of the command line produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs cli.Main with args and stdin and returns its exit code and
// output. It fails the test if the command takes longer than a minute.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := cli.Main(ctx, args, strings.NewReader(stdin), &stdout, &stderr)
	if ctx.Err() != nil {
		t.Fatalf("smartinventory %s: timed out", strings.Join(args, " "))
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	r := runCLI(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("smartinventory %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// tempDSN returns the --db value of a new SQLite file for the test.
func tempDSN(t *testing.T) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "cli.db")
}

// openApp opens (and migrates) the database at dsn for checks behind the
// command line's back.
func openApp(t *testing.T, dsn string) *app.App {
	t.Helper()
	return app.New(dbtest.OpenDSN(t, dsn), app.Options{})
}

// openAppDB is openApp that also returns the database, for tests that
// check what the commands stored.
func openAppDB(t *testing.T, dsn string) (*app.App, *db.DB) {
	t.Helper()
	bdb := dbtest.OpenDSN(t, dsn)
	return app.New(bdb, app.Options{}), bdb
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
