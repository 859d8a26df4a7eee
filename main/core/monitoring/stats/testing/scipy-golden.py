#!/usr/bin/env python3
"""What scipy says for the drift statistics, on fixed generated inputs: the golden numbers that
scipy-golden.test.ts holds the TypeScript functions to (|diff| <= 1e-9, relative above 1).

Run it with Debian's Python and scipy 1.10 (`apt-get install python3-scipy`):
    /usr/bin/python3 main/core/monitoring/stats/testing/scipy-golden.py \
        > main/core/monitoring/stats/testing/scipy-golden.json

Inputs are not stored: each case names a generator (golden-inputs.ts is the same generator in
TypeScript) that makes exact doubles from a 32-bit LCG with integer arithmetic, so both languages
build bit-identical samples; each case also records a fingerprint of its samples to prove it.
The "evidently" cases apply Evidently's default drift rules (method by row count and distinct
values, its thresholds and its Sturges binning), written out here with numpy and scipy.
"""
import json
import math

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance


class Lcg:
    """Numerical Recipes' 32-bit LCG; 1664525 * (2**32) < 2**53, so JavaScript doubles agree."""

    def __init__(self, seed):
        self.state = seed % 2**32

    def next24(self):
        self.state = (1664525 * self.state + 1013904223) % 2**32
        return self.state >> 8


def generate(spec):
    """A sample from its description; every float op is one IEEE operation, as in golden-inputs.ts."""
    rng = Lcg(spec["seed"])
    out = []
    for _ in range(spec["n"]):
        if spec["kind"] == "normal":
            total = rng.next24() + rng.next24() + rng.next24() + rng.next24() - 2**25
            out.append(spec["mu"] + spec["sigma"] * (total / 8388608.0))
        elif spec["kind"] == "integers":
            out.append(float(spec["offset"] + rng.next24() % spec["k"]))
        elif spec["kind"] == "skewed":
            u = rng.next24() / 16777216.0
            out.append(spec["scale"] * (u * u * u))
        else:
            raise ValueError(spec["kind"])
    return out


def fingerprint(values):
    return {"n": len(values), "first": values[:3], "last": values[-1]}


def normal(n, seed, mu=0.0, sigma=1.0):
    return {"kind": "normal", "n": n, "seed": seed, "mu": mu, "sigma": sigma}


def integers(n, seed, k, offset=0):
    return {"kind": "integers", "n": n, "seed": seed, "k": k, "offset": offset}


def skewed(n, seed, scale):
    return {"kind": "skewed", "n": n, "seed": seed, "scale": scale}


def ks_branch(n1, n2, d):
    """Which of scipy's code paths ks_2samp(method='auto') takes, so the goldens show each is covered."""
    if max(n1, n2) <= 10000:
        return "exact, equal sizes" if n1 == n2 else "exact, unequal sizes"
    m, n = sorted([n1, n2], reverse=True)
    en = round(m * n / (m + n))
    t = en * d
    if t <= 1 or t >= en - 1:
        return "asymptotic, Ruben-Gambino"
    if d >= 0.5:
        return "asymptotic, Smirnov sum"
    nd2 = t * d
    if en <= 140:
        return "asymptotic, Durbin matrix" if nd2 <= 0.754693 else "asymptotic, Pomeranz" if nd2 <= 4 else "asymptotic, Smirnov sum"
    if nd2 >= 370:
        return "asymptotic, zero"
    if nd2 >= 2.2:
        return "asymptotic, Smirnov sum"
    if nd2 >= 18:
        return "asymptotic, one"
    return "asymptotic, Durbin matrix" if en <= 100000 and en * d**1.5 <= 1.4 else "asymptotic, Pelz-Good"


