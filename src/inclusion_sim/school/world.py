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


#: Clock time the main bell's first period starts when the school gives none, in minutes after
#: midnight (8:30). Estimate: a common elementary start time; only the order and overlap of
#: periods matter to the model, never the time of day itself.
MAIN_BELL_START = 8 * 60 + 30

#: Name of the bell every class follows unless `Timetable.bell_of` says otherwise.
MAIN_BELL = "main"

#: Minutes of an after-school slot (`inclusion_sim.delivery.scheduling.AFTER_SCHOOL_MINUTES`).
AFTER_SCHOOL_SLOT_MINUTES = 45


@dataclass(frozen=True)
class Bell:
    """A bell schedule other than the main one (for example a middle school's).

    Attributes:
        label: How people call it ("Grades 6-8 bell").
        minutes: Integer array of shape (days, periods): minutes of each period.
        starts: Integer array of shape (days, periods): clock start of each period, in minutes
            after midnight.
    """

    label: str
    minutes: np.ndarray
    starts: np.ndarray


def consecutive_starts(minutes: np.ndarray, start: int = MAIN_BELL_START,
                       passing: int = 0) -> np.ndarray:
    """Clock starts of periods that follow each other from `start`, `passing` minutes apart.

    Args:
        minutes: (days, periods) period lengths.
        start: Clock start of the first period, minutes after midnight.
        passing: Minutes between the end of a period and the start of the next.
    """
    minutes = np.asarray(minutes, dtype=np.int64)
    gaps = np.zeros_like(minutes)
    gaps[:, 1:] = minutes[:, :-1] + passing
    return start + np.cumsum(gaps, axis=1)


def clock(minutes: int) -> str:
    """Minutes after midnight as a school bell schedule writes it: "9:05", "1:40".

    12-hour without am or pm, as bell schedules are printed: a school day needs neither.
    """
    hours = (int(minutes) // 60 - 1) % 12 + 1
    return f"{hours}:{int(minutes) % 60:02d}"


@dataclass
class Timetable:
    """The weekly timetable: the bell schedules and each class's subjects.

    Most schools ring one bell for every class: `period_minutes`, with periods following each
    other from `MAIN_BELL_START`. A K-8 school may ring a second bell for its middle grades
    (`bells`, `bell_of`), with periods of other lengths and other clock times. Every bell has
    the same number of periods a day (a bell with fewer real periods is a limitation of the
    model). Code that needs a class's lesson lengths or a period's clock time asks
    `minutes_of` and `interval`, never `period_minutes` directly, so that it is right for every
    bell.

    A therapist is in one place at a time by the clock: two sessions in different bells
    conflict when their periods overlap in time, whatever their period numbers
    (`overlapping`).

    Attributes:
        period_minutes: Integer array of shape (days, periods): minutes of each period of the
            main bell.
        subjects: Class id -> list of days, each a list of subject names, one per period.
        period_starts: (days, periods) clock starts of the main bell's periods, minutes after
            midnight; None for consecutive periods from `MAIN_BELL_START`.
        bells: Further bells by name (not `MAIN_BELL`).
        bell_of: Class id -> bell name, for classes that do not follow the main bell.
    """

    period_minutes: np.ndarray
    subjects: dict[str, list[list[str]]] = field(default_factory=dict)
    period_starts: np.ndarray | None = None
    bells: dict[str, Bell] = field(default_factory=dict)
    bell_of: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, bell in self.bells.items():
            if name == MAIN_BELL:
                raise ValueError(f"a further bell cannot be named {MAIN_BELL!r}")
            if bell.minutes.shape != self.period_minutes.shape or \
                    bell.starts.shape != self.period_minutes.shape:
                raise ValueError(f"bell {name!r} has {bell.minutes.shape} (days, periods), the main "
                                 f"bell {self.period_minutes.shape}")
        unknown = sorted(set(self.bell_of.values()) - set(self.bells) - {MAIN_BELL})
        if unknown:
            raise ValueError(f"classes follow unknown bells: {', '.join(unknown)}")

    @property
    def days(self) -> int:
        """School days a week."""
        return int(self.period_minutes.shape[0])

    @property
    def periods(self) -> int:
        """Periods a day."""
        return int(self.period_minutes.shape[1])

    @property
    def single_bell(self) -> bool:
        """True when every class follows the main bell."""
        return all(b == MAIN_BELL for b in self.bell_of.values())

    def bell_names(self) -> list[str]:
        """The bells some class follows, the main bell first."""
        used = set(self.bell_of.values())
        return [MAIN_BELL] + [b for b in self.bells if b in used]

    def bell_label(self, bell: str) -> str:
        """How people call a bell."""
        return "School bell" if bell == MAIN_BELL else self.bells[bell].label

    def bell_for(self, class_id: str) -> str:
        """The name of the bell the class follows."""
        return self.bell_of.get(class_id, MAIN_BELL)

    def minutes_of(self, class_id: str) -> np.ndarray:
        """(days, periods) minutes of each period of the class's bell."""
        return self.bell_minutes(self.bell_for(class_id))

    def bell_minutes(self, bell: str) -> np.ndarray:
        """(days, periods) minutes of each period of a bell."""
        return self.period_minutes if bell == MAIN_BELL else self.bells[bell].minutes

    def bell_starts(self, bell: str) -> np.ndarray:
        """(days, periods) clock starts of a bell's periods, minutes after midnight."""
        if bell != MAIN_BELL:
            return self.bells[bell].starts
        if self.period_starts is None:
            # Not stored: the timetable stays as given (its pickle keys the schedule cache).
            return consecutive_starts(self.period_minutes)
        return self.period_starts

    def interval(self, bell: str, day: int, period: int) -> tuple[int, int]:
        """(start, end) clock minutes of a period of a bell.

        Periods past the end of the day are after-school slots (`AFTER_SCHOOL_SLOT_MINUTES` each;
        `after_school_interval`).
        """
        if period >= self.periods:
            return self.after_school_interval(day, period - self.periods)
        start = int(self.bell_starts(bell)[day, period])
        return start, start + int(self.bell_minutes(bell)[day, period])

    def after_school_interval(self, day: int, k: int,
                              minutes: int = AFTER_SCHOOL_SLOT_MINUTES) -> tuple[int, int]:
        """(start, end) of after-school slot k: they follow the latest bell's last period.

        After school is the same time for every grade (a therapist sees one after-school
        group at a time), starting when the last class of the school is dismissed.
        """
        end = max(int((self.bell_starts(b)[day] + self.bell_minutes(b)[day]).max())
                  for b in self.bell_names())
        return end + k * minutes, end + (k + 1) * minutes

    def overlapping(self, bell: str, day: int, period: int, other: str) -> list[int]:
        """Periods of bell `other` on `day` that overlap a period of `bell` in clock time.

        With one bell this is the period itself. After-school slots overlap only themselves.
        """
        if period >= self.periods:
            return [period]
        if other == bell:
            return [period]
        start, end = self.interval(bell, day, period)
        starts, minutes = self.bell_starts(other)[day], self.bell_minutes(other)[day]
        return [k for k in range(self.periods)
                if starts[k] < end and start < starts[k] + minutes[k]]


@dataclass
class School:
    """Everything the model needs to know about one school.

    Attributes:
        from_files: True when the students, staff and timetable are the school's own (read
            from its CSV files); False for a school the tool generated. Reports say which,
            so a principal knows whether a timetable is theirs or made up.
    """

    name: str
    classes: list[ClassRecord]
    teachers: list[TeacherRecord]
    therapists: list[TherapistRecord]
    students: list[StudentRecord]
    timetable: Timetable
    from_files: bool = False

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
