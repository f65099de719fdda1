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
