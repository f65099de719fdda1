package app

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"smartinventory/db"
)

// CSV import
//
// Import reads a CSV file of one kind (products, suppliers, categories or
// sales) and applies it in one transaction, all or nothing:
//
//   - The first line is a header naming the columns; names are matched
//     case-insensitively, surrounding spaces ignored and spaces or dashes
//     read as underscores ("Unit Price" = unit_price). ImportColumns lists
//     the accepted names per kind. Columns may come in any order; an unknown
//     or repeated column rejects the file.
//   - The file is UTF-8, with or without a byte order mark. The separator is
//     "," or ";", detected from the header line. Fields may be quoted as in
//     RFC 4180 (quotes doubled inside, separators and line breaks allowed).
//   - Amounts use a decimal point ("12.50"); with ImportOptions.DecimalComma
//     a decimal comma ("12,50") is accepted too. Booleans are true/false,
//     yes/no or 1/0. Times are RFC 3339, "YYYY-MM-DD HH:MM[:SS]" or a date
//     (all UTC unless an offset is given).
//   - An empty cell means "not given": an existing record keeps its value,
//     a new one gets the default.
//   - A text cell starting with an apostrophe before "=", "+", "-", "@", a
//     tab or a carriage return loses that apostrophe: exports add it so
//     spreadsheets do not run the text as a formula (csvformula.go).
//
// Every line is validated and every error is reported with its line
// number (the header is line 1; a record that spans lines is numbered by
// its first line), its column and the reason. If any line is invalid
// nothing is written. DryRun validates exactly as a real import (including
// stock checks for sales) and then discards the changes.
//
// Products are upserted by SKU; their category and supplier are named and
// created when missing; the stock column is the initial stock of new
// products and ignored for existing ones (stock changes only through
// movements). Suppliers and categories are upserted by name. Sales are
// appended following the same rules as Sales.Record: the product must be
// active, stock may not go negative (checked line by line in file order),
// each sale gets a stock movement with the balance after it, and the daily
// rollup is updated. A sale whose external_id is already recorded (or
// appears earlier in the file) is skipped and counted, so importing the
// same file twice adds nothing.
//
// Catalogue imports need the manager role, sales imports clerk.

// Import kinds.
const (
	ImportProducts   = "products"
	ImportSuppliers  = "suppliers"
	ImportCategories = "categories"
	ImportSales      = "sales"
)

// ImportKinds lists the kinds Import and Export accept.
func ImportKinds() []string {
	return []string{ImportProducts, ImportSuppliers, ImportCategories, ImportSales}
}

// MaxImportErrors is how many errors an import lists by default; it still
// counts all of them.
const MaxImportErrors = 1000

// ImportOptions tune an import.
type ImportOptions struct {
	// DryRun validates every line and reports what would change without
	// writing anything.
	DryRun bool
	// DecimalComma accepts "12,50" for amounts and fractions.
	DecimalComma bool
	// MaxErrors caps ImportSummary.Errors (default MaxImportErrors).
	MaxErrors int
	// Progress, when set, is called from the importing goroutine now and
	// then with the data lines and bytes read so far.
	Progress func(lines, bytes int64)
}

