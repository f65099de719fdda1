package app

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/forecast/trend"
)

// Analytics serves trends, the ABC×XYZ matrix and the dashboard KPIs.
// Results come from a snapshot rebuilt only when the ledger or catalogue
// changed since the last one, so idle polling costs two indexed lookups.
type Analytics struct {
	*base
	// maxStale is how long a snapshot may be served after the data changed
	// while a fresh one is built in the background (0: rebuild at once).
	maxStale time.Duration

	mu         sync.Mutex
	snap       *snapshot
	rebuilding bool
}

// TrendWindow is how many days of history trends look at.
const TrendWindow = 200

// snapshot is the analysed state of every active product at one version.
type snapshot struct {
	version  string
	built    time.Time
	products []db.Product
	trends   []trend.Trend
	byID     map[int64]int
}

// ProductTrend is a product's trend with the fields a list needs.
type ProductTrend struct {
	trend.Trend
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	CategoryID *int64 `json:"category_id"`
	SupplierID *int64 `json:"supplier_id"`
	Stock      int64  `json:"stock"`
}

// ledgerVersion is dataVersion, reused while no change is seen.
func (b *base) ledgerVersion(ctx context.Context, today time.Time) (string, error) {
	return b.ledger.get(b.changes, today, func() (string, error) { return dataVersion(ctx, b.db, today) })
}

// dataVersion identifies the state of sales, stock and catalogue cheaply.
func dataVersion(ctx context.Context, idb bun.IDB, today time.Time) (string, error) {
	var moves, products int64
	var updated time.Time
	if err := idb.NewSelect().Model((*db.StockMovement)(nil)).ColumnExpr("COALESCE(MAX(id), 0)").Scan(ctx, &moves); err != nil {
		return "", fmt.Errorf("data version: %w", err)
	}
	var row struct {
		N int64     `bun:"n"`
		V int64     `bun:"v"`
		U time.Time `bun:"u"`
	}
	if err := idb.NewSelect().Model((*db.Product)(nil)).
		ColumnExpr("COUNT(*) AS n, COALESCE(SUM(version), 0) AS v, MAX(updated_at) AS u").Scan(ctx, &row); err != nil {
		return "", fmt.Errorf("data version: %w", err)
	}
	products, updated = row.N, row.U
	return fmt.Sprintf("%s/%d/%d/%d/%d", today.Format(db.DayLayout), moves, products, row.V, updated.UnixNano()), nil
}

// current returns the snapshot for the current data. When the data changed
// and the last snapshot is younger than maxStale, that one is returned and
// a new one is built in the background; otherwise it is rebuilt now.
func (an *Analytics) current(ctx context.Context) (*snapshot, error) {
	today, err := an.today(ctx)
	if err != nil {
		return nil, err
	}
	v, err := an.ledgerVersion(ctx, today)
	if err != nil {
		return nil, err
	}
	an.mu.Lock()
	defer an.mu.Unlock()
	if an.snap != nil && an.snap.version == v {
		return an.snap, nil
	}
	if an.snap != nil && time.Since(an.snap.built) < an.maxStale {
		if !an.rebuilding {
			an.rebuilding = true
			go an.rebuild(context.WithoutCancel(ctx), today, v)
		}
		return an.snap, nil
	}
	s, err := an.buildSnapshot(ctx, today)
	if err != nil {
		return nil, err
	}
	s.version = v
	an.snap = s
	return s, nil
}

// rebuild builds a snapshot in the background and installs it.
func (an *Analytics) rebuild(ctx context.Context, today time.Time, version string) {
	s, err := an.buildSnapshot(ctx, today)
	an.mu.Lock()
	an.rebuilding = false
	if err != nil {
		an.mu.Unlock()
		return // the next request retries; the stale snapshot stays valid meanwhile
	}
	s.version = version
	an.snap = s
	an.mu.Unlock()
	// What the dashboard shows changed: tell live pages.
	an.changes.Bump()
}

func (an *Analytics) buildSnapshot(ctx context.Context, today time.Time) (*snapshot, error) {
	idb := an.db
	var products []db.Product
	if err := idb.NewSelect().Model(&products).Where("active = ?", true).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	from, to := today.AddDate(0, 0, -TrendWindow), today.AddDate(0, 0, 1)
	demand, err := an.loadDemand(ctx, idb, DemandQuery{From: from, To: to, WithRevenue: true})
	if err != nil {
		return nil, err
	}
	lastSale, err := lastSaleDays(ctx, idb)
	if err != nil {
		return nil, err
	}
	inputs := make([]trend.Product, len(products))
	byID := make(map[int64]int, len(products))
	for i, p := range products {
		byID[p.ID] = i
		in := trend.Product{ID: p.ID, End: to, OnHand: p.Stock, UnitCost: p.UnitCost.Float(), LastSale: lastSale[p.ID]}
		if d := demand[p.ID]; d != nil {
			in.Units, in.Revenue = d.Values, d.Revenue
			if in.Revenue == nil {
				in.Revenue = make([]float64, len(d.Values))
			}
		}
		inputs[i] = in
	}
	return &snapshot{built: time.Now(), products: products, trends: trend.Analyze(inputs, trend.Options{}), byID: byID}, nil
}

