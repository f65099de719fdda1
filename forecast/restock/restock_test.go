package restock

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// normalDemand is i.i.d. normal daily demand N(mu, sd²): the cumulative
// demand over n days is N(n·mu, n·sd²), so quantiles are n·mu + z·sd·√n.
type normalDemand struct{ mu, sd float64 }

func (d normalDemand) Mean(int) float64         { return d.mu }
func (d normalDemand) Cumulative(n int) float64 { return float64(n) * d.mu }
func (d normalDemand) CumulativeQuantile(n int, p float64) float64 {
	z := map[float64]float64{0.9: 1.2816, 0.95: 1.6449, 0.98: 2.0537, 0.99: 2.3263}[p]
	return float64(n)*d.mu + z*d.sd*math.Sqrt(float64(n))
}

var today = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// TestSuggestHandWorked checks the worked example:
// μ = 12/day, σ = 4/day, L = 7, R = 7, 95% (z = 1.6449):
//
//	need(7)  = 7·12 + 1.6449·4·√7  = 84 + 17.41  = 101.41 → reorder point 101
//	need(14) = 14·12 + 1.6449·4·√14 = 168 + 24.62 = 192.62
//	overshoot: a review's demand 84 > pack − 1 = 11 (and > MOQ), so w = 11:
//	168 − 5.5 + √(24.62² + 1.6449²·11²/12) = 187.67 → order up to 188
//	need = 188 − 40 = 148 → MOQ 50, pack 12 → 13 packs = 156
//	need(3) = 36 + 11.40 = 47.40 > 40 (need(2) = 33.30): stock-out on day 2,
//	3 Dec; order-by 26 Nov (already past) → overdue.
func TestSuggestHandWorked(t *testing.T) {
	s := Suggest(normalDemand{12, 4}, Item{OnHand: 40, LeadTimeDays: 7, ReviewDays: 7, ServiceLevel: 0.95,
		PackSize: 12, MinOrderQty: 50, UnitCost: 2.5, Supplier: "Acme"}, today)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"lead quantile", s.LeadQuantile, 101.41},
		{"cover quantile", s.CoverQuantile, 192.62},
		{"reorder point", float64(*s.ReorderPoint), 101},
		{"effective reorder point", float64(*s.EffectiveReorderPoint), 101},
		{"order-up-to", float64(s.OrderUpTo), 188},
		{"safety stock", float64(s.SafetyStock), 17},
		{"lead demand", s.LeadDemand, 84},
		{"daily demand", s.DailyDemand, 12},
		{"quantity", float64(s.Quantity), 156},
		{"value", s.Value, 390},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 0.01 {
			t.Errorf("%s = %.3f, want %.2f", c.name, c.got, c.want)
		}
	}
	if s.ReorderPointSource != SourceComputed {
		t.Errorf("source %q, want computed", s.ReorderPointSource)
	}
	if want := today.AddDate(0, 0, 2); !s.StockoutDate.Equal(want) {
		t.Errorf("stock-out %v, want %v", s.StockoutDate, want)
	}
	if want := today.AddDate(0, 0, -5); !s.OrderBy.Equal(want) {
		t.Errorf("order-by %v, want %v", s.OrderBy, want)
	}
	if s.Urgency != Overdue {
		t.Errorf("urgency %s, want overdue", s.Urgency)
	}
	want := "Sells ~12/day; 40 on hand lasts until 3 Dec; Acme needs 7 days, so the order was due 26 Nov: order now. 95 % service → order 156 (pack of 12)."
	if s.Reason != want {
		t.Errorf("reason\n%q, want\n%q", s.Reason, want)
	}
}

