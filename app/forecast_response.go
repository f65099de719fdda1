package app

import (
	"context"
	"math"

	"smartinventory/api"
	"smartinventory/forecast"
)

// Response returns a product's forecast as the API (GET
// /products/{id}/forecast) and the command line show it: for model "auto"
// within the batch's horizon (ForecastHorizon) the cached forecast, else
// one computed now for model and horizon.
func (fs *Forecasts) Response(ctx context.Context, a Actor, productID int64, model string, horizon int) (*api.ForecastResponse, error) {
	cached := model == "auto" && horizon <= ForecastHorizon
	var pf *ProductForecast
	var err error
	if cached {
		pf, err = fs.Product(ctx, a, productID)
	} else {
		pf, err = fs.Compute(ctx, a, productID, model, horizon)
	}
	if err != nil {
		return nil, err
	}
	r := pf.Response(horizon, cached)
	return &r, nil
}

// Response shapes pf's first horizon days as the API shows a forecast;
// cached says whether pf is the stored forecast or one computed for the
// request. Scores that could not be computed are null, points that are
// not finite 0, which JSON can carry.
func (pf *ProductForecast) Response(horizon int, cached bool) api.ForecastResponse {
	f := pf.Forecast
	pts := pf.Points(horizon)
	out := api.ForecastResponse{ProductID: pf.ProductID, Model: f.Method, Params: f.Params, DemandClass: f.Profile.Class.String(),
		Accuracy: accuracyOf(f.Accuracy), Baseline: accuracyOf(f.Baseline), ComputedAt: pf.ComputedAt,
		DataThrough: pf.DataThrough, Cached: cached, Points: make([]api.ForecastPoint, len(pts))}
	for i, p := range pts {
		out.Points[i] = api.ForecastPoint{Date: p.Date, Mean: finite(p.Point), P50: finite(p.P50), P80: finite(p.P80),
			P90: finite(p.P90), P95: finite(p.P95), Lo80: finite(p.Lo80), Hi80: finite(p.Hi80), Lo95: finite(p.Lo95), Hi95: finite(p.Hi95)}
	}
	return out
}

// accuracyOf turns NaN and infinite scores (too little history) into null.
func accuracyOf(a forecast.Accuracy) api.Accuracy {
	opt := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return api.Accuracy{RMSSE: opt(a.RMSSE), MASE: opt(a.MASE), Bias: opt(a.Bias), Points: a.Points}
}

// finite returns v, or 0 when v is NaN or infinite.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
