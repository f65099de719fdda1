#!/usr/bin/python3
"""Reference numbers for the moving average (forecast/ma_ref_test.go).

Run from this directory with Debian 12's python3-pandas (1.5.3):

    /usr/bin/python3 generate.py > reference.json

The series are those of ../exponential_smoothing.json (three NN5 cash
machines and two synthetic weekly series), and one of them with days of
unknown demand (null: out of stock, censored).

The moving average of window k (FPP3 section 3.3) as computed here with
pandas, independently of the Go code:
- the forecast for every step is the mean of the last k observed values
  (missing values are skipped, not counted as zero);
- the one-step in-sample value at t is the mean of the last k values
  observed before t, over fewer at the start (pandas min_periods=1); there
  is none (null) before the first observation;
- the window the model chooses itself is the k in 2 .. min(24, observed/2)
  with the smallest sum of squared one-step errors (the smallest k on a
  tie).
"""

import json
import math
import sys

import numpy as np
import pandas as pd

HORIZON = 28


def moving_average(y, k):
    s = pd.Series(y)
    obs = s.dropna()
    means = obs.rolling(k, min_periods=1).mean()
    fitted = means.reindex(range(len(s))).ffill().shift(1)
    forecast = [float(obs.iloc[-k:].mean())] * HORIZON
    err = s - fitted
    sse = float(np.nansum(err.to_numpy() ** 2))
    return fitted.to_numpy(), forecast, sse


def nulls(a):
    return [None if math.isnan(v) else float(v) for v in a]


def case(cid, y):
    n_obs = int(np.sum(~np.isnan(y)))
    sses = {k: moving_average(y, k)[2] for k in range(2, min(24, max(2, n_obs // 2)) + 1)}
    chosen = min(sses, key=lambda k: (sses[k], k))
    windows = []
    for k in sorted({3, 7, 14, chosen}):
        fitted, forecast, sse = moving_average(y, k)
        windows.append({"window": k, "fitted": nulls(fitted), "forecast": forecast, "sse": sse})
    return {"id": cid, "series": nulls(y), "chosen_window": chosen, "windows": windows}


def main():
    with open("../exponential_smoothing.json") as f:
        fixtures = json.load(f)["cases"]
    series = {}
    for c in fixtures:
        series.setdefault(c["id"].split("/")[0], c["series"])
    cases = []
    for sid, y in series.items():
        cases.append(case(sid + "/ma", np.asarray(y, dtype=float)))
    # Censored days: NN5-017 with stock-outs on days 0-2, 50-56 and 300.
    y = np.asarray(series["NN5-017"], dtype=float)
    y[[0, 1, 2, 50, 51, 52, 53, 54, 55, 56, 300]] = np.nan
    cases.append(case("NN5-017-censored/ma", y))
    json.dump({
        "source": "pandas 1.5.3 rolling means, Debian 12 python3-pandas; generate.py",
        "horizon": HORIZON,
        "conventions": {
            "series": "null is a day of unknown demand (censored), skipped",
            "fitted": "one-step in-sample value: mean of the last `window` observed values before t (fewer at the start); null before the first observation",
            "forecast": "mean of the last `window` observed values, every step",
            "chosen_window": "the window MovingAverage{} picks: smallest sse over 2..min(24, observed/2), smallest on a tie",
        },
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
