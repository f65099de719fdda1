package chart

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ParetoItem is one product of the ABC Pareto chart.
type ParetoItem struct {
	Label   string  // SKU
	Revenue float64 // over the analysis window; negative counts as 0
}

// ParetoInput is the data of the ABC Pareto chart.
type ParetoInput struct {
	// Items in any order; items with a NaN or infinite Revenue are left out.
	Items []ParetoItem
	// TopN is the number of products drawn as their own bar; the rest are
	// summed into one "Other (n)" bar. 0 means 20.
	TopN int
	// Currency is the revenue unit in the axis label, e.g. "EUR" (optional).
	Currency string
	// Period is appended to the title, e.g. "last 90 days" (optional).
	Period string
	// CutA and CutB are the cumulative shares that end classes A and B:
	// 0 means 0.80 and 0.95, trend.Options' default ABC thresholds.
	CutA, CutB float64
}

// Pareto draws the ABC Pareto chart: revenue bars per product sorted
// descending (TopN, the rest aggregated), the cumulative share of total
// revenue as a line on a second (right, percent) scale, and dashed
// reference lines at the A and B cut-offs (80 % and 95 %).
func Pareto(w io.Writer, in ParetoInput, size Size) error {
	fig, err := paretoFigure(in, size)
	if err != nil {
		return fmt.Errorf("chart: pareto: %w", err)
	}
	if err := render(w, size, fig); err != nil {
		return fmt.Errorf("chart: pareto: %w", err)
	}
	return nil
}

func paretoFigure(in ParetoInput, size Size) (figure, error) {
	title := "ABC analysis: revenue Pareto"
	if in.Period != "" {
		title += ", " + in.Period
	}
	fig := figure{title: title}
	wpt, hpt, err := size.points()
	if err != nil {
		return fig, err
	}
	raw := make([]Bar, 0, len(in.Items))
	for _, it := range in.Items {
		raw = append(raw, Bar{Label: it.Label, Value: math.Max(it.Revenue, 0)})
	}
	bars := sortedBars(raw)
	var total float64
	for _, b := range bars {
		total += b.Value
	}
	if len(bars) == 0 || !(total > 0) || math.IsInf(total, 0) {
		return fig, nil
	}
	// Bars need about 12 pt each, or the plot collapses on small sizes.
	topN := min(cmp.Or(in.TopN, 20), max(3, int((wpt-110)/12)))
	var rest []Bar
	if topN > 0 && len(bars) > topN {
		bars, rest = bars[:topN], bars[topN:]
	}
	var restSum float64
	for _, b := range rest {
		restSum += b.Value
	}
	n := len(bars)
	if len(rest) > 0 {
		n++
	}

	// The left scale is revenue, [0, top]; a share s is drawn at y = s·top.
	top := restSum
	for _, b := range bars {
		top = math.Max(top, b.Value)
	}
	top *= 1.05

	p := newPlot(title)
	p.Y.Label.Text = Revenue.axisLabel(in.Currency, "")
	p.Y.Tick.Marker = numTicks{}
	p.Y.Min, p.Y.Max = 0, top
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Color = colGrid
	p.Add(grid)

	bw := (wpt - 120) / vg.Length(n) * 0.7
	bw = max(min(bw, 36), 1)
	vals := make(plotter.Values, len(bars))
	names := make([]string, 0, n)
	lab := textStyle(tickSize)
	for i, b := range bars {
		vals[i] = b.Value
		names = append(names, fitText(lab, b.Label, min(70, hpt/5)))
	}
	bc, err := plotter.NewBarChart(vals, bw)
	if err != nil {
		return fig, fmt.Errorf("bars: %w", err)
	}
	bc.Color, bc.LineStyle.Width = colBar, 0
	p.Add(bc)
	fig.legend = append(fig.legend, legendEntry{"revenue per product", []plot.Thumbnailer{bc}})
	if len(rest) > 0 {
		ob, err := plotter.NewBarChart(plotter.Values{restSum}, bw)
		if err != nil {
			return fig, fmt.Errorf("other bar: %w", err)
		}
		ob.XMin = float64(len(bars))
		ob.Color, ob.LineStyle.Width = colOther, 0
		p.Add(ob)
		names = append(names, "Other ("+strconv.Itoa(len(rest))+")")
		fig.legend = append(fig.legend, legendEntry{"other products", []plot.Thumbnailer{ob}})
	}

	// Cumulative share at each bar, scaled to the left axis.
	cum := make(plotter.XYs, n)
	var run float64
	for i := range n {
		if i < len(bars) {
			run += bars[i].Value
		} else {
			run += restSum
		}
		cum[i] = plotter.XY{X: float64(i), Y: math.Min(run/total, 1) * top}
	}
	line, pts, err := plotter.NewLinePoints(cum)
	if err != nil {
		return fig, fmt.Errorf("cumulative line: %w", err)
	}
	line.LineStyle = draw.LineStyle{Color: colCum, Width: 1.5}
	pts.GlyphStyle = draw.GlyphStyle{Color: colCum, Radius: 2, Shape: draw.CircleGlyph{}}
	p.Add(line, pts)
	fig.legend = append(fig.legend, legendEntry{"cumulative share (right scale)", []plot.Thumbnailer{line, pts}})

	cutA, cutB := cmp.Or(in.CutA, 0.80), cmp.Or(in.CutB, 0.95)
	ref := draw.LineStyle{Color: colRef, Width: 0.75, Dashes: []vg.Length{4, 3}}
	var refLine *hline
	for _, c := range []float64{cutA, cutB} {
		if c > 0 && c <= 1 {
			refLine = &hline{y: c * top, style: ref}
			p.Add(refLine)
		}
	}
	if refLine != nil {
		fig.legend = append(fig.legend, legendEntry{"A | B | C cut-offs (" + pct(cutA) + ", " + pct(cutB) + ")", []plot.Thumbnailer{refLine}})
	}
	p.Add(&shareAxis{top: top, label: "cumulative share of revenue"})

	p.NominalX(names...)
	p.X.Tick.Label = textStyle(tickSize)
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	widest := vg.Length(0)
	for _, s := range names {
		widest = max(widest, lab.Width(s))
	}
	if widest > (wpt-120)/vg.Length(n)*0.9 { // labels would collide: slant them
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	}
	p.X.Label.Text = "products by revenue, highest first"
	fig.p = p
	return fig, nil
}

