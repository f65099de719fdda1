package forecast

import (
	"fmt"
	"math"
)

// Theta is the Theta method of Assimakopoulos & Nikolopoulos (2000) in the
// form of Hyndman & Billah (2003): simple exponential smoothing with a
// drift of half the least-squares slope b of the series,
//
//	ŷ(n+h|n) = ℓ(n) + (b/2)·(h − 1 + 1/α − (1−α)ⁿ/α),
//
// applied to the seasonally adjusted series when Period > 1 and the
// autocorrelation at lag Period is significant at 90% (the M3/M4 practice;
// classical multiplicative decomposition, additive when data are not
// positive).
type Theta struct{ Period int }

// Name returns "theta".
func (Theta) Name() string { return "theta" }

// Fit estimates the method on y.
func (m Theta) Fit(y []float64) (Fitted, error) {
	if observed(y) == 0 {
		return nil, ErrNoData
	}
	idx, mul := seasonalIndices(y, m.Period)
	adj := deseasonalise(y, idx, mul)
	s, err := fitETS(etsSpec{}, adj, nil, false)
	if err != nil {
		return nil, err
	}
	return newThetaFit(y, idx, mul, s.Estimate), nil
}

// seasonalIndices returns classical decomposition indices (ratios when mul)
// of y, or nil when y is too short or shows no significant seasonality.
func seasonalIndices(y []float64, m int) ([]float64, bool) {
	n := len(y)
	if m <= 1 || n < 2*m || observed(y) < 2*m {
		return nil, false
	}
	if !seasonalACF(y, m) {
		return nil, false
	}
	mul := true
	for _, v := range y {
		if !math.IsNaN(v) && v <= 0 {
			mul = false
			break
		}
	}
	// Centred moving average of order m (2×m when m is even).
	trend := nans(n)
	half := m / 2
	for t := half; t+half < n; t++ {
		var s, w float64
		for j := -half; j <= half; j++ {
			wt := 1.0
			if m%2 == 0 && (j == -half || j == half) {
				wt = 0.5
			}
			if v := y[t+j]; !math.IsNaN(v) {
				s += wt * v
				w += wt
			}
		}
		if w > 0 {
			trend[t] = s / w
		}
	}
	idx := make([]float64, m)
	cnt := make([]int, m)
	for t, v := range y {
		if math.IsNaN(v) || math.IsNaN(trend[t]) || (mul && trend[t] <= 0) {
			continue
		}
		if mul {
			idx[t%m] += v / trend[t]
		} else {
			idx[t%m] += v - trend[t]
		}
		cnt[t%m]++
	}
	mean := 0.0
	for j := range idx {
		if cnt[j] == 0 {
			return nil, false
		}
		idx[j] /= float64(cnt[j])
		mean += idx[j]
	}
	mean /= float64(m)
	for j := range idx {
		if mul {
			idx[j] /= mean
		} else {
			idx[j] -= mean
		}
	}
	return idx, mul
}

// seasonalACF tests the lag-m autocorrelation against the 90% bound
// 1.645·√((1 + 2Σ_{k<m} r_k²)/n).
func seasonalACF(y []float64, m int) bool {
	mu := nanMean(y)
	var den float64
	n := 0
	for _, v := range y {
		if !math.IsNaN(v) {
			d := v - mu
			den += d * d
			n++
		}
	}
	if den == 0 {
		return false
	}
	acf := func(k int) float64 {
		s := 0.0
		for t := k; t < len(y); t++ {
			if !math.IsNaN(y[t]) && !math.IsNaN(y[t-k]) {
				s += (y[t] - mu) * (y[t-k] - mu)
			}
		}
		return s / den
	}
	sum := 0.0
	for k := 1; k < m; k++ {
		r := acf(k)
		sum += r * r
	}
	return math.Abs(acf(m)) > 1.645*math.Sqrt((1+2*sum)/float64(n))
}

func deseasonalise(y, idx []float64, mul bool) []float64 {
	if idx == nil {
		return y
	}
	out := make([]float64, len(y))
	m := len(idx)
	for t, v := range y {
		if mul {
			out[t] = v / idx[t%m]
		} else {
			out[t] = v - idx[t%m]
		}
	}
	return out
}

type thetaFit struct {
	idx    []float64
	mul    bool
	ses    ETSParams
	n      int
	level  float64
	slope  float64
	fitted []float64
}

func newThetaFit(y, idx []float64, mul bool, p ETSParams) *thetaFit {
	adj := deseasonalise(y, idx, mul)
	f := &thetaFit{idx: idx, mul: mul, ses: p, n: len(y), fitted: make([]float64, len(y))}
	_, f.level, _, _ = etsSpec{}.filter(adj, &p, f.fitted, nil)
	f.slope = olsSlope(adj)
	// In-sample: SES plus the drift accrued so far (Hyndman & Billah 2003),
	// driftTerm(1, t, α) with (1−α)ᵗ kept as a running product.
	pw := 1.0
	for t := range f.fitted {
		d := float64(t)
		if p.Alpha >= 1e-9 {
			d = 1/p.Alpha - pw/p.Alpha
		}
		pw *= 1 - p.Alpha
		f.fitted[t] = f.reseason(f.fitted[t]+f.slope/2*d, t)
	}
	return f
}

// driftTerm is h − 1 + 1/α − (1−α)ⁿ/α, with its α → 0 limit.
func driftTerm(h, n int, alpha float64) float64 {
	if alpha < 1e-9 {
		return float64(h-1) + float64(n)
	}
	return float64(h-1) + 1/alpha - math.Pow(1-alpha, float64(n))/alpha
}

func (f *thetaFit) reseason(v float64, t int) float64 {
	if f.idx == nil {
		return v
	}
	if f.mul {
		return v * f.idx[t%len(f.idx)]
	}
	return v + f.idx[t%len(f.idx)]
}

func olsSlope(y []float64) float64 {
	var st, sy, stt, sty, n float64
	for t, v := range y {
		if math.IsNaN(v) {
			continue
		}
		x := float64(t)
		st += x
		sy += v
		stt += x * x
		sty += x * v
		n++
	}
	d := n*stt - st*st
	if n < 2 || d == 0 {
		return 0
	}
	return (n*sty - st*sy) / d
}

func (f *thetaFit) Predict(h int) []float64 {
	out := make([]float64, h)
	for i := range out {
		out[i] = f.reseason(f.level+f.slope/2*driftTerm(i+1, f.n, f.ses.Alpha), f.n+i)
	}
	return out
}

func (f *thetaFit) InSample() []float64 { return f.fitted }
func (f *thetaFit) Params() string {
	s := fmt.Sprintf("alpha=%.3g drift=%.3g", f.ses.Alpha, f.slope/2)
	if f.idx != nil {
		s += fmt.Sprintf(" seasonal m=%d", len(f.idx))
	}
	return s
}
func (f *thetaFit) Apply(y []float64) Fitted { return newThetaFit(y, f.idx, f.mul, f.ses) }
