package forecast

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
)

// arimaCase is one reference case of testdata/arima/arima.json, made by
// testdata/arima/make_arima_fixtures.py with statsmodels 0.13.5.
type arimaCase struct {
	Series   string `json:"series"`
	Order    []int  `json:"order"`
	Seasonal []int  `json:"seasonal_order"`
	Constant bool   `json:"constant"`
	MLE      bool   `json:"mle"`
	Params   struct {
		AR     []float64 `json:"ar"`
		MA     []float64 `json:"ma"`
		SAR    []float64 `json:"sar"`
		SMA    []float64 `json:"sma"`
		Mean   float64   `json:"mean"`
		Sigma2 float64   `json:"sigma2"`
	} `json:"params"`
	LogLik      float64    `json:"loglik"`
	Forecast    []float64  `json:"forecast"`
	ForecastVar []float64  `json:"forecast_var"`
	Fitted      []*float64 `json:"fitted"`
}

func (c arimaCase) order() ARIMAOrder {
	return ARIMAOrder{P: c.Order[0], D: c.Order[1], Q: c.Order[2],
		SP: c.Seasonal[0], SD: c.Seasonal[1], SQ: c.Seasonal[2], Period: c.Seasonal[3]}
}

func (c arimaCase) name() string {
	s := c.Series + "/" + c.order().String()
	if c.Constant {
		s += "+c"
	}
	if c.MLE {
		s += "/mle"
	}
	return s
}

func loadARIMAFixtures(t testing.TB) (map[string][]float64, []arimaCase) {
	t.Helper()
	b, err := os.ReadFile("testdata/arima/series.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string][]*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	series := map[string][]float64{}
	for k, v := range raw {
		y := make([]float64, len(v))
		for i, p := range v {
			y[i] = math.NaN()
			if p != nil {
				y[i] = *p
			}
		}
		series[k] = y
	}
	b, err = os.ReadFile("testdata/arima/arima.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []arimaCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) == 0 {
		t.Fatal("no ARIMA fixture cases")
	}
	return series, doc.Cases
}

// relErr is |got − want| / |want| (absolute below 1e-8).
func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-8)
}

