"""ABC-SMC fit of estimate parameters against the reference patterns (optional: pyABC).

The accepted-set calibration (`inclusion_sim.analysis.calibration`) scores the points of a
space-filling sweep and keeps those that reproduce every pattern. Approximate Bayesian
computation with sequential Monte Carlo (ABC-SMC; Toni et al. 2009, here pyABC, Schälte et al.
2022) answers the same question by sampling instead: it starts from the parameters' plausible
ranges (uniform priors), keeps the parameter sets whose runs fail at most ε patterns, perturbs
them, and lowers ε population by population until every kept set reproduces every pattern. The
result is a weighted sample of that region (the ABC posterior), denser where the accepted sets
are, at the price of runs that cannot be shared with a sweep.

The distance is the number of scored patterns a parameter set fails (the patterns are orderings
and bounds, so there is no tuned number to be near): ε = 0 is "reproduces them all", the same
acceptance as the accepted-set method.

Runs are serial and seeded: the same seed gives the same posterior. The history pyABC keeps
(SQLite) is written to a temporary file unless a path is given.
"""

from __future__ import annotations

import logging
import math
import random
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inclusion_sim.analysis.calibration import REFERENCE_PATTERNS, Pattern
from inclusion_sim.base.errors import InputError, Problem

#: A simulator: parameter values -> a table of outcomes, one row per policy (index), one column
#: per outcome, as the patterns' checks read it.
Simulator = Callable[[Mapping[str, float]], pd.DataFrame]


