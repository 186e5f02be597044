"""Matplotlib figures of a sweep: policy comparison, outcome vs parameter, sensitivity, time.

Each function takes tidy tables (from `analysis`, `sensitivity` or a DuckDB query) and returns
a `Figure`, so the same figures serve the HTML report, a notebook and a paper. Figures are
built without pyplot, so they need no display and leave a notebook's backend alone. Names,
units and tick formats come from the presentation layer (`inclusion_sim.faces.present`):
policies and parameters by plain name, 0-1 scales out of 100, costs as "$50k".
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from inclusion_sim.faces import present
from inclusion_sim.model.outcomes import ALL_METRICS as METRICS

BINS = 8


def metric_title(metric: str, width: int = 34) -> str:
    """A panel title: the outcome's label and shown unit, or its name for outcomes not in `METRICS`.

    Sweeps store outcomes under their names; a reader should see what was measured and in which
    unit. Long labels are wrapped so a panel's title stays over its panel.
    """
    info = METRICS.get(metric)
    if info is None:
        return metric
    return textwrap.fill(f"{info.label} ({present.metric_unit(metric)})", width,
                         break_on_hyphens=False)


def target_label(target: str) -> str:
    """A sensitivity target in words: "Push-in, co-taught" or "Push-in, alongside minus Pull-out"."""
    if " - " in target:
        first, second = target.split(" - ", 1)
        return f"{present.policy_label(first, short=True)} minus " \
               f"{present.policy_label(second, short=True)}"
    return present.policy_label(target, short=True)


def _parameter_values(values, parameter: str):
    scale = present.parameter_scale(parameter) if parameter in present.PARAMETER_NAMES else 1.0
    return np.asarray(values, dtype=float) * scale


def _grid(n: int, width: float = 3.6, height: float = 2.8, columns: int = 3):
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    fig = Figure(figsize=(width * columns, height * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _legend(fig: Figure, axes) -> None:
    """One legend for the figure, under the panels, so no panel's lines are hidden by it."""
    if not axes:
        return
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4),
                   fontsize=8, frameon=False)


