package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newPOCmd) }

// newPOCmd groups the purchase order subcommands. They run on the local
// database as the system actor.
func newPOCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "po",
		Short: "List, draft, approve, place, receive and cancel purchase orders",
		Long: `po manages purchase orders (locally, or with --server remotely): an order is drafted (by
hand or from the restock suggestions, one per supplier), approved, placed with
the supplier (ordered), then received in one or more deliveries, or cancelled.
Open orders (draft, approved, ordered, partial) count as on order in the
restock suggestions.`,
		Example: `  smartinventory po draft --from-suggestions
  smartinventory po list --status open
  smartinventory po approve 12
  smartinventory po order 12 --expected 2026-07-01
  smartinventory po receive 12 --line 31=20 --line 32=6
  smartinventory po receive 12 --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPOListCmd(env), newPOShowCmd(env), newPODraftCmd(env), newPOApproveCmd(env),
		newPOOrderCmd(env), newPOReceiveCmd(env), newPOCancelCmd(env))
	return cmd
}

// poParseID parses the ID argument of a po subcommand.
func poParseID(cmd string, arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("po %s: order ID must be a positive integer, got %q", cmd, arg)
	}
	return id, nil
}

func newPOListCmd(env *Env) *cobra.Command {
	var (
		status   string
		supplier int64
		limit    int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List purchase orders, newest first",
		Example: `  smartinventory po list --status open
  smartinventory po list --supplier 3 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			switch db.POStatus(status) {
			case "", "open", db.PODraft, db.POApproved, db.POOrdered, db.POPartial, db.POReceived, db.POCancelled:
			default:
				return usagef("po list: --status must be open, draft, approved, ordered, partial, received or cancelled, got %q", status)
			}
			if supplier < 0 {
				return usagef("po list: --supplier must be a supplier ID")
			}
			if limit < 1 || limit > app.MaxPageSize {
				return usagef("po list: --limit must be between 1 and %d", app.MaxPageSize)
			}
			return env.withBackend(cmd, func(b backend) error {
				orders, _, err := b.Orders(cmd.Context(), app.OrderFilter{Status: status, SupplierID: supplier, Limit: limit})
				if err != nil {
					return cliError(err)
				}
				names, err := b.SupplierNames(cmd.Context())
				if err != nil {
					return err
				}
				return renderList(env, orders, poColumns(names))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "only this status: open, draft, approved, ordered, partial, received or cancelled")
	f.Int64Var(&supplier, "supplier", 0, "only this supplier's orders (supplier ID)")
	f.IntVar(&limit, "limit", app.MaxPageSize, "at most this many orders")
	return cmd
}

func newPOShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show a purchase order and its lines",
		Example: `  smartinventory po show 12`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := poParseID("show", args[0])
			if err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				po, err := b.Order(cmd.Context(), id)
				if err != nil {
					return cliError(err)
				}
				return poShow(cmd.Context(), env, b, po)
			})
		},
	}
}

// poShow prints an order: JSON as the API shows it; a table of its
// lines, after a summary line on table output.
func poShow(ctx context.Context, env *Env, b backend, po *db.PurchaseOrder) error {
	if env.Output == OutputTable {
		names, err := b.SupplierNames(ctx)
		if err != nil {
			return err
		}
		exp := ""
		if po.ExpectedAt != nil {
			exp = ", expected " + po.ExpectedAt.UTC().Format(time.DateOnly)
		}
		fmt.Fprintf(env.Stdout, "purchase order %d to %s: %s%s, total %s\n", po.ID, names[po.SupplierID], po.Status, exp, po.Total())
		if po.Note != "" {
			fmt.Fprintf(env.Stdout, "note: %s\n", po.Note)
		}
	}
	skus, err := poProductSKUs(ctx, b, po.Lines)
	if err != nil {
		return err
	}
	return render(env, po, po.Lines, []Column[*db.PurchaseOrderLine]{
		{Header: "PRODUCT", Key: "product_id", Right: true, Value: func(l *db.PurchaseOrderLine) string { return intCell(l.ProductID) }},
		{Header: "SKU", Value: func(l *db.PurchaseOrderLine) string { return skus[l.ProductID] }},
		{Header: "QTY", Key: "quantity", Right: true, Value: func(l *db.PurchaseOrderLine) string { return intCell(l.Quantity) }},
		{Header: "RECEIVED", Key: "received_qty", Right: true, Value: func(l *db.PurchaseOrderLine) string { return intCell(l.ReceivedQty) }},
		{Header: "UNIT COST", Right: true, Value: func(l *db.PurchaseOrderLine) string { return l.UnitCost.String() }},
	})
}

