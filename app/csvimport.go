package app

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

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

// csvIn reads the records of an import file.
type csvIn struct {
	cr   *csv.Reader
	col  map[string]int // column → field index
	rec  []string
	line int64 // first line of rec
	opt  ImportOptions
}

// openCSV skips a BOM, detects the separator, reads and checks the header.
// Header problems are added to errs (line 1).
func openCSV(r io.Reader, kind string, opt ImportOptions, errs *errList) (*csvIn, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read import file: %w", err)
	}
	cr := csv.NewReader(br)
	cr.Comma = detectSeparator(head)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	in := &csvIn{cr: cr, col: map[string]int{}, opt: opt}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		errs.add(1, "", "the file is empty; it needs a header line")
		return in, nil
	}
	if err != nil {
		errs.add(1, "", "cannot read the header: %s", csvReason(err))
		return in, nil
	}
	known := importColumns[kind]
	for i, h := range header {
		name := normalizeColumn(h)
		if alias, ok := columnAliases[name]; ok && slices.Contains(known, alias) {
			name = alias
		}
		switch {
		case name == "" && strings.TrimSpace(h) == "":
			errs.add(1, strconv.Itoa(i+1), "column %d has no name", i+1)
		case slices.Contains(ignoredColumns, name):
			continue
		case !slices.Contains(known, name):
			errs.add(1, strings.TrimSpace(h), "unknown column; accepted: %s", strings.Join(known, ", "))
		default:
			if _, dup := in.col[name]; dup {
				errs.add(1, name, "column appears twice")
			}
			in.col[name] = i
		}
	}
	for _, req := range requiredColumns[kind] {
		if _, ok := in.col[req]; !ok {
			errs.add(1, req, "required column is missing")
		}
	}
	return in, nil
}

// detectSeparator picks ";" when the header line holds more semicolons than
// commas outside quotes, else ",".
func detectSeparator(head []byte) rune {
	commas, semis := 0, 0
	quoted := false
	for _, c := range head {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			if semis > commas {
				return ';'
			}
			return ','
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// normalizeColumn lower-cases a header name and turns spaces and dashes
// into underscores.
func normalizeColumn(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, h)
}

// csvReason turns a csv.ParseError into a short reason.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// next reads the next record. It returns false at the end of the file. A
// malformed record is reported to errs and skipped.
func (in *csvIn) next(errs *errList) (bool, error) {
	for {
		rec, err := in.cr.Read()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			// No record: FieldPos may not be called; the line comes from the error.
			in.rec = nil
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				in.line = int64(pe.StartLine)
				errs.add(in.line, "", "malformed CSV: %s", csvReason(err))
				return true, nil
			}
			return false, fmt.Errorf("read import file: %w", err)
		}
		line, _ := in.cr.FieldPos(0)
		in.line = int64(line)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		in.rec = rec
		return true, nil
	}
}

// ok reports whether the current record was read without a CSV error.
func (in *csvIn) ok() bool { return in.rec != nil }

// get returns the trimmed cell of column and whether it is non-empty.
func (in *csvIn) get(column string) (string, bool) {
	i, ok := in.col[column]
	if !ok || i >= len(in.rec) {
		return "", false
	}
	s := strings.TrimSpace(in.rec[i])
	return s, s != ""
}

// cells parses the cells of the current record, reporting problems.
type cells struct {
	in   *csvIn
	errs *errList
	bad  bool
}

func (c *cells) fail(col, format string, args ...any) {
	c.bad = true
	c.errs.add(c.in.line, col, format, args...)
}

// text returns a text cell, checking UTF-8 and length. The apostrophe
// that exports put before formula-like text is taken off (csvformula.go).
func (c *cells) text(col string, maxLen int) *string {
	s, ok := c.in.get(col)
	if !ok {
		return nil
	}
	s = restoreCell(s)
	switch {
	case !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0:
		c.fail(col, "is not valid UTF-8 text")
		return nil
	case maxLen > 0 && tooLong(s, maxLen):
		c.fail(col, "must be at most %d characters", maxLen)
		return nil
	}
	return &s
}

func (c *cells) integer(col string) *int64 {
	s, ok := c.in.get(col)
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		c.fail(col, "must be a whole number, got %q", s)
		return nil
	}
	return &n
}

func (c *cells) smallInt(col string) *int {
	n := c.integer(col)
	if n == nil {
		return nil
	}
	if *n < -1_000_000_000 || *n > 1_000_000_000 {
		c.fail(col, "is out of range")
		return nil
	}
	v := int(*n)
	return &v
}

