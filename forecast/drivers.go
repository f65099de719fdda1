package forecast

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// DriverKind says how a driver enters a driver model.
type DriverKind int

const (
	// Flag is a promotion indicator or intensity (display, feature,
	// coupon: 0/1 or a share), entered as is; its effect is reported as an
	// uplift exp(β) − 1.
	Flag DriverKind = iota
	// Price is a shelf price, entered as the log relative price
	// log(price ÷ regular price), the regular price being the highest price
	// of the last RegularWindow periods; its coefficient is the price
	// elasticity.
	Price
)

func (k DriverKind) String() string {
	if k == Price {
		return "price"
	}
	return "flag"
}

// MarshalText encodes the kind as "price" or "flag".
func (k DriverKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Driver is one known-in-advance explanatory variable of demand. Values
// holds the past values (aligned with the series) followed by the planned
// ones of the forecast periods: at least len(series) + horizon values. NaN
// is unknown: a missing price repeats the previous one, a missing flag is 0.
type Driver struct {
	Name   string
	Kind   DriverKind
	Values []float64
}

// Effect is an estimated driver effect. Estimate is the coefficient on the
// log(1 + demand) scale (for a Price driver, the elasticity of demand to
// the relative price), SE its standard error; for a Flag driver Uplift =
// exp(Estimate) − 1 is the relative demand increase at full intensity,
// UpliftSE its delta-method standard error. SE 0 means not estimated: the
// driver did not vary in the history and no prior was given.
type Effect struct {
	Name     string     `json:"name"`
	Kind     DriverKind `json:"kind"`
	Estimate float64    `json:"estimate"`
	SE       float64    `json:"se"`
	Uplift   float64    `json:"uplift,omitempty"`
	UpliftSE float64    `json:"uplift_se,omitempty"`
}

// RegularWindow is the number of periods over which the regular price of a
// Price driver is the highest price.
const RegularWindow = 26

// driverMatrix turns drivers into regression columns over n periods
// (log relative prices and flags); unknown values are filled as Driver
// describes.
func driverMatrix(ds []Driver, n int) [][]float64 {
	cols := make([][]float64, len(ds))
	for j, d := range ds {
		c := make([]float64, n)
		switch d.Kind {
		case Price:
			raw := make([]float64, n)
			last := math.NaN()
			for t := range raw {
				v := math.NaN()
				if t < len(d.Values) {
					v = d.Values[t]
				}
				if !(v > 0) || math.IsInf(v, 0) {
					v = last
				}
				raw[t], last = v, v
			}
			// Leading unknown prices take the first known one.
			first := math.NaN()
			for _, v := range raw {
				if !math.IsNaN(v) {
					first = v
					break
				}
			}
			for t := range raw {
				if math.IsNaN(raw[t]) {
					raw[t] = first
				}
			}
			for t := range c {
				if math.IsNaN(raw[t]) {
					continue // no price at all: zero column
				}
				reg := raw[t]
				for k := max(0, t-RegularWindow+1); k < t; k++ {
					reg = math.Max(reg, raw[k])
				}
				c[t] = math.Log(raw[t] / reg)
			}
		default:
			for t := range c {
				if t < len(d.Values) {
					if v := d.Values[t]; !math.IsNaN(v) && !math.IsInf(v, 0) {
						c[t] = math.Max(-1e6, math.Min(1e6, v))
					}
				}
			}
		}
		cols[j] = c
	}
	return cols
}

// DynReg is a dynamic regression for demand with drivers: z = log(1 + y)
// follows
//
//	z(t) = l(t−1) + Σ β_j x_j(t) + Σ γ_k f_k(t) + e(t),   l(t) = l(t−1) + α·ψ(e(t))
//
// with x the driver columns (log relative price, flags), f Fourier season
// terms (when two seasons are observed) and l a local level that follows
// the demand not explained by the drivers (simple exponential smoothing of
// z − xβ, Hyndman et al. 2008 ch. 9). For a given α the one-step errors are
// linear in (β, γ, l(0)), so they are estimated by least squares inside a
// one-dimensional Brent search over α; a Huber reweighting then limits
// the pull of unexplained spikes, and the level update clips errors at 3
// robust standard deviations (ψ) so that such spikes do not lift the
// level. With a Prior (the pooled effects of the series' group, see
// [PoolEffects]) the driver coefficients are shrunk towards it in
// proportion to their precision: a series with little price variation
// takes the group's elasticity. The forecast is exp(ẑ) − 1, the median
// of the log model.
type DynReg struct {
	Drivers []Driver
	Period  int      // season length; ≤ 1 or too short a series: no season terms
	Prior   []Effect // optional, by driver name: Estimate is the prior mean, SE its spread
}

// Name returns "dynreg".
func (DynReg) Name() string { return "dynreg" }

// DynRegFit is a fitted [DynReg].
type DynRegFit struct {
	m       DynReg
	cols    [][]float64 // driver columns then season columns, full length
	nDrv    int
	harm    []float64 // season columns' harmonics (see Fit)
	alpha   float64
	theta   []float64 // coefficients of cols, then l(0)
	se      []float64
	sigma   float64 // robust sd of the one-step errors (log scale)
	smear   float64
	logs    bool // z = log(1+y)
	n       int
	level   float64
	fitted  []float64
	effects []Effect
}

const dynRegMinObs = 8

// Fit estimates the model on y; the drivers must cover y (and the planned
// periods before Predict).
func (m DynReg) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	n := len(y)
	logs := true
	for _, v := range y {
		if v < 0 {
			logs = false
		}
	}
	long := n
	for _, d := range m.Drivers {
		long = max(long, len(d.Values))
	}
	drv := driverMatrix(m.Drivers, long)
	cols := append([][]float64(nil), drv...)
	var harm []float64 // per season column: +k sin, −k cos of harmonic k
	obs := observed(y)
	if m.Period > 1 && obs >= 2*m.Period+dynRegMinObs {
		for k := 1; k <= min(3, m.Period/2); k++ {
			s, c := make([]float64, long), make([]float64, long)
			for t := range s {
				w := 2 * math.Pi * float64(k*t) / float64(m.Period)
				s[t], c[t] = math.Sin(w), math.Cos(w)
			}
			cols = append(cols, s)
			harm = append(harm, float64(k))
			if 2*k != m.Period {
				cols = append(cols, c)
				harm = append(harm, -float64(k))
			}
		}
	}
	f := &DynRegFit{m: m, cols: cols, nDrv: len(drv), logs: logs, harm: harm}
	z := make([]float64, n)
	for t, v := range y {
		z[t] = f.tr(v)
	}
	f.estimate(z)
	f.run(y, z)
	return f, nil
}

