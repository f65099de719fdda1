package seed

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRoundUp(t *testing.T) {
	tests := []struct {
		q         int64
		pack, moq int
		want      int64
	}{
		{0, 6, 12, 0},
		{-3, 6, 12, 0},
		{1, 1, 1, 1},
		{1, 6, 6, 6},
		{7, 6, 6, 12},
		{12, 6, 6, 12},
		{13, 6, 24, 24},
		{25, 6, 24, 30},
		{5, 0, 1, 5}, // a zero pack size counts as 1
	}
	for _, tt := range tests {
		if got := roundUp(tt.q, tt.pack, tt.moq); got != tt.want {
			t.Errorf("roundUp(%d, pack %d, moq %d) = %d, want %d", tt.q, tt.pack, tt.moq, got, tt.want)
		}
	}
}

func TestRoundPrice(t *testing.T) {
	tests := []struct {
		cents float64
		want  int64
	}{
		{0, 9}, {3.2, 9}, {1249, 1249}, {1250, 1259}, {1253.6, 1259}, {99.5, 109},
	}
	for _, tt := range tests {
		if got := roundPrice(tt.cents); got != tt.want {
			t.Errorf("roundPrice(%v) = %d, want %d", tt.cents, got, tt.want)
		}
	}
}

// TestSamplers checks the sample mean and variance of the demand
// distributions against theory, within 3% (fixed seed, so deterministic).
func TestSamplers(t *testing.T) {
	const n = 200_000
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name              string
		draw              func() float64
		wantMean, wantVar float64
	}{
		{"poisson 0.3", func() float64 { return float64(poisson(r, 0.3)) }, 0.3, 0.3},
		{"poisson 7", func() float64 { return float64(poisson(r, 7)) }, 7, 7},
		{"poisson 80 (normal approximation)", func() float64 { return float64(poisson(r, 80)) }, 80, 80},
		{"gamma 0.6", func() float64 { return gammaVariate(r, 0.6) }, 0.6, 0.6},
		{"gamma 4", func() float64 { return gammaVariate(r, 4) }, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sum, sq float64
			for range n {
				x := tt.draw()
				sum += x
				sq += x * x
			}
			mean := sum / n
			variance := sq/n - mean*mean
			if math.Abs(mean-tt.wantMean) > 0.03*tt.wantMean || math.Abs(variance-tt.wantVar) > 0.03*tt.wantVar {
				t.Errorf("mean %.3f, variance %.3f; want %.3f, %.3f", mean, variance, tt.wantMean, tt.wantVar)
			}
		})
	}
	if poisson(r, 0) != 0 || poisson(r, math.NaN()) != 0 {
		t.Error("poisson of a zero or NaN mean must be 0")
	}
}
