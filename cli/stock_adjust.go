package cli

import (
	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

// movementColumns describes a stock movement.
func movementColumns(sku string) []Column[db.StockMovement] {
	return []Column[db.StockMovement]{
		{Header: "ID", Right: true, Value: func(m db.StockMovement) string { return intCell(m.ID) }},
		{Header: "SKU", Value: func(db.StockMovement) string { return sku }},
		{Header: "KIND", Value: func(m db.StockMovement) string { return string(m.Kind) }},
		{Header: "DELTA", Right: true, Value: func(m db.StockMovement) string { return intCell(m.Delta) }},
		{Header: "STOCK", Key: "balance", Right: true, Value: func(m db.StockMovement) string { return intCell(m.Balance) }},
		{Header: "REASON", Value: func(m db.StockMovement) string { return m.Reason }},
		{Header: "AT", Key: "created_at", Value: func(m db.StockMovement) string { return timeCell(m.CreatedAt) }},
	}
}

// newStockAdjustCmd changes a product's stock by a delta.
func newStockAdjustCmd(env *Env) *cobra.Command {
	var (
		in       app.AdjustmentInput
		sku      string
		delta    int64
		fromJSON string
	)
	cmd := &cobra.Command{
		Use:   "adjust --sku SKU --delta N --reason R",
		Short: "Correct a product's stock (count, breakage, return)",
		Long: `adjust adds --delta (negative to remove) to the product's stock as an
adjustment movement, or a return with --kind return. Stock never goes below
zero: that exits 3 and changes nothing.`,
		Example: `  smartinventory stock adjust --sku SKU-0001 --delta -2 --reason "broken in store"
  smartinventory stock adjust --sku SKU-0001 --delta 1 --kind return --reason "customer return"`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			var body app.AdjustmentInput
			if fromJSON != "" {
				if err := readJSONInput(env, fromJSON, &body); err != nil {
					return err
				}
			}
			ch := cmd.Flags().Changed
			if ch("sku") {
				body.SKU = &sku
			}
			if ch("delta") {
				body.Delta = &delta
			}
			if ch("reason") {
				body.Reason = in.Reason
			}
			if ch("kind") {
				body.Kind = in.Kind
			}
			if body.SKU == nil && body.ProductID == nil {
				return usagef("stock adjust: --sku is required")
			}
			if body.Delta == nil {
				return usagef("stock adjust: --delta is required")
			}
			return env.withBackend(cmd, func(b backend) error {
				m, err := b.Adjust(cmd.Context(), body)
				if err != nil {
					return err
				}
				return renderMovement(env, b, cmd, m)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&sku, "sku", "", "the product (required)")
	f.Int64Var(&delta, "delta", 0, "units to add, negative to remove (required)")
	f.StringVar(&in.Reason, "reason", "", "why (shown in the stock ledger)")
	f.StringVar(&in.Kind, "kind", "adjustment", "adjustment or return")
	f.StringVar(&fromJSON, "from-json", "", "read the adjustment from a JSON file (- for standard input); flags override its fields")
	return cmd
}

// newStockReceiveCmd books received goods.
func newStockReceiveCmd(env *Env) *cobra.Command {
	var (
		sku, reason, fromJSON string
		qty                   int64
	)
	cmd := &cobra.Command{
		Use:   "receive --sku SKU --quantity N [--reason R]",
		Short: "Add received goods to a product's stock",
		Long: `receive adds a delivery outside a purchase order to stock as a receipt
movement (use po receive for deliveries against an order).`,
		Example: `  smartinventory stock receive --sku SKU-0001 --quantity 24 --reason "delivery note 8812"`,
		Args:    subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			var body app.ReceiptInput
			if fromJSON != "" {
				if err := readJSONInput(env, fromJSON, &body); err != nil {
					return err
				}
			}
			ch := cmd.Flags().Changed
			if ch("sku") {
				body.SKU = &sku
			}
			if ch("quantity") {
				body.Quantity = &qty
			}
			if ch("reason") {
				body.Reason = reason
			}
			if body.SKU == nil && body.ProductID == nil {
				return usagef("stock receive: --sku is required")
			}
			if body.Quantity == nil {
				return usagef("stock receive: --quantity is required")
			}
			return env.withBackend(cmd, func(b backend) error {
				m, err := b.Receive(cmd.Context(), body)
				if err != nil {
					return err
				}
				return renderMovement(env, b, cmd, m)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&sku, "sku", "", "the product (required)")
	f.Int64Var(&qty, "quantity", 0, "units received (required)")
	f.StringVar(&reason, "reason", "", "e.g. the delivery note")
	f.StringVar(&fromJSON, "from-json", "", "read the receipt from a JSON file (- for standard input); flags override its fields")
	return cmd
}

// renderMovement prints a movement: JSON as the API answers, a table with
// the product's SKU otherwise.
func renderMovement(env *Env, b backend, cmd *cobra.Command, m *db.StockMovement) error {
	sku := ""
	if env.Output != OutputJSON {
		skus, err := b.ProductSKUs(cmd.Context(), []int64{m.ProductID})
		if err != nil {
			return err
		}
		sku = skus[m.ProductID]
	}
	return render(env, m, []db.StockMovement{*m}, movementColumns(sku))
}
