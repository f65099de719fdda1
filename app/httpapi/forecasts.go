package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/api"
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

// ForecastResponse is a product's demand forecast, as api.ForecastResponse
// defines it (app.Forecasts.Response shapes it).
type ForecastResponse = api.ForecastResponse

// Accuracy is a backtest score; measures that could not be computed are null.
type Accuracy = api.Accuracy

// ForecastPoint is one forecast day: the mean, quantiles, and the central
// 80 % and 95 % intervals.
type ForecastPoint = api.ForecastPoint

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
	fr, err := h.app.Forecasts.Response(c.Request().Context(), actor(c), id, model, horizon)
	if err != nil {
		return err
	}
	return renderOK(c, fr)
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
	return renderOK(c, pf.Response(horizon, true))
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