// TestManualReorderPoint: a manager's point replaces the computed one,
// decides the urgency and lifts the order-up-to level above it.
func TestManualReorderPoint(t *testing.T) {
	d := normalDemand{10, 0}
	// Computed: need(3) = 30 → reorder point 29; 75 on hand is later than
	// that, but the manager's 80 makes it overdue.
	s := Suggest(d, Item{OnHand: 75, LeadTimeDays: 3, ServiceLevel: 0.95, ManualReorderPoint: 80}, today)
	if s.ReorderPointSource != SourceManual || *s.EffectiveReorderPoint != 80 || *s.ReorderPoint != 29 {
		t.Fatalf("source %s, effective %v, computed %v", s.ReorderPointSource, *s.EffectiveReorderPoint, *s.ReorderPoint)
	}
	if s.Urgency != Overdue || !s.OrderBy.Before(today) || s.OrderUpTo < 81 || s.Quantity < 6 {
		t.Fatalf("at the manual point: urgency %s, order-by %v, S %d, qty %d", s.Urgency, s.OrderBy, s.OrderUpTo, s.Quantity)
	}
	// 130 on hand, point 80: order up to 80 + need(R = 7) = 150; the
	// position reaches the point after 5 days (need(5) = 50), so the order
	// is due on day 4.
	s = Suggest(d, Item{OnHand: 130, LeadTimeDays: 3, ServiceLevel: 0.95, ManualReorderPoint: 80}, today)
	if want := today.AddDate(0, 0, 4); !s.OrderBy.Equal(want) || s.Urgency != ThisWeek || s.OrderUpTo != 150 {
		t.Fatalf("order-by %v urgency %s, want %v this week", s.OrderBy, s.Urgency, want)
	}
	if !strings.Contains(s.Reason, "manual reorder point 80") {
		t.Errorf("reason %q does not name the manual point", s.Reason)
	}
}

// TestEmptyShelfRunsOutToday: with nothing on hand and some demand the
// stock-out is today, even when the quantile of one day's demand is 0.
func TestEmptyShelfRunsOutToday(t *testing.T) {
	for _, d := range []Demand{normalDemand{5, 2}, countDemand{0.05}} {
		s := Suggest(d, Item{LeadTimeDays: 7, ServiceLevel: 0.9}, today)
		if !s.StockoutDate.Equal(today) {
			t.Errorf("%T: stock-out %v, want today", d, s.StockoutDate)
		}
	}
}

// countDemand is a slow mover with whole-unit quantiles: ⌈n·rate + 2√(n·rate)⌉
// (0 while n·rate is tiny), like a negative binomial's.
type countDemand struct{ rate float64 }

func (d countDemand) Mean(int) float64         { return d.rate }
func (d countDemand) Cumulative(n int) float64 { return float64(n) * d.rate }
func (d countDemand) CumulativeQuantile(n int, p float64) float64 {
	m := float64(n) * d.rate
	if m < 0.02 {
		return 0
	}
	return math.Ceil(m + (p-0.5)*4*math.Sqrt(m))
}

// fadingDemand's quantiles grow for peak days and then shrink, as a
// forecast's may when its variance model has a negative slope.
type fadingDemand struct {
	rate float64
	peak int
}

func (d fadingDemand) Mean(int) float64         { return d.rate }
func (d fadingDemand) Cumulative(n int) float64 { return float64(n) * d.rate }
func (d fadingDemand) CumulativeQuantile(n int, p float64) float64 {
	if n > d.peak {
		return float64(d.peak) * d.rate / float64(n-d.peak+1)
	}
	return float64(n) * d.rate * (1 + p)
}