func (f *DynRegFit) tr(v float64) float64 {
	if math.IsNaN(v) || !f.logs {
		return v
	}
	return math.Log1p(v)
}

func (f *DynRegFit) inv(z float64) float64 {
	if !f.logs {
		return z
	}
	return math.Expm1(math.Min(z, 700))*f.smear + (f.smear - 1)
}

// active reports which columns vary over the observed periods (others
// cannot be told apart from the level), and prior precision for driver
// columns.
func (f *DynRegFit) active(z []float64) []bool {
	act := make([]bool, len(f.cols))
	for j, c := range f.cols {
		lo, hi := math.Inf(1), math.Inf(-1)
		for t, v := range z {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, c[t]), math.Max(hi, c[t])
			}
		}
		act[j] = hi-lo > 1e-9
	}
	return act
}

// normal accumulates the weighted normal equations of the one-step errors
// for smoothing constant a: the k regressor columns (active ones) and the
// initial level. It returns the Gram matrix, the right-hand side, the
// total weighted square of z's own filtered errors and the count.
type dynSystem struct {
	k     int
	g     []float64 // (k+1)² Gram
	r     []float64 // k+1
	zz    float64
	count int
}

func (f *DynRegFit) system(z []float64, a float64, act []bool, w []float64, sys *dynSystem, keepE [][]float64) {
	idx := make([]int, 0, len(f.cols))
	for j, on := range act {
		if on {
			idx = append(idx, j)
		}
	}
	k := len(idx) + 1 // + initial level
	sys.k = k
	sys.g = make([]float64, k*k)
	sys.r = make([]float64, k)
	sys.zz, sys.count = 0, 0
	L := make([]float64, k+1) // level parts: regressors, initial level, z
	L[k-1] = 1
	E := make([]float64, k+1)
	for t, v := range z {
		if math.IsNaN(v) {
			continue
		}
		for i, j := range idx {
			E[i] = f.cols[j][t] - L[i]
		}
		E[k-1] = -L[k-1]
		E[k] = v - L[k]
		for i := range E {
			L[i] += a * E[i]
		}
		// Regressor of l(0) is −E_d (see the derivation in DynReg's doc).
		E[k-1] = -E[k-1]
		wt := 1.0
		if w != nil {
			wt = w[t]
		}
		for i := 0; i < k; i++ {
			ei := wt * E[i]
			sys.r[i] += ei * E[k]
			row := sys.g[i*k:]
			for j := 0; j <= i; j++ {
				row[j] += ei * E[j]
			}
		}
		sys.zz += wt * E[k] * E[k]
		sys.count++
		if keepE != nil {
			keepE[t] = append(keepE[t][:0], E...)
		}
	}
	for i := 0; i < k; i++ {
		for j := 0; j < i; j++ {
			sys.g[j*k+i] = sys.g[i*k+j]
		}
	}
}

