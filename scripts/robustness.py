"""Make the robustness table: which headline differences keep their sign across the estimates.

For each headline paired difference (co-taught push-in, push-in and hybrid, each minus pull-out, on
the headline outcomes) the table gives its value at the defaults with a 95% interval, and the
estimates whose plausible range flips its sign, one at a time. The Markdown table goes into
docs/validation.md between its generated markers, every paired difference into a CSV file.

    python scripts/robustness.py --estimate          # print the plan and its estimated runtime only
    python scripts/robustness.py --replicates 6      # the table (resumable: run it again to go on)
    python scripts/robustness.py --equal-dose        # the same at equal dose

The runs are stored under --out; running the same command again resumes them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from inclusion_sim.analysis.robustness import (
    HEADLINE_OUTCOMES,
    HEADLINE_POLICIES,
    robustness_spec,
    run_robustness,
    update_document,
)
from inclusion_sim.base.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "default_elementary.toml"),
                        help="scenario file (default: the default school)")
    parser.add_argument("--replicates", type=int, default=6, help="paired replicates (default 6)")
    parser.add_argument("--weeks", type=int, default=None, help="weeks per run (default: scenario's)")
    parser.add_argument("--seed", type=int, default=None, help="base seed (default: scenario's)")
    parser.add_argument("--policies", nargs="+", default=list(HEADLINE_POLICIES), metavar="POLICY",
                        help="the baseline first, then the policies compared with it")
    parser.add_argument("--outcomes", nargs="+", default=list(HEADLINE_OUTCOMES), metavar="OUTCOME")
    parser.add_argument("--parameters", nargs="+", default=None, metavar="NAME",
                        help="parameters to vary (default: every estimate)")
    parser.add_argument("--equal-dose", action="store_true",
                        help="compare the policies at equal dose (same weekly minutes)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: all cores; 1 runs in this process)")
    parser.add_argument("--out", default=None,
                        help="folder of the runs, resumable (default: results/robustness, or "
                             "results/robustness-equal-dose)")
    parser.add_argument("--csv", default=None,
                        help="CSV of every paired difference (default: OUT/robustness.csv)")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "validation.md"),
                        help="Markdown document with the generated-table markers")
    parser.add_argument("--no-doc", action="store_true", help="print the table, leave the document")
    parser.add_argument("--estimate", action="store_true",
                        help="time one replicate's schedules and runs, print the estimated "
                             "runtime of the whole table, and stop")
    return parser


def estimate(args) -> None:
    """Time one replicate (each policy's week solved afresh, then one run) and extrapolate."""
    from inclusion_sim import SchoolModel, load_scenario, resolve
    from inclusion_sim.base.seeds import make_streams, replicate_seed
    from inclusion_sim.delivery.schedulers import SCHEDULING_PARAMETERS, clear_cache, make_schedule

    scenario = load_scenario(args.scenario)
    spec = robustness_spec(args.scenario, policies=args.policies, parameters=args.parameters,
                           replicates=args.replicates, weeks=args.weeks,
                           seed=scenario.seed if args.seed is None else args.seed,
                           equal_dose=args.equal_dose, outcomes=args.outcomes)
    seed = replicate_seed(spec.seed, 0)
    solve, runs, cpu = [], [], [0.0, 0.0]
    for policy in spec.policies:
        config = resolve(scenario, seed=seed, policy=policy, weeks=args.weeks)
        clear_cache()
        t0, c0 = time.perf_counter(), time.process_time()
        make_schedule(config.school, config.policy, config.params, make_streams(seed)["schedule"],
                      config.scheduling)
        solve.append(time.perf_counter() - t0)
        cpu[0] += time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        SchoolModel(config).run()
        runs.append(time.perf_counter() - t0)
        cpu[1] += time.process_time() - c0
    points = spec.point_count()
    n_runs = points * len(spec.policies) * spec.replicates
    shaping = sum(1 for name in spec.parameter_names if name in SCHEDULING_PARAMETERS)
    n_solves = spec.replicates * len(spec.policies) * (1 + 2 * shaping)
    mean_solve, mean_run = sum(solve) / len(solve), sum(runs) / len(runs)
    workers = args.workers or os.cpu_count() or 1
    total = n_solves * mean_solve + n_runs * mean_run
    busy = (n_solves * cpu[0] + n_runs * cpu[1]) / len(spec.policies)
    print(f"{scenario.name}: {len(spec.parameters)} parameters -> {points} points x "
          f"{len(spec.policies)} policies x {spec.replicates} replicates = {n_runs} runs")
    print(f"Weeks to solve: {n_solves} ({spec.replicates} replicates x {len(spec.policies)} "
          f"policies x (1 + 2 x {shaping} parameters that shape the timetable)); the others reuse "
          "the cached week")
    print(f"Measured: {mean_solve:.1f} s per week solved, {mean_run:.2f} s per run")
    print(f"Estimated: {total / 60:.0f} min of computation, about {total / 60 / workers:.0f} min "
          f"on {workers} worker(s)")
    if total > 1.2 * busy:
        print(f"(Of that, {busy / 60:.0f} min is processor time: other work on this machine slowed "
              f"the measurement; unloaded, about {busy / 60 / workers:.0f} min on {workers} "
              "worker(s).)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.out is None:
        args.out = str(ROOT / "results" / ("robustness-equal-dose" if args.equal_dose
                                           else "robustness"))
    try:
        if args.estimate:
            estimate(args)
            return 0
        executor = ThreadPoolExecutor(1) if args.workers == 1 else None
        try:
            result = run_robustness(args.scenario, args.out, policies=args.policies,
                                    outcomes=args.outcomes, parameters=args.parameters,
                                    replicates=args.replicates, weeks=args.weeks, seed=args.seed,
                                    equal_dose=args.equal_dose, workers=args.workers,
                                    executor=executor)
        finally:
            if executor is not None:
                executor.shutdown()
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted. Finished runs are saved; run the same command to resume.",
              file=sys.stderr)
        return 130
    csv = result.to_csv(args.csv or Path(args.out) / "robustness.csv")
    markdown = result.markdown()
    print(markdown)
    print(f"Every paired difference: {csv}")
    if not args.no_doc:
        try:
            path = update_document(args.doc, markdown, equal_dose=args.equal_dose)
            print(f"Table written to {path}")
        except InputError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