// TestUrgencyAgreesWithOrderBy is the property: for every suggestion the
// urgency is the one of its order-by date; a position at or below the
// effective reorder point is overdue and has something to order; with a
// computed point, overdue means at or below it; a suggestion with nothing
// to order is never due.
func TestUrgencyAgreesWithOrderBy(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2026))
	for i := range 20000 {
		var d Demand = normalDemand{rng.Float64() * 30, rng.Float64() * 15}
		if i%3 == 0 {
			d = countDemand{rng.Float64() * rng.Float64() * 3}
		}
		if i%11 == 0 {
			d = normalDemand{0, 0}
		}
		if i%7 == 0 {
			d = fadingDemand{1 + rng.Float64()*10, 5 + rng.IntN(30)}
		}
		sl := []float64{0.9, 0.95, 0.98, 0.99}[rng.IntN(4)]
		it := Item{OnHand: rng.Int64N(400) - 20, LeadTimeDays: rng.IntN(30), ReviewDays: 1 + rng.IntN(14), ServiceLevel: sl,
			PackSize: 1 + rng.Int64N(12), MinOrderQty: 1 + rng.Int64N(30), LeadTimeSD: float64(rng.IntN(3)), UnitCost: 1}
		if rng.IntN(3) == 0 {
			it.OnOrder = rng.Int64N(200)
		}
		if rng.IntN(4) == 0 {
			it.ManualReorderPoint = rng.Int64N(200)
		}
		s := Suggest(d, it, today)
		if !strings.HasPrefix(s.Reason, "Sells ") {
			t.Fatalf("case %d: reason %q", i, s.Reason)
		}
		fail := func(msg string) {
			t.Fatalf("case %d %s: %+v with %+v", i, msg, s, it)
		}
		if s.Urgency != UrgencyOf(s.OrderBy, today) {
			fail("urgency disagrees with order-by")
		}
		if (s.Urgency == Overdue) != (!s.OrderBy.IsZero() && s.OrderBy.Before(today)) {
			fail("overdue without a past order-by date")
		}
		if s.Quantity == 0 && s.Urgency != Later {
			fail("due with nothing to order")
		}
		if r := s.EffectiveReorderPoint; r != nil && s.NetStock <= *r && (s.Urgency != Overdue || s.Quantity == 0) {
			fail("at or below the effective reorder point but not overdue")
		}
		if s.ReorderPointSource == SourceComputed && s.Urgency == Overdue && s.NetStock > *s.ReorderPoint {
			fail("overdue above the computed reorder point")
		}
		if s.ReorderPointSource == SourceManual && s.Urgency == Overdue && s.NetStock > *s.EffectiveReorderPoint {
			fail("overdue above the manual reorder point")
		}
		if s.Quantity > 0 && s.ReorderPointSource != SourceManual && (s.OrderBy.IsZero() || !s.OrderBy.Before(today.AddDate(0, 0, it.ReviewDays))) {
			fail("something to order but not due within the review period")
		}
		if !s.OrderBy.IsZero() && s.ReorderPointSource != SourceManual && !s.OrderBy.Equal(s.StockoutDate.AddDate(0, 0, -s.LeadTimeDays)) {
			fail("order-by is not stock-out − lead time")
		}
	}
}

func TestSuggestCases(t *testing.T) {
	tests := []struct {
		name    string
		demand  normalDemand
		item    Item
		qty     int64
		urgency Urgency
	}{
		// Out of stock with steady sales: overdue.
		{"empty shelf", normalDemand{5, 2}, Item{OnHand: 0, LeadTimeDays: 3, ServiceLevel: 0.9}, 0, Overdue},
		// An open order covering the need: nothing to order.
		{"covered by open order", normalDemand{5, 2}, Item{OnHand: 0, OnOrder: 200, LeadTimeDays: 3, ServiceLevel: 0.9}, 0, Later},
		// Plenty of stock: no order.
		{"plenty", normalDemand{1, 1}, Item{OnHand: 500, LeadTimeDays: 7, ServiceLevel: 0.95}, 0, Later},
		// Dead item: no demand, no order.
		{"dead", normalDemand{0, 0}, Item{OnHand: 3, LeadTimeDays: 7, ServiceLevel: 0.95}, 0, Later},
		// Stock 75 is above the reorder point 30 but below order-up-to 100
		// (order 25); it runs out on day 7 (cum 80), L = 3: order by day 4,
		// this week.
		{"this week", normalDemand{10, 0}, Item{OnHand: 75, LeadTimeDays: 3, ReviewDays: 7, ServiceLevel: 0.95}, 25, ThisWeek},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Suggest(tt.demand, tt.item, today)
			if s.Urgency != tt.urgency {
				t.Errorf("urgency %s, want %s (%+v)", s.Urgency, tt.urgency, s)
			}
			if tt.qty > 0 && s.Quantity != tt.qty {
				t.Errorf("quantity %d, want %d", s.Quantity, tt.qty)
			}
			if tt.name == "empty shelf" && s.Quantity <= 0 {
				t.Errorf("empty shelf suggests %d", s.Quantity)
			}
			if tt.urgency == Later && tt.name != "this week" && s.Quantity != 0 {
				t.Errorf("quantity %d, want none", s.Quantity)
			}
		})
	}
}