KS_CASES = [
    ("tiny, 3 vs 4", normal(3, 1), normal(4, 2, 0.5)),
    ("tiny, 5 vs 5", normal(5, 3), normal(5, 4, 1.0)),
    ("one value each", normal(1, 5), normal(1, 6, 1.0)),
    ("ties: 5 integers, 60 vs 45", integers(60, 7, 5), integers(45, 8, 5, 1)),
    ("ties: identical samples", integers(40, 9, 3), integers(40, 9, 3)),
    ("100 vs 100, shifted 0.3", normal(100, 10), normal(100, 11, 0.3)),
    ("1000 vs 700, shifted 0.1", normal(1000, 12), normal(700, 13, 0.1)),
    ("5000 vs 5000, shifted 0.05", normal(5000, 14), normal(5000, 15, 0.05)),
    ("5000 vs 3000, scaled 1.1", normal(5000, 16), normal(3000, 17, 0.0, 1.1)),
    ("10000 vs 9999, same", normal(10000, 18), normal(9999, 19)),
    ("10001 vs 10001, same", normal(10001, 20), normal(10001, 21)),
    ("20000 vs 5000, shifted 0.02", normal(20000, 22), normal(5000, 23, 0.02)),
    ("20000 vs 5000, shifted 0.2", normal(20000, 24), normal(5000, 25, 0.2)),
    ("12000 vs 50, same", normal(12000, 26), normal(50, 27)),
    ("12000 vs 100, same", normal(12000, 100), normal(100, 101)),
    ("12000 vs 130, same", normal(12000, 122), normal(130, 123)),
    ("12000 vs 60, shifted 0.5", normal(12000, 28), normal(60, 29, 0.5)),
    ("15000 vs 30, shifted 1.5", normal(15000, 30), normal(30, 31, 1.5)),
    ("12000 vs 3, shifted", normal(12000, 32), normal(3, 33, 2.0)),
    ("skewed 11000 vs 400", skewed(11000, 34, 10.0), skewed(400, 35, 11.0)),
    ("30000 vs 30000, shifted 0.001", normal(30000, 36), normal(30000, 37, 0.001)),
]

CHI_CASES = [
    ("2 categories", [18, 22], [20, 20]),
    ("4 categories, fractional expectations", [30, 14, 34, 45], [31.5, 20.25, 27.0, 44.25]),
    ("perfect fit", [10, 20, 30], [10, 20, 30]),
    ("far tail", [900, 50, 50], [333.3333333333333, 333.3333333333333, 333.3333333333334]),
    ("zero observed in one category", [0, 40, 60], [10, 40, 50]),
    ("large counts", [510000, 490000, 250123], [500000.0, 500000.0, 250123.0]),
]

WASSERSTEIN_CASES = [
    ("tiny", normal(3, 40), normal(2, 41, 1.0), None, None),
    ("ties", integers(50, 42, 4), integers(80, 43, 6), None, None),
    ("equal sizes, shifted 0.5", normal(500, 44), normal(500, 45, 0.5), None, None),
    ("5000 vs 1200, scaled", normal(5000, 46), normal(1200, 47, 0.0, 2.0), None, None),
    ("skewed", skewed(3000, 48, 5.0), skewed(700, 49, 5.5), None, None),
    ("weights", normal(30, 50), normal(20, 51, 0.2), skewed(30, 52, 3.0), integers(20, 53, 5, 1)),
]

JS_CASES = [
    ("identical", [0.2, 0.3, 0.5], [0.2, 0.3, 0.5], None),
    ("unnormalised counts", [10, 20, 30, 40], [40, 30, 20, 10], None),
    ("empty bins", [0.5, 0.5, 0.0, 0.0], [0.0, 0.25, 0.25, 0.5], None),
    ("disjoint", [1.0, 0.0], [0.0, 1.0], None),
    ("base 2", [0.1, 0.4, 0.5], [0.3, 0.3, 0.4], 2.0),
    ("close", [0.25, 0.25, 0.25, 0.25], [0.2500001, 0.2499999, 0.25, 0.25], None),
]


def value_counts_percents(ref, cur):
    keys = sorted(set(ref) | set(cur))
    return ([ref.count(k) / len(ref) for k in keys], [cur.count(k) / len(cur) for k in keys])


def binned_percents(ref, cur, floor):
    """Evidently's get_binned_data: Sturges bins over both samples when the reference has more
    than 20 distinct numbers, else one bin per value; `floor` fills empty bins (PSI only)."""
    if len(set(ref)) > 20:
        edges = np.histogram_bin_edges(np.asarray(ref + cur), bins="sturges")
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
    else:
        r, c = (np.asarray(x) for x in value_counts_percents(ref, cur))
    if floor:
        for shares in (r, c):
            smallest = shares[shares != 0].min()
            np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return r, c


