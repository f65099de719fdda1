package forecast

import (
	"fmt"
	"math"
	"strings"
)

// ETSParams holds the smoothing parameters and initial states of an
// exponential smoothing model in the error-correction form of FPP3 §8 and
// statsmodels' holtwinters module. The initial states sit just before the
// first observation; Season[j] is the seasonal state used for observation j
// (j < m). Unused fields are ignored (Beta, Trend without trend; Gamma,
// Season without season); Phi is 1 for an undamped trend.
type ETSParams struct {
	Alpha, Beta, Gamma, Phi float64
	Level, Trend            float64
	Season                  []float64
}

// String formats the parameters, e.g. "alpha=0.21 beta=0.01 phi=0.95".
func (p ETSParams) format(sp etsSpec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "alpha=%.3g", p.Alpha)
	if sp.trend {
		fmt.Fprintf(&b, " beta=%.3g", p.Beta)
		if sp.damped {
			fmt.Fprintf(&b, " phi=%.3g", p.Phi)
		}
	}
	if sp.period > 1 {
		fmt.Fprintf(&b, " gamma=%.3g m=%d", p.Gamma, sp.period)
	}
	return b.String()
}

// etsSpec is the structure of an exponential smoothing model.
type etsSpec struct {
	trend  bool
	damped bool
	period int // season length; ≤ 1 means no season
	mul    bool
}

func (sp etsSpec) seasonal() bool { return sp.period > 1 }

func (sp etsSpec) name() string {
	switch {
	case sp.seasonal() && sp.mul:
		return "hw-mul"
	case sp.seasonal():
		return "hw-add"
	case sp.trend:
		return "holt"
	}
	return "ses"
}

// filter runs the recursions on y with parameters p. It writes the one-step
// fitted values into fitted when it is not nil, and the final seasonal
// states into season (length period, indexed by time mod period). It
// returns the sum of squared errors over observed points, the final level
// and trend, and false when a state became non-finite or a multiplicative
// denominator non-positive.
//
// With ℓ, b, s the level, trend and seasonal states, φ the damping, m the
// period and j = t mod m (FPP3 §8.3, statsmodels):
//
//	additive:        ŷ(t) = ℓ(t−1) + φb(t−1) + s(t−m)
//	                 ℓ(t) = α(y(t) − s(t−m)) + (1−α)(ℓ(t−1) + φb(t−1))
//	                 s(t) = γ(y(t) − ℓ(t−1) − φb(t−1)) + (1−γ)s(t−m)
//	multiplicative:  ŷ(t) = (ℓ(t−1) + φb(t−1)) s(t−m)
//	                 ℓ(t) = α y(t)/s(t−m) + (1−α)(ℓ(t−1) + φb(t−1))
//	                 s(t) = γ y(t)/(ℓ(t−1) + φb(t−1)) + (1−γ)s(t−m)
//	trend:           b(t) = β(ℓ(t) − ℓ(t−1)) + (1−β)φb(t−1)
//
// A missing y(t) is replaced by ŷ(t), so the states follow the model's own
// prediction and the point adds nothing to the error.
func (sp etsSpec) filter(y []float64, p *ETSParams, fitted, season []float64) (sum, level, trend float64, ok bool) {
	phi := p.Phi
	if !sp.damped {
		phi = 1
	}
	b := 0.0
	beta := 0.0
	if sp.trend {
		b, beta = p.Trend, p.Beta
	}
	// One loop per form: no per-period dispatch in the hot path (the
	// estimators call this hundreds of times per fit).
	switch {
	case !sp.seasonal():
		sum, level, trend = filterNonSeasonal(y, p.Alpha, beta, phi, p.Level, b, fitted)
	case sp.mul:
		copy(season, p.Season)
		var valid bool
		sum, level, trend, valid = filterMul(y, p.Alpha, beta, p.Gamma, phi, p.Level, b, fitted, season[:sp.period])
		if !valid {
			return math.Inf(1), level, trend, false
		}
	default:
		copy(season, p.Season)
		sum, level, trend = filterAdd(y, p.Alpha, beta, p.Gamma, phi, p.Level, b, fitted, season[:sp.period])
	}
	if math.IsNaN(sum) || math.IsInf(level, 0) || math.IsNaN(level) || math.IsNaN(trend) || math.IsInf(trend, 0) {
		return math.Inf(1), level, trend, false
	}
	return sum, level, trend, true
}

