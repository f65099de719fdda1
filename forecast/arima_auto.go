package forecast

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// AutoARIMA chooses a seasonal ARIMA model by the Hyndman-Khandakar
// algorithm (Hyndman & Khandakar 2008; R's forecast::auto.arima):
//
//   - D (0 or 1) by the seasonal strength of a classical decomposition
//     (D = 1 above 0.64, forecast::nsdiffs' default test; a decomposition by
//     moving averages stands in for STL), when the series has three seasons;
//   - d (0…MaxD) by repeated KPSS tests of level stationarity at 5 % on the
//     (seasonally) differenced series (forecast::ndiffs);
//   - p, q, P, Q by a stepwise search on AICc from ARIMA(2,d,2)(1,D,1),
//     (0,d,0)(0,D,0), (1,d,0)(1,D,0) and (0,d,1)(0,D,1), moving to the first
//     neighbour (one order ±1, p and q or P and Q together ±1, the constant
//     toggled) that improves, until none does or MaxModels models were fitted.
//     A constant (mean or drift) is allowed when d + D ≤ 1. Models whose AR or
//     MA roots lie within 1.01 of the unit circle are rejected.
//
// The search compares conditional-sum-of-squares fits, and the best two are
// refitted by exact maximum likelihood, the better AICc winning (auto.arima's approximation,
// which R uses on series longer than 150 or with seasons longer than 12);
// Exact compares exact likelihood fits instead (R's choice on short
// series; about 10 times slower).
type AutoARIMA struct {
	Period int // season length m; ≤ 1 for non-seasonal models
	// Largest orders searched; 0 means the default 5, 5, 2, 2 and 2 (d), a
	// negative value 0. Seasons longer than 24 allow P, Q ≤ 1.
	MaxP, MaxQ, MaxSP, MaxSQ, MaxD int
	// NoSeasonal searches non-seasonal models only (and D = 0).
	NoSeasonal bool
	// MaxModels bounds the number of models fitted in the search (default
	// 94, auto.arima's).
	MaxModels int
	// Exact compares exact likelihood fits in the search.
	Exact bool
}

// Name returns "arima".
func (AutoARIMA) Name() string { return "arima" }

// Fit selects and estimates the model on y.
func (a AutoARIMA) Fit(y []float64) (Fitted, error) {
	f, err := a.fit(y)
	if err != nil {
		return nil, err
	}
	return f, nil
}

type armaKey struct {
	p, q, sp, sq int
	c            bool
}

type armaTried struct {
	key armaKey
	ic  float64
}

