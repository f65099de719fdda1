package forecast

import (
	"math"
	"testing"
)

// Hand-worked examples (see the comments for each step).
func TestIntermittentHandWorked(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		model    Model
		y        []float64
		fitted   []float64
		forecast float64
	}{
		{
			// Croston α=0.5: first demand 3 after an interval of 2 → z=3,
			// p=2, forecast 1.5; demand 6 after 3 periods → z=3+0.5·3=4.5,
			// p=2+0.5·1=2.5, forecast 4.5/2.5=1.8.
			name: "croston", model: Croston{Alpha: 0.5},
			y:        []float64{0, 3, 0, 0, 6, 0},
			fitted:   []float64{nan, nan, 1.5, 1.5, 1.5, 1.8},
			forecast: 1.8,
		},
		{
			// SBA multiplies Croston by 1 − α/2 = 0.75.
			name: "sba", model: SBA{Alpha: 0.5},
			y:        []float64{0, 3, 0, 0, 6, 0},
			fitted:   []float64{nan, nan, 1.125, 1.125, 1.125, 1.35},
			forecast: 1.35,
		},
		{
			// A missing period does not lengthen the interval: the same
			// states as above.
			name: "croston-missing", model: Croston{Alpha: 0.5},
			y:        []float64{0, 3, nan, 0, 0, 6},
			fitted:   []float64{nan, nan, 1.5, 1.5, 1.5, 1.5},
			forecast: 1.8,
		},
		{
			// TSB α=β=0.5: d0 = 2/4, z0 = 4.5.
			// t0: ŷ=2.25, y=0 → d=0.25; t1: ŷ=1.125, y=3 → d=0.625, z=3.75;
			// t2: ŷ=2.34375, y=0 → d=0.3125; t3: ŷ=1.171875, y=6 →
			// d=0.65625, z=4.875; forecast 0.65625·4.875.
			name: "tsb", model: TSB{Alpha: 0.5, Beta: 0.5},
			y:        []float64{0, 3, 0, 6},
			fitted:   []float64{2.25, 1.125, 2.34375, 1.171875},
			forecast: 3.19921875,
		},
		{
			name: "croston-no-demand", model: Croston{},
			y:        []float64{0, 0, 0},
			fitted:   []float64{nan, nan, nan},
			forecast: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.model.Fit(tc.y)
			if err != nil {
				t.Fatal(err)
			}
			got := f.InSample()
			for i, want := range tc.fitted {
				if math.IsNaN(want) != math.IsNaN(got[i]) || (!math.IsNaN(want) && math.Abs(got[i]-want) > 1e-12) {
					t.Errorf("fitted[%d] = %v, want %v", i, got[i], want)
				}
			}
			for i, v := range f.Predict(3) {
				if math.Abs(v-tc.forecast) > 1e-12 {
					t.Errorf("forecast[%d] = %v, want %v", i, v, tc.forecast)
				}
			}
			// Apply with the same data reproduces the fit.
			if g := f.Apply(tc.y).Predict(1)[0]; math.Abs(g-tc.forecast) > 1e-12 {
				t.Errorf("Apply forecast %v, want %v", g, tc.forecast)
			}
		})
	}
}

func TestTSBEstimated(t *testing.T) {
	y := []float64{0, 0, 4, 0, 0, 0, 5, 0, 3, 0, 0, 0, 0, 6, 0, 0, 4, 0, 0, 0}
	f, err := TSB{}.Fit(y)
	if err != nil {
		t.Fatal(err)
	}
	fixed, _ := TSB{Alpha: 0.1, Beta: 0.1}.Fit(y)
	if sse(y, f.InSample()) > sse(y, fixed.InSample())+1e-9 {
		t.Errorf("estimated TSB SSE %v worse than α=β=0.1 %v", sse(y, f.InSample()), sse(y, fixed.InSample()))
	}
}

func TestADIDA(t *testing.T) {
	// Constant demand of 2 every third period: buckets of 3 sum to 2, so
	// the forecast is 2/3 per period.
	var y []float64
	for i := 0; i < 30; i++ {
		if i%3 == 2 {
			y = append(y, 2)
		} else {
			y = append(y, 0)
		}
	}
	f, err := ADIDA{}.Fit(y)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Predict(1)[0]; math.Abs(got-2.0/3) > 1e-6 {
		t.Errorf("forecast %v, want 2/3", got)
	}
}