func TestRoundUp(t *testing.T) {
	tests := []struct{ q, moq, pack, want int64 }{
		{0, 10, 6, 0},
		{-3, 1, 1, 0},
		{1, 1, 1, 1},
		{7, 1, 6, 12},
		{12, 1, 6, 12},
		{3, 10, 1, 10},
		{3, 10, 6, 12}, // MOQ rounded up to whole packs
		{25, 10, 6, 30},
		{5, 0, 0, 5}, // invalid terms treated as 1
	}
	for _, tt := range tests {
		if got := RoundUp(tt.q, tt.moq, tt.pack); got != tt.want {
			t.Errorf("RoundUp(%d, moq %d, pack %d) = %d, want %d", tt.q, tt.moq, tt.pack, got, tt.want)
		}
	}
}

// TestLeadTimeSpreadAddsSafetyStock: σ_L = 2 days at 12/day and 95% adds
// z·d̄·σ_L = 1.6449·12·2 = 39.48 units to the reorder point.
func TestLeadTimeSpreadAddsSafetyStock(t *testing.T) {
	base := Suggest(normalDemand{12, 4}, Item{OnHand: 40, LeadTimeDays: 7, ServiceLevel: 0.95}, today)
	spread := Suggest(normalDemand{12, 4}, Item{OnHand: 40, LeadTimeDays: 7, LeadTimeSD: 2, ServiceLevel: 0.95}, today)
	if d := spread.LeadQuantile - base.LeadQuantile; math.Abs(d-39.48) > 0.01 {
		t.Fatalf("spread adds %.3f, want 39.48", d)
	}
}

// TestEOQ: D = 10/day·365 = 3650, K = 50, H = 4·0.25 = 1:
// EOQ = √(2·3650·50/1) = 604.15 → at least 605 units.
func TestEOQ(t *testing.T) {
	s := Suggest(normalDemand{10, 0}, Item{OnHand: 0, LeadTimeDays: 2, ServiceLevel: 0.95, UnitCost: 4,
		OrderCost: 50, HoldingRate: 0.25}, today)
	if math.Abs(s.EOQ-604.15) > 0.01 || s.Quantity != 605 {
		t.Fatalf("EOQ %.2f qty %d, want 604.15 and 605", s.EOQ, s.Quantity)
	}
}

// suggestInput is one input of FuzzSuggest.
type suggestInput struct {
	mu, sd          float64
	onHand, onOrder int64
	lead, review    int
	sl              float64
	pack, moq       int64
}

// suggestSeeds are FuzzSuggest's seed corpus: a typical product, all
// zeros, and extremes at the edge of what the fuzz target checks (huge
// demand, negative stock, a trillion on order, a year's lead time, a
// negative review period, a service level above 1, a negative pack).
var suggestSeeds = []suggestInput{
	{12, 4, 40, 0, 7, 7, 0.95, 12, 50},
	{0, 0, 0, 0, 0, 0, 0, 0, 0},
	{1e9, 1e9, -5, 1e12, 365, -3, 2, -1, 7},
}

// inRange reports whether FuzzSuggest checks in (it skips the others:
// NaN demand and values beyond what a shop can hold).
func (in suggestInput) inRange() bool {
	return !math.IsNaN(in.mu) && !math.IsNaN(in.sd) && math.Abs(in.mu) <= 1e12 && math.Abs(in.sd) <= 1e12 &&
		in.lead <= 365 && in.review <= 365 && in.onHand <= 1e12 && in.onOrder <= 1e12 &&
		in.onHand >= -1e12 && in.onOrder >= -1e12 && in.pack <= 1e6 && in.moq <= 1e6
}

// TestSuggestSeedsInRange fails when a seed of FuzzSuggest is one the
// target skips, so that every seed is checked by go test.
func TestSuggestSeedsInRange(t *testing.T) {
	for i, in := range suggestSeeds {
		if !in.inRange() {
			t.Errorf("seed %d %+v is skipped by FuzzSuggest", i, in)
		}
	}
}

