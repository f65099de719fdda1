package forecast

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// wireForecast is the cached form of a Forecast: its public fields plus
// the error distribution that quantiles of any step or lead time need.
type wireForecast struct {
	Public publicForecast `json:"f"`
	Freq   Freq           `json:"freq"`
	Clip   bool           `json:"clip"`
	Point  []float64      `json:"dp"`
	A      float64        `json:"a"`
	B      float64        `json:"b"`
	Z      []float64      `json:"z,omitempty"`
	Count  bool           `json:"count"`
	Rho    float64        `json:"rho"`
}

// publicForecast has Forecast's fields without its methods, so encoding
// it does not recurse into MarshalBinary.
type publicForecast Forecast

// MarshalBinary encodes the forecast, including its error distribution, so
// that a cached forecast answers Quantile and CumulativeQuantile exactly
// as the original did.
func (f *Forecast) MarshalBinary() ([]byte, error) {
	pub := publicForecast(*f)
	finitePublic(&pub)
	w := wireForecast{Public: pub, Freq: f.Freq, Clip: f.clip,
		Point: f.dist.point, A: f.dist.a, B: f.dist.b, Z: f.dist.z, Count: f.dist.count, Rho: f.dist.rho}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("forecast: encode: %w", err)
	}
	return b, nil
}

// UnmarshalBinary decodes a forecast written by MarshalBinary.
func (f *Forecast) UnmarshalBinary(b []byte) error {
	var w wireForecast
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("forecast: decode: %w", err)
	}
	*f = Forecast(w.Public)
	if f.Profile.ADI == math.MaxFloat64 {
		f.Profile.ADI = math.Inf(1)
	}
	f.Freq, f.clip = w.Freq, w.Clip
	f.dist = distribution{point: w.Point, a: w.A, b: w.B, z: w.Z, count: w.Count, rho: w.Rho}
	return nil
}

// UnmarshalText decodes a class name written by MarshalText.
func (c *Class) UnmarshalText(b []byte) error {
	for i, name := range classNames {
		if name == string(b) {
			*c = Class(i)
			return nil
		}
	}
	return fmt.Errorf("forecast: unknown demand class %q", b)
}

// finitePublic replaces values JSON cannot hold: an infinite ADI (a series
// without demand) becomes MaxFloat64, restored on decoding; other NaN or
// infinite scores become 0. Slices are copied before they are changed.
func finitePublic(f *publicForecast) {
	fix := func(v *float64) {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			*v = 0
		}
	}
	if math.IsInf(f.Profile.ADI, 1) {
		f.Profile.ADI = math.MaxFloat64
	}
	for _, v := range []*float64{&f.Profile.ADI, &f.Profile.CV2, &f.Profile.Mean} {
		fix(v)
	}
	for _, a := range []*Accuracy{&f.Accuracy, &f.Baseline} {
		fix(&a.RMSSE)
		fix(&a.MASE)
		fix(&a.Bias)
	}
	f.Candidates = slices.Clone(f.Candidates)
	for i := range f.Candidates {
		a := &f.Candidates[i].Accuracy
		fix(&a.RMSSE)
		fix(&a.MASE)
		fix(&a.Bias)
	}
	for _, p := range []*[]float64{&f.Point, &f.P50, &f.P80, &f.P90, &f.P95, &f.Lo80, &f.Hi80, &f.Lo95, &f.Hi95} {
		if slices.ContainsFunc(*p, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }) {
			*p = slices.Clone(*p)
			for i := range *p {
				fix(&(*p)[i])
			}
		}
	}
}
