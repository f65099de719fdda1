package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newUsersCmd) }

// newUsersCmd builds `users create|list`.
func newUsersCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Create and list user accounts (local database)",
		Example: `  smartinventory users create alice --role manager --display-name "Alice Smith"
  smartinventory users list -o csv`,
		Long: `Manage the people who log in to the web UI and own API tokens.

These commands work on the database named by --db directly, as an
administrator: whoever can open the database can manage its users.`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	cmd.AddCommand(newUsersCreateCmd(env), newUsersListCmd(env))
	return cmd
}

// newUsersCreateCmd builds `users create NAME --role R`.
func newUsersCreateCmd(env *Env) *cobra.Command {
	var (
		role        string
		displayName string
		pwStdin     bool
	)
	cmd := &cobra.Command{
		Use:   "create NAME --role admin|manager|clerk|viewer",
		Short: "Create a user",
		Long: `Create a user with a role:

  viewer   reads everything
  clerk    also records sales, voids, stock adjustments and receipts
  manager  also edits the catalogue, suppliers and purchase orders
  admin    also manages users and tokens

With --password-stdin the password is read from the first line of stdin
(prompted without echo on a terminal) and nothing is written to stdout.
Without it a random password is generated and printed on stdout, alone on
one line, so scripts can capture it.`,
		Example: `  smartinventory users create alice --role manager --display-name "Alice Smith"
  printf '%s\n' "$PASSWORD" | smartinventory users create bob --role clerk --password-stdin`,
		Args: exactArgs(1, "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := localOnly(env, "users create"); err != nil {
				return err
			}
			if role == "" {
				return usagef("users create needs --role (admin, manager, clerk or viewer)")
			}
			r := db.Role(strings.ToLower(strings.TrimSpace(role)))
			if !r.Valid() {
				return usagef("--role must be admin, manager, clerk or viewer (got %q)", role)
			}
			var password string
			generated := !pwStdin
			if pwStdin {
				pw, err := readPassword(env)
				if err != nil {
					return err
				}
				password = pw
			} else {
				pw, err := app.RandomPassword()
				if err != nil {
					return err
				}
				password = pw
			}
			return runUsersCreate(cmd.Context(), env, app.UserInput{
				Username:    &args[0],
				DisplayName: &displayName,
				Role:        &r,
				Password:    &password,
			}, generated)
		},
	}
	f := cmd.Flags()
	f.StringVar(&role, "role", "", "role: admin, manager, clerk or viewer (required)")
	f.StringVar(&displayName, "display-name", "", "name shown in the UI")
	f.BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of stdin")
	return cmd
}

func runUsersCreate(ctx context.Context, env *Env, in app.UserInput, generated bool) error {
	a, closeDB, err := openServices(ctx, env)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := a.Users.CreateUser(ctx, app.System, in)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(env.Stderr, "created user %s (%s, id %d)\n", u.Username, u.Role, u.ID)
	if generated {
		fmt.Fprintln(env.Stderr, "generated password (shown once):")
		fmt.Fprintln(env.Stdout, *in.Password)
	}
	return nil
}

// maxPasswordLine bounds what --password-stdin reads.
const maxPasswordLine = 4096

// readPassword reads the password for --password-stdin: the first line of
// stdin without its line ending, or a no-echo prompt on a terminal.
func readPassword(env *Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && fdIsTerminal(f) {
		fmt.Fprint(env.Stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password from terminal: %w", err)
		}
		return string(b), nil
	}
	r := bufio.NewReader(io.LimitReader(env.Stdin, maxPasswordLine))
	line, err := r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	if errors.Is(err, io.EOF) && len(line) == maxPasswordLine {
		return "", usagef("--password-stdin: the first line of stdin is longer than %d bytes", maxPasswordLine)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", usagef("--password-stdin: stdin is empty; pipe the password in, e.g. printf '%%s\\n' \"$PW\" | smartinventory users create …")
	}
	return line, nil
}

// newUsersListCmd builds `users list`.
func newUsersListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List users (--output table|json|csv)",
		Example: `  smartinventory users list
  smartinventory users list -o csv > users.csv`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := localOnly(env, "users list"); err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			ctx := cmd.Context()
			a, closeDB, err := openServices(ctx, env)
			if err != nil {
				return err
			}
			defer closeDB()
			users, err := a.Users.ListUsers(ctx, app.System)
			if err != nil {
				return cliError(err)
			}
			return renderList(env, users, userColumns)
		},
	}
}

// userColumns are the columns of `users list`.
var userColumns = []Column[db.User]{
	{Header: "ID", Right: true, Value: func(u db.User) string { return intCell(u.ID) }},
	{Header: "USERNAME", Value: func(u db.User) string { return u.Username }},
	{Header: "DISPLAY NAME", Value: func(u db.User) string { return u.DisplayName }},
	{Header: "ROLE", Value: func(u db.User) string { return string(u.Role) }},
	{Header: "ACTIVE", Value: func(u db.User) string { return boolCell(u.Active) }},
	{Header: "LAST LOGIN", Value: func(u db.User) string { return optTimeCell(u.LastLoginAt) }},
	{Header: "CREATED", Key: "created_at", Value: func(u db.User) string { return timeCell(u.CreatedAt) }},
}

// openServices opens and migrates the local database and returns the
// services over it and a function that closes it.
func openServices(ctx context.Context, env *Env) (*app.App, func(), error) {
	if _, _, err := db.ParseDSN(env.DB); err != nil {
		return nil, nil, usagef("--db: %v", err)
	}
	bdb, err := env.openDB(ctx)
	if err != nil {
		return nil, nil, cliError(err)
	}
	return app.New(bdb, app.Options{}), func() { _ = bdb.Close() }, nil
}

// localOnly refuses --server for commands that only work on a local
// database, rather than silently ignoring it.
func localOnly(env *Env, command string) error {
	if env.Server != "" {
		return usagef("%s works on the local database only; unset --server/SMARTINV_SERVER and use --db", command)
	}
	return nil
}

// exactArgs is cobra.ExactArgs returning a usage error (exit 2) that names
// the expected arguments; cobra's own validators return plain errors,
// which would exit 1.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s takes %s (got %d argument(s)); see %s --help", cmd.CommandPath(), names, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// subcommandArgs rejects anything but a known subcommand (which cobra
// dispatches before Args is checked) with a usage error.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q; see %s --help", args[0], cmd.CommandPath(), cmd.CommandPath())
	}
	return nil
}

// missingSubcommand is the RunE of a command group run without a
// subcommand: usage on stderr, exit 2.
func missingSubcommand(cmd *cobra.Command, _ []string) error {
	fmt.Fprint(cmd.ErrOrStderr(), cmd.UsageString())
	return usagef("%s needs a subcommand", cmd.CommandPath())
}
