package chart

import (
	"bytes"
	"fmt"
	"html"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// margin is the white border around every chart.
const margin = vg.Length(6)

// legendEntry is one item of the legend row under a plot.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// figure is a plot with its legend row, or a "No data" card when p is nil.
type figure struct {
	title  string // also the SVG <title>
	p      *plot.Plot
	legend []legendEntry
}

// render draws fig on an SVG canvas of the given size and writes it to w.
// gonum/plot panics on a few degenerate inputs; render turns a panic into an
// error rather than crash the server.
func render(w io.Writer, size Size, fig figure) (err error) {
	wpt, hpt, err := size.points()
	if err != nil {
		return err
	}
	c := vgsvg.New(wpt, hpt)
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("chart: drawing %q: %v", fig.title, r)
			}
		}()
		dc := draw.New(c)
		dc.SetColor(whiteColor)
		dc.Fill(dc.Rectangle.Path())
		dc = draw.Crop(dc, margin, -margin, margin, -margin)
		if fig.p == nil {
			drawNoData(dc, fig.title)
			return
		}
		// A legend taking more than a quarter of the height is left out:
		// on a thumbnail the plot matters more.
		if len(fig.legend) > 0 && legendHeight(dc, fig.legend) <= dc.Size().Y/4 {
			h := drawLegend(dc, fig.legend)
			dc = draw.Crop(dc, 0, 0, h, 0)
		}
		fig.p.BackgroundColor = nil
		fig.p.Title.Text = fitText(fig.p.Title.TextStyle, fig.p.Title.Text, dc.Size().X)
		fig.p.Draw(dc)
	}()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("chart: encoding SVG: %w", err)
	}
	out := postProcess(buf.Bytes(), fig.title)
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("chart: writing SVG: %w", err)
	}
	return nil
}

var (
	fontFamily    = []byte("font-family:Liberation Sans;")
	fontFallback  = []byte("font-family:Liberation Sans,Arial,Helvetica,sans-serif;")
	svgOpenEnd    = []byte("xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n")
	fontStyleNoop = []byte(";font-variant:normal;font-weight:normal;font-style:normal")
)

// postProcess adds generic fallbacks to the font family, drops font
// properties that only restate the defaults, and puts the title in an SVG
// <title> element for screen readers and browser tooltips.
func postProcess(svg []byte, title string) []byte {
	svg = bytes.ReplaceAll(svg, fontFamily, fontFallback)
	svg = bytes.ReplaceAll(svg, fontStyleNoop, nil)
	if i := bytes.Index(svg, svgOpenEnd); i >= 0 && title != "" {
		i += len(svgOpenEnd)
		t := "<title>" + html.EscapeString(title) + "</title>\n"
		out := make([]byte, 0, len(svg)+len(t))
		out = append(out, svg[:i]...)
		out = append(out, t...)
		out = append(out, svg[i:]...)
		svg = out
	}
	return svg
}

// drawNoData draws the title and a centred "No data" message.
func drawNoData(c draw.Canvas, title string) {
	ts := textStyle(titleSize)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	if title != "" {
		c.FillText(ts, vg.Point{X: c.Center().X, Y: c.Max.Y}, fitText(ts, title, c.Size().X))
	}
	ms := textStyle(labelSize + 2)
	ms.Color = colMuted
	ms.XAlign, ms.YAlign = draw.XCenter, draw.YCenter
	c.FillText(ms, c.Center(), "No data")
}

// legendHeight is the height drawLegend would use, without drawing.
func legendHeight(c draw.Canvas, entries []legendEntry) vg.Length {
	return layoutLegend(c, entries, false)
}

// drawLegend draws the entries left to right along the bottom of c,
// wrapping into more rows when they do not fit, each row centred, and
// returns the height used.
func drawLegend(c draw.Canvas, entries []legendEntry) vg.Length {
	return layoutLegend(c, entries, true)
}

func layoutLegend(c draw.Canvas, entries []legendEntry, paint bool) vg.Length {
	sty := textStyle(legendSize)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	const (
		thumbW = vg.Length(18)
		gap    = vg.Length(4)  // thumbnail to text
		sep    = vg.Length(14) // between entries
		pad    = vg.Length(4)  // above the row
	)
	rowH := sty.Height("Mg") + 2
	widths := make([]vg.Length, len(entries))
	var rows [][]int
	var cur []int
	var curW vg.Length
	for i, e := range entries {
		widths[i] = thumbW + gap + sty.Width(e.name)
		need := widths[i]
		if len(cur) > 0 {
			need += sep
		}
		if len(cur) > 0 && curW+need > c.Size().X {
			rows = append(rows, cur)
			cur, curW, need = nil, 0, widths[i]
		}
		cur = append(cur, i)
		curW += need
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	for r, row := range rows {
		if !paint {
			break
		}
		var rw vg.Length
		for k, i := range row {
			if k > 0 {
				rw += sep
			}
			rw += widths[i]
		}
		x := c.Center().X - rw/2
		y := c.Min.Y + vg.Length(len(rows)-1-r)*rowH
		for _, i := range row {
			icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y + 1},
				Max: vg.Point{X: x + thumbW, Y: y + rowH - 1},
			}}
			for _, t := range entries[i].thumbs {
				t.Thumbnail(&icon)
			}
			c.FillText(sty, vg.Point{X: x + thumbW + gap, Y: y + rowH/2}, entries[i].name)
			x += widths[i] + sep
		}
	}
	return vg.Length(len(rows))*rowH + pad
}
