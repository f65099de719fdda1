// Package evaluate measures forecast methods on a collection of series with
// a holdout: it reads the evaluation CSV format, runs [forecast.Auto] or
// single methods over all series in parallel and aggregates the M4/M5
// accuracy measures and interval coverage.
package evaluate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"smartinventory/forecast"
)

// Item is one series split into a training part and a holdout.
type Item struct {
	ID    string
	Train forecast.Series
	Test  []float64 // NaN where missing
	// Drivers are the regressor columns over the training part and the
	// holdout (the planned values), when ReadOptions.Regressors is set.
	Drivers []forecast.Driver
}

// ReadOptions configures [Read].
type ReadOptions struct {
	// Freq overrides the frequency inferred from the time column; it is
	// needed for an integer "t" column (otherwise Index).
	Freq *forecast.Freq
	// Horizon is the holdout length when the file has no split column
	// (default: the frequency's horizon).
	Horizon int
	// FillZero treats periods absent from the file as zero instead of
	// missing.
	FillZero bool
	// Regressors names numeric columns to read as drivers: a name
	// containing "price" is a [forecast.Price], any other a
	// [forecast.Flag]. Empty cells are unknown (NaN).
	Regressors []string
}

// Data is the content of an evaluation file.
type Data struct {
	Items   []Item
	Freq    forecast.Freq
	Horizon int // the longest holdout
}

type row struct {
	t     time.Time
	v     float64
	split string
	x     []float64
}

var indexBase = time.Date(2000, 1, 3, 0, 0, 0, 0, time.UTC) // a Monday

// Read parses an evaluation CSV: a header with series_id, quantity (empty =
// missing) and one time column — date (YYYY-MM-DD), period (YYYY-MM,
// YYYY-Qn or YYYY) or t (integer index) — and optionally split (train or
// test) marking the holdout; other columns are ignored. Without a split
// column the last Horizon periods of each series are the holdout.
func Read(r io.Reader, opt ReadOptions) (*Data, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("evaluate: read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	idCol, okID := col["series_id"]
	qCol, okQ := col["quantity"]
	if !okID || !okQ {
		return nil, fmt.Errorf("evaluate: header needs series_id and quantity columns, got %v", head)
	}
	timeKind, tCol := "", -1
	for _, k := range []string{"date", "period", "t"} {
		if i, ok := col[k]; ok {
			timeKind, tCol = k, i
			break
		}
	}
	if tCol < 0 {
		return nil, errors.New("evaluate: header needs a date, period or t column")
	}
	splitCol, hasSplit := col["split"]
	regCols := make([]int, len(opt.Regressors))
	for i, name := range opt.Regressors {
		c, ok := col[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return nil, fmt.Errorf("evaluate: regressor column %q is not in the header %v", name, head)
		}
		regCols[i] = c
	}

	var order []string
	rows := map[string][]row{}
	inferred := forecast.Index
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("evaluate: line %d: %w", line, err)
		}
		need := max(idCol, qCol, tCol)
		if hasSplit {
			need = max(need, splitCol)
		}
		for _, c := range regCols {
			need = max(need, c)
		}
		if len(rec) <= need {
			return nil, fmt.Errorf("evaluate: line %d: %d fields, want at least %d", line, len(rec), need+1)
		}
		id := rec[idCol]
		t, f, err := parseTime(timeKind, strings.TrimSpace(rec[tCol]), opt.Freq)
		if err != nil {
			return nil, fmt.Errorf("evaluate: line %d: %w", line, err)
		}
		if timeKind != "date" {
			inferred = f
		}
		v := math.NaN()
		if q := strings.TrimSpace(rec[qCol]); q != "" && !strings.EqualFold(q, "nan") && !strings.EqualFold(q, "na") {
			v, err = strconv.ParseFloat(q, 64)
			if err != nil || math.IsInf(v, 0) {
				return nil, fmt.Errorf("evaluate: line %d: bad quantity %q", line, q)
			}
		}
		sp := ""
		if hasSplit {
			sp = strings.ToLower(strings.TrimSpace(rec[splitCol]))
			if sp != "train" && sp != "test" {
				return nil, fmt.Errorf("evaluate: line %d: split %q is neither train nor test", line, rec[splitCol])
			}
		}
		var x []float64
		if len(regCols) > 0 {
			x = make([]float64, len(regCols))
			for i, c := range regCols {
				x[i] = math.NaN()
				if q := strings.TrimSpace(rec[c]); q != "" && !strings.EqualFold(q, "nan") && !strings.EqualFold(q, "na") {
					x[i], err = strconv.ParseFloat(q, 64)
					if err != nil || math.IsInf(x[i], 0) {
						return nil, fmt.Errorf("evaluate: line %d: bad %s %q", line, opt.Regressors[i], q)
					}
				}
			}
		}
		if _, ok := rows[id]; !ok {
			order = append(order, strings.Clone(id))
		}
		rows[id] = append(rows[id], row{t: t, v: v, split: sp, x: x})
	}
	if len(order) == 0 {
		return nil, errors.New("evaluate: no data rows")
	}
	freq := inferred
	if timeKind == "date" {
		freq = inferDaily(rows)
	}
	if opt.Freq != nil {
		freq = *opt.Freq
	}
	h := opt.Horizon
	if h <= 0 {
		h = freq.Horizon()
	}
	d := &Data{Freq: freq}
	for _, id := range order {
		it, err := build(id, rows[id], freq, h, hasSplit, opt.FillZero, opt.Regressors)
		if err != nil {
			return nil, err
		}
		d.Items = append(d.Items, it)
		d.Horizon = max(d.Horizon, len(it.Test))
	}
	return d, nil
}

