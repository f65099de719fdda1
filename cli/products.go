package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/db"
)

func init() { register(newProductsCmd) }

// newProductsCmd groups the product catalogue subcommands.
func newProductsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "products",
		Aliases: []string{"product"},
		Short:   "List, show, create, update and delete products",
		Long: `products manages the catalogue, on the local database or, with --server, on a
running server. Products are named by SKU. Writes need the manager role
remotely; update needs the --version you are editing (see products show), and a
stale one exits 3 with the current version.`,
		Example: `  smartinventory products list --query hammer --low-stock
  smartinventory products show SKU-0001 -o json
  smartinventory products create --sku HAM-1 --name Hammer --unit-price 12.50 --stock 10
  smartinventory products update HAM-1 --version 1 --unit-price 13
  smartinventory products create --from-json product.json
  smartinventory products delete HAM-1`,
		Args: subcommandArgs,
		RunE: missingSubcommand,
	}
	cmd.AddCommand(newProductsListCmd(env), newProductsShowCmd(env), newProductsCreateCmd(env),
		newProductsUpdateCmd(env), newProductsDeleteCmd(env))
	return cmd
}

// productColumns describes a product in lists.
func productColumns() []Column[db.Product] {
	return []Column[db.Product]{
		{Header: "ID", Right: true, Value: func(p db.Product) string { return intCell(p.ID) }},
		{Header: "SKU", Value: func(p db.Product) string { return p.SKU }},
		{Header: "NAME", Value: func(p db.Product) string { return p.Name }},
		{Header: "STOCK", Right: true, Value: func(p db.Product) string { return intCell(p.Stock) }},
		{Header: "PRICE", Key: "unit_price", Right: true, Value: func(p db.Product) string { return p.UnitPrice.String() }},
		{Header: "COST", Key: "unit_cost", Right: true, Value: func(p db.Product) string { return p.UnitCost.String() }},
		{Header: "CATEGORY", Key: "category_id", Right: true, Value: func(p db.Product) string { return optIntCell(p.CategoryID) }},
		{Header: "SUPPLIER", Key: "supplier_id", Right: true, Value: func(p db.Product) string { return optIntCell(p.SupplierID) }},
		{Header: "ACTIVE", Value: func(p db.Product) string { return boolCell(p.Active) }},
		{Header: "VERSION", Right: true, Value: func(p db.Product) string { return intCell(p.Version) }},
	}
}

// optIntCell formats an optional integer; nil is an empty cell.
func optIntCell[T int | int64](v *T) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(int64(*v), 10)
}

// field is one line of a record shown as FIELD VALUE rows.
type field struct{ Name, Value string }

// fieldColumns shows a record vertically, one field a row.
var fieldColumns = []Column[field]{
	{Header: "FIELD", Value: func(f field) string { return f.Name }},
	{Header: "VALUE", Value: func(f field) string { return f.Value }},
}

// renderRecord writes one record: JSON as the API shows it, a FIELD/VALUE
// table or CSV otherwise.
func renderRecord(env *Env, data any, fields []field) error {
	return render(env, data, fields, fieldColumns)
}

// productFields lists a product's fields for show.
func productFields(p *db.Product) []field {
	sl := ""
	if p.ServiceLevel != nil {
		sl = strconv.FormatFloat(*p.ServiceLevel, 'f', -1, 64)
	}
	return []field{
		{"id", intCell(p.ID)}, {"sku", p.SKU}, {"name", p.Name}, {"description", p.Description},
		{"category_id", optIntCell(p.CategoryID)}, {"supplier_id", optIntCell(p.SupplierID)},
		{"unit_cost", p.UnitCost.String()}, {"unit_price", p.UnitPrice.String()}, {"stock", intCell(p.Stock)},
		{"pack_size", strconv.Itoa(p.PackSize)}, {"min_order_qty", strconv.Itoa(p.MinOrderQty)},
		{"lead_time_days", optIntCell(p.LeadTimeDays)}, {"service_level", sl},
		{"reorder_point", intCell(p.ReorderPoint)}, {"active", boolCell(p.Active)}, {"version", intCell(p.Version)},
		{"created_at", timeCell(p.CreatedAt)}, {"updated_at", timeCell(p.UpdatedAt)},
	}
}

