"""Robustness table: which headline differences keep their sign across the estimates' ranges.

Many parameters are estimates (``status = "estimate"`` in `inclusion_sim.base.params`): no
measurement was found, so each has a plausible range instead. A conclusion such as "co-taught
push-in gives more carry-over than pull-out" is only as good as the estimates it rests on. The
table answers, for each headline paired difference (policy minus baseline, on one outcome):

* its value at the defaults, with the Student-t interval of the mean paired difference (the same
  interval `inclusion_sim.analysis.compare.Comparison.paired` gives);
* one at a time, for every estimate at its low and at its high value (the others at the
  scenario's values), the same paired difference;
* the estimates whose range flips its sign, with the difference at the low and the high value.

The runs are a sweep with the one-at-a-time design (``oat``; `inclusion_sim.experiments`), so
they run on several workers, resume after an interruption, and share the schedule cache: an
estimate that does not shape the timetable reuses the week solved at the defaults. Every point
uses the same replicate seeds (common random numbers), so the differences between points are
paired too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inclusion_sim.analysis.compare import mean_ci
from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.delivery.policies import POLICY_PRESETS
from inclusion_sim.experiments.results import open_results
from inclusion_sim.experiments.runner import run_sweep
from inclusion_sim.experiments.spec import Design, ParameterRange, SweepSpec
from inclusion_sim.model.outcomes import METRICS
from inclusion_sim.present.exports import write_tables

#: The headline comparisons: every policy here minus the first (pull-out).
HEADLINE_POLICIES: tuple[str, ...] = ("pull_out", "push_in_collaborative", "push_in", "hybrid")

#: The outcomes the headline conclusions are about.
HEADLINE_OUTCOMES: tuple[str, ...] = ("mandate_compliance", "iep_carryover", "iep_mastery",
                                      "iep_academic_growth_sd", "peer_academic_growth_sd",
                                      "iep_stigma")



def markers(equal_dose: bool = False) -> tuple[str, str]:
    """The markers of the generated table in a Markdown document (``docs/validation.md``).

    The table at equal dose has its own pair, so making one never overwrites the other.
    """
    name = "robustness table at equal dose" if equal_dose else "robustness table"
    return f"<!-- BEGIN GENERATED: {name} -->", f"<!-- END GENERATED: {name} -->"


BEGIN, END = markers()


def estimated_parameters(registry: Mapping[str, Any] | None = None) -> list[str]:
    """Names of the parameters whose status is ``estimate``, in registry order."""
    registry = PARAMETERS if registry is None else registry
    return [name for name, p in registry.items() if getattr(p, "status", "") == "estimate"]


def robustness_spec(scenario: str | Path | None, *, policies: Sequence[str] = HEADLINE_POLICIES,
                    parameters: Sequence[str] | None = None, replicates: int = 6,
                    weeks: int | None = None, seed: int = 0, equal_dose: bool = False,
                    outcomes: Sequence[str] = HEADLINE_OUTCOMES,
                    registry: Mapping[str, Any] | None = None) -> SweepSpec:
    """The one-at-a-time sweep behind a robustness table.

    Args:
        scenario: The scenario file (recorded in the sweep's plan).
        policies: The baseline first, then the policies compared with it.
        parameters: The parameters to vary (default: every estimate), each over its
            plausible range.
        replicates: Paired replicates per policy and point.
        weeks: Weeks per run (default: the scenario's).
        seed: Base seed of the replicates (the comparison engine's replicate seeds).
        equal_dose: Compare the policies at equal dose (`inclusion_sim.delivery.equal_dose`).
        outcomes: The outcomes the table is about (recorded for the sweep's report).
        registry: The parameter registry (default: `inclusion_sim.base.params.PARAMETERS`).

    Raises:
        InputError: An unknown policy, outcome or parameter, fewer than two policies or
            replicates, or no weeks.
    """
    registry = PARAMETERS if registry is None else registry
    names = estimated_parameters(registry) if parameters is None else list(parameters)
    _check_names(policies, outcomes, names, registry)
    if int(replicates) < 2 or (weeks is not None and int(weeks) < 1):
        raise InputError(Problem("robustness", "replicates, weeks", "at least 2 replicates (for "
                                 "intervals) and at least 1 week",
                                 f"{replicates} replicates, {weeks} weeks"))
    ranges = []
    for name in names:
        p = registry[name]
        integer = isinstance(p.default, int) and not isinstance(p.default, bool)
        ranges.append(ParameterRange(name, float(p.low), float(p.high), integer=integer))
    return SweepSpec(source="robustness table", name="Robustness of the headline differences",
                     scenario=Path(scenario) if scenario is not None else None,
                     policies=tuple(policies), replicates=int(replicates), seed=int(seed),
                     design=Design(method="oat"), parameters=tuple(ranges), weeks=weeks,
                     outcomes=tuple(outcomes), equal_dose=equal_dose)


def _check_names(policies, outcomes, parameters, registry) -> None:
    problems = []
    if len(set(policies)) < 2 or len(set(policies)) != len(policies):
        problems.append(Problem("robustness", "policies", "two or more different policies, the "
                                "baseline first", ", ".join(policies)))
    for name in policies:
        if name not in POLICY_PRESETS:
            problems.append(Problem("robustness", "policies", f"one of {', '.join(POLICY_PRESETS)}",
                                    f"'{name}'", nearest(name, POLICY_PRESETS)))
    for name in outcomes:
        if name not in METRICS:
            problems.append(Problem("robustness", "outcomes", "an outcome of "
                                    "inclusion_sim.METRICS", f"'{name}'", nearest(name, METRICS)))
    for name in parameters:
        if name not in registry:
            problems.append(Problem("robustness", "parameters", "a model parameter name",
                                    f"'{name}'", nearest(name, registry)))
    if problems:
        raise InputError(problems)


@dataclass
class Robustness:
    """A robustness table and the runs behind it.

    Attributes:
        differences: One row per compared policy, outcome and design point: ``policy``,
            ``baseline``, ``metric``, ``parameter`` ("" at the defaults), ``end`` (``default``,
            ``low`` or ``high``), ``value`` (the parameter's value there), ``difference`` (mean
            paired difference), ``ci_low``, ``ci_high`` and ``replicates``.
        spec: The one-at-a-time sweep that made the runs.
        scenario_name: The scenario's name, for the table's caption.
        level: Confidence level of the intervals.
    """

    differences: pd.DataFrame
    spec: SweepSpec
    scenario_name: str = ""
    level: float = 0.95

    def table(self) -> pd.DataFrame:
        """One row per headline difference: its value at the defaults and what flips its sign.

        Columns: ``policy``, ``baseline``, ``metric``, ``difference``, ``ci_low``, ``ci_high``
        (at the defaults), ``interval_excludes_zero``, ``flipped_by`` (names of the estimates
        whose low or high value gives the difference the other sign; empty when none does) and
        ``flips`` (for each of them: the difference at the low and at the high value).
        """
        d = self.differences
        rows = []
        for policy in self.spec.policies[1:]:
            for metric in pd.unique(d["metric"]):
                part = d[(d["policy"] == policy) & (d["metric"] == metric)]
                if part.empty or not (part["end"] == "default").any():
                    continue
                default = part[part["end"] == "default"].iloc[0]
                flips = []
                for name, ends in part[part["end"] != "default"].groupby("parameter", sort=False):
                    by_end = ends.set_index("end")
                    if any(_flips(default["difference"], by_end.loc[e, "difference"])
                           for e in by_end.index):
                        flips.append({"parameter": name, **{
                            f"{e}_{column}": float(by_end.loc[e, column])
                            for e in ("low", "high") if e in by_end.index
                            for column in ("value", "difference", "ci_low", "ci_high")}})
                low, high = default["ci_low"], default["ci_high"]
                rows.append({"policy": policy, "baseline": default["baseline"], "metric": metric,
                             "difference": default["difference"], "ci_low": low,
                             "ci_high": high, "interval_excludes_zero": bool(low > 0 or high < 0),
                             "flipped_by": [f["parameter"] for f in flips], "flips": flips})
        return pd.DataFrame(rows)

    def to_csv(self, path: str | Path) -> Path:
        """Write every paired difference (the long table) as CSV, the defaults first.

        Floats at six significant digits, with ``data_dictionary.csv`` next to the file saying
        what each column is (the library's one table writer).
        """
        path = Path(path)
        write_tables(path.parent, {path.stem: self.differences}, parquet=False)
        return path

    def markdown(self) -> str:
        """The table as Markdown, with a caption saying how it was made."""
        spec = self.spec
        level = f"{self.level:.0%}"
        caption = (f"{self.scenario_name or 'The scenario'}: {spec.replicates} paired replicates "
                   f"per policy and point"
                   + (f", {spec.weeks} weeks" if spec.weeks else "")
                   + f"; {len(spec.parameters)} estimates, each at its low and its high value "
                   "with the others at the scenario's values"
                   + ("; **at equal dose** (every policy given the same weekly minutes)"
                      if spec.equal_dose else "") + ".")
        lines = [caption, "",
                 f"| difference | outcome | at the defaults ({level} CI) | estimates whose range "
                 "flips its sign (difference at low / at high value) |",
                 "|---|---|---|---|"]
        for row in self.table().itertuples():
            label = METRICS[row.metric].label if row.metric in METRICS else row.metric
            num = _formatter([row.difference, row.ci_low, row.ci_high])
            at_default = f"{num(row.difference)} ({num(row.ci_low)} to {num(row.ci_high)})"
            if not row.interval_excludes_zero:
                at_default += ", interval includes 0"
            flips = "; ".join(
                f"`{f['parameter']}` ({num(f.get('low_difference'))} at "
                f"{_value(f.get('low_value'))} / {num(f.get('high_difference'))} at "
                f"{_value(f.get('high_value'))})" for f in row.flips) or "none"
            lines.append(f"| {row.policy} − {row.baseline} | {label} | {at_default} | {flips} |")
        lines += ["", "A flip is a paired difference of the other sign than at the defaults (at "
                  "either end of the estimate's range, the other estimates at their defaults). "
                  "Where the interval at the defaults includes 0 the sign itself is not settled, "
                  "and flips say little more than that."]
        return "\n".join(lines) + "\n"


def _flips(reference: float, value: float) -> bool:
    """True when `value` has the other sign than `reference` (a zero has no sign)."""
    return bool(np.isfinite(reference) and np.isfinite(value) and reference * value < 0)


def _formatter(values) -> Callable[[float | None], str]:
    """A number format with a sign, three significant digits for the largest of `values`.

    A whole row gets the same decimals, so its numbers can be read against each other.
    """
    finite = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    decimals = min(max(2 - math.floor(math.log10(max(finite))), 0), 8) if finite else 3

    def num(x: float | None) -> str:
        if x is None or not math.isfinite(x):
            return "–"
        return f"{x:+.{decimals}f}".replace("-", "−")

    return num


def _value(x) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{x:g}"


def paired_by_point(outcomes: pd.DataFrame, spec: SweepSpec, design: pd.DataFrame,
                    metrics: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Mean paired difference of each policy from the first, per point, with t-intervals.

    Args:
        outcomes: Outcomes of the one-at-a-time sweep (`SweepResults.outcomes`).
        spec: Its spec (the policies, the baseline first, and the varied parameters).
        design: Its design points (the ``design`` view), with each point's values.
        metrics: The outcomes to compare.
        level: Confidence level.

    Returns:
        The long table of `Robustness.differences`. Replicates with a failed run on either side
        are left out of that pair.
    """
    names = spec.parameter_names
    baseline, others = spec.policies[0], spec.policies[1:]
    design = design.set_index("point")
    by_run = outcomes.set_index(["point", "policy", "replicate"]).sort_index()
    points = sorted(int(p) for p in outcomes["point"].unique())
    rows = []
    for metric in metrics:
        for policy in others:
            for point in points:
                if point == 0:
                    parameter, end, value = "", "default", float("nan")
                else:
                    parameter = names[(point - 1) // 2]
                    end = "low" if point % 2 else "high"
                    value = float(design.loc[point, parameter])
                base = _series(by_run, point, baseline, metric)
                mine = _series(by_run, point, policy, metric)
                common = base.index.intersection(mine.index)
                diff = (mine.loc[common] - base.loc[common]).to_numpy(float)
                mean, low, high = mean_ci(diff, level)
                rows.append({"policy": policy, "baseline": baseline, "metric": metric,
                             "point": point, "parameter": parameter, "end": end, "value": value,
                             "difference": mean, "ci_low": low, "ci_high": high,
                             "replicates": int(np.isfinite(diff).sum())})
    return pd.DataFrame(rows)


def _series(by_run: pd.DataFrame, point: int, policy: str, metric: str) -> pd.Series:
    """One policy's outcome at one point, by replicate (empty when it has no runs there)."""
    try:
        return by_run.loc[(point, policy), metric]
    except KeyError:
        return pd.Series(dtype=float)


def run_robustness(scenario: str | Path, out: str | Path, *,
                   policies: Sequence[str] = HEADLINE_POLICIES,
                   outcomes: Sequence[str] = HEADLINE_OUTCOMES,
                   parameters: Sequence[str] | None = None, replicates: int = 6,
                   weeks: int | None = None, seed: int | None = None, equal_dose: bool = False,
                   workers: int | None = None, executor: Executor | None = None,
                   scenario_object: Any = None, run_fn: Callable[..., Any] | None = None,
                   registry: Mapping[str, Any] | None = None, level: float = 0.95,
                   progress: bool = True) -> Robustness:
    """Run (or resume) the one-at-a-time sweep and build the robustness table.

    Args:
        scenario: The scenario file.
        out: The sweep directory: runs are stored there, so the same call resumes.
        policies: The baseline first, then the policies compared with it.
        outcomes: The outcomes of the table.
        parameters: The parameters to vary (default: every estimate).
        replicates: Paired replicates per policy and point.
        weeks: Weeks per run (default: the scenario's).
        seed: Base seed of the replicates (default: the scenario's, as in ``compare``).
        equal_dose: Compare the policies at equal dose.
        workers: Local worker processes (default: the CPU count).
        executor: An executor to run on instead (see `inclusion_sim.experiments.run_sweep`).
        scenario_object: The loaded scenario, when already at hand (or a stand-in for tests).
        run_fn: The function that runs one simulation (default: `inclusion_sim.run`).
        registry: The parameter registry (default: `inclusion_sim.base.params.PARAMETERS`).
        level: Confidence level of the intervals.
        progress: Show a progress bar.
    """
    if scenario_object is None:
        from inclusion_sim.scenario.files import load_scenario

        scenario_object = load_scenario(scenario)
    if seed is None:
        seed = int(getattr(scenario_object, "seed", 0))
    spec = robustness_spec(scenario, policies=policies, parameters=parameters,
                           replicates=replicates, weeks=weeks, seed=seed, equal_dose=equal_dose,
                           outcomes=outcomes, registry=registry)
    summary = run_sweep(spec, out, workers=workers, executor=executor, scenario=scenario_object,
                        run_fn=run_fn, progress=progress)
    if not summary.complete:
        raise RuntimeError(f"the robustness sweep is incomplete ({summary}); run it again to "
                           "finish")
    with open_results(out) as results:
        table = results.outcomes()
        design = results.sql("SELECT * FROM design ORDER BY point")
    differences = paired_by_point(table, spec, design, list(outcomes), level)
    return Robustness(differences, spec, str(getattr(scenario_object, "name", "")), level)


def update_document(path: str | Path, markdown: str, *, equal_dose: bool = False) -> Path:
    """Put `markdown` between the robustness markers of a Markdown document.

    Args:
        path: The document.
        markdown: The table (`Robustness.markdown`).
        equal_dose: Write the block of the table at equal dose (see `markers`).

    Raises:
        InputError: The document has no such markers.
    """
    path = Path(path)
    begin, end = markers(equal_dose)
    text = path.read_text(encoding="utf-8")
    try:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
    except ValueError:
        raise InputError(Problem(str(path), "file", f"the markers {begin} and {end}",
                                 "no such markers")) from None
    path.write_text(f"{head}{begin}\n{markdown}{end}{tail}", encoding="utf-8")
    return path
