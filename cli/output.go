package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// Rendering command output
//
// Every command that prints records honours the global --output flag with
// one of three formats, and writes only the data to stdout:
//
//   - table (default): for people. A header line and aligned columns
//     (text/tabwriter, two spaces apart); columns marked Right — numbers,
//     money — are right-aligned; empty cells show as "-". On a terminal
//     the widest text columns are cut (ending in "…") so that lines fit
//     its width; numbers are never cut. No colour is used.
//   - json: for programs. The value the command passes as data, indented;
//     lists use the API's list shape {"items": [...], "total": N} (see
//     renderList), so `jq .items[]` works the same on CLI and API output.
//   - csv: for spreadsheets. A header of machine-friendly names (Column.Key,
//     or the Header in snake_case), then one record per row, RFC 4180
//     quoting, empty cells empty.
//
// A command describes its table once, as a []Column[T] for its row type T,
// and calls renderList (lists) or render (anything else):
//
//	cols := []Column[db.User]{
//		{Header: "ID", Right: true, Value: func(u db.User) string { return intCell(u.ID) }},
//		{Header: "USERNAME", Value: func(u db.User) string { return u.Username }},
//	}
//	return renderList(env, users, cols)
//
// Commands with side effects call env.checkOutput first, so a mistyped
// --output is a usage error (exit 2) before anything is changed.

// Output formats accepted by --output.
const (
	OutputTable = "table"
	OutputJSON  = "json"
	OutputCSV   = "csv"
)

// Column describes one column of the table and CSV renderings of rows of
// type T.
type Column[T any] struct {
	// Header is the table heading, upper case by convention ("LAST LOGIN").
	Header string
	// Key is the CSV header; empty means Header in lower snake_case
	// ("last_login").
	Key string
	// Value returns the cell text for a row. Use the *Cell helpers for
	// numbers, money and times so every command formats them alike.
	Value func(row T) string
	// Right right-aligns the column in tables (numbers, money).
	Right bool
}

// csvKey returns the CSV header of c.
func (c Column[T]) csvKey() string {
	if c.Key != "" {
		return c.Key
	}
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(c.Header)), " ", "_")
}

// listJSON is the JSON shape of a list, the same as the API's list responses.
type listJSON[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// checkOutput returns a usage error (exit 2) unless --output names a known
// format. Commands with side effects call it before doing anything.
func (e *Env) checkOutput() error {
	switch e.Output {
	case OutputTable, OutputJSON, OutputCSV:
		return nil
	}
	return usagef("invalid --output %q: use table, json or csv", e.Output)
}

// renderList writes rows to stdout in the --output format: a table or CSV
// built from cols, or JSON {"items": rows, "total": len(rows)}. A nil slice
// is written as an empty list ("items": []), never null.
func renderList[T any](e *Env, rows []T, cols []Column[T]) error {
	if rows == nil {
		rows = []T{}
	}
	return render(e, listJSON[T]{Items: rows, Total: len(rows)}, rows, cols)
}

// render writes to stdout in the --output format: data as indented JSON, or
// rows as a table or CSV built from cols. data is usually rows itself, a
// single record, or the API's response shape for the same request.
func render[T any](e *Env, data any, rows []T, cols []Column[T]) error {
	if err := e.checkOutput(); err != nil {
		return err
	}
	var err error
	switch e.Output {
	case OutputJSON:
		err = writeJSON(e.Stdout, data)
	case OutputCSV:
		err = writeCSV(e.Stdout, rows, cols)
	default:
		err = writeTable(e.Stdout, rows, cols)
	}
	if err != nil {
		return fmt.Errorf("write %s output: %w", e.Output, err)
	}
	return nil
}

// writeJSON writes v as indented JSON followed by a newline. HTML
// characters are not escaped, so names like "Salt & Pepper" stay readable.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// WriteJSON writes v as --output json does, for the other programs of this
// module (smartinventory-bench) that print like the command line.
func WriteJSON(w io.Writer, v any) error { return writeJSON(w, v) }

// WriteTable writes rows as --output table does, for the other programs of
// this module (smartinventory-bench) that print like the command line.
func WriteTable[T any](w io.Writer, rows []T, cols []Column[T]) error {
	return writeTable(w, rows, cols)
}

// writeCSV writes a header of column keys and one record per row.
func writeCSV[T any](w io.Writer, rows []T, cols []Column[T]) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.csvKey()
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, r := range rows {
		for i, c := range cols {
			rec[i] = c.Value(r)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeTable writes a header and aligned columns. tabwriter aligns the
// columns; right-aligned cells are padded on the left to the column's
// width first, so tabwriter's left alignment leaves them flush right.
func writeTable[T any](w io.Writer, rows []T, cols []Column[T]) error {
	lines := make([][]string, 0, len(rows)+1)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = tableCell(c.Header)
	}
	lines = append(lines, header)
	for _, r := range rows {
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = tableCell(c.Value(r))
		}
		lines = append(lines, line)
	}
	widths := make([]int, len(cols))
	for _, line := range lines {
		for i, cell := range line {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	if limit := terminalWidth(w); limit > 0 {
		right := make([]bool, len(cols))
		for i, c := range cols {
			right[i] = c.Right
		}
		widths = fitWidths(widths, right, limit)
		for _, line := range lines {
			for i, cell := range line {
				line[i] = truncate(cell, widths[i])
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var b strings.Builder
	for _, line := range lines {
		b.Reset()
		for i, cell := range line {
			if i > 0 {
				b.WriteByte('\t')
			}
			if cols[i].Right {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)))
			}
			b.WriteString(cell)
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(tw, b.String()); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// terminalWidth returns the width of the terminal w writes to, or 0 when w
// is not a terminal (tables are then never cut).
func terminalWidth(w io.Writer) int {
	f, ok := w.(fileDescriptor)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

// minTextWidth is the narrowest a text column is cut to.
const minTextWidth = 8

// fitWidths narrows the widest text columns (never the right-aligned
// numbers) until the table, two spaces between columns, fits in limit
// characters, or every text column is down to minTextWidth.
func fitWidths(widths []int, right []bool, limit int) []int {
	out := slices.Clone(widths)
	total := 2 * (len(out) - 1)
	for _, w := range out {
		total += w
	}
	for total > limit {
		widest := -1
		for i, w := range out {
			if !right[i] && w > minTextWidth && (widest < 0 || w > out[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		out[widest]--
		total--
	}
	return out
}

// truncate cuts s to width runes, ending in "…" when cut.
func truncate(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:width-1]) + "…"
}

// tableCell makes s safe for one table cell: control characters (tabs,
// newlines) become spaces and an empty cell becomes "-".
func tableCell(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return s
}

// intCell formats an integer cell.
func intCell(n int64) string { return strconv.FormatInt(n, 10) }

// boolCell formats a boolean cell as true or false.
func boolCell(b bool) string { return strconv.FormatBool(b) }

// timeCell formats a time cell as RFC 3339 in UTC, to the second; the zero
// time is an empty cell.
func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// optTimeCell formats an optional time cell; nil is an empty cell.
func optTimeCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return timeCell(*t)
}

// fileDescriptor is implemented by *os.File.
type fileDescriptor interface{ Fd() uintptr }

// fdIsTerminal reports whether f (typically env.Stdin or env.Stderr) is an
// *os.File connected to a terminal. Use it to decide on progress bars,
// colours, prompts and human-oriented log formats; tests pass buffers and
// so always get the non-terminal behaviour.
func fdIsTerminal(f any) bool {
	fw, ok := f.(fileDescriptor)
	return ok && term.IsTerminal(int(fw.Fd()))
}