// pct formats a share as a whole percentage, "80%".
func pct(s float64) string {
	return strconv.FormatFloat(math.Round(s*1000)/10, 'f', -1, 64) + "%"
}

// shareAxis is a second, percent scale on the right edge of the data area:
// share s ∈ [0, 1] is at y = s·top on the plot's Y axis.
type shareAxis struct {
	top   float64
	label string
}

var shareTicks = []float64{0, 0.2, 0.4, 0.6, 0.8, 1}

const (
	shareTickLen = vg.Length(4)
	shareGap     = vg.Length(2)
)

func (a *shareAxis) styles() (tick, title text.Style) {
	tick = textStyle(tickSize)
	tick.XAlign, tick.YAlign = draw.XLeft, draw.YCenter
	title = textStyle(labelSize)
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	title.Rotation = math.Pi / 2
	return tick, title
}

// Plot implements plot.Plotter.
func (a *shareAxis) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	tick, title := a.styles()
	ls := draw.LineStyle{Color: colRef, Width: 0.5}
	x := c.Max.X
	c.StrokeLine2(ls, x, c.Min.Y, x, c.Max.Y)
	var widest vg.Length
	for _, s := range shareTicks {
		y := trY(s * a.top)
		c.StrokeLine2(ls, x, y, x+shareTickLen, y)
		l := pct(s)
		c.FillText(tick, vg.Point{X: x + shareTickLen + shareGap, Y: y}, l)
		widest = max(widest, tick.Width(l))
	}
	mid := (c.Min.Y + c.Max.Y) / 2
	label := fitText(title, a.label, c.Size().Y)
	c.FillText(title, vg.Point{X: x + shareTickLen + 2*shareGap + widest, Y: mid}, label)
}

// GlyphBoxes implements plot.GlyphBoxer, so the plot leaves room on the
// right for the tick labels and the axis title.
func (a *shareAxis) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	tick, title := a.styles()
	var boxes []plot.GlyphBox
	var widest vg.Length
	for _, s := range shareTicks {
		l := pct(s)
		r := tick.Rectangle(l)
		boxes = append(boxes, plot.GlyphBox{
			X: 1, Y: p.Y.Norm(s * a.top),
			Rectangle: r.Add(vg.Point{X: shareTickLen + shareGap}),
		})
		widest = max(widest, tick.Width(l))
	}
	h := title.Height(a.label)
	boxes = append(boxes, plot.GlyphBox{X: 1, Y: 0.5, Rectangle: vg.Rectangle{
		Min: vg.Point{X: shareTickLen + 2*shareGap + widest, Y: -1},
		Max: vg.Point{X: shareTickLen + 2*shareGap + widest + h, Y: 1},
	}})
	return boxes
}