func newProductsListCmd(env *Env) *cobra.Command {
	var f app.ProductFilter
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List products by SKU (or --sort)",
		Example: `  smartinventory products list --query drill --limit 20
  smartinventory products list --low-stock -o csv
  smartinventory products list --active all --sort -stock -o json`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			if err := checkPage(f.Limit, f.Offset); err != nil {
				return err
			}
			switch f.Active {
			case "true", "false", "all":
			default:
				return usagef("products list: --active must be true, false or all, got %q", f.Active)
			}
			return env.withBackend(cmd, func(b backend) error {
				rows, total, err := b.Products(cmd.Context(), f)
				if err != nil {
					return err
				}
				return renderPage(env, rows, total, productColumns())
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.Query, "query", "q", "", "only products whose SKU or name contains this text")
	fl.Int64Var(&f.CategoryID, "category", 0, "only this category ID")
	fl.Int64Var(&f.SupplierID, "supplier", 0, "only this supplier ID")
	fl.BoolVar(&f.LowStock, "low-stock", false, "only products at or below their reorder point")
	fl.StringVar(&f.Active, "active", "true", "true, false or all")
	fl.StringVar(&f.Sort, "sort", "sku", "sort key: "+strings.Join(app.ProductSortKeys(), ", ")+"; prefix - for descending")
	addPageFlags(cmd, &f.Limit, &f.Offset)
	return cmd
}

// addPageFlags adds --limit and --offset.
func addPageFlags(cmd *cobra.Command, limit, offset *int) {
	cmd.Flags().IntVar(limit, "limit", app.DefaultPageSize, "rows to show (at most "+strconv.Itoa(app.MaxPageSize)+")")
	cmd.Flags().IntVar(offset, "offset", 0, "rows to skip")
}

// checkPage validates --limit and --offset.
func checkPage(limit, offset int) error {
	if limit < 1 || limit > app.MaxPageSize {
		return usagef("--limit must be between 1 and %d", app.MaxPageSize)
	}
	if offset < 0 {
		return usagef("--offset must not be negative")
	}
	return nil
}

// renderPage writes a page of a list: JSON {"items": rows, "total": total}
// where total counts every match, not only this page.
func renderPage[T any](env *Env, rows []T, total int, cols []Column[T]) error {
	if rows == nil {
		rows = []T{}
	}
	return render(env, listJSON[T]{Items: rows, Total: total}, rows, cols)
}

func newProductsShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:     "show SKU",
		Short:   "Show one product",
		Example: `  smartinventory products show SKU-0001 -o json`,
		Args:    exactArgs(1, "a SKU"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				p, err := b.ProductBySKU(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return renderRecord(env, p, productFields(p))
			})
		},
	}
}

// productFlags are the flags of products create and update, one per field.
type productFlags struct {
	fromJSON                                   string
	sku, name, description                     string
	category, supplier, leadTime, serviceLevel string // ID|N|F, or "none" to clear
	unitCost, unitPrice                        string
	stock, reorderPoint                        int64
	packSize, minOrderQty                      int
	active                                     bool
	version                                    int64
	// categoryName and supplierName are --category and --supplier given
	// by name, resolved by resolve.
	categoryName, supplierName string
}

// resolve sets the category and supplier given by name to their IDs.
func (pf *productFlags) resolve(ctx context.Context, b backend, in *app.ProductInput) error {
	if pf.categoryName != "" {
		c, err := findNamed(ctx, b, pf.categoryName, "category",
			func(ctx context.Context, b backend, id int64) (*db.Category, error) { return b.Category(ctx, id) },
			func(ctx context.Context, b backend, f app.NameFilter) ([]db.Category, int, error) {
				return b.Categories(ctx, f)
			},
			func(c db.Category) string { return c.Name })
		if err != nil {
			return err
		}
		in.CategoryID = app.Of(c.ID)
	}
	if pf.supplierName != "" {
		s, err := findNamed(ctx, b, pf.supplierName, "supplier",
			func(ctx context.Context, b backend, id int64) (*db.Supplier, error) { return b.Supplier(ctx, id) },
			func(ctx context.Context, b backend, f app.NameFilter) ([]db.Supplier, int, error) {
				return b.Suppliers(ctx, f)
			},
			func(s db.Supplier) string { return s.Name })
		if err != nil {
			return err
		}
		in.SupplierID = app.Of(s.ID)
	}
	return nil
}

