"""The `inclusion-sim` command line: a thin shell over the library.

Subcommands: ``run``, ``compare``, ``validate``, ``parameters``, and those owned by other
modules (``feasibility``, ``timetable``, ``sweep``, ``report``, ``dashboard``). User mistakes print a located
message and exit with code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import math
import os
import sys
import textwrap
from pathlib import Path

from inclusion_sim.base.errors import InputError, Problem

#: Subcommands defined elsewhere: (module, function adding the subparser).
_EXTERNAL = (
    ("inclusion_sim.faces.feasibility_cli", "add_parser"),
    ("inclusion_sim.faces.timetable_cli", "add_parser"),
    ("inclusion_sim.faces.sweep_cli", "add_sweep_parser"),
    ("inclusion_sim.faces.sweep_cli", "add_report_parser"),
    ("inclusion_sim.faces.dashboard.cli", "add_parser"),
    ("inclusion_sim.faces.discover_cli", "add_discover_parser"),
    ("inclusion_sim.faces.discover_cli", "add_calibrate_parser"),
)


def _progress(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="run", file=sys.stderr,
                disable=None if total > 2 else True)


def _cmd_run(args: argparse.Namespace) -> int:
    from inclusion_sim.faces import present
    from inclusion_sim.faces.options import with_roster_seed
    from inclusion_sim.faces.plots import plot_run
    from inclusion_sim.model.run import run
    from inclusion_sim.scenario.files import load_scenario

    scenario = with_roster_seed(load_scenario(args.scenario), args)
    result = run(scenario, seed=args.seed, policy=args.policy, weeks=args.weeks,
                 scheduling=args.scheduler, disruptions=args.disruptions)
    out = Path(args.out)
    result.write(out)
    policy = present.policy_label(str(result.meta["policy"]))
    params = scenario.params()
    plot_run(result, f"{scenario.name}: {policy}, seed {result.meta['seed']}",
             parameters=params).savefig(out / "weekly.png", dpi=110)
    print(present.wrap(f"{scenario.name}: {policy}, seed {result.meta['seed']}, "
                       f"{result.meta['weeks']} weeks", hang=""))
    changed = present.changes_summary(params)
    if changed:
        print(present.wrap(changed, hang=""))
    print(present.wrap(f"Weekly timetable by the {result.meta['scheduler']} scheduler. "
                       + result.meta.get("schedule_summary", "(The greedy proves no bound.)"),
                       hang=""))
    _print_summary(result.summary)
    _print_year(result)
    print("\nTables (Parquet and CSV, described in data_dictionary.csv) and weekly.png")
    print(present.path_line("written to", f"{out}/"))
    return 0


def _print_summary(summary: dict[str, float]) -> None:
    from inclusion_sim.faces import present
    from inclusion_sim.model.outcomes import METRICS

    rows = [(meta.label, present.value_text(name, summary[name]), present.metric_unit(name))
            for name, meta in METRICS.items()]
    print("\n".join(present.table_lines(rows, "<><")))


def _print_year(result) -> None:
    """The year as schools report it: services in full, in part or not at all; sessions lost."""
    from inclusion_sim.faces import present
    from inclusion_sim.model.outcomes import YEAR_METRICS

    on = result.meta.get("disruptions", "")
    print()
    print(present.wrap("The year as schools report it"
                       + (f" (disruptions: {on})" if on else " (no disruptions: every scheduled "
                          "session is held, refusals aside; --disruptions turns them on)") + ":",
                       hang=""))
    rows = [(meta.label, present.value_text(name, result.year_summary[name]),
             present.metric_unit(name)) for name, meta in YEAR_METRICS.items()]
    print("\n".join(present.table_lines(rows, "<><")))
    months = result.months
    if len(months):
        print("  By month (share of students with IEPs: full / partial / none; minutes "
              "delivered):")
        for row in months.itertuples():
            print(f"    month {row.month}: {row.share_full:4.0%} / {row.share_partial:4.0%} / "
                  f"{row.share_none:4.0%};  {row.delivered_share:4.0%} of mandated minutes")


def _cmd_compare(args: argparse.Namespace) -> int:
    from inclusion_sim.analysis.compare import compare_policies
    from inclusion_sim.delivery.policies import preset
    from inclusion_sim.faces import present
    from inclusion_sim.faces.options import with_roster_seed
    from inclusion_sim.faces.plots import plot_paired, plot_weekly_by_policy
    from inclusion_sim.model.outcomes import YEAR_METRICS
    from inclusion_sim.scenario.files import check_school_turns, load_scenario

    scenario = with_roster_seed(load_scenario(args.scenario), args)
    for name in args.policies:
        preset(name, source="command line", where="--policies")
    if args.replicates < 2:
        raise InputError(Problem("command line", "--replicates", "at least 2 (for intervals)",
                                 str(args.replicates)))
    if args.equal_dose and len(set(args.policies)) < 2:
        raise InputError(Problem("command line", "--equal-dose", "two or more --policies to give "
                                 "the same dose", " ".join(args.policies)))
    check_school_turns(scenario, args.schools, args.replicates, "command line", "--schools")
    total = len(args.policies) * args.replicates
    with _progress(total, "runs") as bar:
        comparison = compare_policies(
            scenario, args.policies, args.replicates, base_seed=args.seed, weeks=args.weeks,
            scheduling=args.scheduler, equal_dose=args.equal_dose,
            disruptions=args.disruptions, schools=args.schools,
            progress=lambda done, _total, _what: bar.update(1 if done else 0))
    out = Path(args.out)
    comparison.write(out)
    paired = comparison.paired()
    params = scenario.params()
    baseline = present.policy_label(comparison.baseline)
    plot_paired(paired, title=f"{scenario.name}: difference from {baseline}",
                parameters=params).savefig(out / "comparison.png", dpi=110)
    plot_weekly_by_policy(comparison.weekly(), scenario.name, parameters=params).savefig(
        out / "weekly.png", dpi=110)

    fixed = scenario.spec.school.roster_seed
    one_school = "" if fixed is None else f", all on the school of seed {fixed}"
    if args.schools is not None and args.schools < args.replicates:
        one_school = f", taking turns on {present.counted(present.number(args.schools), 'school')}"
    print(f"\n{scenario.name}: {args.replicates} replicates per policy on the same seeds"
          + one_school)
    changed = present.changes_summary(params)
    if changed:
        print(changed)
    _print_doses(comparison)
    print(present.wrap(f"Differences from {baseline}: mean of the paired replicates and its "
                       "95% confidence interval; 'about the same' where the interval includes "
                       "no difference.", hang="") + "\n")
    runs = comparison.summary()
    silent = [m for m in YEAR_METRICS if m in runs and (runs[m].fillna(0) == 0).all()]
    rows: list[tuple[str, ...]] = []
    for policy, table in paired.groupby("policy", sort=False):
        rows += [("",) if rows else (), (f"{present.policy_label(policy)} minus {baseline}",),
                 ("Outcome (unit)", "Difference", "95% interval", "Reading")]
        rows += [_difference_cells(row.metric, row.difference, row.ci_low, row.ci_high)
                 for row in table.itertuples() if row.metric not in silent]
    print("\n".join(present.table_lines([r for r in rows if r], "<><<")) + "\n")
    if silent:
        print(present.wrap("Not shown, zero in every run (the year's disruptions and make-ups "
                           "are off unless asked for):", hang=""))
        print(present.wrap(", ".join(present.metric_label(m) for m in silent), indent="  ",
                           hang="  ") + "\n")
    print("Tables (runs, weekly, paired, doses; Parquet and CSV, described in "
          "data_dictionary.csv)")
    print(present.path_line("and figures written to", f"{out}/"))
    print(f"  {out / 'comparison.png'}\n  {out / 'weekly.png'}")
    return 0


def _difference_cells(metric: str, mean: float, low: float, high: float) -> tuple[str, ...]:
    """One outcome's difference as table cells: label (unit), difference, interval, reading."""
    from inclusion_sim.faces import present

    decimals = present.interval_decimals(metric, low, high)
    verdict = present.verdict(metric, mean, low, high)
    scale = present.metric_scale(metric)
    if verdict in ("better", "worse") and present.round_to(mean * scale, decimals) == 0:
        # a real difference finer than the unit's usual digits: show its first digit, never
        # "0.000 [0.000, 0.000] better"
        decimals = min(6, max(decimals, 1 - math.floor(math.log10(abs(mean * scale)))))

    def say(value: float) -> str:
        return present.value_text(metric, value, decimals, signed=True)

    reading = {"better": "better", "worse": "worse", "unclear": "about the same",
               "neither": ""}[verdict]
    interval = f"[{say(low)}, {say(high)}]" if present.finite(low) else ""
    unit = _TERMINAL_UNITS.get(present.metric_unit(metric), present.metric_unit(metric))
    label = present.metric_label(metric) + (f" ({unit})" if unit else "")
    return label, say(mean), interval, reading


