"""Greedy against optimizing scheduler: share of the weekly mandate scheduled, and solve cost.

For each shipped school and every preset policy prints the greedy's share of the mandated
minutes, the optimizer's share, the proven upper bound, the solver status, CPU seconds of the
optimizing scheduler (including the greedy hint and model building, not the one-off import of
OR-Tools) and the solver's deterministic time.

    python benchmarks/bench_scheduler.py [--schools default small] [--deterministic-time 5]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = {"default": "default_elementary.toml", "small": "small_elementary.toml",
           "k8": "k8_school.toml", "csv": "example_300_csv.toml"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", nargs="+", default=list(SCHOOLS), choices=list(SCHOOLS))
    parser.add_argument("--deterministic-time", type=float, default=None)
    args = parser.parse_args()

    from ortools.sat.python import cp_model  # noqa: F401  (import once, outside the timings)

    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.delivery.optimize import SolverOptions, schedule_week_optimal
    from inclusion_sim.delivery.policies import POLICY_PRESETS
    from inclusion_sim.delivery.scheduling import schedule_week
    from inclusion_sim.scenario import load_scenario

    options = SolverOptions()
    if args.deterministic_time is not None:
        options = SolverOptions(deterministic_time=args.deterministic_time)
    print("| school | policy | greedy % | optimal % | bound % | status | CPU s | det. time |")
    print("|---|---|---|---|---|---|---|---|")
    for school_name in args.schools:
        scenario = load_scenario(ROOT / "scenarios" / SCHOOLS[school_name])
        school = scenario.build_school(make_streams(scenario.seed)["roster"])
        params = scenario.params()
        for policy_name, policy in POLICY_PRESETS.items():
            greedy = schedule_week(school, policy, params, make_streams(scenario.seed)["schedule"])
            start = time.process_time()
            best = schedule_week_optimal(school, policy, params,
                                         make_streams(scenario.seed)["schedule"], options=options)
            seconds = time.process_time() - start
            r = best.solver
            mandated = r.mandated_minutes
            share = 100 * (mandated - greedy.unmet_minutes()) / mandated
            print(f"| {school_name} | {policy_name} | {share:.1f} | "
                  f"{100 * r.scheduled_minutes / mandated:.1f} | "
                  f"{100 * r.upper_bound_minutes / mandated:.1f} | {r.status} | {seconds:.1f} | "
                  f"{r.deterministic_time:.2f} |", flush=True)


if __name__ == "__main__":
    main()
