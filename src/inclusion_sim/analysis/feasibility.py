"""Staffing feasibility: can the therapists deliver every mandated minute under a policy?

This is the first question an administrator asks of their own school, and it needs no
simulation of learning: only the weekly schedule. For each policy the report schedules the
week with the run's scheduler (by default the optimizing one, `inclusion_sim.delivery.optimize`)
and tabulates

- mandated against scheduled minutes: the greedy's, the optimizer's, and the optimizer's proven
  bound ("no timetable can deliver more than X of the Y mandated minutes"), so minutes lost to
  the scheduler can be told apart from minutes no timetable can fit;
- mandated against schedulable minutes, per service and per student;
- the unmet minutes and why (no therapist time, no relevant lesson, busy therapists or students, ...);
- each therapist's week: sessions, travel between classrooms, co-planning, consultation with
  teachers as a service and supervision of assistants (both kept out of the contract before any
  session is placed, `inclusion_sim.delivery.indirect`), idle minutes;
- the extra therapist hours a week the policy needs to meet every mandate that staffing can meet.

Extra hours are found by rescheduling (with the report's scheduler, on each discipline alone;
with the optimizer, only its first step, the most mandated minutes, solved to a proven optimum),
not by summing unmet minutes. A sum would miss what
the schedule adds on top of each session (travel and co-planning for push-in) and would ignore
that a minute of therapist time is only useful in a slot where the students are free and, for
push-in, in a relevant lesson. So for each discipline with unmet minutes the report adds a
hypothetical therapist who is on site every day, and finds the fewest extra minutes (in
quarter hours) that bring the discipline's unmet minutes down to what unlimited staff would
leave. What remains then is unmet for reasons staff cannot fix (say, a class with no lesson
relevant to the service), and is reported as such.

Every schedule here is made as a model run with the same seed, policy and scheduling options
makes it (the greedy's ties are broken by the seed's scheduling stream), so the report matches
the schedule of that run.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from inclusion_sim.analysis.feasibility_text import DICTIONARY, details_text, summary_text
from inclusion_sim.base.params import Params
from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy
from inclusion_sim.delivery.schedulers import SchedulingOptions, make_schedule
from inclusion_sim.delivery.scheduling import UNMET_REASONS, WeeklySchedule, merge_unmet
from inclusion_sim.present.exports import write_tables
from inclusion_sim.school.assistants import check_supervision_cap
from inclusion_sim.school.world import DAYS, SERVICE_LABELS, SERVICES, School, TherapistRecord

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Granularity of the extra-hours search: a quarter hour.
STEP_MINUTES = 15
#: Weekly minutes one added therapist can offer (five 8-hour days).
MAX_MINUTES_PER_EXTRA_THERAPIST = 5 * 480

TABLES: tuple[str, ...] = ("summary", "services", "students", "unmet", "therapists", "extra",
                           "schedulers")


@dataclass
class FeasibilityReport:
    """The report as tables, one row per policy and item, ready for screen, CSV and figure.

    Attributes:
        school: The school's name.
        seed: The seed whose scheduling stream built every schedule.
        policies: Policy names in the order compared.
        services: Per policy and service: students, mandated, scheduled and unmet minutes a
            week, therapists' contracted, direct, travel, co-planning, consultation and
            supervision minutes, extra minutes needed and the unmet minutes staffing cannot fix.
        students: Per policy, student and mandated service: mandated, scheduled and unmet
            minutes, and the reasons for unmet minutes.
        unmet: Per policy, service, setting and reason: students, sessions and minutes unmet.
        schedulers: Per policy: the share of mandated minutes the greedy schedules, the share
            the report's scheduler schedules, the proven bound on what any timetable could
            schedule, and the solver's status.
        therapists: Per policy and therapist: contracted, direct, travel, co-planning,
            consultation (as a service) and supervision, used and idle minutes and utilization.
        extra: Per policy and discipline with unmet minutes: the extra minutes and hours a week
            needed, the unmet minutes before and after, and the reasons for what is left.
        school_from_files: True when the school (its students and timetable) came from its
            own files, False when the tool generated it from the seed's numbers.
    """

    school: str
    seed: int
    policies: list[str]
    services: pd.DataFrame
    students: pd.DataFrame
    unmet: pd.DataFrame
    therapists: pd.DataFrame
    extra: pd.DataFrame
    schedulers: pd.DataFrame
    school_from_files: bool = False

    def summary(self) -> pd.DataFrame:
        """One row per policy: the numbers an administrator reads first."""
        rows = []
        for policy in self.policies:
            services = self.services[self.services["policy"] == policy]
            students = self.students[self.students["policy"] == policy]
            therapists = self.therapists[self.therapists["policy"] == policy]
            mandated = int(services["mandated_minutes"].sum())
            scheduled = int(services["scheduled_minutes"].sum())
            served = students.groupby("student_id")["unmet_minutes"].sum()
            contracted = int(therapists["contracted_minutes"].sum())
            solver = self.schedulers[self.schedulers["policy"] == policy].iloc[0]
            rows.append({
                "policy": policy,
                "mandated_minutes": mandated,
                "scheduled_minutes": scheduled,
                "unmet_minutes": int(services["unmet_minutes"].sum()),
                "met_percent": round(100 * scheduled / mandated, 1) if mandated else 100.0,
                "greedy_met_percent": solver["greedy_percent"],
                "bound_percent": solver["bound_percent"],
                "solver_status": solver["solver_status"],
                "students_fully_served": int((served == 0).sum()),
                "students_with_mandates": int(served.size),
                "travel_minutes": int(therapists["travel_minutes"].sum()),
                "coplanning_minutes": int(therapists["coplanning_minutes"].sum()),
                "consultation_minutes": int(therapists["consultation_minutes"].sum()),
                "supervision_minutes": int(therapists["supervision_minutes"].sum()),
                "utilization_percent": round(
                    100 * therapists["used_minutes"].sum() / contracted, 1) if contracted else 0.0,
                "extra_hours_needed": round(services["extra_minutes"].sum() / 60, 2),
                "unmet_minutes_staffing_cannot_fix": int(services["unmet_after_extra"].sum()),
            })
        return pd.DataFrame(rows)

    def to_text(self, details: bool = True) -> str:
        """The report as plain text for a terminal, as ``inclusion-sim feasibility`` prints it.

        Plain names (policies, services, reasons) and lines of at most 100 characters; the
        tables themselves (`summary`, `services`, `unmet`, `therapists`, `extra`, ...) keep
        their column identifiers for code.

        Args:
            details: Add the per-service, per-reason and per-therapist tables (the command's
                ``--details``) after the summary.
        """
        text = summary_text(self, details_hint=False)
        return text + details_text(self) if details else text

    def write_csv(self, folder: str | Path,
                  also: Mapping[str, pd.DataFrame] | None = None) -> list[Path]:
        """Write every table as ``feasibility_<table>.csv`` with a data dictionary; return paths.

        The CSV files keep the tables' column identifiers; ``data_dictionary.csv`` (the last
        path) says what each column is, in which unit (minutes here are minutes a week).

        Args:
            folder: Folder to write into (created if needed).
            also: Further tables to write next to them, by file name without extension (the
                command line adds the year's view).
        """
        tables = {"summary": self.summary(), "services": self.services,
                  "students": self.students, "unmet": self.unmet,
                  "therapists": self.therapists, "extra": self.extra,
                  "schedulers": self.schedulers}
        files = {f"feasibility_{name}": tables[name] for name in TABLES}
        return write_tables(folder, {**files, **(also or {})}, parquet=False,
                            overrides=DICTIONARY)

    def figure(self, policy_names: Mapping[str, str] | None = None,
               service_names: Mapping[str, str] | None = None) -> Figure:
        """Four panels: minutes, extra hours, therapist time by use, each discipline's time in use.

        The last panel is there because the therapist-time panel sums every therapist: a school
        whose speech therapists are fully booked while its counselors have hours to spare looks
        comfortably under its contracted line there.

        Args:
            policy_names: What to call each policy on the figure (default: its name); the
                command line passes the plain names of `inclusion_sim.faces.present`.
            service_names: What to call each service (default: its name).
        """
        from matplotlib.figure import Figure

        # names wrapped onto short lines, so they sit level under their bars without overlapping
        policies = ["\n".join(textwrap.wrap((policy_names or {}).get(p, p), 10,
                                             break_on_hyphens=False)) for p in self.policies]
        services = [(service_names or {}).get(s, s) for s in SERVICES]
        figure = Figure(figsize=(13, 8.4), layout="constrained")
        (minutes_axis, extra_axis), (time_axis, use_axis) = figure.subplots(2, 2)
        _plot_minutes(minutes_axis, self, policies, services)
        _plot_extra(extra_axis, self, policies, services)
        _plot_therapist_time(time_axis, self, policies)
        _plot_use_by_discipline(use_axis, self, policies, services)
        figure.suptitle(f"Staffing feasibility: {self.school}")
        return figure


def feasibility_report(
    school: School,
    policies: Mapping[str, Policy] | None = None,
    params: Params | None = None,
    seed: int = 1,
    scheduling: SchedulingOptions | None = None,
    explain: bool = True,
    on_policy: Callable[[int, int, str], None] | None = None,
) -> FeasibilityReport:
    """Schedule the week under each policy and report what can and cannot be delivered.

    Args:
        school: The school, generated or loaded from its CSV files.
        policies: Policies by name (default: every preset in `POLICY_PRESETS`).
        params: Model parameters; travel and co-planning minutes and after-school slots matter.
        seed: The run seed whose scheduling stream breaks the greedy's ties between equal slots.
        scheduling: The scheduler and its settings (default: the optimizer).
        explain: With the optimizer, name for every unmet session the single change that would
            let it be scheduled, by re-solving with one rule relaxed at a time (see
            `inclusion_sim.delivery.optimize.explain_unmet`), instead of the scheduler's reason.
        on_policy: Called with (number, total, policy name) as each policy starts: a report
            of every preset takes minutes on a large school, and the person waiting should see
            it move.

    Returns:
        The report's tables.
    """
    policies = dict(policies or POLICY_PRESETS)
    params = params or Params()
    school = check_supervision_cap(school, params)
    scheduling = scheduling or SchedulingOptions()
    greedy = replace(scheduling, scheduler="greedy")
    parts: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for n, (name, policy) in enumerate(policies.items()):
        if on_policy is not None:
            on_policy(n + 1, len(policies), name)
        schedule = _schedule(school, policy, params, seed, scheduling)
        if explain and schedule.solver is not None and schedule.unmet:
            schedule = _explained(school, policy, params, schedule, scheduling)
        parts["schedulers"].append(pd.DataFrame([_scheduler_row(
            schedule, _schedule(school, policy, params, seed, greedy))]).assign(policy=name))
        students = _student_table(school, schedule)
        extra = _extra_staffing(school, policy, params, seed, schedule, scheduling)
        parts["students"].append(students.assign(policy=name))
        parts["unmet"].append(_unmet_table(schedule).assign(policy=name))
        parts["therapists"].append(_therapist_table(school, schedule).assign(policy=name))
        parts["extra"].append(extra.assign(policy=name))
        parts["services"].append(
            _service_table(school, schedule, students, extra).assign(policy=name))
    tables = {key: _policy_first(pd.concat(frames, ignore_index=True))
              for key, frames in parts.items()}
    return FeasibilityReport(school.name, seed, list(policies), tables["services"],
                             tables["students"], tables["unmet"], tables["therapists"],
                             tables["extra"], tables["schedulers"],
                             school_from_files=school.from_files)


def _explained(school: School, policy: Policy, params: Params, schedule: WeeklySchedule,
               scheduling: SchedulingOptions) -> WeeklySchedule:
    """The schedule with each unmet session's reason replaced by what would fix it."""
    from inclusion_sim.delivery.optimize import explain_unmet, with_explained_unmet
    from inclusion_sim.school.master_schedule import MIN_PERIODS, restaggered

    options = scheduling.solver_options()
    stagger = restaggered if school.timetable.periods >= MIN_PERIODS else None
    unmet = explain_unmet(school, policy, params, schedule, options, stagger=stagger)
    # No relaxation hires a therapist: a discipline with nobody at all keeps that reason.
    staffed = {t.discipline for t in school.therapists}
    unmet = [u if u.service in staffed else replace(u, reason="no_therapist") for u in unmet]
    return with_explained_unmet(schedule, merge_unmet(unmet))


def _scheduler_row(schedule: WeeklySchedule, greedy: WeeklySchedule) -> dict[str, object]:
    """Scheduled minutes by the greedy and by the report's scheduler, and the proven bound."""
    mandated = schedule.scheduled_minutes_total() + schedule.unmet_minutes()
    report = schedule.solver
    bound = report.upper_bound_minutes if report is not None else None

    def percent(minutes: float | None) -> float:
        return round(100 * minutes / mandated, 1) if mandated and minutes is not None else \
            (100.0 if not mandated else float("nan"))

    return {
        "greedy_percent": percent(greedy.scheduled_minutes_total()),
        "scheduled_percent": percent(schedule.scheduled_minutes_total()),
        "bound_percent": percent(bound),
        "solver_status": report.status if report is not None else "greedy (no bound)",
    }


def _schedule(school: School, policy: Policy, params: Params, seed: int,
              scheduling: SchedulingOptions) -> WeeklySchedule:
    from inclusion_sim.base.seeds import make_streams

    return make_schedule(school, policy, params, make_streams(seed)["schedule"], scheduling)


def _policy_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["policy"] + [c for c in frame.columns if c != "policy"]]


