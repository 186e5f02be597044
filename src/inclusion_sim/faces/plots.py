"""Matplotlib figures of runs and comparisons.

Figures are built with the object-oriented API (`matplotlib.figure.Figure`, no pyplot state and
no backend choice), so they are safe in worker processes, the dashboard and notebooks alike; in a
notebook, display a returned figure by leaving it as the cell's last expression.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from inclusion_sim.model.outcomes import METRICS, RunResult

#: Weekly series shown in the standard figures.
WEEKLY_PANELS: tuple[tuple[str, str], ...] = (
    ("iep_carryover", "Classroom use of IEP skills (0-1)"),
    ("iep_mastery", "Goal mastery (0-1)"),
    ("iep_academic_growth_sd", "Academic growth, IEP students (SD)"),
    ("iep_core_hours_missed", "Core hours missed per IEP student"),
    ("iep_stigma", "Felt stigma, IEP students (0-1)"),
    ("teacher_strategy_use", "Teachers' strategy use (0-1)"),
)

POLICY_COLOURS = {
    "pull_out": "#1f77b4", "push_in": "#ff7f0e", "push_in_collaborative": "#2ca02c",
    "hybrid": "#9467bd", "after_school": "#8c564b",
}


def _colour(policy: str, k: int) -> str:
    return POLICY_COLOURS.get(policy, f"C{k % 10}")


def plot_run(result: RunResult, title: str | None = None) -> Figure:
    """Weekly time series of one run."""
    fig = Figure(figsize=(11, 6.5), constrained_layout=True)
    axes = fig.subplots(2, 3)
    for ax, (column, label) in zip(axes.flat, WEEKLY_PANELS, strict=True):
        ax.plot(result.weekly["week"], result.weekly[column], color="#2ca02c")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("school week")
        ax.grid(alpha=0.3)
    fig.suptitle(title or f"One school year under {result.meta.get('policy', '')}")
    return fig


def plot_weekly_by_policy(weekly: pd.DataFrame, title: str = "") -> Figure:
    """Weekly series per policy: mean across replicates with a 10-90% band."""
    fig = Figure(figsize=(11, 6.5), constrained_layout=True)
    axes = fig.subplots(2, 3)
    for ax, (column, label) in zip(axes.flat, WEEKLY_PANELS, strict=True):
        for k, (policy, group) in enumerate(weekly.groupby("policy", sort=False)):
            stats = group.groupby("week")[column].agg(
                mean="mean", low=lambda s: s.quantile(0.1), high=lambda s: s.quantile(0.9))
            colour = _colour(policy, k)
            ax.plot(stats.index, stats["mean"], color=colour, label=policy)
            ax.fill_between(stats.index, stats["low"], stats["high"], color=colour, alpha=0.2)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("school week")
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def plot_paired(paired: pd.DataFrame, metrics: list[str] | None = None, title: str = "") -> Figure:
    """Mean paired difference from the baseline policy, with 95% intervals, per metric."""
    metrics = metrics or [m for m in METRICS if m in set(paired["metric"])]
    policies = list(dict.fromkeys(paired["policy"]))
    cols = 4
    rows = int(np.ceil(len(metrics) / cols))
    fig = Figure(figsize=(13, 2.6 * rows + 0.6), constrained_layout=True)
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for ax, metric in zip(axes, metrics, strict=False):
        part = paired[paired["metric"] == metric].set_index("policy").reindex(policies)
        y = np.arange(len(policies))
        err = np.vstack([part["difference"] - part["ci_low"], part["ci_high"] - part["difference"]])
        ax.errorbar(part["difference"], y, xerr=np.nan_to_num(err), fmt="o", color="#333333",
                    ecolor="#888888", capsize=3)
        for k, policy in enumerate(policies):
            ax.plot(part["difference"].iloc[k], k, "o", color=_colour(policy, k))
        ax.axvline(0, color="#bbbbbb", lw=1)
        ax.set_yticks(y, policies, fontsize=8)
        meta = METRICS[metric]
        ax.set_title(f"{meta.label}\n({meta.unit}; {meta.better} is better)"
                     if meta.better != "neither" else f"{meta.label}\n({meta.unit})", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    baseline = paired["baseline"].iloc[0] if len(paired) else ""
    fig.suptitle(title or f"Difference from {baseline} (mean of paired replicates, 95% CI)")
    return fig
