package forecast

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Freq is the sampling frequency of a regular series.
type Freq int

// Frequencies. Index is a plain integer index with no calendar.
const (
	Index Freq = iota
	Daily
	Weekly
	Monthly
	Quarterly
	Yearly
)

var freqNames = [...]string{"index", "daily", "weekly", "monthly", "quarterly", "yearly"}

// String returns the lower-case name of f ("daily", "weekly", ...).
func (f Freq) String() string {
	if f < 0 || int(f) >= len(freqNames) {
		return fmt.Sprintf("Freq(%d)", int(f))
	}
	return freqNames[f]
}

// ParseFreq parses a frequency name: daily, weekly, monthly, quarterly,
// yearly or index (also the one-letter forms d, w, m, q, y).
func ParseFreq(s string) (Freq, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "index", "t", "i":
		return Index, nil
	case "daily", "day", "d":
		return Daily, nil
	case "weekly", "week", "w":
		return Weekly, nil
	case "monthly", "month", "m":
		return Monthly, nil
	case "quarterly", "quarter", "q":
		return Quarterly, nil
	case "yearly", "annual", "year", "y":
		return Yearly, nil
	}
	return 0, fmt.Errorf("forecast: unknown frequency %q (want daily, weekly, monthly, quarterly, yearly or index)", s)
}

// Season returns the usual season length of f: 7 for daily (the week), 52
// for weekly, 12 for monthly, 4 for quarterly and 1 otherwise.
func (f Freq) Season() int {
	switch f {
	case Daily:
		return 7
	case Weekly:
		return 52
	case Monthly:
		return 12
	case Quarterly:
		return 4
	}
	return 1
}

// Horizon returns the default forecast horizon of f (the M4/M5 horizons):
// 28 days, 13 weeks, 12 months, 8 quarters, 6 years (and 12 for Index).
func (f Freq) Horizon() int {
	switch f {
	case Daily:
		return 28
	case Weekly:
		return 13
	case Monthly:
		return 12
	case Quarterly:
		return 8
	case Yearly:
		return 6
	}
	return 12
}

// Add returns t moved n periods of f. Index periods are days.
func (f Freq) Add(t time.Time, n int) time.Time {
	switch f {
	case Weekly:
		return t.AddDate(0, 0, 7*n)
	case Monthly:
		return t.AddDate(0, n, 0)
	case Quarterly:
		return t.AddDate(0, 3*n, 0)
	case Yearly:
		return t.AddDate(n, 0, 0)
	}
	return t.AddDate(0, 0, n)
}

// Periods returns the number of whole periods of f from a to b (negative
// when b is before a). Times are compared by calendar date in UTC.
func (f Freq) Periods(a, b time.Time) int {
	a, b = dateOf(a), dateOf(b)
	switch f {
	case Weekly:
		return int(math.Floor(b.Sub(a).Hours() / 24 / 7))
	case Monthly, Quarterly, Yearly:
		months := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
		if b.Day() < a.Day() && months > 0 {
			months--
		}
		switch f {
		case Quarterly:
			return floorDiv(months, 3)
		case Yearly:
			return floorDiv(months, 12)
		}
		return months
	}
	return int(math.Round(b.Sub(a).Hours() / 24))
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Series is a regular time series. Values[i] is the observation of the
// period Freq.Add(Start, i); NaN marks a missing or censored period (for
// demand: a day the product was out of stock, when demand is unknown, not
// zero).
type Series struct {
	Start  time.Time
	Freq   Freq
	Values []float64
}

// Len returns the number of periods.
func (s Series) Len() int { return len(s.Values) }

// Time returns the start of period i.
func (s Series) Time(i int) time.Time { return s.Freq.Add(s.Start, i) }

// Slice returns the periods [i, j) as a new series sharing Values.
func (s Series) Slice(i, j int) Series {
	return Series{Start: s.Time(i), Freq: s.Freq, Values: s.Values[i:j]}
}

// Observation is a dated value. A NaN Value, or Censored, marks a period
// whose demand is unknown (for example out of stock).
type Observation struct {
	Time     time.Time
	Value    float64
	Censored bool
}

// FromObservations builds a regular series from dated observations, which
// may come in any order. Observations falling in the same period are summed;
// a period with any censored observation is missing (NaN). Periods between
// the first and last observation that have none are zero when fillZero is
// set (no sale recorded means no demand) and missing otherwise.
func FromObservations(freq Freq, obs []Observation, fillZero bool) (Series, error) {
	if len(obs) == 0 {
		return Series{Freq: freq}, fmt.Errorf("forecast: no observations")
	}
	sorted := make([]Observation, len(obs))
	copy(sorted, obs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Time.Before(sorted[j].Time) })
	start := dateOf(sorted[0].Time)
	n := freq.Periods(start, sorted[len(sorted)-1].Time) + 1
	if n <= 0 || n > 10_000_000 {
		return Series{Freq: freq}, fmt.Errorf("forecast: observations span %d periods", n)
	}
	fill := math.NaN()
	if fillZero {
		fill = 0
	}
	vals := make([]float64, n)
	seen := make([]bool, n)
	censored := make([]bool, n)
	for _, o := range sorted {
		i := freq.Periods(start, o.Time)
		if i < 0 || i >= n {
			return Series{Freq: freq}, fmt.Errorf("forecast: observation at %s outside the series", o.Time.Format(time.DateOnly))
		}
		if o.Censored || math.IsNaN(o.Value) {
			censored[i] = true
			continue
		}
		if math.IsInf(o.Value, 0) {
			return Series{Freq: freq}, fmt.Errorf("forecast: infinite value at %s", o.Time.Format(time.DateOnly))
		}
		vals[i] += o.Value
		seen[i] = true
	}
	for i := range vals {
		switch {
		case censored[i]:
			vals[i] = math.NaN()
		case !seen[i]:
			vals[i] = fill
		}
	}
	return Series{Start: start, Freq: freq, Values: vals}, nil
}
