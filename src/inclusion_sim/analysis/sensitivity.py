"""Sensitivity indices with SALib: Sobol (first and total order) and Morris (mu*, sigma).

Indices are computed per outcome for each policy's mean over replicates at each design point,
and for the paired difference of each policy from the reference: the second answers the
question the project exists for, namely which parameters decide *whether push-in or pull-out
wins*, not just how large outcomes are.

SALib needs outputs for every row of the design in its own order, so a point with no
successful run leaves that outcome without indices (reported, never silently imputed).
"""

from __future__ import annotations

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
            rows += _analyze(method, problem, x, y, spec["design"], seed, metric, target)
    return pd.DataFrame(rows), notes


def _analyze(method, problem, x, y, design, seed, metric, target) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
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
    return rows