// decimal normalises a decimal comma when allowed.
func (c *cells) decimal(s string) string {
	if c.in.opt.DecimalComma {
		return strings.Replace(s, ",", ".", 1)
	}
	return s
}

func (c *cells) money(col string) *db.Money {
	s, ok := c.in.get(col)
	if !ok {
		return nil
	}
	m, err := db.ParseMoney(c.decimal(s))
	if err != nil {
		if !c.in.opt.DecimalComma && strings.Contains(s, ",") {
			c.fail(col, "must be an amount like 12.50, got %q (use the decimal comma option for 12,50)", s)
		} else {
			c.fail(col, "must be an amount like %s, got %q", c.example(), s)
		}
		return nil
	}
	return &m
}

func (c *cells) example() string {
	if c.in.opt.DecimalComma {
		return "12,50"
	}
	return "12.50"
}

func (c *cells) fraction(col string) *float64 {
	s, ok := c.in.get(col)
	if !ok {
		return nil
	}
	f, err := strconv.ParseFloat(c.decimal(s), 64)
	if err != nil {
		c.fail(col, "must be a number, got %q", s)
		return nil
	}
	return &f
}

func (c *cells) boolean(col string) *bool {
	s, ok := c.in.get(col)
	if !ok {
		return nil
	}
	var v bool
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1":
		v = true
	case "false", "no", "n", "0":
	default:
		c.fail(col, "must be true or false, got %q", s)
		return nil
	}
	return &v
}

// timeLayouts are the accepted time formats, tried in order.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02 15:04", db.DayLayout}

