package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"smartinventory/db"
	"smartinventory/db/namekey"
)

// lifecycle says when a product sells during the generated history.
type lifecycle int

const (
	lifeRegular lifecycle = iota // sells all along
	lifeSlow                     // intermittent slow mover
	lifeDead                     // stops selling part way (dead stock remains)
	lifeNew                      // introduced part way
)

// promo is a short promotion: demand × Uplift and price × (1 − Discount)
// on days [From, To).
type promo struct {
	From, To int
	Uplift   float64
	Discount float64
}

// priceChange multiplies the regular price (and cost) from Day on.
type priceChange struct {
	Day    int
	Factor float64
}

// plan is everything random about one product, drawn up front from the
// product's own generator so that the history does not depend on the order
// in which products are simulated.
type plan struct {
	life       lifecycle
	category   int
	supplier   int
	sku, name  string
	desc       string
	packSize   int
	moq        int
	leadOver   *int
	service    *float64
	cost0      float64 // cents
	price0     float64 // cents
	start, end int     // sells on days [start, end)
	level      float64 // mean units/day at start
	growth     float64 // relative change per year
	weekly     [7]float64
	amp        float64
	peak       int
	elasticity float64
	shape      float64 // gamma shape of day-to-day demand noise
	promos     []promo
	changes    []priceChange
	// Buyer behaviour for the reorder-point policy.
	guess  float64 // initial demand estimate relative to level
	review int     // days of demand an order covers on top of the lead time
	safety float64 // safety factor (z-like)
}

// supplierRef is a supplier as the simulation needs it.
type supplierRef struct {
	ID           int64
	Name         string
	LeadTimeDays int
}

// world is the catalogue the products are generated into.
type world struct {
	days        int
	first       time.Time // UTC midnight of day 0
	categoryIDs []int64   // parallel to categories
	suppliers   []supplierRef
	created     time.Time // creation time of regular products
	// now, when the history ends today, is the present: the times of
	// today's events are compressed into the part of the day that has
	// passed, so that nothing is dated in the future (zero: no cut-off).
	now time.Time
	// loc is the shop's zone: simulated times are wall-clock times in it
	// (written as UTC values) until clock turns them into instants.
	loc *time.Location
}

// wall is t's wall-clock time in the shop's zone, as a UTC value.
func (w *world) wall(t time.Time) time.Time {
	if w.loc == nil {
		return t.UTC()
	}
	l := t.In(w.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// instant is the moment at which the shop's clocks show wall.
func (w *world) instant(wall time.Time) time.Time {
	if w.loc == nil {
		return wall
	}
	return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), w.loc).UTC()
}

// clock maps a simulated wall-clock time to the instant of an event that is
// not in the future: times on now's day keep their order but are scaled
// into [midnight, now].
func (w *world) clock(t time.Time) time.Time { return w.instant(w.squeeze(t)) }

func (w *world) squeeze(t time.Time) time.Time {
	if w.now.IsZero() {
		return t
	}
	y, m, d := w.now.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Before(midnight) {
		return t
	}
	frac := float64(t.Sub(midnight)) / float64(24*time.Hour)
	return midnight.Add(time.Duration(frac * float64(w.now.Sub(midnight))))
}

// productOut is the generated history of one product.
type productOut struct {
	product   db.Product
	sales     []db.Sale
	moves     []db.StockMovement
	daily     []db.DailySales
	units     int64
	revenue   int64
	lost      int64
	stockouts int // selling days that ended with zero stock
}