// solve returns θ and the weighted SSE for the system with the ridge
// terms pen (added to the diagonal) and prior means pm (pen·pm added to
// the right-hand side).
func (sys *dynSystem) solve(pen, pm []float64) ([]float64, []float64, float64, bool) {
	k := sys.k
	a := append([]float64(nil), sys.g...)
	b := append([]float64(nil), sys.r...)
	scale := 0.0
	for i := 0; i < k; i++ {
		scale = math.Max(scale, a[i*k+i])
	}
	for i := 0; i < k; i++ {
		a[i*k+i] += 1e-10*scale + 1e-12
		if pen != nil {
			a[i*k+i] += pen[i]
			b[i] += pen[i] * pm[i]
		}
	}
	inv, ok := invSPD(a, k)
	if !ok {
		return nil, nil, math.Inf(1), false
	}
	th := make([]float64, k)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			th[i] += inv[i*k+j] * b[j]
		}
	}
	// SSE = zz − 2θ'r + θ'Gθ.
	sse := sys.zz
	for i := 0; i < k; i++ {
		sse -= 2 * th[i] * sys.r[i]
		for j := 0; j < k; j++ {
			sse += th[i] * sys.g[i*k+j] * th[j]
		}
	}
	diag := make([]float64, k)
	for i := range diag {
		diag[i] = inv[i*k+i]
	}
	return th, diag, math.Max(sse, 0), true
}

// invSPD inverts a symmetric positive definite k×k matrix by Cholesky.
func invSPD(a []float64, k int) ([]float64, bool) {
	l := make([]float64, k*k)
	for i := 0; i < k; i++ {
		for j := 0; j <= i; j++ {
			s := a[i*k+j]
			for p := 0; p < j; p++ {
				s -= l[i*k+p] * l[j*k+p]
			}
			if i == j {
				if !(s > 0) {
					return nil, false
				}
				l[i*k+i] = math.Sqrt(s)
			} else {
				l[i*k+j] = s / l[j*k+j]
			}
		}
	}
	inv := make([]float64, k*k)
	col := make([]float64, k)
	for c := 0; c < k; c++ {
		for i := range col {
			col[i] = 0
		}
		col[c] = 1
		for i := 0; i < k; i++ { // L u = e_c
			s := col[i]
			for p := 0; p < i; p++ {
				s -= l[i*k+p] * col[p]
			}
			col[i] = s / l[i*k+i]
		}
		for i := k - 1; i >= 0; i-- { // L' x = u
			s := col[i]
			for p := i + 1; p < k; p++ {
				s -= l[p*k+i] * col[p]
			}
			col[i] = s / l[i*k+i]
		}
		for i := 0; i < k; i++ {
			inv[i*k+c] = col[i]
		}
	}
	for _, v := range inv {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, false
		}
	}
	return inv, true
}

