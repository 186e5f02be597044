"""Matplotlib figures for the dashboard and its PNG export.

Figures are drawn with the object-oriented API on the Agg backend (no global pyplot state), so
two browser sessions drawing at once cannot draw into each other's figures. Each function
returns a `Figure`; the page shows it and the export saves the very same figure.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from inclusion_sim.faces.dashboard.runs import Comparison  # noqa: E402
from inclusion_sim.faces.present import caption  # noqa: E402
from inclusion_sim.model.outcomes import METRICS  # noqa: E402

#: One colour per policy, in the order chosen; colour-blind safe (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
#: Line styles by policy too, so policies whose lines coincide stay visible.
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1)), (0, (1, 1)))

#: Weekly series worth a chart, with the label and scale people read.
WEEKLY_CHARTS: dict[str, tuple[str, float]] = {
    "iep_core_hours_missed": ("Core instruction missed so far (hours per student with an IEP)",
                              1.0),
    "iep_other_hours_missed": ("Non-core lessons missed so far (hours per student with an IEP)",
                               1.0),
    "iep_mastery": ("Mastery of IEP goals (0-100)", 100.0),
    "iep_generalization": ("Generalization: mastered IEP skills used in class (%)", 100.0),
    "iep_carryover": ("Use of IEP skills in class (0-100)", 100.0),
    "iep_belonging": ("Belonging, students with IEPs (0-100)", 100.0),
    "iep_stigma": ("Felt stigma, students with IEPs (0-100)", 100.0),
    "iep_academic_growth_sd": ("Academic growth, students with IEPs (SD)", 1.0),
    "mandate_compliance": ("Mandated minutes delivered so far (%)", 100.0),
    "teacher_strategy_use": ("Teachers' use of therapy strategies where they apply (0-100)",
                             100.0),
}

#: Per-student columns of `RunResult.students` shown as distributions.
STUDENT_DISTRIBUTIONS: dict[str, tuple[str, float]] = {
    "core_minutes_missed": ("Core instruction missed in the year (hours)", 1 / 60),
    "other_minutes_missed": ("Non-core lessons missed in the year (hours)", 1 / 60),
    "stigma": ("Felt stigma at the end of the year (0-100)", 100.0),
    "belonging": ("Belonging at the end of the year (0-100)", 100.0),
    "academic_growth_sd": ("Academic growth in the year (SD)", 1.0),
}


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG, for the download buttons."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def weekly_chart(comparison: Comparison, metric: str) -> Figure:
    """One outcome over the weeks: the mean of the seeds, with the range of the seeds shaded."""
    label, scale = WEEKLY_CHARTS.get(metric, (METRICS[metric].label, 1.0))
    weekly = comparison.weekly()
    fig = Figure(figsize=(8, 3.0), layout="constrained")
    ax = fig.subplots()
    for i, (key, pr) in enumerate(comparison.runs.items()):
        rows = weekly[weekly["policy"] == key]
        if metric not in rows:
            continue
        grouped = rows.groupby("week")[metric]
        weeks = grouped.mean().index.to_numpy()
        color = PALETTE[i % len(PALETTE)]
        ax.plot(weeks, grouped.mean().to_numpy() * scale, color=color, lw=2.4, label=pr.label,
                ls=LINESTYLES[i % len(LINESTYLES)])
        ax.fill_between(weeks, grouped.min().to_numpy() * scale, grouped.max().to_numpy() * scale,
                        color=color, alpha=0.18, lw=0)
    ax.set_xlabel("School week")
    ax.set_xlim(left=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # no "week 2.5" on a short year
    ax.set_title(label, loc="left", fontsize=11)
    _style(ax)
    ax.legend(frameon=False, fontsize=9, loc="best")
    caption(fig, f"Lines: the average of the {len(comparison.seeds)} runs of each policy; shaded "
            "band: from the lowest to the highest run.", comparison.params, width=120)
    return fig


def distribution_chart(comparison: Comparison, column: str) -> Figure:
    """How one end-of-year number is spread across the students with IEPs, per policy."""
    label, scale = STUDENT_DISTRIBUTIONS[column]
    students = comparison.table("students")
    students = students[students["has_iep"]]
    fig = Figure(figsize=(8, 3.4), layout="constrained")
    ax = fig.subplots()
    data, labels, colors = [], [], []
    for i, (key, pr) in enumerate(comparison.runs.items()):
        values = students.loc[students["policy"] == key, column].to_numpy(float) * scale
        data.append(values[np.isfinite(values)])
        labels.append(pr.label)
        colors.append(PALETTE[i % len(PALETTE)])
    parts = ax.violinplot(data, orientation="horizontal", showmedians=True, widths=0.8)
    for body, color in zip(parts["bodies"], colors, strict=False):
        body.set_facecolor(color)
        body.set_alpha(0.45)
    for name in ("cmedians", "cmins", "cmaxes", "cbars"):
        if name in parts:
            parts[name].set_color("#333333")
            parts[name].set_linewidth(1)
    ax.set_yticks(range(1, len(labels) + 1), labels)
    ax.invert_yaxis()  # the first policy on top, in the order chosen
    ax.set_title(label + ", each student with an IEP", loc="left", fontsize=11)
    ax.set_xlabel(label.split(" (")[-1].rstrip(")") if "(" in label else "")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    caption(fig, "Each shape shows how the students with IEPs are spread (wide where many "
            "students are), with a line at the middle student; all runs together.",
            comparison.params, width=120)
    return fig


def therapist_time_chart(comparison: Comparison) -> Figure:
    """Where therapist time goes under each policy, and what is left unmet, per year."""
    therapists = comparison.table("therapists")
    fig = Figure(figsize=(8, 3.4), layout="constrained")
    ax = fig.subplots()
    parts = (("direct_minutes", "Sessions", "#0072B2"), ("travel_minutes", "Travel", "#E69F00"),
             ("coplanning_minutes", "Co-planning", "#009E73"))
    labels = [pr.label for pr in comparison.runs.values()]
    left = np.zeros(len(labels))
    for column, name, color in parts:
        hours = []
        for key in comparison.runs:
            rows = therapists[therapists["policy"] == key]
            hours.append(rows.groupby("seed")[column].sum().mean() / 60.0 if len(rows) else 0.0)
        hours = np.asarray(hours)
        ax.barh(labels, hours, left=left, color=color, label=name)
        left += hours
    ax.invert_yaxis()
    ax.set_xlabel("Therapist hours in the year (all therapists together)")
    ax.set_title("Where therapist time goes in a year (average of the runs)", loc="left",
                 fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=9, ncols=3,
               loc="outside upper right")
    caption(fig, "Average over the runs of each policy, all therapists together.",
            comparison.params, width=120)
    return fig


def student_year_chart(series: dict[str, dict[str, np.ndarray]], student_label: str,
                       parameters: dict[str, float] | None = None) -> Figure:
    """One student's year under each policy: skills, belonging, stigma and hours missed.

    Args:
        series: Policy label -> measure -> weekly values for this student.
        student_label: Shown in the title.
        parameters: Parameter values of the runs; the caption lists those changed.
    """
    # 0-100 scales are drawn on their whole range: a student's belonging moving from 89 to 91
    # is a small change and must look small; hours missed start at zero.
    measures = (("carryover", "Use of IEP skills in class (0-100)", 100.0, (0, 100)),
                ("belonging", "Belonging (0-100)", 100.0, (0, 100)),
                ("stigma", "Felt stigma (0-100)", 100.0, (0, 100)),
                ("core_hours_missed", "Core instruction missed (hours)", 1.0, (0, None)))
    fig = Figure(figsize=(9, 5.2), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True).ravel()
    for ax, (name, title, scale, limits) in zip(axes, measures, strict=True):
        for i, (label, values) in enumerate(series.items()):
            if name in values:
                ax.plot(np.arange(len(values[name])), np.asarray(values[name]) * scale,
                        color=PALETTE[i % len(PALETTE)], lw=2.2, label=label,
                        ls=LINESTYLES[i % len(LINESTYLES)])
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylim(*limits)
        _style(ax)
    for ax in axes[2:]:
        ax.set_xlabel("School week")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper right", frameon=False,
               fontsize=9, ncols=min(len(series), 4))
    fig.suptitle(f"{student_label} through the year", x=0.01, ha="left", fontsize=12)
    caption(fig, "The first run of each policy. 0-100 scales are drawn from 0 to 100, so small "
            "changes look small.", parameters, width=120)
    return fig
