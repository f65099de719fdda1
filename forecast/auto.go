package forecast

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// AutoOptions configures [Auto]. The zero value is usable.
type AutoOptions struct {
	// Horizon is the number of periods to forecast (default
	// Freq.Horizon()). Backtests use the same horizon.
	Horizon int
	// Period is the season length (default Freq.Season()).
	Period int
	// Origins is the number of rolling origins of the backtest (default
	// 10, spaced half a horizon apart).
	Origins int
	// Methods restricts the candidates to these names (see [Methods]);
	// empty chooses by demand class and length.
	Methods []string
	// Combine is the largest number of best candidates whose mean forecast
	// is also scored; the best of the single models and these combinations
	// wins. 1 disables combinations; 0 means 3.
	Combine int
	// Fast takes the initial states of exponential smoothing from the first
	// observations and estimates only the smoothing parameters, with a
	// looser convergence test. About 10 times faster on long series, and
	// about as accurate on daily data.
	Fast bool
	// AllowNegative keeps negative forecasts and quantiles; by default they
	// are clipped at 0 (demand).
	AllowNegative bool
	// Drivers are known-in-advance explanatory variables (prices,
	// promotion flags) with their past and planned values, each at least
	// len(series) + Horizon long. With drivers, the driver model "dynreg"
	// ([DynReg]) joins the candidates (and "poisson" for intermittent
	// demand), so the backtest decides whether the drivers help; the
	// Forecast then reports the estimated Effects.
	Drivers []Driver
	// Prior is the pooled effect of the series' group ([PoolEffects]),
	// towards which the driver models shrink their estimates.
	Prior []Effect
}

// Accuracy is a backtest score, scaled as in the M5 competition by the
// lag-1 differences of the training series. Points is the number of
// forecast errors behind it; 0 means no backtest was possible and the
// scores are 0.
type Accuracy struct {
	RMSSE  float64 `json:"rmsse"`
	MASE   float64 `json:"mase"`
	Bias   float64 `json:"bias"` // mean (forecast − actual) / MASE scale
	Points int     `json:"points"`
}

// Candidate is one model's backtest score in [Auto].
type Candidate struct {
	Method   string   `json:"method"`
	Accuracy Accuracy `json:"accuracy"`
}

// candidate is a model during selection.
type candidate struct {
	name   string
	model  Model
	first  Fitted      // estimated on data before the first origin
	fc     [][]float64 // backtest forecasts per origin
	src    []float64   // the series the model is fitted to (cleaned or raw)
	mse    float64
	failed bool
}