func (a AutoARIMA) fit(y []float64) (*ARIMAFit, error) {
	nobs := observed(y)
	if nobs == 0 {
		return nil, ErrNoData
	}
	def := func(v, d int) int {
		if v == 0 {
			return d
		}
		return max(v, 0)
	}
	maxP, maxQ := def(a.MaxP, 5), def(a.MaxQ, 5)
	maxSP, maxSQ := def(a.MaxSP, 2), def(a.MaxSQ, 2)
	maxD := def(a.MaxD, 2)
	maxModels := def(a.MaxModels, 94)
	m := a.Period
	if a.NoSeasonal || m <= 1 || len(y) < 3*m {
		m = 0
		maxSP, maxSQ = 0, 0
	}
	if m > 24 {
		// Long seasons (weekly data): the state has m·(P or Q) elements,
		// so keep one seasonal lag of each kind.
		maxSP, maxSQ = min(maxSP, 1), min(maxSQ, 1)
	}
	o := ARIMAOrder{Period: m}
	if m > 1 && seasonalStrength(y, m) > 0.64 {
		o.SD = 1
	}
	o.D = ndiffs(differenced(y, o), maxD)
	k := o.D + o.SD*m
	if nobs-k < 3 {
		// Too short for anything but a random walk around a level.
		o.D, o.SD = min(o.D, 1), 0
		k = o.D
	}
	allowC := o.D+o.SD <= 1
	approx := !a.Exact

	tried := map[armaKey]float64{}
	var order []armaTried
	try := func(key armaKey) float64 {
		if v, ok := tried[key]; ok {
			return v
		}
		if len(tried) >= maxModels {
			return math.Inf(1)
		}
		oo := o
		oo.P, oo.Q, oo.SP, oo.SQ = key.p, key.q, key.sp, key.sq
		ic := math.Inf(1)
		npar := key.p + key.q + key.sp + key.sq + b2i(key.c) + 1
		if nobs-k-npar-1 > 0 && oo.validate() == nil {
			if approx {
				p, ll, n, err := fitCSS(oo, key.c, y)
				if err == nil && !nearUnitRoot(oo, p) {
					ic = aicc(ll, npar, n)
				}
			} else if f, err := (ARIMA{Order: oo, Constant: key.c}).fit(y); err == nil && !nearUnitRoot(oo, f.Estimate) {
				ic = f.AICc
			}
		}
		if math.IsNaN(ic) {
			ic = math.Inf(1)
		}
		tried[key] = ic
		order = append(order, armaTried{key, ic})
		return ic
	}
	sp0, sq0 := min(1, maxSP), min(1, maxSQ)
	starts := []armaKey{
		{min(2, maxP), min(2, maxQ), sp0, sq0, allowC},
		{0, 0, 0, 0, allowC},
		{min(1, maxP), 0, sp0, 0, allowC},
		{0, min(1, maxQ), 0, sq0, allowC},
	}
	if allowC {
		starts = append(starts, armaKey{0, 0, 0, 0, false})
	}
	best, bestIC := starts[0], math.Inf(1)
	for _, s := range starts {
		if ic := try(s); ic < bestIC {
			best, bestIC = s, ic
		}
	}
	for len(tried) < maxModels {
		improved := false
		for _, nb := range neighbours(best, maxP, maxQ, maxSP, maxSQ, allowC) {
			if ic := try(nb); ic < bestIC {
				best, bestIC, improved = nb, ic, true
				break
			}
			if len(tried) >= maxModels {
				break
			}
		}
		if !improved {
			break
		}
	}
	// Fit the best two exactly (the next ones when they fail, four at
	// most) and keep the better exact AICc.
	sort.SliceStable(order, func(i, j int) bool { return order[i].ic < order[j].ic })
	var chosen, boundary *ARIMAFit
	good := 0
	for i, t := range order {
		if math.IsInf(t.ic, 1) || i >= 4 || good >= finalRefits || !approx && good >= 1 {
			break
		}
		oo := o
		oo.P, oo.Q, oo.SP, oo.SQ = t.key.p, t.key.q, t.key.sp, t.key.sq
		f, err := ARIMA{Order: oo, Constant: t.key.c}.fit(y)
		if err != nil || math.IsNaN(f.LogLik) {
			continue
		}
		if approx && nearUnitRoot(oo, f.Estimate) {
			if boundary == nil {
				boundary = f
			}
			continue
		}
		good++
		if chosen == nil || f.AICc < chosen.AICc {
			chosen = f
		}
	}
	if chosen != nil {
		return chosen, nil
	}
	if boundary != nil {
		// Better than a random walk: the best model, roots near the unit
		// circle and all.
		return boundary, nil
	}
	// Nothing fitted: a random walk (or white noise around the mean).
	oo := o
	oo.SD = 0
	oo.D = min(o.D, 1)
	f, err := ARIMA{Order: oo, Constant: oo.D == 0}.fit(y)
	if err != nil {
		return nil, fmt.Errorf("forecast: auto arima: no model could be fitted: %w", err)
	}
	return f, nil
}

