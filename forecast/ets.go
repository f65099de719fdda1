package forecast

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/optimize"
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
	alpha, beta, gamma, phi := p.Alpha, p.Beta, p.Gamma, p.Phi
	if !sp.damped {
		phi = 1
	}
	l, b := p.Level, 0.0
	if sp.trend {
		b = p.Trend
	}
	m := sp.period
	if sp.seasonal() {
		copy(season, p.Season)
	}
	j := 0
	for t, v := range y {
		pl := l + phi*b
		var yhat, s float64
		switch {
		case !sp.seasonal():
			yhat = pl
		case sp.mul:
			s = season[j]
			yhat = pl * s
		default:
			s = season[j]
			yhat = pl + s
		}
		if fitted != nil {
			fitted[t] = yhat
		}
		if math.IsNaN(v) {
			v = yhat
		} else {
			e := v - yhat
			sum += e * e
		}
		var nl float64
		switch {
		case !sp.seasonal():
			nl = alpha*v + (1-alpha)*pl
		case sp.mul:
			if s <= 0 || pl <= 0 {
				return math.Inf(1), l, b, false
			}
			nl = alpha*v/s + (1-alpha)*pl
			season[j] = gamma*v/pl + (1-gamma)*s
		default:
			nl = alpha*(v-s) + (1-alpha)*pl
			season[j] = gamma*(v-pl) + (1-gamma)*s
		}
		if sp.trend {
			b = beta*(nl-l) + (1-beta)*phi*b
		}
		l = nl
		if sp.seasonal() {
			j++
			if j == m {
				j = 0
			}
		}
	}
	if math.IsNaN(sum) || math.IsInf(l, 0) || math.IsNaN(l) || math.IsNaN(b) || math.IsInf(b, 0) {
		return math.Inf(1), l, b, false
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

func fitETS(sp etsSpec, y []float64, fixed *ETSParams, heuristic bool) (*ETSFit, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	if fixed != nil {
		p := *fixed
		if sp.seasonal() && len(p.Season) != sp.period {
			return nil, fmt.Errorf("forecast: %s needs %d initial seasonal states, got %d", sp.name(), sp.period, len(p.Season))
		}
		return newETSFit(sp, y, p), nil
	}
	if !sp.trend && !sp.seasonal() {
		return newETSFit(sp, y, estimateSES(y)), nil
	}
	p, err := estimateETS(sp, y, heuristic)
	if err != nil {
		return nil, fmt.Errorf("forecast: fit %s: %w", sp.name(), err)
	}
	return newETSFit(sp, y, p), nil
}

// heuristicStates initialises the states from the data: the level is the
// mean of the first season (or first few points), the trend the change
// between the first two seasons per period, the seasonal states the
// average deviation (ratio) of each position from its season mean.
func heuristicStates(sp etsSpec, y []float64) ETSParams {
	p := ETSParams{Phi: 1}
	m := max(sp.period, 1)
	n := len(y)
	k := m
	if !sp.seasonal() {
		k = min(n, 10)
	}
	first := nanMean(y[:min(k, n)])
	if math.IsNaN(first) {
		first = nanMean(y)
	}
	p.Level = first
	if sp.trend && n >= 2*k {
		second := nanMean(y[k : 2*k])
		if !math.IsNaN(second) {
			p.Trend = (second - first) / float64(k)
		}
	}
	if sp.seasonal() {
		p.Season = make([]float64, m)
		cnt := make([]int, m)
		seasons := min(n/m, 4)
		for c := 0; c < seasons; c++ {
			seg := y[c*m : (c+1)*m]
			mu := nanMean(seg)
			if math.IsNaN(mu) || (sp.mul && mu <= 0) {
				continue
			}
			for j, v := range seg {
				if math.IsNaN(v) {
					continue
				}
				if sp.mul {
					p.Season[j] += v / mu
				} else {
					p.Season[j] += v - mu
				}
				cnt[j]++
			}
		}
		for j := range p.Season {
			switch {
			case cnt[j] > 0:
				p.Season[j] /= float64(cnt[j])
			case sp.mul:
				p.Season[j] = 1
			}
		}
		if p.Trend != 0 {
			// The level of the first season sits mid-season.
			p.Level -= p.Trend * float64(m-1) / 2
		}
	}
	if math.IsNaN(p.Level) {
		p.Level = 0
	}
	return p
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func logit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-9), 1-1e-9)
	return math.Log(p / (1 - p))
}

