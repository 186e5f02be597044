"""Stage 5, experiments: sweeps at research scale (specs, designs, execution, the store).

Typical use, from a script or a notebook::

    from inclusion_sim import experiments

    summary = experiments.run_sweep("scenarios/sweeps/policy_comparison.toml", "results/cmp")
    results = experiments.open("results/cmp")
    results.sql("SELECT policy, avg(iep_carryover) FROM outcomes GROUP BY policy")

    from inclusion_sim.faces.sweep_report import write_report
    write_report("results/cmp")

In a script, call `run_sweep` under ``if __name__ == "__main__":``; worker processes are
started with ``spawn`` and re-run the script's top level. A script without the guard is
refused before any worker starts, and a sweep in which every run was lost raises
`SweepLostError` instead of returning.
"""

from inclusion_sim.base.seeds import replicate_seed
from inclusion_sim.experiments.designs import RunSpec, design_matrix, iter_runs
from inclusion_sim.experiments.results import SweepResults, open_results
from inclusion_sim.experiments.runner import (
    SweepLostError,
    SweepSummary,
    make_executor,
    run_sweep,
)
from inclusion_sim.experiments.spec import SweepSpec, load_spec, parse_spec

open = open_results  # noqa: A001 - `experiments.open(DIR)` reads like opening a file

__all__ = [
    "RunSpec",
    "SweepResults",
    "SweepLostError",
    "SweepSpec",
    "SweepSummary",
    "design_matrix",
    "iter_runs",
    "load_spec",
    "make_executor",
    "open",
    "open_results",
    "parse_spec",
    "replicate_seed",
    "run_sweep",
]
