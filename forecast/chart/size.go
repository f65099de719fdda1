package chart

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot/vg"
)

// ErrBadSize is returned (wrapped) by ValidateSize and by every chart
// function when the requested size is out of range or not a number. An HTTP
// handler maps it to 400 Bad Request with errors.Is.
var ErrBadSize = errors.New("chart: bad size")

// Unit is the unit of a Size.
type Unit int

const (
	// Pixel is a CSS pixel (1/96 inch); the zero Unit.
	Pixel Unit = iota
	// Centimetre is 1/2.54 inch.
	Centimetre
)

// String returns "px" or "cm".
func (u Unit) String() string {
	switch u {
	case Pixel:
		return "px"
	case Centimetre:
		return "cm"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// Size is the width and height of a chart in Unit (pixels by default). The
// zero Size means DefaultSize.
type Size struct {
	Width, Height float64
	Unit          Unit
}

// Size limits, in pixels. A centimetre Size is converted before the check
// (1 cm ≈ 37.8 px), so 4.3 cm × 3.2 cm is the smallest and 105 cm × 79 cm
// the largest.
const (
	MinWidth  = 160
	MinHeight = 120
	MaxWidth  = 4000
	MaxHeight = 3000
)

// DefaultSize is used for the zero Size: 800 × 400 px.
var DefaultSize = Size{Width: 800, Height: 400, Unit: Pixel}

const pxPerCm = 96 / 2.54

// pixels returns the size in CSS pixels.
func (s Size) pixels() (w, h float64) {
	if s.Unit == Centimetre {
		return s.Width * pxPerCm, s.Height * pxPerCm
	}
	return s.Width, s.Height
}

// ValidateSize reports whether s can be drawn: the zero Size (meaning
// DefaultSize) or a finite Width in [MinWidth, MaxWidth] and Height in
// [MinHeight, MaxHeight] pixels, in a known Unit. The error wraps ErrBadSize
// and says which limit was broken.
func ValidateSize(s Size) error {
	if s == (Size{}) {
		return nil
	}
	if s.Unit != Pixel && s.Unit != Centimetre {
		return fmt.Errorf("%w: unknown unit %d", ErrBadSize, int(s.Unit))
	}
	w, h := s.pixels()
	switch {
	case math.IsNaN(w) || math.IsNaN(h) || math.IsInf(w, 0) || math.IsInf(h, 0):
		return fmt.Errorf("%w: %g×%g %s is not a number", ErrBadSize, s.Width, s.Height, s.Unit)
	case w < MinWidth || w > MaxWidth:
		return fmt.Errorf("%w: width %g %s outside %d–%d px", ErrBadSize, s.Width, s.Unit, MinWidth, MaxWidth)
	case h < MinHeight || h > MaxHeight:
		return fmt.Errorf("%w: height %g %s outside %d–%d px", ErrBadSize, s.Height, s.Unit, MinHeight, MaxHeight)
	}
	return nil
}

// points validates s and returns it in points (1 px = 0.75 pt), the unit of
// the SVG canvas; a browser shows an SVG of W pt as W/0.75 CSS pixels.
func (s Size) points() (w, h vg.Length, err error) {
	if err := ValidateSize(s); err != nil {
		return 0, 0, err
	}
	if s == (Size{}) {
		s = DefaultSize
	}
	pw, ph := s.pixels()
	return vg.Length(pw * 0.75), vg.Length(ph * 0.75), nil
}
