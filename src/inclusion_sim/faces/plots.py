"""Matplotlib figures of runs and comparisons.

Figures are built with the object-oriented API (`matplotlib.figure.Figure`, no pyplot state and
no backend choice), so they are safe in worker processes, the dashboard and notebooks alike; in a
notebook, display a returned figure by leaving it as the cell's last expression.

Every name, unit and number on them comes from the presentation layer
(`inclusion_sim.faces.present`): policies by their plain names, 0-1 scales out of 100, costs
as "$50k", and a caption under each figure saying what the dots, bars, lines and bands are and
which parameters differ from the defaults.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from inclusion_sim.faces import present
from inclusion_sim.model.outcomes import METRICS, RunResult

#: Weekly series shown in the standard figures, two rows of panels. Mastery, generalization and
#: carry-over sit side by side, as do core and other lessons missed, so a change in one can be
#: read against the other. Titles are the outcomes' labels, units on the y axis.
WEEKLY_PANELS: tuple[str, ...] = (
    "iep_mastery", "iep_generalization", "iep_carryover", "iep_academic_growth_sd",
    "iep_core_hours_missed", "iep_other_hours_missed", "iep_stigma", "teacher_strategy_use",
)  # fmt: skip

#: One colour per preset policy (Okabe-Ito, readable with colour-blindness).
POLICY_COLOURS = {
    "pull_out": "#0072B2", "push_in": "#E69F00", "push_in_collaborative": "#009E73",
    "hybrid": "#CC79A7", "hybrid_parallel": "#56B4E9", "after_school": "#D55E00",
}

#: Line styles per policy in order, so lines that coincide stay distinguishable.
_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))


def _colour(policy: str, k: int) -> str:
    return POLICY_COLOURS.get(policy, f"C{k % 10}")


def _names(policies, labels: Mapping[str, str] | None) -> list[str]:
    labels = labels or {}
    return [labels.get(p) or present.policy_label(p, short=True) for p in policies]


def _panel_title(metric: str, width: int) -> str:
    return textwrap.fill(present.metric_label(metric), width, break_on_hyphens=False)


def _weekly_axes(rows: int = 2, extra: float = 0.0) -> tuple[Figure, np.ndarray]:
    """A figure with one panel per weekly series, in two rows."""
    cols = math.ceil(len(WEEKLY_PANELS) / rows)
    fig = Figure(figsize=(3.7 * cols, 3.4 * rows + extra), layout="constrained")
    return fig, fig.subplots(rows, cols)


def _weekly_panel(ax, column: str) -> None:
    ax.set_title(_panel_title(column, 34), fontsize=9)
    ax.set_xlabel("School week", fontsize=8)
    ax.set_ylabel(present.metric_unit(column), fontsize=8)
    ax.tick_params(labelsize=8)
    present.scale_axis(ax, column, "y", ticks=5)
    ax.grid(alpha=0.3)


def plot_run(result: RunResult, title: str | None = None,
             parameters: Mapping[str, float] | None = None) -> Figure:
    """Weekly time series of one run.

    Args:
        result: The run.
        title: Figure title (default: the policy's name).
        parameters: The run's parameter values, for the caption's changed-from-defaults line.
    """
    fig, axes = _weekly_axes(extra=0.4)
    for ax, column in zip(axes.flat, WEEKLY_PANELS, strict=True):
        ax.plot(result.weekly["week"], result.weekly[column] * present.metric_scale(column),
                color="#009E73")
        _weekly_panel(ax, column)
    policy = present.policy_label(str(result.meta.get("policy", "")))
    fig.suptitle(title or f"One school year under {policy}")
    present.caption(fig, "Each panel: one run, the school's value at the end of each week.",
                    parameters)
    return fig


def plot_weekly_by_policy(weekly: pd.DataFrame, title: str = "", *,
                          parameters: Mapping[str, float] | None = None,
                          labels: Mapping[str, str] | None = None) -> Figure:
    """Weekly series per policy: mean across replicates with the 10th-90th percentile band.

    Lines that coincide (policies that do not differ in an outcome) stay visible: each policy
    has its own dash pattern and the first ones are drawn widest, underneath.

    Args:
        weekly: Stacked weekly tables with ``policy`` and ``replicate`` columns
            (`inclusion_sim.analysis.compare.Comparison.weekly`).
        title: Figure title.
        parameters: Parameter values of the runs, for the caption.
        labels: Names for policies that are not presets (key -> name).
    """
    fig, axes = _weekly_axes(extra=0.9)
    policies = list(dict.fromkeys(weekly["policy"]))
    names = _names(policies, labels)
    replicates = weekly.groupby("policy")["replicate"].nunique().max() if "replicate" in weekly \
        else 1
    for ax, column in zip(axes.flat, WEEKLY_PANELS, strict=True):
        scale = present.metric_scale(column)
        for k, policy in enumerate(policies):
            by_week = weekly.loc[weekly["policy"] == policy].groupby("week")[column]
            stats = pd.DataFrame({"mean": by_week.mean(), "low": by_week.quantile(0.1),
                                  "high": by_week.quantile(0.9)})
            colour = _colour(policy, k)
            ax.plot(stats.index, stats["mean"] * scale, color=colour, label=names[k],
                    linestyle=_STYLES[k % len(_STYLES)], lw=2.6 - 0.35 * min(k, 4), zorder=3 + k)
            ax.fill_between(stats.index, stats["low"] * scale, stats["high"] * scale,
                            color=colour, alpha=0.15, lw=0)
        _weekly_panel(ax, column)
    if title:
        fig.suptitle(title)
    # the caption is the legend's title, so the two stack below the panels without overlapping
    text = present.caption_text(
        f"Lines: mean over {replicates} replicate school years per policy, run on the same "
        "seeds; shaded bands: 10th to 90th percentile of the replicates. Dashed and dotted "
        "lines tell apart policies whose lines coincide.", parameters, width=170)
    handles, texts = axes.flat[0].get_legend_handles_labels()
    legend = fig.legend(handles, texts, loc="outside lower center", ncols=min(len(texts), 6),
                        fontsize=9, frameon=False, handlelength=3, title=text,
                        title_fontsize=8)
    legend.get_title().set_color("#444444")
    return fig


def plot_paired(paired: pd.DataFrame, metrics: list[str] | None = None, title: str = "", *,
                parameters: Mapping[str, float] | None = None,
                labels: Mapping[str, str] | None = None) -> Figure:
    """Mean paired difference from the baseline policy, with 95% intervals, per outcome.

    Args:
        paired: `inclusion_sim.analysis.compare.paired_differences` (one row per policy and
            outcome).
        metrics: Outcomes to draw (default: every outcome in the table, in `METRICS` order).
        title: Figure title (default: "Difference from <baseline>").
        parameters: Parameter values of the runs, for the caption.
        labels: Names for policies that are not presets (key -> name).
    """
    metrics = metrics or [m for m in METRICS if m in set(paired["metric"])]
    policies = list(dict.fromkeys(paired["policy"]))
    names = _names(policies, labels)
    cols = min(4, len(metrics))
    rows = math.ceil(len(metrics) / cols)
    fig = Figure(figsize=(3.5 * cols + 1.4, 2.35 * rows + 1.3), layout="constrained")
    # policies share the y axis, so only the first column names them and the panels get the room
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True, squeeze=False)).ravel()
    y = np.arange(len(policies))[::-1]  # first policy on top, as in the legend and tables
    for ax, metric in zip(axes, metrics, strict=False):
        part = paired[paired["metric"] == metric].set_index("policy").reindex(policies)
        scale = present.metric_scale(metric)
        mean = part["difference"].to_numpy(float) * scale
        err = np.vstack([mean - part["ci_low"].to_numpy(float) * scale,
                         part["ci_high"].to_numpy(float) * scale - mean])
        ax.errorbar(mean, y, xerr=np.nan_to_num(err), fmt="none", ecolor="#777777", capsize=3,
                    lw=1.2)
        for k, policy in enumerate(policies):
            ax.plot(mean[k], y[k], "o", color=_colour(policy, k), ms=6, zorder=3)
        ax.axvline(0, color="#999999", lw=1)
        ax.set_yticks(y, names, fontsize=8)
        ax.set_ylim(-0.6, len(policies) - 0.4)
        info = METRICS.get(metric)
        better = f"; {info.better} is better" if info and info.better != "neither" else ""
        ax.set_title(_panel_title(metric, 38), fontsize=8.5)
        unit = {"%": "percentage points", "$": "dollars"}.get(present.metric_unit(metric),
                                                               present.metric_unit(metric))
        ax.set_xlabel(f"{unit}{better}", fontsize=7.5)
        ax.tick_params(axis="x", labelsize=7.5)
        present.scale_axis(ax, metric, "x", ticks=4)
        ax.grid(axis="x", alpha=0.3)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    baseline = present.policy_label(str(paired["baseline"].iloc[0])) if len(paired) else ""
    fig.suptitle(title or f"Difference from {baseline}")
    replicates = int(paired["replicates"].max()) if "replicates" in paired and len(paired) else 0
    fig_caption = (f"Dots: mean difference from {baseline} over {replicates} paired replicates "
                   "(each policy run on the same seeds); bars: 95% confidence interval of the "
                   "mean; grey line: no difference. Each panel has its own scale; 0-1 scales "
                   "are shown out of 100.")
    present.caption(fig, fig_caption, parameters, width=int(14 * (3.5 * cols + 1.4)))
    return fig
