"""Parameter points of a sweep design, and the runs they expand to.

Points are produced in a fixed order from the spec alone (samplers are seeded), so the point
index is a stable name for a parameter combination: run ids, resume and the Sobol/Morris
analyses all rely on row *i* of the design being the same every time it is computed.

A design value may be NaN, meaning "not set at this point: the scenario's own value". Only the
one-at-a-time design uses it, for the parameters it leaves alone at each point; such values are
left out of a run's parameter overrides.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from inclusion_sim.base.seeds import replicate_seed, school_turn_seed
from inclusion_sim.experiments.spec import SweepSpec


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: a parameter point under one policy with one replicate seed.

    Attributes:
        run_id: Deterministic name, ``p<point>-<policy>-r<replicate>``.
        point: Row of the design.
        policy: Policy preset name.
        replicate: Replicate number k; its seed is shared by every policy and point.
        seed: The run's seed.
        parameters: Values of the varied parameters set at this point (a parameter the
            point leaves at the scenario's value is absent).
        school_seed: The seed whose school (students, classes, mandates) the run uses, when
            the sweep's replicates take turns on fewer schools (``[sweep] schools``); None
            when the run uses its own seed's school.
    """

    run_id: str
    point: int
    policy: str
    replicate: int
    seed: int
    parameters: dict[str, float]
    school_seed: int | None = None


def run_id(point: int, policy: str, replicate: int) -> str:
    """The run id for (point, policy, replicate); stable across resumes and worker counts."""
    return f"p{point:06d}-{policy}-r{replicate:04d}"


def salib_problem(spec: SweepSpec) -> dict:
    """The SALib problem definition matching the design's columns."""
    return {
        "num_vars": len(spec.parameters),
        "names": spec.parameter_names,
        "bounds": [[p.low, p.high] for p in spec.parameters],
    }


def count_points(spec: SweepSpec) -> int:
    """Number of parameter points without building them (see `SweepSpec.point_count`)."""
    return spec.point_count()


def design_matrix(spec: SweepSpec) -> np.ndarray:
    """All parameter points as a (points, parameters) array, in point-index order."""
    d = len(spec.parameters)
    if d == 0:
        return np.zeros((1, 0))
    method, design = spec.design.method, spec.design
    if method == "grid":
        grids = [p.grid(design.levels) for p in spec.parameters]
        matrix = np.array(list(itertools.product(*grids)), dtype=float)
    elif method == "lhs":
        from SALib.sample import latin

        matrix = latin.sample(salib_problem(spec), design.samples, seed=design.seed)
    elif method == "sobol":
        from SALib.sample import sobol

        # No warning filter: the spec only lets powers of two through, and any other warning
        # the sampler has about a design is the user's to see.
        matrix = sobol.sample(salib_problem(spec), design.samples,
                              calc_second_order=design.second_order, seed=design.seed)
    elif method == "oat":
        matrix = one_at_a_time(spec)
    else:
        from SALib.sample import morris

        matrix = morris.sample(salib_problem(spec), design.samples, num_levels=design.levels,
                               seed=design.seed)
    matrix = np.asarray(matrix, dtype=float)
    for column, param in enumerate(spec.parameters):
        if method == "lhs" and param.steps:
            matrix[:, column] = snap_to_steps(matrix[:, column], param.low, param.high,
                                              param.steps)
        if param.integer:
            matrix[:, column] = np.round(matrix[:, column])
    return matrix


def snap_to_steps(values: np.ndarray, low: float, high: float, steps: int) -> np.ndarray:
    """Latin hypercube values of a range with `steps`: each moved to one of its evenly spaced values.

    The range is cut into `steps` equal bins and a value takes its bin's level (the first bin
    ``low``, the last ``high``), so a Latin hypercube's equal strata give every level the same
    share of the points, give or take one. It is how a design keeps a costly parameter to a few
    values: a staffing level changes the school, and each value needs its own weekly timetable.
    """
    if steps == 1:
        return np.full_like(values, low)
    share = np.clip((values - low) / (high - low), 0.0, 1.0)
    level = np.minimum(np.floor(share * steps), steps - 1)
    return low + level * (high - low) / (steps - 1)


def one_at_a_time(spec: SweepSpec) -> np.ndarray:
    """The one-at-a-time design: the scenario's values, then each parameter low and high.

    Row 0 sets nothing (every parameter at the scenario's value); rows ``1 + 2j`` and ``2 + 2j``
    set parameter j to its low and its high value and leave the others at the scenario's (NaN).
    """
    d = len(spec.parameters)
    matrix = np.full((1 + 2 * d, d), np.nan)
    for j, param in enumerate(spec.parameters):
        matrix[1 + 2 * j, j] = param.low
        matrix[2 + 2 * j, j] = param.high
    return matrix


def iter_runs(spec: SweepSpec, matrix: np.ndarray | None = None) -> Iterator[RunSpec]:
    """Every run of the sweep, ordered point by point, then replicate, then policy.

    Keeping a replicate's policies next to each other puts paired runs in the same chunk, which
    makes partial results of an interrupted sweep already usable for paired comparisons.
    """
    if matrix is None:
        matrix = design_matrix(spec)
    names = spec.parameter_names
    seeds = [replicate_seed(spec.seed, k) for k in range(spec.replicates)]
    school_seeds = [school_turn_seed(seeds, k, spec.schools) for k in range(spec.replicates)]
    for point, row in enumerate(matrix):
        values = {name: float(v) for name, v in zip(names, row, strict=True) if not np.isnan(v)}
        for replicate, seed in enumerate(seeds):
            for policy in spec.policies:
                yield RunSpec(run_id(point, policy, replicate), point, policy, replicate, seed,
                              values, school_seeds[replicate])



def count_runs(spec: SweepSpec) -> int:
    """Total number of runs in the sweep."""
    return count_points(spec) * spec.replicates * len(spec.policies)
