package app

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"smartinventory/db"
)

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