// Auto forecasts s automatically. It classifies the series ([Classify]),
// chooses candidate models by class and length, scores them by rolling-
// origin backtest (Tashman 2000) on the M5 RMSSE, and returns the best
// model or the mean of the best few (forecast combination, Makridakis et
// al., M4 2020), whichever backtested better. Prediction quantiles come
// from the backtest errors (see [Forecast]). Forecasts are clipped at 0
// unless opt.AllowNegative. Auto is deterministic and never returns NaN or
// infinite values; it fails only when s has no observed value at all and
// options are invalid.
func Auto(s Series, opt AutoOptions) (*Forecast, error) {
	h := opt.Horizon
	if h <= 0 {
		h = s.Freq.Horizon()
	}
	m := opt.Period
	if m <= 0 {
		m = s.Freq.Season()
	}
	origins := opt.Origins
	if origins <= 0 {
		origins = 10
	}
	combine := opt.Combine
	if combine <= 0 {
		combine = 3
	}
	y := s.Values
	prof := Classify(y)
	fc := &Forecast{Start: s.Time(len(y)), Freq: s.Freq, Profile: prof, clip: !opt.AllowNegative}

	names := opt.Methods
	if len(names) == 0 {
		names = candidateNames(prof, len(y), m, h)
		switch {
		case prof.Class == Short:
		case prof.Class.IsIntermittent():
			if len(opt.Drivers) > 0 {
				names = append(names, "poisson")
			}
		case len(opt.Drivers) > 0 || !(m > 1 && len(y) >= 2*m+h):
			// With drivers; and without on non-seasonal series, where its
			// robust level competes with the cleaned smoothing models.
			names = append(names, "dynreg")
		}
	}
	for _, n := range names {
		if _, err := NewModel(n, m, false); err != nil {
			return nil, err
		}
	}
	for _, d := range opt.Drivers {
		if len(d.Values) < len(y)+h {
			return nil, fmt.Errorf("forecast: driver %q has %d values, want at least %d (series and horizon)", d.Name, len(d.Values), len(y)+h)
		}
	}
	if prof.Observed == 0 {
		return nil, ErrNoData
	}
	if prof.Class == Dead && len(opt.Methods) == 0 {
		fc.Method, fc.Params = "zero", "no demand observed"
		fc.Point = make([]float64, h)
		fc.dist = distribution{point: fc.Point, count: true}
		fc.finish()
		return fc, nil
	}

	bt := planBacktest(y, h, origins, MinObserved)
	var yc []float64
	// Spikes are cleaned for the smoothing models on non-intermittent
	// series too short for a seasonal model: the causal filter has no
	// seasonal reference, and would clip seasonal peaks (measured: nn3
	// RMSSE 0.965 → 0.99, nn5 0.640 → 0.65 when cleaned).
	if !prof.Class.IsIntermittent() && !(m > 1 && len(y) >= 2*m+h) {
		yc = cleanSpikes(y, m)
	}
	cands := make([]*candidate, 0, len(names)+1)
	var baseline *candidate
	for _, n := range names {
		mod, _ := NewModel(n, m, opt.Fast)
		mod = withDrivers(mod, opt)
		c := &candidate{name: n, model: mod, failed: !bt.ok()}
		if bt.ok() && bt.origins[0] < minFit([]string{n}, m) {
			c.failed = true // too little data before the first origin
		} else if bt.ok() {
			c.src = y
			if yc != nil && cleanable(n) {
				c.src = yc
			}
			c.run(y, bt, fc.clip)
		}
		if n == "snaive" {
			baseline = c
		}
		cands = append(cands, c)
	}
	if bt.ok() {
		if baseline == nil {
			mod, _ := NewModel("snaive", m, true)
			baseline = &candidate{name: "snaive", model: mod}
			baseline.src = y
			baseline.run(y, bt, fc.clip)
		}
		if !baseline.failed {
			fc.Baseline = bt.accuracy(y, baseline.fc)
		}
	}

	// Rank the candidates that ran, then score combinations of the best.
	ok := cands[:0:0]
	for _, c := range cands {
		if !c.failed {
			ok = append(ok, c)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool { return ok[i].mse < ok[j].mse })
	for _, c := range ok {
		fc.Candidates = append(fc.Candidates, Candidate{Method: c.name, Accuracy: bt.accuracy(y, c.fc)})
	}
	var chosen []*candidate
	var chosenFC [][]float64
	switch {
	case len(ok) == 0:
		// No backtest possible: the first candidate that fits, unscored.
		for _, c := range cands {
			if _, err := c.model.Fit(y); err == nil {
				chosen = []*candidate{c}
				break
			}
		}
		if chosen == nil {
			mod, _ := NewModel("naive", m, false)
			chosen = []*candidate{{name: "naive", model: mod}}
		}
	default:
		chosen, chosenFC = ok[:1], ok[0].fc
		best := ok[0].mse
		if prof.Class.IsIntermittent() && len(opt.Methods) == 0 {
			// Intermittent demand: an equal-weight mean of the robust
			// candidate set. Backtests over a few demands are too noisy to
			// select from (measured on carparts: selection 0.620 RMSSE,
			// mean 0.599).
			chosen, chosenFC = ok, meanForecasts(ok, len(bt.origins))
			// With a driver model among them, the backtest decides between
			// the mean without it, the mean with it and the model alone.
			var plain []*candidate
			var drv *candidate
			for _, c := range ok {
				if isDriverModel(c.name) {
					drv = c
				} else {
					plain = append(plain, c)
				}
			}
			if drv != nil && len(plain) > 0 {
				best = bt.mse(y, chosenFC)
				mix := meanForecasts(plain, len(bt.origins))
				if e := bt.mse(y, mix); e < best {
					best, chosen, chosenFC = e, plain, mix
				}
				if drv.mse < best {
					best, chosen, chosenFC = drv.mse, []*candidate{drv}, drv.fc
				}
			}
			fc.Accuracy = bt.accuracy(y, chosenFC)
			break
		}
		for k := 2; k <= min(combine, len(ok)); k++ {
			mix := meanForecasts(ok[:k], len(bt.origins))
			if e := bt.mse(y, mix); e < best*(1-1e-9) {
				best, chosen, chosenFC = e, ok[:k], mix
			}
		}
		fc.Accuracy = bt.accuracy(y, chosenFC)
	}

	// Final forecasts on the whole series.
	var names2, params []string
	point := make([]float64, h)
	var insample [][]float64
	used := 0
	for _, c := range chosen {
		var f Fitted
		var err error
		src := c.src
		if src == nil {
			src = y
		}
		f, err = c.model.Fit(src)
		if err != nil {
			continue
		}
		p := f.Predict(h)
		for i := range point {
			point[i] += p[i]
		}
		insample = append(insample, f.InSample())
		names2 = append(names2, c.name)
		params = append(params, c.name+": "+f.Params())
		if ef, ok := f.(EffectsFitted); ok && fc.Effects == nil {
			fc.Effects = ef.Effects()
		}
		used++
	}
	if used == 0 {
		last := 0.0
		for _, v := range y {
			if !math.IsNaN(v) {
				last = v
			}
		}
		point = constant(last, h)
		names2, params = []string{"naive"}, []string{"naive: fallback"}
		used = 1
	}
	for i := range point {
		point[i] /= float64(used)
		point[i] = fc.sanitize(point[i], prof.Mean)
	}
	fc.Point = point
	if len(names2) == 1 {
		fc.Method = names2[0]
	} else {
		fc.Method = "combo(" + strings.Join(names2, "+") + ")"
	}
	fc.Params = strings.Join(params, "; ")
	fc.dist = newDistribution(y, point, bt, chosenFC, insample, prof, fc.clip)
	fc.finish()
	return fc, nil
}

// candidateNames chooses the candidate set by demand class and length.
func candidateNames(p Profile, n, m, h int) []string {
	seasonal := m > 1 && n >= 2*m+h
	switch {
	case p.Class == Short:
		return []string{"ses", "naive"}
	case p.Class.IsIntermittent():
		return intermittentSet
	}
	c := []string{"naive", "ses", "holt", "theta"}
	if m > 1 && n > m {
		c = append(c, "snaive")
	}
	if seasonal {
		c = append(c, "linreg", "hw-add")
		positive := true
		if p.NonZero < p.Observed {
			positive = false
		}
		if positive {
			c = append(c, "hw-mul")
		}
	}
	if p.Class == Erratic {
		c = append(c, "tsb")
	}
	return c
}

// cleanable reports whether a candidate is fitted to the series with its
// spikes cleaned: the smoothing and regression models, whose level or
// trend an unexplained spike would lift for many periods. Naive methods
// keep the raw series, the driver models have their own robust level.
func cleanable(name string) bool {
	switch name {
	case "naive", "snaive", "dynreg", "poisson":
		return false
	}
	return true
}

// cleanSpikes winsorises y at ± 3·1.4826·MAD around a robust local line
// through the preceding w observed values (the medians of the window's two
// halves; a causal Hampel filter that a trend does not trigger), so that a
// backtest's estimation sample never sees the future; w is the season
// length, within 8…26. It returns nil when nothing was clipped.
func cleanSpikes(y []float64, m int) []float64 {
	w := min(max(m, 8), 26)
	var out []float64
	win := make([]float64, 0, w)
	dev := make([]float64, 0, w)
	prev := make([]float64, 0, w) // last w observed raw values
	for t, v := range y {
		if math.IsNaN(v) {
			continue
		}
		if len(prev) == w {
			// Robust local line through the medians of the two halves of
			// the window (a trend does not count as spikes), the spread the
			// MAD of the window around it.
			hw := w / 2
			win = append(win[:0], prev[:hw]...)
			m1 := median(win)
			win = append(win[:0], prev[w-hw:]...)
			m2 := median(win)
			slope := 0.0
			slope = (m2 - m1) / float64(w-hw)
			c2 := float64(w-hw) + float64(hw-1)/2 // centre of the second half
			dev = dev[:0]
			for i, u := range prev {
				dev = append(dev, math.Abs(u-(m2+slope*(float64(i)-c2))))
			}
			med := m2 + slope*(float64(w)-c2)
			s := 1.4826 * median(dev)
			if s > 0 {
				lo, hi := med-3*s, med+3*s
				if v < lo || v > hi {
					if out == nil {
						out = append([]float64(nil), y...)
					}
					out[t] = math.Max(lo, math.Min(hi, v))
				}
			}
			prev = prev[1:]
		}
		prev = append(prev, v)
	}
	return out
}

func isDriverModel(name string) bool { return name == "dynreg" || name == "poisson" }

// withDrivers gives a driver model the drivers and prior of opt.
func withDrivers(mod Model, opt AutoOptions) Model {
	switch d := mod.(type) {
	case DynReg:
		d.Drivers, d.Prior = opt.Drivers, opt.Prior
		return d
	case PoissonReg:
		d.Drivers, d.Prior = opt.Drivers, opt.Prior
		return d
	}
	return mod
}

// minFit is the shortest estimation sample any candidate needs.
func minFit(names []string, m int) int {
	k := MinObserved
	for _, n := range names {
		if strings.HasPrefix(n, "hw-") {
			k = max(k, 2*m)
		}
	}
	return k
}

// backtest is a rolling-origin plan: forecasts of h periods from each
// origin (the forecast for origin o uses y[:o]).
type backtest struct {
	origins []int
	h       int
	scale2  float64 // RMSSE scale
	scale1  float64 // MASE scale
}

func (b backtest) ok() bool { return len(b.origins) > 0 && b.h > 0 }

func planBacktest(y []float64, h, k, minFit int) backtest {
	n := len(y)
	hb := h
	if n-hb < minFit {
		hb = n - minFit
	}
	if hb < 1 {
		// Try at least a one-step backtest for very short series.
		if n-1 >= MinObserved {
			hb, minFit = 1, MinObserved
		} else {
			return backtest{}
		}
	}
	step := max(1, hb*stepNum/stepDen)
	var o []int
	// Walk back from the latest origin; windows with less than half their
	// periods observed (censored stretches) do not count as origins.
	for org := n - hb; org >= minFit && len(o) < k; org -= step {
		if observed(y[org:org+hb])*2 >= hb && observed(y[:org]) >= MinObserved {
			o = append(o, org)
		}
	}
	sort.Ints(o)
	return backtest{origins: o, h: hb}
}

func (c *candidate) run(y []float64, b backtest, clip bool) {
	src := c.src
	if src == nil {
		src = y
	}
	first, err := c.model.Fit(src[:b.origins[0]])
	if err != nil {
		c.failed = true
		return
	}
	c.first = first
	c.fc = make([][]float64, len(b.origins))
	for i, o := range b.origins {
		f := first
		if o != b.origins[0] {
			f = first.Apply(src[:o])
		}
		p := f.Predict(b.h)
		for j, v := range p {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				c.failed = true
				return
			}
			if clip && v < 0 {
				p[j] = 0
			}
		}
		c.fc[i] = p
	}
	c.mse = b.mse(y, c.fc)
	if math.IsNaN(c.mse) || math.IsInf(c.mse, 0) {
		c.failed = true
	}
}

