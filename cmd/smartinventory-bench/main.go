// Command smartinventory-bench load-tests the Smart Inventory server and
// prints requests per second, latency and memory per scenario. It is a
// development tool, built apart from the smartinventory binary so that the
// production binary does not carry the load generator (vegeta):
//
//	go run ./cmd/smartinventory-bench [--products N] [--days N] [--duration D] …
//
// It measures the real server the way it runs in production: as separate
// processes (`smartinventory serve --metrics` on 127.0.0.1), --replicas of
// them on one database, driven over loopback by vegeta in the bench process
// at a fixed concurrency: every scenario keeps --concurrency requests in
// flight for --duration (vegeta at an unlimited rate with exactly that many
// workers), spread round-robin over the replicas. The load generator shares
// the CPUs with the servers, so the figures are a lower bound for servers
// with the machine to themselves. The server processes are this program run
// as `smartinventory-bench serve …`, which is the smartinventory command
// line itself (cli.Main, the same code as the smartinventory binary), or
// the binary --server-bin names.
//
// Setup, in the bench process: a temporary database (SQLite in a temporary
// directory, a temporary schema on --db postgres://… or a temporary
// database on --db mysql://…, dropped at the end) is filled by the seeder (--products × --days of sales), a user and
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
//
// The files: main.go (flags, exit codes), run.go (the run from setup to
// report), setup.go (database, user, sign-in), scenarios.go (what each
// scenario requests, and the attack), servers.go (the server processes),
// proc.go (/proc figures, log tails) and report.go (the printed report).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"smartinventory/cli"
	"smartinventory/db"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the benchmark with args (without the program name) and returns
// the exit code: 0, 1 on failure, 2 on a usage error, 130 when interrupted.
// `serve …` runs the smartinventory command line instead: that is what the
// server processes are.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "serve" {
		return cli.Main(ctx, args, stdin, stdout, stderr)
	}
	env := &Env{Stdout: stdout, Stderr: stderr}
	cmd := newBenchCmd(env)
	cmd.SetArgs(args)
	cmd.SetIn(stdin)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return cli.ExitOK
	}
	fmt.Fprintln(stderr, "error:", err)
	var ue usageError
	var ie interruptedError
	switch {
	case errors.As(err, &ue):
		return cli.ExitUsage
	case errors.As(err, &ie):
		return 130
	}
	return cli.ExitError
}

// Env is what the benchmark prints to and the flags it shares with the
// smartinventory command line.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer

	DB     string // --db
	Output string // --output table|json
}

// usageError marks an error caused by wrong arguments or flags (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error.
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// interruptedError reports a run stopped by SIGINT/SIGTERM (exit 130).
type interruptedError struct{ err error }

func (e interruptedError) Error() string { return "interrupted" }
func (e interruptedError) Unwrap() error { return e.err }

// cliError reports context cancellation (Ctrl-C) as "interrupted"; other
// errors pass through.
func cliError(err error) error {
	if err != nil && errors.Is(err, context.Canceled) {
		return interruptedError{err}
	}
	return err
}

// benchOptions are the flags of bench.
type benchOptions struct {
	products, days int
	duration       time.Duration
	concurrency    int
	replicas       int
	scenarios      []string
	seed           int64
	cpuProfile     string // --cpuprofile: profile the servers
	serverBin      string // --server-bin: the server program ("": this one)
}

// benchSaleProducts is how many products the write scenarios sell.
const benchSaleProducts = 200

// benchBatchLines is the size of one POST /sales/batch.
const benchBatchLines = 1000

// benchMaxReplicas bounds --replicas.
const benchMaxReplicas = 16

// benchRSSTarget is the target for the server's peak RSS (the project's
// load-benchmark goals, as the README's table shows them).
const benchRSSTarget = 200 << 20

func newBenchCmd(env *Env) *cobra.Command {
	o := benchOptions{}
	cmd := &cobra.Command{
		Use:   "smartinventory-bench [--products N] [--days N] [--duration D] [--concurrency N] [--replicas N]",
		Short: "Load-test the server on a temporary database and print req/s and latency per scenario",
		Long: `Fill a temporary database with --products products and --days days of
sales and run the forecast batch, then start the server as --replicas
child processes ("smartinventory serve --metrics" on 127.0.0.1, their
output in temporary log files) and drive them over loopback with vegeta,
from this process, at --concurrency requests in flight for --duration per
scenario, spread round-robin over the replicas. It prints requests per
second, p50 and p99 latency and errors per scenario, the peak RSS (VmHWM)
of each server process (target < 200 MB) and, for information, that of
this process (the load generator).

The servers are this program run as "smartinventory-bench serve", which
is the smartinventory command line built into it (the same server code);
--server-bin PATH starts a smartinventory binary instead, e.g. one built
with go build -o smartinventory .

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
		Example: `  go run ./cmd/smartinventory-bench
  smartinventory-bench --products 200 --days 90 --duration 3s --scenarios list,detail,sale
  smartinventory-bench --db postgres://postgres@127.0.0.1/bench?sslmode=disable
  smartinventory-bench --db postgres://postgres@127.0.0.1/bench?sslmode=disable --replicas 2
  smartinventory-bench --db mysql://root@127.0.0.1:3306/test --replicas 2
  go build -o /tmp/smartinventory . && smartinventory-bench --server-bin /tmp/smartinventory`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("smartinventory-bench takes no arguments (got %d); see smartinventory-bench --help", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			if env.Output != cli.OutputTable && env.Output != cli.OutputJSON {
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
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	f := cmd.Flags()
	f.StringVar(&env.DB, "db", "", "database to fill: sqlite:FILE or postgres://… (default: a temporary SQLite file)")
	f.StringVarP(&env.Output, "output", "o", cli.OutputTable, "output format: table or json")
	f.IntVar(&o.products, "products", 2000, "products to create")
	f.IntVar(&o.days, "days", 730, "days of sales history to create")
	f.DurationVar(&o.duration, "duration", 10*time.Second, "how long each scenario runs")
	f.IntVar(&o.concurrency, "concurrency", 32, "requests in flight during each scenario")
	f.IntVar(&o.replicas, "replicas", 1, "server processes on the one database (more than 1 needs PostgreSQL or MySQL)")
	f.StringSliceVar(&o.scenarios, "scenarios", nil, "scenarios to run (default all): "+strings.Join(scenarioNames(), ","))
	f.Int64Var(&o.seed, "seed", 1, "seed of the generated data")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the server to this file (replica N > 1: FILE.N)")
	f.StringVar(&o.serverBin, "server-bin", "", "smartinventory binary to run as the server (default: this program's built-in server)")
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
