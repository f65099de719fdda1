package forecast

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// VarianceForecaster is a fitted model with its own forecast error
// variance ([ARIMAFit]); the empirical, backtest-based quantiles of
// [Forecast] do not need it, but it gives model-based intervals.
type VarianceForecaster interface {
	Fitted
	// PredictVariance returns the variance of the forecast errors of the
	// next h periods.
	PredictVariance(h int) []float64
}

var _ VarianceForecaster = (*ARIMAFit)(nil)

// ARIMAOrder is the order of a seasonal ARIMA(p,d,q)(P,D,Q)m model.
type ARIMAOrder struct {
	P, D, Q    int // non-seasonal AR order p, differences d, MA order q
	SP, SD, SQ int // seasonal AR order P, seasonal differences D, seasonal MA order Q
	Period     int // season length m; the seasonal part is ignored when ≤ 1
}

// seasonal reports whether the seasonal part is used.
func (o ARIMAOrder) seasonal() bool { return o.Period > 1 }

// norm drops the seasonal part when there is no season.
func (o ARIMAOrder) norm() ARIMAOrder {
	if !o.seasonal() {
		o.SP, o.SD, o.SQ, o.Period = 0, 0, 0, 0
	}
	return o
}

// String formats the order as ARIMA(p,d,q) or ARIMA(p,d,q)(P,D,Q)m.
func (o ARIMAOrder) String() string {
	o = o.norm()
	s := fmt.Sprintf("ARIMA(%d,%d,%d)", o.P, o.D, o.Q)
	if o.seasonal() {
		s += fmt.Sprintf("(%d,%d,%d)%d", o.SP, o.SD, o.SQ, o.Period)
	}
	return s
}

func (o ARIMAOrder) validate() error {
	if o.P < 0 || o.D < 0 || o.Q < 0 || o.SP < 0 || o.SD < 0 || o.SQ < 0 {
		return fmt.Errorf("forecast: %s: orders must not be negative", o)
	}
	if o.D > 2 || o.SD > 1 {
		return fmt.Errorf("forecast: %s: at most 2 differences and 1 seasonal difference", o)
	}
	if o.P+o.Q > 10 || o.SP+o.SQ > 4 || o.Period > 366 {
		return fmt.Errorf("forecast: %s: orders too large", o)
	}
	return nil
}

// ARIMAParams are the coefficients of a seasonal ARIMA model
//
//	φ(L)Φ(Lᵐ)(w(t) − μ) = θ(L)Θ(Lᵐ)ε(t),  w(t) = (1−L)ᵈ(1−Lᵐ)ᴰ y(t),
//	φ(L) = 1 − φ₁L − … − φₚLᵖ,  θ(L) = 1 + θ₁L + … + θ_qL^q,
//
// (and Φ, Θ alike in Lᵐ), ε white noise of variance Sigma2: the sign
// convention of statsmodels' SARIMAX and R's arima. Mean is μ, the mean of
// the differenced series: the level when d = D = 0, the drift per period
// when d = 1, the drift per season when D = 1 (zero unless the model has a
// constant).
type ARIMAParams struct {
	AR, MA   []float64 // φ₁…φₚ, θ₁…θ_q
	SAR, SMA []float64 // Φ₁…Φ_P, Θ₁…Θ_Q
	Mean     float64
	Sigma2   float64
}

func (p ARIMAParams) clone() ARIMAParams {
	c := p
	c.AR = append([]float64(nil), p.AR...)
	c.MA = append([]float64(nil), p.MA...)
	c.SAR = append([]float64(nil), p.SAR...)
	c.SMA = append([]float64(nil), p.SMA...)
	return c
}

func (p ARIMAParams) format(o ARIMAOrder, constant bool) string {
	var b strings.Builder
	b.WriteString(o.String())
	put := func(name string, v []float64) {
		for i, x := range v {
			fmt.Fprintf(&b, " %s%d=%.3g", name, i+1, x)
		}
	}
	put("ar", p.AR)
	put("ma", p.MA)
	put("sar", p.SAR)
	put("sma", p.SMA)
	if constant {
		name := "mean"
		if o.D+o.SD > 0 {
			name = "drift"
		}
		fmt.Fprintf(&b, " %s=%.4g", name, p.Mean)
	}
	fmt.Fprintf(&b, " sigma2=%.4g", p.Sigma2)
	return b.String()
}

// ARIMA is a seasonal ARIMA(p,d,q)(P,D,Q)m model (Box & Jenkins; FPP3 §9)
// estimated by exact maximum likelihood: the Kalman filter on the state
// space form gives the exact Gaussian likelihood, with the initial
// differencing states diffuse (exact diffuse initialisation, Durbin &
// Koopman 2012 §5) and the ARMA states from their stationary distribution.
// The log-likelihood is that of the differenced series, the convention of
// R's arima and of statsmodels' SARIMAX with simple_differencing. Missing
// values (NaN) are skipped by the filter. The coefficients are kept
// stationary and invertible by the Jones (1980) / Monahan (1984)
// reparameterisation through partial autocorrelations, as statsmodels does;
// the conditional sum of squares fit gives the starting values, as R's
// "CSS-ML" does. σ² is concentrated out of the likelihood.
type ARIMA struct {
	Order ARIMAOrder
	// Constant estimates μ (a mean when d + D = 0, a drift when
	// d + D = 1; not allowed beyond).
	Constant bool
	// Fixed skips estimation and uses these parameters (Sigma2 ≤ 0 is
	// estimated from the residuals).
	Fixed *ARIMAParams
}

