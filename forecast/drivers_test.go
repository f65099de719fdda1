package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// simulatePromo draws weekly demand with a random-walk level, a known
// price elasticity and a known deal uplift; prices and deals also cover h
// planned weeks.
func simulatePromo(seed uint64, n, h int, elasticity, dealLog float64) (y []float64, price, deal []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	price = make([]float64, n+h)
	deal = make([]float64, n+h)
	reg := 2.0
	for t := range price {
		if t%40 == 39 {
			reg *= 1 + 0.05*r.NormFloat64()
		}
		price[t] = reg
		if r.Float64() < 0.25 {
			price[t] = reg * (0.7 + 0.25*r.Float64())
		}
		if r.Float64() < 0.15 {
			deal[t] = 1
		}
	}
	level := math.Log(200)
	y = make([]float64, n)
	for t := range y {
		level += 0.03 * r.NormFloat64()
		// the relative price the model sees: price ÷ max of the last 13
		rp := price[t]
		for k := max(0, t-RegularWindow+1); k <= t; k++ {
			rp = math.Min(rp, price[t]/price[k])
		}
		z := level + elasticity*math.Log(rp) + dealLog*deal[t] + 0.1*r.NormFloat64()
		y[t] = math.Round(math.Expm1(z))
	}
	return y, price, deal
}

func TestDynRegRecoversElasticity(t *testing.T) {
	const el, up = -2.5, 0.4
	for seed := uint64(1); seed <= 8; seed++ {
		y, price, deal := simulatePromo(seed, 400, 13, el, up)
		m := DynReg{Drivers: []Driver{{Name: "price", Kind: Price, Values: price}, {Name: "deal", Kind: Flag, Values: deal}}}
		f, err := m.Fit(y)
		if err != nil {
			t.Fatal(err)
		}
		e := f.(EffectsFitted).Effects()
		t.Logf("seed %d: %s", seed, f.Params())
		if got := e[0].Estimate; math.Abs(got-el) > 0.1*math.Abs(el) {
			t.Errorf("seed %d: elasticity %.3f, want %.3f ± 10%%", seed, got, el)
		}
		if got := e[1].Estimate; math.Abs(got-up) > 0.1*up {
			t.Errorf("seed %d: deal coefficient %.3f, want %.3f ± 10%%", seed, got, up)
		}
		if !(e[0].SE > 0 && e[0].SE < 0.5) || !(e[1].SE > 0 && e[1].SE < 0.2) {
			t.Errorf("seed %d: standard errors %v", seed, e)
		}
		p := f.Predict(13)
		for i, v := range p {
			if math.IsNaN(v) || v < 0 {
				t.Fatalf("seed %d: forecast %d = %v", seed, i, v)
			}
		}
	}
}

