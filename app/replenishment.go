package app

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"

	"smartinventory/db"
	"smartinventory/forecast"
	"smartinventory/forecast/restock"
)

// ReplenishmentOptions are the shop-wide restock settings.
type ReplenishmentOptions struct {
	ReviewDays   int                // R: days between reviews (default 7)
	ServiceByABC map[string]float64 // default service level by ABC class (A 0.98, B 0.95, C 0.90)
	OrderCost    float64            // cost of placing an order, for EOQ (0: off)
	HoldingRate  float64            // yearly holding cost as a share of unit cost, for EOQ (0: off)
	Calibration  float64            // restock calibration factor k (0: the stored setting, else 1)
	DefaultLead  int                // lead time when neither product nor supplier sets one (default 7)
}

// DefaultReplenishment returns the default settings.
func DefaultReplenishment() ReplenishmentOptions {
	return ReplenishmentOptions{ReviewDays: 7, ServiceByABC: map[string]float64{"A": 0.98, "B": 0.95, "C": 0.90}, DefaultLead: 7}
}

// Restock turns cached forecasts and stock positions into restock
// suggestions (App.Restock); ReplenishmentOptions are its settings.
type Restock struct {
	*base
	forecasts *Forecasts
	analytics *Analytics
	opt       ReplenishmentOptions

	mu      sync.Mutex
	version string                   // data version the cached lines were computed at
	lines   []RestockLine            // shared: callers must not modify
	points  map[int64]ReorderPointOf // effective reorder points, with lines

	versions genCache[string] // dataVersion's last answer
}

// RestockLine is the suggestion for one product.
type RestockLine struct {
	ProductID    int64    `json:"product_id"`
	SKU          string   `json:"sku"`
	Name         string   `json:"name"`
	SupplierID   *int64   `json:"supplier_id"`
	SupplierName string   `json:"supplier_name"`
	Stock        int64    `json:"stock"`
	OnOrder      int64    `json:"on_order" doc:"Still to come on approved, ordered or partly received purchase orders; drafts never count."`
	UnitCost     db.Money `json:"unit_cost"`
	ABC          string   `json:"abc"`
	DemandClass  string   `json:"demand_class"`
	Model        string   `json:"model"`
	// PendingDrafts are the product's lines on draft purchase orders:
	// awaiting approval, so not counted as on order.
	PendingDrafts []PendingDraft `json:"pending_drafts" doc:"The product's lines on draft purchase orders, awaiting approval (not on order)."`
	restock.Suggestion
}

// ReorderPointOf is a product's effective reorder point: the policy's
// computed value unless a manager set a manual one (the product's
// reorder_point > 0). Value is nil when there is none (no demand over the
// lead time and no manual point). Position is on hand + on order.
type ReorderPointOf struct {
	Value    *int64 `json:"effective_reorder_point"`
	Source   string `json:"reorder_point_source"` // computed, manual or none
	Position int64  `json:"net_stock"`
}

// Low reports whether the position is at or below the effective reorder
// point: the one low-stock rule of the dashboard, the products filter and
// the product page (and exactly when a suggestion is overdue by its point).
func (p ReorderPointOf) Low() bool { return p.Value != nil && p.Position <= *p.Value }

// ReorderPointInfo is the suggestion's effective reorder point.
func (l *RestockLine) ReorderPointInfo() ReorderPointOf {
	return ReorderPointOf{Value: l.EffectiveReorderPoint, Source: l.ReorderPointSource, Position: l.NetStock}
}

// Text is the reorder point for people: "77", "50 (manual)" or "none".
func (p ReorderPointOf) Text() string {
	switch {
	case p.Value == nil:
		return "none"
	case p.Source == restock.SourceManual:
		return strconv.FormatInt(*p.Value, 10) + " (manual)"
	}
	return strconv.FormatInt(*p.Value, 10)
}

// manualReorderPoint is the effective reorder point of an active product
// without a suggestion (no forecast yet): its manual point, if any.
func manualReorderPoint(p *db.Product, onOrder int64) (ReorderPointOf, bool) {
	if p.ReorderPoint <= 0 {
		return ReorderPointOf{}, false
	}
	v := p.ReorderPoint
	return ReorderPointOf{Value: &v, Source: restock.SourceManual, Position: p.Stock + onOrder}, true
}

