"""Outcomes: weekly time series, end-of-run summaries and tidy tables.

`collect` turns a finished (or paused) model into a `RunResult` of plain pandas tables, which is
what the store, the analysis, the plots and the dashboard consume. `METRICS` describes every
summary outcome once (label, unit, which direction is better, how it is measured) so every
table and figure labels it the same way.

Some outcomes are split on purpose, so that one number does not hide two things that happened:
classroom carry-over is reported next to goal mastery and generalization (carry-over ÷ mastery),
because carry-over can never exceed mastery and a fall in carry-over may be a fall in dose
rather than in transfer to the classroom; other lessons missed are reported next to core
lessons missed; cost per delivered student-hour next to the total cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from inclusion_sim.base.params import PARAMETERS
from inclusion_sim.base.tables import readable, write_tables
from inclusion_sim.delivery import indirect
from inclusion_sim.delivery.plan import NO_HOMEROOM_TEACHER
from inclusion_sim.model.columns import COLUMNS
from inclusion_sim.model.mechanisms.disruptions import CAUSES
from inclusion_sim.school.world import DAYS, RELEVANT_SUBJECTS, SERVICES, School

if TYPE_CHECKING:
    from inclusion_sim.model.school_model import SchoolModel
    from inclusion_sim.model.state import StudentState


@dataclass(frozen=True)
class Metric:
    """How to present one summary outcome.

    Attributes:
        label: What people read, in plain words.
        unit: The unit of the value as `collect` reports it.
        better: "higher", "lower" or "neither".
        doc: How it is measured, in a sentence, for the documentation and the About page
            (empty when the label says it all).
    """

    label: str
    unit: str
    better: str
    doc: str = ""


#: Summary outcomes of a run, in display order.
METRICS: dict[str, Metric] = {
    "iep_mastery": Metric(
        "Mastery of IEP goals", "0-1 scale", "higher",
        "Mean over each student's mandated services of goal mastery in the session."),
    "iep_generalization": Metric(
        "Generalization: mastered IEP skills used in class", "share", "higher",
        "Carry-over ÷ mastery for each student and mandated service, averaged: the share of what "
        "has been learned that is used in class. Unlike carry-over, it does not fall merely "
        "because less was learned."),
    "iep_carryover": Metric(
        "Classroom use of IEP skills (carry-over)", "0-1 scale", "higher",
        "Mean over each student's mandated services of use of the skill in class; it can never "
        "exceed mastery, so it moves with the dose as well as with generalization."),
    "iep_academic_growth_sd": Metric("Academic growth, students with IEPs", "SD", "higher"),
    "peer_academic_growth_sd": Metric("Academic growth, classmates without IEPs", "SD", "higher"),
    "peer_spillover_sd": Metric(
        "Classmates' gain from a second adult or a smaller class", "SD", "higher",
        "Growth of classmates without IEPs from a pushed-in therapist in their core lesson "
        "(spill-over) or from a smaller class while students are pulled out; what disruption "
        "takes away is not subtracted (it is in their academic growth)."),
    "peer_spillover_weakest_sd": Metric(
        "Weakest classmates' gain from a second adult or a smaller class", "SD", "higher",
        "The same gain for the weakest quarter of each class: classmates without IEPs whose "
        "starting achievement is at or below their class's 25th percentile of classmates "
        "without IEPs. Above the classmates' mean when the help reaches the weakest most "
        "(finding F4 in the literature notes)."),
    "iep_core_hours_missed": Metric(
        "Core instruction missed per student with an IEP", "hours", "lower",
        "Hours of reading, writing, math, science and social studies missed in the run (a "
        "school year at the default 36 weeks)."),
    "iep_other_hours_missed": Metric(
        "Non-core lessons missed per student with an IEP", "hours", "lower",
        "Hours of specials (art, music, PE) and lunch and recess missed in the run: the "
        "periods students often like best, which core hours leave out."),
    "iep_stigma": Metric("Felt stigma, students with IEPs", "0-1 scale", "lower"),
    "iep_belonging": Metric("Belonging, students with IEPs", "0-1 scale", "higher"),
    "wasted_minutes_per_iep_student": Metric("Session minutes lost to refusals and absences",
                                             "minutes per student", "lower"),
    "teacher_strategy_use": Metric(
        "Teachers' use of therapy strategies where they apply", "0-1 scale", "higher",
        "Mean over teacher and service cells where practice is possible: the class has a "
        "student who needs the service and its teacher teaches a lesson relevant to it. Cells "
        "where use can never turn into practice (PT, whose lessons are specials and recess) "
        "are left out."),
    "mandate_compliance": Metric("Mandated minutes delivered", "share", "higher"),
    "unmet_minutes_per_week": Metric("Mandated minutes that could not be scheduled",
                                     "minutes per week", "lower"),
    "therapist_direct_hours": Metric("Therapist time in sessions", "hours", "neither"),
    "therapist_travel_hours": Metric("Therapist travel between classrooms", "hours", "lower"),
    "coordination_hours": Metric("Co-planning time (therapists and teachers)", "hours", "lower"),
    "cost_usd": Metric("Staff cost of services and co-planning", "USD", "lower"),
    "cost_per_delivered_hour": Metric(
        "Staff cost per delivered student-hour of service", "USD per student-hour", "lower",
        "Staff cost ÷ session hours delivered, summed over students (a group session of three "
        "for an hour delivers three student-hours), so a policy is not counted dearer just "
        "because it delivers more."),
}

SUMMARY_METRICS: tuple[str, ...] = tuple(METRICS)

#: School weeks in a reporting month (a 36-week year has nine).
MONTH_WEEKS = 4

#: The year as schools report it: services received in full, in part or not at all, sessions
#: lost by cause, make-ups. Kept apart from `METRICS` so the summary of a run, and every result
#: recorded before these existed, keeps its columns; `RunResult.summary_frame`, comparisons
#: and sweeps report both.
YEAR_METRICS: dict[str, Metric] = {
    "share_full_services": Metric(
        "Students with IEPs served in full (monthly share)", "share", "higher",
        "For each school month (4 weeks), the share of students with IEPs whose delivered "
        "minutes (made-up minutes included) reach the mandated minutes of every service; "
        "averaged over the months. Districts report services per student as full, partial or "
        "none the same way."),
    "share_partial_services": Metric(
        "Students with IEPs served in part (monthly share)", "share", "neither",
        "As above: some minutes delivered, fewer than mandated in at least one service."),
    "share_no_services": Metric(
        "Students with IEPs not served at all (monthly share)", "share", "lower",
        "As above: no minute of any mandated service delivered in the month."),
    "sessions_lost_student_absent": Metric(
        "Sessions lost to student absence", "sessions per student", "lower",
        "Per student with an IEP, sessions not held because the student was absent that day "
        "(or did not come to an after-school session)."),
    "sessions_lost_therapist_absent": Metric(
        "Sessions lost to therapist absence", "sessions per student", "lower",
        "Per student with an IEP, sessions cancelled because the therapist was out with no "
        "substitute."),
    "sessions_lost_school_event": Metric(
        "Sessions lost to school events and testing days", "sessions per student", "lower"),
    "sessions_lost_therapist_duties": Metric(
        "Sessions lost to evaluations and paperwork", "sessions per student", "lower",
        "Per student with an IEP, sessions a therapist cancelled in a week heavy with "
        "evaluations, IEP meetings and paperwork."),
    "sessions_lost_refusal": Metric(
        "Sessions lost to refusals", "sessions per student", "lower",
        "Sessions refused by a student who was there (the resistance mechanism)."),
    "made_up_minutes_per_iep_student": Metric(
        "Make-up minutes per student with an IEP", "minutes per student", "neither",
        "Minutes delivered in make-up sessions (they count as delivered too)."),
    "iep_hours_absent": Metric(
        "Lesson hours missed by absence per student with an IEP", "hours", "lower",
        "Lessons (core and other) a student with an IEP missed by being absent from school; "
        "counted apart from lessons missed for therapy, and the same under every policy."),
}

#: Every outcome a run reports, the summary's first.
ALL_METRICS: dict[str, Metric] = {**METRICS, **YEAR_METRICS}


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


def _needed_mean(matrix: np.ndarray, need: np.ndarray) -> float:
    return float(matrix[need].mean()) if need.any() else float("nan")


def generalization(mastery: np.ndarray, carryover: np.ndarray) -> np.ndarray:
    """Carry-over ÷ mastery per cell: the share of what has been learned used in class.

    Carry-over cannot exceed mastery, so a student who learns less carries over less even when
    every bit of it reaches the classroom; the ratio separates that transfer from the dose.
    Cells with no mastery (not reached by the model's start values) give NaN.
    """
    mastery = np.asarray(mastery, dtype=float)
    return np.divide(carryover, mastery, out=np.full(mastery.shape, np.nan), where=mastery > 0)


def practice_cells(school: School, class_needs: np.ndarray) -> np.ndarray:
    """(classes, services) True where a teacher's use of a strategy can become practice.

    That needs a student in the class with the service and at least one lesson in the week that
    is relevant to the service and taught by the homeroom teacher (specials and lunch/recess are
    not). Elsewhere a teacher's use of a strategy never reaches a student (PT's lessons are
    specials and recess), so averaging those cells in would dilute teachers' strategy use with
    use that does nothing, or with zeros no policy can move. The cells depend on the school
    alone, so every policy is averaged over the same cells.
    """
    tt = school.timetable
    teaches = np.zeros((len(school.classes), len(SERVICES)), dtype=bool)
    for c, klass in enumerate(school.classes):
        subjects = {subject for day in tt.subjects[klass.id] for subject in day}
        taught = subjects - NO_HOMEROOM_TEACHER
        teaches[c] = [bool(taught & RELEVANT_SUBJECTS[service]) for service in SERVICES]
    return teaches & np.asarray(class_needs, dtype=bool)


#: The weakest share of each class's classmates without IEPs (F4's "students with low
#: starting legibility"): a quarter, by starting achievement.
WEAKEST_SHARE = 0.25


def weakest_classmates(st: StudentState) -> np.ndarray:
    """Mask of the weakest quarter of each class's classmates without IEPs, by starting standing.

    Within each class rather than school-wide, so that the weakest are compared with classmates
    who had the same therapists in the room and left for the same sessions: the difference
    from `peer_spillover_sd` is then who the help reaches, not which class got more of it.
    A class's weakest are those at or below its 25th percentile (at least one student).
    """
    peers = ~st.has_iep
    out = np.zeros(len(peers), dtype=bool)
    for c in np.unique(st.class_index[peers]):
        members = np.flatnonzero(peers & (st.class_index == c))
        cut = np.quantile(st.baseline[members], WEAKEST_SHARE)
        out[members[st.baseline[members] <= cut]] = True
    return out


def supervision_minutes(school: School, params) -> np.ndarray:
    """Weekly minutes each licensed therapist spends supervising their discipline's assistants.

    The time the schedulers keep out of their contracts (`inclusion_sim.delivery.indirect`);
    it is paid for, like their sessions.
    """
    return indirect.supervision_minutes(school, params.assistant_supervision_share)


def cost_per_hour(cost: float, delivered_minutes: float) -> float:
    """Cost per delivered student-hour; NaN when nothing was delivered."""
    hours = float(delivered_minutes) / 60.0
    return float(cost) / hours if hours > 0 else float("nan")


def weekly_row(model: SchoolModel) -> dict[str, float]:
    """The school-level numbers recorded at the end of each week (week 0 = the start)."""
    st, iep = model.state, model.iep
    peers = ~st.has_iep
    mandated = st.mandated.sum()
    return {
        "week": float(model.week),
        "iep_mastery": _needed_mean(st.mastery, st.need),
        "iep_generalization": _needed_mean(generalization(st.mastery, st.carryover), st.need),
        "iep_carryover": _needed_mean(st.carryover, st.need),
        "iep_academic_growth_sd": _mean(st.academic_growth[iep]),
        "peer_academic_growth_sd": _mean(st.academic_growth[peers]),
        "iep_core_hours_missed": _mean(st.core_missed[iep]) / 60.0,
        "iep_other_hours_missed": _mean(st.other_missed[iep]) / 60.0,
        "iep_stigma": _mean(st.stigma[iep]),
        "iep_belonging": _mean(st.belonging[iep]),
        "teacher_strategy_knowledge": _needed_mean(model.teacher_state.knowledge,
                                                   model.practice_cells),
        "teacher_strategy_use": _needed_mean(model.teacher_state.use, model.practice_cells),
        "delivered_hours": float(st.delivered.sum()) / 60.0,
        "wasted_hours": float(st.wasted.sum() + st.absent.sum()) / 60.0,
        "mandate_compliance": float(st.delivered.sum() / mandated) if mandated else float("nan"),
    }


def student_snapshot(model: SchoolModel) -> dict[str, np.ndarray]:
    """Per-student numbers for students with IEPs, kept weekly for following one student."""
    st, iep = model.state, model.iep
    need = st.need[iep]
    counts = np.maximum(need.sum(axis=1), 1)
    share = np.nan_to_num(generalization(st.mastery[iep], st.carryover[iep]))
    return {
        "mastery": (st.mastery[iep] * need).sum(axis=1) / counts,
        "generalization": (share * need).sum(axis=1) / counts,
        "carryover": (st.carryover[iep] * need).sum(axis=1) / counts,
        "academic_growth": st.academic_growth[iep].copy(),
        "core_hours_missed": st.core_missed[iep] / 60.0,
        "other_hours_missed": st.other_missed[iep] / 60.0,
        "stigma": st.stigma[iep].copy(),
        "belonging": st.belonging[iep].copy(),
    }


@dataclass
class RunResult:
    """Everything one run produced, as tables.

    Attributes:
        summary: End-of-run outcomes by name (see `METRICS`).
        weekly: One row per week (week 0 is the start).
        students: One row per student.
        services: One row per student and mandated service: the minutes ledger and skills.
        therapists: One row per therapist: minutes and cost.
        unmet: One row per student, service and reason with unscheduled weekly minutes.
        meta: Seed, policy and scenario information.
        year: One row per student and mandated service: the year's mandated, scheduled,
            delivered and made-up minutes, minutes cancelled by disruptions and sessions lost
            by cause.
        months: One row per school month: shares of students with IEPs receiving full,
            partial and no services, and the share of mandated minutes delivered.
        year_summary: The year's outcomes by name (see `YEAR_METRICS`).
        makeups: One row per make-up session and student, by week, day and period, with the
            therapist, the service, the session it replaces and whether it was held or
            refused (the weekly timetables show the repeating plan; make-ups are not in it).
    """

    summary: dict[str, float]
    weekly: pd.DataFrame
    students: pd.DataFrame
    services: pd.DataFrame
    therapists: pd.DataFrame
    unmet: pd.DataFrame
    meta: dict[str, object] = field(default_factory=dict)
    year: pd.DataFrame = field(default_factory=pd.DataFrame)
    months: pd.DataFrame = field(default_factory=pd.DataFrame)
    year_summary: dict[str, float] = field(default_factory=dict)
    makeups: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MAKEUP_COLUMNS))

    def summary_frame(self) -> pd.DataFrame:
        """The summary and the year's outcomes as a one-row DataFrame."""
        return pd.DataFrame([{**self.meta, **self.summary, **self.year_summary}])

    def outcomes(self) -> dict[str, float]:
        """Every outcome by name: the summary, then the year's outcomes."""
        return {**self.summary, **self.year_summary}

    def write(self, directory: str | Path, formats: tuple[str, ...] = ("parquet", "csv")) -> Path:
        """Write every table into `directory`: Parquet at full precision, CSV for people.

        The CSV files keep their column names and write floats at six significant digits;
        ``data_dictionary.csv`` next to them gives each column's label, unit and meaning. The
        command line's ``run`` writes exactly these files.

        Args:
            directory: Folder to write into (created if needed).
            formats: ``"parquet"`` and/or ``"csv"`` (the CSV files come with the dictionary).
        """
        out = Path(directory)
        tables = {"summary": self.summary_frame(), "weekly": self.weekly,
                  "students": self.students, "services": self.services,
                  "therapists": self.therapists, "unmet": self.unmet,
                  "year": self.year, "months": self.months,
                  "makeups": self.makeups}
        write_tables(out, tables, describe_column, parquet="parquet" in formats,
                     csv="csv" in formats)
        return out


