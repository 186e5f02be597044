"""Matplotlib figures of a sweep: policy comparison, outcome vs parameter, sensitivity, time.

Each function takes tidy tables (from `analysis`, `sensitivity` or a DuckDB query) and returns
a `Figure`, so the same figures serve the HTML report, a notebook and a paper. Figures are
built without pyplot, so they need no display and leave a notebook's backend alone.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from inclusion_sim.model.outcomes import ALL_METRICS as METRICS

BINS = 8


def metric_title(metric: str, width: int = 34) -> str:
    """A panel title: the outcome's label and unit, or its name for outcomes not in `METRICS`.

    Sweeps store outcomes under their names; a reader should see what was measured and in which
    unit. Long labels are wrapped so a panel's title stays over its panel.
    """
    info = METRICS.get(metric)
    if info is None:
        return metric
    return textwrap.fill(f"{info.label} ({info.unit})", width, break_on_hyphens=False)


def _grid(n: int, width: float = 3.4, height: float = 2.6, columns: int = 3):
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    fig = Figure(figsize=(width * columns, height * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def policy_comparison(differences: pd.DataFrame, metrics: Sequence[str]) -> Figure:
    """Overall paired difference from the reference policy, with its CI, per outcome."""
    overall = differences[differences["scope"] == "overall"]
    fig, axes = _grid(len(metrics), width=4.2)  # room for the policy names beside each panel
    for ax, metric in zip(axes, metrics, strict=True):
        rows = overall[overall["metric"] == metric]
        y = np.arange(len(rows))
        low = rows["difference"] - rows["ci_low"]
        high = rows["ci_high"] - rows["difference"]
        ax.errorbar(rows["difference"], y, xerr=[low, high], fmt="o", capsize=3)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(y, rows["policy"])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        reference = rows["reference"].iloc[0] if len(rows) else ""
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel(f"difference from {reference} (95% CI)", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(4))  # small differences have long tick labels
    return fig


def outcome_vs_parameter(outcomes: pd.DataFrame, parameter: str, metrics: Sequence[str],
                         policies: Sequence[str]) -> Figure:
    """Mean outcome against one parameter per policy, with a band of the middle 95% of runs.

    Grid designs have few distinct values and are plotted at them; sampled designs are
    grouped into quantile bins of the parameter so the band is estimated from enough runs.
    """
    frame = outcomes.copy()
    if frame[parameter].nunique() > 2 * BINS:
        bins = pd.qcut(frame[parameter], BINS, duplicates="drop")
        frame["_x"] = bins.map(lambda b: b.mid).astype(float)
    else:
        frame["_x"] = frame[parameter]
    fig, axes = _grid(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        for policy in policies:
            part = frame[frame["policy"] == policy].groupby("_x")[metric]
            stats = pd.DataFrame({"mean": part.mean(), "lo": part.quantile(0.025),
                                  "hi": part.quantile(0.975)}).sort_index()
            line = ax.plot(stats.index, stats["mean"], marker=".", label=policy)[0]
            ax.fill_between(stats.index, stats["lo"], stats["hi"], alpha=0.2,
                            color=line.get_color())
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel(parameter, fontsize=8)
    if axes:
        axes[0].legend(fontsize=7)
    return fig


def difference_vs_parameter(differences: pd.DataFrame, parameter: str,
                            metrics: Sequence[str]) -> Figure:
    """Paired difference from the reference against one parameter: where does a policy win?

    Each design point's mean difference is drawn with its bootstrap CI when the design has few
    distinct values of the parameter (a grid); for sampled designs the points are scattered and
    a line follows their mean in quantile bins.
    """
    points = differences[differences["scope"] == "point"]
    fig, axes = _grid(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        rows = points[points["metric"] == metric]
        for policy, part in rows.groupby("policy", sort=False):
            if part[parameter].nunique() <= 2 * BINS:
                stats = part.groupby(parameter).agg(difference=("difference", "mean"),
                                                    low=("ci_low", "mean"),
                                                    high=("ci_high", "mean"))
                ax.errorbar(stats.index, stats["difference"],
                            yerr=[stats["difference"] - stats["low"],
                                  stats["high"] - stats["difference"]],
                            marker="o", capsize=3, label=policy)
            else:
                dots = ax.scatter(part[parameter], part["difference"], s=6, alpha=0.4)
                bins = pd.qcut(part[parameter], BINS, duplicates="drop")
                line = part.groupby(bins, observed=True)["difference"].mean()
                ax.plot([b.mid for b in line.index], line.to_numpy(), label=policy,
                        color=dots.get_facecolor()[0][:3])
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel(parameter, fontsize=8)
        reference = rows["reference"].iloc[0] if len(rows) else ""
        ax.set_ylabel(f"minus {reference}", fontsize=8)
    if axes:
        axes[0].legend(fontsize=7)
    return fig


def sensitivity_bars(indices: pd.DataFrame, metric: str) -> Figure:
    """Sensitivity indices of one outcome, one panel per target (policy or difference)."""
    part = indices[indices["metric"] == metric]
    targets = list(pd.unique(part["target"]))
    fig, axes = _grid(len(targets), width=4.2, height=0.5 + 0.35 * part["parameter"].nunique(),
                      columns=2)
    for ax, target in zip(axes, targets, strict=True):
        rows = part[part["target"] == target]
        kinds = list(pd.unique(rows["index"]))
        names = list(pd.unique(rows["parameter"]))
        y = np.arange(len(names))
        height = 0.8 / len(kinds)
        for k, kind in enumerate(kinds):
            values = rows[rows["index"] == kind].set_index("parameter").reindex(names)
            conf = values["conf"].fillna(0).to_numpy()
            ax.barh(y + k * height, values["value"], height=height, xerr=conf, label=kind,
                    capsize=2)
        ax.set_yticks(y + height * (len(kinds) - 1) / 2, names, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(f"{metric_title(metric, 60)}: {target}", fontsize=9)
        ax.legend(fontsize=7)
    return fig


def time_series(bands: pd.DataFrame, metrics: Sequence[str]) -> Figure:
    """Weekly median per policy with the 10-90% band across runs."""
    fig, axes = _grid(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        part = bands[bands["metric"] == metric]
        for policy, rows in part.groupby("policy", sort=False):
            rows = rows.sort_values("week")
            line = ax.plot(rows["week"], rows["q50"], label=policy)[0]
            ax.fill_between(rows["week"], rows["q10"], rows["q90"], alpha=0.2,
                            color=line.get_color())
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel("week", fontsize=8)
    if axes:
        axes[0].legend(fontsize=7)
    return fig
