"""Command-line subcommands ``inclusion-sim discover`` and ``inclusion-sim calibrate``.

Thin shells over `inclusion_sim.analysis.discovery` and `inclusion_sim.analysis.calibration`:
they print the findings as sentences and write an HTML page with figures next to the sweep.
Exit codes: 0 done, 2 a mistake in the input (unknown outcome or policy, an unfinished sweep, the
optional libraries missing), printed as a located message without a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from inclusion_sim.base.errors import InputError, Problem
from inclusion_sim.faces import present

EXIT_OK, EXIT_INPUT = 0, 2


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, found '{text}'") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number above 0 and at most 1, found {value}")
    return value


def add_discover_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``discover DIR --outcome OUTCOME --policies A B``."""
    parser = subparsers.add_parser(
        "discover", help="where in a sweep one policy beats another (PRIM and CART)",
        description="Scenario discovery over a finished sweep: the region of parameter space "
                    "where policy A beats policy B on an outcome (or a weighted composite), "
                    "found by PRIM (EMA Workbench) and cross-checked with a CART tree "
                    "(scikit-learn). Needs: pip install \"inclusion-sim[discovery]\".")
    parser.add_argument("dir", help="sweep results directory")
    parser.add_argument("--policies", nargs="+", required=True, metavar="POLICY",
                        help="A then B: where does A beat B?")
    parser.add_argument("--outcome", default=None,
                        help="outcome name, e.g. iep_carryover (its better direction is used)")
    parser.add_argument("--composite", default=None, metavar="WEIGHTS",
                        help="instead of --outcome: outcome=weight pairs, e.g. "
                             "'iep_carryover=1,iep_stigma=0.5' (standardized improvements)")
    parser.add_argument("--min-coverage", type=_share, default=None,
                        help="coverage the chosen box must keep (default 0.5)")
    parser.add_argument("--out", default=None,
                        help="report directory (default: DIR/discovery/A-vs-B-OUTCOME)")
    parser.set_defaults(func=discover_command)
    return parser


def add_calibrate_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``calibrate DIR``."""
    parser = subparsers.add_parser(
        "calibrate", help="keep the parameter sets of a sweep that reproduce F1-F6",
        description="Pattern-oriented calibration: score every parameter set of a finished "
                    "sweep against the reference findings F1-F6 (docs/literature.md), keep "
                    "those that reproduce them together, and compare the policies across them.")
    parser.add_argument("dir", help="sweep results directory (e.g. of "
                                    "scenarios/sweeps/discovery.toml)")
    parser.add_argument("--out", default=None, help="report directory (default: DIR/calibration)")
    parser.set_defaults(func=calibrate_command)
    return parser


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:80]


def discover_command(args: argparse.Namespace) -> int:
    """Run ``inclusion-sim discover``."""
    from inclusion_sim.analysis.discovery import MIN_COVERAGE, discover
    from inclusion_sim.faces.discovery_report import write_discovery_report

    try:
        if not Path(args.dir).is_dir():
            raise InputError(Problem("command line", "DIR", "a sweep results directory",
                                     f"'{args.dir}' (no such directory)"))
        found = discover(args.dir, args.policies, args.outcome, composite=args.composite,
                         min_coverage=args.min_coverage or MIN_COVERAGE)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    target = args.outcome or "composite"
    out = Path(args.out) if args.out else (
        Path(args.dir) / "discovery" / _slug(f"{args.policies[0]}-vs-{args.policies[1]}-{target}"))
    if found.composite:
        print(present.wrap("Composite: " + "; ".join(
            f"{present.metric_label(name)} x {w['weight']:g} (better: "
            f"{'higher' if w['direction'] > 0 else 'lower'}; one standard deviation = "
            f"{present.value_text(name, w['scale'], unit=True)})"
            for name, w in found.composite.items()), hang="  "))
    for line in found.sentences():
        print(present.wrap(line, hang="  "))
    print(present.wrap(f"Box chosen: {found.reason}.", hang="  "))
    path = write_discovery_report(found, out)
    print(present.path_line("Report:", path))
    return EXIT_OK


def calibrate_command(args: argparse.Namespace) -> int:
    """Run ``inclusion-sim calibrate``."""
    from inclusion_sim.analysis.calibration import calibrate
    from inclusion_sim.faces.discovery_report import write_calibration_report

    try:
        if not Path(args.dir).is_dir():
            raise InputError(Problem("command line", "DIR", "a sweep results directory",
                                     f"'{args.dir}' (no such directory)"))
        calibration = calibrate(args.dir)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    for line in calibration.sentences():
        print(present.wrap(line, hang="  "))
    path = write_calibration_report(calibration, Path(args.out) if args.out
                                    else Path(args.dir) / "calibration")
    print(present.path_line("Report:", path))
    return EXIT_OK
