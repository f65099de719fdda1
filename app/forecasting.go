package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
	"smartinventory/forecast"
)

// Forecasting defaults.
const (
	HistoryDays     = 730 // days of history a forecast looks at
	ForecastHorizon = 90  // days forecast by the batch
)

// Forecasts computes demand forecasts for every product in a background
// batch, caches them in the database, and serves them. A product's forecast
// is also computed on request when it is missing or stale.
type Forecasts struct {
	*base

	mu     sync.Mutex
	status JobStatus

	decoded sync.Map // product id → *decodedForecast
}

// decodedForecast is a cached row decoded once per computation.
type decodedForecast struct {
	computedAt time.Time
	f          *forecast.Forecast
}

// JobStatus describes the forecast batch of this process.
type JobStatus struct {
	Running    bool       `json:"running"`
	Done       int        `json:"done"`
	Total      int        `json:"total"`
	Failed     int        `json:"failed"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Seconds    float64    `json:"seconds"`
	Error      string     `json:"error,omitempty"`
}

// ProductForecast is a product's cached forecast with its bookkeeping.
type ProductForecast struct {
	ProductID   int64              `json:"product_id"`
	ComputedAt  time.Time          `json:"computed_at"`
	DataThrough string             `json:"data_through"`
	Forecast    *forecast.Forecast `json:"forecast"`
}

// Status returns the state of the current or last batch.
func (fs *Forecasts) Status() JobStatus {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.status
}

// errJobRunning is returned when a batch is already running.
var errJobRunning = Errorf(ECONFLICT, "A forecast batch is already running.")

// StartRefresh starts the batch in the background (managers and admins)
// and returns at once; a running batch is a conflict.
func (fs *Forecasts) StartRefresh(ctx context.Context, a Actor) (JobStatus, error) {
	if err := a.require(db.RoleManager, "refresh forecasts"); err != nil {
		return JobStatus{}, err
	}
	if err := fs.begin(0); err != nil {
		return fs.Status(), err
	}
	go func() {
		// Detached from the request: the batch outlives it.
		_, _ = fs.run(context.WithoutCancel(ctx), nil)
	}()
	return fs.Status(), nil
}

// RefreshAll runs the batch now and waits for it: every active product is
// forecast (auto model, ForecastHorizon days) on all cores and stored.
// progress, if set, is called after each product. Managers and admins
// (as StartRefresh).
func (fs *Forecasts) RefreshAll(ctx context.Context, a Actor, progress func(done, total int)) (JobStatus, error) {
	if err := a.require(db.RoleManager, "refresh forecasts"); err != nil {
		return JobStatus{}, err
	}
	if err := fs.begin(0); err != nil {
		return fs.Status(), err
	}
	return fs.run(ctx, progress)
}

func (fs *Forecasts) begin(total int) error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.status.Running {
		return errJobRunning
	}
	now := time.Now().UTC()
	fs.status = JobStatus{Running: true, Total: total, StartedAt: &now}
	return nil
}

func (fs *Forecasts) finish(err error) JobStatus {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	now := time.Now().UTC()
	fs.status.Running, fs.status.FinishedAt = false, &now
	fs.status.Seconds = now.Sub(*fs.status.StartedAt).Seconds()
	if err != nil {
		fs.status.Error = err.Error()
	}
	return fs.status
}

func (fs *Forecasts) progress(done, failed, total int) {
	fs.mu.Lock()
	fs.status.Done, fs.status.Failed, fs.status.Total = done, failed, total
	fs.mu.Unlock()
}

// run forecasts every active product: histories are loaded in chunks while
// workers (one per core) fit, and results are written in batches.
func (fs *Forecasts) run(ctx context.Context, progress func(done, total int)) (JobStatus, error) {
	var ids []int64
	err := fs.db.NewSelect().Model((*db.Product)(nil)).Column("id").Where("active = ?", true).OrderExpr("id").Scan(ctx, &ids)
	if err != nil {
		err = fmt.Errorf("list products to forecast: %w", err)
		return fs.finish(err), err
	}
	today, err := fs.today(ctx)
	if err != nil {
		return fs.finish(err), err
	}
	total := len(ids)
	fs.progress(0, 0, total)

	jobs := make(chan *DemandSeries, 256)
	results := make(chan *db.Forecast, 256)
	var loadErr error
	go func() {
		defer close(jobs)
		for start := 0; start < len(ids); start += 250 {
			chunk := ids[start:min(start+250, len(ids))]
			hist, err := fs.loadDemand(ctx, fs.db, DemandQuery{ProductIDs: chunk, From: today.AddDate(0, 0, -HistoryDays), To: today})
			if err != nil {
				loadErr = err
				return
			}
			for _, id := range chunk {
				s := hist[id]
				if s == nil {
					s = &DemandSeries{ProductID: id, Start: today}
				}
				select {
				case jobs <- s:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				results <- fs.compute(s, today)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	done, failed := 0, 0
	batch := make([]*db.Forecast, 0, 200)
	var writeErr error
	for r := range results {
		done++
		if r == nil {
			failed++
		} else if writeErr == nil {
			batch = append(batch, r)
			if len(batch) == cap(batch) {
				writeErr = fs.save(ctx, batch)
				batch = batch[:0]
			}
		}
		fs.progress(done, failed, total)
		if progress != nil {
			progress(done, total)
		}
	}
	if writeErr == nil && len(batch) > 0 {
		writeErr = fs.save(ctx, batch)
	}
	err = errors.Join(loadErr, writeErr, ctx.Err())
	return fs.finish(err), err
}

// compute fits the auto model to one history ending yesterday, so the
// forecast starts today. A product without history (or with only censored
// days) gets a flat zero forecast. It returns nil when fitting fails.
func (fs *Forecasts) compute(s *DemandSeries, today time.Time) *db.Forecast {
	var f *forecast.Forecast
	err := forecast.ErrNoData
	if len(s.Values) > 0 {
		series := forecast.Series{Start: s.Start, Freq: forecast.Daily, Values: s.Values}
		f, err = forecast.Auto(series, forecast.AutoOptions{Horizon: ForecastHorizon, Fast: true})
	}
	if errors.Is(err, forecast.ErrNoData) {
		zero := forecast.Series{Start: today.AddDate(0, 0, -1), Freq: forecast.Daily, Values: []float64{0}}
		f, err = forecast.Fit(zero, "naive", forecast.AutoOptions{Horizon: ForecastHorizon})
	}
	if err != nil || f.Horizon() == 0 {
		return nil
	}
	payload, err := f.MarshalBinary()
	if err != nil {
		return nil
	}
	return &db.Forecast{
		ProductID: s.ProductID, ComputedAt: fs.now().Truncate(time.Microsecond), DataThrough: today.AddDate(0, 0, -1).Format(db.DayLayout),
		Method: f.Method, Params: f.Params, DemandClass: f.Profile.Class.String(), Horizon: f.Horizon(),
		RMSSE: clean(f.Accuracy.RMSSE), MASE: clean(f.Accuracy.MASE), Bias: clean(f.Accuracy.Bias),
		BaselineRMSSE: clean(f.Baseline.RMSSE), BaselineMASE: clean(f.Baseline.MASE), Payload: string(payload),
	}
}

func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// save upserts cached forecasts (in a transaction of their own) and
// announces the change.
func (fs *Forecasts) save(ctx context.Context, rows []*db.Forecast) error {
	var set []string
	for _, c := range []string{"computed_at", "data_through", "method", "params", "demand_class", "horizon",
		"rmsse", "mase", "bias", "baseline_rmsse", "baseline_mase", "payload"} {
		set = append(set, c+" = EXCLUDED."+c)
	}
	if _, err := db.Upsert(fs.db.NewInsert().Model(&rows), fs.db, "product_id", set...).Exec(ctx); err != nil {
		return fmt.Errorf("save forecasts: %w", err)
	}
	fs.changes.Bump()
	return nil
}

// Product returns a product's forecast, computing it now when it is missing
// or older than yesterday's data.
func (fs *Forecasts) Product(ctx context.Context, a Actor, id int64) (*ProductForecast, error) {
	if err := a.require(db.RoleViewer, "read forecasts"); err != nil {
		return nil, err
	}
	if _, err := findProduct(ctx, fs.db, id); err != nil {
		return nil, err
	}
	row := new(db.Forecast)
	err := fs.db.NewSelect().Model(row).Where("product_id = ?", id).Scan(ctx)
	today, terr := fs.today(ctx)
	if terr != nil {
		return nil, terr
	}
	yesterday := today.AddDate(0, 0, -1).Format(db.DayLayout)
	if err != nil || row.DataThrough < yesterday {
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("load forecast of product %d: %w", id, err)
		}
		return fs.recompute(ctx, id)
	}
	return fs.decode(row)
}

// Recompute forecasts one product now (clerks and above).
func (fs *Forecasts) Recompute(ctx context.Context, a Actor, id int64) (*ProductForecast, error) {
	if err := a.require(db.RoleClerk, "recompute forecasts"); err != nil {
		return nil, err
	}
	if _, err := findProduct(ctx, fs.db, id); err != nil {
		return nil, err
	}
	return fs.recompute(ctx, id)
}

func (fs *Forecasts) recompute(ctx context.Context, id int64) (*ProductForecast, error) {
	today, err := fs.today(ctx)
	if err != nil {
		return nil, err
	}
	hist, err := fs.loadDemand(ctx, fs.db, DemandQuery{ProductIDs: []int64{id}, From: today.AddDate(0, 0, -HistoryDays), To: today})
	if err != nil {
		return nil, err
	}
	s := hist[id]
	if s == nil {
		s = &DemandSeries{ProductID: id, Start: today}
	}
	row := fs.compute(s, today)
	if row == nil {
		return nil, Errorf(EINTERNAL, "The forecast of product %d could not be computed.", id)
	}
	if err := fs.save(ctx, []*db.Forecast{row}); err != nil {
		return nil, err
	}
	return fs.decode(row)
}

// decode turns a cached row into a forecast, reusing the decoded value
// while the row has not been recomputed.
func (fs *Forecasts) decode(row *db.Forecast) (*ProductForecast, error) {
	if v, ok := fs.decoded.Load(row.ProductID); ok {
		d := v.(*decodedForecast)
		if d.computedAt.Equal(row.ComputedAt) {
			return &ProductForecast{ProductID: row.ProductID, ComputedAt: row.ComputedAt, DataThrough: row.DataThrough, Forecast: d.f}, nil
		}
	}
	f := new(forecast.Forecast)
	if err := f.UnmarshalBinary([]byte(row.Payload)); err != nil {
		return nil, fmt.Errorf("decode forecast of product %d: %w", row.ProductID, err)
	}
	fs.decoded.Store(row.ProductID, &decodedForecast{computedAt: row.ComputedAt, f: f})
	return &ProductForecast{ProductID: row.ProductID, ComputedAt: row.ComputedAt, DataThrough: row.DataThrough, Forecast: f}, nil
}

// all returns the cached forecast of every product that has one. Only rows
// recomputed since the last call are fetched and decoded again.
func (fs *Forecasts) all(ctx context.Context) (map[int64]*forecast.Forecast, error) {
	var heads []db.Forecast
	if err := fs.db.NewSelect().Model(&heads).Column("product_id", "computed_at", "data_through").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list forecasts: %w", err)
	}
	out := make(map[int64]*forecast.Forecast, len(heads))
	var stale []int64
	for _, h := range heads {
		if v, ok := fs.decoded.Load(h.ProductID); ok && v.(*decodedForecast).computedAt.Equal(h.ComputedAt) {
			out[h.ProductID] = v.(*decodedForecast).f
			continue
		}
		stale = append(stale, h.ProductID)
	}
	for start := 0; start < len(stale); start += 500 {
		var rows []db.Forecast
		if err := fs.db.NewSelect().Model(&rows).Where("product_id IN (?)", bun.In(stale[start:min(start+500, len(stale))])).Scan(ctx); err != nil {
			return nil, fmt.Errorf("load forecasts: %w", err)
		}
		for i := range rows {
			pf, err := fs.decode(&rows[i])
			if err != nil {
				return nil, err
			}
			out[pf.ProductID] = pf.Forecast
		}
	}
	return out, nil
}

// Stale reports whether the batch should run: an active product has no
// forecast, or the oldest forecast predates yesterday's data. Any
// signed-in user may ask.
func (fs *Forecasts) Stale(ctx context.Context, a Actor) (bool, error) {
	if err := a.require(db.RoleViewer, "read forecasts"); err != nil {
		return false, err
	}
	today, err := fs.today(ctx)
	if err != nil {
		return false, err
	}
	yesterday := today.AddDate(0, 0, -1).Format(db.DayLayout)
	n, err := fs.db.NewSelect().Model((*db.Product)(nil)).
		Where("active = ?", true).
		Where("NOT EXISTS (SELECT 1 FROM forecasts AS f WHERE f.product_id = product.id AND f.data_through >= ?)", yesterday).
		Count(ctx)
	if err != nil {
		return false, fmt.Errorf("check forecast staleness: %w", err)
	}
	return n > 0, nil
}

// Compute forecasts one product now with a chosen method ("auto" or one of
// forecast.Methods) and horizon, without caching: for what-if views and the
// CLI's --model flag.
func (fs *Forecasts) Compute(ctx context.Context, a Actor, id int64, method string, horizon int) (*ProductForecast, error) {
	if err := a.require(db.RoleViewer, "read forecasts"); err != nil {
		return nil, err
	}
	v := &validation{}
	if horizon < 1 || horizon > 365 {
		v.add("horizon", "must be between 1 and 365")
	}
	if method != "auto" && !knownMethod(method) {
		v.add("model", "unknown model %q", method)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := findProduct(ctx, fs.db, id); err != nil {
		return nil, err
	}
	today, err := fs.today(ctx)
	if err != nil {
		return nil, err
	}
	hist, err := fs.loadDemand(ctx, fs.db, DemandQuery{ProductIDs: []int64{id}, From: today.AddDate(0, 0, -HistoryDays), To: today})
	if err != nil {
		return nil, err
	}
	s := hist[id]
	if s == nil || len(s.Values) == 0 {
		return nil, Errorf(ECONFLICT, "Product %d has no sales history to forecast yet.", id)
	}
	series := forecast.Series{Start: s.Start, Freq: forecast.Daily, Values: s.Values}
	opt := forecast.AutoOptions{Horizon: horizon, Fast: true}
	var f *forecast.Forecast
	if method == "auto" {
		f, err = forecast.Auto(series, opt)
	} else {
		f, err = forecast.Fit(series, method, opt)
	}
	if errors.Is(err, forecast.ErrNoData) {
		return nil, Errorf(ECONFLICT, "Product %d has no observed demand to forecast (every day censored).", id)
	}
	if err != nil {
		return nil, fmt.Errorf("forecast product %d with %s: %w", id, method, err)
	}
	return &ProductForecast{ProductID: id, ComputedAt: fs.now(), DataThrough: today.AddDate(0, 0, -1).Format(db.DayLayout), Forecast: f}, nil
}

func knownMethod(m string) bool {
	for _, k := range forecast.Methods {
		if k == m {
			return true
		}
	}
	return false
}

// ForecastPoint is one forecast day with its quantiles.
type ForecastPoint struct {
	Date  string  `json:"date"`
	Point float64 `json:"point"` // mean
	P50   float64 `json:"p50"`
	P80   float64 `json:"p80"`
	P90   float64 `json:"p90"`
	P95   float64 `json:"p95"`
	Lo80  float64 `json:"lo80"`
	Hi80  float64 `json:"hi80"`
	Lo95  float64 `json:"lo95"`
	Hi95  float64 `json:"hi95"`
}

// Points returns the first horizon days of the forecast (all when horizon
// is 0 or beyond the forecast).
func (pf *ProductForecast) Points(horizon int) []ForecastPoint {
	f := pf.Forecast
	n := f.Horizon()
	if horizon > 0 && horizon < n {
		n = horizon
	}
	at := func(x []float64, i int) float64 {
		if i < len(x) {
			return x[i]
		}
		return 0
	}
	out := make([]ForecastPoint, n)
	for i := range out {
		out[i] = ForecastPoint{Date: f.Freq.Add(f.Start, i).Format(db.DayLayout), Point: at(f.Point, i),
			P50: at(f.P50, i), P80: at(f.P80, i), P90: at(f.P90, i), P95: at(f.P95, i),
			Lo80: at(f.Lo80, i), Hi80: at(f.Hi80, i), Lo95: at(f.Lo95, i), Hi95: at(f.Hi95, i)}
	}
	return out
}
