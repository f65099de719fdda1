package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/forecast"
	"smartinventory/forecast/chart"
)

// Charts are SVG images drawn by forecast/chart from the same services
// as the pages. Each answers at /charts/….svg with the query parameters
//
//	width, height  size in pixels (chart.MinWidth…chart.MaxWidth etc.; default 800×400)
//	days           days of history shown (time charts only; default and maximum per chart)
//	horizon        forecast days shown (product chart; 1–app.ForecastHorizon, default 30)
//	download=1     Content-Disposition: attachment with a file name such as
//	               forecast-SKU-2026-11-27.svg
//
// Bad values answer 400. Responses carry an ETag derived from the data
// version, so browsers revalidate them for a 304; rendered SVGs are also
// kept per ETag until the data changes.

// chartRoutes registers the chart images.
func (w *Web) chartRoutes(r router) {
	r.GET("/charts/dashboard/sales.svg", w.chartHandler(chartSpec{name: "sales", days: 90, maxDays: salesHistoryDays}, w.drawSales), db.RoleViewer)
	r.GET("/charts/dashboard/top-movers.svg", w.chartHandler(chartSpec{name: "top-movers"}, w.drawTopMovers), db.RoleViewer)
	r.GET("/charts/dashboard/pareto.svg", w.chartHandler(chartSpec{name: "pareto"}, w.drawPareto), db.RoleViewer)
	r.GET("/charts/dashboard/categories.svg", w.chartHandler(chartSpec{name: "categories"}, w.drawCategories), db.RoleViewer)
	r.GET("/charts/products/:id/forecast.svg", w.chartHandler(chartSpec{name: "forecast", days: 180, maxDays: app.HistoryDays, horizon: true}, w.drawProductForecast), db.RoleViewer)
}

// salesHistoryDays is the history the dashboard's sales chart loads (and
// forecasts from); its days parameter may show up to this many.
const salesHistoryDays = 180

// chartSpec describes a chart's parameters.
type chartSpec struct {
	name    string // file name prefix
	days    int    // default days of history; 0: the chart takes no days
	maxDays int
	horizon bool // takes a horizon parameter
}

// chartParams are a chart request's validated parameters.
type chartParams struct {
	size     chart.Size
	days     int
	horizon  int
	download bool
}

// parseChartParams validates the query; errors are 400s naming the parameter.
func parseChartParams(c echo.Context, spec chartSpec) (chartParams, error) {
	p := chartParams{days: spec.days, horizon: 30}
	bad := func(format string, a ...any) error {
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf(format, a...))
	}
	intParam := func(name string, def, lo, hi int) (int, error) {
		s := c.QueryParam(name)
		if s == "" {
			return def, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return 0, bad("%s must be a whole number from %d to %d.", name, lo, hi)
		}
		return n, nil
	}
	w, err := intParam("width", 0, 1, math.MaxInt32)
	if err != nil {
		return p, err
	}
	h, err := intParam("height", 0, 1, math.MaxInt32)
	if err != nil {
		return p, err
	}
	switch {
	case w == 0 && h == 0:
	case w == 0 || h == 0:
		w, h = cmpOr(w, int(chart.DefaultSize.Width)), cmpOr(h, int(chart.DefaultSize.Height))
		fallthrough
	default:
		p.size = chart.Size{Width: float64(w), Height: float64(h)}
	}
	if err := chart.ValidateSize(p.size); err != nil {
		return p, bad("Bad chart size: %v.", err)
	}
	if spec.days > 0 {
		if p.days, err = intParam("days", spec.days, 7, spec.maxDays); err != nil {
			return p, err
		}
	} else if c.QueryParam("days") != "" {
		return p, bad("This chart has no days parameter.")
	}
	if spec.horizon {
		if p.horizon, err = intParam("horizon", 30, 1, app.ForecastHorizon); err != nil {
			return p, err
		}
	} else if c.QueryParam("horizon") != "" {
		return p, bad("This chart has no horizon parameter.")
	}
	switch c.QueryParam("download") {
	case "", "0":
	case "1":
		p.download = true
	default:
		return p, bad("download must be 0 or 1.")
	}
	return p, nil
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// drawFunc draws a chart at data version v and returns the subject of
// its file name ("" for dashboard charts, the SKU for a product).
type drawFunc func(c echo.Context, v string, out io.Writer, p chartParams) (subject string, err error)

// renderedChart is a drawn chart kept per ETag.
type renderedChart struct {
	svg      []byte
	filename string
}