// filterNonSeasonal is [etsSpec.filter] for SES and (damped) Holt; β = 0
// and b = 0 without trend.
func filterNonSeasonal(y []float64, alpha, beta, phi, l, b float64, fitted []float64) (sum, level, trend float64) {
	for t, v := range y {
		pl := l + phi*b
		if fitted != nil {
			fitted[t] = pl
		}
		if v != v { // NaN: follow the prediction
			v = pl
		} else {
			e := v - pl
			sum += e * e
		}
		nl := pl + alpha*(v-pl)
		b = beta*(nl-l) + (1-beta)*phi*b
		l = nl
	}
	return sum, l, b
}

// filterAdd is [etsSpec.filter] for additive Holt-Winters.
func filterAdd(y []float64, alpha, beta, gamma, phi, l, b float64, fitted, season []float64) (sum, level, trend float64) {
	m := len(season)
	j := 0
	for t, v := range y {
		pl := l + phi*b
		s := season[j]
		yhat := pl + s
		if fitted != nil {
			fitted[t] = yhat
		}
		if v != v {
			v = yhat
		} else {
			e := v - yhat
			sum += e * e
		}
		nl := alpha*(v-s) + (1-alpha)*pl
		season[j] = gamma*(v-pl) + (1-gamma)*s
		b = beta*(nl-l) + (1-beta)*phi*b
		l = nl
		if j++; j == m {
			j = 0
		}
	}
	return sum, l, b
}

// filterMul is [etsSpec.filter] for multiplicative Holt-Winters; false
// when a denominator is not positive.
func filterMul(y []float64, alpha, beta, gamma, phi, l, b float64, fitted, season []float64) (sum, level, trend float64, ok bool) {
	m := len(season)
	j := 0
	for t, v := range y {
		pl := l + phi*b
		s := season[j]
		yhat := pl * s
		if fitted != nil {
			fitted[t] = yhat
		}
		if v != v {
			v = yhat
		} else {
			e := v - yhat
			sum += e * e
		}
		if s <= 0 || pl <= 0 {
			return math.Inf(1), l, b, false
		}
		nl := alpha*v/s + (1-alpha)*pl
		season[j] = gamma*v/pl + (1-gamma)*s
		b = beta*(nl-l) + (1-beta)*phi*b
		l = nl
		if j++; j == m {
			j = 0
		}
	}
	return sum, l, b, true
}

// ETSFit is a fitted exponential smoothing model (SES, Holt or
// Holt-Winters).
type ETSFit struct {
	Estimate ETSParams // estimated or given parameters and initial states
	SSE      float64   // in-sample sum of squared one-step errors

	spec   etsSpec
	n      int
	level  float64
	trend  float64
	season []float64 // final seasonal states indexed by time mod period
	fitted []float64

	compat       bool      // HoltWinters.Statsmodels
	compatSeason []float64 // seasonal states used for forecasts when compat
}

func newETSFit(sp etsSpec, y []float64, p ETSParams) *ETSFit {
	f := &ETSFit{Estimate: p, spec: sp, n: len(y), fitted: make([]float64, len(y))}
	if !sp.damped {
		f.Estimate.Phi = 1
	}
	if sp.seasonal() {
		f.season = make([]float64, sp.period)
	}
	f.SSE, f.level, f.trend, _ = sp.filter(y, &f.Estimate, f.fitted, f.season)
	return f
}

// Predict returns ŷ(T+h|T) = ℓ(T) + (φ+φ²+…+φʰ)b(T) (+ or ×) s(T+h−m(k+1)).
func (f *ETSFit) Predict(h int) []float64 {
	out := make([]float64, h)
	phi := f.Estimate.Phi
	damp := 0.0
	pw := 1.0
	for i := range out {
		pw *= phi
		damp += pw
		v := f.level
		if f.spec.trend {
			v += damp * f.trend
		}
		if f.spec.seasonal() {
			season := f.season
			if f.compat {
				season = f.compatSeason
			}
			s := season[(f.n+i)%f.spec.period]
			if f.spec.mul {
				v *= s
			} else {
				v += s
			}
		}
		out[i] = v
	}
	return out
}

// InSample returns the one-step-ahead fitted values.
func (f *ETSFit) InSample() []float64 { return f.fitted }

// Params summarises the smoothing parameters.
func (f *ETSFit) Params() string { return f.Estimate.format(f.spec) }

