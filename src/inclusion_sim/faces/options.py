"""Command-line options several subcommands share, written once so they read the same everywhere."""

from __future__ import annotations

import argparse

from inclusion_sim.delivery.schedulers import SCHEDULERS


def add_scheduler_option(parser: argparse.ArgumentParser) -> None:
    """``--scheduler optimal|greedy`` (default: the scenario's ``[scheduling]``, else optimal)."""
    parser.add_argument("--scheduler", choices=list(SCHEDULERS), default=None,
                        help="weekly scheduler: optimal (CP-SAT, proves a bound) or greedy "
                             "(fast) (default: the scenario's [scheduling], else optimal)")


def add_disruptions_option(parser: argparse.ArgumentParser) -> None:
    """``--disruptions``: every disruption of the school year on, whatever the scenario says."""
    parser.add_argument("--disruptions", action="store_true", default=None,
                        help="turn on every disruption of the school year (student and "
                             "therapist absences, events and testing days, heavy paperwork "
                             "weeks) (default: the scenario's [disruptions], else none)")


def add_identifying_columns_option(parser: argparse.ArgumentParser) -> None:
    """``--allow-identifying-columns`` for subcommands that read a school's CSV files."""
    parser.add_argument("--allow-identifying-columns", action="store_true",
                        help="ignore name or date-of-birth columns in the school's files "
                        "instead of refusing them")


def add_roster_seed_option(parser: argparse.ArgumentParser) -> None:
    """``--roster-seed N``: every seed runs the school generated from seed N."""
    parser.add_argument("--roster-seed", type=int, default=None, metavar="N",
                        help="run every seed on the school generated from seed N, so that "
                             "replicates differ only in the year's events, not in their school "
                             "(default: the scenario's [school] roster_seed, else each seed's "
                             "own school)")


def with_roster_seed(scenario, args: argparse.Namespace):
    """The scenario with the command line's ``--roster-seed``, if one was given."""
    if getattr(args, "roster_seed", None) is None:
        return scenario
    if args.roster_seed < 0:
        from inclusion_sim.base.errors import InputError, Problem

        raise InputError(Problem("command line", "--roster-seed", "a seed of 0 or more",
                                 str(args.roster_seed)))
    return scenario.with_roster_seed(args.roster_seed, "command line", "--roster-seed")
