// Package trend summarises sales histories into the signals a buyer acts
// on: recent units and revenue, velocity change with a significance test,
// ABC (revenue Pareto) and XYZ (demand variability) classes, turnover and
// days of cover, fast and slow movers, dead and excess stock, and the
// weekly pattern. It is pure: no database, no HTTP.
package trend

import (
	"math"
	"sort"
	"time"

	"smartinventory/forecast"
)

// Product is one product's input. Units and Revenue are daily, oldest
// first, ending the day before End; NaN units mark censored (out of stock)
// days. Histories may be shorter than the windows (new products).
type Product struct {
	ID       int64
	Units    []float64
	Revenue  []float64
	End      time.Time // the day after the last value (today when the last value is yesterday)
	OnHand   int64
	UnitCost float64
	LastSale time.Time // zero when never sold
}

// Options set the thresholds; the zero value means the defaults.
type Options struct {
	ABCWindow  int        // days of revenue for ABC (default 90)
	ABC        [2]float64 // cumulative revenue shares for A and B (default 0.80, 0.95)
	XYZ        [2]float64 // CV of weekly demand for X and Y (default 0.5, 1.0)
	XYZWeeks   int        // weeks for XYZ (default 13)
	DeadDays   int        // no sale in this many days = dead stock (default 90)
	ExcessDays int        // cover beyond this many days = excess (default 180)
	FastShare  float64    // top share of sellers by velocity = fast movers (default 0.2)
	SlowShare  float64    // bottom share of sellers = slow movers (default 0.2)
}

func (o Options) withDefaults() Options {
	if o.ABCWindow <= 0 {
		o.ABCWindow = 90
	}
	if o.ABC == [2]float64{} {
		o.ABC = [2]float64{0.80, 0.95}
	}
	if o.XYZ == [2]float64{} {
		o.XYZ = [2]float64{0.5, 1.0}
	}
	if o.XYZWeeks <= 0 {
		o.XYZWeeks = 13
	}
	if o.DeadDays <= 0 {
		o.DeadDays = 90
	}
	if o.ExcessDays <= 0 {
		o.ExcessDays = 180
	}
	if o.FastShare <= 0 {
		o.FastShare = 0.2
	}
	if o.SlowShare <= 0 {
		o.SlowShare = 0.2
	}
	return o
}

// Trend is the analysis of one product.
type Trend struct {
	ProductID int64 `json:"product_id"`

	Units7    float64 `json:"units_7d"`
	Units30   float64 `json:"units_30d"`
	Units90   float64 `json:"units_90d"`
	Revenue7  float64 `json:"revenue_7d"`
	Revenue30 float64 `json:"revenue_30d"`
	Revenue90 float64 `json:"revenue_90d"`

	// Velocity is units per day over the last 30 days; VelocityChange is
	// the relative change against the previous 30 (0.25 = +25 %).
	Velocity       float64 `json:"velocity"`
	VelocityChange float64 `json:"velocity_change"`
	// Significant is true when Welch's t-test on the two 30-day windows of
	// daily units rejects "no change" at about 95 % (|t| > 2).
	Significant bool   `json:"significant"`
	Direction   string `json:"direction"` // up, down or flat (flat unless significant)

	ABC   string  `json:"abc"`   // A, B or C by revenue share
	XYZ   string  `json:"xyz"`   // X, Y or Z by CV of weekly demand
	Class string  `json:"class"` // smooth, erratic, intermittent, lumpy, ...
	CV    float64 `json:"cv_weekly"`

	// Turnover is annualised units sold ÷ units on hand; DaysOfCover is
	// on hand ÷ velocity. Both are nil when undefined (no stock or no sales).
	Turnover    *float64 `json:"turnover"`
	DaysOfCover *float64 `json:"days_of_cover"`

	StockValue  float64 `json:"stock_value"` // on hand × unit cost
	Mover       string  `json:"mover"`       // fast, slow, normal or none (no recent sales)
	Dead        bool    `json:"dead"`        // stock on hand but no sale in DeadDays
	DeadValue   float64 `json:"dead_value"`
	Excess      bool    `json:"excess"` // cover beyond ExcessDays
	ExcessUnits int64   `json:"excess_units"`
	ExcessValue float64 `json:"excess_value"`

	BestWeekday  string  `json:"best_weekday"`
	WorstWeekday string  `json:"worst_weekday"`
	WeeklyShare  float64 `json:"weekly_strength"` // share of daily variance explained by the weekday (0–1)
}

