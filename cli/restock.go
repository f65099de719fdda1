package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"smartinventory/app"
)

func init() { register(newRestockCmd) }

// newRestockCmd lists restock suggestions and is the parent of simulate.
func newRestockCmd(env *Env) *cobra.Command {
	var (
		supplier int64
		urgency  string
		all      bool
	)
	cmd := &cobra.Command{
		Use:   "restock",
		Short: "Show what to reorder, from whom, how much and by when",
		Long: `restock lists the restock suggestions: for each product that needs an order,
its stock, what is on order, forecast daily demand, reorder point, order-up-to
level, the quantity to order (rounded to MOQ and pack size), its value, the
order-by date, the urgency and the reason.

Tables are grouped by supplier with totals; json and csv give a flat list.
Forecasts are refreshed first when they are older than yesterday's data.`,
		Example: `  smartinventory restock
  smartinventory restock --supplier 3 --urgency overdue
  smartinventory restock --all -o csv
  smartinventory restock simulate --days 180`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRestock(cmd, env, app.RestockFilter{SupplierID: supplier, Urgency: urgency, All: all})
		},
	}
	f := cmd.Flags()
	f.Int64Var(&supplier, "supplier", 0, "only this supplier's products (supplier ID)")
	f.StringVar(&urgency, "urgency", "", "only this urgency: overdue, this_week or later")
	f.BoolVar(&all, "all", false, "include products that need no order")
	cmd.AddCommand(newRestockSimulateCmd(env))
	return cmd
}

func runRestock(cmd *cobra.Command, env *Env, filter app.RestockFilter) error {
	if err := env.checkOutput(); err != nil {
		return err
	}
	switch filter.Urgency {
	case "", "overdue", "this_week", "later":
	default:
		return usagef("restock: --urgency must be overdue, this_week or later, got %q", filter.Urgency)
	}
	if filter.SupplierID < 0 {
		return usagef("restock: --supplier must be a supplier ID")
	}
	var lines []app.RestockLine
	err := env.withBackend(cmd, func(b backend) error {
		if err := refreshStaleForecasts(cmd, env, b); err != nil {
			return err
		}
		var err error
		lines, err = b.Restock(cmd.Context(), filter)
		return err
	})
	if err != nil {
		return err
	}
	cols := restockColumns()
	if env.Output != OutputTable {
		return renderList(env, lines, cols)
	}
	var units int64
	var value float64
	for i, g := range app.GroupBySupplier(lines) {
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		name := g.SupplierName
		if name == "" {
			name = "(no supplier)"
		}
		fmt.Fprintf(env.Stdout, "%s: %s, %d units, value %.2f\n", name, countOf(len(g.Lines), "product"), g.Units, g.Value)
		if err := writeTable(env.Stdout, g.Lines, cols); err != nil {
			return fmt.Errorf("write table output: %w", err)
		}
		units += g.Units
		value += g.Value
	}
	if len(lines) == 0 {
		fmt.Fprintln(env.Stderr, "nothing to reorder")
		return nil
	}
	_, err = fmt.Fprintf(env.Stdout, "\ntotal: %s, %d units, value %.2f\n", countOf(len(lines), "product"), units, value)
	return err
}

