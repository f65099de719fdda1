package forecast

import (
	"fmt"
	"math"
)

// Class is a demand pattern.
type Class int

// Demand classes. Smooth, Erratic, Intermittent and Lumpy are the
// Syntetos–Boylan categories; Short has too little history to classify and
// Dead has no demand at all.
const (
	Smooth Class = iota
	Erratic
	Intermittent
	Lumpy
	Short
	Dead
)

var classNames = [...]string{"smooth", "erratic", "intermittent", "lumpy", "short", "dead"}

// String returns the class name in lower case.
func (c Class) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return fmt.Sprintf("Class(%d)", int(c))
	}
	return classNames[c]
}

// MarshalText encodes the class as its name.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Cut-offs of Syntetos, Boylan & Croston (2005).
const (
	ADICutoff = 1.32
	CV2Cutoff = 0.49
	// MinObserved is the number of observed periods below which a series
	// is Short.
	MinObserved = 8
)

// Profile describes a demand series.
type Profile struct {
	Class    Class
	ADI      float64 // average demand interval: observed periods / periods with demand
	CV2      float64 // squared coefficient of variation of the non-zero demands
	Observed int     // periods with a known value
	NonZero  int     // periods with demand
	Mean     float64 // mean demand per observed period
}

// Classify computes the Syntetos–Boylan categorisation of y (Syntetos,
// Boylan & Croston 2005; Syntetos & Boylan 2005): with ADI the average
// interval between demands and CV² the squared coefficient of variation of
// the non-zero demand sizes,
//
//	smooth: ADI < 1.32, CV² < 0.49     erratic: ADI < 1.32, CV² ≥ 0.49
//	intermittent: ADI ≥ 1.32, CV² < 0.49     lumpy: ADI ≥ 1.32, CV² ≥ 0.49.
//
// A series with no demand is Dead; one with fewer than MinObserved observed
// periods is Short. Missing values are ignored.
func Classify(y []float64) Profile {
	var p Profile
	var s, ss float64
	for _, v := range y {
		if math.IsNaN(v) {
			continue
		}
		p.Observed++
		if v != 0 {
			p.NonZero++
			s += v
			ss += v * v
		}
	}
	if p.Observed > 0 {
		p.Mean = s / float64(p.Observed)
	}
	if p.NonZero == 0 {
		p.Class = Dead
		p.ADI = math.Inf(1)
		return p
	}
	p.ADI = float64(p.Observed) / float64(p.NonZero)
	mu := s / float64(p.NonZero)
	v := ss/float64(p.NonZero) - mu*mu
	if mu != 0 {
		p.CV2 = math.Max(v, 0) / (mu * mu)
	}
	switch {
	case p.Observed < MinObserved:
		p.Class = Short
	case p.ADI < ADICutoff && p.CV2 < CV2Cutoff:
		p.Class = Smooth
	case p.ADI < ADICutoff:
		p.Class = Erratic
	case p.CV2 < CV2Cutoff:
		p.Class = Intermittent
	default:
		p.Class = Lumpy
	}
	return p
}

// IsIntermittent reports whether the class is intermittent or lumpy.
func (c Class) IsIntermittent() bool { return c == Intermittent || c == Lumpy }