// RestockGroup is the suggestions for one supplier.
type RestockGroup struct {
	SupplierID   *int64        `json:"supplier_id"`
	SupplierName string        `json:"supplier_name"`
	Lines        []RestockLine `json:"lines"`
	Units        int64         `json:"units"`
	Value        float64       `json:"value"`
}

// RestockFilter selects suggestions.
type RestockFilter struct {
	SupplierID int64
	Urgency    string // overdue, this_week, later; empty = all with a quantity
	All        bool   // include products that need no order
}

// CanRead reports whether the actor may read restock suggestions (nil) or
// not (EUNAUTHORIZED / EFORBIDDEN), for callers that serve cached answers.
func (r *Restock) CanRead(a Actor) error {
	return a.require(db.RoleViewer, "read restock suggestions")
}

// Suggestions returns restock suggestions by order-by date (earliest
// first, none last), then by value at risk (the order's value, highest
// first).
func (r *Restock) Suggestions(ctx context.Context, a Actor, f RestockFilter) ([]RestockLine, error) {
	if err := a.require(db.RoleViewer, "read restock suggestions"); err != nil {
		return nil, err
	}
	switch f.Urgency {
	case "", string(restock.Overdue), string(restock.ThisWeek), string(restock.Later):
	default:
		return nil, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "urgency", Message: "must be overdue, this_week or later"}}}
	}
	lines, _, err := r.compute(ctx)
	if err != nil {
		return nil, err
	}
	out := lines[:0:0]
	for _, l := range lines {
		switch {
		case f.SupplierID != 0 && (l.SupplierID == nil || *l.SupplierID != f.SupplierID),
			f.Urgency != "" && string(l.Urgency) != f.Urgency,
			!f.All && l.Quantity == 0:
			continue
		}
		out = append(out, l)
	}
	return out, nil
}

// GroupBySupplier groups lines per supplier with totals, suppliers with the
// most urgent lines first.
func GroupBySupplier(lines []RestockLine) []RestockGroup {
	idx := map[int64]int{}
	var groups []RestockGroup
	for _, l := range lines {
		key := int64(0)
		if l.SupplierID != nil {
			key = *l.SupplierID
		}
		i, ok := idx[key]
		if !ok {
			i = len(groups)
			idx[key] = i
			groups = append(groups, RestockGroup{SupplierID: l.SupplierID, SupplierName: l.SupplierName})
		}
		g := &groups[i]
		g.Lines = append(g.Lines, l)
		g.Units += l.Quantity
		g.Value += l.Value
	}
	return groups
}