// countOf returns "1 product", "2 products".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// restockColumns describes a suggestion line in tables and CSV.
func restockColumns() []Column[app.RestockLine] {
	num := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	return []Column[app.RestockLine]{
		{Header: "SKU", Value: func(l app.RestockLine) string { return l.SKU }},
		{Header: "NAME", Value: func(l app.RestockLine) string { return l.Name }},
		{Header: "STOCK", Right: true, Value: func(l app.RestockLine) string { return intCell(l.Stock) }},
		{Header: "ON ORDER", Right: true, Value: func(l app.RestockLine) string { return intCell(l.OnOrder) }},
		{Header: "DAILY", Key: "daily_demand", Right: true, Value: func(l app.RestockLine) string { return num(l.DailyDemand, 2) }},
		{Header: "ROP", Key: "effective_reorder_point", Right: true, Value: func(l app.RestockLine) string { return l.ReorderPointInfo().Text() }},
		{Header: "UP TO", Key: "order_up_to", Right: true, Value: func(l app.RestockLine) string { return intCell(l.OrderUpTo) }},
		{Header: "QTY", Key: "quantity", Right: true, Value: func(l app.RestockLine) string { return intCell(l.Quantity) }},
		{Header: "VALUE", Right: true, Value: func(l app.RestockLine) string { return num(l.Value, 2) }},
		{Header: "ORDER BY", Value: func(l app.RestockLine) string {
			if l.OrderBy.IsZero() {
				return ""
			}
			return l.OrderBy.Format("2006-01-02")
		}},
		{Header: "URGENCY", Value: func(l app.RestockLine) string { return string(l.Urgency) }},
		{Header: "DRAFTS", Key: "pending_drafts", Value: func(l app.RestockLine) string { return draftsCell(l.PendingDrafts) }},
		{Header: "REASON", Value: func(l app.RestockLine) string { return l.Reason }},
	}
}

// refreshStaleForecasts runs the forecast batch when some active product's
// forecast is missing or older than yesterday's data, with a progress bar
// on a terminal.
func refreshStaleForecasts(cmd *cobra.Command, env *Env, b backend) error {
	var progress func(done, total int)
	if fdIsTerminal(env.Stderr) {
		var bar *progressbar.ProgressBar
		progress = func(done, total int) {
			if bar == nil {
				bar = newProgress(env.Stderr, 0)
				bar.Describe("forecasting")
			}
			bar.ChangeMax(total)
			_ = bar.Set(done)
		}
		defer func() {
			if bar != nil {
				_ = bar.Finish()
			}
		}()
	}
	if err := b.RefreshStaleForecasts(cmd.Context(), progress); err != nil {
		return cliError(err)
	}
	return nil
}

