"""The ``inclusion-sim feasibility`` subcommand: the staffing report from the command line.

An administrator points it at a scenario (or straight at a folder of the school's CSV files)
and reads, per policy, whether the therapists can deliver every mandated minute, and what it
would take. A short summary goes to the screen (``--details`` adds the per-service, per-reason
and per-therapist tables); ``--csv`` and ``--figure`` keep it, the CSV files with a data
dictionary.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy
from inclusion_sim.faces.options import (
    add_disruptions_option,
    add_identifying_columns_option,
    add_scheduler_option,
)

#: The ``--policy`` name that means "the policy written in the scenario file".
SCENARIO_POLICY = "scenario"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``feasibility`` to the command line's subcommands and return its parser."""
    parser = subparsers.add_parser(
        "feasibility",
        help="can the therapists deliver every mandated minute? (per policy)",
        description="Schedule the week under each policy and report mandated and schedulable "
        "minutes, unmet minutes and why, therapist time, and the extra therapist hours each "
        "policy needs.",
    )
    parser.add_argument("scenario", help="a scenario file (TOML) or a folder of school CSV files")
    parser.add_argument(
        "--policy", action="append", metavar="NAME",
        help=f"a policy to report: {', '.join(POLICY_PRESETS)}, or '{SCENARIO_POLICY}' for the "
        "scenario's own; repeat to compare several (default: every preset)",
    )
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the scheduling stream (default: the scenario's, or 1)")
    add_scheduler_option(parser)
    parser.add_argument("--quick", action="store_true",
                        help="skip naming, for each unmet session, the change that would fix it "
                             "(it re-solves the week once per change tried)")
    parser.add_argument("--staffing", type=float, default=None, metavar="FACTOR",
                        help="scale every therapist's contracted minutes (e.g. 1.2 for 20%% more)")
    parser.add_argument("--details", action="store_true",
                        help="also print, per policy, the tables by service, by reason for "
                             "unmet minutes and by therapist")
    parser.add_argument("--csv", metavar="FOLDER", default=None,
                        help="also write the tables as CSV files into FOLDER")
    parser.add_argument("--figure", metavar="FILE", default=None,
                        help="also save the figure (PNG, SVG or PDF by the file's extension)")
    parser.add_argument("--year", action="store_true",
                        help="also run each policy through a school year on one seed and "
                             "report what is delivered, what is lost and why, and the share of "
                             "students served in full each month (the scenario's "
                             "[disruptions], or all of them with --disruptions)")
    add_disruptions_option(parser)
    add_identifying_columns_option(parser)
    parser.set_defaults(func=run_feasibility)
    return parser


def run_feasibility(args: argparse.Namespace) -> int:
    """Build the report the arguments ask for, print it and write the requested files."""
    from inclusion_sim.analysis import feasibility_text
    from inclusion_sim.analysis.feasibility import feasibility_report
    from inclusion_sim.faces import present

    school, policies, params, seed, scheduling = _inputs(args)

    def say(number: int, total: int, name: str) -> None:
        print(f"Scheduling the week under {feasibility_text.policy_name(name)} "
              f"({number} of {total})...", file=sys.stderr, flush=True)

    report = feasibility_report(school, policies, params, seed, scheduling,
                                explain=not args.quick, on_policy=say)

    print(feasibility_text.summary_text(report, details_hint=not args.details), end="")
    if args.details:
        print(feasibility_text.details_text(report), end="")
    year = None
    if args.year:
        from inclusion_sim.analysis.year_view import year_text, year_view
        from inclusion_sim.base.params import DISRUPTIONS

        on = DISRUPTIONS if args.disruptions else tuple(sorted(args.scenario_disruptions))
        weeks = args.scenario_weeks
        year = year_view(school, policies, params, seed, scheduling, weeks, on)
        print("\n" + year_text(year, weeks, on, params.changed()))
    if args.csv:
        paths = report.write_csv(args.csv, also={"year": year} if year is not None else None)
        print(f"\nTables written to {Path(args.csv)}/:")
        print(present.wrap(", ".join(p.name for p in paths), indent="  ", hang="  "))
    if args.figure:
        figure_path = Path(args.figure)
        figure_path.parent.mkdir(parents=True, exist_ok=True)
        from inclusion_sim.analysis.feasibility_text import figure_names

        report.figure(*figure_names(report)).savefig(figure_path, dpi=120)
        print(f"Figure written to {figure_path}")
    return 0


def _inputs(args: argparse.Namespace):
    """The school, policies, parameters, seed and scheduling named on the command line."""
    from dataclasses import replace

    from inclusion_sim.base.params import Params
    from inclusion_sim.delivery.schedulers import SchedulingOptions
    from inclusion_sim.scenario.files import scale_staffing
    from inclusion_sim.school.csv_loader import load_school_folder

    path = Path(args.scenario)
    names = args.policy or list(POLICY_PRESETS)
    if args.staffing is not None and not 0 < args.staffing <= 10:
        raise InputError(Problem("command line", "--staffing", "a factor above 0 and at most 10",
                                 f"{args.staffing:g}"))
    factor = 1.0 if args.staffing is None else args.staffing
    args.scenario_disruptions, args.scenario_weeks = frozenset(), 36
    if path.is_dir():
        school = load_school_folder(path, allow_identifying_columns=args.allow_identifying_columns)
        scheduling = SchedulingOptions(args.scheduler or "optimal")
        return (scale_staffing(school, factor), _policies(names, None), Params(),
                1 if args.seed is None else args.seed, scheduling)
    from inclusion_sim.scenario.files import load_scenario

    scenario = load_scenario(path)
    if args.allow_identifying_columns:
        scenario = scenario.with_changes({"school.allow_identifying_columns": True})
    if factor != 1.0:
        scenario = scenario.with_staffing(factor)
    seed = scenario.seed if args.seed is None else args.seed
    school = scenario.school_for_seed(seed)
    args.scenario_disruptions, args.scenario_weeks = scenario.disruptions(), scenario.weeks
    scheduling = scenario.scheduling()
    if args.scheduler:
        scheduling = replace(scheduling, scheduler=args.scheduler)
    return school, _policies(names, scenario.policy()), scenario.params(), seed, scheduling


def _policies(names: list[str], scenario_policy: Policy | None) -> dict[str, Policy]:
    choices = [*POLICY_PRESETS, SCENARIO_POLICY] if scenario_policy else list(POLICY_PRESETS)
    problems = [Problem("command line", "--policy", "one of " + ", ".join(choices), f"'{name}'",
                        nearest(name, choices)) for name in names if name not in choices]
    if problems:
        raise InputError(problems)
    policies: dict[str, Policy] = {}
    for name in names:
        if name == SCENARIO_POLICY and scenario_policy is not None:
            policies[f"{SCENARIO_POLICY}: {scenario_policy.name}"] = scenario_policy
        else:
            policies[name] = POLICY_PRESETS[name]
    return policies
