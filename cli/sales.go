package cli

import (
	"time"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newSalesCmd) }

// newSalesCmd groups the sales subcommands.
func newSalesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "sales",
		Aliases: []string{"sale"},
		Short:   "Record, list and void sales",
		Long: `sales records a sale (stock goes down in the same transaction; not enough stock
exits 3 and records nothing), lists sales newest first, and voids a sale (its
units go back to stock), locally or with --server.`,
		Example: `  smartinventory sales record --sku SKU-0001 --quantity 2
  smartinventory sales list --product SKU-0001 --from 2026-01-01 --to 2026-01-31
  smartinventory sales void 1234 --reason "entered twice"`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	cmd.AddCommand(newSalesRecordCmd(env), newSalesListCmd(env), newSalesVoidCmd(env))
	return cmd
}

// saleColumns describes a sale in tables.
func saleColumns() []Column[db.Sale] {
	return []Column[db.Sale]{
		{Header: "ID", Right: true, Value: func(s db.Sale) string { return intCell(s.ID) }},
		{Header: "PRODUCT", Key: "product_id", Right: true, Value: func(s db.Sale) string { return intCell(s.ProductID) }},
		{Header: "QTY", Key: "quantity", Right: true, Value: func(s db.Sale) string { return intCell(s.Quantity) }},
		{Header: "UNIT PRICE", Right: true, Value: func(s db.Sale) string { return s.UnitPrice.String() }},
		{Header: "REVENUE", Right: true, Value: func(s db.Sale) string { return s.Revenue().String() }},
		{Header: "SOLD AT", Value: func(s db.Sale) string { return timeCell(s.SoldAt) }},
		{Header: "CHANNEL", Value: func(s db.Sale) string { return s.Channel }},
		{Header: "VOIDED", Key: "voided_at", Value: func(s db.Sale) string { return optTimeCell(s.VoidedAt) }},
	}
}

// saleResultColumns describes a recorded or voided sale with the stock
// after it.
func saleResultColumns() []Column[app.SaleResult] {
	cols := []Column[app.SaleResult]{}
	for _, c := range saleColumns() {
		cols = append(cols, Column[app.SaleResult]{Header: c.Header, Key: c.Key, Right: c.Right,
			Value: func(r app.SaleResult) string { return c.Value(r.Sale) }})
	}
	return append(cols, Column[app.SaleResult]{Header: "STOCK", Right: true,
		Value: func(r app.SaleResult) string { return intCell(r.Stock) }})
}

