"""Figures and self-contained HTML pages for scenario discovery and calibration.

The analysis (`inclusion_sim.analysis.discovery`, `inclusion_sim.analysis.calibration`) gives
tables and sentences; this module draws them and writes them next to the sweep, with the
provenance record as JSON, so a page can be archived with a paper and traced to its sweep.
"""

from __future__ import annotations

import html
import itertools
import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from inclusion_sim.analysis.calibration import Calibration
from inclusion_sim.analysis.discovery import (
    Discovery,
    capitalized,
    dimension_label,
    outcome_label,
    policy_label,
)
from inclusion_sim.experiments.store import write_json_atomic
from inclusion_sim.faces import present
from inclusion_sim.faces.sweep_report import REPORT_STYLE, figure_to_data_uri

MAX_PAIR_PANELS = 3

#: What the columns of the discovery and calibration tables mean (the data dictionary's
#: entries and the HTML tables' headers).
DICTIONARY: dict[str, tuple[str, str, str]] = {
    "step": ("Peeling step", "number", "PRIM's step along the trajectory (0 = the whole sweep)."),
    "coverage": ("Coverage", "share", "Share of all wins that lie inside the box."),
    "density": ("Density", "share", "Share of the run pairs inside the box that are wins."),
    "mass": ("Mass", "share", "Share of all run pairs inside the box."),
    "mean": ("Density", "share", "Share of the run pairs inside the box that are wins."),
    "res_dim": ("Restricted parameters", "number", "Parameters the box restricts."),
    "n": ("Run pairs in the box", "number", ""),
    "k": ("Wins in the box", "number", ""),
    "difference": ("Paired difference", "the outcome's unit", "The first policy's outcome minus "
                   "the second's on the same seed (for a composite: the weighted sum of "
                   "standardized differences, positive is better)."),
    "id": ("Box", "number", "The box's step on the trajectory."),
    "parameter": ("Parameter", "", "The varied parameter's plain name."),
    "name": ("Identifier", "", "The varied parameter's or outcome's identifier."),
    "sweep_low": ("Lowest in the sweep", "the parameter's unit", ""),
    "sweep_high": ("Highest in the sweep", "the parameter's unit", ""),
    "box_low": ("Box from", "the parameter's unit", "Empty when the box is open below."),
    "box_high": ("Box to", "the parameter's unit", "Empty when the box is open above."),
    "quasi_p": ("Quasi-p", "probability", "PRIM's one-sided binomial test of the restriction "
                "(Bryant & Lempert 2010); above 0.05 it may be noise."),
    "significant": ("Significant", "true/false", "Quasi-p at most 0.05."),
    "wins": ("Win", "true/false", "Whether the first policy beats the second in the pair."),
    "outcome": ("Outcome", "", "The outcome compared."),
    "weight": ("Weight", "", "The outcome's weight in the composite."),
    "better": ("Better when", "", "Whether higher or lower values are better."),
    "standard deviation (scale)": ("Standard deviation", "the outcome's unit",
                                   "The spread the outcome's difference is divided by."),
    "pattern": ("Pattern", "", "The reference finding's code (F1-F6, docs/literature.md)."),
    "statement": ("Finding", "", "The reference finding in words."),
    "scored": ("Scored", "true/false", "Whether the sweep can test the pattern."),
    "share_reproduced": ("Parameter sets reproducing it", "share", ""),
    "accepted": ("Accepted", "true/false", "Whether the set reproduces every scored pattern."),
    "winner": ("First policy", "", "The policy whose advantage is measured."),
    "loser": ("Second policy", "", "The policy it is compared with."),
    "points": ("Parameter sets", "number", "Accepted parameter sets compared."),
    "share_better": ("Share better (accepted sets)", "share", "Share of the accepted sets where "
                     "the first policy is better."),
    "median_difference": ("Median difference (accepted sets)", "the outcome's unit",
                          "Difference turned so that positive is better."),
    "q10": ("10th percentile", "the outcome's unit", "Of the difference over accepted sets."),
    "q90": ("90th percentile", "the outcome's unit", "Of the difference over accepted sets."),
    "share_better_all_points": ("Share better (all sets)", "share", ""),
    "median_difference_all_points": ("Median difference (all sets)", "the outcome's unit", ""),
}


