package cli

import (
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newAuditCmd) }

// newAuditCmd builds `audit`: the audit trail, newest first.
func newAuditCmd(env *Env) *cobra.Command {
	var (
		f        app.AuditFilter
		from, to string
	)
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit trail: who changed what, when and from where",
		Long: `audit lists audit events, newest first: every change to the catalogue, sales,
voids, stock adjustments and receipts, purchase orders, users, tokens,
comments and settings, with the user, the source (web, api:TOKEN, cli) and
the changed fields before and after. Audit events cannot be edited or deleted.`,
		Example: `  smartinventory audit --entity-type product --entity-id 42
  smartinventory audit --user alice --from 2026-11-01 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := localOnly(env, "audit"); err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			var err error
			if f.From, err = parseDayFlag("--from", from); err != nil {
				return err
			}
			if f.To, err = parseDayFlag("--to", to); err != nil {
				return err
			}
			if !f.To.IsZero() {
				f.To = f.To.AddDate(0, 0, 1) // --to includes that day
			}
			ctx := cmd.Context()
			a, closeDB, err := openServices(ctx, env)
			if err != nil {
				return err
			}
			defer closeDB()
			items, total, err := a.Audit.List(ctx, app.System, f)
			if err != nil {
				return cliError(err)
			}
			return render(env, listJSON[db.AuditEvent]{Items: items, Total: total}, items, []Column[db.AuditEvent]{
				{Header: "ID", Right: true, Value: func(e db.AuditEvent) string { return intCell(e.ID) }},
				{Header: "TIME", Value: func(e db.AuditEvent) string { return timeCell(e.CreatedAt) }},
				{Header: "USER", Value: func(e db.AuditEvent) string { return e.Username }},
				{Header: "SOURCE", Value: func(e db.AuditEvent) string { return e.Source }},
				{Header: "ACTION", Value: func(e db.AuditEvent) string { return e.Action }},
				{Header: "ENTITY", Value: func(e db.AuditEvent) string { return e.EntityType + " " + strconv.FormatInt(e.EntityID, 10) }},
				{Header: "BEFORE", Value: func(e db.AuditEvent) string { return e.Before }},
				{Header: "AFTER", Value: func(e db.AuditEvent) string { return e.After }},
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Username, "user", "", "only this user's events")
	fl.StringVar(&f.EntityType, "entity-type", "", "only this entity type (product, sale, purchase_order, user, ...)")
	fl.Int64Var(&f.EntityID, "entity-id", 0, "only this entity")
	fl.StringVar(&from, "from", "", "at or after this day (YYYY-MM-DD)")
	fl.StringVar(&to, "to", "", "up to and including this day (YYYY-MM-DD)")
	fl.IntVar(&f.Limit, "limit", app.DefaultPageSize, "events to show (at most 500)")
	fl.IntVar(&f.Offset, "offset", 0, "events to skip")
	return cmd
}

// parseDayFlag parses an optional YYYY-MM-DD flag value (usage error if bad).
func parseDayFlag(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(db.DayLayout, v)
	if err != nil {
		return time.Time{}, usagef("%s must be a date YYYY-MM-DD, got %q", name, v)
	}
	return t, nil
}