// Analyze computes the trend of every product; classes that depend on the
// whole assortment (ABC, fast/slow) are relative to the products given.
func Analyze(products []Product, opt Options) []Trend {
	opt = opt.withDefaults()
	out := make([]Trend, len(products))
	for i := range products {
		out[i] = analyzeOne(&products[i], opt)
	}
	assignABC(products, out, opt)
	assignMovers(out, opt)
	return out
}

func analyzeOne(p *Product, opt Options) Trend {
	t := Trend{ProductID: p.ID}
	t.Units7, t.Units30, t.Units90 = lastSum(p.Units, 7), lastSum(p.Units, 30), lastSum(p.Units, 90)
	t.Revenue7, t.Revenue30, t.Revenue90 = lastSum(p.Revenue, 7), lastSum(p.Revenue, 30), lastSum(p.Revenue, 90)
	last, prev := window(p.Units, 0, 30), window(p.Units, 30, 60)
	t.Velocity = meanObserved(last)
	pv := meanObserved(prev)
	if pv > 0 {
		t.VelocityChange = t.Velocity/pv - 1
	}
	t.Significant = len(observed(prev)) >= 7 && math.Abs(welchT(last, prev)) > 2
	t.Direction = "flat"
	if t.Significant {
		if t.Velocity > pv {
			t.Direction = "up"
		} else {
			t.Direction = "down"
		}
	}
	t.CV, t.XYZ = xyz(p.Units, opt)
	prof := forecast.Classify(p.Units)
	t.Class = prof.Class.String()
	stock := float64(p.OnHand)
	t.StockValue = math.Max(stock, 0) * p.UnitCost
	if stock > 0 && t.Velocity > 0 {
		cover := stock / t.Velocity
		turn := t.Velocity * 365 / stock
		t.DaysOfCover, t.Turnover = &cover, &turn
		if cover > float64(opt.ExcessDays) {
			t.Excess = true
			t.ExcessUnits = int64(math.Floor(stock - t.Velocity*float64(opt.ExcessDays)))
			t.ExcessValue = float64(t.ExcessUnits) * p.UnitCost
		}
	}
	deadSince := p.End.AddDate(0, 0, -opt.DeadDays)
	oldEnough := len(p.Units) >= opt.DeadDays
	if p.OnHand > 0 && oldEnough && (p.LastSale.IsZero() || p.LastSale.Before(deadSince)) {
		t.Dead = true
		t.DeadValue = stock * p.UnitCost
	}
	t.BestWeekday, t.WorstWeekday, t.WeeklyShare = weekly(p.Units, p.End)
	return t
}

// assignABC ranks products by revenue over the ABC window. A product is A
// while the cumulative share of the products ranked above it is below the
// A threshold (so the product that crosses 80 % is still A, and a single
// dominant product is A), likewise B; the rest, and products without
// revenue, are C.
func assignABC(products []Product, out []Trend, opt Options) {
	rev := make([]float64, len(products))
	var total float64
	idx := make([]int, len(products))
	for i := range products {
		rev[i] = lastSum(products[i].Revenue, opt.ABCWindow)
		total += rev[i]
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rev[idx[a]] > rev[idx[b]] })
	var cum float64
	for _, i := range idx {
		before := 1.0
		if total > 0 {
			before = cum / total
		}
		cum += rev[i]
		switch {
		case rev[i] <= 0:
			out[i].ABC = "C"
		case before < opt.ABC[0]-1e-12:
			out[i].ABC = "A"
		case before < opt.ABC[1]-1e-12:
			out[i].ABC = "B"
		default:
			out[i].ABC = "C"
		}
	}
}

// assignMovers marks the top FastShare of selling products by velocity as
// fast and the bottom SlowShare as slow.
func assignMovers(out []Trend, opt Options) {
	var sellers []int
	for i := range out {
		out[i].Mover = "none"
		if out[i].Velocity > 0 {
			sellers = append(sellers, i)
			out[i].Mover = "normal"
		}
	}
	sort.SliceStable(sellers, func(a, b int) bool { return out[sellers[a]].Velocity > out[sellers[b]].Velocity })
	nFast := int(math.Ceil(opt.FastShare * float64(len(sellers))))
	nSlow := int(math.Ceil(opt.SlowShare * float64(len(sellers))))
	for r, i := range sellers {
		switch {
		case r < nFast:
			out[i].Mover = "fast"
		case r >= len(sellers)-nSlow:
			out[i].Mover = "slow"
		}
	}
}

