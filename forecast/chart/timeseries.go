package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"smartinventory/forecast"
)

// ForecastInput is the data of the product forecast chart.
type ForecastInput struct {
	SKU  string
	Name string

	// History is the product's daily demand. A NaN value marks a day the
	// product was out of stock (demand censored): it is drawn as a gap in
	// the line over a shaded strip. ±Inf values are gaps without shading.
	History forecast.Series
	// Days keeps only the last Days periods of History; 0 keeps all.
	Days int

	// Forecast continues History; nil draws the history alone. Its Method
	// goes in the title; Point is drawn as the forecast line, P50 as a dashed
	// median line, [Lo80, Hi80] and [Lo95, Hi95] as filled bands. Missing
	// (short or empty) slices are skipped; non-finite values break the
	// line or band.
	Forecast *forecast.Forecast
	// Horizon draws only the first Horizon forecast periods; 0 draws all.
	Horizon int

	// Today places the vertical "today" line at the start of that day. The
	// zero value means Forecast.Start, or the day after the history.
	Today time.Time
}

// SalesInput is the data of the dashboard's total sales chart.
type SalesInput struct {
	// Metric says whether History is in units or revenue; it picks the
	// title and the y label.
	Metric Metric
	// Currency is the revenue unit in the y label, e.g. "EUR" (optional).
	Currency string
	// History is the total daily sales; NaN or ±Inf values are gaps.
	History forecast.Series
	// Days keeps only the last Days periods of History; 0 means 90.
	Days int
	// Forecast continues History; nil draws the history alone.
	Forecast *forecast.Forecast
	// Horizon draws only the first Horizon forecast periods; 0 means 30.
	Horizon int
	// Today is as in ForecastInput.
	Today time.Time
}

// Metric is what a sales figure measures.
type Metric int

const (
	// Units is quantities sold (the zero Metric).
	Units Metric = iota
	// Revenue is money taken.
	Revenue
)

// String returns "units" or "revenue".
func (m Metric) String() string {
	if m == Revenue {
		return "revenue"
	}
	return "units"
}

// axisLabel is the value-axis label of m, e.g. "units/day" or
// "revenue (EUR)/day".
func (m Metric) axisLabel(currency, per string) string {
	s := m.String()
	if m == Revenue && currency != "" {
		s += " (" + currency + ")"
	}
	return s + per
}

// Forecast draws a product's daily sales history with its forecast: the
// mean and median lines, the 80 % and 95 % prediction bands, out-of-stock
// days shaded and a vertical "today" line. The title names the SKU, the
// product and the forecasting model. With no finite history and no
// forecast it draws "No data".
func Forecast(w io.Writer, in ForecastInput, size Size) error {
	title := strings.TrimSpace(strings.TrimSpace(in.SKU) + " · " + strings.TrimSpace(in.Name))
	title = strings.Trim(title, " ·")
	if title == "" {
		title = "Forecast"
	}
	if in.Forecast != nil && in.Forecast.Method != "" {
		title += " — forecast: " + in.Forecast.Method
	}
	fig, err := timeFigure(title, "units/day", "sales", in.History, in.Days, in.Forecast, in.Horizon, in.Today, size)
	if err != nil {
		return fmt.Errorf("chart: forecast %s: %w", in.SKU, err)
	}
	if err := render(w, size, fig); err != nil {
		return fmt.Errorf("chart: forecast %s: %w", in.SKU, err)
	}
	return nil
}

// Sales draws total daily sales (units or revenue) of the last 90 days
// (SalesInput.Days) with the forecast of the next 30 (Horizon) drawn as in
// Forecast.
func Sales(w io.Writer, in SalesInput, size Size) error {
	days, horizon := in.Days, in.Horizon
	if days <= 0 {
		days = 90
	}
	if horizon <= 0 {
		horizon = 30
	}
	if shown := in.History.Len(); shown < days && shown > 0 {
		days = shown
	}
	if in.Forecast != nil && len(in.Forecast.Point) < horizon && len(in.Forecast.Point) > 0 {
		horizon = len(in.Forecast.Point)
	}
	title := "Daily sales (units)"
	if in.Metric == Revenue {
		title = "Daily revenue"
		if in.Currency != "" {
			title += " (" + in.Currency + ")"
		}
	}
	title += fmt.Sprintf(", last %d days", days)
	if in.Forecast != nil && len(in.Forecast.Point) > 0 {
		title += fmt.Sprintf(" and %d-day forecast", horizon)
	}
	fig, err := timeFigure(title, in.Metric.axisLabel(in.Currency, "/day"), in.Metric.String(), in.History, days, in.Forecast, horizon, in.Today, size)
	if err != nil {
		return fmt.Errorf("chart: sales: %w", err)
	}
	if err := render(w, size, fig); err != nil {
		return fmt.Errorf("chart: sales: %w", err)
	}
	return nil
}

