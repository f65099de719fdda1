package app

import "strings"

// Spreadsheet formula injection
//
// A spreadsheet that opens an exported CSV runs any cell starting with
// "=", "+", "-" or "@" (and some treat a leading tab or carriage return
// the same) as a formula: a product named `=HYPERLINK(...)` would run on
// the buyer's machine. Exports therefore prefix such text cells with an
// apostrophe, as OWASP recommends, and imports take the apostrophe off
// again, so an export imports back unchanged.
//
// Only text columns are touched. Numeric columns (quantities, amounts,
// stock, lead times) are written as plain numbers, so a numeric "-2"
// stays -2 both ways; a number is no formula.
//
// To stay exact both ways, a text that already starts with apostrophes
// followed by one of those characters gets one more apostrophe, and the
// import removes exactly one.

// formulaStart reports whether a spreadsheet would read s as a formula.
func formulaStart(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// neutralizeCell returns s safe to open in a spreadsheet.
func neutralizeCell(s string) string {
	if formulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// restoreCell undoes neutralizeCell.
func restoreCell(s string) string {
	if strings.HasPrefix(s, "'") && formulaStart(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}

// exportTextColumns are the indexes of each kind's text columns in
// exportHeaders.
var exportTextColumns = map[string][]int{
	ImportCategories: {0, 1},          // name, description
	ImportSuppliers:  {0, 1, 2, 3, 5}, // name, contact_name, email, phone, notes
	ImportProducts:   {0, 1, 2, 3, 4}, // sku, name, description, category, supplier
	ImportSales:      {2, 5, 6, 7},    // sku, channel, note, external_id
}

// neutralizeRecord neutralises the text cells of an exported record.
func neutralizeRecord(kind string, rec []string) {
	for _, i := range exportTextColumns[kind] {
		rec[i] = neutralizeCell(rec[i])
	}
}
