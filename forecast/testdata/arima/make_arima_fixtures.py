#!/usr/bin/python3
"""Reference numbers for the Go ARIMA tests (forecast/arima_test.go).

Run from this folder with Debian's statsmodels 0.13.5 (apt-get install
python3-statsmodels):

    /usr/bin/python3 make_arima_fixtures.py            # writes series.json, arima.json

It copies a few series into series.json (so that go test needs neither python
nor /work/shared): two monthly NN3 series, one daily NN5 series with missing
days, one weekly tuna series (log sales), the monthly means of statsmodels'
Mauna Loa CO2 data set (a classic seasonal series, NOAA, public domain) and a
simulated airline model ARIMA(0,1,1)(0,1,1)12 with four missing months.

Conventions, chosen so that the comparison is exact:

* SARIMAX(..., use_exact_diffuse=True): exact diffuse initialisation of the
  differencing states (the default approximate diffuse prior, variance 1e6,
  agrees to ~1e-7 relative only), the ARMA states from their stationary
  distribution (enforce_stationarity=True, the default), Harvey's
  representation, simple_differencing=False (differences inside the state
  space so that missing values are handled and forecasts are in levels).
* Log-likelihood: statsmodels' exact diffuse llf counts every diffuse period
  t (F∞(t) > 0) as -½(log 2π + log F∞(t)); the Go code, like R's arima and
  statsmodels with simple_differencing=True, leaves those periods out (the
  likelihood of the differenced series). "loglik" below is therefore
  llf + Σ_diffuse ½(log 2π + log F∞(t)); the script checks that it equals the
  simple_differencing llf on series without missing values.
* sigma2 is a free parameter (concentrate_scale=False, the default); for the
  fixed cases it is given, so the likelihood is evaluated at it. The Go
  estimator concentrates σ² out, which gives the same maximum.
* trend='c' is statsmodels' intercept c of φ(L)Φ(Lᵐ)w(t) = c + …; the Go
  parameter is the mean μ of the differenced series, μ = c / (φ(1)Φ(1)).
"""
import json, warnings
import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.sarimax import SARIMAX
from statsmodels.datasets import co2

warnings.simplefilter("ignore")
DATA = "/work/shared/data"


def series():
    out = {}
    nn3 = pd.read_csv(f"{DATA}/nn3/nn3.csv")
    for sid in ["NN3_001", "NN3_101"]:
        out[sid] = nn3[nn3.series_id == sid].quantity.astype(float).tolist()
    nn5 = pd.read_csv(f"{DATA}/nn5/nn5.csv")
    out["NN5-001"] = nn5[nn5.series_id == "NN5-001"].quantity.astype(float).tolist()[:420]
    tuna = pd.read_csv(f"{DATA}/tuna/tuna.csv")
    t = tuna[tuna.series_id == "TUNA_B1"].sort_values("t")
    out["TUNA_B1_log"] = np.log(t.quantity.astype(float)).round(6).tolist()
    c = co2.load_pandas().data.co2.resample("MS").mean().interpolate()
    out["co2_monthly"] = c.round(4).tolist()
    rng = np.random.default_rng(15)
    n, m = 144, 12
    e = rng.normal(scale=2.0, size=n + 2 * m + 2)
    w = e[m + 1:] - 0.4 * e[m:-1] - 0.6 * e[1:-m] + 0.24 * e[:-m - 1]
    y = np.zeros(n + m + 1)
    for i in range(len(w)):
        y[i] = (y[i - 1] if i >= 1 else 0) + (y[i - m] if i >= m else 0) - (y[i - m - 1] if i >= m + 1 else 0) + w[i]
    y = np.round(100 + y[-n:] + 10 * np.sin(2 * np.pi * np.arange(n) / m), 4)
    y[[5, 40, 41, 100]] = np.nan
    out["airline_sim"] = [None if np.isnan(v) else float(v) for v in y]
    return out


def arr(y):
    return np.array([np.nan if v is None else v for v in y], dtype=float)


def model(y, order, sorder, trend):
    return SARIMAX(arr(y), order=order, seasonal_order=sorder, trend=trend, use_exact_diffuse=True)


def go_loglik(res):
    fr = res.filter_results
    obs = res.llf_obs
    Finf = fr.forecasts_error_diffuse_cov  # None when no period has F∞ = 0
    ll = 0.0
    for t, v in enumerate(obs):
        if t < fr.nobs_diffuse and (Finf is None or Finf[0, 0, t] > 1e-8):
            continue
        ll += v
    return float(ll)


def split(mod, params):
    """statsmodels' parameter vector -> Go's ARIMAParams fields."""
    names = mod.param_names
    g = {"ar": [], "ma": [], "sar": [], "sma": [], "mean": 0.0, "sigma2": 0.0}
    c = 0.0
    for n, v in zip(names, params):
        v = float(v)
        if n == "intercept":
            c = v
        elif n == "sigma2":
            g["sigma2"] = v
        elif n.startswith("ar.S."):
            g["sar"].append(v)
        elif n.startswith("ma.S."):
            g["sma"].append(v)
        elif n.startswith("ar."):
            g["ar"].append(v)
        elif n.startswith("ma."):
            g["ma"].append(v)
    g["mean"] = c / ((1 - sum(g["ar"])) * (1 - sum(g["sar"])))
    return g