// dayOf is the calendar date of t (in t's location) as a dayX coordinate.
func dayOf(t time.Time) float64 {
	y, m, d := t.Date()
	return dayX(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// timeFigure builds the history + forecast plot shared by Forecast and
// Sales: out-of-stock strips, the 95 % and 80 % bands, the history, mean
// and median lines, the today line, then the axes and the legend.
func timeFigure(title, ylabel, histName string, hist forecast.Series, days int, fc *forecast.Forecast, horizon int, today time.Time, size Size) (figure, error) {
	fig := figure{title: title}
	wpt, _, err := size.points()
	if err != nil {
		return fig, err
	}
	d := newTimeData(hist, days, fc, horizon)
	histLine, fcLine := segments(d.hx, d.hist), segments(d.fx, d.point)
	if len(histLine) == 0 && len(fcLine) == 0 {
		return fig, nil // No data
	}

	tc := &timeChart{p: newPlot(title), fig: &fig}
	tc.p.Y.Label.Text = ylabel
	tc.p.Y.Tick.Marker = numTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Color = colGrid
	tc.p.Add(grid)

	tc.addStockouts(d) // behind everything
	if err := tc.addBands(d); err != nil {
		return fig, err
	}
	if err := tc.addLines(histLine, draw.LineStyle{Color: colHistory, Width: 1}, histName); err != nil {
		return fig, err
	}
	if err := tc.addLines(fcLine, draw.LineStyle{Color: colForecast, Width: 1.5}, "forecast (mean)"); err != nil {
		return fig, err
	}
	if !sameValues(d.p50, d.point) {
		med := draw.LineStyle{Color: colForecast, Width: 1, Dashes: []vg.Length{3, 2}}
		if err := tc.addLines(segments(d.fx, d.p50), med, "median"); err != nil {
			return fig, err
		}
	}
	tc.setXRange(d)
	tc.addToday(d, today, fc != nil)
	tc.finishAxes(histName, wpt)
	fig.p = tc.p
	return fig, nil
}

// timeData is the history (the last days of it) and the forecast (its
// first horizon steps) as plot coordinates: x in days, NaN history values
// for days out of stock.
type timeData struct {
	hx, hist                               []float64
	fx, point, p50, lo80, hi80, lo95, hi95 []float64
}

func newTimeData(hist forecast.Series, days int, fc *forecast.Forecast, horizon int) timeData {
	if days > 0 && hist.Len() > days {
		hist = hist.Slice(hist.Len()-days, hist.Len())
	}
	d := timeData{hx: make([]float64, hist.Len()), hist: hist.Values}
	for i := range d.hx {
		d.hx[i] = dayOf(hist.Time(i))
	}
	if fc == nil {
		return d
	}
	n := len(fc.Point)
	if horizon > 0 && n > horizon {
		n = horizon
	}
	d.fx = make([]float64, n)
	for i := range d.fx {
		d.fx[i] = dayOf(fc.Freq.Add(fc.Start, i))
	}
	d.point, d.p50 = head(fc.Point, n), head(fc.P50, n)
	d.lo80, d.hi80 = head(fc.Lo80, n), head(fc.Hi80, n)
	d.lo95, d.hi95 = head(fc.Lo95, n), head(fc.Hi95, n)
	return d
}

// timeChart adds the layers of a time figure to its plot and legend.
type timeChart struct {
	p   *plot.Plot
	fig *figure
}

// legend adds a legend entry.
func (tc *timeChart) legend(name string, thumb plot.Thumbnailer) {
	tc.fig.legend = append(tc.fig.legend, legendEntry{name, []plot.Thumbnailer{thumb}})
}

// addStockouts shades the days out of stock (NaN history), a day wide each.
func (tc *timeChart) addStockouts(d timeData) {
	var out vspans
	for i, v := range d.hist {
		if math.IsNaN(v) {
			half := 0.5
			if i+1 < len(d.hx) {
				half = (d.hx[i+1] - d.hx[i]) / 2
			}
			out.add(d.hx[i]-half, d.hx[i]+half)
		}
	}
	out.color = colStockout
	if len(out.spans) > 0 {
		tc.p.Add(&out)
		tc.legend("out of stock", &out)
	}
}

// addBands draws the 95 % band, then the 80 % band on top.
func (tc *timeChart) addBands(d timeData) error {
	for _, b := range []struct {
		lo, hi []float64
		col    color.Color
		name   string
	}{{d.lo95, d.hi95, colBand95, "95% interval"}, {d.lo80, d.hi80, colBand80, "80% interval"}} {
		polys := bandPolygons(d.fx, b.lo, b.hi)
		if len(polys) == 0 {
			continue
		}
		var first *plotter.Polygon
		for _, ring := range polys {
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return fmt.Errorf("band: %w", err)
			}
			poly.Color = b.col
			poly.LineStyle.Width = 0
			tc.p.Add(poly)
			if first == nil {
				first = poly
			}
		}
		tc.legend(b.name, first)
	}
	return nil
}

// addLines draws segs in sty, with one legend entry called name.
func (tc *timeChart) addLines(segs []plotter.XYs, sty draw.LineStyle, name string) error {
	var first *plotter.Line
	for _, s := range segs {
		l, err := plotter.NewLine(s)
		if err != nil {
			return fmt.Errorf("%s line: %w", name, err)
		}
		l.LineStyle = sty
		tc.p.Add(l)
		if first == nil {
			first = l
		}
	}
	if first != nil {
		tc.legend(name, first)
	}
	return nil
}

// setXRange spans whole days around the points.
func (tc *timeChart) setXRange(d timeData) {
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, xs := range [][]float64{d.hx, d.fx} {
		if len(xs) > 0 {
			xmin, xmax = math.Min(xmin, xs[0]), math.Max(xmax, xs[len(xs)-1])
		}
	}
	tc.p.X.Min, tc.p.X.Max = xmin-0.5, xmax+0.5
}

// addToday draws the today line: before today when given, else before
// the first forecast day, else after the last history day; the x range
// grows to hold it.
func (tc *timeChart) addToday(d timeData, today time.Time, hasForecast bool) {
	tx := math.NaN()
	switch {
	case !today.IsZero():
		tx = dayOf(today) - 0.5
	case hasForecast && len(d.fx) > 0:
		tx = d.fx[0] - 0.5
	case len(d.hx) > 0:
		tx = d.hx[len(d.hx)-1] + 0.5
	}
	if math.IsNaN(tx) {
		return
	}
	tl := &vline{x: tx, style: draw.LineStyle{Color: colToday, Width: 1, Dashes: []vg.Length{4, 2}}}
	tc.p.Add(tl)
	tc.legend("today", tl)
	tc.p.X.Min, tc.p.X.Max = math.Min(tc.p.X.Min, tx-0.5), math.Max(tc.p.X.Max, tx+0.5)
}

// finishAxes starts the value axis at 0 (demand is not negative) unless
// the data goes below, orders the legend for reading, and labels the date
// axis for a plot wpt points wide.
func (tc *timeChart) finishAxes(histName string, wpt vg.Length) {
	p := tc.p
	if p.Y.Min >= 0 || math.IsInf(p.Y.Min, 1) {
		p.Y.Min = 0
	}
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
	}
	order := []string{histName, "forecast (mean)", "median", "80% interval", "95% interval", "out of stock", "today"}
	slices.SortStableFunc(tc.fig.legend, func(a, b legendEntry) int {
		return slices.Index(order, a.name) - slices.Index(order, b.name)
	})
	p.X.Tick.Marker = dateTicks{max: int(wpt / 48)}
	p.X.Label.Text = "date (" + yearsLabel(p.X.Min, p.X.Max) + ")"
}