// FuzzSuggest: whatever the inputs, the quantity is ≥ 0, a multiple of the
// pack size and ≥ MOQ when positive, and nothing is NaN.
func FuzzSuggest(f *testing.F) {
	for _, in := range suggestSeeds {
		f.Add(in.mu, in.sd, in.onHand, in.onOrder, in.lead, in.review, in.sl, in.pack, in.moq)
	}
	f.Fuzz(func(t *testing.T, mu, sd float64, onHand, onOrder int64, lead, review int, sl float64, pack, moq int64) {
		if !(suggestInput{mu, sd, onHand, onOrder, lead, review, sl, pack, moq}).inRange() {
			t.Skip()
		}
		s := Suggest(normalDemand{math.Abs(mu), math.Abs(sd)}, Item{OnHand: onHand, OnOrder: onOrder, LeadTimeDays: lead,
			ReviewDays: review, ServiceLevel: sl, PackSize: pack, MinOrderQty: moq, UnitCost: 1}, today)
		p, m := max(pack, 1), max(moq, 1)
		if s.Quantity < 0 || s.Quantity%p != 0 || (s.Quantity > 0 && s.Quantity < m) {
			t.Fatalf("quantity %d with pack %d, MOQ %d", s.Quantity, p, m)
		}
		if s.Urgency != UrgencyOf(s.OrderBy, today) || (s.Quantity == 0 && s.Urgency != Later) {
			t.Fatalf("urgency %s disagrees with order-by %v (qty %d)", s.Urgency, s.OrderBy, s.Quantity)
		}
		for _, v := range []float64{s.LeadQuantile, s.CoverQuantile, s.DailyDemand, s.Value} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite output %+v", s)
			}
		}
	})
}

func TestCalibration(t *testing.T) {
	tests := []struct{ target, k, want float64 }{
		{0.95, 0, 0.95},
		{0.95, 1, 0.95},
		{0.95, 3, 0.85},
		{0.98, 2, 0.96},
		{0.90, 10, 0.5}, // floor
		{0.999, 0.01, 0.9999},
	}
	for _, tt := range tests {
		if got := QuantileLevel(tt.target, tt.k); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("QuantileLevel(%v, %v) = %v, want %v", tt.target, tt.k, got, tt.want)
		}
	}
	// A calibration of 3 at 95 % takes quantiles at 85 % (z = 1.0364):
	// ROP = 84 + 1.0364·4·√7 = 94.97 instead of 101.41; the reported
	// service level stays the target.
	d := normalDemand{12, 4}
	z85 := map[float64]float64{0.85: 1.0364}
	s := Suggest(calibrated{d, z85}, Item{OnHand: 40, LeadTimeDays: 7, ServiceLevel: 0.95, Calibration: 3}, today)
	if math.Abs(s.LeadQuantile-94.97) > 0.01 || *s.ReorderPoint != 94 || s.ServiceLevel != 0.95 {
		t.Fatalf("calibrated lead quantile %.3f, ROP %d, service %v", s.LeadQuantile, *s.ReorderPoint, s.ServiceLevel)
	}
}

// calibrated is normalDemand with extra z values.
type calibrated struct {
	normalDemand
	z map[float64]float64
}

func (d calibrated) CumulativeQuantile(n int, p float64) float64 {
	if z, ok := d.z[math.Round(p*1e6)/1e6]; ok {
		return float64(n)*d.mu + z*d.sd*math.Sqrt(float64(n))
	}
	return d.normalDemand.CumulativeQuantile(n, p)
}

// TestPackOvershootMeetsTarget replays Suggest on i.i.d. normal demand
// with the exact quantiles: with packs of 30 (more than half a review's
// 84 units) and with a minimum order of three reviews' demand, positions
// left above the order-up-to level used to push the achieved cycle
// service far above the target (≈ 97 % and 99 % for 90 %).
func TestPackOvershootMeetsTarget(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	demand := make([]float64, 20000)
	for i := range demand {
		demand[i] = math.Max(0, math.Round(12+4*rng.NormFloat64()))
	}
	pol := PolicyFunc(func(s State) int64 {
		return Suggest(normalDemand{12, 4}, s.Item, today).Quantity
	})
	for _, tc := range []struct {
		name      string
		pack, moq int64
	}{{"pack 30", 30, 1}, {"minimum order 252", 1, 252}} {
		res := Simulate(SimProduct{Demand: demand, Item: Item{OnHand: 200, LeadTimeDays: 7, ReviewDays: 7,
			ServiceLevel: 0.9, PackSize: tc.pack, MinOrderQty: tc.moq}, Warmup: -1}, pol)
		if got := res.CycleService(); math.Abs(got-0.9) > 0.02 {
			t.Errorf("%s: cycle service %.3f over %d cycles, want 0.90 ± 0.02", tc.name, got, res.Cycles)
		}
	}
}