func newPlan(r *rand.Rand, w *world, sku string) *plan {
	p := &plan{}
	p.category = r.IntN(len(categories))
	c := &categories[p.category]
	p.supplier = (p.category*3 + r.IntN(5)) % len(w.suppliers)
	p.sku = sku
	p.name = productName(r, c)
	p.desc = fmt.Sprintf("%s, %s.", p.name, c.Description)

	switch x := r.Float64(); {
	case x < 0.15:
		p.life = lifeSlow
	case x < 0.22:
		p.life = lifeDead
	case x < 0.30:
		p.life = lifeNew
	default:
		p.life = lifeRegular
	}

	p.cost0 = math.Max(25, math.Min(60000, c.CostCents*math.Exp(0.8*r.NormFloat64())))
	p.price0 = p.cost0 * (1.3 + 1.2*r.Float64())
	switch {
	case p.cost0 < 150:
		p.packSize = []int{6, 12, 12, 24, 24, 48}[r.IntN(6)]
	case p.cost0 < 600:
		p.packSize = []int{1, 4, 6, 6, 10, 12}[r.IntN(6)]
	default:
		p.packSize = []int{1, 1, 1, 2, 4}[r.IntN(5)]
	}
	p.moq = p.packSize * []int{1, 1, 1, 2, 3, 5}[r.IntN(6)]
	if r.Float64() < 0.15 {
		lt := max(1, w.suppliers[p.supplier].LeadTimeDays+r.IntN(9)-3)
		p.leadOver = &lt
	}
	if r.Float64() < 0.25 {
		sl := []float64{0.90, 0.95, 0.975, 0.98, 0.99}[r.IntN(5)]
		p.service = &sl
	}

	d := w.days
	p.start, p.end = 0, d
	switch p.life {
	case lifeSlow:
		p.level = 0.03 + 0.4*r.Float64()*r.Float64()
		p.shape = 0.6
	default:
		p.level = math.Max(0.4, math.Min(120, 3.5*math.Exp(0.85*r.NormFloat64())))
		p.shape = 2 + 4*r.Float64()
	}
	switch p.life {
	case lifeDead:
		p.end = int(float64(d) * (0.3 + 0.55*r.Float64()))
	case lifeNew:
		p.start = int(float64(d) * (0.45 + 0.45*r.Float64()))
	}
	if p.start >= d {
		p.start = d - 1
	}
	p.growth = math.Max(-0.5, math.Min(1.0, 0.05+0.25*r.NormFloat64()))
	if p.life == lifeNew {
		p.growth = math.Abs(p.growth) + 0.3 // new products ramp up
	}
	for i := range p.weekly {
		p.weekly[i] = c.Weekly[i] * (1 + 0.05*r.NormFloat64())
	}
	p.amp = c.Amp * (0.6 + 0.7*r.Float64())
	p.peak = c.Peak + r.IntN(31) - 15
	p.elasticity = 0.5 + 1.5*r.Float64()

	// About three promotions a year for products that sell regularly.
	if p.life != lifeSlow {
		n := int(float64(d) / 365 * (1 + 4*r.Float64()))
		for range n {
			from := p.start + r.IntN(max(1, p.end-p.start))
			p.promos = append(p.promos, promo{
				From: from, To: from + 3 + r.IntN(8),
				Uplift: 1.4 + 1.6*r.Float64(), Discount: 0.1 + 0.2*r.Float64(),
			})
		}
	}
	// Zero to three price changes: mostly increases, sometimes a markdown.
	for range r.IntN(4) {
		f := 1.02 + 0.10*r.Float64()
		if r.Float64() < 0.2 {
			f = 0.85 + 0.1*r.Float64()
		}
		p.changes = append(p.changes, priceChange{Day: p.start + r.IntN(max(1, d-p.start)), Factor: f})
	}

	p.guess = 0.6 + 0.8*r.Float64()
	p.review = 7 + r.IntN(15)
	p.safety = 2 * r.Float64()
	return p
}

// leadTime is the nominal lead time of the product.
func (p *plan) leadTime(w *world) int {
	if p.leadOver != nil {
		return *p.leadOver
	}
	return w.suppliers[p.supplier].LeadTimeDays
}

// order is a replenishment order on its way.
type order struct {
	arrive  int
	qty     int64
	ordered int
}

// roundUp rounds q up to a multiple of pack and to at least moq.
func roundUp(q int64, pack, moq int) int64 {
	if q <= 0 {
		return 0
	}
	pk := int64(max(1, pack))
	q = (q + pk - 1) / pk * pk
	return max(q, int64(moq))
}

