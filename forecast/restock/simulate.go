package restock

import (
	"math"
	"math/rand/v2"
)

// Replenishment simulation
//
// Simulate replays a product's daily demand against a replenishment
// [Policy] and measures what a shop would have lived through: service,
// stock held and orders placed. It is deterministic (no randomness, no
// clock) so that policies can be compared on exactly the same days.
//
// Each simulated day t (0-based) runs in this order:
//
//  1. Orders due on day t are received (in the morning, before any sale).
//  2. On review days (t = 0, R, 2R, …) the policy is asked for an order,
//     knowing the history up to yesterday (day t−1) and the stock position
//     after today's receipts, exactly as the app's suggestion for "today"
//     is computed. The order, rounded up to the minimum order and pack
//     size, arrives on the morning of day t+L (the same day when L = 0).
//  3. The day's demand is served from stock; what cannot be served is lost
//     (lost sales, no backorders).
//
// So an order placed at a review must cover the demand of days t … t+L+R−1
// (until the next review's order arrives): the protection interval L + R of
// a periodic-review order-up-to policy (Silver, Pyke & Thomas, 4th ed.,
// §7.2), which is what [Suggest]'s order-up-to level is a quantile of.
//
// What the policy sees of the replay is what the shop would have recorded:
// the units sold, with days on which stock hit zero censored (NaN), as the
// app's demand loader marks stock-out days.
//
// Metrics start after a warm-up of L days (SimProduct.Warmup), the days
// covered by the starting stock alone, on which no policy can act yet:
//
//   - cycle service level: share of replenishment cycles without a
//     stock-out. Cycles are the stretches of measured days between two
//     receipts (the first starts at the end of the warm-up, the last ends
//     with the replay); a cycle with no demand is not counted, and a cycle
//     is a stock-out cycle when any demand in it was lost.
//   - fill rate: units served ÷ units demanded.
//   - average inventory value: mean end-of-day stock on hand × unit cost.
//   - orders placed (over the whole replay, warm-up included: they are the
//     policy's decisions), and stock-out days: days on which some demand
//     was lost.

// Policy decides replenishment orders in a simulation. A Policy value is
// used for one product at a time and may keep state between calls (a cached
// forecast, say); Simulate calls it on review days only, in day order.
type Policy interface {
	// Order returns the quantity to order now. Negative means none; the
	// simulator rounds positive quantities up to the item's minimum order
	// and pack size.
	Order(s State) int64
}

// PolicyFunc adapts a function to [Policy].
type PolicyFunc func(s State) int64

// Order calls f.
func (f PolicyFunc) Order(s State) int64 { return f(s) }

// State is what a policy knows on a review day.
type State struct {
	// Day is the replay day (0 = the first day of the replay).
	Day int
	// History is the demand known on this day, oldest first: the history
	// before the replay followed by the replay days before Day as the shop
	// observed them (units sold, NaN on stock-out days). Its last value is
	// yesterday's. Policies must not modify or keep it.
	History []float64
	// OnHand is the stock after today's receipts, before today's sales;
	// OnOrder is what is still due on orders already placed.
	OnHand, OnOrder int64
	// Item is the product's terms, with OnHand and OnOrder set as above.
	Item Item
}

// SimProduct is one product to simulate.
type SimProduct struct {
	ID int64
	// History is the demand before the replay, oldest first; NaN marks
	// censored days. It may be empty.
	History []float64
	// Demand is the true demand on each replay day, in units (rounded to
	// whole units; impute censored days first, see [ImputeCensored]). NaN,
	// infinite or negative values count as zero.
	Demand []float64
	// Item holds the terms: lead time, review period, service level (the
	// target, reported with the result), pack size, minimum order and unit
	// cost. Item.OnHand is the starting stock; Item.OnOrder is ignored (the
	// replay starts with nothing on order).
	Item Item
	// Warmup is the number of first days left out of the metrics; negative
	// means the lead time.
	Warmup int
}

