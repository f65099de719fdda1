package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"smartinventory/app"
)

func init() { register(newImportCmd) }

func newImportCmd(env *Env) *cobra.Command {
	var opt app.ImportOptions
	cmd := &cobra.Command{
		Use:               "import products|suppliers|categories|sales FILE.csv",
		Short:             "Import products, suppliers, categories or sales from a CSV file",
		ValidArgs:         app.ImportKinds(),
		Long:              importLong,
		Example:           importExample,
		Args:              importArgs,
		ValidArgsFunction: completeImport,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, env, args[0], args[1], opt)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opt.DryRun, "dry-run", false, "check every line and report, but write nothing")
	f.BoolVar(&opt.DecimalComma, "decimal-comma", false, "accept amounts with a decimal comma (12,50)")
	return cmd
}

const importLong = `import reads a CSV file (FILE, or - for standard input) and applies it in one
transaction: if any line is invalid nothing is written. Every error is
reported on stderr as "line 17, column quantity: must be greater than 0"
(the header is line 1); the summary (inserted, updated, skipped, errors) goes
to stdout. The exit status is 1 when any line is invalid.

The first line names the columns (case-insensitive, any order; spaces and
dashes count as underscores). Accepted columns:

  products    sku (required), name (required for new products), description,
              category, supplier (names; created when missing), unit_cost,
              unit_price, stock (initial stock of new products only), pack_size,
              min_order_qty, lead_time_days, service_level, reorder_point, active
  suppliers   name (required), contact_name, email, phone, lead_time_days, notes
  categories  name (required), description
  sales       sku (required), quantity (required), unit_price (default: the
              product's price), sold_at (default: now), channel, note,
              external_id

id, version, created_at and updated_at columns (as in exports) are ignored.
Products are matched by SKU, suppliers and categories by name: existing ones
are updated with the non-empty cells, new ones created. Sales are appended
with the rules of "sales record": the product must be active and stock may
not go negative (checked line by line in file order). A sale whose
external_id was already recorded is skipped, so importing a file twice adds
nothing.

Files are UTF-8 with or without a byte order mark, separated by "," or ";"
(detected from the header), quoted as in RFC 4180 (fields may contain the
separator, doubled quotes and line breaks). Amounts use a decimal point, or a
decimal comma with --decimal-comma. Times are RFC 3339, "YYYY-MM-DD HH:MM:SS"
or a date, in UTC unless an offset is given.

--dry-run checks every line, including stock, and writes nothing. Importing
needs a local database; over the API use POST /api/v1/import/{kind}.`

const importExample = `  smartinventory import products catalogue.csv
  smartinventory import sales till-2026-03.csv --dry-run
  smartinventory import sales ventas.csv --decimal-comma
  cat suppliers.csv | smartinventory import suppliers - -o json`

// importArgs accepts a known kind and a FILE (usage errors otherwise).
func importArgs(cmd *cobra.Command, args []string) error {
	if err := exactArgs(2, "a kind (products, suppliers, categories or sales) and a FILE")(cmd, args); err != nil {
		return err
	}
	if !isImportKind(args[0]) {
		return usagef("unknown kind %q: use %s", args[0], strings.Join(app.ImportKinds(), ", "))
	}
	return nil
}

