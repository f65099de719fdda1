package cli

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() {
	register(newPromotionsCmd)
	register(newPricesCmd)
}

// newPromotionsCmd groups the promotion subcommands.
func newPromotionsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "promotions",
		Aliases: []string{"promotion", "promo"},
		Short:   "List, create and delete promotions",
		Long: `promotions manages the planned promotions, locally or with --server. A promotion
covers one product (--product SKU) or every product of a category (--category ID)
from --first to --last (YYYY-MM-DD, both included), at --percent-off or --price.
A product has one promotion a day: an overlapping one is refused (exit 3).`,
		Example: `  smartinventory promotions list --from 2026-12-01 --to 2026-12-31
  smartinventory promotions create --product COLA-1 --first 2026-12-12 --last 2026-12-18 --percent-off 20 --feature
  smartinventory promotions delete 4`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	cmd.AddCommand(newPromotionsListCmd(env), newPromotionsCreateCmd(env), newPromotionsDeleteCmd(env))
	return cmd
}

func promotionColumns() []Column[db.Promotion] {
	return []Column[db.Promotion]{
		{Header: "ID", Right: true, Value: func(p db.Promotion) string { return intCell(p.ID) }},
		{Header: "PRODUCT", Key: "product_id", Right: true, Value: func(p db.Promotion) string { return optIntCell(p.ProductID) }},
		{Header: "CATEGORY", Key: "category_id", Right: true, Value: func(p db.Promotion) string { return optIntCell(p.CategoryID) }},
		{Header: "FIRST", Key: "first_day", Value: func(p db.Promotion) string { return p.FirstDay }},
		{Header: "LAST", Key: "last_day", Value: func(p db.Promotion) string { return p.LastDay }},
		{Header: "PRICE", Key: "price", Right: true, Value: func(p db.Promotion) string { return optMoneyCell(p.Price) }},
		{Header: "% OFF", Key: "percent_off", Right: true, Value: func(p db.Promotion) string { return optPercentCell(p.PercentOff) }},
		{Header: "DISPLAY", Value: func(p db.Promotion) string { return boolCell(p.Display) }},
		{Header: "FEATURE", Value: func(p db.Promotion) string { return boolCell(p.Feature) }},
		{Header: "COUPON", Value: func(p db.Promotion) string { return boolCell(p.Coupon) }},
		{Header: "NOTE", Value: func(p db.Promotion) string { return p.Note }},
	}
}

func promotionFields(p *db.Promotion) []field {
	return []field{{"id", intCell(p.ID)}, {"product_id", optIntCell(p.ProductID)}, {"category_id", optIntCell(p.CategoryID)},
		{"first_day", p.FirstDay}, {"last_day", p.LastDay}, {"price", optMoneyCell(p.Price)}, {"percent_off", optPercentCell(p.PercentOff)},
		{"display", boolCell(p.Display)}, {"feature", boolCell(p.Feature)}, {"coupon", boolCell(p.Coupon)}, {"note", p.Note},
		{"version", intCell(p.Version)}, {"created_at", timeCell(p.CreatedAt)}, {"updated_at", timeCell(p.UpdatedAt)}}
}

