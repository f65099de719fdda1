package forecast

import (
	"math"
	"testing"
	"time"
)

func TestForecastRoundTrip(t *testing.T) {
	series := []Series{
		{Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Freq: Daily, Values: weeklyPattern(200)},
		{Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Freq: Daily, Values: sparse(200)},
	}
	for _, s := range series {
		f, err := Auto(s, AutoOptions{Horizon: 30, Fast: true})
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var g Forecast
		if err := g.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if g.Method != f.Method || g.Horizon() != f.Horizon() || g.Freq != f.Freq || !g.Start.Equal(f.Start) {
			t.Fatalf("decoded %s/%d/%v, want %s/%d/%v", g.Method, g.Horizon(), g.Freq, f.Method, f.Horizon(), f.Freq)
		}
		for _, days := range []int{1, 7, 21, 60} {
			for _, p := range []float64{0.5, 0.9, 0.95, 0.99} {
				a, b := f.CumulativeQuantile(days, p), g.CumulativeQuantile(days, p)
				if math.Abs(a-b) > 1e-9 {
					t.Fatalf("CumulativeQuantile(%d, %v): %v after decoding, want %v", days, p, b, a)
				}
			}
			if q1, q2 := f.Quantile(days, 0.8), g.Quantile(days, 0.8); q1 != q2 {
				t.Fatalf("Quantile(%d): %v vs %v", days, q2, q1)
			}
		}
	}
	// A series without demand has an infinite ADI: it must still encode.
	zero, err := Fit(Series{Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Freq: Daily, Values: []float64{0}}, "naive", AutoOptions{Horizon: 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := zero.MarshalBinary()
	if err != nil {
		t.Fatalf("encode a forecast without demand: %v", err)
	}
	var back Forecast
	if err := back.UnmarshalBinary(b); err != nil || back.Profile.ADI != zero.Profile.ADI || back.Cumulative(10) != 0 {
		t.Fatalf("decoded ADI %v (want %v), err %v", back.Profile.ADI, zero.Profile.ADI, err)
	}
	var bad Forecast
	if err := bad.UnmarshalBinary([]byte("{")); err == nil {
		t.Fatal("decoding garbage succeeded")
	}
}

func weeklyPattern(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 10 + 5*float64(i%7) + float64((i*13)%5)
	}
	return x
}

func sparse(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		if (i*7)%5 == 0 {
			x[i] = float64(1 + i%3)
		}
	}
	return x
}
