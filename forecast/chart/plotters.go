package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// vspans shades full-height vertical strips [x0, x1] of the data area. It
// does not take part in the axis ranges.
type vspans struct {
	spans [][2]float64
	color color.Color
}

// add appends [x0, x1], merging it with the last strip when they touch.
func (v *vspans) add(x0, x1 float64) {
	if n := len(v.spans); n > 0 && v.spans[n-1][1] >= x0 {
		v.spans[n-1][1] = x1
		return
	}
	v.spans = append(v.spans, [2]float64{x0, x1})
}

// Plot implements plot.Plotter.
func (v *vspans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, s := range v.spans {
		pts := []vg.Point{
			{X: trX(s[0]), Y: c.Min.Y}, {X: trX(s[1]), Y: c.Min.Y},
			{X: trX(s[1]), Y: c.Max.Y}, {X: trX(s[0]), Y: c.Max.Y},
		}
		c.FillPolygon(v.color, c.ClipPolygonX(pts))
	}
}

// Thumbnail implements plot.Thumbnailer.
func (v *vspans) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(v.color, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// vline is a full-height vertical line at x.
type vline struct {
	x     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (v *vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	if !c.ContainsX(x) {
		return
	}
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// Thumbnail implements plot.Thumbnailer.
func (v *vline) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// hline is a full-width horizontal reference line at y.
type hline struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h *hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	if !c.ContainsY(y) {
		return
	}
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// Thumbnail implements plot.Thumbnailer.
func (h *hline) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}