// chartHandler serves one chart: parameters first (400), then the
// conditional check (304), then the cached or freshly drawn SVG.
func (w *Web) chartHandler(spec chartSpec, draw drawFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := parseChartParams(c, spec)
		if err != nil {
			return err
		}
		v, done, err := w.notModified(c)
		if err != nil || done {
			return err
		}
		cache, _ := w.cache.svg.get(v, func() (*svgCache, error) { return &svgCache{m: map[string]*renderedChart{}}, nil })
		etag := c.Response().Header().Get("ETag")
		rc := cache.load(etag)
		if rc == nil {
			var buf bytes.Buffer
			subject, err := draw(c, v, &buf, p)
			if errors.Is(err, chart.ErrBadSize) {
				return echo.NewHTTPError(http.StatusBadRequest, "Bad chart size: "+err.Error())
			}
			if err != nil {
				return err
			}
			today, _, err := w.today(c.Request().Context())
			if err != nil {
				return err
			}
			rc = &renderedChart{svg: buf.Bytes(), filename: chartFilename(spec.name, subject, today)}
			cache.store(etag, rc)
		}
		h := c.Response().Header()
		if p.download {
			h.Set(echo.HeaderContentDisposition, `attachment; filename="`+rc.filename+`"`)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		return c.Blob(http.StatusOK, "image/svg+xml", rc.svg)
	}
}

// svgCache keeps rendered charts of one data version by ETag, at most
// svgCacheSize of them (odd sizes beyond that are drawn every time).
type svgCache struct {
	mu sync.Mutex
	m  map[string]*renderedChart
}

const svgCacheSize = 64

func (s *svgCache) load(etag string) *renderedChart {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[etag]
}

func (s *svgCache) store(etag string, rc *renderedChart) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) < svgCacheSize {
		s.m[etag] = rc
	}
}

// unsafeFilename matches what may not appear in a download's file name.
var unsafeFilename = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// chartFilename is e.g. "forecast-SKU-1-2026-11-27.svg" or
// "pareto-2026-11-27.svg": only letters, digits, dot, dash and underscore.
func chartFilename(name, subject string, day time.Time) string {
	s := name
	if subject != "" {
		s += "-" + subject
	}
	s = unsafeFilename.ReplaceAllString(s, "_")
	return s + "-" + day.Format(db.DayLayout) + ".svg"
}

// today is the shop's current local day (db.LocalDay) and its time zone.
func (w *Web) today(ctx context.Context) (time.Time, *time.Location, error) {
	shop, err := w.app.Settings.Shop(ctx)
	if err != nil {
		return time.Time{}, nil, err
	}
	return db.LocalDay(w.cfg.Now(), shop.Location), shop.Location, nil
}

// salesChartMaxAge is how long the sales chart's inputs are reused after
// the data changed. The chart shows complete days only, which today's
// sales do not change; only backdated sales and voids do, so redrawing it
// (about a second for 2,000 products) after every sale would be waste.
const salesChartMaxAge = 5 * time.Minute

// salesCache keeps the sales chart's inputs of one day.
type salesCache struct {
	mu      sync.Mutex
	ok      bool
	day     time.Time
	version string
	built   time.Time
	in      chart.SalesInput
}

// salesInput returns the total daily revenue of the last salesHistoryDays
// complete days (summed over the products' demand histories) and its
// forecast (forecast.Auto on the total). It is recomputed on a new day,
// or when the data version changed and the inputs are older than
// salesChartMaxAge.
func (w *Web) salesInput(ctx context.Context, a app.Actor, v string) (chart.SalesInput, error) {
	sc := &w.cache.sales
	sc.mu.Lock()
	defer sc.mu.Unlock()
	today, loc, err := w.today(ctx)
	if err != nil {
		return chart.SalesInput{}, err
	}
	now := w.cfg.Now()
	if sc.ok && sc.day.Equal(today) && (sc.version == v || now.Sub(sc.built) < salesChartMaxAge) {
		return sc.in, nil
	}
	from := today.AddDate(0, 0, -salesHistoryDays)
	hist, err := w.app.Analytics.Demand(ctx, a, app.DemandQuery{From: from, To: today, WithRevenue: true, Location: loc})
	if err != nil {
		return chart.SalesInput{}, err
	}
	total := make([]float64, salesHistoryDays)
	for _, s := range hist {
		off := int(s.Start.Sub(from).Hours() / 24)
		for i, r := range s.Revenue {
			if j := off + i; j >= 0 && j < len(total) {
				total[j] += r
			}
		}
	}
	series := forecast.Series{Start: from, Freq: forecast.Daily, Values: total}
	in := chart.SalesInput{Metric: chart.Revenue, History: series, Today: today}
	f, err := forecast.Auto(series, forecast.AutoOptions{Horizon: 30, Fast: true})
	switch {
	case err == nil:
		in.Forecast = f
	case !errors.Is(err, forecast.ErrNoData):
		w.logger.Warn("forecast of total sales", "err", err)
	}
	sc.ok, sc.day, sc.version, sc.built, sc.in = true, today, v, now, in
	return in, nil
}

