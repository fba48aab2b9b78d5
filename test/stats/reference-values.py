#!/usr/bin/env python3
"""Reference values for strikes' statistics, computed with SciPy.

Writes test/stats/reference-values.json, which test/stats/*.test.ts compare against to 1e-9 relative.
Regenerate after changing a case (Debian: apt-get install python3-scipy):

    python3 test/stats/reference-values.py

Every dataset is generated here with a seeded NumPy generator and written into the JSON, so the
TypeScript side computes from exactly the same numbers. Holm's correction is computed by a direct
transcription of its definition (SciPy has no Holm function); everything else comes from SciPy.
"""
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy
from scipy import special, stats

rng = np.random.default_rng(20260115)
out = {"scipy_version": scipy.__version__, "numpy_version": np.__version__}


def f(x):
    """A float for JSON: None for NaN, strings for infinities."""
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


# Special functions.
out["log_gamma"] = [{"x": x, "value": f(special.gammaln(x))} for x in
                    [0.1, 0.5, 1, 1.5, 2, 3.7, 9.99, 10, 10.5, 50, 123.456, 1e4, 1e6]]
out["incomplete_beta"] = [
    {"x": x, "a": a, "b": b, "lower": f(special.betainc(a, b, x)), "upper": f(special.betaincc(a, b, x))}
    for (x, a, b) in [
        (0.5, 1, 1), (0.1, 2, 3), (0.9, 2, 3), (0.3, 0.5, 0.5), (0.999, 5, 0.5), (0.01, 0.5, 20),
        (0.5, 50, 51), (0.5, 500, 501), (0.98, 5000, 0.5), (0.9999, 50000, 0.5), (0.2, 30, 30),
    ]
]

# Student t and the normal distribution.
t_points = [-40, -6, -3.5, -2.1, -1, -0.25, 0, 0.1, 0.7, 1.96, 2.5, 4, 8, 25, 100]
t_dfs = [1, 2, 3, 4.5, 7, 10, 19, 39, 99.5, 200, 1000, 12345, 1e6]
out["t_cdf"] = [{"t": t, "df": df, "cdf": f(stats.t.cdf(t, df)), "sf": f(stats.t.sf(t, df))}
                for t in t_points for df in t_dfs]
t_probabilities = [1e-12, 1e-6, 0.001, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.55, 0.8, 0.9, 0.95,
                   0.975, 0.99, 0.999, 0.999999]
out["t_ppf"] = [{"p": p, "df": df, "value": f(stats.t.ppf(p, df))} for p in t_probabilities for df in t_dfs]
out["norm_ppf"] = [{"p": p, "value": f(stats.norm.ppf(p))} for p in
                   [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.05, 0.075, 0.2, 0.3, 0.42, 0.5,
                    0.58, 0.8, 0.95, 0.975, 0.999, 1 - 1e-10]]
out["norm_sf"] = [{"z": z, "value": f(stats.norm.sf(z))} for z in
                  [-8, -3, -1, -0.1, 0, 0.2, 1, 1.6448536269514722, 3, 5, 10, 20, 37]]
out["mde_multiplier"] = f(stats.norm.ppf(0.95) + stats.norm.ppf(0.8))
out["z_975"] = f(stats.norm.ppf(0.975))


def paired_case(name, baseline, candidate):
    baseline = np.asarray(baseline, dtype=float)
    candidate = np.asarray(candidate, dtype=float)
    d = candidate - baseline
    result = stats.ttest_rel(candidate, baseline)
    ci95 = result.confidence_interval(0.95)
    ci90 = result.confidence_interval(0.90)
    less = stats.ttest_rel(candidate, baseline, alternative="less")
    se = float(np.std(d, ddof=1) / math.sqrt(len(d)))
    case = {
        "name": name,
        "baseline": baseline.tolist(),
        "candidate": candidate.tolist(),
        "mean_diff": f(d.mean()),
        "se_diff": f(se),
        "statistic": f(result.statistic),
        "df": f(result.df),
        "p_two_sided": f(result.pvalue),
        "p_less": f(less.pvalue),
        "ci95": [f(ci95.low), f(ci95.high)],
        "ci90": [f(ci90.low), f(ci90.high)],
        "mde": f((stats.norm.ppf(0.95) + stats.norm.ppf(0.8)) * se),
        # one-sided test of "worse by more than a margin": H1 mean(d) < -margin
        "margin": 0.05,
        "p_less_margin": f(stats.ttest_1samp(d, -0.05, alternative="less").pvalue),
    }
    return case


