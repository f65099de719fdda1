package cli

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/app"
)

func init() { register(newTrendsCmd) }

// newTrendsCmd lists product trends.
func newTrendsCmd(env *Env) *cobra.Command {
	var f app.TrendFilter
	cmd := &cobra.Command{
		Use:   "trends",
		Short: "Show sales trends per product: velocity, ABC/XYZ, movers, dead and excess stock",
		Long: `trends lists per product the units and revenue of the last 30 days, the
velocity (units per day) and its change against the previous 30 days with a
direction that is up or down only when the change is significant, the ABC
(revenue) and XYZ (variability) classes, the demand class, the days of cover,
the mover class and whether the stock is dead or excess.

Sort keys (descending; prefix "-" for ascending, sku sorts ascending):
` + strings.Join(app.TrendSortKeys(), ", ") + `.`,
		Example: `  smartinventory trends --abc A --limit 20
  smartinventory trends --dead --sort dead_value
  smartinventory trends --mover fast --sort -days_of_cover -o csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTrends(cmd, env, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.ABC, "abc", "", "only this ABC class: A, B or C")
	fl.StringVar(&f.XYZ, "xyz", "", "only this XYZ class: X, Y or Z")
	fl.StringVar(&f.Class, "class", "", "only this demand class: smooth, erratic, intermittent, lumpy, …")
	fl.StringVar(&f.Mover, "mover", "", "only fast, slow, normal or none (no recent sales) movers")
	fl.BoolVar(&f.Dead, "dead", false, "only dead stock (stock but no sale in 90 days)")
	fl.BoolVar(&f.Excess, "excess", false, "only excess stock (more than 180 days of cover)")
	fl.Int64Var(&f.CategoryID, "category", 0, "only this category ID")
	fl.Int64Var(&f.SupplierID, "supplier", 0, "only this supplier ID")
	fl.StringVar(&f.Sort, "sort", "revenue_30d", "sort key (see above)")
	fl.IntVar(&f.Limit, "limit", app.DefaultPageSize, "rows to show (at most "+strconv.Itoa(app.MaxPageSize)+")")
	fl.IntVar(&f.Offset, "offset", 0, "rows to skip")
	return cmd
}

func runTrends(cmd *cobra.Command, env *Env, f app.TrendFilter) error {
	if err := env.checkOutput(); err != nil {
		return err
	}
	f.ABC, f.XYZ = strings.ToUpper(f.ABC), strings.ToUpper(f.XYZ)
	switch {
	case f.ABC != "" && f.ABC != "A" && f.ABC != "B" && f.ABC != "C":
		return usagef("trends: --abc must be A, B or C, got %q", f.ABC)
	case f.XYZ != "" && f.XYZ != "X" && f.XYZ != "Y" && f.XYZ != "Z":
		return usagef("trends: --xyz must be X, Y or Z, got %q", f.XYZ)
	case f.Mover != "" && f.Mover != "fast" && f.Mover != "slow" && f.Mover != "normal" && f.Mover != "none":
		return usagef("trends: --mover must be fast, slow, normal or none, got %q", f.Mover)
	case f.Limit < 1 || f.Limit > app.MaxPageSize:
		return usagef("trends: --limit must be between 1 and %d", app.MaxPageSize)
	case f.Offset < 0:
		return usagef("trends: --offset must not be negative")
	}
	var items []app.ProductTrend
	var total int
	err := env.withBackend(cmd, func(b backend) error {
		var err error
		items, total, err = b.Trends(cmd.Context(), f)
		return err
	})
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.ProductTrend{}
	}
	num := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	cols := []Column[app.ProductTrend]{
		{Header: "SKU", Value: func(t app.ProductTrend) string { return t.SKU }},
		{Header: "NAME", Value: func(t app.ProductTrend) string { return t.Name }},
		{Header: "UNITS 30D", Key: "units_30d", Right: true, Value: func(t app.ProductTrend) string { return num(t.Units30, 0) }},
		{Header: "REVENUE 30D", Key: "revenue_30d", Right: true, Value: func(t app.ProductTrend) string { return num(t.Revenue30, 2) }},
		{Header: "PER DAY", Key: "velocity", Right: true, Value: func(t app.ProductTrend) string { return num(t.Velocity, 2) }},
		{Header: "CHANGE", Key: "velocity_change", Right: true, Value: func(t app.ProductTrend) string {
			return strconv.FormatFloat(100*t.VelocityChange, 'f', 0, 64) + "%"
		}},
		{Header: "TREND", Key: "direction", Value: func(t app.ProductTrend) string { return t.Direction }},
		{Header: "ABC", Value: func(t app.ProductTrend) string { return t.ABC }},
		{Header: "XYZ", Value: func(t app.ProductTrend) string { return t.XYZ }},
		{Header: "CLASS", Value: func(t app.ProductTrend) string { return t.Class }},
		{Header: "STOCK", Right: true, Value: func(t app.ProductTrend) string { return intCell(t.Stock) }},
		{Header: "COVER DAYS", Key: "days_of_cover", Right: true, Value: func(t app.ProductTrend) string {
			if t.DaysOfCover == nil {
				return ""
			}
			return num(*t.DaysOfCover, 0)
		}},
		{Header: "MOVER", Value: func(t app.ProductTrend) string { return t.Mover }},
		{Header: "DEAD", Value: func(t app.ProductTrend) string { return boolCell(t.Dead) }},
		{Header: "EXCESS", Value: func(t app.ProductTrend) string { return boolCell(t.Excess) }},
	}
	return render(env, listJSON[app.ProductTrend]{Items: items, Total: total}, items, cols)
}