def _student_table(school: School, schedule: WeeklySchedule) -> pd.DataFrame:
    scheduled = schedule.scheduled_minutes(len(school.students))
    unmet: dict[tuple[str, str], int] = defaultdict(int)
    reasons: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u in schedule.unmet:
        unmet[(u.student_id, u.service)] += u.minutes
        reasons[(u.student_id, u.service)].add(u.reason)
    rows = []
    for i, student in enumerate(school.students):
        for mandate in student.mandates:
            key = (student.id, mandate.service)
            rows.append({
                "student_id": student.id,
                "class_id": student.class_id,
                "grade": student.grade,
                "service": mandate.service,
                "sessions_per_week": mandate.sessions_per_week,
                "minutes_per_session": mandate.minutes_per_session,
                "max_group": mandate.max_group,
                "mandated_minutes": mandate.weekly_minutes,
                "scheduled_minutes": int(scheduled[i, SERVICES.index(mandate.service)]),
                "unmet_minutes": unmet.get(key, 0),
                "unmet_reasons": ";".join(sorted(reasons.get(key, ()))),
            })
    columns = ["student_id", "class_id", "grade", "service", "sessions_per_week",
               "minutes_per_session", "max_group", "mandated_minutes", "scheduled_minutes",
               "unmet_minutes", "unmet_reasons"]
    return pd.DataFrame(rows, columns=columns)


