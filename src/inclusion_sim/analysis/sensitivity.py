"""Sensitivity indices with SALib: Sobol (first and total order) and Morris (mu*, sigma).

Indices are computed per outcome for each policy's mean over replicates at each design point,
and for the paired difference of each policy from the reference: the second answers the
question the project exists for, namely which parameters decide *whether push-in or pull-out
wins*, not just how large outcomes are.

SALib needs outputs for every row of the design in its own order, so a point with no
successful run leaves that outcome without indices (reported, never silently imputed).

Warnings SALib raises while analysing are kept as notes for the report, never silenced. Sobol
indices estimated from too small a sample can fall outside [0, 1] or carry confidence
intervals wider than themselves (SALib issues #102, #135, #167, #599 collect such reports);
`sobol_caveats` flags each such index and says which base sample would pin them down.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from inclusion_sim.analysis.sweeps import point_means


def sensitivity_indices(
    outcomes: pd.DataFrame,
    design: pd.DataFrame,
    meta: dict,
    metrics: Sequence[str],
    seed: int = 0,
) -> tuple[pd.DataFrame, list[str]]:
    """Sobol or Morris indices for every metric and target, as a long table.

    Args:
        outcomes: Outcomes of successful runs (`SweepResults.outcomes`).
        design: The design points (`SweepResults` view ``design``), one row per point.
        meta: The sweep's stored plan (``sweep.json``), which says the design method.
        metrics: Outcome columns to analyse.
        seed: Seed of SALib's bootstrap of confidence intervals.

    Returns:
        The table (``metric``, ``target``, ``parameter``, ``method``, ``index``, ``value``,
        ``conf``) and a list of notes on what could not be computed.
    """
    spec = meta["spec"]
    method = spec["design"]["method"]
    names = [p["name"] for p in spec["parameters"]]
    if method not in ("sobol", "morris") or not names:
        return pd.DataFrame(), [f"sensitivity indices need a sobol or morris design with varied "
                                f"parameters (this sweep: {method}, {len(names)} parameters)"]
    problem = {"num_vars": len(names), "names": names,
               "bounds": [[p["low"], p["high"]] for p in spec["parameters"]]}
    policies = list(spec["policies"])
    n_points = len(design)
    x = design.sort_values("point")[names].to_numpy(dtype=float)
    rows, notes = [], []
    for metric in metrics:
        means = point_means(outcomes, policies, metric, n_points)
        targets = {policy: means[i] for i, policy in enumerate(policies)}
        for i, policy in enumerate(policies[1:], start=1):
            targets[f"{policy} - {policies[0]}"] = means[i] - means[0]
        for target, y in targets.items():
            if np.isnan(y).any():
                notes.append(f"{metric} / {target}: {int(np.isnan(y).sum())} design points "
                             "without results; no indices")
                continue
            if np.ptp(y) == 0:
                notes.append(f"{metric} / {target}: constant across the design; no indices")
                continue
            found, said = _analyze(method, problem, x, y, spec["design"], seed, metric, target)
            rows += found
            notes += [f"{metric} / {target}: SALib warned: {text}" for text in said
                      if f"{metric} / {target}: SALib warned: {text}" not in notes]
    return pd.DataFrame(rows), notes


def _analyze(method, problem, x, y, design, seed, metric, target) -> tuple[list[dict], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method == "sobol":
            from SALib.analyze import sobol

            result = sobol.analyze(problem, y, calc_second_order=design["second_order"],
                                   num_resamples=200, seed=seed)
            pairs = (("S1", "S1_conf"), ("ST", "ST_conf"))
        else:
            from SALib.analyze import morris

            result = morris.analyze(problem, x, y, num_levels=design["levels"],
                                    num_resamples=200, seed=seed)
            pairs = (("mu_star", "mu_star_conf"), ("sigma", None))
    rows = []
    for j, name in enumerate(problem["names"]):
        for index, conf in pairs:
            rows.append({"metric": metric, "target": target, "parameter": name,
                         "method": method, "index": index, "value": float(result[index][j]),
                         "conf": float(result[conf][j]) if conf else np.nan})
    said = list(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    return rows, said


#: Half-width of a 95% confidence interval that lets a Sobol index rank parameters: +-0.05
#: tells an index of 0.1 from one of 0.2.
TARGET_HALF_WIDTH = 0.05
#: How far outside [0, 1] an index may lie before it is flagged: the report shows indices to
#: two decimals, and 1.004 is 1.00 there.
ROUNDING = 0.005


def sobol_caveats(indices: pd.DataFrame, spec: dict) -> tuple[pd.DataFrame, list[str]]:
    """Flag Sobol indices that cannot be trusted, and say what sample would be needed.

    An index is flagged when it lies outside [0, 1] (a variance share cannot; beyond
    `ROUNDING`), when its 95%
    confidence interval is wider than the index itself, or when the first-order index exceeds
    the total-order one by more than their intervals allow. The needed base sample follows
    from the intervals shrinking as one over the square root of the sample: the widest
    half-width c at base sample N comes down to `TARGET_HALF_WIDTH` at about
    N * (c / TARGET_HALF_WIDTH)^2, rounded up to a power of two.

    Args:
        indices: The table from `sensitivity_indices`.
        spec: The sweep's stored spec (``meta["spec"]``): design, parameters, policies and
            replicates.

    Returns:
        The indices with a ``flag`` column ("" when fine), and sentences for the report (none
        when nothing is flagged).
    """
    if indices.empty or "method" not in indices or not (indices["method"] == "sobol").any():
        return indices.assign(flag=""), []
    table = indices.copy()
    value, conf = table["value"], table["conf"]
    flags = pd.Series("", index=table.index)
    flags[(value < -ROUNDING) | (value > 1 + ROUNDING)] = "outside [0, 1]"
    wide = (2 * conf > value.abs()) & (flags == "")
    flags[wide] = "interval wider than the index"
    pivot = table.set_index(["metric", "target", "parameter", "index"])
    for key, row in table[table["index"] == "S1"].iterrows():
        try:
            total = pivot.loc[(row["metric"], row["target"], row["parameter"], "ST")]
        except KeyError:
            continue
        if row["value"] - total["value"] > row["conf"] + total["conf"] and flags[key] == "":
            flags[key] = "first-order above total-order"
    table["flag"] = flags.where(table["method"] == "sobol", "")
    flagged = table[table["flag"] != ""]
    if flagged.empty:
        return table, []
    design = spec["design"]
    n = int(design["samples"])
    d = len(spec["parameters"])
    points_per_sample = (2 * d + 2) if design.get("second_order") else (d + 2)
    runs_per_point = len(spec["policies"]) * int(spec["replicates"])
    widest = float(table.loc[table["method"] == "sobol", "conf"].max())
    needed = max(n, math.ceil(n * (widest / TARGET_HALF_WIDTH) ** 2))
    needed = 1 << (needed - 1).bit_length()
    text = [f"{len(flagged)} of {len(table)} Sobol indices are not reliable at samples = {n} "
            f"({n * points_per_sample:,} points): "
            + ", ".join(f"{count} {flag}" for flag, count in flagged["flag"].value_counts()
                        .items()) + ". Read them as noise, not as effects."]
    if n & (n - 1):
        text.append(f"samples = {n} is not a power of two, which biases Sobol' estimates; "
                    "newer versions of the tool refuse such specs.")
    if needed > n:
        text.append(
            f"The widest 95% interval is ±{widest:.2f}. Intervals shrink with the square root "
            f"of the sample, so about samples = {needed} ({needed * points_per_sample:,} "
            f"points, {needed * points_per_sample * runs_per_point:,} runs) would bring them "
            f"to about ±{TARGET_HALF_WIDTH}.")
    else:
        text.append(f"The intervals are already within ±{TARGET_HALF_WIDTH}; the flagged "
                    "indices are too close to zero to tell from it: treat them as zero.")
    return table, text
