package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

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
		Args: exactArgs(0, "no arguments"),
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
			if err := localOnly(env, "populate"); err != nil {
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

			bar := newProgress(env.Stderr, opt.Products)
			sum, err := seed.Generate(ctx, bdb, opt, func(done, _ int) { _ = bar.Set(done) })
			_ = bar.Finish()
			if errors.Is(err, seed.ErrNotEmpty) {
				return populateRefused{err}
			}
			if err != nil {
				return err
			}
			return printPopulateSummary(env, sum)
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

// populateRefused is the refusal to populate a database that has products
// (exit code 3, a conflict with the database's state).
type populateRefused struct{ err error }

func (e populateRefused) Error() string {
	return e.err.Error() + ": use an empty database, or --append to add more products"
}
func (e populateRefused) Unwrap() error { return e.err }
func (e populateRefused) ExitCode() int { return ExitConflict }

// newProgress returns a progress bar on w that draws only when w is a
// terminal, so logs and pipes get no carriage-return noise.
func newProgress(w io.Writer, total int) *progressbar.ProgressBar {
	tty := fdIsTerminal(w)
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

// populateSummary is the JSON and CSV shape of populate's result.
type populateSummary struct {
	*seed.Summary
	Seconds float64 `json:"seconds"`
}

func printPopulateSummary(env *Env, sum *seed.Summary) error {
	if env.Output != OutputTable {
		row := populateSummary{sum, math.Round(sum.Elapsed.Seconds()*1000) / 1000}
		cols := []Column[populateSummary]{
			{Header: "PRODUCTS", Value: func(r populateSummary) string { return strconv.Itoa(r.Products) }},
			{Header: "SALES", Value: func(r populateSummary) string { return strconv.Itoa(r.Sales) }},
			{Header: "MOVEMENTS", Value: func(r populateSummary) string { return strconv.Itoa(r.Movements) }},
			{Header: "DAILY ROWS", Value: func(r populateSummary) string { return strconv.Itoa(r.DailyRows) }},
			{Header: "UNITS", Value: func(r populateSummary) string { return intCell(r.Units) }},
			{Header: "REVENUE", Value: func(r populateSummary) string { return r.Revenue.String() }},
			{Header: "LOST UNITS", Value: func(r populateSummary) string { return intCell(r.LostUnits) }},
			{Header: "FIRST DAY", Value: func(r populateSummary) string { return r.FirstDay }},
			{Header: "LAST DAY", Value: func(r populateSummary) string { return r.LastDay }},
			{Header: "SECONDS", Value: func(r populateSummary) string { return strconv.FormatFloat(r.Seconds, 'f', 3, 64) }},
		}
		return render(env, row, []populateSummary{row}, cols)
	}
	_, err := fmt.Fprintf(env.Stdout, `populated %s .. %s in %.1f s
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