// FuzzAutoDrivers runs Auto with random drivers (prices with gaps, zero
// or negative prices, flags of any size, a random prior) on arbitrary
// series: no panic, and finite, non-negative forecasts and quantiles.
func FuzzAutoDrivers(f *testing.F) {
	f.Add([]byte{10, 12, 9, 30, 11, 10, 13, 40, 9, 10, 11, 12, 35, 10, 9, 11, 12, 10, 30, 11}, []byte{5, 5, 3, 5, 5, 5, 2, 5, 5, 5, 5, 3, 5, 5, 5, 5, 5, 3, 5, 5, 5, 5, 3, 5}, uint8(3), uint8(7))
	f.Add([]byte{0, 0, 0, 9, 0, 0, 255, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2}, []byte{0, 254, 1, 1, 9}, uint8(12), uint8(0))
	f.Add([]byte{3}, []byte{}, uint8(0), uint8(1))
	f.Fuzz(func(t *testing.T, data, drv []byte, period, mode uint8) {
		if len(data) > 300 {
			data = data[:300]
		}
		y := make([]float64, len(data))
		for i, b := range data {
			y[i] = float64(b)
			if b == 254 {
				y[i] = math.NaN()
			}
		}
		const h = 6
		price := make([]float64, len(y)+h)
		flag := make([]float64, len(y)+h)
		for i := range price {
			price[i], flag[i] = 1, 0
			if len(drv) > 0 {
				b := drv[i%len(drv)]
				price[i] = float64(b) / 10
				flag[i] = float64(b%3) * float64(b)
				if b == 254 {
					price[i], flag[i] = math.NaN(), math.NaN()
				}
			}
		}
		opt := AutoOptions{Horizon: h, Period: int(period % 14), Fast: mode%2 == 0,
			Drivers: []Driver{{Name: "price", Kind: Price, Values: price}, {Name: "deal", Kind: Flag, Values: flag}}}
		if mode%4 >= 2 {
			opt.Prior = []Effect{{Name: "price", Estimate: -float64(mode) / 20, SE: 0.1}, {Name: "deal", Estimate: 0.3, SE: float64(mode%5) / 10}}
		}
		var fc *Forecast
		var err error
		if mode%8 >= 4 {
			fc, err = Fit(Series{Freq: Weekly, Values: y}, "dynreg", opt)
		} else {
			fc, err = Auto(Series{Freq: Weekly, Values: y}, opt)
		}
		if err != nil {
			if observed(y) == 0 {
				return
			}
			t.Fatalf("Auto: %v", err)
		}
		for i := range fc.Point {
			for _, v := range []float64{fc.Point[i], fc.Lo95[i], fc.Hi95[i], fc.P50[i], fc.Lo80[i]} {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					t.Fatalf("step %d: %v (%s %s)", i, v, fc.Method, fc.Params)
				}
			}
		}
		for _, e := range fc.Effects {
			if math.IsNaN(e.Estimate) || math.IsNaN(e.SE) {
				t.Fatalf("effect %+v", e)
			}
		}
	})
}

func TestPoissonRegRecoversEffects(t *testing.T) {
	const el, up = -2.0, 0.7
	for seed := uint64(1); seed <= 5; seed++ {
		r := rand.New(rand.NewPCG(seed, 2))
		n := 3000
		price := make([]float64, n+8)
		feat := make([]float64, n+8)
		for i := range price {
			price[i] = 3
			if r.Float64() < 0.3 {
				price[i] = 3 * (0.6 + 0.35*r.Float64())
			}
			if r.Float64() < 0.2 {
				feat[i] = 1
			}
		}
		cols := driverMatrix([]Driver{{Kind: Price, Values: price}}, n)
		y := make([]float64, n)
		for i := range y {
			mu := math.Exp(math.Log(1.5) + el*cols[0][i] + up*feat[i])
			y[i] = float64(poissonDraw(r, mu))
		}
		m := PoissonReg{Drivers: []Driver{{Name: "price", Kind: Price, Values: price}, {Name: "feat", Kind: Flag, Values: feat}}, Window: n}
		f, err := m.Fit(y)
		if err != nil {
			t.Fatal(err)
		}
		e := f.(EffectsFitted).Effects()
		t.Logf("seed %d: %s", seed, f.Params())
		if math.Abs(e[0].Estimate-el) > 0.1*math.Abs(el) || math.Abs(e[1].Estimate-up) > 0.1*up {
			t.Errorf("seed %d: effects %+v, want %.2f and %.2f ± 10%%", seed, e, el, up)
		}
		for _, v := range f.Predict(8) {
			if !(v > 0) || math.IsInf(v, 0) {
				t.Fatalf("forecast %v", v)
			}
		}
	}
}

func poissonDraw(r *rand.Rand, mu float64) int {
	l, k, p := math.Exp(-mu), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// Without drivers the season terms continue into the forecast.
func TestDynRegSeasonWithoutDrivers(t *testing.T) {
	y := make([]float64, 140)
	for i := range y {
		y[i] = 50 + 30*math.Sin(2*math.Pi*float64(i)/7)
	}
	f, err := DynReg{Period: 7}.Fit(y)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range f.Predict(14) {
		want := 50 + 30*math.Sin(2*math.Pi*float64(140+i)/7)
		if math.Abs(v-want) > 0.1*want {
			t.Errorf("step %d: %.1f, want ≈ %.1f", i, v, want)
		}
	}
}
