package forecast

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoData is returned by Fit when a series has no observed value.
var ErrNoData = errors.New("forecast: series has no observed values")

// Model is a forecasting method with its settings. Fit estimates it on y,
// whose NaN values are missing periods, and returns the fitted model. Fit
// does not keep y.
type Model interface {
	Name() string
	Fit(y []float64) (Fitted, error)
}

// Fitted is a model estimated on a series.
type Fitted interface {
	// Predict returns the point forecasts of the next h periods after the
	// series the model was fitted or applied to.
	Predict(h int) []float64
	// InSample returns the one-step-ahead fitted values: element i predicts
	// y[i] from y[:i]. It is NaN where the model has no prediction yet.
	InSample() []float64
	// Params summarises the estimated parameters, e.g. "alpha=0.12".
	Params() string
	// Apply runs the model with the same parameters (and initial states) on
	// another series starting at the same period, typically a prefix or an
	// extension of the one it was fitted on, without re-estimating. Rolling
	// origin backtests use it.
	Apply(y []float64) Fitted
}

// observed reports the number of non-NaN values of y.
func observed(y []float64) int {
	n := 0
	for _, v := range y {
		if !math.IsNaN(v) {
			n++
		}
	}
	return n
}

func nanMean(y []float64) float64 {
	s, n := 0.0, 0
	for _, v := range y {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

func nans(n int) []float64 {
	f := make([]float64, n)
	for i := range f {
		f[i] = math.NaN()
	}
	return f
}

func constant(v float64, h int) []float64 {
	f := make([]float64, h)
	for i := range f {
		f[i] = v
	}
	return f
}

// Naive forecasts the last observed value: ŷ(T+h|T) = y(T) (FPP3 §5.2).
type Naive struct{}

// Name returns "naive".
func (Naive) Name() string { return "naive" }

// Fit returns the naive model of y.
func (Naive) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	return SeasonalNaive{Period: 1}.fit(y), nil
}

// SeasonalNaive forecasts the last observed value of the same season:
// ŷ(T+h|T) = y(T+h−m(k+1)), k = ⌊(h−1)/m⌋ (FPP3 §5.2). Missing values fall
// back to the previous season, then to the last observed value. Period ≤ 1
// is the naive method.
type SeasonalNaive struct{ Period int }

// Name returns "snaive" (or "naive" when Period ≤ 1).
func (m SeasonalNaive) Name() string {
	if m.Period <= 1 {
		return "naive"
	}
	return "snaive"
}

// Fit returns the seasonal naive model of y.
func (m SeasonalNaive) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	return m.fit(y), nil
}

func (m SeasonalNaive) fit(y []float64) *snaiveFit {
	p := max(m.Period, 1)
	f := &snaiveFit{period: p, last: make([]float64, p), fitted: nans(len(y))}
	for i := range f.last {
		f.last[i] = math.NaN()
	}
	lastAny := math.NaN()
	for i, v := range y {
		s := f.last[i%p]
		if math.IsNaN(s) {
			s = lastAny
		}
		f.fitted[i] = s
		if !math.IsNaN(v) {
			f.last[i%p] = v
			lastAny = v
		}
	}
	f.n = len(y)
	f.lastAny = lastAny
	return f
}

type snaiveFit struct {
	period  int
	n       int
	last    []float64 // last observed value of each season position
	lastAny float64
	fitted  []float64
}

func (f *snaiveFit) Predict(h int) []float64 {
	out := make([]float64, h)
	for i := range out {
		v := f.last[(f.n+i)%f.period]
		if math.IsNaN(v) {
			v = f.lastAny
		}
		if math.IsNaN(v) {
			v = 0
		}
		out[i] = v
	}
	return out
}

func (f *snaiveFit) InSample() []float64 { return f.fitted }
func (f *snaiveFit) Params() string      { return fmt.Sprintf("m=%d", f.period) }
func (f *snaiveFit) Apply(y []float64) Fitted {
	return SeasonalNaive{Period: f.period}.fit(y)
}

// MovingAverage forecasts the mean of the last Window observed values:
// ŷ(T+h|T) = (1/k) Σ_{j<k} y(T−j) (FPP3 §3.3). A zero Window is chosen
// among 2…min(24, n/2) by the smallest in-sample squared one-step error.
type MovingAverage struct{ Window int }

// Name returns "ma".
func (MovingAverage) Name() string { return "ma" }

// Fit returns the moving average of y.
func (m MovingAverage) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	if m.Window > 0 {
		return maFit(y, m.Window), nil
	}
	best, bestSSE := 2, math.Inf(1)
	hi := min(24, max(2, observed(y)/2))
	for k := 2; k <= hi; k++ {
		f := maFit(y, k)
		if s := sse(y, f.fitted); s < bestSSE {
			best, bestSSE = k, s
		}
	}
	return maFit(y, best), nil
}

func maFit(y []float64, k int) *movingAverageFit {
	f := &movingAverageFit{window: k, fitted: nans(len(y))}
	buf := make([]float64, 0, k)
	sum := 0.0
	for i, v := range y {
		if len(buf) > 0 {
			f.fitted[i] = sum / float64(len(buf))
		}
		if math.IsNaN(v) {
			continue
		}
		if len(buf) == k {
			sum -= buf[0]
			buf = buf[1:]
		}
		buf = append(buf, v)
		sum += v
	}
	f.level = 0
	if len(buf) > 0 {
		f.level = sum / float64(len(buf))
	}
	return f
}

type movingAverageFit struct {
	window int
	level  float64
	fitted []float64
}

func (f *movingAverageFit) Predict(h int) []float64 { return constant(f.level, h) }
func (f *movingAverageFit) InSample() []float64     { return f.fitted }
func (f *movingAverageFit) Params() string {
	if f.window == 0 {
		return "all observations"
	}
	return fmt.Sprintf("window=%d", f.window)
}
func (f *movingAverageFit) Apply(y []float64) Fitted {
	if f.window == 0 {
		return meanFit(y)
	}
	return maFit(y, f.window)
}

// sse is the sum of squared one-step errors where both y and the fitted
// value are known.
func sse(y, fitted []float64) float64 {
	s := 0.0
	for i, v := range y {
		if math.IsNaN(v) || math.IsNaN(fitted[i]) {
			continue
		}
		d := v - fitted[i]
		s += d * d
	}
	return s
}

// Mean forecasts the mean of all observed values (the average method,
// FPP3 §5.2): ŷ(T+h|T) = (1/T) Σ y(t).
type Mean struct{}

// Name returns "mean".
func (Mean) Name() string { return "mean" }

// Fit returns the average of y.
func (Mean) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	return meanFit(y), nil
}

func meanFit(y []float64) *movingAverageFit {
	f := &movingAverageFit{window: 0, fitted: nans(len(y))}
	s, n := 0.0, 0
	for i, v := range y {
		if n > 0 {
			f.fitted[i] = s / float64(n)
		}
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n > 0 {
		f.level = s / float64(n)
	}
	return f
}