// drawSales draws total revenue with its forecast.
func (w *Web) drawSales(c echo.Context, v string, out io.Writer, p chartParams) (string, error) {
	in, err := w.salesInput(c.Request().Context(), actor(c), v)
	if err != nil {
		return "", err
	}
	in.Days = p.days
	return "", chart.Sales(out, in, p.size)
}

// allTrends returns every active product's trend, once per data version.
func (w *Web) allTrends(c echo.Context, v string) ([]app.ProductTrend, error) {
	return w.cache.trends.get(v, func() ([]app.ProductTrend, error) {
		var all []app.ProductTrend
		for {
			items, total, err := w.app.Analytics.Trends(c.Request().Context(), actor(c),
				app.TrendFilter{Sort: "sku", Limit: app.MaxPageSize, Offset: len(all)})
			if err != nil {
				return nil, err
			}
			all = append(all, items...)
			if len(items) == 0 || len(all) >= total {
				return all, nil
			}
		}
	})
}

// drawTopMovers draws the products with the most units sold in 30 days.
func (w *Web) drawTopMovers(c echo.Context, v string, out io.Writer, p chartParams) (string, error) {
	trends, err := w.allTrends(c, v)
	if err != nil {
		return "", err
	}
	bars := make([]chart.Bar, len(trends))
	for i, t := range trends {
		bars[i] = chart.Bar{Label: t.SKU, Value: t.Units30}
	}
	return "", chart.TopMovers(out, chart.BarsInput{Bars: bars, Metric: chart.Units, Period: "last 30 days"}, p.size)
}

// drawPareto draws the ABC Pareto of 90-day revenue.
func (w *Web) drawPareto(c echo.Context, v string, out io.Writer, p chartParams) (string, error) {
	trends, err := w.allTrends(c, v)
	if err != nil {
		return "", err
	}
	items := make([]chart.ParetoItem, len(trends))
	for i, t := range trends {
		items[i] = chart.ParetoItem{Label: t.SKU, Revenue: t.Revenue90}
	}
	return "", chart.Pareto(out, chart.ParetoInput{Items: items, Period: "last 90 days"}, p.size)
}

// drawCategories draws 30-day revenue per category.
func (w *Web) drawCategories(c echo.Context, v string, out io.Writer, p chartParams) (string, error) {
	trends, err := w.allTrends(c, v)
	if err != nil {
		return "", err
	}
	_, _, catName, _, err := w.refOptions(c, "")
	if err != nil {
		return "", err
	}
	sums := map[string]float64{}
	var order []string
	for _, t := range trends {
		name := "Uncategorised"
		if t.CategoryID != nil && catName[*t.CategoryID] != "" {
			name = catName[*t.CategoryID]
		}
		if _, ok := sums[name]; !ok {
			order = append(order, name)
		}
		sums[name] += t.Revenue30
	}
	bars := make([]chart.Bar, len(order))
	for i, name := range order {
		bars[i] = chart.Bar{Label: name, Value: sums[name]}
	}
	return "", chart.RevenueByCategory(out, chart.BarsInput{Bars: bars, Period: "last 30 days"}, p.size)
}

// drawProductForecast draws a product's daily sales (out-of-stock days
// shaded) with its cached forecast; without a forecast, the history alone.
func (w *Web) drawProductForecast(c echo.Context, _ string, out io.Writer, p chartParams) (string, error) {
	id, err := pathID(c)
	if err != nil {
		return "", err
	}
	ctx, a := c.Request().Context(), actor(c)
	prod, err := w.app.Catalog.Product(ctx, a, id)
	if err != nil {
		return "", err
	}
	today, loc, err := w.today(ctx)
	if err != nil {
		return "", err
	}
	hist, err := w.app.Analytics.Demand(ctx, a, app.DemandQuery{ProductIDs: []int64{id}, From: today.AddDate(0, 0, -p.days), To: today, Location: loc})
	if err != nil {
		return "", err
	}
	in := chart.ForecastInput{SKU: prod.SKU, Name: prod.Name, Days: p.days, Horizon: p.horizon, Today: today}
	if s := hist[id]; s != nil {
		in.History = forecast.Series{Start: s.Start, Freq: forecast.Daily, Values: s.Values}
	}
	pf, err := w.app.Forecasts.Product(ctx, a, id)
	switch {
	case err == nil:
		in.Forecast = pf.Forecast
	case app.ErrorCode(err) == app.EINTERNAL:
		return "", err
	}
	return prod.SKU, chart.Forecast(out, in, p.size)
}