// xyz returns the CV of weekly demand over the last XYZWeeks full weeks and
// its class. Weeks with censored days are scaled from their observed days;
// weeks with none are skipped.
func xyz(units []float64, opt Options) (float64, string) {
	var weeks []float64
	for w := 0; w < opt.XYZWeeks; w++ {
		wk := window(units, w*7, w*7+7)
		if len(wk) < 7 {
			break
		}
		obs := observed(wk)
		if len(obs) == 0 {
			continue
		}
		weeks = append(weeks, sum(obs)*7/float64(len(obs)))
	}
	if len(weeks) < 2 {
		return 0, "Z"
	}
	m := sum(weeks) / float64(len(weeks))
	if m == 0 {
		return 0, "Z"
	}
	var ss float64
	for _, w := range weeks {
		ss += (w - m) * (w - m)
	}
	cv := math.Sqrt(ss/float64(len(weeks)-1)) / m
	switch {
	case cv <= opt.XYZ[0]+1e-9:
		return cv, "X"
	case cv <= opt.XYZ[1]+1e-9:
		return cv, "Y"
	}
	return cv, "Z"
}

// weekly returns the best and worst weekday by mean units over the last 12
// weeks and the share of daily variance the weekday explains (R² of a
// weekday-means model).
func weekly(units []float64, end time.Time) (best, worst string, share float64) {
	n := min(len(units), 84)
	if n < 14 {
		return "", "", 0
	}
	var sums, counts [7]float64
	var all []float64
	for i := len(units) - n; i < len(units); i++ {
		v := units[i]
		if math.IsNaN(v) {
			continue
		}
		wd := end.AddDate(0, 0, i-len(units)).Weekday()
		sums[wd] += v
		counts[wd]++
		all = append(all, v)
	}
	if len(all) < 14 {
		return "", "", 0
	}
	grand := sum(all) / float64(len(all))
	var total, between float64
	bi, wi := -1, -1
	var means [7]float64
	for d := 0; d < 7; d++ {
		if counts[d] == 0 {
			continue
		}
		means[d] = sums[d] / counts[d]
		between += counts[d] * (means[d] - grand) * (means[d] - grand)
		if bi < 0 || means[d] > means[bi] {
			bi = d
		}
		if wi < 0 || means[d] < means[wi] {
			wi = d
		}
	}
	for _, v := range all {
		total += (v - grand) * (v - grand)
	}
	if total > 0 {
		share = between / total
	}
	if grand == 0 || bi < 0 || means[bi] == means[wi] {
		return "", "", share
	}
	return time.Weekday(bi).String(), time.Weekday(wi).String(), share
}

// welchT is Welch's t statistic for the difference of the observed means of a and b.
func welchT(a, b []float64) float64 {
	a, b = observed(a), observed(b)
	if len(a) < 2 || len(b) < 2 {
		return 0
	}
	ma, mb := sum(a)/float64(len(a)), sum(b)/float64(len(b))
	va, vb := variance(a, ma), variance(b, mb)
	se := math.Sqrt(va/float64(len(a)) + vb/float64(len(b)))
	if se == 0 {
		if ma == mb {
			return 0
		}
		return math.Copysign(math.Inf(1), ma-mb)
	}
	return (ma - mb) / se
}

func variance(x []float64, m float64) float64 {
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return ss / float64(len(x)-1)
}

// window returns x's values from `from` to `to` days before the end
// (from < to), oldest first, truncated to what exists.
func window(x []float64, from, to int) []float64 {
	hi := len(x) - from
	lo := len(x) - to
	if hi <= 0 {
		return nil
	}
	return x[max(lo, 0):hi]
}

func lastSum(x []float64, days int) float64 { return sum(observed(window(x, 0, days))) }

func meanObserved(x []float64) float64 {
	o := observed(x)
	if len(o) == 0 {
		return 0
	}
	return sum(o) / float64(len(o))
}

func observed(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

func sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

// Cell is one cell of the ABC×XYZ matrix.
type Cell struct {
	ABC        string  `json:"abc"`
	XYZ        string  `json:"xyz"`
	Products   int     `json:"products"`
	Revenue90  float64 `json:"revenue_90d"`
	StockValue float64 `json:"stock_value"`
}

// Matrix counts products, revenue and stock value per ABC×XYZ cell, in the
// order AX, AY, AZ, BX, … CZ (all nine cells, empty ones included).
func Matrix(trends []Trend) []Cell {
	cells := make([]Cell, 0, 9)
	pos := map[string]int{}
	for _, a := range []string{"A", "B", "C"} {
		for _, x := range []string{"X", "Y", "Z"} {
			pos[a+x] = len(cells)
			cells = append(cells, Cell{ABC: a, XYZ: x})
		}
	}
	for _, t := range trends {
		i, ok := pos[t.ABC+t.XYZ]
		if !ok {
			continue
		}
		cells[i].Products++
		cells[i].Revenue90 += t.Revenue90
		cells[i].StockValue += t.StockValue
	}
	return cells
}
