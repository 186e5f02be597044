"""A self-contained HTML report of a sweep, with its tables as CSV next to it.

Figures are embedded as base64 PNG so the single file can be mailed, archived with a paper or
opened on a machine without the results directory.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from inclusion_sim.analysis.sensitivity import sensitivity_indices, sobol_caveats
from inclusion_sim.analysis.sweeps import paired_differences
from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.experiments.results import SweepResults
from inclusion_sim.faces import present
from inclusion_sim.faces import sweep_figures as figures
from inclusion_sim.model.outcomes import ALL_METRICS as METRICS

FOCUS_DEFAULT = 6
MAX_PARAMETER_FIGURES = 4
WEEKLY_IDS = ("run_id", "chunk", "point", "policy", "replicate", "week")

#: The stylesheet of the HTML reports (sweep, discovery and calibration pages).
REPORT_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;font-size:12px;margin:1em 0}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f3f3f3}
img{max-width:100%;display:block;margin:1em 0}
.note{color:#555;font-size:13px}
.warn{background:#fff4e5;border-left:4px solid #e8a33d;padding:6px 10px}
"""


def figure_to_data_uri(fig: Figure) -> str:
    """Encode a figure as a PNG data URI for embedding."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def write_report(
    root: str | Path,
    out: str | Path | None = None,
    *,
    reference: str | None = None,
    metrics: Sequence[str] | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> Path:
    """Analyse a sweep directory and write ``report.html`` plus CSV tables.

    Args:
        root: The sweep directory.
        out: Directory for the report; defaults to ``<root>/report``.
        reference: Policy the others are compared with; defaults to the spec's first policy.
        metrics: Outcomes to show in figures; defaults to the spec's ``outcomes`` or the first
            few. Tables always cover every outcome.
        n_boot: Bootstrap resamples for confidence intervals.
        seed: Seed of the bootstrap, so a report is reproducible.

    Returns:
        Path of the HTML file.
    """
    with SweepResults(root) as results:
        return _Report(results, reference, metrics, n_boot, seed).write(
            Path(out) if out else Path(root) / "report")


def readable_differences(overall: pd.DataFrame) -> pd.DataFrame:
    """The overall paired differences as people read them: labels, shown units, rounded values.

    Outcomes the model knows (`inclusion_sim.model.outcomes.METRICS`) get their label and shown
    unit (0-1 scales out of 100, costs in dollars), and each row is rounded to the precision its
    95% interval supports; others keep their name and four significant digits.
    ``paired_differences.csv`` keeps every value at full precision, under its identifier.
    """
    rows = []
    for row in overall.itertuples(index=False):
        metric = row.metric
        known = metric in METRICS
        if known:
            decimals = present.interval_decimals(metric, row.ci_low, row.ci_high)

            def say(value, signed=False, metric=metric, decimals=decimals):
                return present.value_text(metric, value, decimals, signed=signed)
        else:
            def say(value, signed=False):
                return f"{value:{'+' if signed else ''}.4g}" if present.finite(value) else "n/a"
        rows.append({
            "Outcome": present.metric_label(metric) if known else metric,
            "Unit": present.metric_unit(metric),
            "Policy": present.policy_label(row.policy),
            "Reference": present.policy_label(row.reference),
            "Pairs": row.n_pairs,
            "Reference mean": say(row.reference_mean),
            "Policy mean": say(row.policy_mean),
            "Difference": say(row.difference, True),
            "95% interval": f"{say(row.ci_low, True)} to {say(row.ci_high, True)}",
        })
    return pd.DataFrame(rows)


def summary_lines(report_dir: str | Path, metrics: Sequence[str] | None = None,
                  limit: int = 8) -> list[str]:
    """The report's overall differences in sentences, for the terminal (100 columns).

    Args:
        report_dir: The report's folder (with ``paired_differences.csv``).
        metrics: Outcomes to say (default: every one, up to ``limit``).
        limit: At most this many sentences per policy.
    """
    path = Path(report_dir) / "paired_differences.csv"
    if not path.is_file():
        return []
    table = pd.read_csv(path)
    overall = table[table["scope"] == "overall"]
    lines = []
    for policy, rows in overall.groupby("policy", sort=False):
        reference = present.policy_label(str(rows["reference"].iloc[0]))
        lines.append(present.wrap(f"{present.policy_label(str(policy))} against {reference} "
                                  "(mean over every design point and replicate, 95% interval):",
                                  hang=""))
        chosen = [m for m in (metrics or rows["metric"]) if m in set(rows["metric"])][:limit]
        for metric in chosen:
            row = rows[rows["metric"] == metric].iloc[0]
            said = present.describe_difference(metric, row["difference"], row["ci_low"],
                                               row["ci_high"], reference)
            lines.append(present.wrap(
                f"{said.sentence} ({said.interval.removeprefix('95% interval: ')})",
                indent="  ", hang="    "))
    return lines


class _Report:
    def __init__(self, results: SweepResults, reference, metrics, n_boot, seed):
        self.results = results
        self.spec = results.meta["spec"]
        self.policies = results.policies
        if reference is not None:
            if reference not in self.policies:
                raise InputError(Problem("Python call", "argument 'reference'",
                                         "one of " + ", ".join(self.policies), f"'{reference}'",
                                         nearest(reference, self.policies)))
            self.policies.remove(reference)
            self.policies.insert(0, reference)
        self.params = results.parameter_names
        self.outcomes = results.outcomes()
        self.all_metrics = results.metrics()
        chosen = list(metrics or self.spec.get("outcomes") or [])
        self.focus = [m for m in chosen if m in self.all_metrics] or \
            self.all_metrics[:FOCUS_DEFAULT]
        self.n_boot, self.seed = n_boot, seed
        self.sections: list[str] = []
        self.tables: dict[str, pd.DataFrame] = {}

    def _csv(self, out: Path, name: str, table: pd.DataFrame) -> None:
        """Write a table as CSV (sensible precision), to be described in the data dictionary."""
        (out / f"{name}.csv").write_text(present.csv_text(table), encoding="utf-8")
        self.tables[name] = table

    def _policy(self, key: str) -> str:
        return present.policy_label(key)

    def _parameter(self, name: str) -> str:
        return present.parameter_label(name) if name in present.PARAMETER_NAMES else name

    def write(self, out: Path) -> Path:
        out.mkdir(parents=True, exist_ok=True)
        self._overview()
        if self.outcomes.empty:
            self.sections.append("<p>No successful runs yet.</p>")
        else:
            differences = paired_differences(self.outcomes, self.policies, self.all_metrics,
                                             self.params, self.n_boot, seed=self.seed,
                                             schools=self._turns())
            self._csv(out, "paired_differences", differences)
            self._comparison(differences)
            self._parameters(differences)
            self._sensitivity(out)
            self._time_series()
        self._failures()
        if self.tables:
            (out / "data_dictionary.csv").write_text(present.csv_text(present.data_dictionary(
                {f"{name}.csv": table.columns for name, table in self.tables.items()})),
                encoding="utf-8")
        path = out / "report.html"
        title = html.escape(f"Sweep report: {self.spec['name']}")
        page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
                f"<style>{REPORT_STYLE}</style></head><body><h1>{title}</h1>"
                + "\n".join(self.sections) + "</body></html>")
        path.write_text(page, encoding="utf-8")
        return path

    def _figure(self, fig: Figure, caption: str) -> None:
        self.sections.append(f"<img alt='{html.escape(caption)}' src='{figure_to_data_uri(fig)}'>"
                             f"<p class='note'>{html.escape(caption)}</p>")

    def _table(self, frame: pd.DataFrame) -> None:
        self.sections.append(frame.to_html(index=False, float_format=lambda v: f"{v:,.3g}",
                                           na_rep="", border=0))

    def _overview(self) -> None:
        counts = self.results.counts()
        design = self.spec["design"]
        varied = ", ".join(self._parameter(p) for p in self.params) or "none"
        policies = ", ".join(self._policy(p) for p in self.policies)
        fixed = present.changes_summary(self.spec.get("fixed") or {})
        self.sections.append(
            "<h2>Overview</h2><ul>"
            f"<li>Scenario: {html.escape(str(self.spec['scenario']))} "
            f"(hash {html.escape(self.results.meta['scenario_hash'])})</li>"
            f"<li>Policies: {html.escape(policies)} "
            f"(reference: {html.escape(self._policy(self.policies[0]))})</li>"
            f"<li>Design: {html.escape(design['method'])}, {self.results.meta['points']} points; "
            f"varied parameters: {html.escape(varied)}</li>"
            f"<li>Replicates: {self.spec['replicates']} (base seed {self.spec['seed']}; "
            "replicate k uses the same seed under every policy and point)</li>"
            f"<li>Schools: {html.escape(self._schools())}</li>"
            f"<li>Runs: {counts['ok']} ok, {counts['failed']} failed, of "
            f"{counts['planned']} planned</li>"
            + (f"<li>{html.escape(fixed)}</li>" if fixed else "")
            + f"<li>Generated: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}</li></ul>")

    def _turns(self) -> int | None:
        """The number of schools the replicates took turns on, if fewer than the replicates."""
        schools = self.spec.get("schools")
        return schools if schools is not None and schools < self.spec["replicates"] else None

    def _schools(self) -> str:
        """Which schools the replicates ran, and what the intervals therefore describe."""
        roster, schools = self.spec.get("roster_seed"), self._turns()
        if roster is not None:
            return (f"one, the school of roster seed {roster}, in every replicate: the intervals "
                    "describe chance within that school")
        if schools is not None:
            return (f"{schools}, taken in turn (replicate k runs on the school of replicate "
                    f"k mod {schools}, in a year of its own): the intervals resample the "
                    f"{schools} schools, each with all its replicates, so with few schools they "
                    "are wide")
        return ("one per replicate, each generated from its seed (or the scenario's own school "
                "when it is read from files)")

    def _comparison(self, differences: pd.DataFrame) -> None:
        self.sections.append(
            "<h2>Policy comparison</h2><p>Mean paired difference from the reference policy "
            "(same seed, same point), with percentile-bootstrap 95% confidence intervals over "
            "all points and replicates: each resample draws whole replicates with all their "
            "points (or whole schools, when the replicates took turns on them), since the "
            "points of a replicate share its school and its draws. Per-point differences are in "
            "<code>paired_differences.csv</code>.</p>")
        if len(self.policies) < 2:
            self.sections.append("<p>Only one policy: nothing to compare.</p>")
            return
        self._figure(figures.policy_comparison(differences, self.focus),
                     f"Paired differences from {self._policy(self.policies[0])}: dots are means "
                     "over every design point and replicate, bars 95% bootstrap confidence "
                     "intervals. 0-1 scales are shown out of 100.")
        overall = differences[differences["scope"] == "overall"]
        self._table(readable_differences(overall))

    def _parameters(self, differences: pd.DataFrame) -> None:
        if not self.params:
            return
        self.sections.append("<h2>Outcomes across parameters</h2>")
        for name in self.params[:MAX_PARAMETER_FIGURES]:
            self._figure(figures.outcome_vs_parameter(self.outcomes, name, self.focus,
                                                      self.policies),
                         f"Mean outcome against {self._parameter(name)} per policy; shaded "
                         "band: the middle 95% of runs")
            if len(self.policies) > 1:
                self._figure(figures.difference_vs_parameter(differences, name, self.focus),
                             f"Paired difference from {self._policy(self.policies[0])} against "
                             f"{self._parameter(name)} (per design point; bars: 95% "
                             "confidence intervals)")

    def _sensitivity(self, out: Path) -> None:
        design = self.results.sql("SELECT * FROM design ORDER BY point")
        indices, notes = sensitivity_indices(self.outcomes, design, self.results.meta,
                                             self.focus, seed=self.seed)
        self.sections.append("<h2>Sensitivity</h2>")
        (out / "sensitivity.csv").unlink(missing_ok=True)  # never leave an earlier report's
        indices, caveats = sobol_caveats(indices, self.spec)
        for caveat in caveats:
            self.sections.append(f"<p class='warn'>{html.escape(caveat)}</p>")
        for note in notes[:20]:
            self.sections.append(f"<p class='note'>{html.escape(note)}</p>")
        if indices.empty:
            return
        self._csv(out, "sensitivity", indices)
        flagged = indices[indices["flag"] != ""]
        if not flagged.empty:
            self.sections.append("<p>Indices not to be read as effects (all are in "
                                 "<code>sensitivity.csv</code>, column <code>flag</code>):</p>")
            shown = flagged.head(40)
            self._table(pd.DataFrame({
                "Outcome": [present.metric_label(m) for m in shown["metric"]],
                "Target": [figures.target_label(t) for t in shown["target"]],
                "Parameter": [self._parameter(p) for p in shown["parameter"]],
                "Index": shown["index"], "Value": shown["value"].round(2),
                "95% half-width": shown["conf"].round(2), "Why": shown["flag"]}))
        for metric in pd.unique(indices["metric"]):
            name = METRICS[metric].label if metric in METRICS else metric
            caption = (f"Sensitivity of {name} to each varied parameter (bars: index, "
                       "whiskers: 95% bootstrap confidence interval)")
            if (flagged["metric"] == metric).any():
                caption += "; some indices are unreliable, see the warning above"
            self._figure(figures.sensitivity_bars(indices, metric), caption)

    def _time_series(self) -> None:
        columns = [c for c in self.results.columns("weekly") if c not in WEEKLY_IDS]
        if "week" not in self.results.columns("weekly") or not columns:
            return
        chosen = [c for c in self.focus if c in columns] or columns[:4]
        bands = []
        for metric in chosen:
            frame = self.results.sql(
                f'SELECT policy, week, quantile_cont("{metric}", 0.1) AS q10, '
                f'quantile_cont("{metric}", 0.5) AS q50, quantile_cont("{metric}", 0.9) AS q90 '
                "FROM weekly GROUP BY policy, week")
            frame["metric"] = metric
            bands.append(frame)
        table = pd.concat(bands, ignore_index=True)
        order = {p: i for i, p in enumerate(self.policies)}
        table = table.sort_values(["metric", "policy"], key=lambda s: s.map(order)
                                  if s.name == "policy" else s)
        self.sections.append("<h2>Through the year</h2>")
        self._figure(figures.time_series(table, chosen),
                     "Lines: weekly median across runs per policy; shaded band: 10th to 90th "
                     "percentile of the runs")

    def _failures(self) -> None:
        failures = self.results.failures()
        if failures.empty:
            return
        self.sections.append(f"<h2>Failed runs ({len(failures)})</h2>")
        self._table(failures[["run_id", "seed", "error"]].head(50))