// TestARIMAFixedMatchesStatsmodels checks the exact log-likelihood, the
// forecasts, their variances and the one-step predictions at fixed
// parameters against statsmodels' SARIMAX (exact diffuse initialisation).
func TestARIMAFixedMatchesStatsmodels(t *testing.T) {
	series, cases := loadARIMAFixtures(t)
	n := 0
	for _, c := range cases {
		if c.MLE {
			continue
		}
		n++
		t.Run(c.name(), func(t *testing.T) {
			y := series[c.Series]
			p := ARIMAParams{AR: c.Params.AR, MA: c.Params.MA, SAR: c.Params.SAR, SMA: c.Params.SMA, Mean: c.Params.Mean, Sigma2: c.Params.Sigma2}
			f, err := ARIMA{Order: c.order(), Constant: c.Constant, Fixed: &p}.fit(y)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(f.LogLik, c.LogLik); e > 1e-4 {
				t.Errorf("loglik %.10g, statsmodels %.10g (rel %.2g)", f.LogLik, c.LogLik, e)
			} else {
				t.Logf("loglik %.10g, statsmodels %.10g (rel %.2g)", f.LogLik, c.LogLik, e)
			}
			checkARIMAForecast(t, f, c)
			fitted := f.InSample()
			for i, w := range c.Fitted {
				if w == nil {
					continue
				}
				if e := relErr(fitted[i], *w); e > 1e-4 {
					t.Fatalf("fitted[%d] %.10g, statsmodels %.10g", i, fitted[i], *w)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no fixed-parameter cases")
	}
}

func checkARIMAForecast(t *testing.T, f *ARIMAFit, c arimaCase) {
	t.Helper()
	fc := f.Predict(len(c.Forecast))
	worst := 0.0
	for i, w := range c.Forecast {
		e := relErr(fc[i], w)
		worst = math.Max(worst, e)
		if e > 1e-4 {
			t.Fatalf("forecast[%d] %.10g, statsmodels %.10g", i, fc[i], w)
		}
	}
	v := f.PredictVariance(len(c.ForecastVar))
	for i, w := range c.ForecastVar {
		e := relErr(v[i], w)
		worst = math.Max(worst, e)
		if e > 1e-4 {
			t.Fatalf("forecast variance[%d] %.10g, statsmodels %.10g", i, v[i], w)
		}
	}
	t.Logf("forecasts and variances: worst rel error %.2g", worst)
}

// TestARIMAEstimationReachesStatsmodels checks that maximum likelihood
// reaches statsmodels' log-likelihood (or better), and that with
// statsmodels' parameters the forecasts match.
func TestARIMAEstimationReachesStatsmodels(t *testing.T) {
	series, cases := loadARIMAFixtures(t)
	for _, c := range cases {
		if !c.MLE {
			continue
		}
		t.Run(c.name(), func(t *testing.T) {
			y := series[c.Series]
			f, err := ARIMA{Order: c.order(), Constant: c.Constant}.fit(y)
			if err != nil {
				t.Fatal(err)
			}
			if f.LogLik < c.LogLik-1e-6*math.Abs(c.LogLik) {
				t.Errorf("loglik %.10g below statsmodels %.10g; %s", f.LogLik, c.LogLik, f.Params())
			}
			t.Logf("loglik %.10g vs statsmodels %.10g (%+.3g); %s", f.LogLik, c.LogLik, f.LogLik-c.LogLik, f.Params())
		})
	}
}

func TestARIMAStationaryCovariance(t *testing.T) {
	// P = TPT' + RR' must hold for the stationary covariance.
	for _, p := range []ARIMAParams{
		{AR: []float64{0.5, -0.3}, MA: []float64{0.4}},
		{AR: []float64{0.9}, SAR: []float64{0.5}, MA: []float64{-0.3}, SMA: []float64{0.2}},
		{MA: []float64{0.5, 0.2}},
	} {
		o := ARIMAOrder{P: len(p.AR), Q: len(p.MA), SP: len(p.SAR), SQ: len(p.SMA), Period: 4}
		ss := newARIMASS(o, &p)
		r := ss.r
		P := make([]float64, r*r)
		if !ss.stationaryCov(P) {
			t.Fatalf("%v: not stationary", p)
		}
		d := ss.dim()
		full := make([]float64, d*d)
		for i := 0; i < r; i++ {
			copy(full[(ss.k+i)*d+ss.k:], P[i*r:(i+1)*r])
		}
		want := append([]float64(nil), full...)
		kf := &kalman{ss: &ss, Mt: make([]float64, d*d), tmp: make([]float64, d)}
		kf.propagate(full, true)
		for i := range full {
			if math.Abs(full[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
				t.Fatalf("%s: P[%d] %.10g after TPT'+RR', %.10g before", fmt.Sprint(p), i, full[i], want[i])
			}
		}
	}
}

func TestARIMAApplyReusesParameters(t *testing.T) {
	series, _ := loadARIMAFixtures(t)
	y := series["airline_sim"]
	f, err := ARIMA{Order: ARIMAOrder{Q: 1, D: 1, SQ: 1, SD: 1, Period: 12}}.fit(y)
	if err != nil {
		t.Fatal(err)
	}
	g := f.Apply(y[:100]).(*ARIMAFit)
	if g.Params() != f.Params() {
		t.Errorf("Apply changed the parameters: %s vs %s", g.Params(), f.Params())
	}
	h := ARIMA{Order: f.Order, Fixed: &f.Estimate}
	want, err := h.fit(y[:100])
	if err != nil {
		t.Fatal(err)
	}
	a, b := g.Predict(12), want.Predict(12)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("Apply forecast[%d] %g, fixed fit %g", i, a[i], b[i])
		}
	}
	if math.IsNaN(a[0]) {
		t.Fatal("NaN forecast")
	}
}

// TestARIMAChandrasekharMatchesFilter checks the O(r) likelihood path (used
// in estimation on complete series) against the full covariance update.
func TestARIMAChandrasekharMatchesFilter(t *testing.T) {
	series, cases := loadARIMAFixtures(t)
	n := 0
	for _, c := range cases {
		y := series[c.Series]
		if observed(y) != len(y) {
			continue
		}
		p := ARIMAParams{AR: c.Params.AR, MA: c.Params.MA, SAR: c.Params.SAR, SMA: c.Params.SMA, Mean: c.Params.Mean}
		ss := newARIMASS(c.order().norm(), &p)
		kf := newKalman(&ss)
		fast := kf.run(y, nil, false)
		full := kf.run(y, nil, true)
		if !fast.ok || !full.ok || fast.nobs != full.nobs {
			t.Fatalf("%s: ok %v/%v nobs %d/%d", c.name(), fast.ok, full.ok, fast.nobs, full.nobs)
		}
		a, b := fast.concentrated(), full.concentrated()
		if relErr(a, b) > 1e-9 {
			t.Errorf("%s: loglik %.12g (Chandrasekhar) vs %.12g (filter)", c.name(), a, b)
		}
		n++
	}
	if n < 5 {
		t.Fatalf("only %d complete-series cases", n)
	}
}
