package cli

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"smartinventory/app"
)

func init() { register(newStockCmd) }

// Stock statuses, most severe first.
const (
	stockOut    = "out"
	stockLow    = "low"
	stockExcess = "excess"
	stockOK     = "ok"
)

// excessCoverDays is the cover beyond which stock is excess, as in the
// trends (trend.Options.ExcessDays).
const excessCoverDays = 180

// stockRow is one product's stock status.
type stockRow struct {
	ProductID    int64  `json:"product_id"`
	SKU          string `json:"sku"`
	Name         string `json:"name"`
	Stock        int64  `json:"stock"`
	OnOrder      int64  `json:"on_order"`
	ReorderPoint *int64 `json:"effective_reorder_point"` // null: none
	// ReorderPointSource is computed, manual or none.
	ReorderPointSource string   `json:"reorder_point_source"`
	DailyDemand        float64  `json:"daily_demand"`  // statistic: mean per day
	DaysOfCover        *float64 `json:"days_of_cover"` // stock ÷ forecast daily demand; null without demand
	Status             string   `json:"status"`
}

// newStockCmd prints the stock status of every active product.
func newStockCmd(env *Env) *cobra.Command {
	var status string
	cmd := &cobra.Command{
		Use:   "stock",
		Short: "Show each product's stock status: out, low, excess or ok",
		Long: `stock prints, for every active product, its stock on hand, what is on order,
the reorder point of its restock suggestion, its days of cover (stock ÷ forecast
daily demand) and a status:

  out     no stock on hand
  low     stock at or below the reorder point
  excess  more than 180 days of cover (or stock and no forecast demand)
  ok      otherwise

Forecasts are refreshed first when they are older than yesterday's data.`,
		Example: `  smartinventory stock
  smartinventory stock --status low -o csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStock(cmd, env, status)
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only this status: out, low, excess or ok")
	cmd.AddCommand(newStockAdjustCmd(env), newStockReceiveCmd(env))
	return cmd
}

func runStock(cmd *cobra.Command, env *Env, status string) error {
	if err := env.checkOutput(); err != nil {
		return err
	}
	switch status {
	case "", stockOut, stockLow, stockExcess, stockOK:
	default:
		return usagef("stock: --status must be out, low, excess or ok, got %q", status)
	}
	var lines []app.RestockLine
	err := env.withBackend(cmd, func(b backend) error {
		if err := refreshStaleForecasts(cmd, env, b); err != nil {
			return err
		}
		var err error
		lines, err = b.Restock(cmd.Context(), app.RestockFilter{All: true})
		return err
	})
	if err != nil {
		return err
	}
	rows := make([]stockRow, 0, len(lines))
	for _, l := range lines {
		r := stockStatus(l)
		if status == "" || r.Status == status {
			rows = append(rows, r)
		}
	}
	rank := map[string]int{stockOut: 0, stockLow: 1, stockExcess: 2, stockOK: 3}
	slices.SortFunc(rows, func(x, y stockRow) int {
		return cmp.Or(cmp.Compare(rank[x.Status], rank[y.Status]), cmp.Compare(x.SKU, y.SKU))
	})
	num := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	return renderList(env, rows, []Column[stockRow]{
		{Header: "SKU", Value: func(r stockRow) string { return r.SKU }},
		{Header: "NAME", Value: func(r stockRow) string { return r.Name }},
		{Header: "STOCK", Right: true, Value: func(r stockRow) string { return intCell(r.Stock) }},
		{Header: "ON ORDER", Right: true, Value: func(r stockRow) string { return intCell(r.OnOrder) }},
		{Header: "ROP", Key: "effective_reorder_point", Right: true, Value: func(r stockRow) string {
			return app.ReorderPointOf{Value: r.ReorderPoint, Source: r.ReorderPointSource}.Text()
		}},
		{Header: "COVER DAYS", Key: "days_of_cover", Right: true, Value: func(r stockRow) string {
			if r.DaysOfCover == nil {
				return ""
			}
			return num(*r.DaysOfCover, 0)
		}},
		{Header: "STATUS", Value: func(r stockRow) string { return r.Status }},
	})
}

// stockStatus classifies a product from its restock suggestion.
func stockStatus(l app.RestockLine) stockRow {
	r := stockRow{ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Stock: l.Stock, OnOrder: l.OnOrder,
		ReorderPoint: l.EffectiveReorderPoint, ReorderPointSource: l.ReorderPointSource, DailyDemand: l.DailyDemand}
	if l.DailyDemand > 0 {
		c := float64(l.Stock) / l.DailyDemand
		r.DaysOfCover = &c
	}
	switch {
	case l.Stock <= 0:
		r.Status = stockOut
	case l.ReorderPointInfo().Low():
		r.Status = stockLow
	case r.DaysOfCover == nil || *r.DaysOfCover > excessCoverDays:
		r.Status = stockExcess
	default:
		r.Status = stockOK
	}
	return r
}