def case(sid, y, order, sorder, trend, params, h):
    mod = model(y, order, sorder, trend)
    res = mod.filter(np.array(params, dtype=float))
    fc = res.get_forecast(h)
    ll = go_loglik(res)
    yy = arr(y)
    if not np.isnan(yy).any():
        sd = SARIMAX(yy, order=order, seasonal_order=sorder, trend=trend, simple_differencing=True)
        ll_sd = sd.loglike(np.array(params, dtype=float))
        assert abs(ll - ll_sd) < 1e-6 * abs(ll), (sid, ll, ll_sd)
    fitted = res.fittedvalues
    return {
        "series": sid, "order": list(order), "seasonal_order": list(sorder), "constant": trend == "c",
        "params": split(mod, params), "statsmodels_params": dict(zip(mod.param_names, map(float, params))),
        "loglik": ll, "statsmodels_llf_exact_diffuse": float(res.llf),
        "statsmodels_llf_default": float(SARIMAX(arr(y), order=order, seasonal_order=sorder, trend=trend).loglike(np.array(params, dtype=float))),
        "diffuse_periods": int(res.filter_results.nobs_diffuse),
        "forecast": fc.predicted_mean.tolist(), "forecast_var": fc.var_pred_mean.tolist(),
        "fitted": [None if (i < res.filter_results.nobs_diffuse or np.isnan(v)) else float(v) for i, v in enumerate(fitted)],
    }


def mle(sid, y, order, sorder, trend, h):
    mod = model(y, order, sorder, trend)
    res = mod.fit(disp=False, maxiter=500)
    c = case(sid, y, order, sorder, trend, res.params, h)
    c["mle"] = True
    return c


def main():
    s = {k: [None if v is None or np.isnan(v) else float(v) for v in y] for k, y in series().items()}
    with open("series.json", "w") as f:
        json.dump(s, f, separators=(",", ":"), allow_nan=False)
    fixed = [
        ("NN3_001", (0, 1, 1), (0, 1, 1, 12), "n", [-0.5, -0.6, 2.0e5], 24),
        ("NN3_001", (1, 0, 1), (1, 0, 0, 12), "c", [1500.0, 0.7, -0.2, 0.5, 3.0e5], 24),
        ("NN3_101", (2, 1, 0), (0, 1, 1, 12), "n", [-0.3, -0.2, -0.5, 4.0e5], 24),
        ("NN5-001", (1, 0, 1), (0, 1, 1, 7), "n", [0.5, -0.2, -0.8, 30.0], 14),
        ("NN5-001", (0, 1, 1), (0, 1, 1, 7), "n", [-0.7, -0.8, 30.0], 14),
        ("NN5-001", (2, 0, 0), (1, 0, 0, 7), "c", [5.0, 0.3, 0.1, 0.5, 40.0], 14),
        ("TUNA_B1_log", (1, 0, 0), (0, 0, 0, 0), "c", [3.0, 0.7, 0.3], 13),
        ("TUNA_B1_log", (0, 1, 1), (0, 0, 0, 0), "c", [0.001, -0.6, 0.3], 13),
        ("TUNA_B1_log", (2, 0, 2), (0, 0, 0, 0), "c", [5.0, 0.9, -0.3, -0.4, 0.1, 0.3], 13),
        ("airline_sim", (0, 1, 1), (0, 1, 1, 12), "n", [-0.4, -0.6, 4.0], 24),
        ("airline_sim", (1, 1, 0), (1, 1, 0, 12), "n", [-0.3, -0.4, 5.0], 24),
        ("co2_monthly", (1, 1, 1), (0, 1, 1, 12), "n", [0.3, -0.7, -0.85, 0.1], 24),
    ]
    estimated = [
        ("NN3_001", (0, 1, 1), (0, 1, 1, 12), "n", 24),
        ("NN3_101", (1, 0, 0), (1, 1, 0, 12), "c", 24),
        ("NN5-001", (1, 0, 1), (0, 1, 1, 7), "n", 14),
        ("TUNA_B1_log", (1, 0, 1), (0, 0, 0, 0), "c", 13),
        ("TUNA_B1_log", (0, 1, 1), (0, 0, 0, 0), "n", 13),
        ("airline_sim", (0, 1, 1), (0, 1, 1, 12), "n", 24),
        ("co2_monthly", (1, 1, 1), (0, 1, 1, 12), "n", 24),
    ]
    cases = [case(sid, s[sid], o, so, tr, p, h) for sid, o, so, tr, p, h in fixed]
    cases += [mle(sid, s[sid], o, so, tr, h) for sid, o, so, tr, h in estimated]
    with open("arima.json", "w") as f:
        json.dump({"statsmodels": "0.13.5", "cases": cases}, f, indent=0, separators=(",", ":"), allow_nan=False)


if __name__ == "__main__":
    main()
