#!/usr/bin/python3
"""Times statsmodels' damped additive Holt-Winters per series, the yardstick
of `smartinventory forecast evaluate`'s speed (forecast/README.md).

    /usr/bin/python3 bench_statsmodels.py [--data ../../../shared/data] [--long-weekly long_weekly.csv]

For every series of each set (carparts, nn5, tuna, orange_juice, nn3 in
/work/shared/data, and a synthetic long weekly set), the training part (all
but the last h periods, h as forecast evaluate's default: 12 monthly, 28
daily, 13 weekly) is fitted with ExponentialSmoothing(trend="add",
damped_trend=True, seasonal="add", seasonal_periods=m).fit() and forecast
h steps: statsmodels 0.13.5 (Debian), one core, one series at a time.
Series shorter than two seasons use damped Holt (no season), as the data
README's baselines do; missing periods (absent weeks, empty cells) are
linearly interpolated, since statsmodels cannot skip them.

The long weekly set (written to --long-weekly, read by forecast evaluate
with --freq weekly) is synthetic: 20 series of 1,000 to 2,600 weeks (four
of 2,600), level × trend × annual season (m = 52) with gamma noise, seeded,
so that the comparison can be repeated without the held-out competition
data.
"""
import argparse, json, sys, time, warnings
import numpy as np
import pandas as pd
from statsmodels.tsa.holtwinters import ExponentialSmoothing

warnings.simplefilter("ignore")

SETS = [  # name, file, time column, season, horizon
    ("carparts", "carparts/carparts.csv", "period", 12, 12),
    ("nn5", "nn5/nn5.csv", "date", 7, 28),
    ("tuna", "tuna/tuna.csv", "t", 52, 13),
    ("orange_juice", "orange_juice/orange_juice.csv", "t", 52, 13),
    ("nn3", "nn3/nn3.csv", "period", 12, 12),
]


def long_weekly(path):
    rng = np.random.default_rng(2600)
    rows = []
    lengths = [2600, 2600, 2600, 2600] + list(np.linspace(1000, 2500, 16).astype(int))
    for i, n in enumerate(lengths):
        t = np.arange(n)
        level = rng.uniform(50, 500)
        trend = 1 + rng.uniform(-0.3, 0.6) * t / n
        season = 1 + rng.uniform(0.1, 0.4) * np.sin(2 * np.pi * (t + rng.uniform(0, 52)) / 52.18)
        mu = level * trend * season
        y = rng.gamma(20, mu / 20)
        for j in range(n):
            rows.append((f"LW{i:02d}", j + 1, round(float(y[j]), 2)))
    df = pd.DataFrame(rows, columns=["series_id", "t", "quantity"])
    df.to_csv(path, index=False)
    return df


def regular(g, col):
    g = g.sort_values(col)
    y = g.quantity.astype(float)
    if col == "t":
        idx = np.arange(g[col].min(), g[col].max() + 1)
        y = pd.Series(y.values, index=g[col].values).reindex(idx)
    return pd.Series(np.asarray(y, dtype=float)).interpolate(limit_direction="both").values


def fit_one(y, m, h):
    seasonal = m > 1 and len(y) >= 2 * m
    mod = ExponentialSmoothing(y, trend="add", damped_trend=True,
                               seasonal="add" if seasonal else None,
                               seasonal_periods=m if seasonal else None)
    return mod.fit().forecast(h)


def run(name, df, col, m, h):
    series = [regular(g, col) for _, g in df.groupby("series_id")]
    t0 = time.process_time()
    w0 = time.perf_counter()
    for y in series:
        train = y[:-h]
        fit_one(train, m, h)
    return {"set": name, "series": len(series), "cpu_s": round(time.process_time() - t0, 2),
            "wall_s": round(time.perf_counter() - w0, 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--long-weekly", default="long_weekly.csv")
    ap.add_argument("--sets", default="carparts,nn5,tuna,orange_juice,nn3,long_weekly")
    a = ap.parse_args()
    want = a.sets.split(",")
    out = []
    for name, f, col, m, h in SETS:
        if name in want:
            out.append(run(name, pd.read_csv(f"{a.data}/{f}"), col, m, h))
            print(json.dumps(out[-1]), flush=True)
    if "long_weekly" in want:
        out.append(run("long_weekly", long_weekly(a.long_weekly), "t", 52, 13))
        print(json.dumps(out[-1]), flush=True)


if __name__ == "__main__":
    main()