// lastSaleDays returns each product's last day with sales.
func lastSaleDays(ctx context.Context, idb bun.IDB) (map[int64]time.Time, error) {
	var last []struct {
		ProductID int64  `bun:"product_id"`
		Day       string `bun:"day"`
	}
	if err := idb.NewSelect().Model((*db.DailySales)(nil)).ColumnExpr("product_id, MAX(day) AS day").
		Where("units > 0").Group("product_id").Scan(ctx, &last); err != nil {
		return nil, fmt.Errorf("load last sale days: %w", err)
	}
	out := make(map[int64]time.Time, len(last))
	for _, l := range last {
		day, ok := parseDay(l.Day)
		if !ok {
			return nil, fmt.Errorf("last sale day %q of product %d", l.Day, l.ProductID)
		}
		out[l.ProductID] = day
	}
	return out, nil
}

// TrendFilter selects and orders trends.
type TrendFilter struct {
	CategoryID int64
	SupplierID int64
	Class      string // demand class: smooth, erratic, intermittent, lumpy, …
	ABC        string // A, B or C
	XYZ        string // X, Y or Z
	Mover      string // fast, slow, normal, none
	Dead       bool   // only dead stock
	Excess     bool   // only excess stock
	Sort       string // revenue_30d (default, descending), units_30d, velocity_change, days_of_cover, dead_value, sku; "-" flips
	Limit      int
	Offset     int
}

var trendSorts = map[string]func(a, b *ProductTrend) bool{
	"revenue_30d":     func(a, b *ProductTrend) bool { return a.Revenue30 < b.Revenue30 },
	"units_30d":       func(a, b *ProductTrend) bool { return a.Units30 < b.Units30 },
	"velocity_change": func(a, b *ProductTrend) bool { return a.VelocityChange < b.VelocityChange },
	"days_of_cover":   func(a, b *ProductTrend) bool { return coverOf(a) < coverOf(b) },
	"dead_value":      func(a, b *ProductTrend) bool { return a.DeadValue < b.DeadValue },
	"excess_value":    func(a, b *ProductTrend) bool { return a.ExcessValue < b.ExcessValue },
	"sku":             func(a, b *ProductTrend) bool { return a.SKU < b.SKU },
}

// TrendSortKeys lists the accepted TrendFilter.Sort keys (without "-").
func TrendSortKeys() []string {
	keys := make([]string, 0, len(trendSorts))
	for k := range trendSorts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func coverOf(t *ProductTrend) float64 {
	if t.DaysOfCover == nil {
		return math.MaxFloat64
	}
	return *t.DaysOfCover
}

// Trends returns product trends that match f and the total that match.
// Sort keys sort descending by default ("-key" ascending), except sku.
func (an *Analytics) Trends(ctx context.Context, a Actor, f TrendFilter) ([]ProductTrend, int, error) {
	if err := a.require(db.RoleViewer, "read trends"); err != nil {
		return nil, 0, err
	}
	key := f.Sort
	if key == "" {
		key = "revenue_30d"
	}
	flip := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	asc := (key == "sku") != flip
	less, ok := trendSorts[key]
	if !ok {
		return nil, 0, &Error{Code: EINVALID, Message: "Validation failed.", Fields: []FieldError{{Field: "sort", Message: "unknown sort key " + f.Sort}}}
	}
	s, err := an.current(ctx)
	if err != nil {
		return nil, 0, err
	}
	var items []ProductTrend
	for i := range s.products {
		p, t := &s.products[i], s.trends[i]
		if !trendMatches(p, &t, f) {
			continue
		}
		items = append(items, ProductTrend{Trend: t, SKU: p.SKU, Name: p.Name, CategoryID: p.CategoryID, SupplierID: p.SupplierID, Stock: p.Stock})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if asc {
			return less(&items[i], &items[j])
		}
		return less(&items[j], &items[i])
	})
	total := len(items)
	lo := min(max(f.Offset, 0), total)
	hi := min(lo+pageLimit(f.Limit), total)
	return append([]ProductTrend{}, items[lo:hi]...), total, nil
}

func trendMatches(p *db.Product, t *trend.Trend, f TrendFilter) bool {
	switch {
	case f.CategoryID != 0 && (p.CategoryID == nil || *p.CategoryID != f.CategoryID),
		f.SupplierID != 0 && (p.SupplierID == nil || *p.SupplierID != f.SupplierID),
		f.Class != "" && t.Class != f.Class,
		f.ABC != "" && t.ABC != f.ABC,
		f.XYZ != "" && t.XYZ != f.XYZ,
		f.Mover != "" && t.Mover != f.Mover,
		f.Dead && !t.Dead,
		f.Excess && !t.Excess:
		return false
	}
	return true
}

// ABCXYZ returns the nine cells of the ABC×XYZ matrix.
func (an *Analytics) ABCXYZ(ctx context.Context, a Actor) ([]trend.Cell, error) {
	if err := a.require(db.RoleViewer, "read trends"); err != nil {
		return nil, err
	}
	s, err := an.current(ctx)
	if err != nil {
		return nil, err
	}
	return trend.Matrix(s.trends), nil
}

// ProductTrend returns one product's trend (zero trend for inactive products).
func (an *Analytics) ProductTrend(ctx context.Context, a Actor, id int64) (*trend.Trend, error) {
	if err := a.require(db.RoleViewer, "read trends"); err != nil {
		return nil, err
	}
	s, err := an.current(ctx)
	if err != nil {
		return nil, err
	}
	i, ok := s.byID[id]
	if !ok {
		return nil, Errorf(ENOTFOUND, "No trend for product %d (inactive or unknown).", id)
	}
	t := s.trends[i]
	return &t, nil
}

// abcClasses returns the ABC class of each active product from the snapshot.
func (an *Analytics) abcClasses(ctx context.Context) (map[int64]string, error) {
	s, err := an.current(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(s.products))
	for i, p := range s.products {
		out[p.ID] = s.trends[i].ABC
	}
	return out, nil
}
