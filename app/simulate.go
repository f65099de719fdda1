package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/forecast"
	"smartinventory/forecast/restock"
)

// Replenishment backtest
//
// SimulateRestock replays the last Days days of the shop's real demand and
// compares, on exactly the same days, what three replenishment policies
// would have achieved:
//
//   - "forecast" (ours): every review, restock.Suggest on a forecast.Auto
//     forecast fitted to the history known that day, with the app's item
//     terms (lead time, service level by product or ABC class, review
//     period, pack size, minimum order).
//   - "minmax": a fixed min/max rule from average daily demand, as
//     open-source inventory tools do: with avg the mean observed daily
//     demand of the last 90 days, order up to max = avg·(L+R) whenever the
//     position is at or below min = avg·L. "minmax-tuned" multiplies both
//     levels by one factor k, shared by all products and found by
//     bisection so that its cycle service level matches ours: the
//     inventory it needs for our service level.
//   - "linreg": the tutorial's rule: a linear regression with trend and
//     day-of-week dummies on the known history, ordering up to its point
//     forecast of demand over L+R.
//
// Known history: the demand loader's series (NaN on stock-out days) up to
// the day before the replay, followed by what the simulated shop itself
// observed (its own sales, NaN when its stock hit zero). Demand during the
// replay is the recorded demand, with the days the real shop was out of
// stock imputed by restock.ImputeCensored (same-weekday neighbours, noisy
// draws seeded by Seed and the product id). Each replay starts with the
// product's real stock on the morning of its first day and nothing on
// order; the first L days (covered by that stock alone) are left out of the
// metrics. Lead times are the nominal ones (no supplier delays).
//
// Only active products with at least 28 days of history before the replay
// are eligible; by default a deterministic sample of 300 of them (chosen
// by Seed) is replayed, which keeps the run well under a minute on two
// cores while the pooled metrics rest on thousands of replenishment cycles.

// Simulation defaults.
const (
	DefaultSimDays     = 180
	DefaultSimProducts = 300
	simMinHistory      = 28 // days of history a product needs before the replay
	simAverageDays     = 90 // window of the min/max average
)

// SimOptions configure SimulateRestock. The zero value means the defaults.
type SimOptions struct {
	// Days is the length of the replay, ending yesterday (default 180).
	Days int
	// Products is the size of the sample of products replayed (default
	// 300); a negative value or one above the number of eligible products
	// replays them all.
	Products int
	// ReforecastEvery is the number of days between refits of the forecast
	// of our policy (default: the review period, so every review sees a
	// fresh forecast).
	ReforecastEvery int
	// Seed chooses the sample and the imputed demand of censored days.
	Seed uint64
	// Workers is the number of parallel workers (default GOMAXPROCS).
	Workers int
	// Progress, if set, is called after each product with the number done
	// and the total, from the calling goroutine.
	Progress func(done, total int)
	// Calibration is the restock calibration factor k our policy runs with
	// (0: the stored setting, 1 when none).
	Calibration float64
	// Calibrate searches the factor k with which our policy's achieved
	// cycle service level meets its target, and reports the policy at it.
	Calibrate bool
}

// SimReport is the outcome of a replenishment backtest.
type SimReport struct {
	From            string         `json:"from"` // first replay day
	To              string         `json:"to"`   // last replay day
	Days            int            `json:"days"`
	Products        int            `json:"products"` // replayed
	Eligible        int            `json:"eligible"` // could have been replayed
	Seed            uint64         `json:"seed"`
	ReviewDays      int            `json:"review_days"`
	ReforecastEvery int            `json:"reforecast_every"`
	FitFailures     int            `json:"fit_failures"` // forecasts that failed (no order placed that review)
	Calibration     float64        `json:"calibration"`  // factor k our policy ran with (found by --calibrate, or stored)
	Seconds         float64        `json:"seconds"`
	Policies        []PolicyReport `json:"policies"`
}

