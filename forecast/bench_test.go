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
			if fast && (name != "ses" && name != "holt" && name != "hw-add" && name != "hw-mul") || name == "arima" {
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

// weeklyDemand returns a deterministic synthetic weekly series of n weeks:
// level × slow trend × annual season (52 weeks) with gamma-like noise.
func weeklyDemand(n int, seed uint64) Series {
	rng := rand.New(rand.NewPCG(seed, 2))
	y := make([]float64, n)
	for t := range y {
		mu := 200 * (1 + 0.3*float64(t)/float64(n)) * (1 + 0.25*math.Sin(2*math.Pi*float64(t)/52.18))
		y[t] = math.Max(0, math.Round(mu+rng.NormFloat64()*math.Sqrt(mu)*2))
	}
	return Series{Start: time.Date(1975, 1, 6, 0, 0, 0, 0, time.UTC), Freq: Weekly, Values: y}
}

// BenchmarkAuto times the public Auto on a 730-day series (h 28 and 90)
// and a 2,600-week series with season 52 (h 13).
func BenchmarkAuto(b *testing.B) {
	daily := dailyDemand(730, 2)
	weekly := weeklyDemand(2600, 3)
	for _, tc := range []struct {
		name string
		s    Series
		opt  AutoOptions
	}{
		{"daily730/h28", daily, AutoOptions{Horizon: 28}},
		{"daily730/h28/fast", daily, AutoOptions{Horizon: 28, Fast: true}},
		{"daily730/h90/fast", daily, AutoOptions{Horizon: 90, Fast: true}},
		{"weekly2600/h13", weekly, AutoOptions{Horizon: 13}},
		{"weekly2600/h13/fast", weekly, AutoOptions{Horizon: 13, Fast: true}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Auto(tc.s, tc.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFitWeekly times the seasonal models on 2,600 weeks (m = 52).
func BenchmarkFitWeekly(b *testing.B) {
	y := weeklyDemand(2600, 4).Values
	for _, name := range []string{"hw-add", "hw-mul", "theta", "linreg"} {
		for _, fast := range []bool{false, true} {
			mod, err := NewModel(name, 52, fast)
			if err != nil {
				b.Fatal(err)
			}
			label := name
			if fast {
				label += "/fast"
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

func BenchmarkDynReg(b *testing.B) {
	y := dailyDemand(730, 1).Values
	for i := 0; i < b.N; i++ {
		if _, err := (DynReg{Period: 7}).Fit(y); err != nil {
			b.Fatal(err)
		}
	}
}