def describe_column(column: str) -> tuple[str, str, str]:
    """A table column's (label, unit, description): known columns, outcomes, then parameters.

    A column nobody described is given its name made readable, with no unit, so a data
    dictionary never silently leaves a column out.
    """
    if column in COLUMNS:
        return COLUMNS[column]
    if column in ALL_METRICS:
        info = ALL_METRICS[column]
        return info.label, info.unit, info.doc or info.label + "."
    if column in PARAMETERS:
        p = PARAMETERS[column]
        return p.label, p.unit, p.doc
    return readable(column)


def collect(model: SchoolModel) -> RunResult:
    """Summarise a model's state into a `RunResult`."""
    st, school, p = model.state, model.school, model.params
    iep = model.iep
    peers = ~st.has_iep
    n_iep = max(len(iep), 1)
    minutes = model.therapist_minutes
    therapists = pd.DataFrame({
        "therapist_id": [t.id for t in school.therapists],
        "discipline": [t.discipline for t in school.therapists],
        "employment": [t.employment for t in school.therapists],
        "role": [t.role for t in school.therapists],
        "contracted_minutes_per_week": [t.minutes_per_week for t in school.therapists],
        "direct_minutes": minutes["direct"],
        "travel_minutes": minutes["travel"],
        "coplanning_minutes": minutes["coplanning"],
        "consultation_minutes": minutes["consultation"],
        "consultation_service_minutes": minutes["consultation_service"],
        "supervision_minutes": supervision_minutes(school, p) * model.week,
        "utilization": [load.utilization for load in model.schedule.load],
    })
    hourly = np.where(therapists["role"] == "assistant", p.assistant_cost,
                      np.where(therapists["employment"] == "agency", p.agency_therapist_cost,
                               p.school_therapist_cost))
    therapist_hours = (therapists["direct_minutes"] + therapists["travel_minutes"]
                       + therapists["coplanning_minutes"]
                       + therapists["consultation_service_minutes"]
                       + therapists["supervision_minutes"]) / 60.0
    therapists["cost_usd"] = therapist_hours * hourly
    teacher_coplanning_hours = float(model.teacher_state.coplanning.sum()) / 60.0
    mandated = st.mandated.sum()
    cost = float(therapists["cost_usd"].sum()) + teacher_coplanning_hours * p.teacher_cost
    summary = {
        "iep_mastery": _needed_mean(st.mastery, st.need),
        "iep_generalization": _needed_mean(generalization(st.mastery, st.carryover), st.need),
        "iep_carryover": _needed_mean(st.carryover, st.need),
        "iep_academic_growth_sd": _mean(st.academic_growth[iep]),
        "peer_academic_growth_sd": _mean(st.academic_growth[peers]),
        "peer_spillover_sd": _mean(st.spillover_growth[peers]),
        "peer_spillover_weakest_sd": _mean(st.spillover_growth[weakest_classmates(st)]),
        "iep_core_hours_missed": _mean(st.core_missed[iep]) / 60.0,
        "iep_other_hours_missed": _mean(st.other_missed[iep]) / 60.0,
        "iep_stigma": _mean(st.stigma[iep]),
        "iep_belonging": _mean(st.belonging[iep]),
        "wasted_minutes_per_iep_student": float(st.wasted.sum() + st.absent.sum()) / n_iep,
        "teacher_strategy_use": _needed_mean(model.teacher_state.use, model.practice_cells),
        "mandate_compliance": float(st.delivered.sum() / mandated) if mandated else float("nan"),
        "unmet_minutes_per_week": float(model.schedule.unmet_minutes()),
        "therapist_direct_hours": float(minutes["direct"].sum()) / 60.0,
        "therapist_travel_hours": float(minutes["travel"].sum()) / 60.0,
        "coordination_hours": float(minutes["coplanning"].sum()) / 60.0 + teacher_coplanning_hours,
        "cost_usd": cost,
        "cost_per_delivered_hour": cost_per_hour(cost, st.delivered.sum()),
    }
    students = pd.DataFrame({
        "student_id": [s.id for s in school.students],
        "class_id": [s.class_id for s in school.students],
        "grade": st.grade,
        "has_iep": st.has_iep,
        "baseline_sd": st.baseline,
        "academic_growth_sd": st.academic_growth,
        "spillover_sd": st.spillover_growth,
        "core_minutes_missed": st.core_missed,
        "other_minutes_missed": st.other_missed,
        "backlog_minutes": st.backlog,
        "stigma": st.stigma,
        "belonging": st.belonging,
        "engagement": st.engagement,
        "refusals": st.refusals,
    })
    rows = []
    for i, rec in enumerate(school.students):
        for m in rec.mandates:
            d = SERVICES.index(m.service)
            rows.append((rec.id, m.service, st.mandated[i, d], st.scheduled[i, d],
                         st.delivered[i, d], st.wasted[i, d], st.absent[i, d], st.practice[i, d],
                         st.mastery[i, d], st.carryover[i, d]))
    services = pd.DataFrame(rows, columns=[
        "student_id", "service", "mandated_minutes", "scheduled_minutes", "delivered_minutes",
        "wasted_minutes", "absent_minutes", "teacher_practice_minutes", "mastery", "carryover"])
    services["generalization"] = generalization(services["mastery"].to_numpy(float),
                                                services["carryover"].to_numpy(float))
    unmet = pd.DataFrame([u.__dict__ for u in model.schedule.unmet],
                         columns=["student_id", "service", "setting", "sessions", "minutes",
                                  "reason"])
    meta = {"seed": model.seed, "policy": model.policy.name, "weeks": model.week}
    if model.disruptions:
        meta["disruptions"] = ", ".join(sorted(model.disruptions))
    year, months, year_summary = year_tables(model)
    return RunResult(summary, pd.DataFrame(model.weekly), students, services, therapists,
                     unmet, meta, year, months, year_summary, makeup_table(model))


