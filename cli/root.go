// Package cli implements the smartinventory command line: the server, database
// maintenance, demo data, and the terminal client.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes, documented in the README.
const (
	ExitOK           = 0
	ExitError        = 1
	ExitUsage        = 2
	ExitConflict     = 3
	ExitNotFound     = 4
	ExitUnauthorized = 5
)

// Env carries what every subcommand needs: the standard streams and the
// global flags. Subcommands read flags from it only when they run.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	DB     string // --db / SMARTINV_DB
	Addr   string // --addr / SMARTINV_ADDR
	Output string // --output table|json|csv
	Server string // --server / SMARTINV_SERVER
	Token  string // --token / SMARTINV_TOKEN
	Sync   string // --sync normal|full / SMARTINV_SYNC
}

// commandFactories holds the constructors of the top-level subcommands; each
// subcommand file registers its own in init so files stay independent.
var commandFactories []func(*Env) *cobra.Command

// register adds a top-level subcommand constructor.
func register(f func(*Env) *cobra.Command) { commandFactories = append(commandFactories, f) }

// usageError marks an error caused by wrong arguments or flags (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error (exit code 2).
func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitCoder lets an error choose the process exit code.
type exitCoder interface{ ExitCode() int }

// Main runs the command line with args (without the program name) and
// returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	root := newRootCmd(env)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(stderr, "error:", err)
	return exitCode(err)
}

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	var ec exitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return ExitError
}

func newRootCmd(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "smartinventory",
		Short: "Inventory, sales and demand forecasting for shops and warehouses",
		Long: `smartinventory manages products, suppliers, stock and sales, forecasts each
product's demand and tells the team when and how much to reorder.

Start the web UI and API with demo data:
  smartinventory serve --demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&env.DB, "db", envOr("SMARTINV_DB", "sqlite:smartinventory.db"), "database: sqlite:FILE, postgres://… or mysql://USER:PASS@HOST:PORT/DB (env SMARTINV_DB)")
	pf.StringVar(&env.Addr, "addr", envOr("SMARTINV_ADDR", ":8080"), "listen address for serve (env SMARTINV_ADDR)")
	pf.StringVarP(&env.Output, "output", "o", "table", "output format: table, json or csv")
	pf.StringVar(&env.Server, "server", os.Getenv("SMARTINV_SERVER"), "run against a remote server URL instead of the local database (env SMARTINV_SERVER)")
	pf.StringVar(&env.Token, "token", os.Getenv("SMARTINV_TOKEN"), "API token for --server (env SMARTINV_TOKEN)")
	pf.StringVar(&env.Sync, "sync", envOr("SMARTINV_SYNC", "normal"), "SQLite durability: normal, or full to survive power loss at a cost in write speed (env SMARTINV_SYNC)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	for _, f := range commandFactories {
		root.AddCommand(f(env))
	}
	usageArgs(root)
	return root
}

// usageArgs makes every command's argument-count errors usage errors (exit
// 2), whichever validator (cobra.NoArgs, ExactArgs, ...) the command uses.
func usageArgs(cmd *cobra.Command) {
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				var ue usageError
				if errors.As(err, &ue) {
					return err
				}
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		usageArgs(sub)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