// SimResult is the outcome of one product's simulation. Counts cover the
// measured days (after the warm-up).
type SimResult struct {
	ProductID      int64   `json:"product_id"`
	Target         float64 `json:"target_service_level"`
	Days           int     `json:"days"`
	Cycles         int     `json:"cycles"`          // replenishment cycles with demand
	StockoutCycles int     `json:"stockout_cycles"` // of which with lost demand
	Demand         float64 `json:"demand"`          // units demanded
	Served         float64 `json:"served"`          // units sold
	AvgOnHand      float64 `json:"avg_on_hand"`     // mean end-of-day stock
	InventoryValue float64 `json:"inventory_value"` // AvgOnHand × unit cost
	Orders         int     `json:"orders"`          // placed over the whole replay
	OrderedUnits   int64   `json:"ordered_units"`   // placed over the whole replay
	StockoutDays   int     `json:"stockout_days"`
}

// CycleService returns the share of cycles without a stock-out (1 when
// there was no cycle with demand).
func (r SimResult) CycleService() float64 {
	if r.Cycles == 0 {
		return 1
	}
	return 1 - float64(r.StockoutCycles)/float64(r.Cycles)
}

// FillRate returns units served ÷ units demanded (1 without demand).
func (r SimResult) FillRate() float64 {
	if r.Demand <= 0 {
		return 1
	}
	return r.Served / r.Demand
}

// Simulate replays p's demand under policy pol and measures the result.
// See the package section "Replenishment simulation" for the day loop and
// the metrics.
func Simulate(p SimProduct, pol Policy) SimResult {
	it := normalise(p.Item)
	L, R := it.LeadTimeDays, it.ReviewDays
	warm := p.Warmup
	if warm < 0 {
		warm = L
	}
	n := len(p.Demand)
	res := SimResult{ProductID: p.ID, Target: it.ServiceLevel}

	hist := make([]float64, len(p.History), len(p.History)+n)
	copy(hist, p.History)
	due := make([]int64, n+1) // units arriving on each day; due[n] = beyond the replay
	onHand := max(it.OnHand, 0)
	var onOrder int64

	var (
		sumOnHand   float64
		cycleDemand float64
		cycleLost   bool
	)
	closeCycle := func() {
		if cycleDemand > 0 {
			res.Cycles++
			if cycleLost {
				res.StockoutCycles++
			}
		}
		cycleDemand, cycleLost = 0, false
	}
	receive := func(t int, q int64) {
		onHand += q
		if t > warm {
			closeCycle() // a receipt on a measured day starts a new cycle
		}
	}
	for t := 0; t < n; t++ {
		measured := t >= warm
		if q := due[t]; q > 0 {
			onOrder -= q
			receive(t, q)
		}
		if t%R == 0 {
			it.OnHand, it.OnOrder = onHand, onOrder
			q := pol.Order(State{Day: t, History: hist, OnHand: onHand, OnOrder: onOrder, Item: it})
			if q = RoundUp(q, it.MinOrderQty, it.PackSize); q > 0 {
				if arrive := t + L; arrive == t {
					receive(t, q)
				} else {
					due[min(arrive, n)] += q
					onOrder += q
				}
				res.Orders++
				res.OrderedUnits += q
			}
		}
		var d int64
		if v := p.Demand[t]; v > 0 && !math.IsInf(v, 0) {
			d = int64(math.Round(v))
		}
		sold := min(d, onHand)
		onHand -= sold
		obs := float64(sold)
		if onHand == 0 {
			obs = math.NaN() // stock hit zero: the day's demand is unknown
		}
		hist = append(hist, obs)
		if !measured {
			continue
		}
		res.Days++
		res.Demand += float64(d)
		res.Served += float64(sold)
		sumOnHand += float64(onHand)
		cycleDemand += float64(d)
		if sold < d {
			res.StockoutDays++
			cycleLost = true
		}
	}
	closeCycle()
	if res.Days > 0 {
		res.AvgOnHand = sumOnHand / float64(res.Days)
		res.InventoryValue = res.AvgOnHand * it.UnitCost
	}
	return res
}

// SimSummary aggregates the results of many products.
type SimSummary struct {
	Products int `json:"products"`
	// Target is the cycle-weighted mean of the products' target service
	// levels, the level CycleService should reach.
	Target float64 `json:"target_service_level"`
	// CycleService pools the cycles of all products: cycles without a
	// stock-out ÷ cycles.
	CycleService float64 `json:"cycle_service_level"`
	// FillRate pools units: served ÷ demanded.
	FillRate float64 `json:"fill_rate"`
	// InventoryValue is the sum of the products' average inventory values:
	// the money held in stock on an average day.
	InventoryValue float64 `json:"avg_inventory_value"`
	Orders         int     `json:"orders"`
	OrderedUnits   int64   `json:"ordered_units"`
	StockoutDays   int     `json:"stockout_days"`
	Cycles         int     `json:"cycles"`
	StockoutCycles int     `json:"stockout_cycles"`
	Demand         float64 `json:"demand"`
	Served         float64 `json:"served"`
}

