package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"smartinventory/db"
)

func init() { register(newCheckCmd) }

// checkFailed is returned when the check finds mismatches (exit code 1).
type checkFailed struct{ total int }

func (e checkFailed) Error() string {
	return fmt.Sprintf("check failed: %d mismatches", e.total)
}

func (e checkFailed) ExitCode() int { return ExitError }

func newCheckCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify the stock ledger and the daily sales rollup",
		Long: `check verifies, for every product, that the stock equals the sum of its stock
movements and the balance of its latest movement, and that the daily sales
rollup equals the sum of the non-voided sales per UTC day. It prints the
mismatches and exits with status 1 when there are any.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if env.Output != "table" && env.Output != "json" {
				return usagef("--output: check supports table or json, got %q", env.Output)
			}
			ctx := cmd.Context()
			bdb, err := env.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			rep, err := db.Check(ctx, bdb)
			if err != nil {
				return err
			}
			if err := printCheckReport(env.Stdout, env.Output, rep); err != nil {
				return err
			}
			if !rep.OK() {
				return checkFailed{total: rep.Total}
			}
			return nil
		},
	}
}

func printCheckReport(w io.Writer, format string, rep *db.CheckReport) error {
	if format == "json" {
		out := struct {
			OK bool `json:"ok"`
			*db.CheckReport
		}{rep.OK(), rep}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if rep.OK() {
		_, err := fmt.Fprintf(w, "ok: %d products, %d sales consistent\n", rep.Products, rep.Sales)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PRODUCT\tSKU\tCHECK\tDAY\tEXPECTED\tACTUAL\tDETAIL")
	for _, m := range rep.Mismatches {
		exp, act := fmt.Sprint(m.Expected), fmt.Sprint(m.Actual)
		if m.What == db.CheckDailyRevenue {
			exp, act = db.Money(m.Expected).String(), db.Money(m.Actual).String()
		}
		day := m.Day
		if day == "" {
			day = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ProductID, m.SKU, m.What, day, exp, act, m.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if rep.Total > len(rep.Mismatches) {
		fmt.Fprintf(w, "… and %d more\n", rep.Total-len(rep.Mismatches))
	}
	_, err := fmt.Fprintf(w, "%d mismatches in %d products, %d sales\n", rep.Total, rep.Products, rep.Sales)
	return err
}
