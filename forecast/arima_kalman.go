package forecast

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// arimaSS is the state space form of a seasonal ARIMA model. The state is
// x(t) = (L(t), α(t)): L(t) = (y(t−1), …, y(t−k)) the k = d + D·m lagged
// observations the differencing needs, α(t) the r = max(p*, q*+1) states
// of the ARMA part in Harvey's form (p* = p + mP, q* = q + mQ the orders of
// the expanded polynomials φ*(L) = φ(L)Φ(Lᵐ), θ*(L) = θ(L)Θ(Lᵐ)):
//
//	y(t)     = δ·L(t) + μ + α₁(t)                  (δ from (1−L)ᵈ(1−Lᵐ)ᴰ = 1 − Σδᵢ Lⁱ)
//	α(t+1)   = T α(t) + R ε(t+1),  T = [φ* | I; 0], R = (1, θ*₁, …, θ*ᵣ₋₁)
//	L(t+1)   = (y(t), L₁(t), …, Lₖ₋₁(t))
//
// The filter works in units of σ² = 1; the likelihood rescales.
type arimaSS struct {
	k, r  int
	delta []float64 // δ₁…δₖ
	ar    []float64 // φ*₁…φ*ᵣ (zero padded)
	rv    []float64 // R: 1, θ*₁, …, θ*ᵣ₋₁ (zero padded)
	mu    float64
	pstar int // p*
}

// polyMul multiplies polynomials given by their coefficients (index =
// power).
func polyMul(a, b []float64) []float64 {
	c := make([]float64, len(a)+len(b)-1)
	for i, x := range a {
		if x == 0 {
			continue
		}
		for j, y := range b {
			c[i+j] += x * y
		}
	}
	return c
}

// lagPoly returns 1 + sign·Σ cᵢ L^(i·step).
func lagPoly(c []float64, step int, sign float64) []float64 {
	p := make([]float64, len(c)*step+1)
	p[0] = 1
	for i, v := range c {
		p[(i+1)*step] = sign * v
	}
	return p
}

func newARIMASS(o ARIMAOrder, p *ARIMAParams) arimaSS {
	m := max(o.Period, 1)
	arp := polyMul(lagPoly(p.AR, 1, -1), lagPoly(p.SAR, m, -1))
	map_ := polyMul(lagPoly(p.MA, 1, 1), lagPoly(p.SMA, m, 1))
	diff := []float64{1}
	for i := 0; i < o.D; i++ {
		diff = polyMul(diff, []float64{1, -1})
	}
	for i := 0; i < o.SD; i++ {
		diff = polyMul(diff, lagPoly([]float64{1}, m, -1))
	}
	ps, qs := len(arp)-1, len(map_)-1
	r := max(ps, qs+1)
	ss := arimaSS{k: len(diff) - 1, r: r, mu: p.Mean, pstar: ps}
	ss.delta = make([]float64, ss.k)
	for i := range ss.delta {
		ss.delta[i] = -diff[i+1]
	}
	ss.ar = make([]float64, r)
	for i := 1; i <= ps; i++ {
		ss.ar[i-1] = -arp[i]
	}
	ss.rv = make([]float64, r)
	ss.rv[0] = 1
	for i := 1; i <= qs; i++ {
		ss.rv[i] = map_[i]
	}
	return ss
}

// dim is the length of the full state.
func (ss *arimaSS) dim() int { return ss.k + ss.r }

// applyT sets dst = T·src for the full state; src element i is
// src[i*stride].
func (ss *arimaSS) applyT(dst, src []float64, stride int) {
	k, r := ss.k, ss.r
	if k > 0 {
		s := src[k*stride]
		for i, d := range ss.delta {
			if d != 0 {
				s += d * src[i*stride]
			}
		}
		for i := k - 1; i >= 1; i-- {
			dst[i] = src[(i-1)*stride]
		}
		dst[0] = s
	}
	a0 := src[k*stride]
	for i := 0; i < r-1; i++ {
		dst[k+i] = ss.ar[i]*a0 + src[(k+i+1)*stride]
	}
	dst[k+r-1] = ss.ar[r-1] * a0
}

