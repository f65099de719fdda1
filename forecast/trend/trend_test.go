package trend

import (
	"math"
	"testing"
	"time"
)

var end = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // a Monday

func constant(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

// TestABCBoundaries: revenues 50, 30, 15, 5 (total 100) have cumulative
// shares before them of 0, 0.50, 0.80, 0.95 → A, A, B, C: a product is in
// a class while the share ranked above it is below the threshold; zero
// revenue is C; a single dominant product is A.
func TestABCBoundaries(t *testing.T) {
	revs := []float64{5, 50, 15, 30, 0}
	want := []string{"C", "A", "B", "A", "C"}
	var ps []Product
	for i, r := range revs {
		ps = append(ps, Product{ID: int64(i), Units: constant(90, 1), Revenue: constant(90, r/90), End: end})
	}
	got := Analyze(ps, Options{})
	for i := range want {
		if got[i].ABC != want[i] {
			t.Errorf("product with revenue %v: class %s, want %s", revs[i], got[i].ABC, want[i])
		}
	}
	one := Analyze([]Product{{Revenue: constant(90, 99), End: end}, {Revenue: constant(90, 1), End: end}}, Options{})
	if one[0].ABC != "A" || one[1].ABC != "C" {
		t.Errorf("dominant product: %s, %s; want A, C", one[0].ABC, one[1].ABC)
	}
	// Configurable thresholds: with A below 50 % only the first is A.
	got = Analyze(ps, Options{ABC: [2]float64{0.5, 0.8}})
	if got[1].ABC != "A" || got[3].ABC != "B" || got[2].ABC != "C" {
		t.Errorf("custom thresholds: %s %s %s", got[1].ABC, got[3].ABC, got[2].ABC)
	}
}

// TestXYZBoundaries builds weekly totals whose CV (sample sd / mean) is
// exactly 0.5 and 1.0: alternating weeks m(1±c·k) with k = √((n−1)/n).
func TestXYZBoundaries(t *testing.T) {
	tests := []struct {
		cv   float64
		want string
	}{{0, "X"}, {0.5, "X"}, {0.51, "Y"}, {1.0, "Y"}, {1.2, "Z"}}
	for _, tt := range tests {
		n := 12
		k := math.Sqrt(float64(n-1) / float64(n))
		var units []float64
		for w := 0; w < n; w++ {
			v := 70 * (1 + tt.cv*k)
			if w%2 == 1 {
				v = 70 * (1 - tt.cv*k)
			}
			units = append(units, constant(7, v/7)...)
		}
		cv, class := xyz(units, Options{}.withDefaults())
		if class != tt.want || math.Abs(cv-tt.cv) > 1e-9 {
			t.Errorf("cv %.2f: got %.6f %s, want %s", tt.cv, cv, class, tt.want)
		}
	}
}

func TestVelocityChangeSignificance(t *testing.T) {
	noisy := func(level float64, n int, seed int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = level + float64((i*7+seed)%5) - 2 // level ± 2
		}
		return x
	}
	tests := []struct {
		name string
		prev []float64
		last []float64
		dir  string
	}{
		{"doubling", noisy(10, 30, 1), noisy(20, 30, 3), "up"},
		{"halving", noisy(20, 30, 1), noisy(10, 30, 2), "down"},
		{"noise", noisy(10, 30, 1), noisy(10.3, 30, 4), "flat"},
	}
	for _, tt := range tests {
		units := append(append([]float64{}, tt.prev...), tt.last...)
		tr := Analyze([]Product{{Units: units, Revenue: constant(60, 1), End: end}}, Options{})[0]
		if tr.Direction != tt.dir {
			t.Errorf("%s: direction %s (change %.2f, significant %v), want %s", tt.name, tr.Direction, tr.VelocityChange, tr.Significant, tt.dir)
		}
	}
}

func TestDeadExcessCoverAndMovers(t *testing.T) {
	sold := func(lastSale int) []float64 { // one unit a day until lastSale days ago
		u := constant(200, 0)
		for i := 0; i < 200-lastSale; i++ {
			u[i] = 1
		}
		return u
	}
	ps := []Product{
		{ID: 1, Units: sold(120), Revenue: constant(200, 0), OnHand: 10, UnitCost: 3, LastSale: end.AddDate(0, 0, -120), End: end},
		{ID: 2, Units: constant(200, 2), Revenue: constant(200, 2), OnHand: 1000, UnitCost: 1, LastSale: end.AddDate(0, 0, -1), End: end},
		{ID: 3, Units: constant(200, 9), Revenue: constant(200, 9), OnHand: 90, UnitCost: 1, LastSale: end.AddDate(0, 0, -1), End: end},
		{ID: 4, Units: constant(30, 0), Revenue: constant(30, 0), OnHand: 5, UnitCost: 1, End: end}, // new, never sold: not dead yet
	}
	got := Analyze(ps, Options{FastShare: 0.5, SlowShare: 0.5})
	if !got[0].Dead || got[0].DeadValue != 30 {
		t.Errorf("product 1: dead %v value %v, want dead worth 30", got[0].Dead, got[0].DeadValue)
	}
	if got[3].Dead {
		t.Errorf("a 30-day-old product is not dead stock yet")
	}
	// 1000 on hand at 2/day = 500 days of cover > 180: 1000 − 360 = 640 excess.
	if !got[1].Excess || got[1].ExcessUnits != 640 || *got[1].DaysOfCover != 500 {
		t.Errorf("product 2: excess %v units %d cover %v", got[1].Excess, got[1].ExcessUnits, *got[1].DaysOfCover)
	}
	if math.Abs(*got[2].Turnover-9*365/90.0) > 1e-9 || *got[2].DaysOfCover != 10 {
		t.Errorf("product 3: turnover %v cover %v", *got[2].Turnover, *got[2].DaysOfCover)
	}
	if got[2].Mover != "fast" || got[1].Mover != "slow" || got[0].Mover != "none" {
		t.Errorf("movers: %s %s %s", got[2].Mover, got[1].Mover, got[0].Mover)
	}
	m := Matrix(got)
	var n int
	for _, c := range m {
		n += c.Products
	}
	if len(m) != 9 || n != 4 {
		t.Errorf("matrix has %d cells with %d products, want 9 and 4", len(m), n)
	}
}

func TestWeeklyPattern(t *testing.T) {
	// 12 weeks: Saturdays sell 10, other days 2; end is a Monday so the
	// last value (index n−1) is a Sunday.
	n := 84
	units := make([]float64, n)
	for i := range units {
		if end.AddDate(0, 0, i-n).Weekday() == time.Saturday {
			units[i] = 10
		} else {
			units[i] = 2
		}
	}
	units[n-3] = math.NaN() // a censored day changes nothing
	best, worst, share := weekly(units, end)
	if best != "Saturday" || worst == "Saturday" || share < 0.99 {
		t.Fatalf("best %s worst %s share %.3f", best, worst, share)
	}
}