func (pf *productFlags) add(cmd *cobra.Command, create bool) {
	f := cmd.Flags()
	f.StringVar(&pf.fromJSON, "from-json", "", "read the product from a JSON file (- for standard input) in the API's shape; flags override its fields")
	f.StringVar(&pf.sku, "sku", "", "stock-keeping unit, unique")
	f.StringVar(&pf.name, "name", "", "name")
	f.StringVar(&pf.description, "description", "", "description")
	f.StringVar(&pf.category, "category", "", "category ID or name, or none")
	f.StringVar(&pf.supplier, "supplier", "", "supplier ID or name, or none")
	f.StringVar(&pf.unitCost, "unit-cost", "", "unit cost, e.g. 7.20")
	f.StringVar(&pf.unitPrice, "unit-price", "", "unit price, e.g. 12.50")
	if create {
		f.Int64Var(&pf.stock, "stock", 0, "initial stock on hand")
	}
	f.IntVar(&pf.packSize, "pack-size", 1, "units per pack; orders are multiples of it")
	f.IntVar(&pf.minOrderQty, "min-order-qty", 1, "minimum order quantity")
	f.StringVar(&pf.leadTime, "lead-time-days", "", "lead time in days, or none for the supplier's")
	f.StringVar(&pf.serviceLevel, "service-level", "", "target service level 0.5-0.999, or none for the ABC default")
	f.Int64Var(&pf.reorderPoint, "reorder-point", 0, "manual low-stock threshold (0 = none)")
	f.BoolVar(&pf.active, "active", true, "whether the product is active")
	if !create {
		f.Int64Var(&pf.version, "version", 0, "the version you are editing (required; see products show)")
	}
}

// input builds the product input: --from-json first, then every flag given.
func (pf *productFlags) input(cmd *cobra.Command, env *Env) (app.ProductInput, error) {
	var in app.ProductInput
	if pf.fromJSON != "" {
		if err := readJSONInput(env, pf.fromJSON, &in); err != nil {
			return in, err
		}
	}
	ch := cmd.Flags().Changed
	setStr := func(name string, dst **string, v string) {
		if ch(name) {
			*dst = &v
		}
	}
	setStr("sku", &in.SKU, pf.sku)
	setStr("name", &in.Name, pf.name)
	setStr("description", &in.Description, pf.description)
	var err error
	money := func(name string, dst **db.Money, v string) {
		if !ch(name) || err != nil {
			return
		}
		m, perr := db.ParseMoney(v)
		if perr != nil {
			err = usagef("--%s must be an amount like 12.50, got %q", name, v)
			return
		}
		*dst = &m
	}
	money("unit-cost", &in.UnitCost, pf.unitCost)
	money("unit-price", &in.UnitPrice, pf.unitPrice)
	pf.categoryName, pf.supplierName = "", ""
	if ch("category") {
		if in.CategoryID, err = nullableFlag("category", pf.category, parseID); err != nil {
			pf.categoryName, err = pf.category, nil
		}
	}
	if ch("supplier") && err == nil {
		if in.SupplierID, err = nullableFlag("supplier", pf.supplier, parseID); err != nil {
			pf.supplierName, err = pf.supplier, nil
		}
	}
	if ch("lead-time-days") && err == nil {
		in.LeadTimeDays, err = nullableFlag("lead-time-days", pf.leadTime, strconv.Atoi)
	}
	if ch("service-level") && err == nil {
		in.ServiceLevel, err = nullableFlag("service-level", pf.serviceLevel, func(s string) (float64, error) {
			return strconv.ParseFloat(s, 64)
		})
	}
	if err != nil {
		return in, err
	}
	if ch("stock") {
		in.Stock = &pf.stock
	}
	if ch("pack-size") {
		in.PackSize = &pf.packSize
	}
	if ch("min-order-qty") {
		in.MinOrderQty = &pf.minOrderQty
	}
	if ch("reorder-point") {
		in.ReorderPoint = &pf.reorderPoint
	}
	if ch("active") {
		in.Active = &pf.active
	}
	if ch("version") {
		in.Version = &pf.version
	}
	return in, nil
}

// parseID parses a positive integer ID.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err == nil && id <= 0 {
		err = fmt.Errorf("not positive")
	}
	return id, err
}