def _unmet_table(schedule: WeeklySchedule) -> pd.DataFrame:
    columns = ["service", "setting", "reason", "explanation", "students", "sessions", "minutes"]
    if not schedule.unmet:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame([vars(u) for u in schedule.unmet])
    table = (frame.groupby(["service", "setting", "reason"], sort=False)
             .agg(students=("student_id", "nunique"), sessions=("sessions", "sum"),
                  minutes=("minutes", "sum"))
             .reset_index())
    table["explanation"] = table["reason"].map(UNMET_REASONS)
    table["service"] = pd.Categorical(table["service"], SERVICES, ordered=True)
    table = table.sort_values(["service", "minutes"], ascending=[True, False])
    table["service"] = table["service"].astype(str)
    return table[columns].reset_index(drop=True)


def _therapist_table(school: School, schedule: WeeklySchedule) -> pd.DataFrame:
    rows = []
    for therapist, load in zip(school.therapists, schedule.load, strict=True):
        rows.append({
            "therapist_id": load.therapist_id,
            "discipline": load.discipline,
            "employment": load.employment,
            "days_on_site": ";".join(DAYS[d] for d in therapist.days_on_site),
            "contracted_minutes": load.capacity,
            "direct_minutes": load.direct,
            "travel_minutes": load.travel,
            "coplanning_minutes": load.coplanning,
            "consultation_minutes": load.consultation,
            "supervision_minutes": load.supervision,
            "used_minutes": load.used,
            "idle_minutes": load.capacity - load.used,
            "utilization_percent": round(100 * load.utilization, 1),
        })
    return pd.DataFrame(rows, columns=[
        "therapist_id", "discipline", "employment", "days_on_site", "contracted_minutes",
        "direct_minutes", "travel_minutes", "coplanning_minutes", "consultation_minutes",
        "supervision_minutes", "used_minutes", "idle_minutes", "utilization_percent"])