func optMoneyCell(m *db.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

func optPercentCell(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// productIDBySKU resolves a --product SKU (0 when sku is empty).
func productIDBySKU(ctx context.Context, b backend, sku string) (int64, error) {
	if sku == "" {
		return 0, nil
	}
	p, err := b.ProductBySKU(ctx, sku)
	if err != nil {
		return 0, err
	}
	return p.ID, nil
}

func newPromotionsListCmd(env *Env) *cobra.Command {
	var f app.PromotionFilter
	var sku string
	cmd := &cobra.Command{
		Use:     "list [--product SKU] [--category ID] [--from DAY] [--to DAY]",
		Short:   "List promotions by first day",
		Example: "  smartinventory promotions list --product COLA-1 --from 2026-12-01",
		Args:    subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			if err := checkPage(f.Limit, f.Offset); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				var err error
				if f.ProductID, err = productIDBySKU(cmd.Context(), b, sku); err != nil {
					return err
				}
				rows, total, err := b.Promotions(cmd.Context(), f)
				if err != nil {
					return err
				}
				return renderPage(env, rows, total, promotionColumns())
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sku, "product", "", "only the promotions covering this product (SKU): its own and its category's")
	fl.Int64Var(&f.CategoryID, "category", 0, "only this category's promotions (ID)")
	fl.StringVar(&f.From, "from", "", "only promotions running on or after this day (YYYY-MM-DD)")
	fl.StringVar(&f.To, "to", "", "only promotions running on or before this day (YYYY-MM-DD)")
	addPageFlags(cmd, &f.Limit, &f.Offset)
	return cmd
}

func newPromotionsCreateCmd(env *Env) *cobra.Command {
	var fl struct {
		sku, first, last, price, note string
		category                      int64
		percent                       float64
		display, feature, coupon      bool
	}
	var fromJSON string
	cmd := &cobra.Command{
		Use:     "create (--product SKU | --category ID) --first DAY --last DAY (--percent-off P | --price AMOUNT) [flags]",
		Short:   "Plan a promotion",
		Example: "  smartinventory promotions create --category 2 --first 2026-12-12 --last 2026-12-18 --price 0.99 --display",
		Args:    subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			var in app.PromotionInput
			if fromJSON != "" {
				if err := readJSONInput(env, fromJSON, &in); err != nil {
					return err
				}
			}
			ch := cmd.Flags().Changed
			if ch("category") {
				in.CategoryID = &fl.category
			}
			if ch("first") {
				in.FirstDay = &fl.first
			}
			if ch("last") {
				in.LastDay = &fl.last
			}
			if ch("percent-off") {
				in.PercentOff = &fl.percent
			}
			if ch("price") {
				m, err := db.ParseMoney(fl.price)
				if err != nil {
					return usagef("--price must be an amount like 0.99, got %q", fl.price)
				}
				in.Price = &m
			}
			for name, set := range map[string]struct {
				dst **bool
				v   *bool
			}{"display": {&in.Display, &fl.display}, "feature": {&in.Feature, &fl.feature}, "coupon": {&in.Coupon, &fl.coupon}} {
				if ch(name) {
					*set.dst = set.v
				}
			}
			if ch("note") {
				in.Note = &fl.note
			}
			return env.withBackend(cmd, func(b backend) error {
				if fl.sku != "" {
					id, err := productIDBySKU(cmd.Context(), b, fl.sku)
					if err != nil {
						return err
					}
					in.ProductID = &id
				}
				p, err := b.CreatePromotion(cmd.Context(), in)
				if err != nil {
					return err
				}
				return renderRecord(env, p, promotionFields(p))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.sku, "product", "", "the product (SKU)")
	f.Int64Var(&fl.category, "category", 0, "every product of this category (ID)")
	f.StringVar(&fl.first, "first", "", "first day, YYYY-MM-DD")
	f.StringVar(&fl.last, "last", "", "last day, YYYY-MM-DD (included)")
	f.Float64Var(&fl.percent, "percent-off", 0, "percent off the regular price, more than 0 and less than 100")
	f.StringVar(&fl.price, "price", "", "promotional unit price, e.g. 0.99")
	f.BoolVar(&fl.display, "display", false, "in-store display")
	f.BoolVar(&fl.feature, "feature", false, "feature ad")
	f.BoolVar(&fl.coupon, "coupon", false, "coupon")
	f.StringVar(&fl.note, "note", "", "note")
	f.StringVar(&fromJSON, "from-json", "", "read the promotion from a JSON file (- for standard input); flags override its fields")
	return cmd
}

func newPromotionsDeleteCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "delete ID",
		Short:   "Delete a promotion",
		Example: "  smartinventory promotions delete 4",
		Args:    exactArgs(1, "a promotion ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return usagef("promotions delete: the promotion ID must be a positive integer, got %q", args[0])
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				if err := b.DeletePromotion(cmd.Context(), id); err != nil {
					return err
				}
				return renderRecord(env, map[string]any{"id": id, "deleted": true}, []field{{"id", intCell(id)}, {"deleted", "true"}})
			})
		},
	}
}