// head returns the first n values of s, or nil when s is shorter.
func head(s []float64, n int) []float64 {
	if len(s) < n {
		return nil
	}
	return s[:n]
}

// sameValues reports whether a is nil or equal to b (NaN equal to NaN).
func sameValues(a, b []float64) bool {
	if a == nil {
		return true
	}
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// segments splits the points (x[i], y[i]) at non-finite y into runs. A run of
// one point gets a short flat stroke so it stays visible.
func segments(x, y []float64) []plotter.XYs {
	if len(y) > len(x) {
		y = y[:len(x)]
	}
	var segs []plotter.XYs
	var cur plotter.XYs
	flush := func() {
		switch len(cur) {
		case 0:
			return
		case 1:
			c := cur[0]
			cur = plotter.XYs{{X: c.X - 0.25, Y: c.Y}, {X: c.X + 0.25, Y: c.Y}}
		}
		segs = append(segs, cur)
		cur = nil
	}
	for i, v := range y {
		if !finite(v) || !finite(x[i]) {
			flush()
			continue
		}
		cur = append(cur, plotter.XY{X: x[i], Y: v})
	}
	flush()
	return segs
}

// bandPolygons returns one closed ring per run of periods where both lo
// and hi are finite: along hi forwards, then along lo backwards. A run of
// one period becomes a thin rectangle.
func bandPolygons(x, lo, hi []float64) []plotter.XYs {
	n := min(len(x), len(lo), len(hi))
	var rings []plotter.XYs
	start := -1
	emit := func(a, b int) { // periods [a, b)
		var ring plotter.XYs
		if b-a == 1 {
			ring = plotter.XYs{{X: x[a] - 0.25, Y: hi[a]}, {X: x[a] + 0.25, Y: hi[a]}, {X: x[a] + 0.25, Y: lo[a]}, {X: x[a] - 0.25, Y: lo[a]}}
		} else {
			for i := a; i < b; i++ {
				ring = append(ring, plotter.XY{X: x[i], Y: hi[i]})
			}
			for i := b - 1; i >= a; i-- {
				ring = append(ring, plotter.XY{X: x[i], Y: lo[i]})
			}
		}
		rings = append(rings, ring)
	}
	for i := 0; i < n; i++ {
		ok := finite(x[i]) && finite(lo[i]) && finite(hi[i])
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			emit(start, i)
			start = -1
		}
	}
	if start >= 0 {
		emit(start, n)
	}
	return rings
}