paired = []
for n, noise, shift in [(40, 0.15, 0.0), (40, 0.15, -0.05), (12, 0.3, 0.1), (200, 0.1, -0.01), (3, 0.2, 0.0),
                        (400, 0.25, 0.005), (40, 0.1, -0.1), (60, 0.05, 0.04)]:
    quality = rng.uniform(0.3, 0.9, n)
    base = np.clip(quality + rng.normal(0, noise, n), 0, 1)
    cand = np.clip(quality + shift + rng.normal(0, noise, n), 0, 1)
    paired.append(paired_case(f"n={n} noise={noise} shift={shift}", base, cand))
out["paired"] = paired


def welch_case(name, baseline, candidate):
    baseline = np.asarray(baseline, dtype=float)
    candidate = np.asarray(candidate, dtype=float)
    result = stats.ttest_ind(candidate, baseline, equal_var=False)
    ci = result.confidence_interval(0.95)
    less = stats.ttest_ind(candidate, baseline, equal_var=False, alternative="less")
    se = math.sqrt(np.var(baseline, ddof=1) / len(baseline) + np.var(candidate, ddof=1) / len(candidate))
    return {
        "name": name,
        "baseline": baseline.tolist(),
        "candidate": candidate.tolist(),
        "mean_diff": f(candidate.mean() - baseline.mean()),
        "se_diff": f(se),
        "statistic": f(result.statistic),
        "df": f(result.df),
        "p_two_sided": f(result.pvalue),
        "p_less": f(less.pvalue),
        "ci95": [f(ci.low), f(ci.high)],
        "mde": f((stats.norm.ppf(0.95) + stats.norm.ppf(0.8)) * se),
    }


out["welch"] = [
    welch_case("equal sizes", rng.normal(0.7, 0.1, 30), rng.normal(0.65, 0.1, 30)),
    welch_case("unequal sizes and spreads", rng.normal(0.7, 0.05, 8), rng.normal(0.6, 0.3, 50)),
    welch_case("large", rng.normal(10, 3, 800), rng.normal(10.1, 2, 500)),
]

# Exact binomial tests with p = 1/2 (exact McNemar on the discordant pairs).
out["binomial"] = [
    {"k": k, "n": n,
     "two_sided": f(stats.binomtest(k, n, 0.5).pvalue),
     "less": f(stats.binomtest(k, n, 0.5, alternative="less").pvalue)}
    for (k, n) in [(0, 1), (1, 1), (0, 5), (1, 5), (2, 5), (3, 5), (5, 5), (3, 6), (4, 10), (2, 20),
                   (10, 20), (40, 100), (450, 1000), (4900, 10000), (3, 40), (0, 60), (12, 13)]
]

# Wilson intervals.
out["wilson"] = []
for (k, n) in [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (17, 40), (39, 40), (500, 1000), (1, 100000)]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    out["wilson"].append({"k": k, "n": n, "low": f(ci.low), "high": f(ci.high)})

# pass@k and pass^k, exact with fractions.
out["pass_at_k"] = []
for (n, c, k) in [(1, 0, 1), (1, 1, 1), (5, 0, 1), (5, 2, 1), (5, 2, 3), (5, 4, 2), (5, 5, 5), (10, 3, 5),
                  (20, 7, 10), (100, 1, 50), (8, 8, 3), (8, 0, 8)]:
    at = 1 - Fraction(math.comb(n - c, k), math.comb(n, k))
    every = Fraction(math.comb(c, k), math.comb(n, k))
    out["pass_at_k"].append({"n": n, "c": c, "k": k, "pass_at": float(at), "pass_all": float(every)})


def holm(p):
    order = sorted(range(len(p)), key=lambda i: (p[i], i))
    m = len(p)
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


out["holm"] = [{"p": p, "adjusted": holm(p)} for p in
               [[0.01], [0.01, 0.04, 0.03, 0.005], [0.5, 0.5, 0.01], [0.2, 0.001, 0.3, 0.04, 0.04]]]


def interval_case(name, values):
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = float(values.mean())
    sd = float(np.std(values, ddof=1))
    se = sd / math.sqrt(n)
    low, high = stats.t.interval(0.95, n - 1, loc=mean, scale=se)
    return {"name": name, "values": values.tolist(), "mean": f(mean), "sd": f(sd), "se": f(se),
            "ci": [f(low), f(high)]}


# One-sample 95% t intervals (metric_stats), for several sizes including df above the view's table.
out["t_interval"] = [
    interval_case("n=2", [0.2, 0.9]),
    interval_case("n=5", rng.uniform(0, 1, 5)),
    interval_case("n=40", rng.normal(0.7, 0.2, 40)),
    interval_case("n=201", rng.normal(3, 1, 201)),
    interval_case("n=250", rng.normal(-5, 10, 250)),
    interval_case("n=600", rng.exponential(2, 600)),
]

path = Path(__file__).with_suffix(".json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