// stationaryCov writes the stationary covariance of α (r×r, row-major,
// σ² = 1) into P. It uses the autocovariances γ of the ARMA process and
// ψ-weights for the first row, P₁ₖ = Σ_{l≥k} φ*ₗγ(l+1−k) + θ*ₗ₋₁ψₗ₋ₖ, then
// P = TPT' + RR' elementwise from the bottom right. It reports false when
// the AR part is not stationary.
func (ss *arimaSS) stationaryCov(P []float64) bool {
	r, ps := ss.r, ss.pstar
	theta := ss.rv // θ*₀ = 1, θ*₁ …
	psi := make([]float64, r+1)
	psi[0] = 1
	for j := 1; j <= r; j++ {
		v := 0.0
		if j < r {
			v = theta[j]
		}
		for i := 1; i <= min(j, ps); i++ {
			v += ss.ar[i-1] * psi[j-i]
		}
		psi[j] = v
	}
	// c_k = Σ_{j≥k} θ_j ψ_{j−k}
	c := func(k int) float64 {
		s := 0.0
		for j := k; j < r; j++ {
			s += theta[j] * psi[j-k]
		}
		return s
	}
	gamma := make([]float64, r+1)
	if ps == 0 {
		for k := 0; k <= r; k++ {
			gamma[k] = 0
			for j := k; j < r; j++ {
				gamma[k] += theta[j] * theta[j-k]
			}
		}
	} else {
		n := ps + 1
		A := mat.NewDense(n, n, nil)
		b := mat.NewVecDense(n, nil)
		for k := 0; k < n; k++ {
			A.Set(k, k, A.At(k, k)+1)
			for j := 1; j <= ps; j++ {
				h := k - j
				if h < 0 {
					h = -h
				}
				A.Set(k, h, A.At(k, h)-ss.ar[j-1])
			}
			b.SetVec(k, c(k))
		}
		var g mat.VecDense
		if err := g.SolveVec(A, b); err != nil {
			return false
		}
		for k := 0; k <= r; k++ {
			if k < n {
				gamma[k] = g.AtVec(k)
				continue
			}
			v := c(k)
			for j := 1; j <= ps; j++ {
				v += ss.ar[j-1] * gamma[k-j]
			}
			gamma[k] = v
		}
		if !(gamma[0] > 0) || math.IsInf(gamma[0], 0) {
			return false
		}
	}
	first := make([]float64, r)
	for k := 1; k <= r; k++ {
		s := 0.0
		for l := k; l <= r; l++ {
			s += ss.ar[l-1]*gamma[l+1-k] + theta[l-1]*psi[l-k]
		}
		first[k-1] = s
	}
	at := func(i, j int) float64 { // 0-based, out of range is 0
		if i >= r || j >= r {
			return 0
		}
		return P[i*r+j]
	}
	for i := r - 1; i >= 1; i-- {
		for j := r - 1; j >= i; j-- {
			v := ss.ar[i]*ss.ar[j]*first[0] + ss.rv[i]*ss.rv[j] + at(i+1, j+1)
			if j+1 < r {
				v += ss.ar[i] * first[j+1]
			}
			if i+1 < r {
				v += ss.ar[j] * first[i+1]
			}
			P[i*r+j] = v
			P[j*r+i] = v
		}
	}
	for j := 0; j < r; j++ {
		P[j] = first[j]
		P[j*r] = first[j]
	}
	return true
}

// kalman runs the filter; its buffers are reused between runs.
type kalman struct {
	ss              *arimaSS
	a, P, P2        []float64 // ARMA state and covariances (r, r×r)
	kgain           []float64
	cK, cW, cT      []float64 // Chandrasekhar gain, W and scratch (r)
	x, xf           []float64 // full state (dim)
	Ps, Pi, Mt, tmp []float64 // full covariances P*, P∞ (dim×dim)
	ms, mi          []float64
	stat            []float64 // stationary covariance of α
	statOK          bool
}

func newKalman(ss *arimaSS) *kalman {
	r, d := ss.r, ss.dim()
	kf := &kalman{ss: ss,
		a: make([]float64, r), P: make([]float64, r*r), P2: make([]float64, r*r), kgain: make([]float64, r),
		stat: make([]float64, r*r),
	}
	kf.x, kf.xf = make([]float64, d), make([]float64, d)
	kf.ms, kf.mi = make([]float64, d), make([]float64, d)
	return kf
}

// chandraInit sets the Chandrasekhar gain K = T P Z' and W = K for the
// stationary P.
func (kf *kalman) chandraInit() {
	ss, r := kf.ss, kf.ss.r
	if kf.cK == nil {
		kf.cK, kf.cW, kf.cT = make([]float64, r), make([]float64, r), make([]float64, r)
	}
	P := kf.stat
	for i := 0; i < r; i++ {
		v := ss.ar[i] * P[0]
		if i+1 < r {
			v += P[(i+1)*r]
		}
		kf.cK[i] = v
	}
	copy(kf.cW, kf.cK)
}

