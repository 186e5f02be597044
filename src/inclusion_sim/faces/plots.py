"""Matplotlib figures of runs and comparisons.

Figures are built with the object-oriented API (`matplotlib.figure.Figure`, no pyplot state and
no backend choice), so they are safe in worker processes, the dashboard and notebooks alike; in a
notebook, display a returned figure by leaving it as the cell's last expression.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from inclusion_sim.model.outcomes import METRICS, RunResult

#: Weekly series shown in the standard figures, two rows of panels. Mastery, generalization and
#: carry-over sit side by side, as do core and other lessons missed, so a change in one can be
#: read against the other.
WEEKLY_PANELS: tuple[tuple[str, str], ...] = (
    ("iep_mastery", "Goal mastery (0-1)"),
    ("iep_generalization", "Generalization: carry-over ÷ mastery (0-1)"),
    ("iep_carryover", "Classroom use of IEP skills (0-1)"),
    ("iep_academic_growth_sd", "Academic growth, IEP students (SD)"),
    ("iep_core_hours_missed", "Core lesson hours missed per IEP student"),
    ("iep_other_hours_missed",
     "Non-core lesson hours missed per IEP student\n(specials, lunch, recess)"),
    ("iep_stigma", "Felt stigma, IEP students (0-1)"),
    ("teacher_strategy_use", "Teachers' strategy use where it applies (0-1)"),
)

POLICY_COLOURS = {
    "pull_out": "#1f77b4", "push_in": "#ff7f0e", "push_in_collaborative": "#2ca02c",
    "hybrid": "#9467bd", "after_school": "#8c564b",
}


def _colour(policy: str, k: int) -> str:
    return POLICY_COLOURS.get(policy, f"C{k % 10}")


def _weekly_axes() -> tuple[Figure, np.ndarray]:
    """A figure with one panel per weekly series, in two rows."""
    cols = math.ceil(len(WEEKLY_PANELS) / 2)
    fig = Figure(figsize=(3.6 * cols, 6.5), constrained_layout=True)
    return fig, fig.subplots(2, cols)


def plot_run(result: RunResult, title: str | None = None) -> Figure:
    """Weekly time series of one run."""
    fig, axes = _weekly_axes()
    for ax, (column, label) in zip(axes.flat, WEEKLY_PANELS, strict=True):
        ax.plot(result.weekly["week"], result.weekly[column], color="#2ca02c")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("school week")
        ax.grid(alpha=0.3)
    fig.suptitle(title or f"One school year under {result.meta.get('policy', '')}")
    return fig


def plot_weekly_by_policy(weekly: pd.DataFrame, title: str = "") -> Figure:
    """Weekly series per policy: mean across replicates with a 10-90% band."""
    fig, axes = _weekly_axes()
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
    # policies share the y axis, so only the first column names them and the panels get the room
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True)).ravel()
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
        note = (f"{meta.unit}; {meta.better} is better" if meta.better != "neither"
                else meta.unit)
        # a panel is about 40 characters wide; longer titles would run off the figure's edge
        lines = [textwrap.fill(text, 40, break_on_hyphens=False)
                 for text in (meta.label, f"({note})")]
        ax.set_title("\n".join(lines), fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    baseline = paired["baseline"].iloc[0] if len(paired) else ""
    fig.suptitle(title or f"Difference from {baseline} (mean of paired replicates, 95% CI)")
    return fig
