package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"smartinventory/db"
	"smartinventory/db/seed"
)

func init() { register(newPopulateCmd) }

func newPopulateCmd(env *Env) *cobra.Command {
	var (
		products int
		days     int
		endDate  string
		seedVal  int64
		appendTo bool
	)
	cmd := &cobra.Command{
		Use:   "populate",
		Short: "Fill the database with deterministic demo data",
		Long: `populate creates demo categories, suppliers and products with a daily sales
history (trend, weekly and yearly seasonality, promotions, price changes, slow
movers, discontinued and new products), stock receipts from a reorder-point
policy with realistic stock-outs, and a consistent stock ledger and sales
rollup. The same --seed always gives the same data.

It refuses a database that already has products unless --append is given.`,
		Example: `  smartinventory populate --products 2000 --days 730
  smartinventory --db postgres://user@localhost/shop populate --seed 7 --end-date 2026-06-30`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt := seed.Options{Products: products, Days: days, Seed: seedVal, Append: appendTo}
			if endDate != "" {
				t, err := time.Parse(db.DayLayout, endDate)
				if err != nil {
					return usagef("--end-date: want YYYY-MM-DD, got %q", endDate)
				}
				opt.EndDate = t
			}
			if err := opt.Validate(); err != nil {
				return usagef("%v", err)
			}
			if env.Output != "table" && env.Output != "json" {
				return usagef("--output: populate supports table or json, got %q", env.Output)
			}
			ctx := cmd.Context()
			bdb, err := env.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()

			bar := newProgress(env.Stderr, opt.Products)
			sum, err := seed.Generate(ctx, bdb, opt, func(done, _ int) { _ = bar.Set(done) })
			_ = bar.Finish()
			if err != nil {
				return err
			}
			return printPopulateSummary(env.Stdout, env.Output, sum)
		},
	}
	f := cmd.Flags()
	f.IntVar(&products, "products", 500, "number of products to create")
	f.IntVar(&days, "days", 730, "days of sales history")
	f.StringVar(&endDate, "end-date", "", "last day of the history, YYYY-MM-DD (default today, UTC)")
	f.Int64Var(&seedVal, "seed", 1, "random seed; the same seed gives the same data")
	f.BoolVar(&appendTo, "append", false, "add products to a database that already has some")
	return cmd
}

// writerIsTerminal reports whether w is a terminal (only *os.File can be).
func writerIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress returns a progress bar on w that draws only when w is a
// terminal, so logs and pipes get no carriage-return noise.
func newProgress(w io.Writer, total int) *progressbar.ProgressBar {
	tty := writerIsTerminal(w)
	if !tty {
		w = io.Discard
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetVisibility(tty),
		progressbar.OptionSetDescription("products"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func printPopulateSummary(w io.Writer, format string, sum *seed.Summary) error {
	if format == "json" {
		out := struct {
			*seed.Summary
			Seconds float64 `json:"seconds"`
		}{sum, sum.Elapsed.Seconds()}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	_, err := fmt.Fprintf(w, `populated %s .. %s in %.1f s
  products    %d (new categories %d, new suppliers %d)
  sales       %d (%d units, revenue %s)
  movements   %d
  daily rows  %d
  lost units  %d over %d stock-out product-days
`, sum.FirstDay, sum.LastDay, sum.Elapsed.Seconds(),
		sum.Products, sum.Categories, sum.Suppliers,
		sum.Sales, sum.Units, sum.Revenue,
		sum.Movements, sum.DailyRows, sum.LostUnits, sum.StockoutDays)
	return err
}
