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
// Sales.
func timeFigure(title, ylabel, histName string, hist forecast.Series, days int, fc *forecast.Forecast, horizon int, today time.Time, size Size) (figure, error) {
	fig := figure{title: title}
	wpt, _, err := size.points()
	if err != nil {
		return fig, err
	}
	if days > 0 && hist.Len() > days {
		hist = hist.Slice(hist.Len()-days, hist.Len())
	}
	// History points; NaN days become shaded strips.
	hx := make([]float64, hist.Len())
	for i := range hx {
		hx[i] = dayOf(hist.Time(i))
	}
	var fx []float64
	var point, p50, lo80, hi80, lo95, hi95 []float64
	if fc != nil {
		n := len(fc.Point)
		if horizon > 0 && n > horizon {
			n = horizon
		}
		fx = make([]float64, n)
		for i := range fx {
			fx[i] = dayOf(fc.Freq.Add(fc.Start, i))
		}
		point = head(fc.Point, n)
		p50 = head(fc.P50, n)
		lo80, hi80 = head(fc.Lo80, n), head(fc.Hi80, n)
		lo95, hi95 = head(fc.Lo95, n), head(fc.Hi95, n)
	}

	histLine := segments(hx, hist.Values)
	fcLine := segments(fx, point)
	if len(histLine) == 0 && len(fcLine) == 0 {
		return fig, nil // No data
	}

	p := newPlot(title)
	p.Y.Label.Text = ylabel
	p.Y.Tick.Marker = numTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Color = colGrid
	p.Add(grid)

	// Out-of-stock strips, behind everything.
	var out vspans
	for i, v := range hist.Values {
		if math.IsNaN(v) {
			half := 0.5
			if i+1 < len(hx) {
				half = (hx[i+1] - hx[i]) / 2
			}
			out.add(hx[i]-half, hx[i]+half)
		}
	}
	out.color = colStockout
	if len(out.spans) > 0 {
		p.Add(&out)
		fig.legend = append(fig.legend, legendEntry{"out of stock", []plot.Thumbnailer{&out}})
	}

	// Bands: 95 % then 80 % on top.
	for _, b := range []struct {
		lo, hi []float64
		col    color.Color
		name   string
	}{{lo95, hi95, colBand95, "95% interval"}, {lo80, hi80, colBand80, "80% interval"}} {
		polys := bandPolygons(fx, b.lo, b.hi)
		if len(polys) == 0 {
			continue
		}
		var first *plotter.Polygon
		for _, ring := range polys {
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return fig, fmt.Errorf("band: %w", err)
			}
			poly.Color = b.col
			poly.LineStyle.Width = 0
			p.Add(poly)
			if first == nil {
				first = poly
			}
		}
		fig.legend = append(fig.legend, legendEntry{b.name, []plot.Thumbnailer{first}})
	}

	addLines := func(segs []plotter.XYs, sty draw.LineStyle, name string) error {
		var first *plotter.Line
		for _, s := range segs {
			l, err := plotter.NewLine(s)
			if err != nil {
				return fmt.Errorf("%s line: %w", name, err)
			}
			l.LineStyle = sty
			p.Add(l)
			if first == nil {
				first = l
			}
		}
		if first != nil {
			fig.legend = append(fig.legend, legendEntry{name, []plot.Thumbnailer{first}})
		}
		return nil
	}
	if err := addLines(histLine, draw.LineStyle{Color: colHistory, Width: 1}, histName); err != nil {
		return fig, err
	}
	if err := addLines(fcLine, draw.LineStyle{Color: colForecast, Width: 1.5}, "forecast (mean)"); err != nil {
		return fig, err
	}
	if !sameValues(p50, point) {
		med := draw.LineStyle{Color: colForecast, Width: 1, Dashes: []vg.Length{3, 2}}
		if err := addLines(segments(fx, p50), med, "median"); err != nil {
			return fig, err
		}
	}

	// X range: whole days around the points.
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, xs := range [][]float64{hx, fx} {
		if len(xs) > 0 {
			xmin, xmax = math.Min(xmin, xs[0]), math.Max(xmax, xs[len(xs)-1])
		}
	}
	p.X.Min, p.X.Max = xmin-0.5, xmax+0.5

	// Today line.
	tx := math.NaN()
	switch {
	case !today.IsZero():
		tx = dayOf(today) - 0.5
	case fc != nil && len(fx) > 0:
		tx = fx[0] - 0.5
	case len(hx) > 0:
		tx = hx[len(hx)-1] + 0.5
	}
	if !math.IsNaN(tx) {
		tl := &vline{x: tx, style: draw.LineStyle{Color: colToday, Width: 1, Dashes: []vg.Length{4, 2}}}
		p.Add(tl)
		fig.legend = append(fig.legend, legendEntry{"today", []plot.Thumbnailer{tl}})
		p.X.Min, p.X.Max = math.Min(p.X.Min, tx-0.5), math.Max(p.X.Max, tx+0.5)
	}

	// Demand is not negative: start the value axis at 0 unless data is.
	if p.Y.Min >= 0 || math.IsInf(p.Y.Min, 1) {
		p.Y.Min = 0
	}
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
	}
	// Legend in reading order, not drawing order.
	order := []string{histName, "forecast (mean)", "median", "80% interval", "95% interval", "out of stock", "today"}
	slices.SortStableFunc(fig.legend, func(a, b legendEntry) int {
		return slices.Index(order, a.name) - slices.Index(order, b.name)
	})
	p.X.Tick.Marker = dateTicks{max: int(wpt / 48)}
	p.X.Label.Text = "date (" + yearsLabel(p.X.Min, p.X.Max) + ")"
	fig.p = p
	return fig, nil
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