// Name returns "arima".
func (ARIMA) Name() string { return "arima" }

// Fit estimates the model on y.
func (m ARIMA) Fit(y []float64) (Fitted, error) {
	return m.fit(y)
}

func (m ARIMA) fit(y []float64) (*ARIMAFit, error) {
	o := m.Order.norm()
	if err := o.validate(); err != nil {
		return nil, err
	}
	if m.Constant && o.D+o.SD > 1 {
		return nil, fmt.Errorf("forecast: %s: a constant needs d + D ≤ 1", o)
	}
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	if m.Fixed != nil {
		p := *m.Fixed
		if len(p.AR) != o.P || len(p.MA) != o.Q || len(p.SAR) != o.SP || len(p.SMA) != o.SQ {
			return nil, fmt.Errorf("forecast: %s: fixed parameters have the wrong number of coefficients", o)
		}
		f := newARIMAFit(o, m.Constant, p.clone(), y)
		if f.nobs == 0 || math.IsNaN(f.LogLik) {
			return nil, fmt.Errorf("forecast: %s: no likelihood (too few observations or invalid parameters)", o)
		}
		return f, nil
	}
	k := o.D + o.SD*o.Period
	if observed(y) <= k+o.P+o.Q+o.SP+o.SQ+1 {
		return nil, fmt.Errorf("forecast: %s needs more than %d observations, got %d", o, k+o.P+o.Q+o.SP+o.SQ+1, observed(y))
	}
	p, err := estimateARIMA(o, m.Constant, y, false)
	if err != nil {
		return nil, fmt.Errorf("forecast: fit %s: %w", o, err)
	}
	return newARIMAFit(o, m.Constant, p, y), nil
}

// ARIMAFit is a fitted seasonal ARIMA model.
type ARIMAFit struct {
	Order    ARIMAOrder
	Constant bool
	Estimate ARIMAParams // estimated (or fixed) coefficients
	// LogLik is the exact Gaussian log-likelihood of the differenced
	// series at Estimate; NObs the number of its observations (observed
	// points after the d + D·m diffuse ones); AICc the corrected Akaike
	// criterion with p + q + P + Q + constant + 1 parameters.
	LogLik, AICc float64
	NObs         int

	ss     arimaSS
	n      int
	nobs   int
	x      []float64 // state predicted for period n
	P      []float64 // its covariance (σ² = 1 units)
	fitted []float64
}

func newARIMAFit(o ARIMAOrder, constant bool, p ARIMAParams, y []float64) *ARIMAFit {
	f := &ARIMAFit{Order: o, Constant: constant, Estimate: p, n: len(y), fitted: make([]float64, len(y))}
	if !constant {
		f.Estimate.Mean = 0
	}
	f.ss = newARIMASS(o, &f.Estimate)
	kf := newKalman(&f.ss)
	res := kf.run(y, f.fitted, true)
	f.x, f.P = res.x, res.P
	f.nobs = res.nobs
	f.NObs = res.nobs
	s2 := res.sigma2()
	if f.Estimate.Sigma2 <= 0 {
		f.Estimate.Sigma2 = s2
	}
	f.LogLik = res.loglik(f.Estimate.Sigma2)
	f.AICc = aicc(f.LogLik, o.P+o.Q+o.SP+o.SQ+b2i(constant)+1, f.nobs)
	return f
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// aicc is the corrected AIC of a fit with k parameters on n observations.
func aicc(ll float64, k, n int) float64 {
	if n-k-1 <= 0 {
		return math.Inf(1)
	}
	return -2*ll + 2*float64(k) + 2*float64(k*(k+1))/float64(n-k-1)
}

// Predict returns the minimum mean square error forecasts of the next h
// periods.
func (f *ARIMAFit) Predict(h int) []float64 {
	out, _ := f.ss.forecast(f.x, nil, h)
	return out
}

// PredictVariance returns the variance of the forecast errors of the next
// h periods (the Kalman filter's forecast variance: σ² times the sum of
// squared ψ-weights once the filter has converged, FPP3 §9.8).
func (f *ARIMAFit) PredictVariance(h int) []float64 {
	_, v := f.ss.forecast(f.x, f.P, h)
	for i := range v {
		v[i] *= f.Estimate.Sigma2
	}
	return v
}

// Quantile returns the p-quantile (0 < p < 1) of the Gaussian forecast
// distribution of each of the next h periods.
func (f *ARIMAFit) Quantile(h int, p float64) []float64 {
	mean := f.Predict(h)
	v := f.PredictVariance(h)
	z := distuv.UnitNormal.Quantile(p)
	for i := range mean {
		mean[i] += z * math.Sqrt(math.Max(v[i], 0))
	}
	return mean
}

// InSample returns the one-step-ahead predictions; NaN for the first
// d + D·m periods, whose prediction depends on the diffuse initial values.
func (f *ARIMAFit) InSample() []float64 { return f.fitted }

// Params summarises the order and coefficients.
func (f *ARIMAFit) Params() string { return f.Estimate.format(f.Order, f.Constant) }

// Apply runs the model with the same coefficients on y.
func (f *ARIMAFit) Apply(y []float64) Fitted {
	return newARIMAFit(f.Order, f.Constant, f.Estimate, y)
}
