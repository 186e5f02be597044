"""Sweep specifications: a TOML file that says which runs a study needs.

A spec names a base scenario, the policies to compare, the parameters to vary and how (the
design), and the number of replicates. It is parsed into a frozen `SweepSpec` at the door so
that a typo in a key or an out-of-range value stops the sweep before any run starts, with the
same located messages scenario files give (file, key, expected, found, nearest valid name).

Example::

    [sweep]
    name = "stigma and transfer"
    scenario = "../small_elementary.toml"   # relative to this file
    policies = ["pull_out", "push_in_collaborative"]
    replicates = 10
    seed = 2024
    equal_dose = false        # true: every policy gets the same weekly minutes (see below)
    roster_seed = 3           # optional: every replicate runs the roster of seed 3 (see below)
    # schools = 5             # or: the replicates take turns on 5 schools (see below)

    [design]
    method = "sobol"          # grid | lhs | sobol | morris | oat
    samples = 16

    [parameters]
    stigma_per_removal = { low = 0.0, high = 0.01 }
    adoption_collaborative = {}   # the parameter's own plausible range

    [fixed]
    peer_modeling_rate = 0.02

Besides model parameters, ``[parameters]`` and ``[fixed]`` accept the scenario numbers in
`inclusion_sim.experiments.knobs` (quoted, e.g. ``"school.class_size" = [18, 25]``).

``equal_dose = true`` runs every run at equal dose: each student's weekly minutes of each service
are cut to the least any of the sweep's policies schedules (`inclusion_sim.delivery.equal_dose`),
so paired differences show what the settings do at the same dose. To have both answers in one
sweep, vary the ``equal_dose`` knob instead (``equal_dose = [0, 1]`` under ``[parameters]``).

The ``oat`` design (one at a time) is the scenario's own values, then each varied parameter at
its low and at its high value with every other at the scenario's value: ``1 + 2 x parameters``
points, the design of a robustness table (`inclusion_sim.analysis.robustness`).

By default each replicate generates its own school, so a sweep samples schools as well as school
years, and the optimizer solves a week for every replicate. ``roster_seed`` runs every replicate on
one school. ``schools = K`` sits between the two: replicate *k* runs on the school of replicate
``k mod K``, so the runs still span K schools but only K weeks per policy are solved, and each
school is seen in several years. With ``schools`` equal to ``replicates`` the sweep is the default.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.experiments.knobs import EQUAL_DOSE_KNOB, SCENARIO_KNOBS

DESIGN_METHODS = ("grid", "lhs", "sobol", "morris", "oat")
SECTIONS = ("sweep", "design", "parameters", "fixed")
SWEEP_KEYS = ("name", "scenario", "policies", "replicates", "seed", "weeks", "outcomes",
              "chunk_size", "equal_dose", "roster_seed", "schools")
DESIGN_KEYS = ("method", "samples", "levels", "second_order", "seed")
PARAM_KEYS = ("values", "low", "high", "steps")
MAX_RUNS = 10_000_000


@dataclass(frozen=True)
class ParameterRange:
    """How one model parameter varies in a sweep.

    Attributes:
        name: A name from `inclusion_sim.PARAMETERS`.
        low: Lower bound of the range (for sampled designs and `steps` grids).
        high: Upper bound of the range.
        values: Explicit values for a grid; empty for ranges.
        steps: Number of evenly spaced values between `low` and `high`: a grid takes them
            all; a Latin hypercube gives each about the same share of its points.
        integer: Whether the parameter takes whole numbers, so sampled values are rounded.
    """

    name: str
    low: float
    high: float
    values: tuple[float, ...] = ()
    steps: int | None = None
    integer: bool = False

    def grid(self, levels: int) -> list[float]:
        """The values a grid design takes: the explicit ones, else evenly spaced ones."""
        if self.values:
            return list(self.values)
        steps = self.steps or levels
        if steps == 1 or self.low == self.high:
            return [self.low]
        return [float(v) for v in np.linspace(self.low, self.high, steps)]


@dataclass(frozen=True)
class Design:
    """The sampling design and its size.

    Attributes:
        method: One of `DESIGN_METHODS`.
        samples: Number of points (lhs), base sample N (sobol) or trajectories (morris); not
            used by grid and oat designs.
        levels: Grid levels for ranges without `steps`, or Morris levels.
        second_order: Whether a Sobol design also estimates second-order indices.
        seed: Seed of the sampler, so the same spec always gives the same points.
    """

    method: str = "grid"
    samples: int = 0
    levels: int = 4
    second_order: bool = False
    seed: int = 0


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: everything needed to list its runs.

    Attributes:
        source: Where the spec came from, used in messages.
        name: A human label for reports.
        scenario: Path of the base scenario file.
        policies: Policy preset names to compare; the first is the reference in paired
            differences.
        replicates: Replicates per policy and point; replicate k uses the same seed everywhere.
        seed: Base seed from which replicate seeds are derived.
        design: The sampling design.
        parameters: The varied parameters, in spec order.
        fixed: Parameter values applied to every run.
        weeks: Weeks to simulate, or None for the scenario's own length.
        outcomes: Outcomes the report focuses on; empty means all.
        chunk_size: Runs per worker task, or None to choose automatically.
        equal_dose: Run every run at equal dose: each student's weekly minutes of each service
            cut to the least any of `policies` schedules.
        roster_seed: When set, every run uses the school generated from this seed's roster
            stream (the scenario's ``[school] roster_seed``), so replicates share one school
            and its optimized week and differ only in the year's random events. None: each
            replicate seed generates its own school (the default).
        schools: When set (K), replicate k runs on the school replicate ``k mod K`` generates
            (the students, classes and mandates drawn from that replicate's seed), with the
            rest of its year drawn from its own seed: K schools, each seen in
            ``replicates / K`` years, and K solved weeks per policy and point instead of one
            per replicate. None: each replicate its own school (the same as K = replicates).
    """

    source: str
    name: str
    scenario: Path | None
    policies: tuple[str, ...]
    replicates: int
    seed: int
    design: Design = field(default_factory=Design)
    parameters: tuple[ParameterRange, ...] = ()
    fixed: Mapping[str, float] = field(default_factory=dict)
    weeks: int | None = None
    outcomes: tuple[str, ...] = ()
    chunk_size: int | None = None
    equal_dose: bool = False
    roster_seed: int | None = None
    schools: int | None = None

    @property
    def parameter_names(self) -> list[str]:
        """Names of the varied parameters in design column order."""
        return [p.name for p in self.parameters]

    def point_count(self) -> int:
        """Number of parameter points, without building them (bounds a spec's size)."""
        d = len(self.parameters)
        method, n = self.design.method, self.design.samples
        if d == 0:
            return 1
        if method == "grid":
            return math.prod(len(p.grid(self.design.levels)) for p in self.parameters)
        if method == "lhs":
            return n
        if method == "sobol":
            return n * (2 * d + 2 if self.design.second_order else d + 2)
        if method == "oat":
            return 1 + 2 * d
        return n * (d + 1)

    def plan_hash(self, scenario_hash: str = "") -> str:
        """Digest of everything that decides what each run id means.

        The replicate count is left out on purpose: adding replicates to a finished sweep keeps
        the existing run ids and seeds valid, so extending a study is a resume, not a new sweep.
        """
        plan = {
            "scenario": scenario_hash,
            "policies": list(self.policies),
            "seed": self.seed,
            "design": self.design.__dict__,
            "parameters": [p.__dict__ for p in self.parameters],
            "fixed": dict(sorted(self.fixed.items())),
            "weeks": self.weeks,
        }
        if self.equal_dose:  # only when on, so the plans of existing sweeps keep their hash
            plan["equal_dose"] = True
        if self.schools is not None:  # likewise
            plan["schools"] = self.schools
        text = json.dumps(plan, sort_keys=True, default=list)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy, stored next to the results for provenance."""
        return {
            "source": self.source,
            "name": self.name,
            "scenario": str(self.scenario) if self.scenario else None,
            "policies": list(self.policies),
            "replicates": self.replicates,
            "seed": self.seed,
            "design": dict(self.design.__dict__),
            "parameters": [dict(p.__dict__, values=list(p.values)) for p in self.parameters],
            "fixed": dict(self.fixed),
            "weeks": self.weeks,
            "outcomes": list(self.outcomes),
            "chunk_size": self.chunk_size,
            "equal_dose": self.equal_dose,
            "roster_seed": self.roster_seed,
            "schools": self.schools,
        }


def load_spec(
    path: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    policies: Mapping[str, Any] | None = None,
    check_scenario: bool = True,
) -> SweepSpec:
    """Read and validate a sweep spec file.

    Args:
        path: The TOML file.
        parameters: The parameter registry to validate names and ranges against; defaults to
            `inclusion_sim.PARAMETERS`.
        policies: Valid policy names; defaults to `inclusion_sim.POLICY_PRESETS`.
        check_scenario: Whether the scenario file must exist.

    Returns:
        The validated spec.

    Raises:
        InputError: With every problem found, each located by key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(Problem(str(path), "file", "a readable UTF-8 TOML file",
                                 type(err).__name__ + ": " + str(err))) from None
    return parse_spec(text, source=str(path), base_dir=path.parent, parameters=parameters,
                      policies=policies, check_scenario=check_scenario)


