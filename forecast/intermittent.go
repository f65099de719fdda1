package forecast

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Croston is Croston's method for intermittent demand (Croston 1972;
// Syntetos & Boylan 2005). Non-zero demand sizes z and the intervals q
// between them (in periods) are smoothed separately, only in periods with
// demand:
//
//	z(t) = z(t−1) + α(y(t) − z(t−1)),  p(t) = p(t−1) + α(q(t) − p(t−1)),
//	ŷ(t+h|t) = z(t)/p(t).
//
// The states start at the first demand and the first interval. Missing
// periods are skipped (they do not lengthen the interval). A zero Alpha
// means 0.1.
type Croston struct{ Alpha float64 }

// SBA is the Syntetos–Boylan approximation (Syntetos & Boylan 2005):
// Croston's method with the bias correction ŷ = (1 − α/2)·z/p.
type SBA struct{ Alpha float64 }

// Name returns "croston".
func (Croston) Name() string { return "croston" }

// Name returns "sba".
func (SBA) Name() string { return "sba" }

// Fit estimates Croston's method on y.
func (m Croston) Fit(y []float64) (Fitted, error) { return fitCroston(y, m.Alpha, false) }

// Fit estimates the SBA method on y.
func (m SBA) Fit(y []float64) (Fitted, error) { return fitCroston(y, m.Alpha, true) }

func fitCroston(y []float64, alpha float64, sba bool) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	if alpha == 0 {
		alpha = 0.1
	}
	if alpha < 0 || alpha > 1 {
		return nil, fmt.Errorf("forecast: croston alpha %g outside (0, 1]", alpha)
	}
	return crostonRun(y, alpha, sba), nil
}

type crostonFit struct {
	alpha  float64
	sba    bool
	level  float64 // current forecast
	fitted []float64
}

func crostonRun(y []float64, alpha float64, sba bool) *crostonFit {
	f := &crostonFit{alpha: alpha, sba: sba, fitted: nans(len(y))}
	factor := 1.0
	if sba {
		factor = 1 - alpha/2
	}
	var z, p float64
	started := false
	q := 0 // observed periods since the last demand
	for t, v := range y {
		if started {
			f.fitted[t] = factor * z / p
		}
		if math.IsNaN(v) {
			continue
		}
		q++
		if v == 0 {
			continue
		}
		if !started {
			z, p, started = v, float64(q), true
		} else {
			z += alpha * (v - z)
			p += alpha * (float64(q) - p)
		}
		q = 0
	}
	if started {
		f.level = factor * z / p
	}
	return f
}

func (f *crostonFit) Predict(h int) []float64 { return constant(f.level, h) }
func (f *crostonFit) InSample() []float64     { return f.fitted }
func (f *crostonFit) Params() string          { return fmt.Sprintf("alpha=%.3g", f.alpha) }
func (f *crostonFit) Apply(y []float64) Fitted {
	return crostonRun(y, f.alpha, f.sba)
}

// TSB is the Teunter–Syntetos–Babai method (Teunter, Syntetos & Babai
// 2011). The probability of demand d is updated every period and the size z
// only in periods with demand, so the forecast decays when demand stops
// (obsolescence):
//
//	d(t) = d(t−1) + β([y(t) > 0] − d(t−1)),
//	z(t) = z(t−1) + α(y(t) − z(t−1))  if y(t) > 0,
//	ŷ(t+h|t) = d(t)·z(t).
//
// d starts at the share of periods with demand and z at the mean demand
// size. With Alpha and Beta zero both are estimated in [0.01, 0.5] by
// minimising the in-sample squared one-step error; missing periods are
// skipped.
type TSB struct{ Alpha, Beta float64 }

// Name returns "tsb".
func (TSB) Name() string { return "tsb" }

// Fit estimates the method on y.
func (m TSB) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	d0, z0 := tsbInit(y)
	if m.Alpha > 0 && m.Beta > 0 {
		return tsbRun(y, m.Alpha, m.Beta, d0, z0), nil
	}
	const lo, hi = 0.01, 0.5
	dec := func(x []float64) (float64, float64) {
		return lo + (hi-lo)*logistic(x[0]), lo + (hi-lo)*logistic(x[1])
	}
	obj := func(x []float64) float64 {
		a, b := dec(x)
		return tsbSSE(y, a, b, d0, z0)
	}
	x0 := []float64{logit((0.1 - lo) / (hi - lo)), logit((0.1 - lo) / (hi - lo))}
	res, err := optimize.Minimize(optimize.Problem{Func: obj}, x0,
		&optimize.Settings{FuncEvaluations: 120, Converger: &optimize.FunctionConverge{Relative: 1e-6, Iterations: 10}},
		&optimize.NelderMead{})
	x := x0
	if err == nil || (res != nil && res.F < obj(x0)) {
		x = res.X
	}
	a, b := dec(x)
	return tsbRun(y, a, b, d0, z0), nil
}