// reset recomputes what depends on the coefficients.
func (kf *kalman) reset() {
	kf.statOK = kf.ss.stationaryCov(kf.stat)
}

func (kf *kalman) fullBuffers() {
	d := kf.ss.dim()
	if kf.Ps == nil {
		kf.Ps, kf.Pi = make([]float64, d*d), make([]float64, d*d)
		kf.Mt, kf.tmp = make([]float64, d*d), make([]float64, d*d)
	}
}

// kfResult is the outcome of a filter run in σ² = 1 units.
type kfResult struct {
	sumLogF, sumV2F float64
	nobs            int
	ok              bool
	x, P            []float64 // predicted state and covariance for period n (when kept)
}

func (r kfResult) sigma2() float64 {
	if r.nobs == 0 {
		return math.NaN()
	}
	return r.sumV2F / float64(r.nobs)
}

// loglik is the Gaussian log-likelihood at innovation variance s2.
func (r kfResult) loglik(s2 float64) float64 {
	if !r.ok || r.nobs == 0 || !(s2 > 0) {
		return math.NaN()
	}
	n := float64(r.nobs)
	return -0.5 * (n*math.Log(2*math.Pi*s2) + r.sumLogF + r.sumV2F/s2)
}

// concentrated is the log-likelihood at the estimated σ².
func (r kfResult) concentrated() float64 { return r.loglik(r.sigma2()) }

const (
	kfConverge = 1e-12 // change in P (relative to F) below which the filter is steady
	kfDiffuse  = 1e-8  // F∞ above which a period is diffuse
)

