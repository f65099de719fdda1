#!/usr/bin/python3
"""Reference numbers for the Theta method (forecast/theta_ref_test.go).

Run from this directory with Debian 12's python3-statsmodels (0.13.5):

    /usr/bin/python3 generate.py > reference.json

The series are those of ../exponential_smoothing.json (three NN5 cash
machines and two synthetic weekly series, daily, period 7).

Two kinds of case per series:

"fixed": statsmodels' own ThetaModel (use_mle=False) with its SES started
at the first observation (initial_level=y[0], what ThetaModel does), so
that our formula, decomposition, slope and reseasonalisation can be
checked exactly: the test gives our method statsmodels' alpha and initial
level and expects its forecast to 1e-9.

"optimised": the same model with the SES's initial level estimated too
(SimpleExpSmoothing, initialization_method="estimated"), which is our
convention and that of Hyndman & Billah (2003) and R's forecast::thetaf;
ThetaModel's formula then gives the forecast. Our fit must find an SES at
least as good (SSE within 0.1%) and forecasts within 0.1%.

Conventions that differ from statsmodels by definition, and what the cases
do about them:
- Seasonality test: we deseasonalise when |r_m| > 1.645 sqrt((1 + 2
  sum_{k<m} r_k^2) / n) (Bartlett's bound, as forecast::thetaf and the M4
  benchmark do); ThetaModel's use_test compares n r_m^2 / sum_{k<m} r_k^2
  with 1.645^2, i.e. 1 + sum instead of 1 + 2 sum. The cases record our
  decision ("seasonal") and statsmodels' ("statsmodels_seasonal") and run
  ThetaModel with use_test=False, deseasonalize=<our decision>.
- SES start: see "fixed" and "optimised" above.
"""

import json
import math
import sys

import numpy as np
from statsmodels.tsa.forecasting.theta import ThetaModel, ThetaModelResults
from statsmodels.tsa.holtwinters import SimpleExpSmoothing
from statsmodels.tsa.stattools import acf

HORIZON = 28
PERIOD = 7


def our_seasonal_test(y, m):
    """Bartlett's 90% bound on the lag-m autocorrelation (1 + 2 sum)."""
    r = acf(y, nlags=m, fft=False)
    bound = 1.645 * math.sqrt((1 + 2 * np.sum(r[1:m] ** 2)) / len(y))
    return bool(abs(r[m]) > bound)


def statsmodels_seasonal_test(y, m):
    r = acf(y, nlags=m, fft=True)
    return bool(len(y) * r[-1] ** 2 / np.sum(r[:-1] ** 2) > 2.705543454095404)


def case(cid, y, period):
    seasonal = period > 1 and our_seasonal_test(y, period)
    model = ThetaModel(y, period=max(period, 2), deseasonalize=seasonal, use_test=False, method="auto")
    fixed = model.fit(use_mle=False)
    out = {
        "id": cid,
        "series": [float(v) for v in y],
        "period": period,
        "seasonal": seasonal,
        "statsmodels_seasonal": period > 1 and statsmodels_seasonal_test(y, period),
        "multiplicative": seasonal and model.method.startswith("mul"),
        "seasonal_indices": [float(v) for v in fixed._seasonal] if seasonal else None,
        "b0": float(fixed.params["b0"]),
        "fixed": {
            "alpha": float(fixed.params["alpha"]),
            "initial_level": float(y[0]),
            "forecast": [float(v) for v in fixed.forecast(HORIZON)],
        },
    }
    # Our SES convention: the initial level estimated with alpha. A fresh
    # model deseasonalises (ThetaModel._deseasonalize_data is not
    # idempotent: a second call turns "mul" into "add").
    model = ThetaModel(y, period=max(period, 2), deseasonalize=seasonal, use_test=False, method="auto")
    adj, indices = model._deseasonalize_data()
    ses = SimpleExpSmoothing(adj, initialization_method="estimated").fit()
    res = ThetaModelResults(fixed.params["b0"], ses.params["smoothing_level"], None, ses.forecast(1),
                            indices, False, model)
    out["optimised"] = {
        "alpha": float(ses.params["smoothing_level"]),
        "initial_level": float(ses.params["initial_level"]),
        "ses_sse": float(ses.sse),
        "forecast": [float(v) for v in res.forecast(HORIZON)],
    }
    return out


def main():
    with open("../exponential_smoothing.json") as f:
        fixtures = json.load(f)["cases"]
    series = {}
    for c in fixtures:
        sid = c["id"].split("/")[0]
        series.setdefault(sid, c["series"])
    cases = []
    for sid, y in series.items():
        y = np.asarray(y, dtype=float)
        cases.append(case(sid + "/theta-weekly", y, PERIOD))
        cases.append(case(sid + "/theta-plain", y, 1))
    json.dump({
        "source": "statsmodels 0.13.5 (statsmodels.tsa.forecasting.theta), Debian 12 python3-statsmodels; generate.py",
        "horizon": HORIZON,
        "conventions": {
            "fixed": "ThetaModel(use_mle=False): SES started at y[0]; give our method alpha and initial_level, forecasts must match within 1e-9 relative",
            "optimised": "SES with the initial level estimated (our convention); our SES SSE within 0.1% of ses_sse or below, alpha within 0.01, forecasts within 0.1%",
            "seasonal": "our seasonality test (Bartlett, 1 + 2 sum r_k^2); statsmodels_seasonal is ThetaModel's own test, for information",
            "seasonal_indices": "classical decomposition indices by position t mod period (ratios when multiplicative)",
            "b0": "least-squares slope of the (deseasonalised) series; the forecast drifts by b0/2",
        },
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