def _label(column: str) -> str:
    return (DICTIONARY.get(column) or present.describe_column(column))[0]


WIN_COLOUR, LOSS_COLOUR, BOX_COLOUR = "#1f77b4", "#c8c8c8", "#d62728"


def _wrap(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(text, width))


def trajectory_figure(found: Discovery) -> Figure:
    """PRIM's peeling trajectory: density against coverage, coloured by restrictions."""
    fig = Figure(figsize=(7.2, 4.8), constrained_layout=True)
    ax = fig.subplots()
    traj = found.trajectory
    dims = traj["res_dim"].to_numpy()
    scatter = ax.scatter(traj["coverage"], traj["density"], c=dims, cmap="viridis", s=28,
                         vmin=0, vmax=max(1, dims.max()), zorder=3)
    ax.plot(traj["coverage"], traj["density"], color="#999", lw=0.8, zorder=2)
    chosen = traj.loc[found.chosen]
    ax.scatter([chosen["coverage"]], [chosen["density"]], s=180, facecolors="none",
               edgecolors=BOX_COLOUR, linewidths=2, zorder=4, label="box chosen")
    ax.axvline(found.min_coverage, color=BOX_COLOUR, ls=":", lw=1,
               label=f"coverage ≥ {found.min_coverage:.0%} (rule)")
    ax.axhline(found.base_rate, color="#555", ls="--", lw=1,
               label=f"whole sweep ({found.base_rate:.0%} wins)")
    ax.set_xlabel("Coverage: share of all wins inside the box")
    ax.set_ylabel("Density: share of pairs in the box that win")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    bar = fig.colorbar(scatter, ax=ax)
    bar.set_label("Restricted parameters")
    bar.set_ticks(range(0, int(max(1, dims.max())) + 1))
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(_wrap(f"PRIM peeling trajectory: where {policy_label(found.winner)} beats "
                       f"{policy_label(found.loser)} on {found.target_text()}", 70), fontsize=10)
    return fig


def _pair_dimensions(found: Discovery) -> list[tuple[str, str]]:
    """Pairs of dimensions to draw: each with a significant restriction of the box in it.

    Candidates are the box's significant restrictions, then its other restrictions, then the
    tree's, then the rest in sweep order; a pair without a restricted dimension shows nothing.
    """
    key = [r.name for r in found.significant_box.restrictions]
    order = list(key)
    order += [r.name for r in found.box.restrictions if r.name not in order]
    for leaf in found.tree_leaves[:1]:
        order += [r.name for r in leaf.restrictions if r.name not in order]
    order += [n for n in found.parameter_names if n not in order]
    if len(order) < 2:
        return []
    pairs = [p for p in itertools.combinations(order[:4], 2) if set(p) & set(key)]
    return (pairs or [tuple(order[:2])])[:MAX_PAIR_PANELS]


def _padded(values: pd.Series, share: float = 0.02) -> tuple[float, float]:
    """The range of `values`, widened by `share` of it on each side."""
    low, high = float(values.min()), float(values.max())
    pad = share * (high - low)
    return low - pad, high + pad