func tsbInit(y []float64) (d0, z0 float64) {
	n, k, s := 0, 0, 0.0
	for _, v := range y {
		if math.IsNaN(v) {
			continue
		}
		n++
		if v != 0 {
			k++
			s += v
		}
	}
	if k == 0 {
		return 0, 0
	}
	return float64(k) / float64(n), s / float64(k)
}

func tsbSSE(y []float64, alpha, beta, d, z float64) float64 {
	s := 0.0
	for _, v := range y {
		if math.IsNaN(v) {
			continue
		}
		e := v - d*z
		s += e * e
		if v != 0 {
			d += beta * (1 - d)
			z += alpha * (v - z)
		} else {
			d -= beta * d
		}
	}
	return s
}

type tsbFit struct {
	alpha, beta, d0, z0 float64
	level               float64
	fitted              []float64
}

func tsbRun(y []float64, alpha, beta, d, z float64) *tsbFit {
	f := &tsbFit{alpha: alpha, beta: beta, d0: d, z0: z, fitted: make([]float64, len(y))}
	for t, v := range y {
		f.fitted[t] = d * z
		if math.IsNaN(v) {
			continue
		}
		if v != 0 {
			d += beta * (1 - d)
			z += alpha * (v - z)
		} else {
			d -= beta * d
		}
	}
	f.level = d * z
	return f
}

func (f *tsbFit) Predict(h int) []float64 { return constant(f.level, h) }
func (f *tsbFit) InSample() []float64     { return f.fitted }
func (f *tsbFit) Params() string          { return fmt.Sprintf("alpha=%.3g beta=%.3g", f.alpha, f.beta) }
func (f *tsbFit) Apply(y []float64) Fitted {
	return tsbRun(y, f.alpha, f.beta, f.d0, f.z0)
}

// ADIDA is the aggregate–disaggregate intermittent demand approach
// (Nikolopoulos et al. 2011): the series is summed over non-overlapping
// buckets of k periods (ending at the last period), forecast with [SES]
// and the bucket forecast spread evenly: ŷ(t+h|t) = SES_k/k. A zero Level
// uses k = round(ADI), the mean interval between demands.
type ADIDA struct{ Level int }

// Name returns "adida".
func (ADIDA) Name() string { return "adida" }

// Fit estimates the method on y.
func (m ADIDA) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	k := m.Level
	if k <= 0 {
		prof := Classify(y)
		k = int(math.Round(prof.ADI))
		if math.IsInf(prof.ADI, 0) || math.IsNaN(prof.ADI) {
			k = 1
		}
	}
	k = max(1, min(k, len(y)/3))
	agg := aggregate(y, k)
	s, err := SES{}.Fit(agg)
	if err != nil {
		return nil, err
	}
	return newADIDAFit(y, k, s.(*ETSFit)), nil
}

// aggregate sums y over buckets of k periods ending at the last period; a
// bucket with missing periods is scaled up from its observed ones.
func aggregate(y []float64, k int) []float64 {
	nb := len(y) / k
	off := len(y) - nb*k
	agg := make([]float64, nb)
	for b := range agg {
		seg := y[off+b*k : off+(b+1)*k]
		agg[b] = nanMean(seg) * float64(k)
	}
	return agg
}

func newADIDAFit(y []float64, k int, ses *ETSFit) *adidaFit {
	f := &adidaFit{k: k, ses: ses, fitted: nans(len(y))}
	in := ses.InSample()
	off := len(y) - (len(y)/k)*k
	for b, v := range in {
		for j := 0; j < k; j++ {
			f.fitted[off+b*k+j] = v / float64(k)
		}
	}
	f.level = ses.Predict(1)[0] / float64(k)
	return f
}

type adidaFit struct {
	k      int
	ses    *ETSFit
	level  float64
	fitted []float64
}

func (f *adidaFit) Predict(h int) []float64 { return constant(f.level, h) }
func (f *adidaFit) InSample() []float64     { return f.fitted }
func (f *adidaFit) Params() string          { return fmt.Sprintf("k=%d %s", f.k, f.ses.Params()) }
func (f *adidaFit) Apply(y []float64) Fitted {
	// Buckets end at the last period, so they may shift by a few periods
	// against the fitted ones; the smoothing parameter and initial level
	// are kept.
	agg := aggregate(y, f.k)
	return newADIDAFit(y, f.k, newETSFit(etsSpec{}, agg, f.ses.Estimate))
}