// parseTimeFlag parses an RFC 3339 time or a YYYY-MM-DD date (midnight
// UTC); with endOfDay a date means the midnight that ends it.
func parseTimeFlag(name, raw string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		return time.Time{}, usagef("--%s must be a date YYYY-MM-DD or an RFC 3339 time, got %q", name, raw)
	}
	if endOfDay {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

func newSalesRecordCmd(env *Env) *cobra.Command {
	var (
		sku, price, soldAt, channel, note, extID, fromJSON string
		qty                                                int64
	)
	cmd := &cobra.Command{
		Use:   "record --sku SKU --quantity N [--price P] [--sold-at T]",
		Short: "Record a sale",
		Long: `record records one sale at the product's price (or --price), now (or
--sold-at). --external-id makes it idempotent: recording the same id twice
records it once.`,
		Example: `  smartinventory sales record --sku SKU-0001 --quantity 2
  smartinventory sales record --sku SKU-0001 --quantity 1 --price 9.99 --sold-at 2026-03-01T10:30:00Z --channel web`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			var in app.SaleInput
			if fromJSON != "" {
				if err := readJSONInput(env, fromJSON, &in); err != nil {
					return err
				}
			}
			ch := cmd.Flags().Changed
			if ch("sku") {
				in.SKU = &sku
			}
			if ch("quantity") {
				in.Quantity = &qty
			}
			if ch("price") {
				m, err := db.ParseMoney(price)
				if err != nil {
					return usagef("sales record: --price must be an amount like 12.50, got %q", price)
				}
				in.UnitPrice = &m
			}
			if ch("sold-at") {
				t, err := parseTimeFlag("sold-at", soldAt, false)
				if err != nil {
					return err
				}
				in.SoldAt = &t
			}
			if ch("channel") {
				in.Channel = channel
			}
			if ch("note") {
				in.Note = note
			}
			if ch("external-id") {
				in.ExternalID = &extID
			}
			if in.SKU == nil && in.ProductID == nil {
				return usagef("sales record: --sku is required")
			}
			if in.Quantity == nil {
				return usagef("sales record: --quantity is required")
			}
			return env.withBackend(cmd, func(b backend) error {
				res, err := b.RecordSale(cmd.Context(), in)
				if err != nil {
					return err
				}
				return render(env, res, []app.SaleResult{*res}, saleResultColumns())
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&sku, "sku", "", "the product sold (required)")
	f.Int64Var(&qty, "quantity", 0, "units sold (required)")
	f.StringVar(&price, "price", "", "unit price (default: the product's)")
	f.StringVar(&soldAt, "sold-at", "", "when, RFC 3339 or YYYY-MM-DD (default: now)")
	f.StringVar(&channel, "channel", "", "sales channel, e.g. store or web")
	f.StringVar(&note, "note", "", "note")
	f.StringVar(&extID, "external-id", "", "idempotency key, e.g. the till's receipt number")
	f.StringVar(&fromJSON, "from-json", "", "read the sale from a JSON file (- for standard input); flags override its fields")
	return cmd
}

func newSalesListCmd(env *Env) *cobra.Command {
	var (
		sku, from, to string
		f             app.SaleFilter
	)
	cmd := &cobra.Command{
		Use:   "list [--product SKU] [--from DATE] [--to DATE]",
		Short: "List sales, newest first",
		Example: `  smartinventory sales list --limit 20
  smartinventory sales list --product SKU-0001 --from 2026-01-01 --to 2026-01-31 -o csv
  smartinventory sales list --voided true`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			if err := checkPage(f.Limit, f.Offset); err != nil {
				return err
			}
			var err error
			if from != "" {
				if f.From, err = parseTimeFlag("from", from, false); err != nil {
					return err
				}
			}
			if to != "" {
				if f.To, err = parseTimeFlag("to", to, true); err != nil {
					return err
				}
			}
			switch f.Voided {
			case "false", "true", "all":
			default:
				return usagef("sales list: --voided must be false, true or all, got %q", f.Voided)
			}
			return env.withBackend(cmd, func(b backend) error {
				if sku != "" {
					p, err := b.ProductBySKU(cmd.Context(), sku)
					if err != nil {
						return err
					}
					f.ProductID = p.ID
				}
				rows, total, err := b.Sales(cmd.Context(), f)
				if err != nil {
					return err
				}
				return renderPage(env, rows, total, saleColumns())
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sku, "product", "", "only this product's sales (SKU)")
	fl.StringVar(&from, "from", "", "sold at or after, YYYY-MM-DD or RFC 3339")
	fl.StringVar(&to, "to", "", "sold before the end of this day (or before this RFC 3339 time)")
	fl.StringVar(&f.Voided, "voided", "false", "false (valid sales), true (voided ones) or all")
	addPageFlags(cmd, &f.Limit, &f.Offset)
	return cmd
}

func newSalesVoidCmd(env *Env) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:     "void ID [--reason R]",
		Short:   "Void a sale and put its units back in stock",
		Example: `  smartinventory sales void 1234 --reason "entered twice"`,
		Args:    exactArgs(1, "a sale ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return usagef("sales void: the sale ID must be a positive integer, got %q", args[0])
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				res, err := b.VoidSale(cmd.Context(), id, reason)
				if err != nil {
					return err
				}
				return render(env, res, []app.SaleResult{*res}, saleResultColumns())
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the sale is voided")
	return cmd
}