func parseTime(kind, s string, freq *forecast.Freq) (time.Time, forecast.Freq, error) {
	switch kind {
	case "date":
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return t, 0, fmt.Errorf("bad date %q (want YYYY-MM-DD)", s)
		}
		return t, forecast.Daily, nil
	case "period":
		switch {
		case len(s) == 4:
			y, err := strconv.Atoi(s)
			if err != nil {
				return time.Time{}, 0, fmt.Errorf("bad period %q", s)
			}
			return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), forecast.Yearly, nil
		case len(s) == 7 && (s[5] == 'Q' || s[5] == 'q'):
			y, err1 := strconv.Atoi(s[:4])
			q, err2 := strconv.Atoi(s[6:])
			if err1 != nil || err2 != nil || q < 1 || q > 4 {
				return time.Time{}, 0, fmt.Errorf("bad period %q", s)
			}
			return time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC), forecast.Quarterly, nil
		default:
			t, err := time.Parse("2006-01", s)
			if err != nil {
				return t, 0, fmt.Errorf("bad period %q (want YYYY-MM, YYYY-Qn or YYYY)", s)
			}
			return t, forecast.Monthly, nil
		}
	}
	i, err := strconv.Atoi(s)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("bad index t %q", s)
	}
	f := forecast.Index
	if freq != nil {
		f = *freq
	}
	return f.Add(indexBase, i), forecast.Index, nil
}

// inferDaily infers the frequency of a date column from the smallest gap
// between consecutive dates of a series.
func inferDaily(rows map[string][]row) forecast.Freq {
	gap := math.MaxInt
	for _, rs := range rows {
		for i := 1; i < len(rs) && i < 64; i++ {
			d := int(math.Abs(rs[i].t.Sub(rs[i-1].t).Hours() / 24))
			if d > 0 && d < gap {
				gap = d
			}
		}
	}
	switch {
	case gap >= 360:
		return forecast.Yearly
	case gap >= 89:
		return forecast.Quarterly
	case gap >= 28:
		return forecast.Monthly
	case gap >= 7:
		return forecast.Weekly
	}
	return forecast.Daily
}

func build(id string, rs []row, freq forecast.Freq, h int, hasSplit, fillZero bool, regs []string) (Item, error) {
	obs := make([]forecast.Observation, len(rs))
	for i, r := range rs {
		obs[i] = forecast.Observation{Time: r.t, Value: r.v}
	}
	s, err := forecast.FromObservations(freq, obs, fillZero)
	if err != nil {
		return Item{}, fmt.Errorf("evaluate: series %s: %w", id, err)
	}
	cut := s.Len() - h
	if hasSplit {
		cut = s.Len()
		for _, r := range rs {
			if r.split == "test" {
				cut = min(cut, freq.Periods(s.Start, r.t))
			}
		}
	}
	if cut < 1 {
		return Item{}, fmt.Errorf("evaluate: series %s: %d periods leave no training data for a holdout of %d", id, s.Len(), s.Len()-cut)
	}
	it := Item{ID: id, Train: s.Slice(0, cut), Test: s.Values[cut:]}
	for j, name := range regs {
		kind := forecast.Flag
		if strings.Contains(strings.ToLower(name), "price") {
			kind = forecast.Price
		}
		vals := make([]float64, s.Len())
		for i := range vals {
			vals[i] = math.NaN()
		}
		for _, r := range rs {
			if i := freq.Periods(s.Start, r.t); i >= 0 && i < len(vals) {
				vals[i] = r.x[j]
			}
		}
		it.Drivers = append(it.Drivers, forecast.Driver{Name: name, Kind: kind, Values: vals})
	}
	return it, nil
}