// PolicyReport is one policy's pooled result over the replayed products.
type PolicyReport struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Target is the service level the policy aims at: the cycle-weighted
	// mean of the products' targets for ours, our achieved level for the
	// tuned min/max, none (null) for the others.
	Target *float64 `json:"target_service_level"`
	// Factor is the min/max multiplier k (min/max policies only).
	Factor         *float64 `json:"factor,omitempty"`
	CycleService   float64  `json:"cycle_service_level"`
	FillRate       float64  `json:"fill_rate"`
	InventoryValue float64  `json:"avg_inventory_value"`
	Orders         int      `json:"orders"`
	StockoutDays   int      `json:"stockout_days"`
	Cycles         int      `json:"cycles"`
	StockoutCycles int      `json:"stockout_cycles"`
	Demand         float64  `json:"units_demanded"`
	Served         float64  `json:"units_served"`
}

// Policy names in SimReport.Policies, in this order.
const (
	PolicyForecast    = "forecast"
	PolicyMinMax      = "minmax"
	PolicyMinMaxTuned = "minmax-tuned"
	PolicyLinReg      = "linreg"
)

// simCase is one product prepared for replay.
type simCase struct {
	p         restock.SimProduct
	histStart time.Time // date of p.History[0]
	start     time.Time // first replay day
}

// SimulateRestock runs the replenishment backtest described in the section
// "Replenishment backtest" on a's database, as of yesterday.
func SimulateRestock(ctx context.Context, a *App, opt SimOptions) (*SimReport, error) {
	began := time.Now()
	r := a.Restock
	if opt.Days == 0 {
		opt.Days = DefaultSimDays
	}
	if opt.Days < 7 || opt.Days > 3660 {
		return nil, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "days", Message: "must be between 7 and 3660"}}}
	}
	if opt.Products == 0 {
		opt.Products = DefaultSimProducts
	}
	if opt.ReforecastEvery <= 0 {
		opt.ReforecastEvery = max(r.opt.ReviewDays, 1)
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	cases, eligible, err := loadSimCases(ctx, a, opt)
	if err != nil {
		return nil, err
	}
	today, err := r.today(ctx)
	if err != nil {
		return nil, err
	}
	rep := &SimReport{
		From: today.AddDate(0, 0, -opt.Days).Format(db.DayLayout), To: today.AddDate(0, 0, -1).Format(db.DayLayout),
		Days: opt.Days, Products: len(cases), Eligible: eligible, Seed: opt.Seed,
		ReviewDays: r.opt.ReviewDays, ReforecastEvery: opt.ReforecastEvery,
	}

	k := opt.Calibration
	if k <= 0 {
		if k, err = calibration(ctx, a.db); err != nil {
			return nil, err
		}
	}
	if opt.Calibrate {
		k = calibrate(ctx, cases, opt)
	}
	rep.Calibration = k

	// Our policy, the tutorial's and the plain min/max, product by product on all cores.
	ours, failures := runOurs(ctx, cases, k, opt, opt.Progress)
	rep.FitFailures = failures
	linreg := runPolicy(ctx, cases, opt.Workers, func(int) restock.Policy { return linregPolicy{} }, nil)
	minmax := runPolicy(ctx, cases, opt.Workers, func(int) restock.Policy { return minMaxPolicy{minF: 1, maxF: 1} }, nil)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("simulate restock: %w", err)
	}

	oursSum := restock.Summarise(ours)
	k, tuned := tuneMinMax(ctx, cases, oursSum.CycleService, opt.Workers)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("simulate restock: %w", err)
	}
	one := 1.0
	achieved := oursSum.CycleService
	rep.Policies = []PolicyReport{
		policyReport(PolicyForecast, "restock suggestion on auto forecasts (quantiles of demand over L and L+R)", ptr(oursSum.Target), nil, oursSum),
		policyReport(PolicyMinMax, "min = avg·L, max = avg·(L+R), avg of the last 90 days", nil, &one, restock.Summarise(minmax)),
		policyReport(PolicyMinMaxTuned, "min/max × k, k tuned to our cycle service level", &achieved, &k, tuned),
		policyReport(PolicyLinReg, "tutorial: linear regression (trend + weekday), order up to its L+R forecast", nil, nil, restock.Summarise(linreg)),
	}
	rep.Seconds = time.Since(began).Seconds()
	return rep, nil
}