// simulate generates the product's history: demand, sales limited by stock,
// replenishment by a reorder-point policy, adjustments. id is the product
// id. Sale ids (and the SaleID of sale movements) are numbered from 0 within
// the product; the caller shifts them to their final values.
func simulate(r *rand.Rand, w *world, p *plan, id int64) *productOut {
	out := &productOut{}
	sup := w.suppliers[p.supplier]
	lead := p.leadTime(w)
	price := p.price0
	cost := p.cost0
	nextChange := 0
	changes := sortedChanges(p.changes)
	created := w.clock(w.first.AddDate(0, 0, p.start).Add(6 * time.Hour))
	if p.life != lifeNew {
		created = w.created
	}
	updated := created

	est := p.level * p.guess
	rop := func() float64 {
		return est*float64(lead) + p.safety*0.45*est*math.Sqrt(float64(lead)) + 1
	}
	orderUpTo := func() float64 { return rop() + est*float64(p.review) }

	var (
		onHand  int64
		pending []order
	)
	move := func(kind db.MovementKind, delta int64, reason string, at time.Time, saleID *int64) {
		at = w.clock(at)
		onHand += delta
		out.moves = append(out.moves, db.StockMovement{
			ProductID: id, Kind: kind, Delta: delta, Balance: onHand, Reason: reason, SaleID: saleID, CreatedAt: at,
		})
	}

	// Opening stock: the buyer's guess of lead time + review demand, sometimes short.
	init := roundUp(int64(math.Ceil(orderUpTo())), p.packSize, p.moq)
	if r.Float64() < 0.1 {
		init = roundUp(init/3, p.packSize, 1)
	}
	move(db.MoveInitial, init, "opening stock", w.first.AddDate(0, 0, p.start).Add(6*time.Hour), nil)

	stopOrdering := p.end - lead - p.review // dead products: the buyer lets them run out
	if p.life != lifeDead {
		stopOrdering = w.days
	}
	for d := p.start; d < w.days; d++ {
		day := w.first.AddDate(0, 0, d)
		for nextChange < len(changes) && changes[nextChange].Day <= d {
			price *= changes[nextChange].Factor
			cost *= changes[nextChange].Factor
			updated = w.clock(day.Add(5 * time.Hour))
			nextChange++
		}

		// Deliveries arrive in the morning.
		kept := pending[:0]
		for _, o := range pending {
			if o.arrive == d {
				at := day.Add(7*time.Hour + time.Duration(r.IntN(3600))*time.Second)
				move(db.MoveReceipt, o.qty, fmt.Sprintf("delivery from %s, ordered %s", sup.Name,
					w.first.AddDate(0, 0, o.ordered).Format(db.DayLayout)), at, nil)
			} else {
				kept = append(kept, o)
			}
		}
		pending = kept

		// Demand and sales.
		if d < p.end {
			t := float64(d - p.start)
			lam := p.level * math.Max(0.15, 1+p.growth*t/365)
			lam *= p.weekly[(int(day.Weekday())+6)%7]
			season := 1 + p.amp*math.Cos(2*math.Pi*float64(day.YearDay()-p.peak)/365.25)
			lam *= math.Max(0.05, season)
			lam *= math.Pow(price/p.price0, -p.elasticity)
			unit := price
			note := ""
			for _, pr := range p.promos {
				if d >= pr.From && d < pr.To {
					lam *= pr.Uplift
					unit = price * (1 - pr.Discount)
					note = "promotion"
					break
				}
			}
			demand := poisson(r, lam*gammaVariate(r, p.shape)/p.shape)
			sold := min(demand, onHand)
			out.lost += demand - sold
			if sold > 0 {
				unitPrice := db.Money(math.Round(unit))
				if note == "" {
					unitPrice = db.Money(roundPrice(unit))
				}
				saleID := int64(len(out.sales))
				at := w.clock(day.Add(8*time.Hour + time.Duration(r.IntN(13*3600*1000))*time.Millisecond))
				out.sales = append(out.sales, db.Sale{
					ID: saleID, ProductID: id, Quantity: sold, UnitPrice: unitPrice, SoldAt: at,
					Channel: channel(r), Note: note, CreatedAt: at,
				})
				rev := sold * int64(unitPrice)
				out.daily = append(out.daily, db.DailySales{ProductID: id, Day: day.Format(db.DayLayout), Units: sold, Revenue: db.Money(rev)})
				out.units += sold
				out.revenue += rev
				move(db.MoveSale, -sold, "sale", at, &saleID)
			}
			if onHand == 0 {
				out.stockouts++
			}
			// The buyer learns from what sold (censored on stock-out days).
			est += 0.04 * (float64(sold) - est)
		}

		// Occasional stock count corrections, damage and shrinkage.
		if onHand > 0 && r.IntN(75) == 0 {
			delta, reason := adjustment(r)
			if onHand+delta >= 0 {
				at := day.Add(21*time.Hour + time.Duration(r.IntN(3600))*time.Second)
				move(db.MoveAdjustment, delta, reason, at, nil)
			}
		}

		// Reorder-point review at the end of the day.
		if d < stopOrdering {
			position := onHand
			for _, o := range pending {
				position += o.qty
			}
			if float64(position) <= rop() {
				q := roundUp(int64(math.Ceil(orderUpTo()))-position, p.packSize, p.moq)
				if q > 0 {
					lt := max(1, lead+r.IntN(4)-1)
					if r.Float64() < 0.05 {
						lt += 4 + r.IntN(11) // supplier delay
					}
					pending = append(pending, order{arrive: d + lt, qty: q, ordered: d})
				}
			}
		}
	}

	var catID, supID *int64
	if p.category < len(w.categoryIDs) {
		v := w.categoryIDs[p.category]
		catID = &v
	}
	sv := sup.ID
	supID = &sv
	out.product = db.Product{
		ID: id, SKU: p.sku, SKUKey: namekey.Key(p.sku), Name: p.name, Description: p.desc,
		CategoryID: catID, SupplierID: supID,
		UnitCost: db.Money(math.Round(cost)), UnitPrice: db.Money(roundPrice(price)),
		Stock: onHand, PackSize: p.packSize, MinOrderQty: p.moq,
		LeadTimeDays: p.leadOver, ServiceLevel: p.service,
		Active: true, Version: 1, CreatedAt: created, UpdatedAt: updated,
	}
	return out
}