const phiLo, phiHi = 0.8, 0.998

// etsProblem maps an unbounded vector to parameters: logistic transforms
// keep α, β, γ in (0, 1) and φ in (0.8, 0.998); states are in units of the
// data scale.
type etsProblem struct {
	sp     etsSpec
	y      []float64
	scale  float64
	states bool // whether initial states are free
	base   ETSParams
	season []float64
	p      ETSParams
}

func (pr *etsProblem) dim() int {
	d := 1
	if pr.sp.trend {
		d++
		if pr.sp.damped {
			d++
		}
	}
	if pr.sp.seasonal() {
		d++
	}
	if pr.states {
		d++
		if pr.sp.trend {
			d++
		}
		if pr.sp.seasonal() {
			d += pr.sp.period
		}
	}
	return d
}

func (pr *etsProblem) decode(x []float64, p *ETSParams) {
	*p = pr.base
	i := 0
	p.Alpha = logistic(x[i])
	i++
	if pr.sp.trend {
		p.Beta = logistic(x[i])
		i++
		if pr.sp.damped {
			p.Phi = phiLo + (phiHi-phiLo)*logistic(x[i])
			i++
		}
	}
	if pr.sp.seasonal() {
		p.Gamma = logistic(x[i])
		i++
	}
	if pr.states {
		p.Level = x[i] * pr.scale
		i++
		if pr.sp.trend {
			p.Trend = x[i] * pr.scale / 10
			i++
		}
		if pr.sp.seasonal() {
			p.Season = p.Season[:0]
			for j := 0; j < pr.sp.period; j++ {
				v := x[i]
				if !pr.sp.mul {
					v *= pr.scale
				}
				p.Season = append(p.Season, v)
				i++
			}
		}
	}
}

func (pr *etsProblem) encode(p ETSParams) []float64 {
	x := make([]float64, 0, pr.dim())
	x = append(x, logit(p.Alpha))
	if pr.sp.trend {
		x = append(x, logit(p.Beta))
		if pr.sp.damped {
			x = append(x, logit((p.Phi-phiLo)/(phiHi-phiLo)))
		}
	}
	if pr.sp.seasonal() {
		x = append(x, logit(p.Gamma))
	}
	if pr.states {
		x = append(x, p.Level/pr.scale)
		if pr.sp.trend {
			x = append(x, p.Trend*10/pr.scale)
		}
		if pr.sp.seasonal() {
			for _, v := range p.Season {
				if !pr.sp.mul {
					v /= pr.scale
				}
				x = append(x, v)
			}
		}
	}
	return x
}

// f is the objective: SSE in units of scale², +large when invalid.
func (pr *etsProblem) f(x []float64) float64 {
	pr.decode(x, &pr.p)
	s, _, _, ok := pr.sp.filter(pr.y, &pr.p, nil, pr.season)
	if !ok {
		return 1e300
	}
	return s / (pr.scale * pr.scale)
}

func (pr *etsProblem) minimize(x0 []float64, evals int, quick bool) ([]float64, float64) {
	grad := make([]float64, len(x0))
	settings := &fd.Settings{Formula: fd.Central, Step: 1e-5}
	conv := &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-8, Iterations: 5}
	if quick {
		settings = &fd.Settings{Formula: fd.Forward, Step: 1e-6}
		conv = &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-5, Iterations: 2}
	}
	p := optimize.Problem{
		Func: pr.f,
		Grad: func(g, x []float64) {
			fd.Gradient(grad, pr.f, x, settings)
			copy(g, grad)
		},
	}
	s := &optimize.Settings{
		FuncEvaluations: evals,
		MajorIterations: evals / 10,
		Converger:       conv,
	}
	res, err := optimize.Minimize(p, x0, s, &optimize.LBFGS{})
	if res == nil || (err != nil && res.F >= pr.f(x0)) {
		return x0, pr.f(x0)
	}
	return res.X, res.F
}