// Summarise aggregates results: cycles, units, orders and stock-out days
// are pooled, inventory values summed.
func Summarise(rs []SimResult) SimSummary {
	var s SimSummary
	var target float64
	for _, r := range rs {
		s.Products++
		s.Cycles += r.Cycles
		s.StockoutCycles += r.StockoutCycles
		target += r.Target * float64(r.Cycles)
		s.Demand += r.Demand
		s.Served += r.Served
		s.InventoryValue += r.InventoryValue
		s.Orders += r.Orders
		s.OrderedUnits += r.OrderedUnits
		s.StockoutDays += r.StockoutDays
	}
	s.CycleService, s.FillRate = 1, 1
	if s.Cycles > 0 {
		s.CycleService = 1 - float64(s.StockoutCycles)/float64(s.Cycles)
		s.Target = target / float64(s.Cycles)
	}
	if s.Demand > 0 {
		s.FillRate = s.Served / s.Demand
	}
	return s
}

// ImputeCensored returns a copy of y in which the censored (NaN) values at
// index from and later are replaced by a draw of plausible demand, so that a
// replay has a demand for every day. Values before from are copied as they
// are (NaN stays NaN).
//
// For a censored day i the local demand is estimated from the observed days
// of the same weekday within four weeks on either side (i±7, ±14, ±21, ±28;
// the series is daily), or, when none of those is observed, from every
// observed day within 28 days. With m and v the mean and variance of those
// neighbours, the value is a Poisson draw with mean m — gamma-mixed
// (negative binomial) when v > m, matching the neighbours' over-dispersion
// — so imputed days are as noisy as real ones rather than flattened to the
// mean, which would make every policy look better. With no observed
// neighbour the day is 0. Draws come from a PCG generator seeded by seed, so
// equal inputs give equal outputs.
func ImputeCensored(y []float64, from int, seed uint64) []float64 {
	out := make([]float64, len(y))
	copy(out, y)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var buf []float64
	for i := max(from, 0); i < len(y); i++ {
		if !math.IsNaN(y[i]) {
			continue
		}
		buf = buf[:0]
		for k := -4; k <= 4; k++ {
			if j := i + 7*k; k != 0 && j >= 0 && j < len(y) && !math.IsNaN(y[j]) {
				buf = append(buf, y[j])
			}
		}
		if len(buf) == 0 {
			for j := max(i-28, 0); j < min(i+29, len(y)); j++ {
				if !math.IsNaN(y[j]) {
					buf = append(buf, y[j])
				}
			}
		}
		if len(buf) == 0 {
			out[i] = 0
			continue
		}
		m, v := meanVar(buf)
		out[i] = drawDemand(rng, m, v)
	}
	return out
}

func meanVar(x []float64) (m, v float64) {
	for _, xi := range x {
		m += xi
	}
	m /= float64(len(x))
	if len(x) < 2 {
		return m, m
	}
	for _, xi := range x {
		v += (xi - m) * (xi - m)
	}
	return m, v / float64(len(x)-1)
}

// drawDemand draws a count with mean m and variance max(v, m): Poisson, or
// a gamma–Poisson mixture when over-dispersed.
func drawDemand(rng *rand.Rand, m, v float64) float64 {
	if m <= 0 {
		return 0
	}
	lam := m
	if v > m {
		shape := m * m / (v - m)
		lam = gammaDraw(rng, shape) * m / shape
	}
	return poissonDraw(rng, lam)
}

// poissonDraw draws from a Poisson law: multiplication of uniforms (Knuth)
// for small means, a rounded normal approximation above 50.
func poissonDraw(rng *rand.Rand, lam float64) float64 {
	if lam <= 0 {
		return 0
	}
	if lam > 50 {
		return math.Max(0, math.Round(lam+math.Sqrt(lam)*rng.NormFloat64()))
	}
	l, k, p := math.Exp(-lam), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// gammaDraw draws from a gamma law with unit scale (Marsaglia & Tsang,
// ACM TOMS 26(3), 2000; shape < 1 by the boost U^(1/shape)).
func gammaDraw(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaDraw(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
