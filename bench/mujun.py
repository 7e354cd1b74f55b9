#!/usr/bin/env python3
"""亩均效益评价 in pandas: the peer of `hezuo_domain::mujun::score_columns_into()` for `hezuo-bench-mujun`.

Loads the population CSV and the scheme TOML that `hezuo-bench-mujun` wrote (not timed),
scores the population under the scheme with the same semantics as the Rust function (the
columns its `ScoreTable` gives too: state, score, rank, class, managed-as class and each
indicator's points per enterprise), times the scoring (warm-ups, then `--runs` timed runs),
writes the last run's results as CSV for the Rust side to compare, and prints the timings as
one JSON line.

The semantics, as `crates/domain/src/mujun.rs` has them, per group (规上 under `indicators`,
规下 under `small`):

- an exempt enterprise (flagged 在建, 新办 …) is not scored; it is managed as its exemption's
  class. A group without indicators is not scored either;
- an indicator's value is numerator ÷ denominator when both are present and the denominator
  is > 0; otherwise the value is missing;
- an `average` benchmark is `times` × the mean of the values of the group's non-exempt
  enterprises that have one (enterprises left ungraded later still count), 0 when none has;
- points = min(max(value ÷ benchmark, 0), cap) × weight; 0 when the value is missing or the
  benchmark is not > 0. Under `missing = "ungraded"` an enterprise with a missing value is not
  graded (but its indicators are still computed);
- score = Σ points (unrounded, in the scheme's order) + each adjustment item the enterprise is
  flagged with (in the scheme's order), rounded to 2 decimals; each indicator's points are
  also kept, rounded to 2 decimals;
- rank = 1 + the number of strictly greater scores in the group; classes by position in the
  score-sorted order (ties in the population's order), the band of position p the first whose
  bound round(upto_pct / 100 × n) is > p.

Three details mirror Rust's arithmetic exactly, because ranks and classes depend on the exact
rounded scores: Rust's `f64::round` rounds half away from zero (numpy's `round` rounds half to
even); Rust sums an average's values one after the other (numpy's `sum`/`mean` add pairwise),
so the sum here is the last element of a cumulative sum; and Rust sorts with `total_cmp`,
which puts +0.0 before -0.0 (a small negative total rounds to -0.0).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import tomllib

import numpy as np
import pandas as pd

FIELDS = [
    "tax",
    "value_added",
    "revenue",
    "energy",
    "emission",
    "electricity",
    "employees",
    "rnd",
    "land",
]


def load(population: str, scheme: str) -> tuple[pd.DataFrame, dict]:
    """The population as a DataFrame (flags one-hot, exemptions categorical) and the scheme."""
    df = pd.read_csv(
        population,
        dtype={"above": bool, "exempt": "category", "flags": str}
        | {f: "float64" for f in FIELDS},
    )
    flags = df.pop("flags").str.get_dummies(sep=";").astype(bool)
    df = df.join(flags.add_prefix("flag:"))
    with open(scheme, "rb") as f:
        return df, tomllib.load(f)


def rust_round(x: np.ndarray) -> np.ndarray:
    """`f64::round`: half away from zero, sign of zero kept (np.round is half to even)."""
    t = np.trunc(x)
    return np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t)


def round2(x):
    """`(v * 100.0).round() / 100.0`, elementwise."""
    return rust_round(np.asarray(x, dtype="float64") * 100.0) / 100.0


def sequential_sum(x: np.ndarray) -> float:
    """Σ left to right, as Rust's `Iterator::sum` adds (numpy's sum is pairwise)."""
    return float(np.add.accumulate(x)[-1]) if len(x) else 0.0


def score_group(g: pd.DataFrame, defs: list[dict], scheme: dict) -> pd.DataFrame:
    """One group (规上 or 规下): state, score, rank, class and points_k per enterprise."""
    exempt = g["exempt"].notna()
    if not defs:
        return pd.DataFrame({"state": np.where(exempt, "exempt", "none")}, index=g.index)
    graded = g[~exempt]

    # Each indicator: its value where the fields allow one, its benchmark, its points.
    points = {}
    total = pd.Series(0.0, index=graded.index)
    failed = pd.Series(False, index=graded.index)
    for k, d in enumerate(defs):
        num, den = graded[d["numerator"]], graded[d["denominator"]]
        ok = num.notna() & den.gt(0)
        value = num.div(den).where(ok)
        bench = d["benchmark"]
        if bench["kind"] == "fixed":
            benchmark = float(bench["value"])
        else:
            have = value[ok].to_numpy()
            benchmark = (
                float(bench["times"]) * sequential_sum(have) / len(have) if len(have) else 0.0
            )
        if benchmark > 0:
            p = (
                value.div(benchmark)
                .clip(lower=0.0, upper=d.get("cap"))
                .mul(float(d["weight"]))
                .fillna(0.0)
            )
        else:
            p = pd.Series(0.0, index=graded.index)
        total = total + p
        failed |= ~ok
        points[f"points_{k}"] = round2(p)

    # Bonus and deduction items, in the scheme's order.
    for a in scheme.get("adjustments", []):
        column = "flag:" + a["name"]
        if column in graded:
            total = total.mask(graded[column], total + float(a["points"]))

    res = pd.DataFrame(points, index=graded.index)
    res["score"] = round2(total)
    ungraded = failed.to_numpy() & (scheme.get("missing", "zero") == "ungraded")
    res.loc[ungraded, "score"] = np.nan
    res["state"] = np.where(ungraded, "ungraded", "graded")

    # Sorted high to low, ties in population order. Rust orders with `total_cmp`, which puts
    # +0.0 before -0.0: the sign bit is the second key (lexsort is stable).
    scored = res["score"].dropna()
    s = scored.to_numpy()
    n = len(s)
    order = np.lexsort((np.signbit(s), -s))
    ranked = s[order]
    # rank = 1 + the number of strictly greater scores (`rank(method="min", ascending=False)`,
    # read off the order already sorted): a new score starts a new rank at its position.
    starts = np.ones(n, dtype=bool)
    starts[1:] = ranked[1:] < ranked[:-1]
    rank = np.maximum.accumulate(np.where(starts, np.arange(1, n + 1), 0))
    # Classes by position: the first band whose bound round(upto_pct / 100 * n) is past it.
    bands = scheme["classes"]
    upto = np.array([b["upto_pct"] for b in bands], dtype="float64")
    bounds = np.maximum(rust_round(upto / 100.0 * n), 0)
    band = np.minimum(np.searchsorted(bounds, np.arange(n), side="right"), len(bands) - 1)
    labels = np.array([b["class"] for b in bands], dtype=object)
    by_position = pd.DataFrame(
        {"rank": rank, "class": labels[band]}, index=scored.index[order]
    )
    res = res.join(by_position)
    return pd.concat([res, pd.DataFrame({"state": "exempt"}, index=g.index[exempt])])


def score(df: pd.DataFrame, scheme: dict) -> pd.DataFrame:
    """Every enterprise's result, in the population's order."""
    managed = {x["reason"]: x["managed_as"] for x in scheme.get("exempt", [])}
    above = df["above"]
    out = pd.concat(
        [
            score_group(df[above], scheme["indicators"], scheme),
            score_group(df[~above], scheme.get("small", []), scheme),
        ]
    ).reindex(df.index)
    out["rank"] = out["rank"].astype("Int64")
    out["managed_as"] = df["exempt"].map(managed)
    return out


def percentile(sorted_ms: list[float], p: int) -> float:
    """Nearest rank, as the Rust side computes it."""
    rank = max(1, -(-len(sorted_ms) * p // 100))
    return sorted_ms[rank - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--population", required=True)
    ap.add_argument("--scheme", required=True)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--warmups", type=int, default=3)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    df, scheme = load(args.population, args.scheme)
    for _ in range(args.warmups):
        score(df, scheme)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = score(df, scheme)
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()

    k = max(len(scheme["indicators"]), len(scheme.get("small", [])))
    columns = ["state", "score", "rank", "class", "managed_as"] + [
        f"points_{i}" for i in range(k)
    ]
    result.reindex(columns=columns).to_csv(args.out, index=False)
    print(
        json.dumps(
            {
                "median_ms": percentile(times, 50),
                "p95_ms": percentile(times, 95),
                "times_ms": times,
                "python": platform.python_version(),
                "pandas": pd.__version__,
                "numpy": np.__version__,
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
