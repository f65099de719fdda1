package forecast

import (
	"math"
	"testing"
)

func TestMetrics(t *testing.T) {
	nan := math.NaN()
	// From the first non-zero value the training part is 2, 4, 3: lag-1
	// differences 2 and −1, mean square 2.5, mean absolute 1.5.
	train := []float64{0, 0, 2, 4, 3}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"rmsse", RMSSE(train, []float64{3, 5}, []float64{4, 4}), math.Sqrt(1 / 2.5)},
		{"mase", MASE(train, []float64{3, 5}, []float64{4, 4}, 1), 1 / 1.5},
		{"bias", Bias(train, []float64{3, 5}, []float64{5, 5}), 1 / 1.5},
		{"smape", SMAPE([]float64{3, 5}, []float64{4, 4}), (200.0/7 + 200.0/9) / 2},
		{"smape-zeros", SMAPE([]float64{0, 2}, []float64{0, 2}), 0},
		{"missing-actual-skipped", RMSSE(train, []float64{3, nan}, []float64{4, 100}), math.Sqrt(1 / 2.5)},
		// Seasonal MASE, lag 2 over the whole series: |2−0|, |4−0|, |3−2| → 7/3.
		{"mase-seasonal", MASE(train, []float64{3, 5}, []float64{4, 4}, 2), 3.0 / 7},
		{"scale-squared", Scale(train, 1, true), 2.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if math.Abs(tc.got-tc.want) > 1e-12 {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	if v := RMSSE([]float64{0, 0, 5, 5}, []float64{1}, []float64{1}); !math.IsNaN(v) {
		t.Errorf("zero scale: RMSSE %v, want NaN", v)
	}
}

func TestClassify(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		y    []float64
		want Class
	}{
		{"smooth", []float64{10, 11, 9, 10, 12, 10, 9, 11, 10, 10}, Smooth},
		{"erratic", []float64{1, 20, 2, 30, 1, 25, 2, 1, 40, 3}, Erratic},
		{"intermittent", []float64{0, 5, 0, 0, 6, 0, 5, 0, 0, 4, 0, 5}, Intermittent},
		{"lumpy", []float64{0, 1, 0, 0, 30, 0, 2, 0, 0, 40, 0, 1}, Lumpy},
		{"dead", []float64{0, 0, 0, 0, 0, 0, 0, 0, 0}, Dead},
		{"short", []float64{3, 4, 5}, Short},
		{"missing-ignored", []float64{10, nan, 11, 9, nan, 10, 12, 10, 9, 11}, Smooth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.y); got.Class != tc.want {
				t.Errorf("class %v (ADI %.2f CV² %.2f), want %v", got.Class, got.ADI, got.CV2, tc.want)
			}
		})
	}
}

func TestFromObservations(t *testing.T) {
	d := func(day int) Observation {
		return Observation{Time: dailyDemand(1, 1).Start.AddDate(0, 0, day), Value: float64(day)}
	}
	obs := []Observation{d(3), d(0), d(2), d(2)}
	cens := d(4)
	cens.Censored = true
	obs = append(obs, cens, d(5))
	for _, tc := range []struct {
		fill bool
		want []float64
	}{
		{true, []float64{0, 0, 4, 3, math.NaN(), 5}},
		{false, []float64{0, math.NaN(), 4, 3, math.NaN(), 5}},
	} {
		s, err := FromObservations(Daily, obs, tc.fill)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Values) != len(tc.want) {
			t.Fatalf("fill=%v: %v, want %v", tc.fill, s.Values, tc.want)
		}
		for i, w := range tc.want {
			if g := s.Values[i]; !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
				t.Errorf("fill=%v: values %v, want %v", tc.fill, s.Values, tc.want)
				break
			}
		}
	}
	if _, err := FromObservations(Daily, nil, true); err == nil {
		t.Error("no observations: want an error")
	}
}

func TestFreqPeriods(t *testing.T) {
	a := dailyDemand(1, 1).Start
	for _, f := range []Freq{Daily, Weekly, Monthly, Quarterly, Yearly} {
		for _, n := range []int{0, 1, 5, 13} {
			if got := f.Periods(a, f.Add(a, n)); got != n {
				t.Errorf("%v: Periods(Add(%d)) = %d", f, n, got)
			}
		}
	}
}