// ImportError is one problem of one line. Line 1 is the header.
type ImportError struct {
	Line    int64  `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// String formats e as "line 17, column quantity: must be greater than 0".
func (e ImportError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Message)
}

// ImportSummary tells what an import did (or, in a dry run or when it
// failed, would have done).
type ImportSummary struct {
	Kind   string `json:"kind"`
	DryRun bool   `json:"dry_run"`
	// Lines is the number of data lines read (the header not included).
	Lines    int64 `json:"lines"`
	Inserted int64 `json:"inserted"`
	Updated  int64 `json:"updated"`
	// Skipped counts unchanged records and sales already recorded.
	Skipped int64 `json:"skipped"`
	// CreatedCategories and CreatedSuppliers count those a products import
	// created because a line named them.
	CreatedCategories int64 `json:"created_categories,omitempty"`
	CreatedSuppliers  int64 `json:"created_suppliers,omitempty"`
	// ErrorCount counts every error; Errors lists the first MaxErrors in
	// line order.
	ErrorCount int64         `json:"error_count"`
	Errors     []ImportError `json:"errors"`
	// Written is true when the changes were committed.
	Written bool    `json:"written"`
	Seconds float64 `json:"seconds"`
}

// importColumns lists the accepted columns of each kind, in export order.
var importColumns = map[string][]string{
	ImportCategories: {"name", "description"},
	ImportSuppliers:  {"name", "contact_name", "email", "phone", "lead_time_days", "notes"},
	ImportProducts: {"sku", "name", "description", "category", "supplier", "unit_cost", "unit_price", "stock",
		"pack_size", "min_order_qty", "lead_time_days", "service_level", "reorder_point", "active"},
	ImportSales: {"sold_at", "sku", "quantity", "unit_price", "channel", "note", "external_id"},
}

// requiredColumns must be in the header.
var requiredColumns = map[string][]string{
	ImportCategories: {"name"},
	ImportSuppliers:  {"name"},
	ImportProducts:   {"sku"},
	ImportSales:      {"sku", "quantity"},
}

// ignoredColumns are accepted and ignored (they appear in exports).
var ignoredColumns = []string{"id", "version", "created_at", "updated_at"}

// columnAliases maps other accepted header names to columns.
var columnAliases = map[string]string{
	"category_name": "category", "supplier_name": "supplier", "cost": "unit_cost", "price": "unit_price",
	"qty": "quantity", "date": "sold_at", "contact": "contact_name", "lead_time": "lead_time_days",
	"moq": "min_order_qty",
}

// ImportColumns returns the column names an import of kind accepts (besides
// the ignored id, version, created_at and updated_at and the aliases).
func ImportColumns(kind string) []string { return slices.Clone(importColumns[kind]) }

func invalidKind(kind string) error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf("Unknown kind %q.", kind),
		Fields: []FieldError{{Field: "kind", Message: "must be one of " + strings.Join(ImportKinds(), ", ")}}}
}

// Import reads a CSV file of kind from r and applies it all or nothing (see
// the package notes above). It returns the summary and, when any line is
// invalid, an EINVALID *Error whose Fields name the column (Field), the
// line (Index) and the reason of the first errors. Other errors (database,
// reading r) come back wrapped, with the summary so far.
func (a *App) Import(ctx context.Context, actor Actor, kind string, r io.Reader, opt ImportOptions) (*ImportSummary, error) {
	began := time.Now()
	if _, ok := importColumns[kind]; !ok {
		return nil, invalidKind(kind)
	}
	need := db.RoleManager
	what := "import the catalogue"
	if kind == ImportSales {
		need, what = db.RoleClerk, "import sales"
	}
	if err := actor.require(need, what); err != nil {
		return nil, err
	}
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = MaxImportErrors
	}
	sum := &ImportSummary{Kind: kind, DryRun: opt.DryRun, Errors: []ImportError{}}
	errs := &errList{max: opt.MaxErrors}
	in, err := openCSV(r, kind, opt, errs)
	if err != nil {
		return sum, err
	}
	im := &importer{base: a.Catalog.base, actor: actor, opt: opt, in: in, errs: errs, sum: sum}
	if errs.count == 0 {
		err = im.run(ctx, kind)
	}
	sum.Seconds = time.Since(began).Seconds()
	errs.finish(sum)
	if err != nil {
		return sum, err
	}
	if sum.ErrorCount > 0 {
		return sum, importFailed(sum)
	}
	return sum, nil
}

// importFailed is the EINVALID error of an import with invalid lines.
func importFailed(sum *ImportSummary) error {
	fields := make([]FieldError, len(sum.Errors))
	for i, e := range sum.Errors {
		line := int(e.Line)
		fields[i] = FieldError{Field: e.Column, Message: e.Message, Index: &line}
	}
	return &Error{Code: EINVALID, Fields: fields,
		Message: fmt.Sprintf("Import rejected: %d errors in %d lines; nothing was written.", sum.ErrorCount, sum.Lines)}
}

// errList counts every error and keeps the first max in line order. Errors
// arrive roughly, not strictly, in line order (sales are checked in two
// stages), so up to max are kept per stage and sorted at the end.
type errList struct {
	max   int
	count int64
	items []ImportError
}

func (l *errList) add(line int64, col, format string, args ...any) {
	l.count++
	if len(l.items) < l.max {
		l.items = append(l.items, ImportError{Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
	}
}

// merge adds the errors of o.
func (l *errList) merge(o *errList) {
	l.count += o.count
	l.items = append(l.items, o.items...)
}

// finish moves the errors into sum, sorted by line and capped.
func (l *errList) finish(sum *ImportSummary) {
	sort.SliceStable(l.items, func(i, j int) bool { return l.items[i].Line < l.items[j].Line })
	if len(l.items) > l.max {
		l.items = l.items[:l.max]
	}
	sum.ErrorCount = l.count
	sum.Errors = append(sum.Errors[:0], l.items...)
}
