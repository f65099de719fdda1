package forecast

import (
	"encoding/json"
	"fmt"
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
	w := wireForecast{Public: publicForecast(*f), Freq: f.Freq, Clip: f.clip,
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