// neighbours lists the stepwise moves from k in auto.arima's order.
func neighbours(k armaKey, maxP, maxQ, maxSP, maxSQ int, allowC bool) []armaKey {
	var out []armaKey
	add := func(p, q, sp, sq int, c bool) {
		if p < 0 || q < 0 || sp < 0 || sq < 0 || p > maxP || q > maxQ || sp > maxSP || sq > maxSQ {
			return
		}
		out = append(out, armaKey{p, q, sp, sq, c})
	}
	if maxSP > 0 || maxSQ > 0 {
		for _, d := range [][2]int{{-1, 0}, {0, -1}, {1, 0}, {0, 1}, {-1, -1}, {-1, 1}, {1, -1}, {1, 1}} {
			add(k.p, k.q, k.sp+d[0], k.sq+d[1], k.c)
		}
	}
	for _, d := range [][2]int{{-1, 0}, {0, -1}, {1, 0}, {0, 1}, {-1, -1}, {-1, 1}, {1, -1}, {1, 1}} {
		add(k.p+d[0], k.q+d[1], k.sp, k.sq, k.c)
	}
	if allowC {
		add(k.p, k.q, k.sp, k.sq, !k.c)
	}
	return out
}

// fitCSS estimates by conditional sum of squares and returns the
// parameters, the Gaussian log-likelihood at the residuals' mean square and
// the number of differenced observations.
func fitCSS(o ARIMAOrder, constant bool, y []float64) (ARIMAParams, float64, int, error) {
	p, err := estimateARIMA(o, constant, y, true)
	if err != nil {
		return p, 0, 0, err
	}
	pr := newARIMAProblem(o, constant, y)
	x, ok := pr.encode(p)
	if !ok {
		return p, 0, 0, errNoLikelihood
	}
	f, n := pr.css(x)
	if f >= 1e300 || n == 0 {
		return p, 0, 0, errNoLikelihood
	}
	// As R's arima: σ² is the mean square of the conditional residuals, the
	// likelihood counts every differenced observation, so that models with
	// different AR orders compare on the same data.
	s2 := math.Exp(2 * f)
	nu := observed(pr.w)
	ll := -0.5 * float64(nu) * (math.Log(2*math.Pi*s2) + 1)
	return p, ll, nu, nil
}

// nearUnitRoot reports whether an AR or MA factor has a root within 1.01
// of the unit circle (for a seasonal factor, of the expanded polynomial).
func nearUnitRoot(o ARIMAOrder, p ARIMAParams) bool {
	lim := 1 / 1.01
	slim := math.Pow(lim, float64(max(o.Period, 1)))
	return maxInvRoot(p.AR, 1) > lim || maxInvRoot(p.MA, -1) > lim ||
		maxInvRoot(p.SAR, 1) > slim || maxInvRoot(p.SMA, -1) > slim
}

// maxInvRoot is the largest modulus of the inverse roots of 1 − sign·Σcᵢzⁱ
// (the eigenvalues of its companion matrix).
func maxInvRoot(c []float64, sign float64) float64 {
	n := len(c)
	for n > 0 && c[n-1] == 0 {
		n--
	}
	switch n {
	case 0:
		return 0
	case 1:
		return math.Abs(c[0])
	}
	A := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		A.Set(0, j, sign*c[j])
	}
	for i := 1; i < n; i++ {
		A.Set(i, i-1, 1)
	}
	var e mat.Eigen
	if !e.Factorize(A, mat.EigenNone) {
		return math.Inf(1)
	}
	big := 0.0
	for _, v := range e.Values(nil) {
		big = math.Max(big, math.Hypot(real(v), imag(v)))
	}
	return big
}

// finalRefits is the number of best approximate models refitted exactly.
const finalRefits = 2

// kpssCrit5 is the 5 % critical value of the KPSS level-stationarity test
// (Kwiatkowski et al. 1992, Table 1).
const kpssCrit5 = 0.463