// newRestockSimulateCmd replays history to compare replenishment policies.
func newRestockSimulateCmd(env *Env) *cobra.Command {
	var (
		days, products, every int
		seed                  uint64
		calibration           float64
		calibrate, save       bool
	)
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Replay recent demand to compare our restock policy with min/max and linear regression",
		Long: `simulate replays the last --days days of recorded demand day by day (days the
shop was out of stock are imputed) for a sample of products, and compares three
policies on the same replay, using only what was known each day:

  forecast      our suggestions: auto forecast quantiles at the product's
                service level (product, else ABC class: A 98%, B 95%, C 90%)
  minmax        min = average daily demand × lead time, max = average ×
                (lead time + review period), as open-source tools do
  minmax-tuned  the same levels × k, k tuned to reach our service level
  linreg        the tutorial's linear regression, ordering up to its
                forecast over lead time + review period

For each it prints the target and achieved cycle service level (share of
replenishment cycles without a stock-out), the fill rate, the average
inventory value at cost, the orders placed and the stock-out days.

Our policy takes demand quantiles at 1 − (1 − service level) × k, the
calibration factor k (stored setting, default 1). --calibrate searches the k
with which the achieved service level meets the target on this replay;
--save stores it, so the suggestions use it from then on.`,
		Example: `  smartinventory restock simulate
  smartinventory restock simulate --calibrate --save
  smartinventory restock simulate --days 365 --products -1 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := localOnly(env, "restock simulate"); err != nil {
				return err
			}
			if save && !calibrate {
				return usagef("restock simulate: --save needs --calibrate")
			}
			if calibration < 0 {
				return usagef("restock simulate: --calibration must be positive")
			}
			return runRestockSimulate(cmd, env, app.SimOptions{Days: days, Products: products, ReforecastEvery: every,
				Seed: seed, Calibration: calibration, Calibrate: calibrate}, save)
		},
	}
	f := cmd.Flags()
	f.IntVar(&days, "days", app.DefaultSimDays, "days of history to replay, ending yesterday")
	f.IntVar(&products, "products", app.DefaultSimProducts, "products in the sample (-1: all eligible)")
	f.IntVar(&every, "reforecast-every", 0, "days between forecast refits (default: the review period)")
	f.Uint64Var(&seed, "seed", 1, "chooses the sample and the imputed demand of stock-out days")
	f.Float64Var(&calibration, "calibration", 0, "calibration factor k for our policy (default: the stored setting, else 1)")
	f.BoolVar(&calibrate, "calibrate", false, "search the calibration factor that meets the target service level")
	f.BoolVar(&save, "save", false, "with --calibrate: store the factor found for the restock suggestions")
	return cmd
}

func runRestockSimulate(cmd *cobra.Command, env *Env, opt app.SimOptions, save bool) error {
	switch env.Output {
	case OutputTable, OutputJSON:
	default:
		return usagef("restock simulate: --output must be table or json, got %q", env.Output)
	}
	if opt.Days < 7 {
		return usagef("restock simulate: --days must be at least 7")
	}
	if opt.Products == 0 || opt.Products < -1 {
		return usagef("restock simulate: --products must be positive, or -1 for all")
	}
	if opt.ReforecastEvery < 0 {
		return usagef("restock simulate: --reforecast-every must not be negative")
	}
	ctx := cmd.Context()
	bdb, err := env.openDB(ctx)
	if err != nil {
		return err
	}
	defer bdb.Close()
	a := app.New(bdb, app.Options{})
	if fdIsTerminal(env.Stderr) {
		bar := newProgress(env.Stderr, 0)
		bar.Describe("replaying")
		opt.Progress = func(done, total int) {
			bar.ChangeMax(total)
			_ = bar.Set(done)
		}
		defer func() { _ = bar.Finish() }()
	}
	rep, err := app.SimulateRestock(ctx, a, opt)
	if err != nil {
		return cliError(err)
	}
	if save {
		if err := a.Settings.Set(ctx, app.System, app.SettingServiceCalibration, strconv.FormatFloat(rep.Calibration, 'g', 4, 64)); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(env.Stderr, "saved calibration factor %.3g for restock suggestions\n", rep.Calibration)
	}
	if env.Output == OutputJSON {
		return writeJSON(env.Stdout, rep)
	}
	fmt.Fprintf(env.Stdout, "replayed %s .. %s (%d days), %d of %d eligible products, seed %d, review every %d days, calibration %.3g, %.1f s\n\n",
		rep.From, rep.To, rep.Days, rep.Products, rep.Eligible, rep.Seed, rep.ReviewDays, rep.Calibration, rep.Seconds)
	pct := func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }
	err = writeTable(env.Stdout, rep.Policies, []Column[app.PolicyReport]{
		{Header: "POLICY", Value: func(p app.PolicyReport) string { return p.Name }},
		{Header: "TARGET", Right: true, Value: func(p app.PolicyReport) string {
			if p.Target == nil {
				return ""
			}
			return pct(*p.Target)
		}},
		{Header: "CYCLE SERVICE", Right: true, Value: func(p app.PolicyReport) string { return pct(p.CycleService) }},
		{Header: "FILL RATE", Right: true, Value: func(p app.PolicyReport) string { return pct(p.FillRate) }},
		{Header: "AVG INVENTORY", Right: true, Value: func(p app.PolicyReport) string {
			return strconv.FormatFloat(p.InventoryValue, 'f', 0, 64)
		}},
		{Header: "ORDERS", Right: true, Value: func(p app.PolicyReport) string { return strconv.Itoa(p.Orders) }},
		{Header: "STOCK-OUT DAYS", Right: true, Value: func(p app.PolicyReport) string { return strconv.Itoa(p.StockoutDays) }},
		{Header: "K", Right: true, Value: func(p app.PolicyReport) string {
			if p.Factor == nil {
				return ""
			}
			return strconv.FormatFloat(*p.Factor, 'f', 2, 64)
		}},
	})
	if err != nil {
		return fmt.Errorf("write table output: %w", err)
	}
	if rep.FitFailures > 0 {
		fmt.Fprintf(env.Stderr, "warning: %d forecasts failed; those reviews placed no order\n", rep.FitFailures)
	}
	return nil
}

// draftsCell lists pending drafts as "PO #12: 40" (awaiting approval,
// not counted as on order).
func draftsCell(ds []app.PendingDraft) string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "PO #%d: %d", d.OrderID, d.Quantity)
	}
	return b.String()
}