def policy_comparison(differences: pd.DataFrame, metrics: Sequence[str]) -> Figure:
    """Overall paired difference from the reference policy, with its CI, per outcome."""
    overall = differences[differences["scope"] == "overall"]
    fig, axes = _grid(len(metrics), width=4.2)  # room for the policy names beside each panel
    for ax, metric in zip(axes, metrics, strict=True):
        rows = overall[overall["metric"] == metric]
        scale = present.metric_scale(metric)
        y = np.arange(len(rows))[::-1]
        mean = rows["difference"].to_numpy(float) * scale
        # Where every pair has the same difference the interval is that value, and the mean
        # (summed in another order) can fall outside it by the last bit: no bar, not a negative.
        low = np.clip(mean - rows["ci_low"].to_numpy(float) * scale, 0, None)
        high = np.clip(rows["ci_high"].to_numpy(float) * scale - mean, 0, None)
        ax.errorbar(mean, y, xerr=[low, high], fmt="o", capsize=3)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(y, [present.policy_label(p, short=True) for p in rows["policy"]],
                      fontsize=8)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        reference = present.policy_label(rows["reference"].iloc[0], short=True) \
            if len(rows) else ""
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel(f"difference from {reference}", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        present.scale_axis(ax, metric, "x", ticks=4)  # small differences have long tick labels
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
        scale = present.metric_scale(metric)
        for policy in policies:
            part = frame[frame["policy"] == policy].groupby("_x")[metric]
            stats = pd.DataFrame({"mean": part.mean(), "lo": part.quantile(0.025),
                                  "hi": part.quantile(0.975)}).sort_index() * scale
            x = _parameter_values(stats.index, parameter)
            line = ax.plot(x, stats["mean"], marker=".",
                           label=present.policy_label(policy, short=True))[0]
            ax.fill_between(x, stats["lo"], stats["hi"], alpha=0.2, color=line.get_color())
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel(textwrap.fill(present.parameter_axis_label(parameter), 45), fontsize=8)
        ax.tick_params(labelsize=8)
        present.scale_axis(ax, metric, "y", ticks=5)
    _legend(fig, axes)
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
        scale = present.metric_scale(metric)
        for policy, part in rows.groupby("policy", sort=False):
            name = present.policy_label(policy, short=True)
            if part[parameter].nunique() <= 2 * BINS:
                stats = part.groupby(parameter).agg(difference=("difference", "mean"),
                                                    low=("ci_low", "mean"),
                                                    high=("ci_high", "mean")) * scale
                ax.errorbar(_parameter_values(stats.index, parameter), stats["difference"],
                            yerr=[stats["difference"] - stats["low"],
                                  stats["high"] - stats["difference"]],
                            marker="o", capsize=3, label=name)
            else:
                dots = ax.scatter(_parameter_values(part[parameter], parameter),
                                  part["difference"] * scale, s=6, alpha=0.4)
                bins = pd.qcut(part[parameter], BINS, duplicates="drop")
                line = part.groupby(bins, observed=True)["difference"].mean()
                ax.plot(_parameter_values([b.mid for b in line.index], parameter),
                        line.to_numpy() * scale, label=name, color=dots.get_facecolor()[0][:3])
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel(textwrap.fill(present.parameter_axis_label(parameter), 45), fontsize=8)
        reference = present.policy_label(rows["reference"].iloc[0], short=True) \
            if len(rows) else ""
        ax.set_ylabel(f"minus {reference}", fontsize=8)
        ax.tick_params(labelsize=8)
        present.scale_axis(ax, metric, "y", ticks=5)
    _legend(fig, axes)
    return fig


def sensitivity_bars(indices: pd.DataFrame, metric: str) -> Figure:
    """Sensitivity indices of one outcome, one panel per target (policy or difference)."""
    part = indices[indices["metric"] == metric]
    targets = list(pd.unique(part["target"]))
    names = list(pd.unique(part["parameter"]))
    labels = [textwrap.fill(present.parameter_label(n) if n in present.PARAMETER_NAMES else n,
                            32) for n in names]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig, axes = _grid(len(targets), width=5.4, height=0.9 + 0.22 * lines + 0.1 * len(names),
                      columns=2)
    for ax, target in zip(axes, targets, strict=True):
        rows = part[part["target"] == target]
        kinds = list(pd.unique(rows["index"]))
        y = np.arange(len(names))
        height = 0.8 / len(kinds)
        for k, kind in enumerate(kinds):
            values = rows[rows["index"] == kind].set_index("parameter").reindex(names)
            conf = values["conf"].fillna(0).to_numpy()
            ax.barh(y + k * height, values["value"], height=height, xerr=conf, label=kind,
                    capsize=2)
        ax.set_yticks(y + height * (len(kinds) - 1) / 2, labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(textwrap.fill(f"{target_label(target)}", 50), fontsize=9)
        ax.set_xlabel("sensitivity index (share of the outcome's variance)", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(metric_title(metric, 90), fontsize=10)
    _legend(fig, axes)
    return fig


def time_series(bands: pd.DataFrame, metrics: Sequence[str]) -> Figure:
    """Weekly median per policy with the 10-90% band across runs."""
    fig, axes = _grid(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        part = bands[bands["metric"] == metric]
        scale = present.metric_scale(metric)
        for policy, rows in part.groupby("policy", sort=False):
            rows = rows.sort_values("week")
            line = ax.plot(rows["week"], rows["q50"] * scale,
                           label=present.policy_label(policy, short=True))[0]
            ax.fill_between(rows["week"], rows["q10"] * scale, rows["q90"] * scale, alpha=0.2,
                            color=line.get_color())
        ax.set_title(metric_title(metric), fontsize=9)
        ax.set_xlabel("School week", fontsize=8)
        ax.tick_params(labelsize=8)
        present.scale_axis(ax, metric, "y", ticks=5)
    _legend(fig, axes)
    return fig
