package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/forecast"
	"smartinventory/views"
)

// productDetailRoutes registers the analysis section of the product page
// (loaded by the page with htmx).
func (w *Web) productDetailRoutes(r router) {
	r.GET("/fragments/products/:id/insights", w.handleProductInsights, db.RoleViewer)
}

// handleProductInsights renders the product's chart, forecast model and
// accuracy, classes and restock suggestion.
func (w *Web) handleProductInsights(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	product, err := w.app.Catalog.Product(ctx, a, id)
	if err != nil {
		return err
	}
	chartURL := "/charts/products/" + views.Itoa(id) + "/forecast.svg"
	m := views.ProductInsightsModel{ProductID: id, ChartSrc: chartURL, DownloadURL: chartURL + "?download=1"}

	pf, err := w.app.Forecasts.Product(ctx, a, id)
	switch {
	case err == nil:
		f := pf.Forecast
		m.Model, m.Params, m.ComputedAt = f.Method, f.Params, views.FormatTime(pf.ComputedAt)
		m.MASE, m.RMSSE = views.FormatFloat(f.Accuracy.MASE, 2), views.FormatFloat(f.Accuracy.RMSSE, 2)
		m.BaseMASE, m.BaseRMSSE = views.FormatFloat(f.Baseline.MASE, 2), views.FormatFloat(f.Baseline.RMSSE, 2)
		m.Verdict, m.VerdictTone = accuracyVerdict(f.Accuracy.MASE, f.Baseline.MASE, f.Accuracy.Points)
		m.Quality = forecastQuality(f.Accuracy.MASE, f.Baseline.MASE, f.Accuracy.Points)
		m.Expect = expectText(f)
		m.Learning = f.Profile.Observed < learningDays
		m.DemandClass = f.Profile.Class.String()
		m.ADI, m.CV2 = views.FormatFloat(f.Profile.ADI, 2), views.FormatFloat(f.Profile.CV2, 2)
		// Link the chart to this forecast, so a recomputed one is fetched.
		m.ChartSrc += "?v=" + strconv.FormatInt(pf.ComputedAt.UnixNano(), 36)
	case app.ErrorCode(err) == app.EINTERNAL:
		return err
	default:
		m.NoForecast = app.ErrorMessage(err)
	}

	t, err := w.app.Analytics.ProductTrend(ctx, a, id)
	switch {
	case err == nil:
		m.ABC, m.XYZ, m.Mover = t.ABC, t.XYZ, t.Mover
	case app.ErrorCode(err) != app.ENOTFOUND:
		return err
	}

	lines, err := w.app.Restock.Suggestions(ctx, a, app.RestockFilter{All: true})
	if err != nil {
		return err
	}
	for _, l := range lines {
		if l.ProductID == id {
			m.Restock = &views.ProductRestock{Row: restockRow(l), DailyDemand: views.FormatFloat(l.DailyDemand, 2),
				LeadTime: l.LeadTimeDays, ReviewDays: l.ReviewDays,
				ServiceLevel: views.FormatFloat(l.ServiceLevel*100, 1) + " %",
				SafetyStock:  views.FormatNumber(l.SafetyStock), ReorderPoint: l.ReorderPointInfo().Text(),
				OrderUpTo: views.FormatNumber(l.OrderUpTo)}
			if l.SupplierID == nil && product.LeadTimeDays == nil {
				m.Restock.Note = fmt.Sprintf("No supplier: lead time %d days assumed.", l.LeadTimeDays)
			}
			if !l.StockoutDate.IsZero() && !l.StockoutDate.After(w.todayOf(c)) {
				m.Restock.Row.StockoutDate = "today"
			}
			break
		}
	}
	return w.render(c, http.StatusOK, views.ProductInsights(m))
}

// accuracyVerdict compares the chosen model's backtest MASE with seasonal
// naive's in words.
func accuracyVerdict(mase, base float64, points int) (string, views.Tone) {
	switch {
	case points == 0 || !(base > 0) || mase != mase:
		return "Too little history for a backtest.", views.ToneNeutral
	case mase < base:
		return fmt.Sprintf("%.0f %% lower error than seasonal naive in the backtest.", (1-mase/base)*100), views.ToneGood
	case mase > base:
		return fmt.Sprintf("%.0f %% higher error than seasonal naive in the backtest.", (mase/base-1)*100), views.ToneBad
	}
	return "As accurate as seasonal naive in the backtest.", views.ToneNeutral
}

// learningDays is the history under which a product is "still learning".
const learningDays = 28

// expectText is the forecast of the next week in plain words, with its 80 %
// interval in whole units: "Expect ~37 per week (20–55)"; per month for
// slow movers.
func expectText(f *forecast.Forecast) string {
	days, unit := 7, "week"
	if f.Cumulative(7) < 1 {
		days, unit = 30, "month"
	}
	mean := f.Cumulative(days)
	lo, hi := f.CumulativeQuantile(days, 0.1), f.CumulativeQuantile(days, 0.9)
	return fmt.Sprintf("Expect ~%s per %s (%s–%s)", views.FormatNumber(int64(math.Round(mean))), unit,
		views.FormatNumber(int64(math.Floor(lo))), views.FormatNumber(int64(math.Ceil(hi))))
}

// forecastQuality rates the backtest against the simple method (seasonal
// naive) in words.
func forecastQuality(mase, base float64, points int) string {
	switch {
	case points == 0 || !(base > 0) || mase != mase:
		return "Forecast quality not known yet (too little history to test it)"
	case mase <= 0.9*base:
		return fmt.Sprintf("Forecast quality good (beats the simple method by %.0f %%)", (1-mase/base)*100)
	case mase <= 1.05*base:
		return "Forecast quality fair (about as good as the simple method)"
	}
	return fmt.Sprintf("Forecast quality poor (the simple method did %.0f %% better)", (1-base/mase)*100)
}
