package chart

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// FuzzChartSize draws a sales chart at arbitrary sizes: ValidateSize never
// panics and wraps ErrBadSize when it fails; a chart fails with ErrBadSize
// exactly when ValidateSize does, and otherwise writes a well-formed SVG
// within the size budget.
func FuzzChartSize(f *testing.F) {
	for _, seed := range []struct {
		w, h float64
		unit uint8
	}{
		{0, 0, 0}, {800, 400, 0}, {160, 120, 0}, {4000, 3000, 0}, {159.999, 120, 0}, {4000.001, 3000, 0},
		{16, 10, 1}, {4.3, 3.2, 1}, {105, 79, 1}, {-800, 400, 0}, {800, 0, 0}, {0, 400, 0},
		{math.NaN(), 400, 0}, {math.Inf(1), 400, 0}, {800, math.Inf(-1), 0}, {800, 400, 2}, {800, 400, 255},
		{math.MaxFloat64, math.SmallestNonzeroFloat64, 1}, {1e308, 1e308, 1},
	} {
		f.Add(seed.w, seed.h, seed.unit)
	}
	hist := weekly(120, 10, 11, 50)
	in := SalesInput{History: hist, Days: 90, Forecast: fakeForecast(hist, 30, "ets"), Horizon: 30, Today: day0}
	f.Fuzz(func(t *testing.T, w, h float64, unit uint8) {
		size := Size{Width: w, Height: h, Unit: Unit(unit)}
		verr := ValidateSize(size)
		if verr != nil && !errors.Is(verr, ErrBadSize) {
			t.Fatalf("ValidateSize(%+v) = %v, not ErrBadSize", size, verr)
		}
		var buf bytes.Buffer
		err := Sales(&buf, in, size)
		switch {
		case verr != nil && !errors.Is(err, ErrBadSize):
			t.Fatalf("Sales at %+v: err = %v, want ErrBadSize (ValidateSize: %v)", size, err, verr)
		case verr == nil && err != nil:
			t.Fatalf("Sales at valid size %+v: %v", size, err)
		case verr == nil:
			checkSVG(t, buf.Bytes())
			if buf.Len() > maxSVG {
				t.Fatalf("Sales at %+v: %d bytes, budget %d", size, buf.Len(), maxSVG)
			}
		}
	})
}
