"""Scenario sweeps at research scale: specs, designs, execution, storage and analysis.

Typical use, from a script or a notebook::

    from inclusion_sim import experiments

    summary = experiments.run_sweep("scenarios/sweeps/policy_comparison.toml", "results/cmp")
    results = experiments.open("results/cmp")
    results.sql("SELECT policy, avg(carryover_mean) FROM outcomes GROUP BY policy")
    experiments.write_report("results/cmp")

In a script, call `run_sweep` under ``if __name__ == "__main__":``; worker processes are
started with ``spawn`` and re-import the calling module.
"""

from inclusion_sim.experiments.designs import RunSpec, design_matrix, iter_runs
from inclusion_sim.experiments.results import SweepResults, open_results
from inclusion_sim.experiments.runner import SweepSummary, make_executor, run_sweep
from inclusion_sim.experiments.spec import SweepSpec, load_spec, parse_spec
from inclusion_sim.seeds import replicate_seed

open = open_results  # noqa: A001 - `experiments.open(DIR)` reads like opening a file


def __getattr__(name: str):
    """Import the report lazily: workers import this package and never need matplotlib."""
    if name == "write_report":
        from inclusion_sim.experiments.report import write_report

        return write_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "RunSpec",
    "SweepResults",
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
    "write_report",
]