func meanForecasts(cs []*candidate, origins int) [][]float64 {
	out := make([][]float64, origins)
	for i := range out {
		out[i] = make([]float64, len(cs[0].fc[i]))
		for _, c := range cs {
			for j, v := range c.fc[i] {
				out[i][j] += v / float64(len(cs))
			}
		}
	}
	return out
}

// mse is the mean squared backtest error over all origins and steps.
func (b backtest) mse(y []float64, fc [][]float64) float64 {
	s, n := 0.0, 0
	for i, o := range b.origins {
		for j, f := range fc[i] {
			if v := y[o+j]; !math.IsNaN(v) {
				s += (v - f) * (v - f)
				n++
			}
		}
	}
	if n == 0 {
		return math.Inf(1)
	}
	return s / float64(n)
}

func (b backtest) accuracy(y []float64, fc [][]float64) Accuracy {
	if fc == nil {
		return Accuracy{}
	}
	s2 := Scale(y, 1, true)
	s1 := Scale(y, 1, false)
	var se, ae, e float64
	n := 0
	for i, o := range b.origins {
		for j, f := range fc[i] {
			if v := y[o+j]; !math.IsNaN(v) {
				se += (v - f) * (v - f)
				ae += math.Abs(v - f)
				e += f - v
				n++
			}
		}
	}
	a := Accuracy{Points: n}
	if n > 0 && s2 > 0 && s1 > 0 {
		a.RMSSE = math.Sqrt(se / float64(n) / s2)
		a.MASE = ae / float64(n) / s1
		a.Bias = e / float64(n) / s1
	}
	return a
}

// Fit forecasts s with one named model through the same backtest and
// interval machinery as [Auto]: Fit(s, "tsb", opt) equals Auto with
// opt.Methods = ["tsb"].
func Fit(s Series, method string, opt AutoOptions) (*Forecast, error) {
	opt.Methods = []string{method}
	opt.Combine = 1
	f, err := Auto(s, opt)
	if err != nil {
		return nil, fmt.Errorf("forecast: %s: %w", method, err)
	}
	return f, nil
}

// Spacing of backtest origins as a fraction of the horizon.
const stepNum, stepDen = 1, 2

// intermittentSet is the candidate set for intermittent and lumpy demand:
// SES and TSB with the low smoothing constants recommended for
// intermittent demand (α = β = 0.1; Syntetos & Boylan 2005, Teunter et al.
// 2011), whose in-sample estimation is unreliable with few demands, the
// Theta method (its drift follows obsolescence) and a moving average.
var intermittentSet = []string{"ses-0.1", "tsb-0.1-0.1", "theta", "ma"}
