"""Command-line subcommands ``inclusion-sim sweep`` and ``inclusion-sim report``.

Thin shells over `run_sweep` and `write_report`; `inclusion_sim.cli` adds them to its parser.
Exit codes: 0 all runs succeeded, 1 some runs failed or were lost (they are recorded; the
results are still usable) or no run finished at all because the workers died (never reported
as a success), 2 a mistake in the input (located message, no traceback), 130 interrupted with
Ctrl-C (finished chunks are kept; the same command resumes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inclusion_sim.base.errors import InputError, Problem, nearest

EXIT_OK, EXIT_FAILED_RUNS, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

#: Below this many runs per solved week, the solves are most of a sweep's time (a week costs
#: the optimizer as much CPU as several simulated years of the default school), and the sweep
#: says how a fixed roster would share them.
RUNS_PER_WEEK_WORTH_SAYING = 4


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, found {value}")
    return value


def add_sweep_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``sweep SPEC --out DIR`` to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "sweep", help="run (or resume) a scenario sweep",
        description="Run every run of a sweep spec and store results as Parquet under --out. "
                    "Running the same command again resumes: finished runs are skipped.")
    parser.add_argument("spec", help="sweep spec (TOML), e.g. scenarios/sweeps/*.toml")
    parser.add_argument("--out", required=True, help="results directory (created if needed)")
    parser.add_argument("--workers", type=_positive, default=None,
                        help="local worker processes (default: number of CPUs)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask cluster, e.g. tcp://host:8786")
    where.add_argument("--dask-local", action="store_true",
                       help="run on a local Dask cluster (dashboard-free)")
    parser.add_argument("--chunk-size", type=_positive, default=None,
                        help="runs per worker task (default: chosen from the sweep size)")
    parser.add_argument("--retry-failed", action="store_true",
                        help="run again the runs recorded as failed")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(func=sweep_command)
    return parser


def add_report_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``report DIR`` to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "report", help="analyse a sweep: paired differences, sensitivity, figures, HTML",
        description="Write report.html (figures embedded) and CSV tables for a sweep.")
    parser.add_argument("dir", help="sweep results directory")
    parser.add_argument("--out", default=None, help="report directory (default: DIR/report)")
    parser.add_argument("--reference", default=None,
                        help="policy the others are compared with (default: the spec's first)")
    parser.add_argument("--outcomes", default=None,
                        help="comma-separated outcomes to plot (default: the spec's or the first)")
    parser.add_argument("--bootstrap", type=_positive, default=2000,
                        help="bootstrap resamples for confidence intervals")
    parser.add_argument("--csv", metavar="DIR", default=None,
                        help="also export runs, outcomes, weekly and failures as CSV to DIR")
    parser.set_defaults(func=report_command)
    return parser


def sweep_command(args: argparse.Namespace) -> int:
    """Run ``inclusion-sim sweep``."""
    from inclusion_sim.experiments.runner import SweepLostError, run_sweep

    try:
        for line in _solve_plan_lines(args.spec):
            print(line, file=sys.stderr)
        summary = run_sweep(args.spec, args.out, workers=args.workers, scheduler=args.scheduler,
                            dask_local=args.dask_local, chunk_size=args.chunk_size,
                            retry_failed=args.retry_failed, progress=not args.no_progress)
    except InputError as err:
        print(err, file=sys.stderr)
        return EXIT_INPUT
    except SweepLostError as err:
        if args.no_progress:
            print(err.summary, file=sys.stderr)
        for line in err.summary.lost_errors:
            print(f"lost: {line}", file=sys.stderr)
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED_RUNS
    except KeyboardInterrupt:
        print("Interrupted. Finished runs are saved; run the same command to resume.",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.no_progress:
        print(summary, file=sys.stderr)
    for line in summary.lost_errors:
        print(f"lost: {line}", file=sys.stderr)
    if summary.failed:
        print(f"{summary.failed} runs failed; see their errors with\n"
              f"  inclusion-sim report {args.out}\nor the 'failures' view.", file=sys.stderr)
    return EXIT_FAILED_RUNS if summary.failed or summary.lost else EXIT_OK


def _solve_plan_lines(path: str) -> list[str]:
    """Before a sweep starts: how many weekly timetables it solves, and how to need fewer.

    Nothing for a spec or scenario that does not load: the sweep itself then says what is wrong,
    located, without running anything.
    """
    from inclusion_sim.experiments.solves import solve_plan
    from inclusion_sim.experiments.spec import load_spec
    from inclusion_sim.faces import present
    from inclusion_sim.scenario.files import load_scenario

    try:
        spec = load_spec(path)
        if spec.scenario is None:
            return []
        plan = solve_plan(spec, load_scenario(spec.scenario))
    except InputError:
        return []
    runs = present.counted(present.number(plan.runs), "run")
    schools = present.counted(present.number(plan.schools), "school")
    if plan.scheduler != "optimal":
        return [present.wrap(f"{spec.name}: {runs} on {schools}; the greedy scheduler builds "
                             "each run's weekly timetable itself.", hang="")]
    if plan.weeks < plan.runs:
        weeks = present.counted(present.number(plan.weeks), "weekly timetable")
        solves = (f"solves up to {weeks} (one per school, policy and scheduling setting); the "
                  "other runs read theirs from the sweep's cache.")
    else:
        solves = "solves a weekly timetable for each run (each is its own school or setting)."
    lines = [present.wrap(f"{spec.name}: {runs} on {schools}. The optimizer {solves}",
                          hang="")]
    if plan.school_per_replicate and plan.weeks * RUNS_PER_WEEK_WORTH_SAYING > plan.runs:
        lines.append(present.wrap(
            "Each replicate is its own school (its own students), so each needs its own "
            "timetables, and solving a week takes as long as simulating several years. To "
            "compare policies within one school, set roster_seed under [sweep]; to sample "
            "fewer schools, each in several years, set schools = K (docs/sweeps.md).",
            hang=""))
    return lines


def report_command(args: argparse.Namespace) -> int:
    """Run ``inclusion-sim report``."""
    from inclusion_sim.experiments.results import open_results
    from inclusion_sim.faces.sweep_report import write_report

    metrics = [m.strip() for m in args.outcomes.split(",") if m.strip()] if args.outcomes else None
    try:
        if metrics or args.reference:
            with open_results(args.dir) as results:
                known, policies = results.metrics(), results.policies
            unknown = [m for m in metrics or [] if m not in known]
            problems = [Problem("command line", "--outcomes", "an outcome name", f"'{m}'",
                                nearest(m, known)) for m in unknown]
            if args.reference and args.reference not in policies:
                problems.append(Problem("command line", "--reference",
                                        "one of " + ", ".join(policies),
                                        f"'{args.reference}'", nearest(args.reference, policies)))
            if problems:
                raise InputError(problems)
        path = write_report(args.dir, args.out, reference=args.reference, metrics=metrics,
                            n_boot=args.bootstrap)
        _warn_about_flagged_indices(path.parent / "sensitivity.csv")
        if args.csv:
            with open_results(args.dir) as results:
                results.to_csv(args.csv)
            print(f"CSV tables in {args.csv}", file=sys.stderr)
    except InputError as err:
        print(err, file=sys.stderr)
        return EXIT_INPUT
    _print_report_summary(args.dir, path, metrics)
    return EXIT_OK


def _print_report_summary(root: str, path: Path, metrics: list[str] | None) -> None:
    """Say what the report found, in a few lines, then where it is."""
    from inclusion_sim.experiments.results import open_results
    from inclusion_sim.faces import present
    from inclusion_sim.faces.sweep_report import summary_lines

    with open_results(root) as results:
        spec, counts = results.meta["spec"], results.counts()
        focus = metrics or list(spec.get("outcomes") or [])
    failed = f", {counts['failed']} failed" if counts["failed"] else ""
    print(present.wrap(f"{spec['name']}: {counts['ok']} of {counts['planned']} runs "
                       f"finished{failed}.", hang=""))
    for line in summary_lines(path.parent, focus or None):
        print(line)
    print(present.path_line("Report (figures, tables, sensitivity):", path))
    print(present.path_line("Tables (CSV, described in data_dictionary.csv) in", f"{path.parent}/"))


def _warn_about_flagged_indices(table: Path) -> None:
    """Say on the terminal too when the report flags sensitivity indices as unreliable."""
    if not table.is_file():
        return
    import pandas as pd

    flags = pd.read_csv(table, keep_default_na=False).get("flag")
    count = int((flags != "").sum()) if flags is not None else 0
    if count:
        from inclusion_sim.faces import present

        print(present.wrap(f"warning: {count} sensitivity indices are unreliable at this "
                           "sample size (outside [0, 1] or with intervals wider than "
                           "themselves); the report's Sensitivity section says what sample "
                           "would be needed", hang="  "), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (``python -m inclusion_sim.experiments.cli``)."""
    parser = argparse.ArgumentParser(prog="inclusion-sim")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_sweep_parser(subparsers)
    add_report_parser(subparsers)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
