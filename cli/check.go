package cli

import (
	"fmt"

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
		Example: `  smartinventory check
  smartinventory --db postgres://app@db/inventory check -o json`,
		Long: `check verifies, for every product, that the stock equals the sum of its stock
movements and the balance of its latest movement, and that the daily sales
rollup equals the sum of the non-voided sales per day in the shop's time
zone (shop.time_zone). It prints the mismatches and exits with status 1 when
there are any.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := localOnly(env, "check"); err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
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
			if err := printCheckReport(env, rep); err != nil {
				return err
			}
			if !rep.OK() {
				return checkFailed{total: rep.Total}
			}
			return nil
		},
	}
}

// checkColumns describe a mismatch in table and CSV output.
var checkColumns = []Column[db.Mismatch]{
	{Header: "PRODUCT", Key: "product_id", Right: true, Value: func(m db.Mismatch) string { return intCell(m.ProductID) }},
	{Header: "SKU", Value: func(m db.Mismatch) string { return m.SKU }},
	{Header: "CHECK", Key: "what", Value: func(m db.Mismatch) string { return m.What }},
	{Header: "DAY", Value: func(m db.Mismatch) string { return m.Day }},
	{Header: "EXPECTED", Right: true, Value: func(m db.Mismatch) string { return checkAmount(m, m.Expected) }},
	{Header: "ACTUAL", Right: true, Value: func(m db.Mismatch) string { return checkAmount(m, m.Actual) }},
	{Header: "DETAIL", Value: func(m db.Mismatch) string { return m.Detail }},
}

// checkAmount formats v as money for revenue mismatches, else as a count.
func checkAmount(m db.Mismatch, v int64) string {
	if m.What == db.CheckDailyRevenue {
		return db.Money(v).String()
	}
	return intCell(v)
}

// checkJSON is the JSON shape of check's result.
type checkJSON struct {
	OK bool `json:"ok"`
	*db.CheckReport
}

func printCheckReport(env *Env, rep *db.CheckReport) error {
	if env.Output != OutputTable {
		return render(env, checkJSON{rep.OK(), rep}, rep.Mismatches, checkColumns)
	}
	if rep.OK() {
		_, err := fmt.Fprintf(env.Stdout, "ok: %d products, %d sales consistent\n", rep.Products, rep.Sales)
		return err
	}
	if err := render(env, rep, rep.Mismatches, checkColumns); err != nil {
		return err
	}
	if rep.Total > len(rep.Mismatches) {
		fmt.Fprintf(env.Stdout, "… and %d more\n", rep.Total-len(rep.Mismatches))
	}
	_, err := fmt.Fprintf(env.Stdout, "%d mismatches in %d products, %d sales\n", rep.Total, rep.Products, rep.Sales)
	return err
}