// nullableFlag parses a flag whose value may be "none" (clear the field).
func nullableFlag[T any](name, raw string, parse func(string) (T, error)) (app.Nullable[T], error) {
	raw = strings.TrimSpace(raw)
	if raw == "none" || raw == "null" {
		return app.Null[T](), nil
	}
	v, err := parse(raw)
	if err != nil {
		return app.Nullable[T]{}, usagef("--%s must be a value or none, got %q", name, raw)
	}
	return app.Of(v), nil
}

// readJSONInput decodes the JSON object in file (- = standard input) into
// v strictly: unknown fields and trailing data are usage errors.
func readJSONInput(env *Env, file string, v any) error {
	var raw []byte
	var err error
	if file == "-" {
		raw, err = io.ReadAll(env.Stdin)
	} else {
		raw, err = os.ReadFile(file)
	}
	if err != nil {
		return fmt.Errorf("read --from-json: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return usagef("--from-json %s: %v", file, err)
	}
	if dec.More() {
		return usagef("--from-json %s: more than one JSON value", file)
	}
	return nil
}

func newProductsCreateCmd(env *Env) *cobra.Command {
	var pf productFlags
	cmd := &cobra.Command{
		Use:   "create --sku SKU --name NAME [flags]",
		Short: "Create a product",
		Example: `  smartinventory products create --sku HAM-1 --name Hammer --unit-cost 7.20 --unit-price 12.50 --stock 10 --supplier 3
  echo '{"sku":"HAM-2","name":"Mallet"}' | smartinventory products create --from-json -`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			in, err := pf.input(cmd, env)
			if err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				if err := pf.resolve(cmd.Context(), b, &in); err != nil {
					return err
				}
				p, err := b.CreateProduct(cmd.Context(), in)
				if err != nil {
					return err
				}
				return renderRecord(env, p, productFields(p))
			})
		},
	}
	pf.add(cmd, true)
	return cmd
}

func newProductsUpdateCmd(env *Env) *cobra.Command {
	var pf productFlags
	cmd := &cobra.Command{
		Use:   "update SKU --version N [flags]",
		Short: "Change the fields given of a product",
		Long: `update changes only the fields given as flags (or in --from-json). --version
must be the version you are editing, as products show prints it: if someone
changed the product since, nothing is changed and the command exits 3 with the
current version. Stock changes through stock adjust and stock receive.`,
		Example: `  smartinventory products update HAM-1 --version 2 --unit-price 13.90 --category none`,
		Args:    exactArgs(1, "a SKU"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			in, err := pf.input(cmd, env)
			if err != nil {
				return err
			}
			if in.Version == nil {
				return usagef("products update: --version is required (the version you are editing; see products show %s)", args[0])
			}
			return env.withBackend(cmd, func(b backend) error {
				cur, err := b.ProductBySKU(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if err := pf.resolve(cmd.Context(), b, &in); err != nil {
					return err
				}
				p, err := b.UpdateProduct(cmd.Context(), cur.ID, in)
				if err != nil {
					return err
				}
				return renderRecord(env, p, productFields(p))
			})
		},
	}
	pf.add(cmd, false)
	return cmd
}

func newProductsDeleteCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "delete SKU",
		Short: "Delete a product, or deactivate it when it has history",
		Long: `delete removes a product that has no sales or stock movements beyond its
initial stock; one with history is deactivated instead (it keeps its history
and leaves the lists, forecasts and suggestions).`,
		Example: `  smartinventory products delete HAM-1`,
		Args:    exactArgs(1, "a SKU"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.checkOutput(); err != nil {
				return err
			}
			return env.withBackend(cmd, func(b backend) error {
				p, err := b.ProductBySKU(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				deleted, err := b.DeleteProduct(cmd.Context(), p.ID)
				if err != nil {
					return err
				}
				return renderDeleted(env, deleted)
			})
		},
	}
}

// deleteResult is the JSON of a delete, as the API answers it.
type deleteResult struct {
	Deleted     bool `json:"deleted"`
	Deactivated bool `json:"deactivated"`
}

// renderDeleted reports a delete: JSON as the API, else one line on stderr.
func renderDeleted(env *Env, deleted bool) error {
	if env.Output == OutputJSON {
		return writeJSON(env.Stdout, deleteResult{Deleted: deleted, Deactivated: !deleted})
	}
	if deleted {
		fmt.Fprintln(env.Stderr, "deleted")
	} else {
		fmt.Fprintln(env.Stderr, "deactivated (it has history)")
	}
	return nil
}