// estimateETS chooses parameters minimising the in-sample SSE. Stage one
// holds the heuristic initial states and tries a few starting values of
// the smoothing parameters; stage two (unless heuristic) frees the initial
// states too, as statsmodels' "estimated" initialisation does.
func estimateETS(sp etsSpec, y []float64, heuristic bool) (ETSParams, error) {
	base := heuristicStates(sp, y)
	scale := 0.0
	for _, v := range y {
		if !math.IsNaN(v) {
			scale += math.Abs(v)
		}
	}
	scale /= float64(max(observed(y), 1))
	if scale == 0 {
		scale = 1
	}
	pr := &etsProblem{sp: sp, y: y, scale: scale, base: base}
	if sp.seasonal() {
		pr.season = make([]float64, sp.period)
		pr.base.Season = append([]float64(nil), base.Season...)
	}
	bestF := math.Inf(1)
	var best ETSParams
	starts := []float64{0.05, 0.3}
	evals := 300
	if heuristic {
		starts = []float64{0.1}
		evals = 150
	}
	for _, a := range starts {
		start := base
		start.Alpha, start.Beta, start.Gamma, start.Phi = a, 0.02, 0.05, 0.97
		x, f := pr.minimize(pr.encode(start), evals, heuristic)
		if f < bestF {
			bestF = f
			pr.decode(x, &best)
			best.Season = append([]float64(nil), best.Season...)
		}
	}
	if math.IsInf(bestF, 1) || bestF >= 1e300 {
		return base, fmt.Errorf("no valid parameters")
	}
	if heuristic {
		return best, nil
	}
	pr.states = true
	pr.base = best
	pr.base.Season = append([]float64(nil), best.Season...)
	starts2 := []ETSParams{best}
	if !sp.seasonal() {
		// Near-zero smoothing is a corner the logistic scale reaches slowly:
		// start there too, from the mean level.
		alt := best
		alt.Alpha, alt.Beta = 1e-4, 1e-4
		alt.Level = nanMean(y)
		starts2 = append(starts2, alt)
	}
	result := best
	for _, st := range starts2 {
		x, f := pr.minimize(pr.encode(st), 3000, false)
		if f < bestF {
			bestF = f
			pr.decode(x, &result)
			result.Season = append([]float64(nil), result.Season...)
		}
	}
	return result, nil
}

// estimateSES minimises the SSE of simple exponential smoothing over α in
// [0, 1] with the initial level concentrated out: the level is linear in
// ℓ(0), ℓ(t) = A(t) + W(t)ℓ(0) with W(t) = (1−α)^(observed steps), so for
// each α the best ℓ(0) is the least-squares coefficient
// Σ r(t)W(t−1) / Σ W(t−1)², r(t) = y(t) − A(t−1). A grid locates the basin
// and a golden-section search refines α.
func estimateSES(y []float64) ETSParams {
	eval := func(alpha float64) (float64, float64) {
		var a, w, srr, srw, sww float64
		w = 1
		for _, v := range y {
			if math.IsNaN(v) {
				continue
			}
			r := v - a
			srr += r * r
			srw += r * w
			sww += w * w
			a += alpha * r
			w *= 1 - alpha
		}
		if sww == 0 {
			return srr, 0
		}
		return srr - srw*srw/sww, srw / sww
	}
	grid := []float64{0, 0.001, 0.003, 0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	bi, bf := 0, math.Inf(1)
	for i, a := range grid {
		if f, _ := eval(a); f < bf {
			bi, bf = i, f
		}
	}
	lo, hi := grid[max(bi-1, 0)], grid[min(bi+1, len(grid)-1)]
	const g = 0.6180339887498949
	x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
	f1, _ := eval(x1)
	f2, _ := eval(x2)
	for i := 0; i < 40 && hi-lo > 1e-7; i++ {
		if f1 < f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - g*(hi-lo)
			f1, _ = eval(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + g*(hi-lo)
			f2, _ = eval(x2)
		}
	}
	alpha := grid[bi]
	if fm := math.Min(f1, f2); fm < bf {
		alpha = x1
		if f2 < f1 {
			alpha = x2
		}
	}
	_, l0 := eval(alpha)
	return ETSParams{Alpha: alpha, Phi: 1, Level: l0}
}
