package chart

import (
	"image/color"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes in points.
const (
	titleSize  = 12
	labelSize  = 10
	tickSize   = 9
	legendSize = 9
)

var (
	fontOnce sync.Once
	sansFont font.Font    // the face every text in this package uses
	handler  text.Handler // plain text over font.DefaultCache
)

// sans returns the package's sans-serif font, resolved once: Liberation Sans
// from gonum/plot's compiled-in collection (no font file is read). Should the
// cache not have it, plot.DefaultFont as it was at first use is taken instead.
// plot.DefaultFont is only read, never written (see the package doc).
func sans() (font.Font, text.Handler) {
	fontOnce.Do(func() {
		sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
		if !font.DefaultCache.Has(sansFont) {
			sansFont = plot.DefaultFont
		}
		handler = text.Plain{Fonts: font.DefaultCache}
	})
	return sansFont, handler
}

// textStyle returns a black text style in the package font.
func textStyle(size vg.Length) text.Style {
	f, h := sans()
	return text.Style{
		Color:   color.Black,
		Font:    font.From(f, size),
		Handler: h,
	}
}

// Colours: opaque, so the SVG carries no opacity attributes and bands
// drawn over each other keep their tone.
var (
	colHistory  = color.RGBA{R: 0x37, G: 0x41, B: 0x51, A: 0xff} // gray-700
	colForecast = color.RGBA{R: 0x1d, G: 0x4e, B: 0xd8, A: 0xff} // blue-700
	colBand80   = color.RGBA{R: 0x93, G: 0xc5, B: 0xfd, A: 0xff} // blue-300
	colBand95   = color.RGBA{R: 0xdb, G: 0xea, B: 0xfe, A: 0xff} // blue-100
	colStockout = color.RGBA{R: 0xfe, G: 0xe2, B: 0xe2, A: 0xff} // red-100
	colToday    = color.RGBA{R: 0xdc, G: 0x26, B: 0x26, A: 0xff} // red-600
	colGrid     = color.RGBA{R: 0xd1, G: 0xd5, B: 0xdb, A: 0xff} // gray-300
	colBar      = color.RGBA{R: 0x25, G: 0x63, B: 0xeb, A: 0xff} // blue-600
	colOther    = color.RGBA{R: 0x9c, G: 0xa3, B: 0xaf, A: 0xff} // gray-400
	colCum      = color.RGBA{R: 0xd9, G: 0x77, B: 0x06, A: 0xff} // amber-600
	colRef      = color.RGBA{R: 0x6b, G: 0x72, B: 0x80, A: 0xff} // gray-500
	colMuted    = color.RGBA{R: 0x6b, G: 0x72, B: 0x80, A: 0xff}
	whiteColor  = color.White
)

// newPlot returns a plot whose every text style uses the package font,
// with a light horizontal grid left to the caller.
func newPlot(title string) *plot.Plot {
	_, h := sans()
	p := plot.New()
	p.TextHandler = h
	p.Title.Text = title
	p.Title.TextStyle = textStyle(titleSize)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.TextStyle.YAlign = draw.YTop
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		ls := a.Label.TextStyle
		a.Label.TextStyle = textStyle(labelSize)
		a.Label.TextStyle.XAlign, a.Label.TextStyle.YAlign = ls.XAlign, ls.YAlign
		ts := a.Tick.Label
		a.Tick.Label = textStyle(tickSize)
		a.Tick.Label.XAlign, a.Tick.Label.YAlign = ts.XAlign, ts.YAlign
		a.Tick.Length = vg.Points(4)
		a.LineStyle.Color = colRef
		a.Tick.LineStyle.Color = colRef
	}
	p.Legend.TextStyle = textStyle(legendSize)
	return p
}

// fitText shortens s with an ellipsis until it is at most width wide in sty.
func fitText(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; sty.Width(t) <= width {
			return t
		}
	}
	return "…"
}