// compute returns a suggestion for every active product, recomputed only
// when sales, stock, the catalogue, forecasts or purchase orders changed.
// The returned slice is shared and must not be modified.
func (r *Restock) compute(ctx context.Context) ([]RestockLine, map[int64]ReorderPointOf, error) {
	today, err := r.today(ctx)
	if err != nil {
		return nil, nil, err
	}
	v, err := r.dataVersion(ctx, today)
	if err != nil {
		return nil, nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lines != nil && r.version == v {
		return r.lines, r.points, nil
	}
	lines, points, err := r.computeNow(ctx, today)
	if err != nil {
		return nil, nil, err
	}
	r.lines, r.points, r.version = lines, points, v
	return lines, points, nil
}

// ReorderPoints returns the effective reorder point of every active
// product that has one (computed or manual), by product ID. The map is
// shared and must not be modified.
func (r *Restock) ReorderPoints(ctx context.Context, a Actor) (map[int64]ReorderPointOf, error) {
	if err := a.require(db.RoleViewer, "read reorder points"); err != nil {
		return nil, err
	}
	_, points, err := r.compute(ctx)
	return points, err
}

// lowStockIDs returns the active products at or below their effective
// reorder point (ReorderPointOf.Low), for the products filter.
func (r *Restock) lowStockIDs(ctx context.Context) ([]int64, error) {
	_, points, err := r.compute(ctx)
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for id, p := range points {
		if p.Low() {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// calibration returns the configured calibration factor, else the stored one.
func (r *Restock) calibration(ctx context.Context) (float64, error) {
	if r.opt.Calibration > 0 {
		return r.opt.Calibration, nil
	}
	return calibration(ctx, r.db)
}

// dataVersion extends the ledger/catalogue version with the forecasts' and
// purchase orders' state. It is asked again only after a change.
func (r *Restock) dataVersion(ctx context.Context, today time.Time) (string, error) {
	return r.versions.get(r.changes, today, func() (string, error) { return r.computeVersion(ctx, today) })
}

// computeVersion asks the database for dataVersion's answer.
func (r *Restock) computeVersion(ctx context.Context, today time.Time) (string, error) {
	v, err := r.ledgerVersion(ctx, today)
	if err != nil {
		return "", err
	}
	var f, po struct {
		N int64     `bun:"n"`
		V int64     `bun:"v"`
		U time.Time `bun:"u"`
	}
	if err := r.db.NewSelect().Model((*db.Forecast)(nil)).ColumnExpr("COUNT(*) AS n, 0 AS v, MAX(computed_at) AS u").Scan(ctx, &f); err != nil {
		return "", fmt.Errorf("forecast version: %w", err)
	}
	// Every order transition bumps its version, so the sum changes even
	// when two changes share a timestamp.
	if err := r.db.NewSelect().Model((*db.PurchaseOrder)(nil)).
		ColumnExpr("COUNT(*) AS n, COALESCE(SUM(version), 0) AS v, MAX(updated_at) AS u").Scan(ctx, &po); err != nil {
		return "", fmt.Errorf("purchase order version: %w", err)
	}
	k, err := r.calibration(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/%d/%d/%d/%d/%d/%g", v, f.N, f.U.UnixNano(), po.N, po.V, po.U.UnixNano(), k), nil
}

// computeNow builds a suggestion for every active product.
func (r *Restock) computeNow(ctx context.Context, today time.Time) ([]RestockLine, map[int64]ReorderPointOf, error) {
	var products []db.Product
	if err := r.db.NewSelect().Model(&products).Where("active = ?", true).OrderExpr("id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("load products: %w", err)
	}
	var suppliers []db.Supplier
	if err := r.db.NewSelect().Model(&suppliers).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("load suppliers: %w", err)
	}
	supplierByID := make(map[int64]*db.Supplier, len(suppliers))
	for i := range suppliers {
		supplierByID[suppliers[i].ID] = &suppliers[i]
	}
	forecasts, err := r.forecasts.all(ctx)
	if err != nil {
		return nil, nil, err
	}
	onOrder, err := OnOrder(ctx, r.db)
	if err != nil {
		return nil, nil, err
	}
	drafts, err := PendingDrafts(ctx, r.db)
	if err != nil {
		return nil, nil, err
	}
	abc, err := r.analytics.abcClasses(ctx)
	if err != nil {
		return nil, nil, err
	}
	spread, err := leadTimeSpread(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	k, err := r.calibration(ctx)
	if err != nil {
		return nil, nil, err
	}
	lines := make([]RestockLine, 0, len(products))
	points := make(map[int64]ReorderPointOf, len(products))
	for i := range products {
		p := &products[i]
		f := forecasts[p.ID]
		if f == nil {
			if rp, ok := manualReorderPoint(p, onOrder[p.ID]); ok {
				points[p.ID] = rp
			}
			continue
		}
		sup := (*db.Supplier)(nil)
		if p.SupplierID != nil {
			sup = supplierByID[*p.SupplierID]
		}
		item := r.item(p, sup, abc[p.ID], onOrder[p.ID], spread, k)
		l := RestockLine{ProductID: p.ID, SKU: p.SKU, Name: p.Name, SupplierID: p.SupplierID, Stock: p.Stock,
			OnOrder: onOrder[p.ID], UnitCost: p.UnitCost, ABC: abc[p.ID], DemandClass: f.Profile.Class.String(), Model: f.Method,
			PendingDrafts: drafts[p.ID], Suggestion: restock.Suggest(demandOf{f, today}, item, today)}
		if l.PendingDrafts == nil {
			l.PendingDrafts = []PendingDraft{}
		}
		if sup != nil {
			l.SupplierName = sup.Name
		}
		lines = append(lines, l)
		if l.EffectiveReorderPoint != nil {
			points[p.ID] = l.ReorderPointInfo()
		}
	}
	sortByOrderBy(lines)
	return lines, points, nil
}

// sortByOrderBy orders suggestions by order-by date, earliest first and
// those without one last, then by value at risk (the order's value),
// highest first, then by SKU.
func sortByOrderBy(lines []RestockLine) {
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i].OrderBy, lines[j].OrderBy
		switch {
		case a.IsZero() != b.IsZero():
			return b.IsZero()
		case !a.Equal(b):
			return a.Before(b)
		case lines[i].Value != lines[j].Value:
			return lines[i].Value > lines[j].Value
		}
		return lines[i].SKU < lines[j].SKU
	})
}

func (r *Restock) item(p *db.Product, sup *db.Supplier, abc string, onOrder int64, spread map[int64]float64, k float64) restock.Item {
	lead, assumed := r.opt.DefaultLead, true
	var sd float64
	name := ""
	if sup != nil {
		lead, assumed, name = sup.LeadTimeDays, false, sup.Name
		sd = spread[sup.ID]
	}
	if p.LeadTimeDays != nil {
		lead, assumed = *p.LeadTimeDays, false
	}
	sl := r.opt.ServiceByABC[abc]
	if sl == 0 {
		sl = r.opt.ServiceByABC["C"]
	}
	if p.ServiceLevel != nil {
		sl = *p.ServiceLevel
	}
	return restock.Item{OnHand: p.Stock, OnOrder: onOrder, LeadTimeDays: lead, LeadTimeSD: sd, ReviewDays: r.opt.ReviewDays,
		ServiceLevel: sl, PackSize: int64(p.PackSize), MinOrderQty: int64(p.MinOrderQty), UnitCost: p.UnitCost.Float(),
		OrderCost: r.opt.OrderCost, HoldingRate: r.opt.HoldingRate, Calibration: k,
		ManualReorderPoint: p.ReorderPoint, Supplier: name, AssumedLead: assumed}
}

// demandOf adapts a cached forecast to the restock policy. The forecast
// starts on its own start day; days before today are skipped.
type demandOf struct {
	f     *forecast.Forecast
	today time.Time
}

func (d demandOf) offset() int {
	return max(int(d.today.Sub(d.f.Start).Hours()/24), 0)
}

func (d demandOf) Mean(step int) float64 {
	if len(d.f.Point) == 0 {
		return 0
	}
	return d.f.Point[min(step+d.offset(), len(d.f.Point)-1)]
}

func (d demandOf) Cumulative(days int) float64 {
	off := d.offset()
	return d.f.Cumulative(days+off) - d.f.Cumulative(off)
}

func (d demandOf) CumulativeQuantile(days int, p float64) float64 {
	off := d.offset()
	if off == 0 {
		return d.f.CumulativeQuantile(days, p)
	}
	// A forecast a few days old: shift by removing the expected demand of
	// the days already past (their uncertainty is kept, erring on the safe side).
	return math.Max(d.f.CumulativeQuantile(days+off, p)-d.f.Cumulative(off), 0)
}

// leadTimeSpread returns, per supplier, the standard deviation in days of
// measured lead times (ordered → received) over its received orders, when
// it has at least three.
func leadTimeSpread(ctx context.Context, r *Restock) (map[int64]float64, error) {
	var orders []db.PurchaseOrder
	if err := r.db.NewSelect().Model(&orders).Column("supplier_id", "ordered_at", "received_at").
		Where("status = ? AND ordered_at IS NOT NULL AND received_at IS NOT NULL", db.POReceived).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load received orders: %w", err)
	}
	days := map[int64][]float64{}
	for _, o := range orders {
		days[o.SupplierID] = append(days[o.SupplierID], o.ReceivedAt.Sub(*o.OrderedAt).Hours()/24)
	}
	out := map[int64]float64{}
	for id, d := range days {
		if len(d) < 3 {
			continue
		}
		var m, ss float64
		for _, v := range d {
			m += v
		}
		m /= float64(len(d))
		for _, v := range d {
			ss += (v - m) * (v - m)
		}
		out[id] = math.Sqrt(ss / float64(len(d)-1))
	}
	return out, nil
}
