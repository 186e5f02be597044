"""The staffing feasibility report as text: a short summary first, details on request.

An administrator reads, per policy, whether the therapists can deliver every mandated minute,
and if not, what would fix it; the per-service, per-reason and per-therapist tables follow only
with ``--details``. Everything fits a 100-column terminal and uses plain names (policies,
services, reasons), never the tables' column identifiers; the CSV files keep those, described
in their data dictionary. `FeasibilityReport.to_text` and the ``feasibility`` command print
the same text from here.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from inclusion_sim import present
from inclusion_sim.delivery.scheduling import UNMET_REASONS

if TYPE_CHECKING:
    from inclusion_sim.analysis.feasibility import FeasibilityReport

#: Terminal width the text is laid out for.
WIDTH = present.WIDTH
_LABEL = 38
_COLUMN = 10

#: Units of the feasibility tables' columns where they differ from a run's (all weekly).
DICTIONARY: dict[str, tuple[str, str, str]] = {
    "policy": ("Policy", "", "The delivery policy's identifier."),
    "label": ("Service (name)", "", "The service's plain name."),
    "students": ("Students", "students", "Students with a mandate for the service."),
    "mandated_minutes": ("Mandated minutes", "minutes per week", "Minutes a week the IEPs "
                         "mandate."),
    "scheduled_minutes": ("Scheduled minutes", "minutes per week", "Minutes a week the "
                          "timetable schedules."),
    "unmet_minutes": ("Unmet minutes", "minutes per week", "Mandated minutes a week the "
                      "timetable cannot fit."),
    "met_percent": ("Mandated minutes scheduled", "%", "Scheduled ÷ mandated minutes."),
    "greedy_met_percent": ("Scheduled by the fast scheduler", "%", "What the greedy scheduler "
                           "fits, for comparison."),
    "greedy_percent": ("Scheduled by the fast scheduler", "%", "What the greedy scheduler "
                       "fits, for comparison."),
    "scheduled_percent": ("Scheduled", "%", "What the report's scheduler fits."),
    "bound_percent": ("Most any timetable could schedule", "%", "The optimizer's proven bound."),
    "solver_status": ("Optimizer status", "", "OPTIMAL when the timetable is proven best."),
    "students_fully_served": ("Students fully served", "students", "Students with every "
                              "mandated minute scheduled."),
    "students_with_mandates": ("Students with mandates", "students", ""),
    "travel_minutes": ("Therapist travel", "minutes per week", "Therapist minutes moving "
                       "between classrooms."),
    "coplanning_minutes": ("Co-planning", "minutes per week", "Therapist minutes co-planning."),
    "utilization_percent": ("Therapist time in use", "%", "Used ÷ contracted minutes."),
    "extra_hours_needed": ("Extra therapist hours needed", "hours per week", "Extra therapist "
                           "time that would meet every mandate staffing can meet."),
    "unmet_minutes_staffing_cannot_fix": ("Unmet minutes staffing cannot fix",
                                          "minutes per week", "Minutes no added therapist "
                                          "time would schedule."),
    "contracted_minutes": ("Contracted", "minutes per week", "Therapists' contracted minutes."),
    "direct_minutes": ("In sessions", "minutes per week", "Therapist minutes in sessions."),
    "used_minutes": ("Used", "minutes per week", "Direct, travel, co-planning, consultation "
                     "and supervision minutes."),
    "consultation_minutes": ("Consultation as a service", "minutes per week", "Minutes of "
                             "consultation with teachers the policy makes a service, kept out "
                             "of the contract before sessions are placed."),
    "supervision_minutes": ("Supervision of assistants", "minutes per week", "Minutes licensed "
                            "therapists supervise assistants, kept out of the contract before "
                            "sessions are placed."),
    "idle_minutes": ("Idle", "minutes per week", "Contracted minutes not used."),
    "extra_minutes": ("Extra therapist minutes needed", "minutes per week", ""),
    "extra_hours": ("Extra therapist hours needed", "hours per week", ""),
    "extra_therapists": ("Extra therapists", "therapists", "Therapists on site every day that "
                         "the extra time amounts to."),
    "unmet_before": ("Unmet minutes now", "minutes per week", ""),
    "unmet_after": ("Unmet minutes with the extra time", "minutes per week", ""),
    "unmet_after_extra": ("Unmet minutes with the extra time", "minutes per week", ""),
    "reasons_left": ("Why minutes stay unmet", "", "Reasons (see 'reason')."),
    "unmet_reasons": ("Why minutes are unmet", "", "The student's reasons, separated by ';' "
                      "(see 'reason')."),
    "reason": ("Reason", "", "; ".join(f"{k}: {v}" for k, v in UNMET_REASONS.items())),
    "explanation": ("Reason (in words)", "", ""),
    "minutes": ("Minutes", "minutes per week", "Unmet minutes a week."),
    "sessions": ("Sessions", "sessions per week", "Unmet sessions a week."),
    "sessions_per_week": ("Sessions a week", "sessions per week", "Mandated sessions a week."),
    "days_on_site": ("Days on site", "", "Days the therapist works at the school."),
    "therapists": ("Therapists", "therapists", "Therapists of the service."),
}


def policy_name(key: str) -> str:
    """A report's policy key in words ("Push-in, co-taught", "Scenario (Pull-out)")."""
    name = key.split(": ", 1)[-1] if key.startswith("scenario: ") else key
    label = present.policy_label(name, short=True)
    return f"Scenario ({label})" if key.startswith("scenario: ") else label


