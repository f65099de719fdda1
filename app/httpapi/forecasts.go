package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/forecast"
)

// Forecast horizons of GET /products/{id}/forecast.
const (
	defaultForecastHorizon = 30
	maxForecastHorizon     = 365
)

// forecastRoutes registers the forecast endpoints.
func (h *handler) forecastRoutes(g *router) {
	g.GET("/products/:id/forecast", h.handleForecastGet)
	g.POST("/products/:id/forecast/refresh", h.handleForecastRecompute)
	g.POST("/forecasts/refresh", h.handleForecastRefresh)
	g.GET("/forecasts/status", h.handleForecastStatus)
}

// ForecastResponse is a product's demand forecast: the model chosen, its
// backtest accuracy next to seasonal naive's, and one point per day.
type ForecastResponse struct {
	ProductID   int64           `json:"product_id"`
	Model       string          `json:"model"`
	Params      string          `json:"params"`
	DemandClass string          `json:"demand_class"`
	Accuracy    Accuracy        `json:"accuracy"`
	Baseline    Accuracy        `json:"baseline"`
	ComputedAt  time.Time       `json:"computed_at"`
	DataThrough string          `json:"data_through"` // last day of history used (YYYY-MM-DD)
	Cached      bool            `json:"cached"`       // false: computed for this request
	Points      []ForecastPoint `json:"points"`
}

// Accuracy is a backtest score; measures that could not be computed are null.
type Accuracy struct {
	RMSSE  *float64 `json:"rmsse"`
	MASE   *float64 `json:"mase"`
	Bias   *float64 `json:"bias"`
	Points int      `json:"points"`
}

// ForecastPoint is one forecast day: the mean, quantiles, and the central
// 80 % and 95 % intervals.
type ForecastPoint struct {
	Date string  `json:"date"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P80  float64 `json:"p80"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	Lo80 float64 `json:"lo80"`
	Hi80 float64 `json:"hi80"`
	Lo95 float64 `json:"lo95"`
	Hi95 float64 `json:"hi95"`
}

// handleForecastGet serves GET /products/{id}/forecast?horizon=30&model=auto:
// the cached auto forecast, or one computed now for another model or a
// horizon beyond the cached one.
func (h *handler) handleForecastGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q := newQuery(c)
	horizon := q.intIn("horizon", defaultForecastHorizon, 1, maxForecastHorizon)
	model := q.oneOf("model", forecastModels()...)
	if model == "" {
		model = "auto"
	}
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cached := model == "auto" && horizon <= app.ForecastHorizon
	var pf *app.ProductForecast
	if cached {
		pf, err = h.app.Forecasts.Product(ctx, actor(c), id)
	} else {
		pf, err = h.app.Forecasts.Compute(ctx, actor(c), id, model, horizon)
	}
	if err != nil {
		return err
	}
	return renderOK(c, forecastResponse(pf, horizon, cached))
}

// handleForecastRecompute serves POST /products/{id}/forecast/refresh: the
// product's forecast recomputed and cached now (clerks and above).
func (h *handler) handleForecastRecompute(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q := newQuery(c)
	horizon := q.intIn("horizon", defaultForecastHorizon, 1, app.ForecastHorizon)
	if err := q.err(); err != nil {
		return err
	}
	pf, err := h.app.Forecasts.Recompute(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return renderOK(c, forecastResponse(pf, horizon, true))
}

// handleForecastRefresh serves POST /forecasts/refresh: 202 with the status
// of the batch it started; 409 while one runs (managers and admins).
func (h *handler) handleForecastRefresh(c echo.Context) error {
	st, err := h.app.Forecasts.StartRefresh(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, Prefix+"/forecasts/status")
	return render(c, http.StatusAccepted, st)
}

// handleForecastStatus serves GET /forecasts/status: the current or last batch.
func (h *handler) handleForecastStatus(c echo.Context) error {
	return renderOK(c, h.app.Forecasts.Status())
}

// forecastModels are the accepted values of the model parameter.
func forecastModels() []string { return append([]string{"auto"}, forecast.Methods...) }

// forecastResponse shapes pf's first horizon days for the API.
func forecastResponse(pf *app.ProductForecast, horizon int, cached bool) ForecastResponse {
	f := pf.Forecast
	pts := pf.Points(horizon)
	out := ForecastResponse{ProductID: pf.ProductID, Model: f.Method, Params: f.Params, DemandClass: f.Profile.Class.String(),
		Accuracy: accuracyOf(f.Accuracy), Baseline: accuracyOf(f.Baseline), ComputedAt: pf.ComputedAt,
		DataThrough: pf.DataThrough, Cached: cached, Points: make([]ForecastPoint, len(pts))}
	for i, p := range pts {
		out.Points[i] = ForecastPoint{Date: p.Date, Mean: finite(p.Point), P50: finite(p.P50), P80: finite(p.P80),
			P90: finite(p.P90), P95: finite(p.P95), Lo80: finite(p.Lo80), Hi80: finite(p.Hi80), Lo95: finite(p.Lo95), Hi95: finite(p.Hi95)}
	}
	return out
}

// accuracyOf turns NaN and infinite scores (too little history) into null,
// which JSON can carry.
func accuracyOf(a forecast.Accuracy) Accuracy {
	opt := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return Accuracy{RMSSE: opt(a.RMSSE), MASE: opt(a.MASE), Bias: opt(a.Bias), Points: a.Points}
}

// finite returns v, or 0 when v is NaN or infinite.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// intIn returns an integer parameter between lo and hi, def when absent.
func (q *query) intIn(name string, def, lo, hi int) int {
	raw := q.str(name)
	if raw == "" {
		return def
	}
	v, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		q.bad(name, "must be an integer")
	case v < lo || v > hi:
		q.bad(name, "must be between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi))
	default:
		return v
	}
	return def
}
