package forecast

import (
	"math"
	"testing"
)

func TestAutoARIMAOrders(t *testing.T) {
	series, _ := loadARIMAFixtures(t)
	// The simulated airline model: the exact search must find its order.
	y := series["airline_sim"]
	exact, err := AutoARIMA{Period: 12, Exact: true}.fit(y)
	if err != nil {
		t.Fatal(err)
	}
	want := ARIMAOrder{D: 1, Q: 1, SD: 1, SQ: 1, Period: 12}
	if exact.Order != want || exact.Constant {
		t.Errorf("airline_sim exact search: %s, want %s", exact.Params(), want)
	}
	t.Logf("airline_sim exact: %s AICc %.2f", exact.Params(), exact.AICc)
	for _, tc := range []struct {
		id     string
		m      int
		d, sd  int
		refIC  float64 // AICc of a good reference model, or 0
		refMsg string
	}{
		{"airline_sim", 12, 1, 1, exact.AICc, "exact search"},
		{"co2_monthly", 12, 1, 1, 0, ""},
		{"NN3_001", 12, -1, -1, 0, ""},
		{"NN3_101", 12, -1, 1, 0, ""},
		{"NN5-001", 7, -1, -1, 0, ""},
		{"TUNA_B1_log", 1, -1, 0, 0, ""},
	} {
		f, err := AutoARIMA{Period: tc.m}.fit(series[tc.id])
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s AICc %.2f", tc.id, f.Params(), f.AICc)
		if tc.d >= 0 && f.Order.D != tc.d || tc.sd >= 0 && f.Order.SD != tc.sd {
			t.Errorf("%s: %s, want d=%d D=%d", tc.id, f.Order, tc.d, tc.sd)
		}
		if tc.refIC != 0 && f.AICc > tc.refIC+0.01*math.Abs(tc.refIC) {
			t.Errorf("%s: AICc %.2f more than 1%% above the %s (%.2f)", tc.id, f.AICc, tc.refMsg, tc.refIC)
		}
		for i, v := range f.Predict(2 * max(tc.m, 6)) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s: forecast[%d] = %v", tc.id, i, v)
			}
		}
	}
}

func TestKPSSAndSeasonalStrength(t *testing.T) {
	series, _ := loadARIMAFixtures(t)
	// A random walk needs one difference, its differences none.
	rw := make([]float64, 300)
	x := 0.0
	for i := range rw {
		x += math.Sin(float64(i * i)) // deterministic, noise-like steps
		rw[i] = x
	}
	if d := ndiffs(rw, 2); d != 1 {
		t.Errorf("random walk: ndiffs %d, want 1", d)
	}
	if s := seasonalStrength(series["airline_sim"], 12); s < 0.64 {
		t.Errorf("airline_sim: seasonal strength %.2f, want > 0.64", s)
	}
	if s := seasonalStrength(rw, 12); s > 0.3 {
		t.Errorf("random walk: seasonal strength %.2f, want small", s)
	}
}

func BenchmarkAutoARIMA(b *testing.B) {
	series, _ := loadARIMAFixtures(b)
	for _, tc := range []struct {
		id string
		m  int
	}{{"airline_sim", 12}, {"NN3_001", 12}, {"NN5-001", 7}, {"TUNA_B1_log", 1}} {
		y := series[tc.id]
		b.Run(tc.id, func(b *testing.B) {
			for b.Loop() {
				if _, err := (AutoARIMA{Period: tc.m}).fit(y); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestAutoARIMAEdgeCases: short, constant, sparse and extreme series give
// an error or finite forecasts, never a panic or NaN.
func TestAutoARIMAEdgeCases(t *testing.T) {
	nan := math.NaN()
	ramp := make([]float64, 60)
	for i := range ramp {
		ramp[i] = float64(i)
	}
	holes := make([]float64, 80)
	for i := range holes {
		holes[i] = 10 + math.Sin(float64(i))
		if i%3 == 0 {
			holes[i] = nan
		}
	}
	huge := make([]float64, 50)
	for i := range huge {
		huge[i] = 1e12 * (1 + 0.1*math.Cos(float64(i*i)))
	}
	for name, y := range map[string][]float64{
		"one":      {5},
		"three":    {1, 2, 3},
		"constant": {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4},
		"zeros":    make([]float64, 40),
		"ramp":     ramp,
		"holes":    holes,
		"huge":     huge,
		"nan-head": append([]float64{nan, nan, nan}, ramp[:30]...),
	} {
		for _, m := range []int{1, 7, 12} {
			f, err := AutoARIMA{Period: m}.Fit(y)
			if err != nil {
				if err == ErrNoData {
					t.Errorf("%s m=%d: ErrNoData on observed data", name, m)
				}
				continue
			}
			for i, v := range f.Predict(14) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s m=%d: forecast[%d] = %v (%s)", name, m, i, v, f.Params())
				}
			}
			if vf, ok := f.(VarianceForecaster); ok {
				for i, v := range vf.PredictVariance(14) {
					if math.IsNaN(v) || v < 0 {
						t.Fatalf("%s m=%d: variance[%d] = %v (%s)", name, m, i, v, f.Params())
					}
				}
			}
		}
	}
	if _, err := (AutoARIMA{}).Fit([]float64{nan, nan}); err != ErrNoData {
		t.Errorf("all missing: %v, want ErrNoData", err)
	}
}

// FuzzARIMA fits automatic and fixed-order ARIMA models to arbitrary
// series: no panic, and finite forecasts whenever a fit succeeds.
func FuzzARIMA(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, uint8(4), uint8(7))
	f.Add([]byte{0, 0, 0, 9, 0, 0, 255, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2}, uint8(0), uint8(12))
	f.Fuzz(func(t *testing.T, data []byte, mode, period uint8) {
		if len(data) > 400 {
			data = data[:400]
		}
		y := make([]float64, len(data))
		for i, b := range data {
			y[i] = float64(b)
			if b == 254 {
				y[i] = math.NaN()
			}
		}
		m := int(period % 14)
		var mod Model = AutoARIMA{Period: m, MaxModels: 12}
		if mode%2 == 1 {
			mod = ARIMA{Order: ARIMAOrder{P: int(mode/2) % 3, D: int(mode/8) % 2, Q: int(mode/16) % 3, SQ: int(mode/64) % 2, Period: m}}
		}
		fit, err := mod.Fit(y)
		if err != nil {
			return
		}
		for i, v := range fit.Predict(10) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("forecast[%d] = %v (%s)", i, v, fit.Params())
			}
		}
		fit.Apply(y[:len(y)/2]).Predict(3)
	})
}