// Apply runs the model with the same parameters on y.
func (f *ETSFit) Apply(y []float64) Fitted {
	g := newETSFit(f.spec, y, f.Estimate)
	if f.compat {
		g.compat = true
		g.setCompat(y)
	}
	return g
}

// SES is simple exponential smoothing (FPP3 §8.1):
//
//	ŷ(t+1|t) = ℓ(t),  ℓ(t) = αy(t) + (1−α)ℓ(t−1).
//
// With Fixed nil, α and ℓ(0) minimise the in-sample squared one-step error.
type SES struct {
	Fixed *ETSParams
}

// Name returns "ses".
func (SES) Name() string { return "ses" }

// Fit estimates the model on y.
func (m SES) Fit(y []float64) (Fitted, error) {
	return fitETS(etsSpec{}, y, m.Fixed, false)
}

// Holt is Holt's linear trend method, damped when Damped is set
// (Gardner & McKenzie 1985; FPP3 §8.2):
//
//	ŷ(t+h|t) = ℓ(t) + (φ+…+φʰ)b(t)
//	ℓ(t) = αy(t) + (1−α)(ℓ(t−1) + φb(t−1))
//	b(t) = β(ℓ(t) − ℓ(t−1)) + (1−β)φb(t−1)
//
// φ is estimated in [0.8, 0.998] (FPP3 recommends φ ≥ 0.8).
type Holt struct {
	Damped bool
	Fixed  *ETSParams
	// HeuristicInit takes the initial states from the first observations
	// and estimates only the smoothing parameters (faster).
	HeuristicInit bool
}

// Name returns "holt" or "holt-damped".
func (m Holt) Name() string {
	if m.Damped {
		return "holt-damped"
	}
	return "holt"
}

// Fit estimates the model on y.
func (m Holt) Fit(y []float64) (Fitted, error) {
	return fitETS(etsSpec{trend: true, damped: m.Damped}, y, m.Fixed, m.HeuristicInit)
}

// HoltWinters is the Holt-Winters seasonal method with additive trend,
// optionally damped, and additive or multiplicative season of length Period
// (FPP3 §8.3; equations at [etsSpec.filter]). It needs two full seasons of
// data; the multiplicative form needs positive data.
type HoltWinters struct {
	Period         int
	Multiplicative bool
	Damped         bool
	Fixed          *ETSParams
	// HeuristicInit takes the initial states from a decomposition of the
	// first seasons and estimates only the smoothing parameters (faster).
	HeuristicInit bool
	// Statsmodels reproduces a quirk of statsmodels 0.13's forecasts: the
	// seasonal state of the last observed period is taken from before its
	// final update. Off (the default), forecasts use the updated state as
	// in FPP3.
	Statsmodels bool
}

// Name returns "hw-add", "hw-mul", "hw-add-damped" or "hw-mul-damped".
func (m HoltWinters) Name() string {
	n := etsSpec{period: max(m.Period, 2), mul: m.Multiplicative}.name()
	if m.Damped {
		n += "-damped"
	}
	return n
}

// Fit estimates the model on y.
func (m HoltWinters) Fit(y []float64) (Fitted, error) {
	if m.Period < 2 {
		return nil, fmt.Errorf("forecast: holt-winters needs a period ≥ 2, got %d", m.Period)
	}
	sp := etsSpec{trend: true, damped: m.Damped, period: m.Period, mul: m.Multiplicative}
	if m.Fixed == nil && len(y) < 2*m.Period {
		return nil, fmt.Errorf("forecast: holt-winters needs two seasons (%d points), got %d", 2*m.Period, len(y))
	}
	if m.Multiplicative {
		for _, v := range y {
			if v <= 0 {
				return nil, fmt.Errorf("forecast: multiplicative holt-winters needs positive data")
			}
		}
	}
	f, err := fitETS(sp, y, m.Fixed, m.HeuristicInit)
	if err != nil {
		return nil, err
	}
	if m.Statsmodels {
		f.compat = true
		f.setCompat(y)
	}
	return f, nil
}

// setCompat records the seasonal state of the last period before its final
// update (see HoltWinters.Statsmodels).
func (f *ETSFit) setCompat(y []float64) {
	if len(y) == 0 || !f.spec.seasonal() {
		return
	}
	tmp := make([]float64, f.spec.period)
	f.spec.filter(y[:len(y)-1], &f.Estimate, nil, tmp)
	j := (len(y) - 1) % f.spec.period
	f.compatSeason = append([]float64(nil), f.season...)
	f.compatSeason[j] = tmp[j]
}
