package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

// testRunCLIEnv, set to 1, makes the test binary the smartinventory
// program: it runs the command line instead of the tests.
const testRunCLIEnv = "SMARTINV_TEST_RUN_CLI"

// TestMain lets the test binary stand in for the smartinventory binary.
// bench starts its servers as child processes of os.Executable(), which in
// tests is this binary: with testRunCLIEnv=1 in its environment it runs
// Main with its arguments, as main.go does (SIGINT and SIGTERM cancel the
// context), and exits with its code. Otherwise it runs the tests, with
// bench's servers started that way.
func TestMain(m *testing.M) {
	if os.Getenv(testRunCLIEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	benchServerCommand.env = []string{testRunCLIEnv + "=1"}
	os.Exit(m.Run())
}