def box_pairs_figure(found: Discovery) -> Figure | None:
    """The chosen box on pairs of parameters, over the points coloured by how often A won."""
    pairs = _pair_dimensions(found)
    if not pairs:
        return None
    fig = Figure(figsize=(4.6 * len(pairs), 5.0), constrained_layout=True)
    axes = np.atleast_1d(fig.subplots(1, len(pairs)))
    limits = {r.name: r for r in found.significant_box.restrictions}
    data = found.pairs
    by_point = (data.groupby("point").agg(share=("wins", "mean"), pairs=("wins", "size"))
                .join(data.drop_duplicates("point").set_index("point")[found.parameter_names]))
    winner = capitalized(policy_label(found.winner))
    groups = [(by_point["share"] == 0, LOSS_COLOUR, f"{winner} wins no pair"),
              ((by_point["share"] > 0) & (by_point["share"] < 1), "#9ecae1",
               f"{winner} wins some pairs"),
              (by_point["share"] == 1, WIN_COLOUR, f"{winner} wins every pair")]
    for ax, (x_name, y_name) in zip(axes, pairs, strict=True):
        for mask, colour, label in groups:
            part = by_point[mask]
            ax.scatter(part[x_name], part[y_name], s=22, color=colour, label=label,
                       edgecolors="#555", linewidths=0.3)
        # An open side of the box reaches a little past the outermost points, so points at the
        # sweep's bound (every point of a level, for a parameter with few values) sit inside
        # the box rather than on its edge.
        x0, x1 = _padded(data[x_name])
        y0, y1 = _padded(data[y_name])
        rx, ry = limits.get(x_name), limits.get(y_name)
        left = rx.low if rx and rx.low is not None else x0
        right = rx.high if rx and rx.high is not None else x1
        bottom = ry.low if ry and ry.low is not None else y0
        top = ry.high if ry and ry.high is not None else y1
        if rx or ry:
            ax.add_patch(Rectangle((left, bottom), right - left, top - bottom, fill=False,
                                   edgecolor=BOX_COLOUR, lw=2,
                                   label="PRIM box (significant limits)"))
        ax.set_xlabel(_wrap(dimension_label(x_name)), fontsize=9)
        ax.set_ylabel(_wrap(dimension_label(y_name)), fontsize=9)
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=4, fontsize=8, frameon=False)
    fig.suptitle(f"The box on pairs of parameters ({len(by_point)} parameter points, "
                 f"{len(data)} run pairs; other parameters free)", fontsize=10)
    return fig


def _table_html(frame: pd.DataFrame) -> str:
    """A table for people: labels for headers and plain policy and outcome names in cells."""
    shown = frame.copy()
    for column in ("winner", "loser"):
        if column in shown:
            shown[column] = shown[column].map(present.policy_label)
    if "outcome" in shown and "name" not in shown:
        shown["outcome"] = shown["outcome"].map(present.metric_label)
    shown = shown.drop(columns=["name"], errors="ignore")  # the identifier beside its label
    shown = shown.rename(columns={c: _label(str(c)) for c in shown.columns})
    return shown.to_html(index=False, border=0, float_format=lambda v: f"{v:.3g}", na_rep="")


def _write_tables(out: Path, tables: dict[str, pd.DataFrame]) -> None:
    """The page's tables as CSV with a data dictionary, like every other export."""
    present.write_tables(out, tables, parquet=False, overrides=DICTIONARY)


def _page(title: str, body: list[str]) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{REPORT_STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
            + "\n".join(body) + "</body></html>")