func newPODraftCmd(env *Env) *cobra.Command {
	var (
		fromSuggestions bool
		supplier        int64
		note            string
	)
	cmd := &cobra.Command{
		Use:   "draft --from-suggestions",
		Short: "Draft one order per supplier from the restock suggestions",
		Long: `draft --from-suggestions turns every current restock suggestion with a
quantity into draft orders, one per supplier, at the suggested quantities.
Products already covered by open orders are not suggested, so running it twice
drafts nothing the second time. Products without a supplier are left out.
Forecasts are refreshed first when they are older than yesterday's data.`,
		Example: `  smartinventory po draft --from-suggestions
  smartinventory po draft --from-suggestions --supplier 3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !fromSuggestions {
				return usagef("po draft: only --from-suggestions is supported; draft by hand with the API or web UI")
			}
			if supplier < 0 {
				return usagef("po draft: --supplier must be a supplier ID")
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			in := app.FromSuggestionsInput{}
			if supplier > 0 {
				in.SupplierID = &supplier
			}
			if cmd.Flags().Changed("note") {
				in.Note = &note
			}
			return env.withBackend(cmd, func(b backend) error {
				if err := b.RefreshStaleForecasts(cmd.Context(), nil); err != nil {
					return cliError(err)
				}
				orders, err := b.DraftOrdersFromSuggestions(cmd.Context(), in)
				if err != nil {
					return cliError(err)
				}
				if len(orders) == 0 {
					fmt.Fprintln(env.Stderr, "nothing to draft: open orders cover every suggestion")
				}
				names, err := b.SupplierNames(cmd.Context())
				if err != nil {
					return err
				}
				return renderList(env, orders, poColumns(names))
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fromSuggestions, "from-suggestions", false, "draft from the current restock suggestions")
	f.Int64Var(&supplier, "supplier", 0, "only this supplier's products (supplier ID)")
	f.StringVar(&note, "note", app.DefaultSuggestionNote, "note on every draft")
	return cmd
}

// newPOTransitionCmd builds approve and cancel: a state change by ID.
func newPOTransitionCmd(env *Env, name, short string, do func(b backend) func(context.Context, int64) (*db.PurchaseOrder, error)) *cobra.Command {
	return &cobra.Command{
		Use:     name + " ID",
		Short:   short,
		Example: "  smartinventory po " + name + " 12",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := poParseID(name, args[0])
			if err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				po, err := do(b)(cmd.Context(), id)
				if err != nil {
					return cliError(err)
				}
				return poShow(cmd.Context(), env, b, po)
			})
		},
	}
}

func newPOApproveCmd(env *Env) *cobra.Command {
	return newPOTransitionCmd(env, "approve", "Approve a draft order", func(b backend) func(context.Context, int64) (*db.PurchaseOrder, error) {
		return b.ApproveOrder
	})
}

func newPOCancelCmd(env *Env) *cobra.Command {
	return newPOTransitionCmd(env, "cancel", "Cancel an order that is not yet fully received", func(b backend) func(context.Context, int64) (*db.PurchaseOrder, error) {
		return b.CancelOrder
	})
}

func newPOOrderCmd(env *Env) *cobra.Command {
	var expected string
	cmd := &cobra.Command{
		Use:   "order ID",
		Short: "Mark an approved order as placed with the supplier",
		Long: `order records that an approved order was sent to the supplier. The expected
delivery date defaults to today plus the supplier's lead time.`,
		Example: `  smartinventory po order 12 --expected 2026-07-01`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := poParseID("order", args[0])
			if err != nil {
				return err
			}
			var exp *time.Time
			if expected != "" {
				t, err := time.Parse(time.DateOnly, expected)
				if err != nil {
					return usagef("po order: --expected must be a date YYYY-MM-DD, got %q", expected)
				}
				exp = &t
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				po, err := b.MarkOrdered(cmd.Context(), id, exp)
				if err != nil {
					return cliError(err)
				}
				return poShow(cmd.Context(), env, b, po)
			})
		},
	}
	cmd.Flags().StringVar(&expected, "expected", "", "expected delivery date, YYYY-MM-DD")
	return cmd
}

