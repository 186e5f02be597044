"""How many weekly timetables a sweep has the optimizer solve, counted before it starts.

A run's week is solved once per school, policy and scheduling setting and then read from the
sweep's schedule cache (`inclusion_sim.delivery.schedulers`). What makes a sweep slow with the
optimizer is therefore not its number of runs but its number of distinct schools: by default
every replicate seed generates its own students, hence its own school and its own weeks, and a
week costs more than a simulated year. Saying the count before the sweep starts lets a
researcher see the cost of a design, and choose ``roster_seed`` where between-school variation
is not the question, or ``schools`` to sample fewer schools in more years (``docs/sweeps.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from inclusion_sim.delivery.schedulers import SCHEDULING_PARAMETERS
from inclusion_sim.experiments.designs import design_matrix, iter_runs
from inclusion_sim.experiments.knobs import DISRUPTIONS_KNOB, EQUAL_DOSE_KNOB, split_values
from inclusion_sim.experiments.spec import SweepSpec

#: Knobs that leave the school, hence its weeks, as they are.
_NOT_SCHOOL = (EQUAL_DOSE_KNOB, DISRUPTIONS_KNOB)


@dataclass(frozen=True)
class SolvePlan:
    """The weekly timetables a sweep needs.

    Attributes:
        runs: Runs in the sweep.
        schools: Distinct schools (students, staff and timetable) the runs use.
        weeks: Weeks the optimizer solves, at most: one per school, policy and setting of the
            scheduling parameters. 0 with the greedy scheduler, which builds every run's week
            itself (fast, never cached).
        scheduler: ``optimal`` or ``greedy`` (the scenario's ``[scheduling]``).
        school_per_replicate: Every replicate seed generates its own school (a generated school
            without a fixed ``roster_seed``, and no fewer ``schools`` than replicates).
    """

    runs: int
    schools: int
    weeks: int
    scheduler: str
    school_per_replicate: bool


def solve_plan(spec: SweepSpec, scenario: Any, matrix: np.ndarray | None = None) -> SolvePlan:
    """Count the schools and weeks of a sweep without building any of them.

    Two runs share a school when they share its seed (or the school does not depend on the
    seed: a fixed roster, or a school read from CSV files) and every knob that changes the
    school (`inclusion_sim.experiments.knobs`); they share a week when they also share the
    policy and the scheduling parameters (`SCHEDULING_PARAMETERS`). Knob values that happen to
    give the same school as another are counted apart, so `weeks` is an upper bound.

    Args:
        spec: The sweep.
        scenario: Its base scenario.
        matrix: The design matrix, if already computed.
    """
    school_spec = getattr(getattr(scenario, "spec", None), "school", None)
    fixed_school = spec.roster_seed is not None or \
        getattr(school_spec, "data", None) is not None or \
        getattr(school_spec, "roster_seed", None) is not None
    scheduling = getattr(scenario, "scheduling", None)
    scheduler = scheduling().scheduler if callable(scheduling) else "optimal"
    schools, weeks, runs = set(), set(), 0
    for run in iter_runs(spec, design_matrix(spec) if matrix is None else matrix):
        runs += 1
        knobs, parameters = split_values({**spec.fixed, **run.parameters})
        seed = run.seed if run.school_seed is None else run.school_seed
        school = (None if fixed_school else seed,
                  tuple(sorted((k, v) for k, v in knobs.items() if k not in _NOT_SCHOOL)))
        setting = tuple((n, parameters[n]) for n in SCHEDULING_PARAMETERS if n in parameters)
        schools.add(school)
        weeks.add((school, setting, run.policy))
    return SolvePlan(runs=runs, schools=len(schools),
                     weeks=len(weeks) if scheduler == "optimal" else 0, scheduler=scheduler,
                     school_per_replicate=(not fixed_school and spec.replicates > 1
                                           and (spec.schools or spec.replicates)
                                           == spec.replicates))