def evidently_default(ref, cur, kind, method=None):
    """The method Evidently picks (or the one asked for) and its score."""
    n_values = len(set(ref) | set(cur))
    if method is None:
        if len(ref) <= 1000:
            method = "ks" if kind == "numeric" and n_values > 5 else "chisquare" if n_values > 2 else "z"
        else:
            method = "wasserstein" if kind == "numeric" and n_values > 5 else "jensenshannon"
    if method == "ks":
        return method, float(stats.ks_2samp(ref, cur).pvalue)
    if method == "chisquare":
        keys = sorted(set(ref) | set(cur))
        k_norm = len(cur) / len(ref)
        return method, float(stats.chisquare([cur.count(k) for k in keys], [ref.count(k) * k_norm for k in keys]).pvalue)
    if method == "z":
        first = sorted(set(ref) | set(cur))[0]
        if len(set(ref)) == 1 and set(ref) == set(cur):
            return method, 1.0
        n1, n2 = len(ref), len(cur)
        p1 = sum(1 for x in ref if x != first) / n1
        p2 = sum(1 for x in cur if x != first) / n2
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        return method, float(2 * stats.norm.sf(abs(z)))
    if method == "wasserstein":
        return method, float(stats.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001))
    if method == "jensenshannon":
        r, c = binned_percents(ref, cur, False) if kind == "numeric" else (np.asarray(x) for x in value_counts_percents(ref, cur))
        return method, float(distance.jensenshannon(r, c))
    if method == "psi":
        r, c = binned_percents(ref, cur, True)
        return method, float(np.sum((r - c) * np.log(r / c)))
    raise ValueError(method)


DRIFT_CASES = [
    ("small numeric: KS", "numeric", normal(500, 60), normal(200, 61, 0.4), None),
    ("small, 4 values: chi-square", "numeric", integers(400, 62, 4), integers(150, 63, 4), None),
    ("small categorical: chi-square", "categorical", integers(800, 64, 6), integers(300, 65, 5), None),
    ("small binary: Z-test", "categorical", integers(600, 66, 2), integers(250, 67, 2), None),
    ("large numeric: Wasserstein / std", "numeric", normal(5000, 68, 3.0, 2.0), normal(1000, 69, 3.3, 2.0), None),
    ("large, 3 values: Jensen-Shannon by value", "numeric", integers(3000, 70, 3), integers(900, 71, 3), None),
    ("large categorical: Jensen-Shannon", "categorical", integers(4000, 72, 12), integers(1000, 73, 14), None),
    ("large numeric, Jensen-Shannon asked: Sturges bins", "numeric", normal(6000, 74), normal(1500, 75, 0.5), "jensenshannon"),
    ("large numeric, PSI asked", "numeric", normal(6000, 76), normal(1500, 77, 0.3, 1.5), "psi"),
    ("large numeric, 12 values, PSI asked", "numeric", integers(3000, 78, 12), integers(1000, 79, 12, 1), "psi"),
]


def as_category(values):
    return ["c%d" % int(x) for x in values]


def main():
    ks = []
    for name, a_spec, b_spec in KS_CASES:
        a, b = generate(a_spec), generate(b_spec)
        result = stats.ks_2samp(a, b)
        ks.append({"name": name, "a": a_spec, "b": b_spec, "aFingerprint": fingerprint(a), "bFingerprint": fingerprint(b),
                   "branch": ks_branch(len(a), len(b), float(result.statistic)),
                   "statistic": float(result.statistic), "pValue": float(result.pvalue)})
    chi = []
    for name, observed, expected in CHI_CASES:
        result = stats.chisquare(observed, expected)
        chi.append({"name": name, "observed": observed, "expected": expected, "statistic": float(result.statistic), "pValue": float(result.pvalue)})
    wasserstein = []
    for name, u_spec, v_spec, uw_spec, vw_spec in WASSERSTEIN_CASES:
        u, v = generate(u_spec), generate(v_spec)
        uw = generate(uw_spec) if uw_spec else None
        vw = generate(vw_spec) if vw_spec else None
        wasserstein.append({"name": name, "u": u_spec, "v": v_spec, "uWeights": uw_spec, "vWeights": vw_spec,
                            "uFingerprint": fingerprint(u), "vFingerprint": fingerprint(v),
                            "distance": float(stats.wasserstein_distance(u, v, uw, vw))})
    js = []
    for name, p, q, base in JS_CASES:
        js.append({"name": name, "p": p, "q": q, "base": base, "distance": float(distance.jensenshannon(p, q, base))})
    drift = []
    for name, kind, ref_spec, cur_spec, method in DRIFT_CASES:
        ref, cur = generate(ref_spec), generate(cur_spec)
        if kind == "categorical":
            ref, cur = as_category(ref), as_category(cur)
        chosen, score = evidently_default(ref, cur, kind, method)
        drift.append({"name": name, "kind": kind, "reference": ref_spec, "current": cur_spec, "asked": method, "method": chosen, "score": score})
    print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "ks2samp": ks, "chisquare": chi,
                      "wasserstein": wasserstein, "jensenshannon": js, "evidentlyDefaults": drift}, indent=1))


if __name__ == "__main__":
    main()
