package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/db"
)

func init() { register(newMigrateCmd) }

// newMigrateCmd builds `migrate [up|status|down]`.
func newMigrateCmd(env *Env) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "migrate [up|status|down]",
		Short: "Apply, list or roll back database migrations (default: up)",
		Long: `Manage the database schema named by --db.

  up      apply every pending migration (the default; serve does this too)
  status  list every migration and when it was applied (--output table|json|csv)
  down    roll back the last group of migrations; this drops the tables and
          data they created, so it needs --yes

Messages go to stderr; only "status" writes to stdout.`,
		Example: `  smartinventory migrate
  smartinventory migrate status --output json
  smartinventory --db postgres://app@db/inventory migrate down --yes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("migrate takes one action: up, status or down")
			}
			return nil
		},
		ValidArgs: []string{"up", "status", "down"},
		RunE: func(cmd *cobra.Command, args []string) error {
			action := "up"
			if len(args) == 1 {
				action = args[0]
			}
			switch action {
			case "up", "status":
			case "down":
				if !yes {
					return usagef("migrate down drops tables and their data: pass --yes to confirm")
				}
			default:
				return usagef("unknown migrate action %q: use up, status or down", action)
			}
			if action == "status" {
				if err := env.checkOutput(); err != nil {
					return err
				}
			}
			return runMigrate(cmd, env, action)
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm `migrate down`")
	return cmd
}

func runMigrate(cmd *cobra.Command, env *Env, action string) error {
	ctx := cmd.Context()
	if _, _, err := db.ParseDSN(env.DB); err != nil {
		return usagef("--db: %v", err)
	}
	bdb, err := db.Open(ctx, env.DB)
	if err != nil {
		return cliError(err)
	}
	defer bdb.Close()

	switch action {
	case "status":
		states, err := db.MigrationStatus(ctx, bdb)
		if err != nil {
			return cliError(err)
		}
		return renderList(env, states, migrationColumns)
	case "down":
		names, err := db.Rollback(ctx, bdb)
		if err != nil {
			return cliError(err)
		}
		if len(names) == 0 {
			fmt.Fprintln(env.Stderr, "nothing to roll back")
			return nil
		}
		fmt.Fprintf(env.Stderr, "rolled back %d migration(s): %s\n", len(names), strings.Join(names, ", "))
		return nil
	default:
		names, err := db.Migrate(ctx, bdb)
		if err != nil {
			return cliError(err)
		}
		if len(names) == 0 {
			fmt.Fprintln(env.Stderr, "database is up to date")
			return nil
		}
		fmt.Fprintf(env.Stderr, "applied %d migration(s): %s\n", len(names), strings.Join(names, ", "))
		return nil
	}
}

// migrationColumns are the columns of `migrate status`.
var migrationColumns = []Column[db.MigrationState]{
	{Header: "MIGRATION", Key: "name", Value: func(m db.MigrationState) string { return m.Name }},
	{Header: "APPLIED", Value: func(m db.MigrationState) string { return boolCell(m.Applied) }},
	{Header: "APPLIED AT", Value: func(m db.MigrationState) string { return timeCell(m.AppliedAt) }},
}
