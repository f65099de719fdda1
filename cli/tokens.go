package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newTokensCmd) }

// newTokensCmd builds `tokens create|list|revoke`.
func newTokensCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tokens",
		Short: "Create, list and revoke API tokens (local database)",
		Example: `  TOKEN=$(smartinventory tokens create alice --name laptop --expires 30d)
  smartinventory tokens list alice
  smartinventory tokens revoke 7`,
		Long: `Manage API tokens. A token acts as its user, with the user's role, in
requests to the JSON API:

  curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/api/v1/products

Only a hash of each token is stored: the secret is shown once, by create.`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	cmd.AddCommand(newTokensCreateCmd(env), newTokensListCmd(env), newTokensRevokeCmd(env))
	return cmd
}

// newTokensCreateCmd builds `tokens create USERNAME`.
func newTokensCreateCmd(env *Env) *cobra.Command {
	var (
		name    string
		expires string
	)
	cmd := &cobra.Command{
		Use:   "create USERNAME",
		Short: "Create an API token and print its secret",
		Example: `  smartinventory tokens create alice --name laptop
  TOKEN=$(smartinventory tokens create ci-bot --name ci --expires 90d)`,
		Long: `Create an API token for USERNAME. Only the secret (si_…) is written to
stdout, followed by a newline, so it can be captured:

  TOKEN=$(smartinventory tokens create admin --name ci --expires 30d)

--expires takes a Go duration (720h, 90m) or a number of days (30d);
0, the default, means the token never expires.`,
		Args: exactArgs(1, "USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := localOnly(env, "tokens create"); err != nil {
				return err
			}
			ttl, err := parseTTL(expires)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			a, closeDB, err := openServices(ctx, env)
			if err != nil {
				return err
			}
			defer closeDB()
			tok, err := a.Users.CreateToken(ctx, app.System, args[0], name, ttl)
			if err != nil {
				return cliError(err)
			}
			exp := "never expires"
			if tok.Token.ExpiresAt != nil {
				exp = "expires " + timeCell(*tok.Token.ExpiresAt)
			}
			fmt.Fprintf(env.Stderr, "created token %d %q for %s (%s); the secret is shown once\n", tok.Token.ID, tok.Token.Name, args[0], exp)
			fmt.Fprintln(env.Stdout, tok.Secret)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "cli", "a name to tell the token apart (e.g. the script or machine using it)")
	f.StringVar(&expires, "expires", "0", "lifetime, e.g. 720h or 30d; 0 = never")
	return cmd
}

// parseTTL parses --expires: a Go duration, a whole number of days ("30d"),
// or 0 for no expiry. Negative values are usage errors.
func parseTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*365 {
			return 0, usagef("invalid --expires %q: use a duration like 720h or a number of days like 30d", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		d, err = time.ParseDuration(s)
		if err != nil {
			return 0, usagef("invalid --expires %q: use a duration like 720h or a number of days like 30d", s)
		}
	}
	if d < 0 {
		return 0, usagef("invalid --expires %q: must not be negative", s)
	}
	return d, nil
}

// newTokensListCmd builds `tokens list USERNAME`.
func newTokensListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list USERNAME",
		Short: "List a user's API tokens (--output table|json|csv)",
		Example: `  smartinventory tokens list alice
  smartinventory tokens list alice -o json`,
		Long: `List a user's API tokens. Secrets are never shown; PREFIX is the start of
each secret, to tell tokens apart. STATUS is active, expired or revoked.`,
		Args: exactArgs(1, "USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := localOnly(env, "tokens list"); err != nil {
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
			tokens, err := a.Users.ListTokens(ctx, app.System, args[0])
			if err != nil {
				return cliError(err)
			}
			return renderList(env, tokens, tokenColumns(time.Now()))
		},
	}
}

// tokenColumns are the columns of `tokens list`; now decides which tokens
// have expired.
func tokenColumns(now time.Time) []Column[db.APIToken] {
	return []Column[db.APIToken]{
		{Header: "ID", Right: true, Value: func(t db.APIToken) string { return intCell(t.ID) }},
		{Header: "NAME", Value: func(t db.APIToken) string { return t.Name }},
		{Header: "PREFIX", Value: func(t db.APIToken) string { return t.Prefix }},
		{Header: "STATUS", Value: func(t db.APIToken) string { return tokenStatus(t, now) }},
		{Header: "CREATED", Key: "created_at", Value: func(t db.APIToken) string { return timeCell(t.CreatedAt) }},
		{Header: "LAST USED", Key: "last_used_at", Value: func(t db.APIToken) string { return optTimeCell(t.LastUsedAt) }},
		{Header: "EXPIRES", Key: "expires_at", Value: func(t db.APIToken) string { return optTimeCell(t.ExpiresAt) }},
	}
}

// tokenStatus is "revoked", "expired" or "active".
func tokenStatus(t db.APIToken, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return "expired"
	}
	return "active"
}

// newTokensRevokeCmd builds `tokens revoke ID`.
func newTokensRevokeCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "revoke ID",
		Short:   "Revoke an API token by id (see tokens list)",
		Example: `  smartinventory tokens revoke 7`,
		Long: `Revoke an API token: requests using it are refused from now on.
Revoking a token that is already revoked succeeds and changes nothing.`,
		Args: exactArgs(1, "a token ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := localOnly(env, "tokens revoke"); err != nil {
				return err
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("invalid token ID %q: use the number in the ID column of `tokens list`", args[0])
			}
			ctx := cmd.Context()
			a, closeDB, err := openServices(ctx, env)
			if err != nil {
				return err
			}
			defer closeDB()
			if err := a.Users.RevokeToken(ctx, app.System, id); err != nil {
				return cliError(err)
			}
			fmt.Fprintf(env.Stderr, "revoked token %d\n", id)
			return nil
		},
	}
}