func (f *DynRegFit) estimate(z []float64) {
	nc := len(f.cols)
	f.theta = make([]float64, nc+1)
	f.se = make([]float64, nc)
	f.alpha = 0.1
	f.theta[nc] = nanMean(z)
	act := f.active(z)
	prior := f.priorFor()
	// With a prior, driver columns stay in even without variation (their
	// effect is the prior's).
	for j := 0; j < f.nDrv; j++ {
		if prior[j].ok {
			act[j] = true
		}
	}
	obs := observed(z)
	nAct := 0
	for _, on := range act {
		if on {
			nAct++
		}
	}
	// Too few observations for the regressors: drop season terms, then
	// drivers without a prior.
	for j := nc - 1; j >= 0 && obs < nAct+1+dynRegMinObs; j-- {
		if act[j] && !(j < f.nDrv && prior[j].ok) {
			act[j] = false
			nAct--
		}
	}
	var sys dynSystem
	sse := func(a float64) float64 {
		f.system(z, a, act, nil, &sys, nil)
		_, _, s, ok := sys.solve(nil, nil)
		if !ok {
			return math.Inf(1)
		}
		return s
	}
	// Unpenalised profile search: zero-variance columns are already out;
	// columns kept only for their prior get a weak ridge through solve's
	// jitter, which does not move the level.
	a, _ := brentMin(sse, 0.005, 0.95, 1e-3, 30)
	f.alpha = a
	// Huber reweighting at the chosen α (two passes).
	keep := make([][]float64, len(z))
	var w []float64
	var th, diag []float64
	var s2 float64
	pen, pm := f.penalty(act, prior, 0)
	for pass := 0; pass < 3; pass++ {
		f.system(z, a, act, w, &sys, keep)
		var ok bool
		var sw float64
		th, diag, sw, ok = sys.solve(pen, pm)
		if !ok {
			th, diag, sw, ok = sys.solve(nil, nil)
			if !ok {
				return
			}
		}
		s2 = sw / math.Max(1, float64(sys.count-sys.k))
		if pass == 2 {
			break
		}
		// Robust scale of the residuals, Huber weights (k = 2).
		res := make([]float64, 0, sys.count)
		rt := make([]float64, len(z))
		for t, e := range keep {
			if e == nil || math.IsNaN(z[t]) {
				continue
			}
			r := e[len(e)-1]
			for i := 0; i < sys.k; i++ {
				r -= th[i] * e[i]
			}
			rt[t] = r
			res = append(res, math.Abs(r))
		}
		sc := 1.4826 * median(res)
		if !(sc > 0) {
			break
		}
		f.sigma = sc
		if w == nil {
			w = make([]float64, len(z))
		}
		for t := range z {
			w[t] = 1
			if u := math.Abs(rt[t]) / sc; u > 2 {
				w[t] = 2 / u
			}
		}
		pen, pm = f.penalty(act, prior, s2)
	}
	i := 0
	for j, on := range act {
		if on {
			f.theta[j] = th[i]
			f.se[j] = math.Sqrt(math.Max(s2*diag[i], 0))
			i++
		}
	}
	f.theta[nc] = th[sys.k-1]
	if !(f.sigma > 0) {
		f.sigma = math.Sqrt(s2)
	}
}

type priorTerm struct {
	mean, sd float64
	ok       bool
}

func (f *DynRegFit) priorFor() []priorTerm {
	out := make([]priorTerm, len(f.cols))
	for j := 0; j < f.nDrv; j++ {
		for _, p := range f.m.Prior {
			if strings.EqualFold(p.Name, f.m.Drivers[j].Name) && p.SE > 0 && !math.IsNaN(p.Estimate) && !math.IsInf(p.SE, 0) {
				out[j] = priorTerm{p.Estimate, p.SE, true}
			}
		}
	}
	return out
}

// penalty returns the ridge terms σ²/τ² and prior means over the active
// columns and the initial level (no penalty). s2 = 0: no penalty yet
// except for columns that only the prior identifies.
func (f *DynRegFit) penalty(act []bool, prior []priorTerm, s2 float64) ([]float64, []float64) {
	var pen, pm []float64
	for j, on := range act {
		if !on {
			continue
		}
		p, m := 0.0, 0.0
		if prior[j].ok {
			v := s2
			if v == 0 {
				v = 1e-4
			}
			p, m = v/(prior[j].sd*prior[j].sd), prior[j].mean
		}
		pen, pm = append(pen, p), append(pm, m)
	}
	return append(pen, 0), append(pm, 0)
}

// run filters y with the estimated coefficients: level, fitted values,
// smearing factor and effects.
func (f *DynRegFit) run(y, z []float64) {
	nc := len(f.cols)
	f.n = len(y)
	f.fitted = nans(len(y))
	l := f.theta[nc]
	clip := 3 * f.sigma
	if !(clip > 0) {
		clip = math.Inf(1)
	}
	for t, v := range z {
		x := f.reg(t)
		if math.IsNaN(v) {
			continue
		}
		p := l + x
		e := v - p
		f.fitted[t] = p // log scale for now
		l += f.alpha * math.Max(-clip, math.Min(clip, e))
	}
	f.level = l
	// The forecast is the median exp(ẑ) − 1: a smearing factor mean(exp(e))
	// (the mean under the log transform) over-forecast every normal week on
	// retail data, whose log errors are skewed by unexplained spikes
	// (orange_juice: RMSSE 0.370, bias +0.23 with it; 0.332, +0.09 without).
	f.smear = 1
	for t, p := range f.fitted {
		if !math.IsNaN(p) {
			f.fitted[t] = f.inv(p)
		}
	}
	f.effects = make([]Effect, f.nDrv)
	for j := 0; j < f.nDrv; j++ {
		e := Effect{Name: f.m.Drivers[j].Name, Kind: f.m.Drivers[j].Kind, Estimate: f.theta[j], SE: f.se[j]}
		if e.Kind == Flag {
			e.Uplift = math.Expm1(e.Estimate)
			e.UpliftSE = math.Exp(e.Estimate) * e.SE
		}
		f.effects[j] = e
	}
}