func ptr(v float64) *float64 { return &v }

func policyReport(name, desc string, target, factor *float64, s restock.SimSummary) PolicyReport {
	return PolicyReport{Name: name, Description: desc, Target: target, Factor: factor,
		CycleService: s.CycleService, FillRate: s.FillRate, InventoryValue: s.InventoryValue, Orders: s.Orders,
		StockoutDays: s.StockoutDays, Cycles: s.Cycles, StockoutCycles: s.StockoutCycles, Demand: s.Demand, Served: s.Served}
}

// loadSimCases picks the products to replay and loads their histories,
// replay demand, starting stock and terms. It returns the cases (by
// product id) and the number of eligible products.
func loadSimCases(ctx context.Context, a *App, opt SimOptions) ([]simCase, int, error) {
	r := a.Restock
	today, err := r.today(ctx)
	if err != nil {
		return nil, 0, err
	}
	from := today.AddDate(0, 0, -opt.Days)
	var products []db.Product
	if err := r.db.NewSelect().Model(&products).Where("active = ?", true).OrderExpr("id").Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("simulate restock: load products: %w", err)
	}
	loc, err := r.location(ctx)
	if err != nil {
		return nil, 0, err
	}
	firsts, err := firstMovementDays(ctx, r.db, nil, loc)
	if err != nil {
		return nil, 0, fmt.Errorf("simulate restock: %w", err)
	}
	var eligible []*db.Product
	for i := range products {
		if first, ok := firsts[products[i].ID]; ok && !first.After(from.AddDate(0, 0, -simMinHistory)) {
			eligible = append(eligible, &products[i])
		}
	}
	sample := eligible
	if opt.Products > 0 && opt.Products < len(eligible) {
		rng := rand.New(rand.NewPCG(opt.Seed, 0x51a))
		sample = slices.Clone(eligible)
		rng.Shuffle(len(sample), func(i, j int) { sample[i], sample[j] = sample[j], sample[i] })
		sample = sample[:opt.Products]
		slices.SortFunc(sample, func(x, y *db.Product) int { return cmp.Compare(x.ID, y.ID) })
	}
	if len(sample) == 0 {
		return nil, len(eligible), nil
	}
	ids := make([]int64, len(sample))
	for i, p := range sample {
		ids[i] = p.ID
	}

	var suppliers []db.Supplier
	if err := r.db.NewSelect().Model(&suppliers).Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("simulate restock: load suppliers: %w", err)
	}
	supplierByID := make(map[int64]*db.Supplier, len(suppliers))
	for i := range suppliers {
		supplierByID[suppliers[i].ID] = &suppliers[i]
	}
	abc, err := r.analytics.abcClasses(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("simulate restock: %w", err)
	}
	spread, err := leadTimeSpread(ctx, r)
	if err != nil {
		return nil, 0, fmt.Errorf("simulate restock: %w", err)
	}
	stock, err := stockAt(ctx, a, ids, from)
	if err != nil {
		return nil, 0, err
	}
	hist, err := r.loadDemand(ctx, r.db, DemandQuery{ProductIDs: ids, From: from.AddDate(0, 0, -HistoryDays), To: today})
	if err != nil {
		return nil, 0, fmt.Errorf("simulate restock: %w", err)
	}

	cases := make([]simCase, 0, len(sample))
	for _, p := range sample {
		s := hist[p.ID]
		if s == nil {
			continue
		}
		split := int(from.Sub(s.Start).Hours() / 24)
		if split < 0 || split > len(s.Values) {
			continue
		}
		var sup *db.Supplier
		if p.SupplierID != nil {
			sup = supplierByID[*p.SupplierID]
		}
		item := r.item(p, sup, abc[p.ID], 0, spread, 1)
		item.OnHand = stock[p.ID]
		// The replay's demand must be known every day: impute the days the
		// real shop was out of stock.
		values := restock.ImputeCensored(s.Values, split, opt.Seed^uint64(p.ID)*0x9e3779b97f4a7c15)
		cases = append(cases, simCase{
			p: restock.SimProduct{ID: p.ID, History: s.Values[:split:split], Demand: values[split:], Item: item,
				Warmup: -1},
			histStart: s.Start, start: from,
		})
	}
	return cases, len(eligible), nil
}