// newPricesCmd groups the planned-price subcommands.
func newPricesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "prices",
		Short: "List, plan and cancel future list prices",
		Long: `prices manages planned list prices, locally or with --server: on its day a
planned price becomes the product's unit price by itself (the server applies it,
audited as the system).`,
		Example: `  smartinventory prices plan --product COLA-1 --day 2027-01-01 --unit-price 1.49
  smartinventory prices list --pending`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	cols := []Column[db.PlannedPrice]{
		{Header: "ID", Right: true, Value: func(p db.PlannedPrice) string { return intCell(p.ID) }},
		{Header: "PRODUCT", Key: "product_id", Right: true, Value: func(p db.PlannedPrice) string { return intCell(p.ProductID) }},
		{Header: "DAY", Value: func(p db.PlannedPrice) string { return p.Day }},
		{Header: "PRICE", Key: "unit_price", Right: true, Value: func(p db.PlannedPrice) string { return p.UnitPrice.String() }},
		{Header: "APPLIED", Key: "applied_at", Value: func(p db.PlannedPrice) string { return optTimeCell(p.AppliedAt) }},
		{Header: "NOTE", Value: func(p db.PlannedPrice) string { return p.Note }},
	}
	fields := func(p *db.PlannedPrice) []field {
		return []field{{"id", intCell(p.ID)}, {"product_id", intCell(p.ProductID)}, {"day", p.Day}, {"unit_price", p.UnitPrice.String()},
			{"applied_at", optTimeCell(p.AppliedAt)}, {"note", p.Note}, {"created_at", timeCell(p.CreatedAt)}}
	}

	var f app.PlannedPriceFilter
	var listSKU string
	list := &cobra.Command{
		Use:   "list [--product SKU] [--pending]",
		Short: "List planned prices by day",
		Args:  subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			if err := checkPage(f.Limit, f.Offset); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				var err error
				if f.ProductID, err = productIDBySKU(cmd.Context(), b, listSKU); err != nil {
					return err
				}
				rows, total, err := b.PlannedPrices(cmd.Context(), f)
				if err != nil {
					return err
				}
				return renderPage(env, rows, total, cols)
			})
		},
	}
	list.Flags().StringVar(&listSKU, "product", "", "only this product's (SKU)")
	list.Flags().BoolVar(&f.Pending, "pending", false, "only those not applied yet")
	addPageFlags(list, &f.Limit, &f.Offset)

	var pl struct{ sku, day, price, note string }
	plan := &cobra.Command{
		Use:   "plan --product SKU --day DAY --unit-price AMOUNT [--note TEXT]",
		Short: "Plan a product's list price from a day after today on",
		Args:  subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			if pl.sku == "" {
				return usagef("prices plan: --product is required")
			}
			in := app.PlannedPriceInput{}
			ch := cmd.Flags().Changed
			if ch("day") {
				in.Day = &pl.day
			}
			if ch("unit-price") {
				m, err := db.ParseMoney(pl.price)
				if err != nil {
					return usagef("--unit-price must be an amount like 1.49, got %q", pl.price)
				}
				in.UnitPrice = &m
			}
			if ch("note") {
				in.Note = &pl.note
			}
			return env.withBackend(cmd, func(b backend) error {
				id, err := productIDBySKU(cmd.Context(), b, pl.sku)
				if err != nil {
					return err
				}
				p, err := b.PlanPrice(cmd.Context(), id, in)
				if err != nil {
					return err
				}
				return renderRecord(env, p, fields(p))
			})
		},
	}
	plan.Flags().StringVar(&pl.sku, "product", "", "the product (SKU)")
	plan.Flags().StringVar(&pl.day, "day", "", "the day the price takes effect, YYYY-MM-DD (after today)")
	plan.Flags().StringVar(&pl.price, "unit-price", "", "the new list price, e.g. 1.49")
	plan.Flags().StringVar(&pl.note, "note", "", "note")

	cancel := &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel a planned price not applied yet",
		Args:  exactArgs(1, "a planned price ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return usagef("prices cancel: the planned price ID must be a positive integer, got %q", args[0])
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				if err := b.CancelPlannedPrice(cmd.Context(), id); err != nil {
					return err
				}
				return renderRecord(env, map[string]any{"id": id, "deleted": true}, []field{{"id", intCell(id)}, {"deleted", "true"}})
			})
		},
	}
	cmd.AddCommand(list, plan, cancel)
	return cmd
}