// run filters y. fitted, when not nil, receives the one-step predictions.
// With keep, the predicted state for period len(y) and its covariance are
// returned in full-state form.
//
// While the last k observations are all known and no diffuse state is
// left, the lagged block of the state is known exactly and the filter runs
// on the ARMA part alone (w(t) = y(t) − δ·L(t) − μ), switching to the
// steady-state gain once P has converged; a missing value or the diffuse
// start runs the exact diffuse filter on the full state (Durbin & Koopman
// 2012 §5.2) until the lagged block is known again.
func (kf *kalman) run(y []float64, fitted []float64, keep bool) kfResult {
	kf.reset()
	res := kfResult{ok: kf.statOK}
	if !kf.statOK {
		return res
	}
	ss := kf.ss
	k, r, n := ss.k, ss.r, len(y)
	start := k
	for t := 0; t < min(k, n); t++ {
		if fitted != nil {
			fitted[t] = math.NaN()
		}
		if math.IsNaN(y[t]) {
			start = -1
		}
	}
	full := false
	diffuse := false
	if start < 0 || n < k {
		full, diffuse = true, k > 0
		kf.initFull()
		start = 0
	} else {
		for i := range kf.a {
			kf.a[i] = 0
		}
		copy(kf.P, kf.stat)
	}
	steady := false
	var Fss float64
	prodF := 1.0
	// Chandrasekhar recursions (Morf, Sidhu & Kailath 1974; Herbst 2015):
	// from the stationary start, P(t+1) − P(t) = W M W' has rank one, so
	// F, the gain K = TPZ' and W, M update in O(r) per period instead of
	// the O(r²) of P. Used for likelihood runs without missing values (a
	// missing value, or keeping the final P, needs P itself).
	chandra := !full && !keep && observed(y[start:]) == n-start
	var cF, cM float64
	if chandra {
		kf.chandraInit()
		cF, cM = kf.stat[0], -1/kf.stat[0]
	}
	for t := start; t < n; t++ {
		v := y[t]
		if !full && math.IsNaN(v) {
			kf.toFull(y, t)
			full, steady = true, false
		}
		if full {
			var ok bool
			diffuse, ok = kf.fullStep(y, t, diffuse, fitted, &res)
			if !ok {
				res.ok = false
				return res
			}
			// Back to the ARMA filter once the lags are known.
			if !diffuse && t+1 < n && t+1 >= k && observed(y[t+1-k:t+1]) == k {
				copy(kf.a, kf.x[k:])
				d := ss.dim()
				for i := 0; i < r; i++ {
					copy(kf.P[i*r:(i+1)*r], kf.Ps[(k+i)*d+k:(k+i)*d+k+r])
				}
				full = false
			}
			continue
		}
		w := v - ss.mu
		for i, d := range ss.delta {
			if d != 0 {
				w -= d * y[t-1-i]
			}
		}
		a := kf.a
		if fitted != nil {
			fitted[t] = v - w + a[0]
		}
		e := w - a[0]
		var F float64
		if chandra && !steady {
			F = cF
			if !(F > 0) {
				res.ok = false
				return res
			}
			K, W, tw := kf.cK, kf.cW, kf.cT
			a0 := a[0]
			for i := 0; i < r-1; i++ {
				a[i] = ss.ar[i]*a0 + a[i+1] + K[i]*e/F
			}
			a[r-1] = ss.ar[r-1]*a0 + K[r-1]*e/F
			g := W[0]
			dF := g * g * cM
			for i := 0; i < r-1; i++ {
				tw[i] = ss.ar[i]*W[0] + W[i+1]
			}
			tw[r-1] = ss.ar[r-1] * W[0]
			mg, gf := cM*g, g/F
			dK := 0.0
			for i := 0; i < r; i++ {
				W[i] = tw[i] - K[i]*gf
				d := tw[i] * mg
				K[i] += d
				if d > dK {
					dK = d
				} else if -d > dK {
					dK = -d
				}
			}
			cF, cM = F+dF, cM*F/(F+dF)
			if math.Abs(dF) < kfConverge*F && dK < kfConverge*F {
				// Steady: the normalised gain of the steady branch.
				steady, Fss = true, cF
				for i := 0; i < r; i++ {
					kf.kgain[i] = K[i]/cF - ss.ar[i]
				}
			}
		} else if steady {
			F = Fss
			a0 := a[0]
			for i := 0; i < r-1; i++ {
				a[i] = ss.ar[i]*(a0+e) + a[i+1] + kf.kgain[i]*e
			}
			a[r-1] = ss.ar[r-1] * (a0 + e)
		} else {
			P, P2 := kf.P, kf.P2
			F = P[0]
			if !(F > 0) {
				res.ok = false
				return res
			}
			// With y observed exactly, the filtered covariance has a zero
			// first row and column, so T adds no φ* terms:
			// P(t+1)ᵢⱼ = Pᵢ₊₁,ⱼ₊₁ − Pᵢ₊₁,₁Pⱼ₊₁,₁/F + RᵢRⱼ.
			kg := kf.kgain
			for i := 0; i < r-1; i++ {
				kg[i] = P[(i+1)*r] / F
			}
			kg[r-1] = 0
			rv := ss.rv
			for i := 0; i < r; i++ {
				ri := rv[i]
				if i == r-1 {
					v := ri * rv[r-1]
					P2[i*r+i] = v
					break
				}
				ci := P[(i+1)*r]
				next := P[(i+1)*r+1 : (i+2)*r]
				for j := i; j < r-1; j++ {
					v := next[j] - ci*kg[j] + ri*rv[j]
					P2[i*r+j] = v
					P2[j*r+i] = v
				}
				v := ri * rv[r-1]
				P2[i*r+r-1] = v
				P2[(r-1)*r+i] = v
			}
			a0 := a[0]
			for i := 0; i < r-1; i++ {
				a[i] = ss.ar[i]*(a0+e) + a[i+1] + kg[i]*e
			}
			a[r-1] = ss.ar[r-1] * (a0 + e)
			if t&7 == 0 {
				// Every 8 periods: has P converged?
				delta := 0.0
				for i, v := range P2[:r*r] {
					if d := v - P[i]; d > delta {
						delta = d
					} else if -d > delta {
						delta = -d
					}
				}
				if delta < kfConverge*F {
					steady, Fss = true, F
				}
			}
			kf.P, kf.P2 = P2, P
		}
		// Σ log F through a running product, flushed before it under- or
		// overflows.
		prodF *= F
		if prodF > 1e250 || prodF < 1e-250 {
			res.sumLogF += math.Log(prodF)
			prodF = 1
		}
		res.sumV2F += e * e / F
		res.nobs++
	}
	res.sumLogF += math.Log(prodF)
	if !full && n >= k {
		// y(n−1) … y(n−k) known: the lag block is exact.
		kf.fullBuffers()
		d := ss.dim()
		for i := 0; i < k; i++ {
			kf.x[i] = y[n-1-i]
		}
		copy(kf.x[k:], kf.a)
		for i := range kf.Ps {
			kf.Ps[i] = 0
		}
		for i := 0; i < r; i++ {
			copy(kf.Ps[(k+i)*d+k:(k+i)*d+k+r], kf.P[i*r:(i+1)*r])
		}
	}
	if math.IsNaN(res.sumV2F) || math.IsInf(res.sumV2F, 0) || math.IsNaN(res.sumLogF) {
		res.ok = false
	}
	if keep {
		res.x = append([]float64(nil), kf.x...)
		res.P = append([]float64(nil), kf.Ps...)
	}
	return res
}

