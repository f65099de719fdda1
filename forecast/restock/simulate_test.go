package restock

import (
	"math"
	"slices"
	"testing"
)

// upTo is an order-up-to policy with a fixed level: order S − position.
func upTo(S int64) Policy {
	return PolicyFunc(func(s State) int64 { return S - s.OnHand - s.OnOrder })
}

// fixed orders the same quantity at every review.
func fixed(q int64) Policy { return PolicyFunc(func(State) int64 { return q }) }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestSimulate replays short hand-worked scenarios. Day by day (receipts,
// then the review, then demand; end-of-day stock in brackets):
//
// "order-up-to": demand 2/day for 14 days, L 2, R 7, start 10, S 18, no
// warm-up, unit cost 2.5.
//
//	day 0: review, position 10 → order 8 (due day 2); sell 2 [8]
//	day 1: sell 2 [6]
//	day 2: receive 8 → 14, cycle 1 (days 0–1, 4 units) closes; sell 2 [12]
//	days 3–6: [10 8 6 4]
//	day 7: review, position 4 → order 14 (due day 9); sell 2 [2]
//	day 8: sell 2 [0] (stock hit zero, but nothing lost)
//	day 9: receive 14, cycle 2 (days 2–8, 14 units) closes; sell 2 [12]
//	days 10–13: [10 8 6 4]; cycle 3 (days 9–13) ends with the replay
//
// → 3 cycles, none short; 28 demanded and served; 2 orders, 22 units;
// end-of-day stock sums to 96 → mean 96/14, value ×2.5 = 17.142857….
//
// "lost sales": demand 3/day for 10 days, L 3, R 5, start 5, warm-up = L,
// a policy ordering 10 at every review, rounded to MOQ 4 / pack 4 → 12.
//
//	day 0: order 12 (due day 3); sell 3 [2]          (warm-up)
//	day 1: sell 2 of 3 [0]; day 2: sell 0 of 3 [0]   (warm-up: not measured)
//	day 3: receive 12; sell 3 [9]   — measuring starts, cycle A opens
//	day 4: [6]
//	day 5: order 12 (due day 8); sell 3 [3]
//	day 6: sell 3 [0]; day 7: sell 0 of 3 [0] → stock-out day
//	day 8: receive 12, cycle A (days 3–7, 15 units, 3 lost) closes; [9]
//	day 9: [6]; cycle B (days 8–9) ends with no loss
//
// → 7 measured days; demand 21, served 18 (fill 6/7); cycles 2, one short
// (CSL 0.5); 1 stock-out day; 2 orders of 12; mean stock (9+6+3+0+0+9+6)/7.
//
// "zero lead time": demand 5/day for 4 days, L 0, R 1, start 0, order 5 a
// day: each order is received before the day's sales, so nothing is lost;
// every receipt after day 0 closes a cycle → 4 cycles, stock always 0 at
// night.
func TestSimulate(t *testing.T) {
	tests := []struct {
		name string
		p    SimProduct
		pol  Policy
		want SimResult
	}{
		{
			name: "order-up-to",
			p: SimProduct{ID: 1, Demand: repeat(2, 14),
				Item: Item{OnHand: 10, LeadTimeDays: 2, ReviewDays: 7, ServiceLevel: 0.9, UnitCost: 2.5}},
			pol: upTo(18),
			want: SimResult{ProductID: 1, Target: 0.9, Days: 14, Cycles: 3, Demand: 28, Served: 28,
				AvgOnHand: 96.0 / 14, InventoryValue: 96.0 / 14 * 2.5, Orders: 2, OrderedUnits: 22},
		},
		{
			name: "lost sales",
			p: SimProduct{ID: 2, Demand: repeat(3, 10), Warmup: -1,
				Item: Item{OnHand: 5, LeadTimeDays: 3, ReviewDays: 5, ServiceLevel: 0.95, PackSize: 4, MinOrderQty: 4, UnitCost: 1}},
			pol: fixed(10),
			want: SimResult{ProductID: 2, Target: 0.95, Days: 7, Cycles: 2, StockoutCycles: 1, Demand: 21, Served: 18,
				AvgOnHand: 33.0 / 7, InventoryValue: 33.0 / 7, Orders: 2, OrderedUnits: 24, StockoutDays: 1},
		},
		{
			name: "zero lead time",
			p:    SimProduct{ID: 3, Demand: repeat(5, 4), Item: Item{LeadTimeDays: 0, ReviewDays: 1, ServiceLevel: 0.98, UnitCost: 3}},
			pol:  fixed(5),
			want: SimResult{ProductID: 3, Target: 0.98, Days: 4, Cycles: 4, Demand: 20, Served: 20, Orders: 4, OrderedUnits: 20},
		},
		{
			name: "no orders, no demand",
			p:    SimProduct{ID: 4, Demand: []float64{0, math.NaN(), -2, 0}, Item: Item{OnHand: 7, LeadTimeDays: 1, UnitCost: 2}},
			pol:  fixed(0),
			want: SimResult{ProductID: 4, Target: 0.95, Days: 4, AvgOnHand: 7, InventoryValue: 14},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Simulate(tt.p, tt.pol)
			if !near(got.AvgOnHand, tt.want.AvgOnHand) || !near(got.InventoryValue, tt.want.InventoryValue) {
				t.Errorf("avg on hand %v value %v, want %v %v", got.AvgOnHand, got.InventoryValue, tt.want.AvgOnHand, tt.want.InventoryValue)
			}
			got.AvgOnHand, got.InventoryValue = tt.want.AvgOnHand, tt.want.InventoryValue
			if got != tt.want {
				t.Errorf("Simulate =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}

func TestSimResultRates(t *testing.T) {
	r := SimResult{Cycles: 2, StockoutCycles: 1, Demand: 21, Served: 18}
	if !near(r.CycleService(), 0.5) || !near(r.FillRate(), 18.0/21) {
		t.Errorf("CSL %v fill %v, want 0.5 and 6/7", r.CycleService(), r.FillRate())
	}
	if z := (SimResult{}); z.CycleService() != 1 || z.FillRate() != 1 {
		t.Errorf("empty result: CSL %v fill %v, want 1 and 1", z.CycleService(), z.FillRate())
	}
}

// TestSimulateState checks what the policy is told on review days in the
// "order-up-to" scenario: the history before the replay, then the days
// observed so far (NaN on day 8, when stock hit zero), and the position.
func TestSimulateState(t *testing.T) {
	var seen []State
	pol := PolicyFunc(func(s State) int64 {
		s.History = slices.Clone(s.History)
		seen = append(seen, s)
		return 18 - s.OnHand - s.OnOrder
	})
	p := SimProduct{History: []float64{1, math.NaN()}, Demand: repeat(2, 16),
		Item: Item{OnHand: 10, LeadTimeDays: 2, ReviewDays: 7, PackSize: 1}}
	Simulate(p, pol)
	if len(seen) != 3 {
		t.Fatalf("%d reviews, want 3 (days 0, 7, 14)", len(seen))
	}
	want := []struct {
		day, hist       int
		onHand, onOrder int64
	}{{0, 2, 10, 0}, {7, 9, 4, 0}, {14, 16, 4, 0}}
	for i, w := range want {
		s := seen[i]
		if s.Day != w.day || len(s.History) != w.hist || s.OnHand != w.onHand || s.OnOrder != w.onOrder ||
			s.Item.OnHand != w.onHand || s.Item.OnOrder != w.onOrder {
			t.Errorf("review %d: day %d hist %d on hand %d on order %d (item %d/%d), want %+v",
				i, s.Day, len(s.History), s.OnHand, s.OnOrder, s.Item.OnHand, s.Item.OnOrder, w)
		}
	}
	h := seen[2].History
	if h[0] != 1 || !math.IsNaN(h[1]) || h[2] != 2 || !math.IsNaN(h[2+8]) || h[2+9] != 2 {
		t.Errorf("history = %v, want 1 NaN then 2s with NaN on replay day 8", h)
	}
	if p.History[0] != 1 || len(p.History) != 2 {
		t.Errorf("input history modified: %v", p.History)
	}
}

// TestSummarise pools two products by hand: cycles 10 (1 short, target
// 0.90) and 30 (3 short, target 0.98) → CSL 1 − 4/40 = 0.90, target
// (10·0.90 + 30·0.98)/40 = 0.96; units 95+270 of 100+300 → fill 0.9125;
// inventory values add up.
func TestSummarise(t *testing.T) {
	s := Summarise([]SimResult{
		{Target: 0.90, Cycles: 10, StockoutCycles: 1, Demand: 100, Served: 95, InventoryValue: 50, Orders: 5, StockoutDays: 2},
		{Target: 0.98, Cycles: 30, StockoutCycles: 3, Demand: 300, Served: 270, InventoryValue: 20, Orders: 7, StockoutDays: 4},
	})
	if s.Products != 2 || !near(s.CycleService, 0.9) || !near(s.Target, 0.96) || !near(s.FillRate, 0.9125) ||
		!near(s.InventoryValue, 70) || s.Orders != 12 || s.StockoutDays != 6 {
		t.Errorf("Summarise = %+v", s)
	}
	if e := Summarise(nil); e.CycleService != 1 || e.FillRate != 1 || e.Products != 0 {
		t.Errorf("Summarise(nil) = %+v", e)
	}
}

func TestImputeCensored(t *testing.T) {
	// Four weeks: Mondays (index 0, 7, …) sell 100, other days 0.
	y := make([]float64, 35)
	for i := 0; i < len(y); i += 7 {
		y[i] = 100
	}
	y[14], y[17] = math.NaN(), math.NaN() // a Monday and a Thursday censored
	y[3] = math.NaN()                     // before from: left alone
	got := ImputeCensored(y, 7, 42)
	if !math.IsNaN(got[3]) {
		t.Errorf("day 3 (before from) = %v, want NaN", got[3])
	}
	if got[17] != 0 {
		t.Errorf("censored Thursday = %v, want 0 (its weekday neighbours sell 0)", got[17])
	}
	if got[14] < 60 || got[14] > 140 || got[14] != math.Round(got[14]) {
		t.Errorf("censored Monday = %v, want a whole number near 100", got[14])
	}
	for i, v := range y {
		if !math.IsNaN(v) && got[i] != v {
			t.Errorf("observed day %d changed: %v → %v", i, v, got[i])
		}
	}
	if again := ImputeCensored(y, 7, 42); again[14] != got[14] {
		t.Errorf("not deterministic: %v then %v", got[14], again[14])
	}
	if !math.IsNaN(y[14]) {
		t.Error("input modified")
	}

	// Many censored days of an over-dispersed series: the imputed mean
	// stays near the observed mean (3) and the draws vary.
	long := make([]float64, 2000)
	for i := range long {
		long[i] = float64(i % 7) // mean 3, same value on the same weekday
		if i%3 == 0 {
			long[i] = math.NaN()
		}
	}
	imp := ImputeCensored(long, 0, 7)
	var sum, n float64
	for i := 0; i < len(long); i += 3 {
		if math.IsNaN(imp[i]) {
			t.Fatalf("day %d still NaN", i)
		}
		sum += imp[i]
		n++
	}
	if m := sum / n; math.Abs(m-3) > 0.2 {
		t.Errorf("mean imputed = %v, want about 3", m)
	}
	// No observed day at all: zeros.
	if z := ImputeCensored([]float64{math.NaN(), math.NaN()}, 0, 1); z[0] != 0 || z[1] != 0 {
		t.Errorf("all censored → %v, want zeros", z)
	}
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
