package forecast

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/optimize"
)

// pacfToPoly maps unconstrained values to the coefficients of a stationary
// AR polynomial 1 − φ₁L − … − φₚLᵖ: xᵢ/√(1+xᵢ²) are partial
// autocorrelations in (−1, 1), turned into φ by the Durbin-Levinson
// recursion (Jones 1980, Monahan 1984; statsmodels'
// constrain_stationary_univariate). out and work have len(x) elements.
func pacfToPoly(x, out, work []float64) {
	for k := range x {
		rk := x[k] / math.Sqrt(1+x[k]*x[k])
		copy(work[:k], out[:k])
		for j := 0; j < k; j++ {
			out[j] = work[j] - rk*work[k-1-j]
		}
		out[k] = rk
	}
}

// polyToPACF inverts [pacfToPoly]; ok is false when φ is not stationary.
func polyToPACF(phi []float64) (x []float64, ok bool) {
	p := len(phi)
	cur := append([]float64(nil), phi...)
	x = make([]float64, p)
	for k := p - 1; k >= 0; k-- {
		rk := cur[k]
		if math.Abs(rk) >= 1 {
			return nil, false
		}
		x[k] = rk / math.Sqrt(1-rk*rk)
		prev := make([]float64, k)
		for j := 0; j < k; j++ {
			prev[j] = (cur[j] + rk*cur[k-1-j]) / (1 - rk*rk)
		}
		cur = prev
	}
	return x, true
}

// arimaProblem is the estimation of one model on one series.
type arimaProblem struct {
	o        ARIMAOrder
	constant bool
	y        []float64
	w        []float64 // differenced series (CSS)
	scale    float64   // units of the mean parameter
	p        ARIMAParams
	work     []float64
	e        []float64 // CSS residuals
	ss       arimaSS
	kf       *kalman
}

func newARIMAProblem(o ARIMAOrder, constant bool, y []float64) *arimaProblem {
	pr := &arimaProblem{o: o, constant: constant, y: y}
	pr.p = ARIMAParams{AR: make([]float64, o.P), MA: make([]float64, o.Q), SAR: make([]float64, o.SP), SMA: make([]float64, o.SQ)}
	pr.work = make([]float64, max(o.P, o.Q, o.SP, o.SQ))
	pr.w = differenced(y, o)
	pr.e = make([]float64, len(y))
	mu := nanMean(pr.w)
	sd := 0.0
	cnt := 0
	for _, v := range pr.w {
		if !math.IsNaN(v) {
			sd += (v - mu) * (v - mu)
			cnt++
		}
	}
	pr.scale = math.Sqrt(sd / float64(max(cnt, 1)))
	if !(pr.scale > 0) {
		pr.scale = math.Max(math.Abs(mu), 1)
	}
	pr.ss = newARIMASS(o, &pr.p)
	pr.kf = newKalman(&pr.ss)
	return pr
}

// differenced returns (1−L)ᵈ(1−Lᵐ)ᴰ y, NaN where a needed value is missing
// and for the first d + D·m periods.
func differenced(y []float64, o ARIMAOrder) []float64 {
	w := append([]float64(nil), y...)
	lag := func(l int) {
		for t := len(w) - 1; t >= 0; t-- {
			if t < l {
				w[t] = math.NaN()
			} else {
				w[t] -= w[t-l]
			}
		}
	}
	for i := 0; i < o.D; i++ {
		lag(1)
	}
	for i := 0; i < o.SD; i++ {
		lag(o.Period)
	}
	return w
}

func (pr *arimaProblem) dim() int {
	return pr.o.P + pr.o.Q + pr.o.SP + pr.o.SQ + b2i(pr.constant)
}

// decode sets pr.p from the unconstrained vector x.
func (pr *arimaProblem) decode(x []float64) {
	o := pr.o
	i := 0
	block := func(n int, out []float64, ma bool) {
		pacfToPoly(x[i:i+n], out, pr.work)
		if ma {
			for j := range out {
				out[j] = -out[j]
			}
		}
		i += n
	}
	block(o.P, pr.p.AR, false)
	block(o.Q, pr.p.MA, true)
	block(o.SP, pr.p.SAR, false)
	block(o.SQ, pr.p.SMA, true)
	pr.p.Mean = 0
	if pr.constant {
		pr.p.Mean = x[i] * pr.scale
	}
}

// encode is the inverse of decode; ok is false for a non-stationary or
// non-invertible p.
func (pr *arimaProblem) encode(p ARIMAParams) ([]float64, bool) {
	x := make([]float64, 0, pr.dim())
	for _, b := range []struct {
		c  []float64
		ma bool
	}{{p.AR, false}, {p.MA, true}, {p.SAR, false}, {p.SMA, true}} {
		c := b.c
		if b.ma {
			c = make([]float64, len(b.c))
			for j, v := range b.c {
				c[j] = -v
			}
		}
		u, ok := polyToPACF(c)
		if !ok {
			return nil, false
		}
		x = append(x, u...)
	}
	if pr.constant {
		x = append(x, p.Mean/pr.scale)
	}
	return x, true
}