// completeImport completes the kind, then a CSV file.
func completeImport(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		return app.ImportKinds(), cobra.ShellCompDirectiveNoFileComp
	case 1:
		return []string{"csv"}, cobra.ShellCompDirectiveFilterFileExt
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// runImport imports the file at path (- for standard input) as kind into
// the local database, with a progress bar on a terminal, and reports.
func runImport(cmd *cobra.Command, env *Env, kind, path string, opt app.ImportOptions) error {
	if err := localOnly(env, "import"); err != nil {
		return err
	}
	if err := env.checkOutput(); err != nil {
		return err
	}
	r, size, closeIn, err := openInput(env, path)
	if err != nil {
		return err
	}
	defer closeIn()
	ctx := cmd.Context()
	a, closeApp, err := openServices(ctx, env)
	if err != nil {
		return err
	}
	defer closeApp()

	bar := newBytesProgress(env.Stderr, size, "importing "+kind)
	opt.Progress = func(_, bytes int64) { _ = bar.Set64(bytes) }
	sum, err := a.Import(ctx, app.System, kind, r, opt)
	_ = bar.Finish()
	return reportImport(env, sum, err)
}

// reportImport prints the result of an import: the invalid lines on
// stderr, the summary on stdout. An import with invalid lines exits 1;
// any other error (no summary, or not a validation error) is returned as
// it is.
func reportImport(env *Env, sum *app.ImportSummary, err error) error {
	if sum == nil {
		return cliError(err)
	}
	if _, invalid := app.AsError(err); err != nil && !(invalid && app.ErrorCode(err) == app.EINVALID) {
		return cliError(err)
	}
	for _, e := range sum.Errors {
		fmt.Fprintln(env.Stderr, e.String())
	}
	if more := sum.ErrorCount - int64(len(sum.Errors)); more > 0 {
		fmt.Fprintf(env.Stderr, "… and %d more errors\n", more)
	}
	if perr := printImportSummary(env, sum); perr != nil {
		return perr
	}
	if sum.ErrorCount > 0 {
		return importRejected{sum.ErrorCount}
	}
	return nil
}

func isImportKind(kind string) bool {
	for _, k := range app.ImportKinds() {
		if k == kind {
			return true
		}
	}
	return false
}

// importRejected reports an import with invalid lines (exit code 1; the
// lines were printed already).
type importRejected struct{ count int64 }

func (e importRejected) Error() string {
	return fmt.Sprintf("import rejected: %d invalid lines; nothing was written", e.count)
}

func (e importRejected) ExitCode() int { return ExitError }

// openInput opens FILE, or standard input for "-", and returns its size
// (-1 when unknown) for the progress bar.
func openInput(env *Env, name string) (io.Reader, int64, func(), error) {
	if name == "-" {
		return env.Stdin, -1, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("open %s: %w", name, err)
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return f, size, func() { _ = f.Close() }, nil
}

// newBytesProgress returns a progress bar over size bytes on w that draws
// only when w is a terminal.
func newBytesProgress(w io.Writer, size int64, desc string) *progressbar.ProgressBar {
	tty := fdIsTerminal(w)
	if !tty {
		w = io.Discard
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetVisibility(tty),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// importColumns describe the summary in CSV output.
var importColumns = []Column[app.ImportSummary]{
	{Header: "KIND", Value: func(s app.ImportSummary) string { return s.Kind }},
	{Header: "DRY RUN", Value: func(s app.ImportSummary) string { return boolCell(s.DryRun) }},
	{Header: "LINES", Right: true, Value: func(s app.ImportSummary) string { return intCell(s.Lines) }},
	{Header: "INSERTED", Right: true, Value: func(s app.ImportSummary) string { return intCell(s.Inserted) }},
	{Header: "UPDATED", Right: true, Value: func(s app.ImportSummary) string { return intCell(s.Updated) }},
	{Header: "SKIPPED", Right: true, Value: func(s app.ImportSummary) string { return intCell(s.Skipped) }},
	{Header: "ERRORS", Right: true, Value: func(s app.ImportSummary) string { return intCell(s.ErrorCount) }},
	{Header: "WRITTEN", Value: func(s app.ImportSummary) string { return boolCell(s.Written) }},
	{Header: "SECONDS", Right: true, Value: func(s app.ImportSummary) string { return strconv.FormatFloat(s.Seconds, 'f', 3, 64) }},
}

// printImportSummary writes the summary to stdout: a few lines for people,
// or the summary in JSON (with the errors) or CSV.
func printImportSummary(env *Env, sum *app.ImportSummary) error {
	if env.Output != OutputTable {
		return render(env, sum, []app.ImportSummary{*sum}, importColumns)
	}
	verb := "imported"
	switch {
	case sum.ErrorCount > 0:
		verb = "rejected"
	case sum.DryRun:
		verb = "checked (dry run, nothing written)"
	}
	var extra string
	if sum.CreatedCategories > 0 || sum.CreatedSuppliers > 0 {
		extra = fmt.Sprintf("  created     %d categories, %d suppliers\n", sum.CreatedCategories, sum.CreatedSuppliers)
	}
	rate := ""
	if sum.Seconds > 0 {
		rate = fmt.Sprintf(", %.0f lines/s", float64(sum.Lines)/sum.Seconds)
	}
	_, err := fmt.Fprintf(env.Stdout, `%s %s: %d lines in %.1f s%s
  inserted    %d
  updated     %d
  skipped     %d
%s  errors      %d
`, sum.Kind, verb, sum.Lines, sum.Seconds, rate, sum.Inserted, sum.Updated, sum.Skipped, extra, sum.ErrorCount)
	return err
}