// initFull starts the full filter: lags diffuse, α stationary.
func (kf *kalman) initFull() {
	kf.fullBuffers()
	ss := kf.ss
	k, r, d := ss.k, ss.r, ss.dim()
	for i := range kf.x {
		kf.x[i] = 0
	}
	for i := range kf.Ps {
		kf.Ps[i] = 0
		kf.Pi[i] = 0
	}
	for i := 0; i < k; i++ {
		kf.Pi[i*d+i] = 1
	}
	for i := 0; i < r; i++ {
		copy(kf.Ps[(k+i)*d+k:(k+i)*d+k+r], kf.stat[i*r:(i+1)*r])
	}
}

// toFull moves from the ARMA filter to the full filter at period t, the
// lags known.
func (kf *kalman) toFull(y []float64, t int) {
	kf.fullBuffers()
	ss := kf.ss
	k, r, d := ss.k, ss.r, ss.dim()
	for i := 0; i < k; i++ {
		kf.x[i] = y[t-1-i]
	}
	copy(kf.x[k:], kf.a)
	for i := range kf.Ps {
		kf.Ps[i] = 0
		kf.Pi[i] = 0
	}
	for i := 0; i < r; i++ {
		copy(kf.Ps[(k+i)*d+k:(k+i)*d+k+r], kf.P[i*r:(i+1)*r])
	}
}

// fullStep runs one period of the (exact diffuse) filter on the full state.
func (kf *kalman) fullStep(y []float64, t int, diffuse bool, fitted []float64, res *kfResult) (bool, bool) {
	ss := kf.ss
	k, d := ss.k, ss.dim()
	x, Ps, Pi := kf.x, kf.Ps, kf.Pi
	// Z = (δ, 1, 0…): Z·u for a row/column.
	zdot := func(u []float64, stride int) float64 {
		s := u[k*stride]
		for i, dl := range ss.delta {
			if dl != 0 {
				s += dl * u[i*stride]
			}
		}
		return s
	}
	yhat := zdot(x, 1) + ss.mu
	// M = P Z' (P symmetric: row i dotted with Z).
	for i := 0; i < d; i++ {
		kf.ms[i] = zdot(Ps[i*d:(i+1)*d], 1)
	}
	Fs := zdot(kf.ms, 1)
	Fi := 0.0
	if diffuse {
		for i := 0; i < d; i++ {
			kf.mi[i] = 0
		}
		for i := 0; i < k; i++ {
			s := 0.0
			for j, dl := range ss.delta {
				s += dl * Pi[i*d+j]
			}
			kf.mi[i] = s
		}
		for j, dl := range ss.delta {
			Fi += dl * kf.mi[j]
		}
	}
	v := y[t]
	if fitted != nil {
		fitted[t] = yhat
		if diffuse && Fi > kfDiffuse {
			fitted[t] = math.NaN()
		}
	}
	copy(kf.xf, x)
	if !math.IsNaN(v) {
		e := v - yhat
		switch {
		case diffuse && Fi > kfDiffuse:
			for i := 0; i < d; i++ {
				kf.xf[i] += kf.mi[i] * e / Fi
			}
			for i := 0; i < d; i++ {
				for j := 0; j < d; j++ {
					mi, mj := kf.mi[i], kf.mi[j]
					Pi[i*d+j] -= mi * mj / Fi
					Ps[i*d+j] += mi*mj*Fs/(Fi*Fi) - (kf.ms[i]*mj+mi*kf.ms[j])/Fi
				}
			}
		case Fs > 1e-12:
			for i := 0; i < d; i++ {
				kf.xf[i] += kf.ms[i] * e / Fs
			}
			for i := 0; i < d; i++ {
				for j := 0; j < d; j++ {
					Ps[i*d+j] -= kf.ms[i] * kf.ms[j] / Fs
				}
			}
			res.sumLogF += math.Log(Fs)
			res.sumV2F += e * e / Fs
			res.nobs++
		case Fs < -1e-9:
			return diffuse, false
		}
	}
	// Predict: x = T xf + c, P = T P T' + R R'.
	ss.applyT(x, kf.xf, 1)
	if k > 0 {
		x[0] += ss.mu
	}
	kf.propagate(Ps, true)
	if diffuse {
		// P∞ lives in the lag block: T maps lags to lags only.
		if !kf.propagateLags(Pi) {
			diffuse = false
			for i := range Pi {
				Pi[i] = 0
			}
		}
	}
	return diffuse, true
}

