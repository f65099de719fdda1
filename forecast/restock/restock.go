// Package restock turns a demand forecast and a product's stock position
// into a replenishment decision: safety stock, reorder point, order-up-to
// level, a suggested quantity rounded to the supplier's pack size and
// minimum order, the projected stock-out and order-by dates, an urgency and
// a one-sentence reason. It is pure: no database, no HTTP.
//
// The policy is a periodic-review order-up-to policy (R, S) with a reorder
// point s (Silver, Pyke & Thomas, Inventory and Production Management in
// Supply Chains, 4th ed., ch. 6–7): every review the position
// net = on hand + on order is brought up to S = the service-level quantile
// of demand over the lead time plus review period L + R whenever it is
// below S; the reorder point s = the quantile of demand over L alone sets
// the urgency (at or below s the order is overdue). Quantiles come from the
// forecast's distribution of cumulative demand (negative binomial for
// intermittent items), so safety stock follows the service level rather
// than z·σ·√L on a normal that under-covers retail demand.
package restock

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Demand is the forecast distribution the policy needs. *forecast.Forecast
// satisfies it through [FromForecast]-style adapters; tests use simple laws.
type Demand interface {
	// Mean returns the expected demand on day step (0 = today).
	Mean(step int) float64
	// Cumulative returns the expected total demand over the next days.
	Cumulative(days int) float64
	// CumulativeQuantile returns the p-quantile of total demand over the next days.
	CumulativeQuantile(days int, p float64) float64
}

// Item is a product's stock position and supply terms.
type Item struct {
	OnHand       int64
	OnOrder      int64   // still to come on open purchase orders
	LeadTimeDays int     // L
	LeadTimeSD   float64 // σ_L in days, measured from receipts (0 if unknown)
	ReviewDays   int     // R, default 7
	ServiceLevel float64 // target cycle service level, e.g. 0.95
	// Calibration scales the stock-out risk the quantiles are taken at:
	// level = 1 − (1 − ServiceLevel)·Calibration (0 or 1: none). Forecast
	// intervals, pack rounding and positions left above the order-up-to
	// level make the achieved service differ from the quantile level;
	// `restock simulate --calibrate` measures the factor that makes the
	// achieved cycle service level meet the target on the shop's history.
	Calibration float64
	PackSize    int64   // order in multiples of this (≥ 1)
	MinOrderQty int64   // order at least this (≥ 1)
	UnitCost    float64 // money per unit, for the value of the order
	// EOQ settings; both > 0 to enable: order at least the economic order
	// quantity √(2·D·K/H) with D annual demand, K OrderCost, H = UnitCost·HoldingRate.
	OrderCost   float64
	HoldingRate float64
}

// Urgency says how soon an order must be placed.
type Urgency string

// Urgencies, most urgent first.
const (
	Overdue  Urgency = "overdue"   // the order-by date has passed or stock is at/below the reorder point
	ThisWeek Urgency = "this_week" // order within 7 days
	Later    Urgency = "later"     // no order needed yet
)

// Rank orders urgencies: 0 overdue, 1 this week, 2 later.
func (u Urgency) Rank() int {
	switch u {
	case Overdue:
		return 0
	case ThisWeek:
		return 1
	}
	return 2
}

// Suggestion is the decision for one product.
type Suggestion struct {
	DailyDemand  float64   `json:"daily_demand"`   // mean forecast demand per day over L + R
	LeadTimeDays int       `json:"lead_time_days"` // L
	ReviewDays   int       `json:"review_days"`    // R
	ServiceLevel float64   `json:"service_level"`
	LeadDemand   float64   `json:"lead_time_demand"` // expected demand over L
	SafetyStock  float64   `json:"safety_stock"`     // reorder point − expected lead-time demand
	ReorderPoint float64   `json:"reorder_point"`    // s
	OrderUpTo    float64   `json:"order_up_to"`      // S
	NetStock     int64     `json:"net_stock"`        // on hand + on order
	Quantity     int64     `json:"quantity"`         // suggested order, rounded; 0 = none
	EOQ          float64   `json:"eoq,omitempty"`
	Value        float64   `json:"value"`                  // Quantity × unit cost
	StockoutDate time.Time `json:"stockout_date,omitzero"` // when net stock is expected to run out (zero: beyond a year)
	OrderBy      time.Time `json:"order_by,omitzero"`      // StockoutDate − L
	Urgency      Urgency   `json:"urgency"`
	Reason       string    `json:"reason"`
}

// horizonCap bounds projections to a year.
const horizonCap = 365

