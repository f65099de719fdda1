package forecast

import (
	"fmt"
	"math"
)

// LinReg is ordinary least squares on a linear trend and season dummies
// (FPP3 §7.4), the tutorial's model:
//
//	y(t) = β₀ + β₁t + Σ_{d=1}^{m−1} c_d·[t mod m = d] + ε(t),  t = 0, 1, …
//
// Missing points are left out of the regression. Period ≤ 1 fits the trend
// only. Forecasts extrapolate the trend and repeat the season pattern.
type LinReg struct{ Period int }

// Name returns "linreg".
func (LinReg) Name() string { return "linreg" }

// Fit estimates the regression on y.
func (m LinReg) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	p := max(m.Period, 1)
	if observed(y) < p+2 {
		p = 1
	}
	f, err := fitLinReg(y, p)
	if err != nil && p > 1 {
		f, err = fitLinReg(y, 1)
	}
	if err != nil {
		return nil, fmt.Errorf("forecast: linreg: %w", err)
	}
	return f, nil
}

// LinRegFit is a fitted [LinReg]: Coef[0] is the intercept, Coef[1] the
// slope per period and Coef[1+d] the effect of season position d (d ≥ 1).
type LinRegFit struct {
	Period int
	Coef   []float64
	n      int
	fitted []float64
}

func fitLinReg(y []float64, period int) (*LinRegFit, error) {
	k := 2 + period - 1
	rows := observed(y)
	if rows < 2 {
		// One point: a flat line through it.
		c := make([]float64, k)
		c[0] = nanMean(y)
		f := &LinRegFit{Period: period, Coef: c, n: len(y)}
		f.fitted = f.predictRange(0, len(y))
		return f, nil
	}
	coef, err := seasonalTrendOLS(y, period)
	if err != nil {
		return nil, err
	}
	f := &LinRegFit{Period: period, Coef: coef, n: len(y)}
	f.fitted = f.predictRange(0, len(y))
	return f, nil
}

// seasonalTrendOLS solves the least squares problem in closed form, O(n):
// with one intercept aₛ per season position s and a common slope β, the
// normal equations give aₛ = ȳₛ − β t̄ₛ and
// β = Σₛ Σ_{t∈s} (t − t̄ₛ)(y(t) − ȳₛ) / Σₛ Σ_{t∈s} (t − t̄ₛ)², the
// within-position regression; then β₀ = a₀ and c_d = a_d − a₀. It fails
// when a position has no observation or the slope is not identified, as
// the dummy design would be singular.
func seasonalTrendOLS(y []float64, period int) ([]float64, error) {
	sy := make([]float64, period)
	st := make([]float64, period)
	cnt := make([]float64, period)
	for t, v := range y {
		if math.IsNaN(v) {
			continue
		}
		d := t % period
		sy[d] += v
		st[d] += float64(t)
		cnt[d]++
	}
	for d := range cnt {
		if cnt[d] == 0 {
			return nil, fmt.Errorf("least squares: singular design")
		}
		sy[d] /= cnt[d]
		st[d] /= cnt[d]
	}
	var num, den float64
	for t, v := range y {
		if math.IsNaN(v) {
			continue
		}
		d := t % period
		dt := float64(t) - st[d]
		num += dt * (v - sy[d])
		den += dt * dt
	}
	if !(den > 0) {
		return nil, fmt.Errorf("least squares: singular design")
	}
	beta := num / den
	coef := make([]float64, 2+period-1)
	a0 := sy[0] - beta*st[0]
	coef[0], coef[1] = a0, beta
	for d := 1; d < period; d++ {
		coef[1+d] = sy[d] - beta*st[d] - a0
	}
	for _, c := range coef {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return nil, fmt.Errorf("least squares: singular design")
		}
	}
	return coef, nil
}

func (f *LinRegFit) predictRange(from, to int) []float64 {
	out := make([]float64, to-from)
	for t := from; t < to; t++ {
		v := f.Coef[0] + f.Coef[1]*float64(t)
		if d := t % f.Period; d > 0 {
			v += f.Coef[1+d]
		}
		out[t-from] = v
	}
	return out
}

// Predict extrapolates the regression h periods.
func (f *LinRegFit) Predict(h int) []float64 { return f.predictRange(f.n, f.n+h) }

// InSample returns the regression's fitted values.
func (f *LinRegFit) InSample() []float64 { return f.fitted }

// Params reports the slope.
func (f *LinRegFit) Params() string {
	return fmt.Sprintf("intercept=%.3g slope=%.3g m=%d", f.Coef[0], f.Coef[1], f.Period)
}

// Apply re-estimates the regression on y (a regression has no state to
// carry, so the coefficients are refitted by least squares).
func (f *LinRegFit) Apply(y []float64) Fitted {
	g, err := LinReg{Period: f.Period}.Fit(y)
	if err != nil {
		return &LinRegFit{Period: 1, Coef: []float64{0, 0}, n: len(y), fitted: nans(len(y))}
	}
	return g
}
