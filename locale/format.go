package locale

import (
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/number"
)

// nbsp keeps a figure and its unit on one line.
const nbsp = "\u00a0"

// Dash stands for a missing or undefined figure.
const Dash = "—"

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Int formats a count: 12.345 (es), 12,345 (en).
func (l *Locale) Int(n int64) string { return l.p.Sprint(number.Decimal(n)) }

// Number formats f with prec decimals (Dash when not finite).
func (l *Locale) Number(f float64, prec int) string {
	if !finite(f) {
		return Dash
	}
	if f == 0 {
		f = 0 // no "-0"
	}
	return l.p.Sprint(number.Decimal(f, number.Scale(prec)))
}

// Money formats an amount in the shop's currency: 1.234,56 € (es),
// $1,234.56 (en), with the currency's own decimals (0 for JPY). Without a
// currency it is the number with two decimals.
func (l *Locale) Money(f float64) string {
	if !finite(f) {
		return Dash
	}
	scale := 2
	if l.cur != (currency.Unit{}) {
		scale, _ = currency.Standard.Rounding(l.cur)
	}
	sign := ""
	if f < 0 && math.Round(-f*math.Pow10(scale)) != 0 {
		sign, f = "-", -f
	}
	num := l.Number(math.Abs(f), scale)
	switch {
	case l.symbol == "":
		return sign + num
	case l.Lang == "es" || len([]rune(l.symbol)) > 2:
		return sign + num + nbsp + l.symbol
	default:
		return sign + l.symbol + num
	}
}

// Percent formats a share (0.125) as 12,5 % (es) or 12.5% (en).
func (l *Locale) Percent(share float64, prec int) string {
	if !finite(share) {
		return Dash
	}
	return l.p.Sprint(number.Percent(share, number.Scale(prec)))
}

// Change formats a relative change (0.125) with its sign: +12,5 % / +12.5%.
func (l *Locale) Change(share float64) string {
	if !finite(share) {
		return Dash
	}
	s := l.Percent(share, 1)
	if share > 0 && !strings.HasPrefix(s, "+") {
		s = "+" + s
	}
	return s
}

var monthsES = [...]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}

// Day formats a calendar day (a db.LocalDay value, no zone conversion):
// 7 dic 2026 (es), Dec 7, 2026 (en).
func (l *Locale) Day(d time.Time) string {
	if d.IsZero() {
		return Dash
	}
	if l.Lang == "es" {
		return strconv.Itoa(d.Day()) + " " + monthsES[d.Month()-1] + " " + strconv.Itoa(d.Year())
	}
	return d.Format("Jan 2, 2006")
}

// Date formats the shop's local day of the instant t.
func (l *Locale) Date(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	y, m, d := t.In(l.Zone).Date()
	return l.Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateTime formats an instant in the shop's zone with the zone's
// abbreviation: 7 dic 2026, 20:00 CST (es), Dec 7, 2026, 8:00 PM CST (en).
func (l *Locale) DateTime(t time.Time) string {
	if t.IsZero() {
		return Dash
	}
	lt := t.In(l.Zone)
	clock := lt.Format("15:04 MST")
	if l.Lang == "en" {
		clock = lt.Format("3:04 PM MST")
	}
	return l.Date(t) + ", " + clock
}
