package seed

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"smartinventory/db"
)

// ProductTruth is what the simulation used for one product's demand, so
// that learned effects can be checked against it: units scale with
// (price / first regular price)^−Elasticity, and by a promotion's Uplift
// on its days (on top of the price cut, which the elasticity does not
// see: promotion days sell at the promotional price).
type ProductTruth struct {
	ProductID  int64
	SKU        string
	Elasticity float64
	// Promotions are the promotions written, in day order, with the
	// uplift the simulation applied (Planned ones lie after the history and
	// have no sales).
	Promotions []PromotionTruth
}

// PromotionTruth is one promotion of ProductTruth.
type PromotionTruth struct {
	FirstDay, LastDay string
	Uplift            float64
	PercentOff        float64
	Planned           bool
}

// promotionRows returns the promotions of a product as rows, without
// overlaps (a later promotion overlapping an earlier one is left out: the
// simulation applied the first on shared days), clipped to the history,
// plus for about one product in four a planned promotion in the next
// weeks. The planned ones are drawn from their own generator, so that the
// history does not change with them.
func promotionRows(w *world, p *plan, id int64, seed int64, now time.Time) ([]db.Promotion, ProductTruth) {
	truth := ProductTruth{ProductID: id, SKU: p.sku, Elasticity: p.elasticity}
	promos := slices.Clone(p.promos)
	slices.SortStableFunc(promos, func(a, b promo) int { return a.From - b.From })
	var rows []db.Promotion
	lastTo := math.MinInt
	day := func(d int) string { return w.first.AddDate(0, 0, d).Format(db.DayLayout) }
	add := func(from, to int, pct float64, feature bool, uplift float64, planned bool) {
		pct = math.Round(pct*10) / 10
		pid := id
		rows = append(rows, db.Promotion{ProductID: &pid, FirstDay: day(from), LastDay: day(to - 1), PercentOff: &pct,
			Display: true, Feature: feature, Note: "demo", Version: 1, CreatedAt: now, UpdatedAt: now})
		truth.Promotions = append(truth.Promotions, PromotionTruth{FirstDay: day(from), LastDay: day(to - 1), Uplift: uplift, PercentOff: pct, Planned: planned})
	}
	for _, pr := range promos {
		from, to := max(pr.From, 0), min(pr.To, w.days)
		if from >= to || from < lastTo {
			continue
		}
		lastTo = to
		add(from, to, pr.Discount*100, pr.Uplift >= 2.2, pr.Uplift, false)
	}
	r := rand.New(rand.NewPCG(uint64(seed)^0x5851f42d4c957f2d, uint64(id)))
	if p.life == lifeRegular && r.IntN(4) == 0 {
		from := w.days + 3 + r.IntN(25)
		add(from, from+7, 10+float64(r.IntN(21)), r.IntN(2) == 0, 0, true)
	}
	return rows, truth
}
