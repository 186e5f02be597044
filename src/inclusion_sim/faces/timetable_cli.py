"""The ``inclusion-sim timetable`` subcommand: the week's timetables as files people can use.

A school points it at a scenario (or straight at a folder of its CSV files) and gets each
therapist's week and each class's week as CSV files and as one printable page, built from the
same week a run of that scenario, policy and seed would use.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.delivery.policies import POLICY_PRESETS
from inclusion_sim.faces.options import add_identifying_columns_option, add_scheduler_option


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``timetable`` to the command line's subcommands and return its parser."""
    parser = subparsers.add_parser(
        "timetable",
        help="each therapist's and each class's weekly timetable (CSV and a printable page)",
        description="Schedule the week as a run would and write therapists.csv, classes.csv "
        "and timetables.html (one printed page per therapist, then one per class).",
    )
    parser.add_argument("scenario", help="a scenario file (TOML) or a folder of school CSV files")
    parser.add_argument("--policy", metavar="NAME", default=None,
                        help=f"delivery policy: {', '.join(POLICY_PRESETS)} (default: the "
                        "scenario's, or pull_out for a folder)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed (default: the scenario's, or 0 for a folder)")
    add_scheduler_option(parser)
    parser.add_argument("--out", default="results/timetables",
                        help="output folder (default: results/timetables)")
    add_identifying_columns_option(parser)
    parser.set_defaults(func=run_timetable)
    return parser


def run_timetable(args: argparse.Namespace) -> int:
    """Build the week the arguments ask for, write the timetables and say where."""
    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.delivery.schedulers import make_schedule
    from inclusion_sim.faces import present
    from inclusion_sim.faces.timetables import write_timetables
    from inclusion_sim.scenario.config import resolve

    if args.policy is not None and args.policy not in POLICY_PRESETS:
        raise InputError(Problem("command line", "--policy", "one of " + ", ".join(POLICY_PRESETS),
                                 f"'{args.policy}'", nearest(args.policy, POLICY_PRESETS)))
    path = Path(args.scenario)
    if path.is_dir():
        from inclusion_sim.school.csv_loader import load_school_folder

        school = load_school_folder(path, allow_identifying_columns=args.allow_identifying_columns)
        config = resolve(school=school, policy=args.policy, seed=args.seed,
                         scheduling=args.scheduler)
    else:
        from inclusion_sim.scenario.files import load_scenario

        scenario = load_scenario(path)
        if args.allow_identifying_columns:
            scenario = scenario.with_changes({"school.allow_identifying_columns": True})
        config = resolve(scenario, policy=args.policy, seed=args.seed, scheduling=args.scheduler)
    # The same call, on the same stream, as `SchoolModel` makes: the week a run would use.
    schedule = make_schedule(config.school, config.policy, config.params,
                             make_streams(config.seed)["schedule"], config.scheduling)
    title = (f"{config.scenario_name or config.school.name}: "
             f"{present.policy_label(config.policy.name)}, seed {config.seed}")
    paths = write_timetables(config.school, schedule, args.out, title=title)
    print(present.wrap(f"{title}: {len(schedule.sessions)} sessions a week, "
                       f"{len(config.school.therapists)} therapists, "
                       f"{len(config.school.classes)} classes", hang=""))
    if schedule.solver is not None:
        print(present.wrap(schedule.solver.summary(), hang=""))
    print(present.path_line("Timetables written to", f"{Path(args.out)}/"))
    print(present.wrap(", ".join(p.name for p in paths), indent="  ", hang="  "))
    return 0