func sortedChanges(in []priceChange) []priceChange {
	out := append([]priceChange(nil), in...)
	// Insertion sort: at most three entries; stable for equal days.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Day < out[j-1].Day; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func channel(r *rand.Rand) string {
	switch x := r.IntN(100); {
	case x < 70:
		return "store"
	case x < 95:
		return "online"
	default:
		return "phone"
	}
}

func adjustment(r *rand.Rand) (int64, string) {
	switch r.IntN(6) {
	case 0, 1:
		return -1, "damaged in warehouse"
	case 2:
		return -2, "shrinkage"
	case 3:
		return -1, "cycle count correction"
	case 4:
		return 1, "cycle count correction"
	default:
		return 2, "found in stock count"
	}
}

// poisson draws a Poisson variate with mean lam: Knuth's multiplication
// method for small means, a rounded normal approximation for large ones.
func poisson(r *rand.Rand, lam float64) int64 {
	if !(lam > 0) {
		return 0
	}
	if lam < 30 {
		limit := math.Exp(-lam)
		k := int64(0)
		for p := r.Float64(); p > limit; p *= r.Float64() {
			k++
		}
		return k
	}
	n := math.Round(lam + math.Sqrt(lam)*r.NormFloat64())
	if n < 0 {
		return 0
	}
	return int64(n)
}

// gammaVariate draws from Gamma(shape, 1) with the Marsaglia–Tsang method
// (ACM TOMS 26(3), 2000); shapes below 1 use the boost
// Gamma(k) = Gamma(k+1)·U^(1/k).
func gammaVariate(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaVariate(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
