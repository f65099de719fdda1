package chart

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bar is one labelled value of a bar chart: a product (Label = SKU) or a
// category.
type Bar struct {
	Label string
	Value float64
}

// BarsInput is the data of TopMovers and RevenueByCategory.
type BarsInput struct {
	// Bars in any order; they are sorted by Value, largest first (ties by
	// Label). Bars with a NaN or infinite Value are left out.
	Bars []Bar
	// Metric is what Value measures (units or revenue); it picks the value
	// axis label. RevenueByCategory always uses Revenue.
	Metric Metric
	// Currency is the revenue unit in the axis label, e.g. "EUR" (optional).
	Currency string
	// Period is appended to the title, e.g. "last 30 days" (optional).
	Period string
	// Limit is the number of bars drawn: 0 means 10 for TopMovers and 12
	// for RevenueByCategory, which sums the rest into one "Other" bar.
	Limit int
	// Title replaces the default title when not empty.
	Title string
}

// TopMovers draws the Limit products with the largest Value as horizontal
// bars, largest at the top, labelled with their SKU and value.
func TopMovers(w io.Writer, in BarsInput, size Size) error {
	title := "Top movers by " + in.Metric.String()
	fig, err := barFigure(in, cmp.Or(in.Limit, 10), false, title, size)
	if err != nil {
		return fmt.Errorf("chart: top movers: %w", err)
	}
	if err := render(w, size, fig); err != nil {
		return fmt.Errorf("chart: top movers: %w", err)
	}
	return nil
}

// RevenueByCategory draws the revenue of each category as horizontal bars,
// largest at the top; categories past Limit are summed into "Other (n)".
func RevenueByCategory(w io.Writer, in BarsInput, size Size) error {
	in.Metric = Revenue
	fig, err := barFigure(in, cmp.Or(in.Limit, 12), true, "Revenue by category", size)
	if err != nil {
		return fmt.Errorf("chart: revenue by category: %w", err)
	}
	if err := render(w, size, fig); err != nil {
		return fmt.Errorf("chart: revenue by category: %w", err)
	}
	return nil
}

// sortedBars returns the finite bars, largest first, ties by label.
func sortedBars(in []Bar) []Bar {
	out := make([]Bar, 0, len(in))
	for _, b := range in {
		if finite(b.Value) {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b Bar) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	return out
}

// barFigure builds a horizontal bar chart of the top limit bars, with the
// rest summed into an "Other" bar when other is true.
func barFigure(in BarsInput, limit int, other bool, title string, size Size) (figure, error) {
	if in.Title != "" {
		title = in.Title
	}
	if in.Period != "" {
		title += ", " + in.Period
	}
	fig := figure{title: title}
	wpt, hpt, err := size.points()
	if err != nil {
		return fig, err
	}
	bars := sortedBars(in.Bars)
	if len(bars) == 0 {
		return fig, nil
	}
	var rest []Bar
	if limit > 0 && len(bars) > limit {
		bars, rest = bars[:limit], bars[limit:]
	}
	if !other {
		rest = nil
	}
	if len(rest) > 0 {
		var sum float64
		for _, b := range rest {
			sum += b.Value
		}
		bars = append(bars, Bar{Label: "Other (" + strconv.Itoa(len(rest)) + ")", Value: sum})
	}

	p := newPlot(title)
	p.X.Label.Text = in.Metric.axisLabel(in.Currency, "")
	p.X.Tick.Marker = numTicks{}
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	grid.Vertical.Color = colGrid
	p.Add(grid)

	// Largest at the top: category i of the plot is bar n-1-i.
	n := len(bars)
	names := make([]string, n)
	vals := make(plotter.Values, n)
	lab := textStyle(tickSize)
	for i, b := range bars {
		names[n-1-i] = fitText(lab, b.Label, wpt*0.3)
		vals[n-1-i] = b.Value
	}
	bw := (hpt - 60) / vg.Length(n) * 0.7
	bw = max(min(bw, 28), 1)
	// One chart per colour: the "Other" bar (at the bottom) is gray.
	main, err := plotter.NewBarChart(vals, bw)
	if err != nil {
		return fig, fmt.Errorf("bars: %w", err)
	}
	main.Horizontal = true
	main.Color = colBar
	main.LineStyle.Width = 0
	if len(rest) > 0 {
		ob, err := plotter.NewBarChart(plotter.Values{bars[n-1].Value}, bw)
		if err != nil {
			return fig, fmt.Errorf("other bar: %w", err)
		}
		ob.Horizontal = true
		ob.Color = colOther
		ob.LineStyle.Width = 0
		p.Add(main, ob)
		main.Values[0] = 0
	} else {
		p.Add(main)
	}
	p.NominalY(names...)
	p.Y.Tick.Label = textStyle(tickSize)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter

	// Value annotations at the bar ends.
	xys := make(plotter.XYs, n)
	strs := make([]string, n)
	for i, b := range bars {
		// A negative value's label starts at the zero line.
		xys[n-1-i] = plotter.XY{X: math.Max(b.Value, 0), Y: float64(n - 1 - i)}
		strs[n-1-i] = compact(b.Value)
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: strs})
	if err != nil {
		return fig, fmt.Errorf("bar labels: %w", err)
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i] = textStyle(tickSize)
		labels.TextStyle[i].YAlign = draw.YCenter
	}
	labels.Offset = vg.Point{X: 3}
	p.Add(labels)
	p.X.Min = math.Min(p.X.Min, 0)
	p.X.Max = math.Max(p.X.Max, 0)
	if p.X.Max == p.X.Min {
		p.X.Max = 1
	}
	fig.p = p
	return fig, nil
}
