"""Generate a plausible school from a few numbers.

The defaults follow the operating numbers in the literature notes (section A): about 15% of
students with an IEP (A1), classes of 21 (A4), speech mandates of two 30-minute group sessions a
week (A7), SETSS of at least three hours a week in groups of up to eight (A12). Which services a
student with an IEP receives is drawn from a service mix whose shares are estimates. Each
class's weekly subjects come from the master schedule (`master_schedule.py`): by default core
blocks staggered by grade, rotating specials, lunch in waves and days that differ; in a school
with elementary and middle grades, the middle grades ring their own bell (``middle_bell``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from inclusion_sim.school.master_schedule import (
    MIDDLE_BELL,
    MasterScheduleSettings,
    iter_class_weeks,
    middle_school_bell,
)
from inclusion_sim.school.world import (
    SERVICES,
    ClassRecord,
    Mandate,
    School,
    StudentRecord,
    TeacherRecord,
    TherapistRecord,
    Timetable,
)


@dataclass(frozen=True)
class ServiceMix:
    """How often a service is mandated and what its typical mandate is.

    Attributes:
        share_of_iep: Probability that a student with an IEP receives this service.
        sessions_per_week: Typical weekly sessions.
        light_sessions_per_week: Sessions a week for a lighter mandate.
        light_share: Share of mandates that are light.
        minutes_per_session: Minutes per session.
        max_group: Largest group allowed.
    """

    share_of_iep: float
    sessions_per_week: int
    light_sessions_per_week: int
    light_share: float
    minutes_per_session: int
    max_group: int


#: Default service mix. Speech (A7) and SETSS (A12) mandates are read; shares are estimates.
DEFAULT_SERVICE_MIX: dict[str, ServiceMix] = {
    "speech": ServiceMix(0.55, 2, 1, 0.3, 30, 3),
    "ot": ServiceMix(0.25, 2, 1, 0.5, 30, 2),
    "pt": ServiceMix(0.06, 1, 1, 0.0, 30, 1),
    "counseling": ServiceMix(0.25, 1, 1, 0.0, 30, 4),
    "setss": ServiceMix(0.30, 4, 4, 0.0, 45, 8),
}


@dataclass(frozen=True)
class StaffGroup:
    """A number of therapists of one discipline with the same contract."""

    discipline: str
    count: int = 1
    minutes_per_week: int = 1320
    days_on_site: tuple[int, ...] = (0, 1, 2, 3, 4)
    employment: str = "school"
    role: str = "therapist"


@dataclass(frozen=True)
class SchoolSettings:
    """The few numbers a generated school is built from."""

    name: str = "Generated school"
    grades: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    classes_per_grade: int = 4
    class_size: int = 21
    iep_prevalence: float = 0.15
    service_mix: dict[str, ServiceMix] = field(default_factory=lambda: dict(DEFAULT_SERVICE_MIX))
    staff: tuple[StaffGroup, ...] = ()
    period_minutes: tuple[int, ...] = (60, 60, 45, 45, 45, 45, 45)
    master_schedule: MasterScheduleSettings = field(default_factory=MasterScheduleSettings)


def _mandates(rng: np.random.Generator, mix: dict[str, ServiceMix]) -> tuple[Mandate, ...]:
    chosen = []
    for service in SERVICES:
        m = mix.get(service)
        if m is None or rng.random() >= m.share_of_iep:
            continue
        sessions = m.light_sessions_per_week if rng.random() < m.light_share else m.sessions_per_week
        chosen.append(Mandate(service, sessions, m.minutes_per_session, m.max_group))
    if not chosen:
        most_common = max(mix, key=lambda s: mix[s].share_of_iep)
        m = mix[most_common]
        chosen.append(Mandate(most_common, m.sessions_per_week, m.minutes_per_session, m.max_group))
    return tuple(chosen)


def grade_label(grade: int) -> str:
    """'PK' for pre-kindergarten (-1), 'K' for kindergarten, the number otherwise."""
    return {-1: "PK", 0: "K"}.get(grade, str(grade))


def generate_school(settings: SchoolSettings, rng: np.random.Generator) -> School:
    """Build a school from `settings`, drawing every random choice from `rng`.

    The roster stream is separate from every other stream, so the same seed gives the same
    school under every policy (common random numbers).
    """
    classes, teachers, students, subjects = [], [], [], {}
    days = 5
    for grade in settings.grades:
        for k in range(settings.classes_per_grade):
            class_id = f"G{grade_label(grade)}-{chr(ord('A') + k)}"
            teacher_id = f"T-{class_id}"
            classes.append(ClassRecord(class_id, grade, teacher_id))
            teachers.append(TeacherRecord(teacher_id, class_id))
    period_minutes = np.tile(np.asarray(settings.period_minutes, dtype=np.int64), (days, 1))
    # Each class's week is drawn just before its students, the order the generator has always
    # used, so the legacy master schedule reproduces old schools exactly.
    weeks = iter_class_weeks(classes, period_minutes, settings.master_schedule, rng)
    for klass in classes:
        class_id, week = next(weeks)
        subjects[class_id] = week
        for _ in range(settings.class_size):
            has_iep = rng.random() < settings.iep_prevalence
            mandates = _mandates(rng, settings.service_mix) if has_iep else ()
            students.append(StudentRecord(f"S{len(students) + 1:05d}", class_id, klass.grade,
                                          mandates))
    therapists: list[TherapistRecord] = []
    for group in settings.staff:
        for _ in range(group.count):
            number = sum(t.discipline == group.discipline and t.role == group.role
                         for t in therapists) + 1
            assistant = "ASSISTANT-" if group.role == "assistant" else ""
            therapists.append(TherapistRecord(
                id=f"{group.discipline.upper()}-{assistant}{number}",
                discipline=group.discipline,
                minutes_per_week=group.minutes_per_week,
                days_on_site=tuple(group.days_on_site),
                employment=group.employment,
                role=group.role,
            ))
    middle = settings.master_schedule.middle_grades(settings.grades)
    bells, bell_of = {}, {}
    if middle:
        bells[MIDDLE_BELL] = middle_school_bell(days, period_minutes.shape[1])
        bell_of = {c.id: MIDDLE_BELL for c in classes if c.grade in middle}
    return School(settings.name, classes, teachers, therapists, students,
                  Timetable(period_minutes, subjects, bells=bells, bell_of=bell_of))
