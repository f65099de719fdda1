package app

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

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
