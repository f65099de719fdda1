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
