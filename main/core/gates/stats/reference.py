#!/usr/bin/env python3
"""Reference values for McNemar's exact test and the paired bootstrap, from statsmodels and scipy.

Run it with Debian's Python (`apt-get install python3-scipy python3-statsmodels`):
    /usr/bin/python3 main/core/gates/stats/reference.py
It prints JSON; stats-reference.test.ts holds these numbers (so the tests need no Python) and,
when this Python is present, runs the script again and compares live.
"""
import json
import math

import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

# (baseline right only b, candidate right only c): small, lopsided, tied, and n = 1,000,000.
DISCORDANT = [
    (0, 0), (1, 0), (3, 0), (5, 1), (10, 25), (25, 10), (7, 7), (100, 130), (130, 100),
    (40, 2), (1000, 1100), (499000, 501000), (500500, 499500), (497000, 503000), (505000, 495000),
    (0, 1000000), (1000000, 0),
]


def mcnemar_rows():
    rows = []
    for b, c in DISCORDANT:
        n = b + c
        two_sided = float(mcnemar([[50, b], [c, 20]], exact=True).pvalue)
        worse = 1.0 if n == 0 else float(stats.binomtest(b, n, 0.5, alternative="greater").pvalue) if n <= 5000 else float(stats.binom.sf(b - 1, n, 0.5))
        rows.append({"b": b, "c": c, "pTwoSided": two_sided, "pWorse": worse})
    return rows


def regression_rows(n):
    """The same generated rows as stats-reference.test.ts makes."""
    i = np.arange(n, dtype=np.float64)
    actual = np.sin(i) * 10.0
    baseline = actual + (np.mod(i * 7919, 13) - 6) / 3.0
    candidate = actual + (np.mod(i * 104729, 17) - 8) / 4.0
    return actual, baseline, candidate


def bootstrap_rows():
    rows = []
    actual, baseline, candidate = regression_rows(2000)
    for error in ("mae", "rmse"):
        if error == "mae":
            loss_b, loss_c = np.abs(baseline - actual), np.abs(candidate - actual)
            stat = lambda b, c, axis=-1: np.mean(c, axis=axis) - np.mean(b, axis=axis)
            point_b, point_c = float(np.mean(loss_b)), float(np.mean(loss_c))
        else:
            loss_b, loss_c = (baseline - actual) ** 2, (candidate - actual) ** 2
            stat = lambda b, c, axis=-1: np.sqrt(np.mean(c, axis=axis)) - np.sqrt(np.mean(b, axis=axis))
            point_b, point_c = math.sqrt(float(np.mean(loss_b))), math.sqrt(float(np.mean(loss_c)))
        result = stats.bootstrap((loss_b, loss_c), stat, paired=True, vectorized=True, n_resamples=20000,
                                 confidence_level=0.95, method="percentile", random_state=np.random.default_rng(7))
        rows.append({"error": error, "rows": 2000, "baselineError": point_b, "candidateError": point_c,
                     "low": float(result.confidence_interval.low), "high": float(result.confidence_interval.high),
                     "standardError": float(result.standard_error)})
    return rows


print(json.dumps({"scipy": stats.__name__ and __import__("scipy").__version__,
                  "statsmodels": __import__("statsmodels").__version__,
                  "mcnemar": mcnemar_rows(), "bootstrap": bootstrap_rows()}, indent=1))
