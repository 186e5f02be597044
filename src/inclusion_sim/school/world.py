"""The school as plain data: classes, staff, students, mandates and the timetable.

A `School` is what every source of schools produces (the generator, the CSV loader) and what
the model consumes. It holds no simulation state and no random numbers, so the same `School`
can be run under every policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: The five related services the model knows. Each service is also a skill domain.
SERVICES: tuple[str, ...] = ("speech", "ot", "pt", "counseling", "setss")

#: Human-readable names of the services, for tables and the dashboard.
SERVICE_LABELS: dict[str, str] = {
    "speech": "Speech-language therapy",
    "ot": "Occupational therapy",
    "pt": "Physical therapy",
    "counseling": "Counseling",
    "setss": "SETSS (special education teacher support)",
}

#: Therapist disciplines, one per service.
DISCIPLINES: tuple[str, ...] = SERVICES

#: Subjects a timetable period can hold.
SUBJECTS: tuple[str, ...] = (
    "ela",
    "writing",
    "math",
    "science",
    "social_studies",
    "specials",
    "lunch_recess",
)

#: Subjects whose missed minutes count as missed core instruction.
CORE_SUBJECTS: frozenset[str] = frozenset({"ela", "writing", "math", "science", "social_studies"})

#: Lessons in which a pushed-in session of a service practises the goal in the real task
#: (OT during writing, speech during ELA, counseling during group work or recess, ...).
RELEVANT_SUBJECTS: dict[str, frozenset[str]] = {
    "speech": frozenset({"ela", "social_studies"}),
    "ot": frozenset({"writing", "specials"}),
    "pt": frozenset({"specials", "lunch_recess"}),
    "counseling": frozenset({"lunch_recess", "social_studies"}),
    "setss": frozenset({"ela", "math", "writing"}),
}

EMPLOYMENT: tuple[str, ...] = ("school", "agency")

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")


@dataclass(frozen=True)
class Mandate:
    """One IEP related-service mandate.

    Attributes:
        service: One of `SERVICES`.
        sessions_per_week: Mandated sessions a week.
        minutes_per_session: Minutes of service per session.
        max_group: Largest group the IEP allows (1 = individual).
    """

    service: str
    sessions_per_week: int
    minutes_per_session: int
    max_group: int

    @property
    def weekly_minutes(self) -> int:
        """Mandated minutes a week."""
        return self.sessions_per_week * self.minutes_per_session


@dataclass(frozen=True)
class StudentRecord:
    """A student as the school knows them: an opaque id, a class, a grade, mandates."""

    id: str
    class_id: str
    grade: int
    mandates: tuple[Mandate, ...] = ()

    @property
    def has_iep(self) -> bool:
        """True when the student has at least one related-service mandate."""
        return bool(self.mandates)


@dataclass(frozen=True)
class ClassRecord:
    """A homeroom class with its teacher."""

    id: str
    grade: int
    teacher_id: str


@dataclass(frozen=True)
class TeacherRecord:
    """A classroom teacher (one class each)."""

    id: str
    class_id: str


@dataclass(frozen=True)
class TherapistRecord:
    """A related-service provider.

    Attributes:
        id: Opaque id.
        discipline: The service they deliver (one of `SERVICES`).
        minutes_per_week: Contracted minutes on site a week, for sessions, travel and co-planning.
        days_on_site: Weekday indices (0 = Monday) the therapist is at this school.
        employment: ``"school"`` (employed by the school) or ``"agency"`` (contracted).
        role: ``"therapist"`` (licensed) or ``"assistant"`` (an SLPA or COTA working under a
            licensed therapist's supervision: scheduled like a therapist, with its own cost
            and efficacy; see the ``assistant_*`` parameters).
    """

    id: str
    discipline: str
    minutes_per_week: int
    days_on_site: tuple[int, ...] = (0, 1, 2, 3, 4)
    employment: str = "school"
    role: str = "therapist"


@dataclass
class Timetable:
    """The weekly timetable: a bell schedule shared by all classes and each class's subjects.

    All classes share period boundaries (a school bell schedule), which is what lets a therapist
    be in exactly one place each period. Classes differ in which subject they have when.

    Attributes:
        period_minutes: Integer array of shape (days, periods): minutes of each period.
        subjects: Class id -> list of days, each a list of subject names, one per period.
    """

    period_minutes: np.ndarray
    subjects: dict[str, list[list[str]]] = field(default_factory=dict)

    @property
    def days(self) -> int:
        """School days a week."""
        return int(self.period_minutes.shape[0])

    @property
    def periods(self) -> int:
        """Periods a day."""
        return int(self.period_minutes.shape[1])


@dataclass
class School:
    """Everything the model needs to know about one school."""

    name: str
    classes: list[ClassRecord]
    teachers: list[TeacherRecord]
    therapists: list[TherapistRecord]
    students: list[StudentRecord]
    timetable: Timetable

    def class_index(self) -> dict[str, int]:
        """Map class id to its position in `classes`."""
        return {c.id: i for i, c in enumerate(self.classes)}

    def mandated_minutes_by_service(self) -> dict[str, int]:
        """Weekly mandated minutes per service, summed over students."""
        totals = dict.fromkeys(SERVICES, 0)
        for student in self.students:
            for m in student.mandates:
                totals[m.service] += m.weekly_minutes
        return totals

    def therapist_minutes_by_service(self) -> dict[str, int]:
        """Weekly contracted therapist minutes per discipline."""
        totals = dict.fromkeys(SERVICES, 0)
        for t in self.therapists:
            totals[t.discipline] += t.minutes_per_week
        return totals
