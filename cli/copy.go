package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"smartinventory/db"
)

func init() { register(newCopyCmd) }

func newCopyCmd(env *Env) *cobra.Command {
	var from, to string
	var force bool
	cmd := &cobra.Command{
		Use:   "copy --from DSN --to DSN",
		Short: "Copy a whole shop between SQLite, PostgreSQL and MySQL databases",
		Long: `copy carries a whole shop from one database to another: every table the
migrations create (catalogue, stock ledger, sales, daily rollups, purchase
orders, users, API tokens, audit log, settings, forecasts, comments and the
web UI's secrets, so logins and sessions stay valid), between any two of
SQLite, PostgreSQL and MySQL/MariaDB. DSNs are written as for --db.

It migrates both databases, then reads the source in one snapshot (it may
keep serving meanwhile; writes after the copy starts are not carried) and
writes the target in batches, with a progress bar on a terminal, in ONE
transaction: the copy is all or nothing, not resumable. If anything fails
(or is interrupted) the target is left as it was; run copy again.

Before committing it verifies the target: every table has the source's row
count, and "check" (stock ledger and daily rollup) finds nothing. A source
that fails check is refused. Ids are kept, and the target's id counters
are moved past them so that new rows do not collide.

The target must be empty: a target that holds any row is refused unless
--force, which replaces its data (in the same transaction). Stop the
servers on the target while copying into it; the source may stay up.`,
		Example: `  smartinventory copy --from sqlite:shop.db --to 'postgres://shop:secret@db.internal/shop'
  smartinventory copy --from 'postgres://shop@db1/shop' --to 'mysql://shop:secret@db2:3306/shop' --force`,
		Args: exactArgs(0, "no arguments (use --from and --to)"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := localOnly(env, "copy"); err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			if from == "" || to == "" {
				return usagef("copy needs --from DSN and --to DSN")
			}
			if from == to {
				return usagef("--from and --to name the same database")
			}
			ctx := cmd.Context()
			src, err := openMigrated(ctx, from, "--from")
			if err != nil {
				return err
			}
			defer src.Close()
			dst, err := openMigrated(ctx, to, "--to")
			if err != nil {
				return err
			}
			defer dst.Close()
			opt := db.CopyOptions{Force: force}
			var bar *progressbar.ProgressBar
			if fdIsTerminal(env.Stderr) {
				opt.Progress = func(done, total int64) {
					if bar == nil {
						bar = newRowsProgress(env.Stderr, total)
					}
					_ = bar.Set64(done)
				}
			}
			rep, err := db.Copy(ctx, src, dst, opt)
			if bar != nil {
				_ = bar.Finish()
			}
			if errors.Is(err, db.ErrTargetNotEmpty) {
				return refused{fmt.Sprintf("copy: %v", err)}
			}
			if err != nil {
				return err
			}
			if err := render(env, rep, rep.Tables, copyColumns); err != nil || env.Output != OutputTable {
				return err
			}
			_, err = fmt.Fprintf(env.Stdout, "copied %d rows from %s to %s in %.1f s; check: ok\n",
				rep.Rows, db.RedactDSN(from), db.RedactDSN(to), rep.Seconds)
			return err
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the source database (DSN as for --db)")
	cmd.Flags().StringVar(&to, "to", "", "the target database (DSN as for --db)")
	cmd.Flags().BoolVar(&force, "force", false, "replace the data of a target that is not empty")
	return cmd
}

// copyColumns describe one copied table.
var copyColumns = []Column[db.TableCount]{
	{Header: "TABLE", Value: func(t db.TableCount) string { return t.Table }},
	{Header: "ROWS", Right: true, Value: func(t db.TableCount) string { return intCell(t.Rows) }},
}

// openMigrated opens dsn and applies its pending migrations; which names
// the flag in errors.
func openMigrated(ctx context.Context, dsn, which string) (*db.DB, error) {
	bdb, err := db.OpenMigrated(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", which, err)
	}
	return bdb, nil
}

// newRowsProgress returns a progress bar over total rows on w (a terminal).
func newRowsProgress(w io.Writer, total int64) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("rows"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}