// setSS refreshes the expanded polynomials after decode.
func (pr *arimaProblem) setSS() {
	ss := &pr.ss
	m := max(pr.o.Period, 1)
	for i := range ss.ar {
		ss.ar[i] = 0
	}
	for i := range ss.rv {
		ss.rv[i] = 0
	}
	ss.rv[0] = 1
	// φ*(L) = φ(L)Φ(Lᵐ): coefficients of 1 − Σφ*ᵢLⁱ.
	for i, a := range pr.p.AR {
		ss.ar[i] += a
	}
	for j, b := range pr.p.SAR {
		ss.ar[(j+1)*m-1] += b
		for i, a := range pr.p.AR {
			ss.ar[(j+1)*m+i] -= a * b
		}
	}
	for i, a := range pr.p.MA {
		ss.rv[i+1] += a
	}
	for j, b := range pr.p.SMA {
		ss.rv[(j+1)*m] += b
		for i, a := range pr.p.MA {
			ss.rv[(j+1)*m+i+1] += a * b
		}
	}
	ss.mu = pr.p.Mean
}

// nll is the negative exact log-likelihood per observation (σ²
// concentrated out).
func (pr *arimaProblem) nll(x []float64) float64 {
	pr.decode(x)
	pr.setSS()
	res := pr.kf.run(pr.y, nil, false)
	ll := res.concentrated()
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return 1e300
	}
	return -ll / float64(res.nobs)
}

// css is the conditional sum of squares objective: ½ log of the mean
// squared residual of the ARMA recursion on the differenced series,
// started at zero residuals after the first p* differences. It also
// returns the number of residuals.
func (pr *arimaProblem) css(x []float64) (float64, int) {
	pr.decode(x)
	pr.setSS()
	ss := &pr.ss
	w := pr.w
	k := ss.k
	ps := ss.pstar
	qs := 0
	for i := len(ss.rv) - 1; i > 0; i-- {
		if ss.rv[i] != 0 {
			qs = i
			break
		}
	}
	e := pr.e
	sum, n := 0.0, 0
	for t := range w {
		e[t] = 0
		if t < k+ps || math.IsNaN(w[t]) {
			continue
		}
		v := w[t] - ss.mu
		bad := false
		for i := 1; i <= ps; i++ {
			if c := ss.ar[i-1]; c != 0 {
				u := w[t-i]
				if math.IsNaN(u) {
					bad = true
					break
				}
				v -= c * (u - ss.mu)
			}
		}
		if bad {
			continue
		}
		for j := 1; j <= qs && t-j >= 0; j++ {
			v -= ss.rv[j] * e[t-j]
		}
		e[t] = v
		sum += v * v
		n++
	}
	if n == 0 || !(sum > 0) || math.IsInf(sum, 0) {
		return 1e300, n
	}
	return 0.5 * math.Log(sum/float64(n)), n
}

// minimizeFD minimises f from x0 by BFGS with forward-difference
// gradients; evals bounds the line search evaluations, the gradients' about
// as many.
func minimizeFD(f func([]float64) float64, x0 []float64, evals int) ([]float64, float64) {
	if len(x0) == 0 {
		return x0, f(x0)
	}
	settings := &fd.Settings{Formula: fd.Forward, Step: 1e-7}
	grad := make([]float64, len(x0))
	p := optimize.Problem{
		Func: f,
		Grad: func(g, x []float64) {
			fd.Gradient(grad, f, x, settings)
			copy(g, grad)
		},
	}
	s := &optimize.Settings{
		FuncEvaluations:   evals,
		MajorIterations:   max(50, evals/(len(x0)+1)/2),
		GradientThreshold: 1e-7,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-7, Iterations: 2},
	}
	f0 := f(x0)
	res, err := optimize.Minimize(p, x0, s, &optimize.BFGS{})
	if res == nil || (err != nil && res.F >= f0) || !(res.F < f0) {
		return x0, f0
	}
	return res.X, res.F
}

var errNoLikelihood = errors.New("no valid likelihood")

// estimateARIMA fits the coefficients: conditional sum of squares from
// zero coefficients, then exact maximum likelihood from the CSS estimates
// and from zero (the better wins). cssOnly stops after the CSS fit.
func estimateARIMA(o ARIMAOrder, constant bool, y []float64, cssOnly bool) (ARIMAParams, error) {
	pr := newARIMAProblem(o, constant, y)
	d := pr.dim()
	x0 := make([]float64, d)
	if constant {
		x0[d-1] = nanMean(pr.w) / pr.scale
	}
	cssf := func(x []float64) float64 { v, _ := pr.css(x); return v }
	xc, fc := minimizeFD(cssf, x0, 200*(d+1))
	if cssOnly {
		if fc >= 1e300 {
			return ARIMAParams{}, errNoLikelihood
		}
		pr.decode(xc)
		p := pr.p.clone()
		p.Sigma2 = math.Exp(2 * fc)
		return p, nil
	}
	best, bestF := minimizeFD(pr.nll, xc, 150*(d+1))
	pr.decode(best)
	if d > 0 && (fc >= 1e300 || bestF >= 1e300 || nearUnitRoot(o, pr.p)) {
		// A failed or boundary solution (e.g. AR and MA roots cancelling
		// near 1): also start from zero coefficients.
		if x, f := minimizeFD(pr.nll, x0, 150*(d+1)); f < bestF {
			best, bestF = x, f
		}
	}
	if bestF >= 1e300 {
		return ARIMAParams{}, errNoLikelihood
	}
	pr.decode(best)
	p := pr.p.clone()
	pr.setSS()
	res := pr.kf.run(y, nil, false)
	p.Sigma2 = res.sigma2()
	return p, nil
}
