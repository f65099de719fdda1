package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"smartinventory/app"
)

func init() { register(newSecretCmd) }

// newSecretCmd builds `secret rotate`.
func newSecretCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secret",
		Short: "Manage the web UI's signing secret",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "rotate",
		Short: "Replace the signing secret and end every web session",
		Long: `rotate replaces the secret (stored in the database, table web_secrets) from
which the web UI derives the keys that sign anonymous session cookies, CSRF
tokens and flash messages, and ends every signed-in web session, in one
transaction. Everyone signs in again; API tokens keep working.

Use it when a copy of the database or a backup may have been read by
someone else. Running servers pick up the new secret as soon as their
change watcher hears of it (at once on PostgreSQL, within a fraction of a
second on SQLite); no restart is needed. Needs a local database (--db).`,
		Example: `  smartinventory secret rotate
  smartinventory --db postgres://app@db/inventory secret rotate`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := localOnly(env, "secret rotate"); err != nil {
				return err
			}
			ctx := cmd.Context()
			bdb, err := env.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			ended, err := app.New(bdb, app.Options{}).Sessions.RotateSecret(ctx, app.System)
			if err != nil {
				return cliError(err)
			}
			fmt.Fprintf(env.Stderr, "Rotated the signing secret; %d web sessions ended.\n", ended)
			return nil
		},
	})
	return cmd
}