// propagate sets P = T P T' (+ R R' on the ARMA block when noise).
func (kf *kalman) propagate(P []float64, noise bool) {
	ss := kf.ss
	k, r, d := ss.k, ss.r, ss.dim()
	Mt, row := kf.Mt, kf.tmp[:d]
	// Mt = P T': row j of Mt = T · (row j of P).
	for j := 0; j < d; j++ {
		ss.applyT(Mt[j*d:(j+1)*d], P[j*d:(j+1)*d], 1)
	}
	// P = T Mt: column j = T · (column j of Mt).
	for j := 0; j < d; j++ {
		ss.applyT(row, Mt[j:], d)
		for i := 0; i < d; i++ {
			P[i*d+j] = row[i]
		}
	}
	if noise {
		for i := 0; i < r; i++ {
			for j := 0; j < r; j++ {
				P[(k+i)*d+k+j] += ss.rv[i] * ss.rv[j]
			}
		}
	}
}

// propagateLags sets P = T P T' for a P that is zero outside the lag block
// and reports whether it is still non-zero.
func (kf *kalman) propagateLags(P []float64) bool {
	ss := kf.ss
	k, d := ss.k, ss.dim()
	row := kf.tmp[:k]
	// Row 0 of T on the lag block is δ, row i copies lag i−1.
	for j := 0; j < k; j++ {
		s := 0.0
		for i, dl := range ss.delta {
			if dl != 0 {
				s += dl * P[i*d+j]
			}
		}
		row[j] = s
	}
	// (T P)ᵢⱼ: row 0 = δ·P, row i = P row i−1; then the same on columns.
	for i := k - 1; i >= 1; i-- {
		copy(P[i*d:i*d+k], P[(i-1)*d:(i-1)*d+k])
	}
	copy(P[:k], row)
	big := 0.0
	for i := 0; i < k; i++ {
		r := P[i*d : i*d+k]
		s := 0.0
		for j, dl := range ss.delta {
			if dl != 0 {
				s += dl * r[j]
			}
		}
		copy(r[1:], r[:k-1])
		r[0] = s
		for _, v := range r {
			big = math.Max(big, math.Abs(v))
		}
	}
	return big >= kfDiffuse
}

// forecast returns h point forecasts from the predicted state x and, when
// P is given, their variances (σ² = 1 units).
func (ss *arimaSS) forecast(x, P []float64, h int) ([]float64, []float64) {
	d := ss.dim()
	k := ss.k
	xs := append([]float64(nil), x...)
	nx := make([]float64, d)
	out := make([]float64, h)
	var vars []float64
	var kf *kalman
	if P != nil {
		vars = make([]float64, h)
		kf = &kalman{ss: ss, Mt: make([]float64, d*d), tmp: make([]float64, d)}
		P = append([]float64(nil), P...)
	}
	zdot := func(u []float64, stride int) float64 {
		s := u[k*stride]
		for i, dl := range ss.delta {
			s += dl * u[i*stride]
		}
		return s
	}
	for i := 0; i < h; i++ {
		out[i] = zdot(xs, 1) + ss.mu
		if P != nil {
			s := 0.0
			for a := 0; a < d; a++ {
				s += zdot(P[a*d:(a+1)*d], 1) * zval(ss, a)
			}
			vars[i] = s
			kf.propagate(P, true)
		}
		ss.applyT(nx, xs, 1)
		if k > 0 {
			nx[0] += ss.mu
		}
		xs, nx = nx, xs
	}
	return out, vars
}

// zval is element a of Z = (δ, 1, 0…).
func zval(ss *arimaSS, a int) float64 {
	switch {
	case a < ss.k:
		return ss.delta[a]
	case a == ss.k:
		return 1
	}
	return 0
}