def _pyabc():
    try:
        import pyabc
    except ImportError as err:
        raise InputError(Problem(__name__, "optional dependency 'pyabc'",
                                 'pyABC (pip install "inclusion-sim[abc]")',
                                 "not installed")) from err
    for name in ("ABC", "pyabc", "Epsilon", "History", "Sampler", "Distance", "Acceptor",
                 "Transition", "Adaptation", "Redis-Worker"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return pyabc


def failed_patterns(table: pd.DataFrame, patterns: Sequence[Pattern]) -> tuple[int, list[str]]:
    """How many of the patterns that can be scored on `table` it fails, and which were scored.

    A pattern is scored when its check exists and the table has its policies and outcomes.
    """
    scored = [p for p in patterns if p.check is not None and set(p.policies) <= set(table.index)
              and set(p.outcomes) <= set(table.columns)]
    return sum(not p.check(table) for p in scored), [p.code for p in scored]


@dataclass
class AbcFit:
    """The result of `abc_fit`.

    Attributes:
        posterior: The last population: one row per parameter set, its values and ``weight``
            (weights sum to 1).
        populations: One row per population: ``t``, ``epsilon`` (most patterns a kept set may
            fail), ``particles`` and ``evaluations`` (runs of the simulator it took).
        scored: Codes of the patterns the distance counts.
        ranges: The priors: parameter -> (low, high), uniform.
        provenance: Seed, population size, the ε schedule, pyABC's version.
    """

    posterior: pd.DataFrame
    populations: pd.DataFrame
    scored: list[str]
    ranges: dict[str, tuple[float, float]]
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def evaluations(self) -> int:
        """Simulator runs in all populations."""
        return int(self.populations["evaluations"].sum())

    def quantiles(self, q: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Weighted quantiles of each parameter in the posterior, next to its prior range."""
        weights = self.posterior["weight"].to_numpy(float)
        rows = []
        for name, (low, high) in self.ranges.items():
            values = self.posterior[name].to_numpy(float)
            order = np.argsort(values)
            cumulative = np.cumsum(weights[order]) - 0.5 * weights[order]
            row = {"parameter": name, "prior_low": low, "prior_high": high}
            for level in q:
                row[f"q{round(100 * level)}"] = float(np.interp(level, cumulative,
                                                               values[order]))
            rows.append(row)
        return pd.DataFrame(rows)

    def sentences(self) -> list[str]:
        """The fit in plain words: the schedule, the runs it took, where the posterior lies."""
        from inclusion_sim.analysis.discovery import dimension_label, number_text

        last = self.populations.iloc[-1]
        codes = ", ".join(self.scored)
        epsilon = float(last["epsilon"])
        kept = (f"every parameter set kept reproduces {codes}" if epsilon == 0 else
                f"a parameter set kept fails at most {number_text(epsilon)} of {codes}")
        lines = [f"ABC-SMC: {len(self.populations)} populations of {int(last['particles'])} "
                 f"parameter sets, {self.evaluations} runs of the simulator; in the last, "
                 f"{kept}."]
        for row in self.quantiles().itertuples():
            width = (row.q90 - row.q10) / (row.prior_high - row.prior_low)
            lines.append(f"{dimension_label(row.parameter)}: median {number_text(row.q50)}, "
                         f"10-90% {number_text(row.q10)} to {number_text(row.q90)} (prior "
                         f"{number_text(row.prior_low)} to {number_text(row.prior_high)}; "
                         f"{100 * width:.0f}% of its width).")
        return lines


def abc_fit(simulate: Simulator, ranges: Mapping[str, tuple[float, float]],
            patterns: Sequence[Pattern] = REFERENCE_PATTERNS, population_size: int = 50,
            epsilons: Sequence[float] | None = None, seed: int = 0,
            db: str | Path | None = None) -> AbcFit:
    """Fit parameter ranges to the patterns by ABC-SMC (serial, seeded).

    Args:
        simulate: Parameter values -> outcomes table (`model_simulator` for the model).
        ranges: Parameter -> (low, high): uniform priors, e.g. the plausible ranges of
            `inclusion_sim.PARAMETERS`.
        patterns: The patterns; the distance is how many of them a run fails.
        population_size: Parameter sets kept per population.
        epsilons: The most patterns a kept set may fail, population by population; default:
            one fewer each time, down to 0.
        seed: Seeds pyABC's sampling and perturbation (numpy's and Python's global generators,
            which pyABC uses).
        db: Where pyABC keeps its history (SQLite file); default a temporary file.

    Raises:
        InputError: pyABC missing, an empty or inverted range, no pattern the simulator's
            table can score, or an ε schedule that does not end at 0 or rises.
    """
    pyabc = _pyabc()
    problems = []
    if not ranges:
        problems.append(Problem("abc_fit", "ranges", "at least one parameter range", "none"))
    for name, (low, high) in ranges.items():
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            problems.append(Problem("abc_fit", f"ranges[{name!r}]", "low < high, both finite",
                                    f"({low}, {high})"))
    if epsilons is not None and (not epsilons or list(epsilons) != sorted(epsilons, reverse=True)
                                 or epsilons[-1] < 0):
        problems.append(Problem("abc_fit", "epsilons", "a non-increasing list ending at 0 or "
                                "above", repr(list(epsilons))))
    if problems:
        raise InputError(problems)
    names = list(ranges)
    np.random.seed(seed)
    random.seed(seed)
    probe = simulate({n: 0.5 * (lo + hi) for n, (lo, hi) in ranges.items()})
    _, scored = failed_patterns(probe, patterns)
    if not scored:
        raise InputError(Problem("abc_fit", "patterns", "a pattern the simulator's table can "
                                 "score (its policies and outcomes)",
                                 f"policies {', '.join(map(str, probe.index))}; none scored"))
    kept = [p for p in patterns if p.code in scored]
    schedule = list(epsilons) if epsilons is not None else list(range(len(kept) - 1, -1, -1))

    def model(parameters):
        failed, _ = failed_patterns(simulate({n: float(parameters[n]) for n in names}), kept)
        return {"failed": float(failed)}

    def distance(x, _observed):
        return x["failed"]

    prior = pyabc.Distribution(**{n: pyabc.RV("uniform", lo, hi - lo)
                                  for n, (lo, hi) in ranges.items()})
    abc = pyabc.ABCSMC(model, prior, distance, population_size=population_size,
                       sampler=pyabc.sampler.SingleCoreSampler(),
                       eps=pyabc.epsilon.ListEpsilon(schedule))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(db) if db is not None else Path(tmp) / "abc.db"
        np.random.seed(seed)
        random.seed(seed)
        abc.new(f"sqlite:///{path}", {"failed": 0.0})
        history = abc.run(max_nr_populations=len(schedule))
        frame, weights = history.get_distribution(m=0, t=history.max_t)
        counts = history.get_all_populations()
    posterior = frame.reset_index(drop=True)[names].astype(float)
    posterior["weight"] = np.asarray(weights, dtype=float) / float(np.sum(weights))
    counts = counts[counts["t"] >= 0].reset_index(drop=True)
    populations = pd.DataFrame({"t": counts["t"].astype(int), "epsilon": counts["epsilon"],
                                "particles": counts["particles"].astype(int),
                                "evaluations": counts["samples"].astype(int)})
    return AbcFit(posterior, populations, scored, {n: (float(lo), float(hi))
                                                   for n, (lo, hi) in ranges.items()},
                  {"seed": seed, "population_size": population_size, "epsilons": schedule,
                   "patterns": {p.code: p.statement for p in kept},
                   "pyabc": getattr(pyabc, "__version__", "")})


def model_simulator(scenario, policies: Sequence[str], seed: int | None = None,
                    weeks: int | None = None, scheduling: str | None = None) -> Simulator:
    """A simulator of the model: each policy run once on the same seed, summaries as a table.

    Args:
        scenario: A loaded scenario (`inclusion_sim.load_scenario`).
        policies: The policies the patterns compare (F1-F6 need pull_out, push_in,
            push_in_collaborative; F6 reads all of them).
        seed: The replicate seed shared by the policies (default: the scenario's).
        weeks: Weeks to run (default: the scenario's).
        scheduling: ``optimal`` or ``greedy`` (default: the scenario's). Only model parameters
            can be fitted: a staffing level or school size would change the school and its
            timetable at every parameter set.
    """
    from inclusion_sim.model.run import run

    def simulate(parameters: Mapping[str, float]) -> pd.DataFrame:
        rows = {policy: run(scenario, seed=seed, policy=policy, parameters=dict(parameters),
                            weeks=weeks, scheduling=scheduling).outcomes()
                for policy in policies}
        return pd.DataFrame.from_dict(rows, orient="index")

    return simulate


__all__ = ["AbcFit", "abc_fit", "failed_patterns", "model_simulator"]
