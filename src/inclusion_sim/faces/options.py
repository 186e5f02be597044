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