// col is regression column j at period t: season terms continue beyond
// the columns, drivers repeat their last value.
func (f *DynRegFit) col(j, t int) float64 {
	c := f.cols[j]
	if t < len(c) {
		return c[t]
	}
	if j >= f.nDrv {
		k := f.harm[j-f.nDrv]
		w := 2 * math.Pi * math.Abs(k) * float64(t) / float64(f.m.Period)
		if k > 0 {
			return math.Sin(w)
		}
		return math.Cos(w)
	}
	if len(c) == 0 {
		return 0
	}
	return c[len(c)-1]
}

func (f *DynRegFit) reg(t int) float64 {
	s := 0.0
	for j, c := range f.cols {
		if t < len(c) && f.theta[j] != 0 {
			s += f.theta[j] * c[t]
		}
	}
	return s
}

// Predict forecasts h periods after the series, with the planned driver
// values (drivers shorter than the forecast repeat their last value).
func (f *DynRegFit) Predict(h int) []float64 {
	out := make([]float64, h)
	for i := range out {
		t := f.n + i
		x := 0.0
		for j := range f.cols {
			if f.theta[j] != 0 {
				x += f.theta[j] * f.col(j, t)
			}
		}
		v := f.inv(f.level + x)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		out[i] = v
	}
	return out
}

// InSample returns the one-step fitted values.
func (f *DynRegFit) InSample() []float64 { return f.fitted }

// Effects returns the estimated driver effects in the order of the drivers.
func (f *DynRegFit) Effects() []Effect { return append([]Effect(nil), f.effects...) }

// Params summarises α and the effects.
func (f *DynRegFit) Params() string {
	parts := []string{fmt.Sprintf("alpha=%.3f", f.alpha)}
	for _, e := range f.effects {
		parts = append(parts, fmt.Sprintf("%s=%.3f±%.3f", e.Name, e.Estimate, e.SE))
	}
	return strings.Join(parts, " ")
}

// Apply runs the same coefficients on another series starting at the same
// period.
func (f *DynRegFit) Apply(y []float64) Fitted {
	g := *f
	z := make([]float64, len(y))
	for t, v := range y {
		z[t] = f.tr(v)
	}
	g.run(y, z)
	return &g
}

// EffectsFitted is a fitted model that estimated driver effects.
type EffectsFitted interface {
	Fitted
	Effects() []Effect
}

// PoolEffects combines the effects estimated on the series of a group
// (e.g. all products of a category, each fitted without a prior) into a
// prior for [DynReg.Prior]: per driver, the random-effects mean
// (DerSimonian & Laird 1986: precision-weighted, with the between-series
// variance τ² estimated by moments) as Estimate and τ as SE (at least
// minSD, so that no series is forced onto the mean). Effects with a zero
// SE (not estimated) do not count.
func PoolEffects(per [][]Effect, minSD float64) []Effect {
	type acc struct {
		kind DriverKind
		b, s []float64
	}
	by := map[string]*acc{}
	var order []string
	for _, es := range per {
		for _, e := range es {
			if !(e.SE > 0) || math.IsInf(e.SE, 0) || math.IsNaN(e.Estimate) || math.IsNaN(e.SE) {
				continue
			}
			a := by[e.Name]
			if a == nil {
				a = &acc{kind: e.Kind}
				by[e.Name] = a
				order = append(order, e.Name)
			}
			a.b, a.s = append(a.b, e.Estimate), append(a.s, e.SE)
		}
	}
	var out []Effect
	for _, name := range order {
		a := by[name]
		k := len(a.b)
		var sw, swb, sw2 float64
		for i := range a.b {
			w := 1 / (a.s[i] * a.s[i])
			sw += w
			swb += w * a.b[i]
			sw2 += w * w
		}
		fe := swb / sw
		q := 0.0
		for i := range a.b {
			q += (a.b[i] - fe) * (a.b[i] - fe) / (a.s[i] * a.s[i])
		}
		tau2 := 0.0
		if k > 1 {
			tau2 = math.Max(0, (q-float64(k-1))/(sw-sw2/sw))
		}
		var rw, rwb float64
		for i := range a.b {
			w := 1 / (a.s[i]*a.s[i] + tau2)
			rw += w
			rwb += w * a.b[i]
		}
		out = append(out, Effect{Name: name, Kind: a.kind, Estimate: rwb / rw, SE: math.Max(math.Sqrt(tau2), minSD)})
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