#: Units for the terminal's labels (differences: shares in percentage points; money needs none).
_TERMINAL_UNITS = {"points (0-100 scale)": "points of 100", "%": "% points", "$": "",
                   "$ per student-hour": "", "minutes per student": "min per student",
                   "minutes per week": "min a week"}


def _print_doses(comparison) -> None:
    """Say how equal the policies' doses were, and in equal-dose mode what unmet minutes mean."""
    from inclusion_sim.faces import present

    doses = comparison.doses()
    gap = doses["largest_gap_minutes_per_week"].max()
    if not comparison.equal_dose:
        if gap > 0:
            print(present.wrap(
                "The policies' timetables give different doses: one student's weekly minutes "
                f"of a service differ from {present.policy_label(comparison.baseline)}'s by up "
                f"to {gap:g}. Add --equal-dose to compare the settings at the same dose.",
                hang=""))
        return
    print(present.wrap("Equal dose: every policy gets the same weekly minutes of each service "
                       "for each student, the least any of them schedules; the largest "
                       f"remaining difference in one student's weekly minutes is {gap:g}.",
                       hang=""))
    print(present.wrap("Unmet minutes include the minutes withheld to equalize the dose; "
                       "mandated minutes delivered then differ only by refusals and absences.",
                       hang="") + "\n")
    doses = doses.assign(policy=doses["policy"].map(present.policy_label))
    table = doses.set_index("policy")[["scheduled_minutes_per_week", "delivered_minutes_per_week",
                                       "withheld_minutes_per_week",
                                       "unmet_by_schedule_minutes_per_week"]]
    table.columns = ["Scheduled", "Delivered", "Withheld", "Unmet by the timetable"]
    table.index.name = None
    print("Weekly minutes, all students (mean over replicates):")
    print(table.map(lambda v: present.number(v, 0)).to_string() + "\n")


