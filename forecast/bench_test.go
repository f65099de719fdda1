package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// dailyDemand returns a deterministic synthetic daily demand series of n
// days: level with a slow trend, a weekday pattern, Poisson-like noise and
// a few censored days.
func dailyDemand(n int, seed uint64) Series {
	rng := rand.New(rand.NewPCG(seed, 1))
	week := []float64{0.8, 0.9, 1.0, 1.0, 1.2, 1.5, 0.6}
	y := make([]float64, n)
	for t := range y {
		mu := (20 + 0.01*float64(t)) * week[t%7]
		y[t] = math.Max(0, math.Round(mu+rng.NormFloat64()*math.Sqrt(mu)))
		if rng.Float64() < 0.01 {
			y[t] = math.NaN()
		}
	}
	return Series{Start: time.Date(2023, 1, 2, 0, 0, 0, 0, time.UTC), Freq: Daily, Values: y}
}

func BenchmarkFit(b *testing.B) {
	y := dailyDemand(730, 1).Values
	for _, name := range Methods {
		for _, fast := range []bool{false, true} {
			if fast && (name != "ses" && name != "holt" && name != "hw-add" && name != "hw-mul") {
				continue
			}
			label := name
			if fast {
				label += "/fast"
			}
			mod, err := NewModel(name, 7, fast)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(label, func(b *testing.B) {
				for b.Loop() {
					if _, err := mod.Fit(y); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkAuto(b *testing.B) {
	s := dailyDemand(730, 2)
	for _, tc := range []struct {
		name string
		opt  AutoOptions
	}{
		{"h28", AutoOptions{Horizon: 28}},
		{"h28/fast", AutoOptions{Horizon: 28, Fast: true}},
		{"h90/fast", AutoOptions{Horizon: 90, Fast: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Auto(s, tc.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
