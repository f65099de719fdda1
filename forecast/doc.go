// Package forecast turns a demand history into a forecast with honest
// uncertainty. It is pure: it imports only the standard library and gonum,
// and knows nothing of databases or HTTP.
//
// A [Series] is a regular series (daily, weekly, monthly, quarterly or
// yearly) whose missing or censored points are NaN. Each model is a small
// type implementing [Model]: [Naive], [SeasonalNaive], [MovingAverage],
// [LinReg], [SES], [Holt], [HoltWinters], [Theta], [Croston] (also SBA),
// [TSB] and seasonal [ARIMA] (exact Kalman filter likelihood; orders chosen
// by [AutoARIMA]). Fitting returns a [Fitted] model that predicts any number of steps
// and exposes its one-step in-sample fitted values. Exponential smoothing
// parameters and initial states are estimated by minimising the in-sample
// sum of squared one-step errors with gonum/optimize, bounded through a
// logistic reparameterisation, as statsmodels does. Missing points are
// skipped in the error and carried through the state by the model's own
// prediction.
//
// [Auto] classifies the series ([Classify], Syntetos & Boylan 2005), scores
// a candidate set on rolling-origin backtests with the M5 RMSSE, picks the
// best model or combines the best few, and derives prediction quantiles from
// the backtest errors (a negative binomial for intermittent counts). The
// resulting [Forecast] reports what was chosen, how accurate it has been
// compared with seasonal naive, and answers quantiles of cumulative demand
// over a lead time ([Forecast.CumulativeQuantile]).
//
// References: R. J. Hyndman & G. Athanasopoulos, Forecasting: Principles and
// Practice, 3rd ed. (FPP3), OTexts 2021; A. A. Syntetos & J. E. Boylan, The
// accuracy of intermittent demand estimates, IJF 21 (2005); R. H. Teunter,
// A. A. Syntetos & M. Z. Babai, Intermittent demand: linking forecasting to
// inventory obsolescence, EJOR 214 (2011); M5 competitor's guide (2020).
package forecast
