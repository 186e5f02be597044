"""Paired policy comparisons on common random numbers.

Replicate k runs every policy on the same seed, so the same school, the same students and the
same refusal and attendance draws meet each policy; the difference between two policies on one
seed is a paired difference, and its spread across seeds is the uncertainty of the comparison.
Intervals are Student-t 95% confidence intervals of the mean paired difference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .outcomes import METRICS
from .policies import Policy, preset
from .scenario import Scenario
from .seeds import replicate_seed


@dataclass
class Comparison:
    """Runs of several policies on the same seeds.

    Attributes:
        runs: One row per (policy, replicate): seed and every summary outcome.
        weekly: One row per (policy, replicate, week): the weekly time series.
        paired: One row per (policy, metric): mean paired difference from the baseline policy
            with its 95% confidence interval.
        baseline: The policy the others are compared with.
    """

    runs: pd.DataFrame
    weekly: pd.DataFrame
    paired: pd.DataFrame
    baseline: str

    def write(self, directory) -> None:
        """Write the three tables as Parquet and CSV."""
        from pathlib import Path

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("runs", "weekly", "paired"):
            table = getattr(self, name)
            table.to_parquet(out / f"{name}.parquet", index=False)
            table.to_csv(out / f"{name}.csv", index=False)


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of the finite values with a Student-t confidence interval.

    Returns (mean, low, high); the bounds are NaN with fewer than two values, the mean too with
    none.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if x.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


def paired_differences(runs: pd.DataFrame, baseline: str, level: float = 0.95) -> pd.DataFrame:
    """Mean paired difference (policy - baseline) per metric with a t confidence interval."""
    rows = []
    base = runs[runs["policy"] == baseline].set_index("replicate")
    for policy in runs["policy"].unique():
        if policy == baseline:
            continue
        other = runs[runs["policy"] == policy].set_index("replicate")
        common = base.index.intersection(other.index)
        for metric in METRICS:
            diff = (other.loc[common, metric] - base.loc[common, metric]).to_numpy(float)
            mean, low, high = mean_ci(diff, level)
            rows.append({"policy": policy, "baseline": baseline, "metric": metric,
                         "baseline_mean": float(base.loc[common, metric].mean()),
                         "policy_mean": float(other.loc[common, metric].mean()),
                         "difference": mean, "ci_low": low, "ci_high": high,
                         "replicates": int(np.isfinite(diff).sum())})
    return pd.DataFrame(rows)


def compare_policies(scenario: Scenario, policies: Sequence[str | Policy], replicates: int = 5,
                     base_seed: int | None = None, weeks: int | None = None,
                     parameters: dict[str, float] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Run each policy on the same `replicates` seeds and compare them with the first.

    Args:
        scenario: The scenario (school, parameters).
        policies: Preset names or `Policy` objects; the first is the baseline.
        replicates: Seeds per policy.
        base_seed: Replicate k uses ``replicate_seed(base_seed, k)`` (default: scenario seed).
        weeks: Weeks per run (default: the scenario's).
        parameters: Parameter overrides.
        progress: Called with (done, total) after each run.
    """
    from . import run

    resolved = [preset(p) if isinstance(p, str) else p for p in policies]
    base_seed = scenario.seed if base_seed is None else base_seed
    total = len(resolved) * replicates
    rows, weekly, done = [], [], 0
    for k in range(replicates):
        seed = replicate_seed(base_seed, k)
        for policy in resolved:
            result = run(scenario, seed=seed, policy=policy, parameters=parameters, weeks=weeks)
            rows.append({"policy": policy.name, "replicate": k, "seed": seed, **result.summary})
            weekly.append(result.weekly.assign(policy=policy.name, replicate=k))
            done += 1
            if progress:
                progress(done, total)
    runs = pd.DataFrame(rows)
    baseline = resolved[0].name
    return Comparison(runs, pd.concat(weekly, ignore_index=True),
                      paired_differences(runs, baseline), baseline)
