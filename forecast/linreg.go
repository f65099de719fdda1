package forecast

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
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
	x := mat.NewDense(rows, k, nil)
	b := mat.NewVecDense(rows, nil)
	r := 0
	for t, v := range y {
		if math.IsNaN(v) {
			continue
		}
		x.Set(r, 0, 1)
		x.Set(r, 1, float64(t))
		if d := t % period; d > 0 {
			x.Set(r, 1+d, 1)
		}
		b.SetVec(r, v)
		r++
	}
	var qr mat.QR
	qr.Factorize(x)
	var c mat.VecDense
	if err := qr.SolveVecTo(&c, false, b); err != nil {
		return nil, fmt.Errorf("least squares: %w", err)
	}
	coef := make([]float64, k)
	for i := range coef {
		coef[i] = c.AtVec(i)
		if math.IsNaN(coef[i]) || math.IsInf(coef[i], 0) {
			return nil, fmt.Errorf("least squares: singular design")
		}
	}
	f := &LinRegFit{Period: period, Coef: coef, n: len(y)}
	f.fitted = f.predictRange(0, len(y))
	return f, nil
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