def _cmd_validate(args: argparse.Namespace) -> int:
    from inclusion_sim.faces import present
    from inclusion_sim.scenario.files import load_scenario

    for path in args.scenarios:
        if Path(path).is_dir():  # a school's own files, as feasibility and timetable read them
            from inclusion_sim.school.csv_loader import load_school_folder

            school, name, policy = load_school_folder(Path(path)), None, ""
        else:
            scenario = load_scenario(path)
            school, name = scenario.school_for_seed(scenario.seed), scenario.name
            policy = f"; policy {present.policy_label(scenario.policy().name)}"
        iep = sum(s.has_iep for s in school.students)
        warnings = staffing_warnings(school)
        status = "OK" if not warnings else \
            f"OK, with {len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
        named = f" — '{name}'" if name else " — the school's files"
        print(present.wrap(f"{path}: {status}{named}: {len(school.students)} "
                           f"students ({iep} with IEPs), {len(school.classes)} classes, "
                           f"{len(school.therapists)} therapists{policy}", hang="  "))
        for warning in warnings:
            print(present.wrap(f"warning: {warning}", indent="  ", hang="    "))
    return 0


def staffing_warnings(school) -> list[str]:
    """Services that IEPs mandate and no therapist can deliver, in words.

    A scenario without therapists is valid (a baseline with no services is a fair question),
    but it is far more often a forgotten ``[[staff]]`` table or a staff file without
    therapist rows; either way every mandated minute of such a service goes unmet under every
    policy, which a user must not find out only from the results.
    """
    from inclusion_sim.faces import present
    from inclusion_sim.school.world import SERVICES

    mandated = school.mandated_minutes_by_service()
    staffed = {t.discipline for t in school.therapists}
    if not school.therapists:
        total = sum(mandated.values())
        if not total:
            return []
        return [f"no therapists: none of the {total} mandated minutes a week can be delivered "
                "under any policy (add [[staff]] tables to the scenario, or therapist rows to "
                "staff.csv)"]
    warnings = []
    for service in SERVICES:
        if mandated[service] and service not in staffed:
            students = sum(any(m.service == service for m in s.mandates) for s in school.students)
            warnings.append(f"no {present.service_label(service, short=True)} therapist: the "
                            f"{mandated[service]} minutes a week "
                            f"that {students} students' IEPs mandate go unmet under every "
                            "policy")
    return warnings