def _service_table(
    school: School, schedule: WeeklySchedule, students: pd.DataFrame, extra: pd.DataFrame
) -> pd.DataFrame:
    by_service = students.groupby("service")
    extra_by = extra.set_index("discipline") if not extra.empty else None
    rows = []
    for service in SERVICES:
        loads = [load for load in schedule.load if load.discipline == service]
        has = service in by_service.groups
        group = by_service.get_group(service) if has else None
        found = extra_by is not None and service in extra_by.index
        unmet = int(group["unmet_minutes"].sum()) if has else 0
        rows.append({
            "service": service,
            "label": SERVICE_LABELS[service],
            "students": int(len(group)) if has else 0,
            "mandated_minutes": int(group["mandated_minutes"].sum()) if has else 0,
            "scheduled_minutes": int(group["scheduled_minutes"].sum()) if has else 0,
            "unmet_minutes": unmet,
            "therapists": len(loads),
            "contracted_minutes": sum(load.capacity for load in loads),
            "direct_minutes": sum(load.direct for load in loads),
            "travel_minutes": sum(load.travel for load in loads),
            "coplanning_minutes": sum(load.coplanning for load in loads),
            "consultation_minutes": sum(load.consultation for load in loads),
            "supervision_minutes": sum(load.supervision for load in loads),
            "extra_minutes": int(extra_by.loc[service, "extra_minutes"]) if found else 0,
            "unmet_after_extra": int(extra_by.loc[service, "unmet_after"]) if found else unmet,
        })
    return pd.DataFrame(rows)


