package forecast

import (
	"fmt"
	"math"
	"strings"
)

// PoissonReg is a count model for intermittent demand with drivers: a
// Poisson GLM log μ(t) = c + Σ β_j x_j(t) on the same driver columns as
// [DynReg], estimated by iteratively reweighted least squares (McCullagh &
// Nelder 1989, ch. 2) on the last Window periods, the effects shrunk
// towards Prior as in DynReg (the prior precision 1/SE² added to the
// Fisher information). Standard errors are scaled by the Pearson
// over-dispersion when it exceeds 1 (quasi-Poisson). Apply keeps β and
// re-estimates only the level c in closed form, c = log(Σy ÷ Σexp(xβ))
// over the window, so rolling backtests follow a changing level.
type PoissonReg struct {
	Drivers []Driver
	Prior   []Effect
	Window  int // periods used for the fit (default 104)
}

// Name returns "poisson".
func (PoissonReg) Name() string { return "poisson" }

type poissonFit struct {
	m       PoissonReg
	cols    [][]float64
	beta    []float64
	c       float64
	n       int
	fitted  []float64
	effects []Effect
}

func (m PoissonReg) window() int {
	if m.Window > 0 {
		return m.Window
	}
	return 104
}

// Fit estimates the model on y (negative values count as 0).
func (m PoissonReg) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	long := len(y)
	for _, d := range m.Drivers {
		long = max(long, len(d.Values))
	}
	f := &poissonFit{m: m, cols: driverMatrix(m.Drivers, long)}
	k := len(f.cols)
	f.beta = make([]float64, k)
	se := make([]float64, k)
	lo := max(0, len(y)-m.window())
	var ts []int
	for t := lo; t < len(y); t++ {
		if !math.IsNaN(y[t]) {
			ts = append(ts, t)
		}
	}
	// Active columns: varying in the window, or given a prior.
	prior := make([]priorTerm, k)
	act := make([]int, 0, k)
	for j, c := range f.cols {
		for _, p := range m.Prior {
			if strings.EqualFold(p.Name, m.Drivers[j].Name) && p.SE > 0 && !math.IsNaN(p.Estimate) && !math.IsInf(p.SE, 0) {
				prior[j] = priorTerm{p.Estimate, p.SE, true}
			}
		}
		mn, mx := math.Inf(1), math.Inf(-1)
		for _, t := range ts {
			mn, mx = math.Min(mn, c[t]), math.Max(mx, c[t])
		}
		if prior[j].ok || mx-mn > 1e-9 {
			act = append(act, j)
		}
	}
	if len(ts) < len(act)+4 {
		// Too few points: priors only.
		kept := act[:0]
		for _, j := range act {
			if prior[j].ok {
				kept = append(kept, j)
			}
		}
		act = kept
	}
	for _, j := range act {
		if prior[j].ok {
			f.beta[j] = prior[j].mean
		}
	}
	f.c = f.level(y)
	p := len(act) + 1
	g := make([]float64, p*p)
	r := make([]float64, p)
	x := make([]float64, p)
	var inv []float64
	phi := 1.0
	for it := 0; it < 30 && len(act) > 0; it++ {
		clear(g)
		clear(r)
		pearson := 0.0
		for _, t := range ts {
			x[0] = 1
			eta := f.c
			for i, j := range act {
				x[i+1] = f.cols[j][t]
				eta += f.beta[j] * x[i+1]
			}
			eta = math.Max(-30, math.Min(30, eta))
			mu := math.Exp(eta)
			v := math.Max(y[t], 0)
			z := eta + (v-mu)/mu
			pearson += (v - mu) * (v - mu) / mu
			for a := 0; a < p; a++ {
				r[a] += mu * x[a] * z
				for b := 0; b < p; b++ {
					g[a*p+b] += mu * x[a] * x[b]
				}
			}
		}
		phi = math.Max(1, pearson/math.Max(1, float64(len(ts)-p)))
		rhs := append([]float64(nil), r...)
		a := append([]float64(nil), g...)
		for i := 0; i < p; i++ {
			a[i*p+i] += 1e-8 * (1 + a[i*p+i])
		}
		for i, j := range act {
			if prior[j].ok {
				w := phi / (prior[j].sd * prior[j].sd) // prior precision on the φ-scaled information
				a[(i+1)*p+i+1] += w
				rhs[i+1] += w * prior[j].mean
			}
		}
		var ok bool
		inv, ok = invSPD(a, p)
		if !ok {
			break
		}
		th := make([]float64, p)
		for a2 := 0; a2 < p; a2++ {
			for b := 0; b < p; b++ {
				th[a2] += inv[a2*p+b] * rhs[b]
			}
		}
		step := math.Abs(th[0] - f.c)
		f.c = math.Max(-30, math.Min(30, th[0]))
		for i, j := range act {
			step = math.Max(step, math.Abs(th[i+1]-f.beta[j]))
			f.beta[j] = math.Max(-20, math.Min(20, th[i+1]))
		}
		if step < 1e-8 {
			break
		}
	}
	if inv != nil {
		for i, j := range act {
			se[j] = math.Sqrt(math.Max(phi*inv[(i+1)*p+i+1], 0))
		}
	}
	f.effects = make([]Effect, k)
	for j := range f.effects {
		e := Effect{Name: m.Drivers[j].Name, Kind: m.Drivers[j].Kind, Estimate: f.beta[j], SE: se[j]}
		if e.Kind == Flag {
			e.Uplift, e.UpliftSE = math.Expm1(e.Estimate), math.Exp(e.Estimate)*e.SE
		}
		f.effects[j] = e
	}
	f.run(y)
	return f, nil
}

// level is the Poisson MLE of c given β over the window.
func (f *poissonFit) level(y []float64) float64 {
	lo := max(0, len(y)-f.m.window())
	var sy, se float64
	for t := lo; t < len(y); t++ {
		if math.IsNaN(y[t]) {
			continue
		}
		sy += math.Max(y[t], 0)
		se += math.Exp(math.Max(-30, math.Min(30, f.xb(t))))
	}
	if se == 0 {
		return 0
	}
	return math.Log(math.Max(sy, 1e-3) / se)
}

func (f *poissonFit) xb(t int) float64 {
	s := 0.0
	for j, c := range f.cols {
		if f.beta[j] != 0 && len(c) > 0 {
			s += f.beta[j] * c[min(t, len(c)-1)]
		}
	}
	return s
}

func (f *poissonFit) mu(t int) float64 {
	return math.Exp(math.Max(-30, math.Min(30, f.c+f.xb(t))))
}

func (f *poissonFit) run(y []float64) {
	f.n = len(y)
	f.fitted = make([]float64, len(y))
	for t := range y {
		f.fitted[t] = f.mu(t)
	}
}

func (f *poissonFit) Predict(h int) []float64 {
	out := make([]float64, h)
	for i := range out {
		out[i] = f.mu(f.n + i)
	}
	return out
}

func (f *poissonFit) InSample() []float64 { return f.fitted }

// Effects returns the estimated driver effects.
func (f *poissonFit) Effects() []Effect { return append([]Effect(nil), f.effects...) }

func (f *poissonFit) Params() string {
	parts := []string{fmt.Sprintf("c=%.3f", f.c)}
	for _, e := range f.effects {
		parts = append(parts, fmt.Sprintf("%s=%.3f±%.3f", e.Name, e.Estimate, e.SE))
	}
	return strings.Join(parts, " ")
}

func (f *poissonFit) Apply(y []float64) Fitted {
	g := *f
	g.c = g.level(y)
	g.run(y)
	return &g
}