def write_discovery_report(found: Discovery, out: str | Path) -> Path:
    """Write ``report.html`` (figures embedded), the figures, CSV tables and provenance.

    Returns:
        Path of the HTML page.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    title = (f"Where {policy_label(found.winner)} beats {policy_label(found.loser)} on "
             f"{found.target_text()}")
    body = ["<h2>Findings</h2><ul>"]
    body += [f"<li>{html.escape(s)}</li>" for s in found.sentences()]
    body.append("</ul>")
    tables: dict[str, pd.DataFrame] = {}
    body.append(f"<p class='note'>Box chosen: {html.escape(found.reason)}. A run pair is one "
                "replicate at one parameter point under both policies, on the same seed; a tie "
                "is not a win.</p>")
    if found.composite:
        weights = pd.DataFrame([{"outcome": outcome_label(k), "name": k, "weight": v["weight"],
                                 "better": "higher" if v["direction"] > 0 else "lower",
                                 "standard deviation (scale)": v["scale"]}
                                for k, v in found.composite.items()])
        body += ["<h2>Composite</h2><p>Each outcome's paired difference, turned so that "
                 "positive is better, divided by its standard deviation across the runs of the "
                 "two policies, times its weight; A wins when the sum is positive.</p>",
                 _table_html(weights)]
        tables["composite"] = weights
    box = found.box_table()
    if not box.empty:
        body += ["<h2>The box</h2>", _table_html(box),
                 "<p class='note'>Quasi-p: PRIM's one-sided binomial test of each restriction "
                 "(Bryant &amp; Lempert 2010); above 0.05 the restriction may be noise.</p>"]
    tables["box"] = box
    traj = trajectory_figure(found)
    traj.savefig(out / "trajectory.png", dpi=110)
    body += ["<h2>Peeling trajectory</h2>", f"<img src='{figure_to_data_uri(traj)}'>"]
    figure = box_pairs_figure(found)
    if figure is not None:
        figure.savefig(out / "box_pairs.png", dpi=110)
        body += ["<h2>The box on pairs of parameters</h2>",
                 f"<img src='{figure_to_data_uri(figure)}'>"]
    tables["trajectory"] = found.trajectory.rename_axis("step").reset_index()
    body += ["<h2>Cross-check: CART tree</h2>",
             f"<pre>{html.escape(found.tree_text)}</pre>"]
    tables["pairs"] = found.pairs
    _write_tables(out, tables)
    write_json_atomic(found.provenance, out / "provenance.json")
    body += ["<h2>Provenance</h2>",
             f"<pre>{html.escape(json.dumps(found.provenance, indent=2, default=str))}</pre>"]
    path = out / "report.html"
    path.write_text(_page(title, body), encoding="utf-8")
    return path


def patterns_figure(calibration: Calibration) -> Figure:
    """Share of parameter sets reproducing each pattern, and all of them together."""
    table = calibration.pattern_table()
    table = table[table["scored"]]
    labels = [*table["pattern"], "all\ntogether"]
    shares = [*table["share_reproduced"], calibration.share_accepted]
    fig = Figure(figsize=(6.4, 3.6), constrained_layout=True)
    ax = fig.subplots()
    colours = ["#7f9fbf"] * len(table) + ["#2c5d8a"]
    ax.bar(labels, shares, color=colours)
    for i, share in enumerate(shares):
        ax.text(i, share + 0.02, f"{share:.0%}", ha="center", fontsize=9)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("Share of parameter sets")
    ax.set_title(f"Reference findings reproduced ({len(calibration.points)} parameter sets)",
                 fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    return fig


def comparisons_figure(calibration: Calibration, table: pd.DataFrame) -> Figure | None:
    """Each comparison's share of parameter sets where A wins: accepted set against all."""
    if table.empty:
        return None
    fig = Figure(figsize=(7.6, 0.55 * len(table) + 1.6), constrained_layout=True)
    ax = fig.subplots()
    y = np.arange(len(table))[::-1]
    ax.scatter(table["share_better_all_points"], y, color="#aaa", s=40, label="all sets")
    ax.scatter(table["share_better"], y, color="#2c5d8a", s=40,
               label="sets reproducing " + ", ".join(calibration.scored))
    names = [_wrap(f"{capitalized(policy_label(r.winner))} beats {policy_label(r.loser)}: "
                   f"{outcome_label(r.outcome)}", 48) for r in table.itertuples()]
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.axvline(0.5, color="#555", ls=":", lw=1)
    ax.set_xlabel("Share of parameter sets where the first policy is better")
    fig.suptitle("Policy comparisons across the parameter sets", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False)
    return fig


def write_calibration_report(calibration: Calibration, out: str | Path) -> Path:
    """Write the calibration's page, figures, tables and provenance.

    Returns:
        Path of the HTML page.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    body = ["<h2>Findings</h2><ul>"]
    body += [f"<li>{html.escape(s)}</li>" for s in calibration.sentences()]
    body.append("</ul>")
    patterns = calibration.pattern_table()
    body += ["<h2>Patterns</h2>", _table_html(patterns)]
    figure = patterns_figure(calibration)
    figure.savefig(out / "patterns.png", dpi=110)
    body.append(f"<img src='{figure_to_data_uri(figure)}'>")
    table = calibration.comparisons()
    figure = comparisons_figure(calibration, table)
    if figure is not None:
        figure.savefig(out / "comparisons.png", dpi=110)
        body += ["<h2>Comparisons across the accepted set</h2>",
                 f"<img src='{figure_to_data_uri(figure)}'>", _table_html(table)]
    _write_tables(out, {"patterns": patterns, "comparisons": table,
                        "points": calibration.points})
    body.append("<p class='note'>points.csv: every parameter set, each pattern's result and "
                "whether it is accepted; data_dictionary.csv says what each column is.</p>")
    write_json_atomic(calibration.provenance, out / "provenance.json")
    body += ["<h2>Provenance</h2>",
             f"<pre>{html.escape(json.dumps(calibration.provenance, indent=2, default=str))}"
             "</pre>"]
    path = out / "report.html"
    path.write_text(_page("Pattern-oriented calibration", body), encoding="utf-8")
    return path