def _extra_staffing(
    school: School, policy: Policy, params: Params, seed: int, schedule: WeeklySchedule,
    scheduling: SchedulingOptions,
) -> pd.DataFrame:
    """Per discipline with unmet minutes, the fewest extra therapist minutes that meet them."""
    unmet_before: dict[str, int] = defaultdict(int)
    for u in schedule.unmet:
        unmet_before[u.service] += u.minutes
    rows = []
    for discipline in SERVICES:
        if not unmet_before[discipline]:
            continue
        mandated = sum(m.weekly_minutes for s in school.students for m in s.mandates
                       if m.service == discipline)

        alone = _discipline_alone(school, discipline)

        @functools.cache
        def unmet_with(extra: int, discipline: str = discipline,
                       alone: School = alone) -> WeeklySchedule:
            return _minutes_only(_with_extra_therapists(alone, discipline, extra), policy,
                                 params, seed, scheduling)

        def left(result: WeeklySchedule, discipline: str = discipline) -> int:
            return sum(u.minutes for u in result.unmet if u.service == discipline)

        ceiling = _quarter_hours(2 * mandated + 60 * len(school.classes))
        floor = left(unmet_with(ceiling))
        low, high = 0, ceiling if unmet_before[discipline] > floor else 0
        while high - low > STEP_MINUTES:
            middle = _quarter_hours((low + high) // 2)
            if middle in (low, high):
                break
            if left(unmet_with(middle)) <= floor:
                high = middle
            else:
                low = middle
        residual = unmet_with(high)
        reasons = sorted({u.reason for u in residual.unmet if u.service == discipline})
        rows.append({
            "discipline": discipline,
            "extra_minutes": high,
            "extra_hours": round(high / 60, 2),
            "extra_therapists": math.ceil(high / MAX_MINUTES_PER_EXTRA_THERAPIST),
            "unmet_before": unmet_before[discipline],
            "unmet_after": left(residual),
            "reasons_left": ";".join(reasons),
        })
    return pd.DataFrame(rows, columns=["discipline", "extra_minutes", "extra_hours",
                                       "extra_therapists", "unmet_before", "unmet_after",
                                       "reasons_left"])


def _minutes_only(school: School, policy: Policy, params: Params, seed: int,
                  scheduling: SchedulingOptions) -> WeeklySchedule:
    """A week whose only purpose is its unmet minutes, for the extra-hours search.

    The search needs how many minutes a staffing can deliver, not where its sessions fall. So
    with the optimizer only its first step runs (the most mandated minutes), to a proven optimum
    within the scenario's budget rather than to its usual 1% gap: skipping the second step
    (sessions spread over days, out of core lessons, fewer classrooms) makes each of the search's
    dozen solves several times cheaper, and the exact optimum keeps the search's comparisons from
    depending on where within that gap a solve stopped. The greedy's weeks are made as a run
    would make them.
    """
    if scheduling.scheduler != "optimal":
        return _schedule(school, policy, params, seed, scheduling)
    import numpy as np

    from inclusion_sim.delivery.optimize import schedule_week_optimal

    return schedule_week_optimal(school, policy, params, np.random.default_rng(scheduling.seed),
                                 options=scheduling.solver_options(polish_time=0.0, gap=0.0))


def _discipline_alone(school: School, discipline: str) -> School:
    """The school with one discipline's mandates and therapists only.

    The search for extra time schedules each discipline on its own: a student's other services
    are not in the way, so the extra time found is the least the discipline needs, and the
    search stays small enough to re-solve a dozen times with the optimizer.
    """
    students = [replace(s, mandates=tuple(m for m in s.mandates if m.service == discipline))
                for s in school.students]
    therapists = [t for t in school.therapists if t.discipline == discipline]
    return replace(school, students=students, therapists=therapists)


def _quarter_hours(minutes: int) -> int:
    return int(math.ceil(minutes / STEP_MINUTES) * STEP_MINUTES)


def _with_extra_therapists(school: School, discipline: str, minutes: int) -> School:
    """The school with `minutes` a week of added therapists of a discipline, on site daily."""
    if minutes <= 0:
        return school
    count = math.ceil(minutes / MAX_MINUTES_PER_EXTRA_THERAPIST)
    shares = [minutes // count + (1 if k < minutes % count else 0) for k in range(count)]
    added = [TherapistRecord(f"extra-{discipline}-{k + 1}", discipline, share,
                             tuple(range(len(DAYS))), "agency")
             for k, share in enumerate(shares)]
    return replace(school, therapists=[*school.therapists, *added])


def _plot_minutes(axis, report: FeasibilityReport, names: list[str],
                  service_names: list[str]) -> None:
    """Scheduled minutes per service and policy, against the mandated minutes."""
    services = report.services
    width = 0.8 / len(report.policies)
    positions = range(len(SERVICES))
    mandated = services.groupby("service", sort=False)["mandated_minutes"].first()
    axis.bar(positions, [mandated[s] for s in SERVICES], 0.86, color="none", edgecolor="black",
             linewidth=1.0, label="mandated")
    for k, policy in enumerate(report.policies):
        rows = services[services["policy"] == policy].set_index("service")
        axis.bar([x - 0.4 + width * (k + 0.5) for x in positions],
                 [rows.loc[s, "scheduled_minutes"] for s in SERVICES], width, label=names[k])
    axis.set_xticks(list(positions), service_names)
    axis.set_ylabel("minutes a week")
    axis.set_title("Mandated and schedulable minutes")
    axis.set_ylim(0, 1.45 * max(mandated.max(), 1))  # room for the legend above the bars
    axis.legend(fontsize="x-small", ncols=2, loc="upper left")


def _plot_therapist_time(axis, report: FeasibilityReport, names: list[str]) -> None:
    """Therapists' committed minutes per policy, split by use, against contracted minutes."""
    totals = report.therapists.groupby("policy", sort=False)[
        ["direct_minutes", "travel_minutes", "coplanning_minutes", "consultation_minutes",
         "supervision_minutes", "contracted_minutes"]].sum()
    totals = totals.loc[report.policies]
    positions = range(len(report.policies))
    bottom = [0.0] * len(report.policies)
    for column, label in (("direct_minutes", "sessions"), ("travel_minutes", "travel"),
                          ("coplanning_minutes", "co-planning"),
                          ("consultation_minutes", "consultation"),
                          ("supervision_minutes", "supervision")):
        values = totals[column].tolist()
        if column in ("consultation_minutes", "supervision_minutes") and not any(values):
            continue  # only policies or staff that have them show them
        axis.bar(positions, values, 0.6, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axis.plot(positions, totals["contracted_minutes"].tolist(), "k_", markersize=30,
              label="contracted")
    axis.set_xticks(list(positions), names, fontsize="x-small")
    axis.set_ylim(0, 1.3 * max([*bottom, *totals["contracted_minutes"].tolist(), 1]))
    axis.set_ylabel("therapist minutes a week")
    axis.set_title("Therapist time")
    axis.legend(fontsize="small", loc="upper center", ncols=2)


#: One colour per discipline, the same in every panel that shows disciplines.
_DISCIPLINE_COLOURS = dict(zip(SERVICES, ("tab:blue", "tab:orange", "tab:green", "tab:purple",
                                          "tab:brown"), strict=True))


def _plot_use_by_discipline(axis, report: FeasibilityReport, names: list[str],
                            service_names: list[str]) -> None:
    """Share of each discipline's contracted minutes in use, per policy, against 100%.

    In use means sessions, travel, co-planning, consultation and supervision together.
    """
    used = report.therapists.groupby(["policy", "discipline"], sort=False)[
        ["used_minutes", "contracted_minutes"]].sum()
    disciplines = [s for s in SERVICES if s in set(report.therapists["discipline"])]
    width = 0.8 / max(len(disciplines), 1)
    positions = range(len(report.policies))
    for k, discipline in enumerate(disciplines):
        shares = []
        for policy in report.policies:
            row = used.loc[(policy, discipline)] if (policy, discipline) in used.index else None
            contracted = 0 if row is None else row["contracted_minutes"]
            shares.append(100 * row["used_minutes"] / contracted if contracted else 0.0)
        axis.bar([x - 0.4 + width * (k + 0.5) for x in positions], shares, width,
                 color=_DISCIPLINE_COLOURS[discipline],
                 label=service_names[SERVICES.index(discipline)])
    axis.axhline(100, color="black", linestyle="--", linewidth=1.0, label="all contracted time")
    axis.set_xticks(list(positions), names, fontsize="x-small")
    axis.set_ylim(0, 135)
    axis.set_ylabel("% of contracted minutes in use")
    axis.set_title("Each discipline's time in use")
    axis.legend(fontsize="x-small", ncols=3, loc="upper center")


def _plot_extra(axis, report: FeasibilityReport, names: list[str],
                service_names: list[str]) -> None:
    """Extra therapist hours a week each policy needs, by discipline."""
    positions = range(len(report.policies))
    bottom = [0.0] * len(report.policies)
    for service, service_name in zip(SERVICES, service_names, strict=True):
        rows = report.services[report.services["service"] == service].set_index("policy")
        values = [rows.loc[p, "extra_minutes"] / 60 for p in report.policies]
        if any(values):
            axis.bar(positions, values, 0.6, bottom=bottom, label=service_name,
                     color=_DISCIPLINE_COLOURS[service])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axis.set_xticks(list(positions), names, fontsize="x-small")
    axis.set_ylabel("hours a week")
    axis.set_title("Extra therapist hours needed")
    if any(bottom):
        axis.legend(fontsize="small")
    else:
        axis.text(0.5, 0.5, "none: every mandate fits", transform=axis.transAxes, ha="center")