func newPOReceiveCmd(env *Env) *cobra.Command {
	var (
		all   bool
		lines []string
	)
	cmd := &cobra.Command{
		Use:   "receive ID (--all | --line PRODUCT_ID=QTY ...)",
		Short: "Receive goods against an ordered purchase order",
		Long: `receive books a delivery: each line adds its quantity to the product's stock
as a receipt movement. --all receives everything still outstanding; --line
receives QTY units of product PRODUCT_ID (repeat it for more products). The
order is partial until nothing is outstanding, then received.`,
		Example: `  smartinventory po receive 12 --all
  smartinventory po receive 12 --line 31=20 --line 32=6`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := poParseID("receive", args[0])
			if err != nil {
				return err
			}
			if all == (len(lines) > 0) {
				return usagef("po receive: give --all or one or more --line PRODUCT_ID=QTY")
			}
			in, err := poParseLines(lines)
			if err != nil {
				return err
			}
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				if all {
					po, err := b.Order(cmd.Context(), id)
					if err != nil {
						return cliError(err)
					}
					for _, l := range po.Lines {
						if out := l.Outstanding(); out > 0 {
							in.Lines = append(in.Lines, app.ReceiveLine{ProductID: app.Ptr(l.ProductID), Quantity: app.Ptr(out)})
						}
					}
					if len(in.Lines) == 0 {
						return cliError(app.Errorf(app.ECONFLICT, "Purchase order %d has nothing outstanding.", id))
					}
				}
				po, err := b.ReceiveOrder(cmd.Context(), id, in)
				if err != nil {
					return cliError(err)
				}
				return poShow(cmd.Context(), env, b, po)
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&all, "all", false, "receive everything outstanding")
	f.StringArrayVar(&lines, "line", nil, "PRODUCT_ID=QTY received (repeatable)")
	return cmd
}

// poParseLines parses --line PRODUCT_ID=QTY values.
func poParseLines(raw []string) (app.ReceiveInput, error) {
	var in app.ReceiveInput
	for _, r := range raw {
		id, qty, ok := strings.Cut(r, "=")
		pid, err1 := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
		q, err2 := strconv.ParseInt(strings.TrimSpace(qty), 10, 64)
		if !ok || err1 != nil || err2 != nil || pid <= 0 || q <= 0 {
			return in, usagef("po receive: --line must be PRODUCT_ID=QTY with positive integers, got %q", r)
		}
		in.Lines = append(in.Lines, app.ReceiveLine{ProductID: app.Ptr(pid), Quantity: app.Ptr(q)})
	}
	return in, nil
}

// poColumns describes an order in lists.
func poColumns(suppliers map[int64]string) []Column[db.PurchaseOrder] {
	units := func(po db.PurchaseOrder, received bool) int64 {
		var n int64
		for _, l := range po.Lines {
			if received {
				n += l.ReceivedQty
			} else {
				n += l.Quantity
			}
		}
		return n
	}
	return []Column[db.PurchaseOrder]{
		{Header: "ID", Right: true, Value: func(po db.PurchaseOrder) string { return intCell(po.ID) }},
		{Header: "STATUS", Value: func(po db.PurchaseOrder) string { return string(po.Status) }},
		{Header: "SUPPLIER", Value: func(po db.PurchaseOrder) string { return suppliers[po.SupplierID] }},
		{Header: "LINES", Right: true, Value: func(po db.PurchaseOrder) string { return strconv.Itoa(len(po.Lines)) }},
		{Header: "UNITS", Right: true, Value: func(po db.PurchaseOrder) string { return intCell(units(po, false)) }},
		{Header: "RECEIVED", Right: true, Value: func(po db.PurchaseOrder) string { return intCell(units(po, true)) }},
		{Header: "TOTAL", Right: true, Value: func(po db.PurchaseOrder) string { return po.Total().String() }},
		{Header: "CREATED", Key: "created_at", Value: func(po db.PurchaseOrder) string { return timeCell(po.CreatedAt) }},
		{Header: "EXPECTED", Key: "expected_at", Value: func(po db.PurchaseOrder) string { return optTimeCell(po.ExpectedAt) }},
	}
}

// poProductSKUs maps the products of lines to their SKUs.
func poProductSKUs(ctx context.Context, b backend, lines []*db.PurchaseOrderLine) (map[int64]string, error) {
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ProductID
	}
	return b.ProductSKUs(ctx, ids)
}