#: Columns of `RunResult.makeups`.
MAKEUP_COLUMNS: tuple[str, ...] = (
    "school_week", "day", "period", "therapist_id", "student_id", "service", "minutes",
    "replaces_day", "replaces_period", "kind", "held")


def makeup_table(model: SchoolModel) -> pd.DataFrame:
    """Every make-up session of the run, one row per student, in the order they were held."""
    school, per_day = model.school, model.slots_per_day
    rows = []
    for week, slot, booked, refused in model.makeup_log:
        for k in range(len(booked.student)):
            origin = int(booked.origin[k])
            rows.append((week + 1, DAYS[slot // per_day], slot % per_day + 1,
                         school.therapists[int(booked.therapist[k])].id,
                         school.students[int(booked.student[k])].id,
                         SERVICES[int(booked.domain[k])], float(booked.minutes[k]),
                         DAYS[origin // per_day], origin % per_day + 1,
                         "make-up week" if origin == slot else "same week",
                         not bool(refused[k])))
    return pd.DataFrame(rows, columns=list(MAKEUP_COLUMNS))


def month_status(mandated: np.ndarray, received: np.ndarray) -> np.ndarray:
    """Per student: 2 full, 1 partial, 0 none, -1 nothing mandated (in one month).

    Args:
        mandated: (students, services) minutes mandated in the month.
        received: (students, services) minutes delivered in the month, made-up ones included.
    """
    due = mandated > 0
    full = (received >= mandated - 1e-9) | ~due
    status = np.where(full.all(axis=1), 2, np.where((received * due).sum(axis=1) > 0, 1, 0))
    return np.where(due.any(axis=1), status, -1)


def year_tables(model: SchoolModel) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """The year as schools report it: per student and service, per month, and in summary."""
    st, school = model.state, model.school
    n_iep = max(len(model.iep), 1)
    rows = []
    for i, rec in enumerate(school.students):
        for m in rec.mandates:
            d = SERVICES.index(m.service)
            rows.append((rec.id, m.service, st.mandated[i, d], st.scheduled[i, d],
                         st.delivered[i, d], st.made_up[i, d], st.makeup_refused[i, d],
                         st.cancelled[i, d], *st.lost_sessions[i, d]))
    year = pd.DataFrame(rows, columns=[
        "student_id", "service", "mandated_minutes", "scheduled_minutes", "delivered_minutes",
        "made_up_minutes", "made_up_refused_minutes", "cancelled_minutes",
        *(f"sessions_lost_{c}" for c in CAUSES)])
    ledger = model.ledger_weeks
    month_rows = []
    for start in range(0, len(ledger) - 1, MONTH_WEEKS):
        end = min(start + MONTH_WEEKS, len(ledger) - 1)
        mandated = ledger[end][0] - ledger[start][0]
        received = ledger[end][1] - ledger[start][1]
        status = month_status(mandated, received)
        counted = status >= 0
        k = max(int(counted.sum()), 1)
        month_rows.append({
            "month": start // MONTH_WEEKS + 1, "weeks": end - start,
            "students": int(counted.sum()),
            "share_full": float((status == 2).sum() / k),
            "share_partial": float((status == 1).sum() / k),
            "share_none": float((status == 0).sum() / k),
            "delivered_share": float(received.sum() / mandated.sum()) if mandated.sum()
            else float("nan")})
    months = pd.DataFrame(month_rows, columns=["month", "weeks", "students", "share_full",
                                               "share_partial", "share_none",
                                               "delivered_share"])
    lost = st.lost_sessions[model.iep].sum(axis=(0, 1)) / n_iep
    year_summary = {
        "share_full_services": _mean(months["share_full"].to_numpy(float)),
        "share_partial_services": _mean(months["share_partial"].to_numpy(float)),
        "share_no_services": _mean(months["share_none"].to_numpy(float)),
        **{f"sessions_lost_{c}": float(lost[k]) for k, c in enumerate(CAUSES)},
        "made_up_minutes_per_iep_student": float(st.made_up.sum()) / n_iep,
        "iep_hours_absent": float((st.absent_core + st.absent_other)[model.iep].sum())
        / n_iep / 60.0,
    }
    return year, months, year_summary