// stockAt returns each product's stock on hand at the instant at: the
// balance of its last movement before then (0 without one).
func stockAt(ctx context.Context, a *App, ids []int64, at time.Time) (map[int64]int64, error) {
	last := a.db.NewSelect().Model((*db.StockMovement)(nil)).ColumnExpr("MAX(id)").
		Where("created_at < ?", at).Where("product_id IN (?)", bun.In(ids)).Group("product_id")
	var rows []struct {
		ProductID int64 `bun:"product_id"`
		Balance   int64 `bun:"balance"`
	}
	if err := a.db.NewSelect().Model((*db.StockMovement)(nil)).Column("product_id", "balance").
		Where("id IN (?)", last).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("simulate restock: load starting stock: %w", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ProductID] = r.Balance
	}
	return out, nil
}

// runPolicy replays every case with the policy mk builds for case i, on
// workers goroutines, and returns the results in case order. progress, if
// set, is called after each case (serialised, not concurrently).
func runPolicy(ctx context.Context, cases []simCase, workers int, mk func(i int) restock.Policy, progress func(done, total int)) []restock.SimResult {
	res := make([]restock.SimResult, len(cases))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i] = restock.Simulate(cases[i].p, mk(i))
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(cases))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range cases {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return res
}

// runOurs replays our policy with calibration k and returns the results
// and the number of failed forecast fits.
func runOurs(ctx context.Context, cases []simCase, k float64, opt SimOptions, progress func(done, total int)) ([]restock.SimResult, int) {
	policies := make([]*forecastPolicy, len(cases))
	res := runPolicy(ctx, cases, opt.Workers, func(i int) restock.Policy {
		c := &cases[i]
		policies[i] = &forecastPolicy{histStart: c.histStart, start: c.start, every: opt.ReforecastEvery, calibration: k}
		return policies[i]
	}, progress)
	failures := 0
	for _, p := range policies {
		if p != nil {
			failures += p.failures
		}
	}
	return res, failures
}

// calibrate finds the factor k with which our policy's pooled cycle service
// level meets its target: bisection on log k over [1/8, 16] (service falls
// as k grows), keeping the largest k that still meets the target.
func calibrate(ctx context.Context, cases []simCase, opt SimOptions) float64 {
	run := func(k float64) restock.SimSummary {
		res, _ := runOurs(ctx, cases, k, opt, nil)
		return restock.Summarise(res)
	}
	lo, hi := math.Log(0.125), math.Log(16)
	best := 0.125
	for iter := 0; iter < 7 && ctx.Err() == nil; iter++ {
		mid := (lo + hi) / 2
		s := run(math.Exp(mid))
		if s.CycleService >= s.Target {
			lo, best = mid, math.Exp(mid)
		} else {
			hi = mid
		}
	}
	return best
}

