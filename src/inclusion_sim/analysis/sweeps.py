"""Paired differences between policies, with bootstrap confidence intervals.

Replicate k of every policy at a parameter point shares one seed (common random numbers): the
same school, the same students and the same draws wherever the policy does not change them.
The difference between two policies within a replicate therefore isolates the policy, and its
spread across replicates is much smaller than the spread of either outcome. That is why the
analysis works on paired differences rather than comparing two independent means.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from inclusion_sim.experiments.store import ID_COLUMNS

BLOCK = 256
CELLS = 4_000_000


def bootstrap_mean_ci(
    values: np.ndarray, n_boot: int = 2000, level: float = 0.95, seed: int = 0,
    clusters: Sequence[int] | np.ndarray | None = None,
) -> np.ndarray:
    """Percentile bootstrap CIs of the mean of each row of `values` (NaN = missing).

    Observations that are not independent of each other (the parameter points of one replicate,
    which share its school and its random draws; the replicates that share one school) are
    resampled together: `clusters` labels each column, and each resample draws whole clusters
    with replacement, the mean being the resampled observations' sum over their count. With
    every observation its own cluster (the default) this is the ordinary bootstrap of the mean.

    The same resampling indices are used for every row, which is valid (rows are analysed
    separately) and lets a thousand parameter points be bootstrapped in one array operation;
    resamples are drawn in batches so memory stays bounded for long rows.

    Args:
        values: Array (groups, observations); NaN marks a missing pair (a failed run).
        n_boot: Bootstrap resamples.
        level: Confidence level.
        seed: Seed of the resampling, so a report is reproducible.
        clusters: A label per observation (column); None: each observation its own.

    Returns:
        Array (groups, 2) of lower and upper bounds; NaN where a row has no observations.
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    groups, n = values.shape
    bounds = np.full((groups, 2), np.nan)
    if n == 0:
        return bounds
    missing = np.isnan(values)
    sums, counts = np.where(missing, 0.0, values), (~missing).astype(float)
    if clusters is not None:
        _, label = np.unique(np.asarray(clusters), return_inverse=True)
        members = np.zeros((n, label.max() + 1))
        members[np.arange(n), label] = 1.0
        sums, counts = sums @ members, counts @ members
    n = sums.shape[1]
    alpha = (1 - level) / 2
    for start in range(0, groups, BLOCK):
        block_sums, block_counts = sums[start:start + BLOCK], counts[start:start + BLOCK]
        batch = max(1, min(n_boot, CELLS // (len(block_sums) * n)))
        rng = np.random.default_rng(seed)
        means = np.empty((len(block_sums), n_boot))
        for first in range(0, n_boot, batch):
            index = rng.integers(0, n, size=(min(batch, n_boot - first), n))
            with _quiet():
                means[:, first:first + len(index)] = (block_sums[:, index].sum(axis=2)
                                                      / block_counts[:, index].sum(axis=2))
        with _quiet():
            bounds[start:start + BLOCK] = np.nanquantile(means, [alpha, 1 - alpha], axis=1).T
    return bounds


@contextlib.contextmanager
def _quiet():
    """Silence numpy's all-NaN warnings: missing pairs are expected after failed runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def paired_differences(
    outcomes: pd.DataFrame,
    policies: Sequence[str] | None = None,
    metrics: Sequence[str] | None = None,
    parameter_names: Sequence[str] = (),
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    schools: int | None = None,
) -> pd.DataFrame:
    """Mean paired difference of each policy from the reference, per point and overall.

    Args:
        outcomes: One row per successful run with ``point``, ``policy``, ``replicate`` and
            metric columns (`SweepResults.outcomes`).
        policies: Policies in order; the first is the reference. Defaults to the order found.
        metrics: Outcome columns to compare; defaults to every numeric non-id column.
        parameter_names: Varied parameters, copied onto per-point rows for plotting.
        n_boot: Bootstrap resamples.
        level: Confidence level of the intervals.
        seed: Seed of the bootstrap.
        schools: The sweep's ``schools`` (replicate k ran on the school of replicate
            ``k mod schools``), or None when each replicate had a school of its own or all
            shared one fixed school.

    Returns:
        Long table: ``scope`` ("point" or "overall"), ``point`` (-1 overall), ``metric``,
        ``policy``, ``reference``, ``n_pairs``, ``reference_mean``, ``policy_mean``,
        ``difference``, ``ci_low``, ``ci_high``, plus the parameter values. Pairs with a failed
        run on either side are left out. Intervals resample what is independent: per point, the
        replicates (or, with `schools`, the schools with all their replicates); overall, the
        replicates with all their points, since a replicate's points share its school and its
        random draws (or, with `schools`, the schools with all their replicates and points).
    """
    if outcomes.empty:
        return pd.DataFrame()
    policies = list(policies or pd.unique(outcomes["policy"]))
    reference, others = policies[0], policies[1:]
    metrics = list(metrics or _metric_columns(outcomes, parameter_names))
    points = np.sort(outcomes["point"].unique())
    replicates = np.sort(outcomes["replicate"].unique())
    point_values = (outcomes.drop_duplicates("point").set_index("point")
                    .reindex(points)[list(parameter_names)])
    school_of = replicates % schools if schools else replicates
    per_point = school_of if schools else None  # None: each replicate alone, the plain bootstrap
    overall = np.tile(school_of, len(points))
    rows = []
    for metric in metrics:
        cube = _cube(outcomes, metric, policies, points, replicates)
        base = cube[0]
        for offset, policy in enumerate(others, start=1):
            diff = cube[offset] - base
            paired = ~np.isnan(diff)
            base_paired = np.where(paired, base, np.nan)
            other_paired = np.where(paired, cube[offset], np.nan)
            ci = bootstrap_mean_ci(diff, n_boot, level, seed, clusters=per_point)
            with _quiet():
                n_pairs = paired.sum(axis=1)
                diff_mean = np.nanmean(diff, axis=1)
                base_mean = np.nanmean(base_paired, axis=1)
                other_mean = np.nanmean(other_paired, axis=1)
            for i, point in enumerate(points):
                rows.append({"scope": "point", "point": int(point), "metric": metric,
                             "policy": policy, "reference": reference,
                             "n_pairs": int(n_pairs[i]), "reference_mean": base_mean[i],
                             "policy_mean": other_mean[i], "difference": diff_mean[i],
                             "ci_low": ci[i, 0], "ci_high": ci[i, 1],
                             **point_values.loc[point].to_dict()})
            flat = diff.reshape(1, -1)
            overall_ci = bootstrap_mean_ci(flat, n_boot, level, seed, clusters=overall)[0]
            with _quiet():
                rows.append({"scope": "overall", "point": -1, "metric": metric,
                             "policy": policy, "reference": reference,
                             "n_pairs": int(paired.sum()),
                             "reference_mean": float(np.nanmean(base_paired)),
                             "policy_mean": float(np.nanmean(other_paired)),
                             "difference": float(np.nanmean(flat)),
                             "ci_low": overall_ci[0], "ci_high": overall_ci[1]})
    return pd.DataFrame(rows)


def point_means(
    outcomes: pd.DataFrame,
    policies: Sequence[str],
    metric: str,
    n_points: int,
) -> np.ndarray:
    """Mean outcome over replicates per (policy, point); NaN where a point has no runs."""
    table = outcomes.groupby(["policy", "point"])[metric].mean().unstack("point")
    table = table.reindex(index=list(policies), columns=range(n_points))
    return table.to_numpy(dtype=float)


def _metric_columns(outcomes: pd.DataFrame, parameter_names: Sequence[str]) -> list[str]:
    skip = set(ID_COLUMNS) | set(parameter_names) | {"seed"}
    return [c for c in outcomes.columns
            if c not in skip and pd.api.types.is_numeric_dtype(outcomes[c])]


def _cube(outcomes, metric, policies, points, replicates) -> np.ndarray:
    """Array (policy, point, replicate) of a metric, NaN for missing runs."""
    table = outcomes.pivot_table(index=["policy", "point"], columns="replicate", values=metric,
                                 aggfunc="first", dropna=False)
    full = pd.MultiIndex.from_product([policies, points], names=["policy", "point"])
    table = table.reindex(index=full, columns=replicates)
    return table.to_numpy(dtype=float).reshape(len(policies), len(points), len(replicates))