def parse_spec(
    text: str,
    *,
    source: str = "<spec>",
    base_dir: str | Path = ".",
    parameters: Mapping[str, Any] | None = None,
    policies: Mapping[str, Any] | None = None,
    check_scenario: bool = True,
) -> SweepSpec:
    """Validate spec text; see `load_spec`. Useful for specs built in a notebook cell."""
    if parameters is None or policies is None:
        from inclusion_sim.base.params import PARAMETERS
        from inclusion_sim.delivery.policies import POLICY_PRESETS

        parameters = PARAMETERS if parameters is None else parameters
        policies = POLICY_PRESETS if policies is None else policies
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where, found = _toml_location(str(err))
        raise InputError(Problem(source, where, "valid TOML", found)) from None
    return _Parser(source, Path(base_dir), parameters, policies, check_scenario).parse(data)


def _toml_location(message: str) -> tuple[str, str]:
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        detail = message[: match.start()].strip()
        return f"line {match.group(1)}, column {match.group(2)}", detail
    return "file", message


class _Parser:
    """Collects every problem in one pass so a user fixes a spec in one go."""

    def __init__(self, source, base_dir, registry, policies, check_scenario):
        self.source = source
        self.base_dir = base_dir
        self.registry = registry
        self.policy_names = list(policies)
        self.check_scenario = check_scenario
        self.problems: list[Problem] = []

    def problem(self, where, expected, found, hint=""):
        self.problems.append(Problem(self.source, _locate(where), expected, found, hint))

    def parse(self, data: dict) -> SweepSpec:
        self.unknown_keys(data, SECTIONS, "")
        sweep = self.table(data, "sweep", required=True)
        design_table = self.table(data, "design")
        params_table = self.table(data, "parameters")
        fixed_table = self.table(data, "fixed")
        self.unknown_keys(sweep, SWEEP_KEYS, "sweep.")
        self.unknown_keys(design_table, DESIGN_KEYS, "design.")

        name = self.string(sweep, "sweep.name", default=Path(self.source).stem)
        scenario = self.scenario_path(sweep)
        policies = self.policies(sweep)
        replicates = self.integer(sweep, "sweep.replicates", default=1, low=1, high=100_000)
        seed = self.integer(sweep, "sweep.seed", default=0, low=0, high=2**63 - 1)
        weeks = self.integer(sweep, "sweep.weeks", default=None, low=1, high=520)
        chunk_size = self.integer(sweep, "sweep.chunk_size", default=None, low=1, high=100_000)
        outcomes = self.string_list(sweep, "sweep.outcomes")
        equal_dose = self.boolean(sweep, "sweep.equal_dose")
        roster_seed = self.integer(sweep, "sweep.roster_seed", default=None, low=0,
                                   high=2**63 - 1)
        schools = self.schools(sweep, replicates, roster_seed)
        design = self.design(design_table, seed)
        ranges = self.ranges(params_table, design)
        self.sobol_samples(design, len(ranges), len(policies), replicates)
        fixed = self.fixed(fixed_table, {r.name for r in ranges})
        self.check_equal_dose(equal_dose, policies, {r.name for r in ranges} | set(fixed))
        spec = SweepSpec(
            source=self.source, name=name, scenario=scenario, policies=tuple(policies),
            replicates=replicates, seed=seed, design=design, parameters=tuple(ranges),
            fixed=fixed, weeks=weeks, outcomes=tuple(outcomes), chunk_size=chunk_size,
            equal_dose=equal_dose, roster_seed=roster_seed, schools=schools,
        )
        if not self.problems:
            self.check_size(spec)
        if self.problems:
            raise InputError(self.problems)
        return spec

    def unknown_keys(self, table: Any, allowed, prefix: str) -> None:
        if not isinstance(table, dict):
            return
        for key in table:
            if key not in allowed:
                self.problem(f"{prefix}{key}", "one of " + ", ".join(allowed), f"'{key}'",
                             nearest(key, allowed))

    def table(self, data: dict, key: str, required: bool = False) -> dict:
        if key not in data:
            if required:
                self.problem(f"[{key}]", f"a [{key}] table", "nothing")
            return {}
        value = data[key]
        if not isinstance(value, dict):
            self.problem(key, "a table", _describe(value))
            return {}
        return value

    def string(self, table, key, default):
        value = table.get(key.split(".")[-1], default)
        if not isinstance(value, str):
            self.problem(key, "a string", _describe(value))
            return default
        return value

    def string_list(self, table, key) -> list[str]:
        value = table.get(key.split(".")[-1], [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, "a list of strings", _describe(value))
            return []
        return value

    def boolean(self, table, key) -> bool:
        value = table.get(key.split(".")[-1], False)
        if not isinstance(value, bool):
            self.problem(key, "true or false", _describe(value))
            return False
        return value

    def check_equal_dose(self, flag: bool, policies: list[str], swept: set[str]) -> None:
        if flag and EQUAL_DOSE_KNOB in swept:
            self.problem("sweep.equal_dose", f"either [sweep] {EQUAL_DOSE_KNOB} = true or the "
                         f"'{EQUAL_DOSE_KNOB}' knob, not both", "both")
        if (flag or EQUAL_DOSE_KNOB in swept) and len(set(policies)) < 2:
            self.problem("sweep.policies", "two or more policies to give the same dose "
                         "(equal_dose)", str(policies))

    def schools(self, sweep: dict, replicates: int, roster_seed: int | None) -> int | None:
        schools = self.integer(sweep, "sweep.schools", default=None, low=1, high=100_000)
        if schools is None:
            return None
        if roster_seed is not None:
            self.problem("sweep.schools", "either roster_seed (every replicate on one school) or "
                         "schools (replicates taking turns on several), not both",
                         f"roster_seed = {roster_seed} and schools = {schools}")
            return None
        if schools > replicates:
            self.problem("sweep.schools", f"at most the number of replicates ({replicates}): "
                         "each school needs a replicate to generate it", repr(schools))
            return None
        return schools

    def integer(self, table, key, default, low, high):
        short = key.split(".")[-1]
        if short not in table:
            return default
        value = table[short]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, "a whole number", _describe(value))
            return default
        if not low <= value <= high:
            self.problem(key, f"a whole number from {low} to {high}", repr(value))
            return default
        return value

    def number(self, value, key) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, "a number", _describe(value))
            return None
        if not math.isfinite(value):
            self.problem(key, "a finite number", repr(value))
            return None
        return float(value)

    def scenario_path(self, sweep) -> Path | None:
        if "scenario" not in sweep:
            self.problem("sweep.scenario", "the path of a scenario file", "nothing")
            return None
        value = sweep["scenario"]
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            self.problem("sweep.scenario", "the path of a scenario file", _describe(value))
            return None
        path = Path(value)
        if not path.is_absolute():
            path = self.base_dir / path
        if self.check_scenario and not path.is_file():
            self.problem("sweep.scenario", "an existing scenario file (relative to the spec)",
                         f"'{value}' (no such file)")
        return path

    def policies(self, sweep) -> list[str]:
        value = sweep.get("policies")
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.problem("sweep.policies", "a non-empty list of policy names, e.g. "
                         + str(self.policy_names[:2]), _describe(value))
            return []
        for index, name in enumerate(value):
            if name not in self.policy_names:
                self.problem(f"sweep.policies[{index}]",
                             "one of " + ", ".join(self.policy_names), f"'{name}'",
                             nearest(name, self.policy_names))
        if len(set(value)) != len(value):
            self.problem("sweep.policies", "each policy once", str(value))
        return value

    def design(self, table, seed) -> Design:
        method = table.get("method", "grid")
        if method not in DESIGN_METHODS:
            self.problem("design.method", "one of " + ", ".join(DESIGN_METHODS),
                         _describe(method), nearest(str(method), DESIGN_METHODS))
            method = "grid"
        needs_samples = method in ("lhs", "sobol", "morris")
        samples = self.integer(table, "design.samples", default=0, low=1, high=1_000_000)
        if needs_samples and "samples" not in table:
            self.problem("design.samples", f"the number of samples for a {method} design",
                         "nothing")
        levels = self.integer(table, "design.levels", default=4 if method == "morris" else 3,
                              low=2, high=1000)
        if method == "morris" and levels % 2:
            self.problem("design.levels", "an even number of Morris levels", repr(levels))
        second_order = table.get("second_order", False)
        if not isinstance(second_order, bool):
            self.problem("design.second_order", "true or false", _describe(second_order))
            second_order = False
        design_seed = self.integer(table, "design.seed", default=seed % 2**32, low=0,
                                   high=2**32 - 1)
        return Design(method, samples, levels, second_order, design_seed)

    def sobol_samples(self, design: Design, parameters: int, policies: int,
                      replicates: int) -> None:
        """Refuse a Sobol base sample that is not a power of two, and say what each costs.

        Sobol' points are balanced only in blocks of 2^n; any other base sample gives biased,
        noisier indices (first-order indices above 1 are typical) while SALib merely warns.
        The spec is refused rather than silently rounded, because the size decides how many
        runs the study costs.
        """
        n = design.samples
        if design.method != "sobol" or n < 1 or n & (n - 1) == 0:
            return
        lower, upper = 1 << (n.bit_length() - 1), 1 << n.bit_length()
        factor = (2 * parameters + 2) if design.second_order else (parameters + 2)
        runs = ", ".join(
            f"samples = {size} gives {size * factor:,} points x {policies} policies x "
            f"{replicates} replicates = {size * factor * policies * replicates:,} runs"
            for size in (lower, upper))
        self.problem("design.samples", "a power of two for a sobol design, such as 8, 16 or 32 "
                     "(Sobol' points are balanced only in blocks of 2^n)", repr(n), runs)

    def registry_param(self, name: str, where: str):
        if name in SCENARIO_KNOBS:
            return SCENARIO_KNOBS[name]
        if name not in self.registry:
            self.problem(where, "a model parameter name (or one of "
                         + ", ".join(SCENARIO_KNOBS) + ")", f"'{name}'",
                         nearest(name, [*self.registry, *SCENARIO_KNOBS]))
            return None
        return self.registry[name]

    def check_value(self, value, param, key) -> float | None:
        number = self.number(value, key)
        if number is None or param is None:
            return number
        low, high = float(param.low), float(param.high)
        if not low <= number <= high:
            self.problem(key, f"a value from {low:g} to {high:g} (its plausible range)",
                         f"{number:g}")
            return None
        return number

    def ranges(self, table, design: Design) -> list[ParameterRange]:
        ranges = []
        for name, value in table.items():
            where = f"parameters.{name}"
            param = self.registry_param(name, where)
            if isinstance(value, list):
                value = {"values": value}
            if not isinstance(value, dict):
                self.problem(where, "a list of values or a table with low/high/values/steps",
                             _describe(value))
                continue
            self.unknown_keys(value, PARAM_KEYS, where + ".")
            if param is None:
                continue
            integer = isinstance(param.default, int) and not isinstance(param.default, bool)
            values = self.values(value, param, where, design)
            low = self.check_value(value.get("low", param.low), param, where + ".low")
            high = self.check_value(value.get("high", param.high), param, where + ".high")
            if low is None or high is None:
                continue
            if low > high:
                self.problem(where, "low <= high", f"low={low:g}, high={high:g}")
                continue
            if design.method != "grid" and low == high:
                self.problem(where, "a range with low < high", f"low = high = {low:g}")
                continue
            steps = self.integer(value, where + ".steps", default=None, low=1, high=10_000)
            if steps is not None and design.method not in ("grid", "lhs"):
                self.problem(where + ".steps", f"no steps (a {design.method} design samples the "
                             "whole range; steps are for grid and lhs designs)", f"{steps}")
                continue
            if values is None:
                continue
            ranges.append(ParameterRange(name, low, high, values, steps, integer))
        return ranges

    def values(self, value, param, where, design) -> tuple[float, ...] | None:
        if "values" not in value:
            return ()
        raw = value["values"]
        if design.method != "grid":
            self.problem(where + ".values", f"low/high (a {design.method} design samples "
                         "a range)", "a list of values")
            return None
        if not isinstance(raw, list) or not raw:
            self.problem(where + ".values", "a non-empty list of numbers", _describe(raw))
            return None
        checked = [self.check_value(v, param, f"{where}.values[{i}]") for i, v in enumerate(raw)]
        if any(v is None for v in checked):
            return None
        return tuple(checked)

    def fixed(self, table, varied: set[str]) -> dict[str, float]:
        fixed = {}
        for name, value in table.items():
            where = f"fixed.{name}"
            param = self.registry_param(name, where)
            if name in varied:
                self.problem(where, "a parameter that is not also varied", f"'{name}' in both "
                             "[parameters] and [fixed]")
                continue
            number = self.check_value(value, param, where)
            if number is not None and param is not None:
                fixed[name] = number
        return fixed

    def check_size(self, spec: SweepSpec) -> None:
        total = spec.point_count() * len(spec.policies) * spec.replicates
        if total > MAX_RUNS:
            self.problem("[design]", f"at most {MAX_RUNS:,} runs", f"{total:,} runs")


def _locate(dotted: str) -> str:
    """Say where a key is the way scenario files do: ``[section] key 'name'``."""
    if dotted.startswith(("line ", "[")) or dotted == "file":
        return dotted
    section, _, rest = dotted.partition(".")
    return f"[{section}] key '{rest}'" if rest else f"key '{section}'"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"
