package chart

import (
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
)

const secondsPerDay = 86400

// dayX is the x coordinate of t on a time axis: days since the Unix epoch
// (UTC), so whole days are integers.
func dayX(t time.Time) float64 {
	return float64(t.Unix()) / secondsPerDay
}

// xTime is the inverse of dayX.
func xTime(x float64) time.Time {
	return time.Unix(int64(math.Round(x*secondsPerDay)), 0).UTC()
}

// dateTicks labels a dayX axis at calendar-friendly dates: every 1, 2 or 3
// days, on Mondays every 1 or 2 weeks, or on the first of every 1, 2, 3, 6
// or 12 months, whichever is the finest step with at most max labels.
type dateTicks struct {
	max int
}

var _ plot.Ticker = dateTicks{}

// Ticks implements plot.Ticker.
func (d dateTicks) Ticks(min, max float64) []plot.Tick {
	if math.IsNaN(min) || math.IsNaN(max) || math.IsInf(min, 0) || math.IsInf(max, 0) || max < min {
		return nil
	}
	n := d.max
	if n < 2 {
		n = 2
	}
	first, last := math.Ceil(min), math.Floor(max)
	span := last - first
	if span > 365*200 { // not a sales history: avoid looping over centuries
		return endTicks(min, max)
	}
	for _, step := range []float64{1, 2, 3, 7, 14} {
		if span/step+1 > float64(n) {
			continue
		}
		start := first
		if step >= 7 { // Mondays: 1970-01-05 was one, day 4
			start = first + math.Mod(math.Mod(4-first, 7)+7, 7)
		}
		var ticks []plot.Tick
		for x := start; x <= last; x += step {
			ticks = append(ticks, plot.Tick{Value: x, Label: xTime(x).Format("2 Jan")})
		}
		return ticks
	}
	t0 := xTime(first)
	for _, months := range []int{1, 2, 3, 6, 12} {
		if span/(30.4*float64(months))+1 > float64(n) {
			continue
		}
		m := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
		for (int(m.Month())-1)%months != 0 {
			m = m.AddDate(0, 1, 0)
		}
		if dayX(m) < first {
			m = m.AddDate(0, months, 0)
		}
		var ticks []plot.Tick
		for ; dayX(m) <= last; m = m.AddDate(0, months, 0) {
			ticks = append(ticks, plot.Tick{Value: dayX(m), Label: m.Format("Jan 2006")})
		}
		return ticks
	}
	return endTicks(min, max)
}

// endTicks labels only the ends of a range; the fallback for ranges the
// tickers cannot divide (plot.DefaultTicks does not return when max − min
// overflows to +Inf).
func endTicks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for _, v := range []float64{min, max} {
		if finite(v) {
			ticks = append(ticks, plot.Tick{Value: v, Label: compact(v)})
		}
	}
	return ticks
}

// yearsLabel is "2026" or "2025–2026" for the dates covered by [min, max].
func yearsLabel(min, max float64) string {
	a, b := xTime(min).Year(), xTime(max).Year()
	if a == b {
		return strconv.Itoa(a)
	}
	return strconv.Itoa(a) + "–" + strconv.Itoa(b)
}

// numTicks labels a value axis at about five "nice" steps (1, 2, 2.5 or 5
// times a power of ten) with compact labels: 1500 → "1,500", 25000 →
// "25k", 1.5e6 → "1.5M".
type numTicks struct{}

// Ticks implements plot.Ticker.
func (numTicks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	if !finite(min) || !finite(max) || !(span > 0) || !finite(span) {
		return endTicks(min, max)
	}
	raw := span / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if !(step > 0) || span/step > 50 {
		return endTicks(min, max)
	}
	var ticks []plot.Tick
	for k := math.Ceil(min / step); k*step <= max+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: compact(v)})
	}
	return ticks
}

// compact formats v for a tick label or a bar annotation.
func compact(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case a >= 1e9:
		return trimG(v/1e9) + "G"
	case a >= 1e6:
		return trimG(v/1e6) + "M"
	case a >= 1e4:
		return trimG(v/1e3) + "k"
	case a >= 1000:
		s := strconv.FormatFloat(v, 'f', 0, 64)
		return s[:len(s)-3] + "," + s[len(s)-3:]
	case a == 0:
		return "0"
	case a < 0.01:
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	return trimG(v)
}

// trimG formats with up to 3 significant digits, no trailing zeros.
func trimG(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if math.Abs(v) >= 100 {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	} else if math.Abs(v) >= 10 {
		s = strconv.FormatFloat(v, 'f', 1, 64)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