// Suggest computes the restock decision for it given the demand forecast
// starting today.
func Suggest(d Demand, it Item, today time.Time) Suggestion {
	it = normalise(it)
	L, R, p := it.LeadTimeDays, it.ReviewDays, QuantileLevel(it.ServiceLevel, it.Calibration)
	s := Suggestion{LeadTimeDays: L, ReviewDays: R, ServiceLevel: it.ServiceLevel, NetStock: it.OnHand + it.OnOrder}
	s.LeadDemand = finite(d.Cumulative(L))
	coverMean := finite(d.Cumulative(L + R))
	s.DailyDemand = coverMean / float64(L+R)
	s.ReorderPoint = finite(d.CumulativeQuantile(L, p)) + spreadTerm(s.DailyDemand, it.LeadTimeSD, p)
	s.OrderUpTo = finite(d.CumulativeQuantile(L+R, p)) + spreadTerm(s.DailyDemand, it.LeadTimeSD, p)
	s.OrderUpTo = math.Max(s.OrderUpTo, s.ReorderPoint)
	s.SafetyStock = math.Max(s.ReorderPoint-s.LeadDemand, 0)

	net := float64(s.NetStock)
	if net < s.OrderUpTo {
		need := math.Ceil(s.OrderUpTo - net)
		if it.OrderCost > 0 && it.HoldingRate > 0 && it.UnitCost > 0 {
			s.EOQ = math.Sqrt(2 * s.DailyDemand * 365 * it.OrderCost / (it.UnitCost * it.HoldingRate))
			need = math.Max(need, math.Ceil(s.EOQ))
		}
		s.Quantity = RoundUp(int64(need), it.MinOrderQty, it.PackSize)
	}
	s.Value = float64(s.Quantity) * it.UnitCost

	if day, ok := stockoutDay(d, net); ok {
		s.StockoutDate = today.AddDate(0, 0, day)
		s.OrderBy = s.StockoutDate.AddDate(0, 0, -L)
	}
	s.Urgency = urgency(s, net, it.OnHand, today)
	if s.Quantity == 0 {
		s.Urgency = Later
	}
	s.Reason = reason(s, it)
	return s
}

func normalise(it Item) Item {
	if it.ReviewDays <= 0 {
		it.ReviewDays = 7
	}
	if it.LeadTimeDays < 0 {
		it.LeadTimeDays = 0
	}
	if !(it.ServiceLevel > 0 && it.ServiceLevel < 1) {
		it.ServiceLevel = 0.95
	}
	it.PackSize = max(it.PackSize, 1)
	it.MinOrderQty = max(it.MinOrderQty, 1)
	return it
}

// QuantileLevel returns the probability at which demand quantiles are
// taken for a target service level and a calibration factor k:
// 1 − (1 − target)·k, kept within [0.5, 0.9999]; k ≤ 0 means 1.
func QuantileLevel(target, k float64) float64 {
	if k <= 0 || math.IsNaN(k) || math.IsInf(k, 0) {
		k = 1
	}
	return math.Min(math.Max(1-(1-target)*k, 0.5), 0.9999)
}

// spreadTerm is the extra safety stock for lead-time variability:
// z·d̄·σ_L, the d̄²σ_L² part of SS = z·√(L·σ_d² + d̄²·σ_L²) (Silver et al.
// eq. 7.21) added on top of the demand quantile.
func spreadTerm(daily, sdL, p float64) float64 {
	if sdL <= 0 || daily <= 0 {
		return 0
	}
	return distuv.UnitNormal.Quantile(p) * daily * sdL
}

// RoundUp rounds a positive quantity up to the minimum order and then to a
// whole number of packs: q = ⌈max(q, MOQ) / pack⌉·pack. Zero stays zero.
func RoundUp(q, moq, pack int64) int64 {
	if q <= 0 {
		return 0
	}
	moq, pack = max(moq, 1), max(pack, 1)
	q = max(q, moq)
	return (q + pack - 1) / pack * pack
}

// stockoutDay returns the first day on which expected cumulative demand
// exceeds the stock, within a year.
func stockoutDay(d Demand, stock float64) (int, bool) {
	if stock <= 0 {
		return 0, true
	}
	var cum float64
	for day := 0; day < horizonCap; day++ {
		cum += math.Max(finite(d.Mean(day)), 0)
		if cum > stock {
			return day, true
		}
	}
	return 0, false
}

func urgency(s Suggestion, net float64, onHand int64, today time.Time) Urgency {
	switch {
	case onHand <= 0 && s.DailyDemand > 0, net <= s.ReorderPoint && s.DailyDemand > 0:
		return Overdue
	case !s.OrderBy.IsZero() && !s.OrderBy.After(today):
		return Overdue
	case !s.OrderBy.IsZero() && s.OrderBy.Before(today.AddDate(0, 0, 7)):
		return ThisWeek
	}
	return Later
}

func reason(s Suggestion, it Item) string {
	stock := fmt.Sprintf("%d in stock", it.OnHand)
	if it.OnOrder > 0 {
		stock += fmt.Sprintf(" (+%d on order)", it.OnOrder)
	}
	sells := "sells " + rate(s.DailyDemand)
	lead := fmt.Sprintf("supplier takes %d days", s.LeadTimeDays)
	switch {
	case s.Quantity == 0:
		return fmt.Sprintf("%s, %s, %s: no order needed (reorder point %.0f).", capital(sells), stock, lead, s.ReorderPoint)
	case s.OrderBy.IsZero():
		return fmt.Sprintf("%s, %s, %s: order %d to reach %.0f.", capital(sells), stock, lead, s.Quantity, s.OrderUpTo)
	case s.Urgency == Overdue:
		return fmt.Sprintf("%s, %s, %s: order %d now (reorder point %.0f, runs out ~%s).",
			capital(sells), stock, lead, s.Quantity, s.ReorderPoint, s.StockoutDate.Format("2 Jan"))
	}
	return fmt.Sprintf("%s, %s, %s: order %d by %s.", capital(sells), stock, lead, s.Quantity, s.OrderBy.Format("2 Jan"))
}

func rate(perDay float64) string {
	switch {
	case perDay >= 10:
		return fmt.Sprintf("~%.0f/day", perDay)
	case perDay >= 1:
		return fmt.Sprintf("~%.1f/day", perDay)
	case perDay*7 >= 1:
		return fmt.Sprintf("~%.1f/week", perDay*7)
	case perDay > 0:
		return fmt.Sprintf("~%.1f/month", perDay*30)
	}
	return "nothing lately"
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