func (c *cells) time(col string) *time.Time {
	s, ok := c.in.get(col)
	if !ok {
		return nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	c.fail(col, "must be a time like 2026-03-01 14:30:00 or 2026-03-01T14:30:00Z, got %q", s)
	return nil
}

// importer runs one import.
type importer struct {
	*base
	actor Actor
	opt   ImportOptions
	in    *csvIn
	errs  *errList
	sum   *ImportSummary
	// dryIDs hands out the stand-in (negative) ids of what a dry run would
	// have created.
	dryIDs int64
}

// importBatch is the number of catalogue lines handled together.
const importBatch = 500

func (im *importer) run(ctx context.Context, kind string) error {
	err := im.withTx(ctx, func(tx bun.Tx) error {
		var err error
		switch kind {
		case ImportCategories:
			err = im.importCategories(ctx, tx)
		case ImportSuppliers:
			err = im.importSuppliers(ctx, tx)
		case ImportProducts:
			err = im.importProducts(ctx, tx)
		case ImportSales:
			err = im.importSales(ctx, tx)
		}
		if err != nil {
			return err
		}
		if im.errs.count > 0 || im.opt.DryRun {
			return errRollback
		}
		return im.audit.record(ctx, tx, im.actor, "import", importEntity[kind], 0, nil, map[string]any{
			"lines": im.sum.Lines, "inserted": im.sum.Inserted, "updated": im.sum.Updated, "skipped": im.sum.Skipped})
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	if err != nil {
		return err
	}
	im.sum.Written = true
	return nil
}

var importEntity = map[string]string{ImportCategories: "category", ImportSuppliers: "supplier", ImportProducts: "product", ImportSales: "sale"}

// errRollback ends a transaction that must not commit (dry run, errors).
var errRollback = errors.New("rollback")

// sqliteImportPragmas tune the importing SQLite connection as the demo
// loader does: a large page cache for the growing indexes (temporary data
// is in memory on every connection) and foreign keys off so multi-row
// INSERTs need no statement journal (every reference is resolved inside the
// import's transaction, which holds the write lock). sqliteImportRestore
// undoes them.
var (
	sqliteImportPragmas = []string{"PRAGMA cache_size = -262144", "PRAGMA foreign_keys = OFF"}
	sqliteImportRestore = []string{"PRAGMA cache_size = -2000", "PRAGMA foreign_keys = ON"}
)

// withTx runs fn in one transaction on a dedicated connection (tuned on
// SQLite), committing when fn returns nil.
//
// A dry run writes nothing, so it does not take the writer: it reads one
// snapshot in a read-only transaction (a deferred BEGIN on SQLite, with
// the connection set query_only so that no statement can take the write
// lock; a REPEATABLE READ, READ ONLY transaction on PostgreSQL, which
// takes no row locks), and the importers skip their writes and keep what
// they would have written in memory.
func (im *importer) withTx(ctx context.Context, fn func(tx bun.Tx) error) (err error) {
	dry := im.opt.DryRun
	if !dry {
		unlock, err := im.lockWrites(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	conn, err := im.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("import: get connection: %w", err)
	}
	defer conn.Close()
	if db.IsSQLite(im.db) {
		pragmas, restore := sqliteImportPragmas, sqliteImportRestore
		if dry {
			pragmas, restore = append(slices.Clone(pragmas), "PRAGMA query_only = ON"), append(slices.Clone(restore), "PRAGMA query_only = OFF")
		}
		defer func() {
			for _, p := range restore {
				if _, rerr := conn.ExecContext(context.Background(), p); rerr != nil && err == nil {
					err = fmt.Errorf("import: %s: %w", p, rerr)
				}
			}
		}()
		for _, p := range pragmas {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return fmt.Errorf("import: %s: %w", p, err)
			}
		}
	}
	opts := &sql.TxOptions{ReadOnly: dry}
	if dry && db.IsPostgres(im.db) {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for the whole file
	}
	err = conn.RunInTx(ctx, opts, func(ctx context.Context, tx bun.Tx) error { return fn(tx) })
	if err == nil && !dry {
		im.changes.Bump()
	}
	return err
}

// progress reports progress every so many lines.
func (im *importer) progress(force bool) {
	if im.opt.Progress != nil && (force || im.sum.Lines%5000 == 0) {
		im.opt.Progress(im.sum.Lines, im.in.cr.InputOffset())
	}
}

// readBatch reads up to importBatch lines, calling parse for each record
// read without CSV errors. It returns false when the file is exhausted and
// nothing was read.
func (im *importer) readBatch(ctx context.Context, parse func(c *cells)) (bool, error) {
	got := false
	for range importBatch {
		more, err := im.in.next(im.errs)
		if err != nil {
			return false, err
		}
		if !more {
			break
		}
		got = true
		im.sum.Lines++
		im.progress(false)
		if im.in.ok() {
			parse(&cells{in: im.in, errs: im.errs})
		}
		im.in.rec = nil
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("import: %w", err)
	}
	im.progress(!got)
	return got, nil
}

// lineFields reports the validation errors of one line.
func (im *importer) lineFields(line int64, v *validation, rename map[string]string) bool {
	for _, f := range v.fields {
		col := f.Field
		if r, ok := rename[col]; ok {
			col = r
		}
		im.errs.add(line, col, "%s", f.Message)
	}
	return len(v.fields) > 0
}

// dupCheck reports a key seen on an earlier line.
func (im *importer) dupCheck(seen map[string]int64, key string, line int64, col string) bool {
	return im.dupCheckKey(seen, key, key, line, col)
}

// dupCheckKey is dupCheck of a value known by its key (a SKU by
// namekey.Key): the error shows the value as written.
func (im *importer) dupCheckKey(seen map[string]int64, key, value string, line int64, col string) bool {
	if first, ok := seen[key]; ok {
		im.errs.add(line, col, "%q appears again (first on line %d)", value, first)
		return true
	}
	seen[key] = line
	return false
}

// categoryRow is one line of a categories import.
type categoryRow struct {
	line int64
	in   CategoryInput
}

func (im *importer) importCategories(ctx context.Context, tx bun.Tx) error {
	seen := map[string]int64{}
	now := im.now()
	for {
		var rows []categoryRow
		more, err := im.readBatch(ctx, func(c *cells) {
			r := categoryRow{line: im.in.line, in: CategoryInput{Name: c.text("name", MaxNameLength), Description: c.text("description", MaxDescriptionLength)}}
			if c.bad {
				return
			}
			if r.in.Name == nil {
				c.fail("name", "is required")
				return
			}
			if !im.dupCheck(seen, *r.in.Name, r.line, "name") {
				rows = append(rows, r)
			}
		})
		if err != nil || !more {
			return err
		}
		names := make([]string, len(rows))
		for i, r := range rows {
			names[i] = *r.in.Name
		}
		var have []db.Category
		if err := tx.NewSelect().Model(&have).Where("name IN (?)", bun.In(names)).Scan(ctx); err != nil {
			return fmt.Errorf("import: load categories: %w", err)
		}
		byName := map[string]*db.Category{}
		for i := range have {
			byName[have[i].Name] = &have[i]
		}
		var inserts []*db.Category
		for _, r := range rows {
			cur := byName[*r.in.Name]
			next := db.Category{Version: 1, CreatedAt: now, UpdatedAt: now}
			if cur != nil {
				next = *cur
			}
			r.in.apply(&next)
			v := &validation{}
			validateCategory(v, &next)
			if im.lineFields(r.line, v, nil) {
				continue
			}
			switch {
			case cur == nil:
				c := next
				inserts = append(inserts, &c)
			case next == *cur:
				im.sum.Skipped++
			default:
				next.Version, next.UpdatedAt = cur.Version+1, now
				if im.opt.DryRun {
					im.sum.Updated++
					continue
				}
				if _, err := tx.NewUpdate().Model(&next).Column("description", "version", "updated_at").
					Where("id = ? AND version = ?", cur.ID, cur.Version).Exec(ctx); err != nil {
					return fmt.Errorf("import: update category %q: %w", cur.Name, err)
				}
				im.sum.Updated++
			}
		}
		if len(inserts) > 0 && im.opt.DryRun {
			im.sum.Inserted += int64(len(inserts))
		} else if len(inserts) > 0 {
			if _, err := tx.NewInsert().Model(&inserts).Exec(ctx); err != nil {
				return fmt.Errorf("import: insert categories: %w", err)
			}
			im.sum.Inserted += int64(len(inserts))
		}
	}
}

// supplierRow is one line of a suppliers import.
type supplierRow struct {
	line int64
	in   SupplierInput
}

func (im *importer) importSuppliers(ctx context.Context, tx bun.Tx) error {
	seen := map[string]int64{}
	now := im.now()
	for {
		var rows []supplierRow
		more, err := im.readBatch(ctx, func(c *cells) {
			r := supplierRow{line: im.in.line, in: SupplierInput{
				Name: c.text("name", MaxNameLength), ContactName: c.text("contact_name", MaxNameLength), Email: c.text("email", MaxEmailLength),
				Phone: c.text("phone", MaxPhoneLength), LeadTimeDays: c.smallInt("lead_time_days"), Notes: c.text("notes", MaxNotesLength)}}
			if c.bad {
				return
			}
			if r.in.Name == nil {
				c.fail("name", "is required")
				return
			}
			if !im.dupCheck(seen, *r.in.Name, r.line, "name") {
				rows = append(rows, r)
			}
		})
		if err != nil || !more {
			return err
		}
		names := make([]string, len(rows))
		for i, r := range rows {
			names[i] = *r.in.Name
		}
		var have []db.Supplier
		if err := tx.NewSelect().Model(&have).Where("name IN (?)", bun.In(names)).Scan(ctx); err != nil {
			return fmt.Errorf("import: load suppliers: %w", err)
		}
		byName := map[string]*db.Supplier{}
		for i := range have {
			byName[have[i].Name] = &have[i]
		}
		var inserts []*db.Supplier
		for _, r := range rows {
			cur := byName[*r.in.Name]
			next := db.Supplier{LeadTimeDays: 7, Version: 1, CreatedAt: now, UpdatedAt: now}
			if cur != nil {
				next = *cur
			}
			r.in.apply(&next)
			v := &validation{}
			validateSupplier(v, &next)
			if im.lineFields(r.line, v, nil) {
				continue
			}
			switch {
			case cur == nil:
				s := next
				inserts = append(inserts, &s)
			case next == *cur:
				im.sum.Skipped++
			default:
				next.Version, next.UpdatedAt = cur.Version+1, now
				if im.opt.DryRun {
					im.sum.Updated++
					continue
				}
				if _, err := tx.NewUpdate().Model(&next).ExcludeColumn("id", "name", "created_at").
					Where("id = ? AND version = ?", cur.ID, cur.Version).Exec(ctx); err != nil {
					return fmt.Errorf("import: update supplier %q: %w", cur.Name, err)
				}
				im.sum.Updated++
			}
		}
		if len(inserts) > 0 && im.opt.DryRun {
			im.sum.Inserted += int64(len(inserts))
		} else if len(inserts) > 0 {
			if _, err := tx.NewInsert().Model(&inserts).Exec(ctx); err != nil {
				return fmt.Errorf("import: insert suppliers: %w", err)
			}
			im.sum.Inserted += int64(len(inserts))
		}
	}
}