def _cmd_parameters(args: argparse.Namespace) -> int:
    from inclusion_sim.base.params import PARAMETERS, markdown_table
    from inclusion_sim.faces import present

    if args.markdown:
        print(markdown_table())
        return 0
    mechanism = None
    for name, p in PARAMETERS.items():
        if p.mechanism != mechanism:
            mechanism = p.mechanism
            print(f"# {mechanism.replace('_', ' ').capitalize()}")
        status = present.STATUS_LABELS.get(p.status, p.status).split(" (")[0].lower()
        print(f"{name} = {p.default:g}  ({p.low:g} to {p.high:g} {p.unit})")
        print(textwrap.fill(f"{p.label}: {present.format_parameter(name, p.default)} "
                            f"({status})", 100, initial_indent="    ",
                            subsequent_indent="        "))
    print("\nStatus: read (value read in the source), secondary (read in a source citing it), "
          "estimate\n(no measurement found; varied in sensitivity analysis). Set any of them in "
          "a scenario's\n[parameters] table. --markdown prints the full reference with "
          "meanings and sources\n(docs/parameters.md).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from inclusion_sim.base.version import __version__
    from inclusion_sim.delivery.policies import POLICY_PRESETS
    from inclusion_sim.faces.options import (
        add_disruptions_option,
        add_roster_seed_option,
        add_scheduler_option,
    )

    parser = argparse.ArgumentParser(
        prog="inclusion-sim",
        description="Agent-based simulation of push-in and pull-out IEP related services.")
    parser.add_argument("--version", action="version", version=f"inclusion-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run one scenario once and write its outcomes")
    p.add_argument("scenario", help="scenario file (TOML)")
    p.add_argument("--seed", type=int, default=None, help="seed (default: the scenario's)")
    p.add_argument("--policy", default=None, choices=list(POLICY_PRESETS),
                   help="delivery policy preset (default: the scenario's)")
    p.add_argument("--weeks", type=int, default=None, help="weeks to run (default: scenario's)")
    p.add_argument("--out", default="results/run", help="output folder (default: results/run)")
    add_scheduler_option(p)
    add_disruptions_option(p)
    add_roster_seed_option(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("compare", help="compare policies on the same seeds (paired)")
    p.add_argument("scenario", help="scenario file (TOML)")
    p.add_argument("--policies", nargs="+", default=["pull_out", "push_in"], metavar="POLICY",
                   help=f"policies; the first is the baseline ({', '.join(POLICY_PRESETS)})")
    p.add_argument("--replicates", type=int, default=10, help="seeds per policy (default 10)")
    p.add_argument("--seed", type=int, default=None, help="base seed (default: scenario's)")
    p.add_argument("--weeks", type=int, default=None, help="weeks to run (default: scenario's)")
    p.add_argument("--out", default="results/compare", help="output folder")
    p.add_argument("--equal-dose", action="store_true",
                   help="give every policy the same weekly minutes of each service for each "
                        "student (the least any of them schedules), to compare settings at "
                        "equal dose")
    add_scheduler_option(p)
    add_disruptions_option(p)
    add_roster_seed_option(p)
    p.add_argument("--schools", type=int, default=None, metavar="K",
                   help="let the replicates take turns on K schools (replicate k runs on the "
                        "school of replicate k mod K, in a year of its own): fewer weekly "
                        "timetables to solve, and each school seen in several years (default: "
                        "each replicate its own school)")
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("validate", help="check scenario files or folders of school CSV files")
    p.add_argument("scenarios", nargs="+",
                   help="scenario files (TOML) or folders of school files (students.csv, "
                        "staff.csv, timetable.csv)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("parameters", help="list the model parameters: default, unit, range")
    p.add_argument("--markdown", action="store_true",
                   help="print the full reference as Markdown (meanings and sources)")
    p.set_defaults(func=_cmd_parameters)

    for module_name, function in _EXTERNAL:
        if importlib.util.find_spec(module_name) is None:
            continue
        getattr(importlib.import_module(module_name), function)(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `inclusion-sim` console script."""
    try:
        args = build_parser().parse_args(argv)
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in Python's flush at exit
        return code
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`inclusion-sim parameters | head`): nothing is wrong. Point
        # stdout at /dev/null so Python's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