def figure_names(report: FeasibilityReport) -> tuple[dict[str, str], dict[str, str]]:
    """Plain names of the report's policies and of the services, for its figure."""
    from inclusion_sim.school.world import SERVICES

    return ({p: policy_name(p) for p in report.policies},
            {s: present.service_label(s, short=True) for s in SERVICES})


def _header(names: list[str]) -> list[str]:
    """Two header lines with each name wrapped into its column."""
    wrapped = [textwrap.wrap(name, _COLUMN - 1)[:2] for name in names]
    lines = []
    for row in range(2):
        cells = [(parts[row] if len(parts) > row else "") for parts in
                 [w if len(w) == 2 else [""] + w for w in wrapped]]
        lines.append(" " * _LABEL + "".join(f"{c:>{_COLUMN}}" for c in cells))
    return lines


def _row(label: str, values: list[str]) -> str:
    return f"{label:<{_LABEL}}" + "".join(f"{v:>{_COLUMN}}" for v in values)


def _minutes(value) -> str:
    return present.number(float(value), 0)


def _percent(value) -> str:
    return "n/a" if not present.finite(value) else f"{present.number(float(value), 1)}%"


def _chunks(policies: list[str]) -> list[list[str]]:
    per_line = max(1, (WIDTH - _LABEL) // _COLUMN)
    return [policies[i:i + per_line] for i in range(0, len(policies), per_line)]


def summary_text(report: FeasibilityReport, details_hint: bool = True) -> str:
    """The numbers an administrator reads first, one column per policy, then what would fix it."""
    summary = report.summary().set_index("policy")
    lines = [f"Staffing feasibility: {report.school}",
             present.wrap(_whose_school(report)
                          + (" Add --details for tables by service, reason and therapist."
                             if details_hint else ""), hang=""), ""]
    rows = (
        ("Mandated minutes a week", lambda r: _minutes(r["mandated_minutes"])),
        ("Scheduled", lambda r: _minutes(r["scheduled_minutes"])),
        ("Not scheduled (unmet)", lambda r: _minutes(r["unmet_minutes"])),
        ("Share of mandated minutes scheduled", lambda r: _percent(r["met_percent"])),
        ("  most any timetable could schedule", lambda r: _percent(r["bound_percent"])),
        ("  the quick greedy scheduler's share", lambda r: _percent(r["greedy_met_percent"])),
        ("Students fully served", lambda r: f"{r['students_fully_served']:,}/"
                                            f"{r['students_with_mandates']:,}"),
        ("Therapist travel, minutes a week", lambda r: _minutes(r["travel_minutes"])),
        ("Co-planning, minutes a week", lambda r: _minutes(r["coplanning_minutes"])),
        ("Consulting teachers, minutes a week", lambda r: _minutes(r["consultation_minutes"])),
        ("Supervising assistants, minutes a week", lambda r: _minutes(r["supervision_minutes"])),
        ("Therapists' contracted time in use", lambda r: _percent(r["utilization_percent"])),
        ("Extra therapist hours a week needed", lambda r: present.hours(
            60 * float(r["extra_hours_needed"]))),
        ("Unmet minutes no staffing can fix", lambda r: _minutes(
            r["unmet_minutes_staffing_cannot_fix"])),
    )
    # Indirect time only where some policy or the staff has it (none in most schools).
    rows = tuple(row for row in rows if not (
        (row[0].startswith("Consulting") and not summary["consultation_minutes"].any())
        or (row[0].startswith("Supervising") and not summary["supervision_minutes"].any())))
    for chunk in _chunks(list(summary.index)):
        lines += _header([policy_name(p) for p in chunk])
        for label, cell in rows:
            lines.append(_row(label, [cell(summary.loc[p]) for p in chunk]))
        lines.append("")
    lines += _fixes(report)
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


def _whose_school(report: FeasibilityReport) -> str:
    """Whether the numbers are for the school's own files or for a school the tool made up.

    A generated school's students and timetable depend on a number (the seed); it is named
    as the generated timetable's number, so two reports of different numbers are told apart.
    """
    if report.school_from_files:
        return "Minutes a week, for the school's own students, staff and timetable."
    return (f"Minutes a week, for a school generated by the tool (generated timetable "
            f"no. {report.seed}).")


def _fixes(report: FeasibilityReport) -> list[str]:
    """Per policy with unmet minutes: where they are and what would fix them, in sentences."""
    lines = []
    for policy in report.policies:
        unmet = report.unmet[report.unmet["policy"] == policy] if not report.unmet.empty \
            else report.unmet
        if unmet.empty:
            continue
        by_service = unmet.groupby("service", sort=False)["minutes"].sum()
        where = ", ".join(f"{present.service_label(s, short=True)} {_minutes(m)}"
                          for s, m in by_service.items())
        text = f"{policy_name(policy)}: {_minutes(by_service.sum())} minutes a week unmet " \
               f"({where})."
        extra = report.extra[report.extra["policy"] == policy] if not report.extra.empty \
            else report.extra
        fixes = []
        for e in extra.itertuples():
            if not e.extra_minutes:
                continue
            hours = present.hours(e.extra_minutes)
            fixes.append(f"{hours} more {present.service_label(e.discipline, short=True)} "
                         f"therapist {present.plural(hours, 'hour')} a week "
                         f"({present.counted(str(e.extra_therapists), 'therapist')})"
                         + (f", leaving {_minutes(e.unmet_after)} minutes" if e.unmet_after
                            else ""))
        if fixes:
            text += " Would meet them: " + "; ".join(fixes) + "."
        # The reason of the most unmet minutes, and whose: "contracted minutes are used up"
        # is about one discipline, not every therapist at the school.
        top = unmet.groupby(["service", "reason"], sort=False)["minutes"].sum().idxmax()
        text += (f" Main reason ({present.service_label(top[0], short=True)}): "
                 f"{UNMET_REASONS.get(top[1], top[1])}.")
        lines += textwrap.wrap(text, WIDTH, subsequent_indent="  ") + [""]
    if not lines:
        lines = ["Every policy schedules every mandated minute.", ""]
    return lines


def _table(frame: pd.DataFrame, columns: dict[str, str]) -> str:
    shown = frame[list(columns)].rename(columns=columns)
    return shown.to_string(index=False)


def details_text(report: FeasibilityReport) -> str:
    """Per policy: services, unmet minutes by reason, extra staffing and therapists."""
    lines: list[str] = []
    services = report.services.assign(
        service=report.services["service"].map(lambda s: present.service_label(s, short=True)),
        extra_hours=report.services["extra_minutes"].map(present.hours))
    therapists = report.therapists.assign(
        discipline=report.therapists["discipline"].map(
            lambda s: present.service_label(s, short=True)))
    for policy in report.policies:
        lines += ["", f"== {policy_name(policy)} ==", "", "Per service (minutes a week):"]
        lines.append(_table(services[services["policy"] == policy], {
            "service": "Service", "students": "Students", "mandated_minutes": "Mandated",
            "scheduled_minutes": "Scheduled", "unmet_minutes": "Unmet",
            "contracted_minutes": "Contracted", "direct_minutes": "Sessions",
            "travel_minutes": "Travel", "coplanning_minutes": "Co-plan",
            **_indirect_columns(report.services), "extra_hours": "Extra hours"}))
        unmet = report.unmet[report.unmet["policy"] == policy] if not report.unmet.empty \
            else report.unmet
        if not unmet.empty:
            lines += ["", "Unmet minutes and why:"]
            for row in unmet.itertuples():
                text = (f"{present.service_label(row.service, short=True)}, "
                        f"{row.setting.replace('_', '-')}: {_minutes(row.minutes)} minutes for "
                        f"{row.students} student{'s' if row.students != 1 else ''}: "
                        f"{UNMET_REASONS.get(row.reason, row.reason)}")
                lines += textwrap.wrap(text, WIDTH, initial_indent="  ",
                                       subsequent_indent="    ")
        lines += ["", "Therapists (minutes a week):"]
        lines.append(_table(therapists[therapists["policy"] == policy], {
            "therapist_id": "Therapist", "discipline": "Service", "employment": "Employer",
            "contracted_minutes": "Contracted", "direct_minutes": "Sessions",
            "travel_minutes": "Travel", "coplanning_minutes": "Co-plan",
            **_indirect_columns(report.therapists), "idle_minutes": "Idle",
            "utilization_percent": "In use %"}))
    return "\n".join(lines) + "\n"


def _indirect_columns(frame: pd.DataFrame) -> dict[str, str]:
    """Consultation and supervision columns, where the report has any."""
    return {column: label for column, label in (("consultation_minutes", "Consult"),
                                                ("supervision_minutes", "Supervise"))
            if frame[column].any()}