// tuneMinMax finds the smallest multiplier k of the min/max levels whose
// pooled cycle service level reaches target, by bisection on [0.25, 16]
// (service grows with k), and returns k and the summary at k.
func tuneMinMax(ctx context.Context, cases []simCase, target float64, workers int) (float64, restock.SimSummary) {
	run := func(k float64) restock.SimSummary {
		return restock.Summarise(runPolicy(ctx, cases, workers, func(int) restock.Policy { return minMaxPolicy{minF: k, maxF: k} }, nil))
	}
	lo, hi := 0.25, 16.0
	best, bestSum := hi, run(hi)
	for iter := 0; iter < 16 && ctx.Err() == nil; iter++ {
		mid := (lo + hi) / 2
		s := run(mid)
		if s.CycleService >= target {
			hi, best, bestSum = mid, mid, s
		} else {
			lo = mid
		}
	}
	return best, bestSum
}

// forecastPolicy is our policy: restock.Suggest on a forecast.Auto
// forecast of the known history, refitted every `every` days and shifted
// in between (the app's demandOf adapter).
type forecastPolicy struct {
	histStart   time.Time // date of State.History[0]
	start       time.Time // first replay day
	every       int
	calibration float64   // restock calibration factor k
	done        func(int) // called with the failure count when the replay ends
	f           *forecast.Forecast
	fitDay      int
	failures    int
}

// Order implements restock.Policy.
func (p *forecastPolicy) Order(s restock.State) int64 {
	today := p.start.AddDate(0, 0, s.Day)
	if p.f == nil || s.Day-p.fitDay >= p.every {
		p.f, p.fitDay = nil, s.Day
		hist, start := s.History, p.histStart
		if n := len(hist) - HistoryDays; n > 0 {
			hist, start = hist[n:], start.AddDate(0, 0, n)
		}
		horizon := max(ForecastHorizon, s.Item.LeadTimeDays+s.Item.ReviewDays+p.every)
		f, err := forecast.Auto(forecast.Series{Start: start, Freq: forecast.Daily, Values: slices.Clone(hist)},
			forecast.AutoOptions{Horizon: horizon, Fast: true})
		switch {
		case errors.Is(err, forecast.ErrNoData):
			return 0 // nothing observed yet: no demand to cover (the app's flat zero forecast)
		case err != nil:
			p.failures++
			return 0
		}
		p.f = f
	}
	it := s.Item
	it.OnHand, it.OnOrder, it.Calibration = s.OnHand, s.OnOrder, p.calibration
	return restock.Suggest(demandOf{p.f, today}, it, today).Quantity
}

// linregPolicy is the tutorial's rule: fit a linear regression with trend
// and day-of-week dummies (forecast.LinReg, the point forecast of
// forecast.Fit(s, "linreg", …)) to the known history at every review and
// order up to its forecast of demand over L+R.
type linregPolicy struct{}

// Order implements restock.Policy.
func (linregPolicy) Order(s restock.State) int64 {
	hist := s.History
	if n := len(hist) - HistoryDays; n > 0 {
		hist = hist[n:]
	}
	m, err := forecast.LinReg{Period: 7}.Fit(hist)
	if err != nil {
		return 0
	}
	var cover float64
	for _, v := range m.Predict(s.Item.LeadTimeDays + s.Item.ReviewDays) {
		if v > 0 && !math.IsInf(v, 0) {
			cover += v
		}
	}
	return int64(math.Ceil(cover)) - s.OnHand - s.OnOrder
}

// minMaxPolicy is the open-source tools' rule: with avg the mean observed
// daily demand of the last 90 days, when the position is at or below
// min = minF·avg·L order up to max = maxF·avg·(L+R).
type minMaxPolicy struct{ minF, maxF float64 }

// Order implements restock.Policy.
func (p minMaxPolicy) Order(s restock.State) int64 {
	var sum, n float64
	for _, v := range s.History[max(len(s.History)-simAverageDays, 0):] {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 || sum == 0 {
		return 0
	}
	avg := sum / n
	L, R := float64(s.Item.LeadTimeDays), float64(s.Item.ReviewDays)
	pos := float64(s.OnHand + s.OnOrder)
	if pos > p.minF*avg*L {
		return 0
	}
	return int64(math.Ceil(p.maxF*avg*(L+R) - pos))
}