// kpss is the KPSS statistic for level stationarity of the observed values
// of x, with the Newey-West long-run variance over ⌊3√n/13⌋ lags (as
// forecast::ndiffs).
func kpss(x []float64) float64 {
	v := make([]float64, 0, len(x))
	for _, u := range x {
		if !math.IsNaN(u) {
			v = append(v, u)
		}
	}
	n := len(v)
	if n < 3 {
		return 0
	}
	mu := 0.0
	for _, u := range v {
		mu += u
	}
	mu /= float64(n)
	s, num, s0 := 0.0, 0.0, 0.0
	for i := range v {
		v[i] -= mu
		s += v[i]
		num += s * s
		s0 += v[i] * v[i]
	}
	lags := int(3 * math.Sqrt(float64(n)) / 13)
	lr := s0
	for l := 1; l <= lags; l++ {
		c := 0.0
		for t := l; t < n; t++ {
			c += v[t] * v[t-l]
		}
		lr += 2 * (1 - float64(l)/float64(lags+1)) * c
	}
	if lr <= 0 {
		return 0
	}
	return num / float64(n) / lr
}

// ndiffs is the number of differences (≤ maxD) after which the KPSS test
// no longer rejects level stationarity at 5 %.
func ndiffs(x []float64, maxD int) int {
	d := 0
	for d < maxD && observed(x) > 3 && !isConstant(x) && kpss(x) > kpssCrit5 {
		x = differenced(x, ARIMAOrder{D: 1})
		d++
	}
	return d
}

func isConstant(x []float64) bool {
	first := math.NaN()
	for _, v := range x {
		if math.IsNaN(v) {
			continue
		}
		if math.IsNaN(first) {
			first = v
		} else if v != first {
			return false
		}
	}
	return true
}

// seasonalStrength is max(0, 1 − Var(R)/Var(S + R)) of an additive
// classical decomposition of y (centred moving average trend, seasonal
// means, remainder R; Wang, Smith & Hyndman 2006). Missing values are
// interpolated linearly for the decomposition.
func seasonalStrength(y []float64, m int) float64 {
	n := len(y)
	if m <= 1 || n < 2*m || observed(y) < 2*m {
		return 0
	}
	z := interpolate(y)
	half := m / 2
	detr := nans(n)
	for t := half; t+half < n; t++ {
		var s, w float64
		for j := -half; j <= half; j++ {
			wt := 1.0
			if m%2 == 0 && (j == -half || j == half) {
				wt = 0.5
			}
			s += wt * z[t+j]
			w += wt
		}
		detr[t] = z[t] - s/w
	}
	idx := make([]float64, m)
	cnt := make([]int, m)
	for t, v := range detr {
		if !math.IsNaN(v) {
			idx[t%m] += v
			cnt[t%m]++
		}
	}
	mean := 0.0
	for j := range idx {
		if cnt[j] > 0 {
			idx[j] /= float64(cnt[j])
		}
		mean += idx[j] / float64(m)
	}
	var sr, srr, sd, sdd float64
	k := 0
	for t, v := range detr {
		if math.IsNaN(v) {
			continue
		}
		r := v - (idx[t%m] - mean)
		sr += r
		srr += r * r
		sd += v
		sdd += v * v
		k++
	}
	fk := float64(k)
	vr := srr/fk - (sr/fk)*(sr/fk)
	vd := sdd/fk - (sd/fk)*(sd/fk)
	if !(vd > 0) {
		return 0
	}
	return math.Max(0, 1-vr/vd)
}

// interpolate fills NaN linearly between observed neighbours (constant
// beyond the ends).
func interpolate(y []float64) []float64 {
	z := append([]float64(nil), y...)
	last := -1
	for t, v := range z {
		if math.IsNaN(v) {
			continue
		}
		if last < 0 {
			for i := 0; i < t; i++ {
				z[i] = v
			}
		} else {
			for i := last + 1; i < t; i++ {
				f := float64(i-last) / float64(t-last)
				z[i] = z[last] + f*(v-z[last])
			}
		}
		last = t
	}
	if last >= 0 {
		for i := last + 1; i < len(z); i++ {
			z[i] = z[last]
		}
	}
	return z
}
