package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRhoWithCensoredDays: independent errors give a correlation near 0
// even when every backtest window has censored (stock-out) days; the
// estimate used to skip such origins and fall back to ρ = 0.5, which
// widened lead-time demand quantiles by ~60 % over 28 days.
func TestRhoWithCensoredDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	y := make([]float64, 700)
	for i := range y {
		y[i] = math.Round(100 + 10*rng.NormFloat64())
		if i%11 == 5 {
			y[i] = math.NaN()
		}
	}
	bt := planBacktest(y, 90, 10, MinObserved)
	if len(bt.origins) < 3 {
		t.Fatalf("backtest has %d origins", len(bt.origins))
	}
	fc := make([][]float64, len(bt.origins))
	point := make([]float64, 90)
	for i := range fc {
		fc[i] = make([]float64, bt.h)
		for j := range fc[i] {
			fc[i][j] = 100
		}
	}
	for j := range point {
		point[j] = 100
	}
	d := newDistribution(y, point, bt, fc, nil, Classify(y), true)
	if d.rho > 0.2 {
		t.Errorf("rho = %.3f for independent errors, want < 0.2", d.rho)
	}
	// The 95 % quantile of 28 days' demand is then near 2800 + 1.645·10·√28 ≈ 2887.
	f := &Forecast{Point: point, clip: true, dist: d}
	if q := f.CumulativeQuantile(28, 0.95); q > 2930 {
		t.Errorf("95 %% quantile of 28 days = %.0f, want ≤ 2930 (independent errors: ≈ 2887)", q)
	}
}
