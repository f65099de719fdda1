package forecast

// Estimation of the exponential smoothing models of ets.go: heuristic
// initial states, the bounded reparameterisation, the SSE minimisation with
// gonum/optimize, and the concentrated closed form for SES.

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

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

	batch     etsBatch
	bp        [batchSize]ETSParams
	pts       [][]float64 // finite-difference points
	vals      []float64
	lastX     []float64 // last point f was evaluated at, and its value
	lastF     float64
	lastValid bool
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
	own := p.Season // p's own buffer, not the base's
	if len(own) > 0 && len(pr.base.Season) > 0 && &own[0] == &pr.base.Season[0] {
		own = nil
	}
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
			p.Season = own[:0]
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
	v := 1e300
	if ok {
		v = s / (pr.scale * pr.scale)
	}
	pr.lastX = append(pr.lastX[:0], x...)
	pr.lastF, pr.lastValid = v, true
	return v
}

// evalBatch sets vals[i] = f(pts[i]), batchSize points per pass over y.
func (pr *etsProblem) evalBatch(pts [][]float64, vals []float64) {
	for lo := 0; lo < len(pts); lo += batchSize {
		hi := min(lo+batchSize, len(pts))
		bt := &pr.batch
		bt.k = hi - lo
		for i := lo; i < hi; i++ {
			p := &pr.bp[i-lo]
			pr.decode(pts[i], p)
			bt.load(i-lo, pr.sp, p)
		}
		bt.run(pr.sp, pr.y, vals[lo:hi])
		for i := lo; i < hi; i++ {
			if v := vals[i]; math.IsInf(v, 1) {
				vals[i] = 1e300
			} else {
				vals[i] = v / (pr.scale * pr.scale)
			}
		}
	}
}

// gradient is the forward (or central) finite-difference gradient of f at
// x, its points evaluated together by [etsProblem.evalBatch]. The origin
// is reused when f was last evaluated there (the line search's last
// point).
func (pr *etsProblem) gradient(g, x []float64, central bool, step float64) {
	d := len(x)
	n := d
	if central {
		n = 2 * d
	}
	origin := pr.lastValid && len(pr.lastX) == d
	for i := 0; origin && i < d; i++ {
		origin = pr.lastX[i] == x[i]
	}
	fx := pr.lastF
	if !central && !origin {
		n++
	}
	for len(pr.pts) < n {
		pr.pts = append(pr.pts, nil)
	}
	for i := 0; i < n; i++ {
		if len(pr.pts[i]) != d {
			pr.pts[i] = make([]float64, d)
		}
	}
	if len(pr.vals) < n {
		pr.vals = make([]float64, n)
	}
	pts := pr.pts[:n]
	for i := 0; i < n; i++ {
		copy(pts[i], x)
	}
	for i := 0; i < d; i++ {
		if central {
			pts[2*i][i] += step
			pts[2*i+1][i] -= step
		} else {
			pts[i][i] += step
		}
	}
	vals := pr.vals[:n]
	pr.evalBatch(pts, vals)
	if !central && !origin {
		fx = vals[d]
	}
	for i := 0; i < d; i++ {
		if central {
			g[i] = (vals[2*i] - vals[2*i+1]) / (2 * step)
		} else {
			g[i] = (vals[i] - fx) / step
		}
	}
}

func (pr *etsProblem) minimize(x0 []float64, evals int, quick bool) ([]float64, float64) {
	central, step := true, 1e-5
	conv := &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-8, Iterations: 5}
	if quick {
		central, step = false, 1e-6
		conv = &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-5, Iterations: 2}
	}
	p := optimize.Problem{
		Func: pr.f,
		Grad: func(g, x []float64) { pr.gradient(g, x, central, step) },
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
// Σ r(t)W(t−1) / Σ W(t−1)², r(t) = y(t) − A(t−1). A grid (evaluated eight
// values of α per pass over y) locates the basin and Brent's method refines
// α.
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
	fg := make([]float64, len(grid))
	for lo := 0; lo < len(grid); lo += batchSize {
		hi := min(lo+batchSize, len(grid))
		sesBatch(y, grid[lo:hi], fg[lo:hi])
	}
	bi, bf := 0, math.Inf(1)
	for i, f := range fg {
		if f < bf {
			bi, bf = i, f
		}
	}
	lo, hi := grid[max(bi-1, 0)], grid[min(bi+1, len(grid)-1)]
	alpha := grid[bi]
	if hi > lo {
		x, fx := brentMin(func(a float64) float64 { f, _ := eval(a); return f }, lo, hi, 1e-7, 60)
		if fx < bf {
			alpha = x
		}
	}
	_, l0 := eval(alpha)
	return ETSParams{Alpha: alpha, Phi: 1, Level: l0}
}

// sesBatch sets out[i] to the concentrated SSE of [estimateSES] at
// alphas[i] (at most batchSize), all in one pass over y.
func sesBatch(y, alphas, out []float64) {
	var a, w, srr, srw, sww [batchSize]float64
	k := len(alphas)
	for i := 0; i < k; i++ {
		w[i] = 1
	}
	for _, v := range y {
		if v != v {
			continue
		}
		for i := 0; i < k; i++ {
			r := v - a[i]
			srr[i] += r * r
			srw[i] += r * w[i]
			sww[i] += w[i] * w[i]
			a[i] += alphas[i] * r
			w[i] *= 1 - alphas[i]
		}
	}
	for i := 0; i < k; i++ {
		out[i] = srr[i]
		if sww[i] != 0 {
			out[i] -= srw[i] * srw[i] / sww[i]
		}
	}
}

// brentMin minimises f on [a, b] by Brent's method (golden section steps
// with parabolic interpolation; Brent 1973, ch. 5) to within about tol.
func brentMin(f func(float64) float64, a, b, tol float64, maxIter int) (float64, float64) {
	const cgold = 0.3819660112501051
	x := a + cgold*(b-a)
	w, v := x, x
	fx := f(x)
	fw, fv := fx, fx
	var d, e float64
	for it := 0; it < maxIter; it++ {
		xm := (a + b) / 2
		tol1 := tol*math.Abs(x) + 1e-12
		tol2 := 2 * tol1
		if math.Abs(x-xm) <= tol2-(b-a)/2 {
			break
		}
		golden := true
		if math.Abs(e) > tol1 {
			r := (x - w) * (fx - fv)
			q := (x - v) * (fx - fw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			} else {
				q = -q
			}
			prev := e
			e = d
			if math.Abs(p) < math.Abs(q*prev/2) && p > q*(a-x) && p < q*(b-x) {
				d = p / q
				if u := x + d; u-a < tol2 || b-u < tol2 {
					d = math.Copysign(tol1, xm-x)
				}
				golden = false
			}
		}
		if golden {
			if x >= xm {
				e = a - x
			} else {
				e = b - x
			}
			d = cgold * e
		}
		u := x + d
		if math.Abs(d) < tol1 {
			u = x + math.Copysign(tol1, d)
		}
		fu := f(u)
		if fu <= fx {
			if u >= x {
				a = x
			} else {
				b = x
			}
			v, w, x = w, x, u
			fv, fw, fx = fw, fx, fu
			continue
		}
		if u < x {
			a = u
		} else {
			b = u
		}
		switch {
		case fu <= fw || w == x:
			v, w = w, u
			fv, fw = fw, fu
		case fu <= fv || v == x || v == w:
			v, fv = u, fu
		}
	}
	return x, fx
}
