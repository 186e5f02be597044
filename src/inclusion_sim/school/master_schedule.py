"""The master schedule of a generated school: which subject each class has in each period.

A school's master schedule decides when each class has ELA, math, specials and lunch. For
related services it matters because a therapist who pushes in can only work in a classroom
during a lesson relevant to the service (speech during ELA or social studies, SETSS during ELA,
math or writing, ...), and can be in one classroom per period. If every class has ELA and math at
the same time, a specialist can push into only a few classes a day; schools that want push-in
therefore stagger their literacy and math blocks by grade, rotate specials through the week and
run lunch in waves by grade.

The levers (`MasterScheduleSettings`), each with its default:

* ``core_blocks`` -- ``"staggered"`` (default): each grade has its ELA and math block at its own
  time of day, so that across the school literacy and math lessons are spread over the day
  (Stetson & Associates; Connecticut State Department of Education; see Sources).
  ``"aligned"``: every class has ELA and math in the two longest periods of the bell, the same
  time school-wide (the generator before this module).
* ``specials`` -- ``"rotating"`` (default): a class's specials (art, music, PE, library) fall in
  a different period each day, and the classes of a grade are in specials at different periods
  (the specials teacher sees one class at a time; Rettig & Canady 1995 on specials rotations).
  ``"fixed"``: specials in the same period every day.
* ``lunch`` -- ``"waves"`` (default): lunch and recess in waves by grade band, ``lunch_waves``
  consecutive mid-day periods, younger grades first (DMGroup, part 5; Howard County Public
  School System). ``"single"``: one mid-day lunch block of the two middle periods, each class
  drawn into one of them at random regardless of grade (the generator before this module).
* ``lunch_waves`` -- number of lunch waves when ``lunch = "waves"``: an integer from 2 to 4,
  default 3 (a K-5 school eating in grade pairs, as in the Chaffee R-II lunch schedule; the
  mid-day window of the bell caps it). Unit: waves (periods).
* ``days`` -- ``"varied"`` (default): the lessons other than ELA, math and lunch move through
  the week (science and social studies alternate periods day by day; with fewer than seven
  periods, which of them a day has rotates too). ``"same"``: every day is the same. Estimate:
  separate or alternating science/social studies periods are common (DMGroup, part 8), a rule
  that is the same every week is an estimate.
* ``departmentalized_grades`` -- grades taught by subject teachers (middle-school style), default
  grades 6, 7 and 8 (estimate: the usual split of a K-8 school). Such a class has every core
  subject each day but no long literacy block: its sections rotate through the subject
  teachers, so sections of a grade have different subjects in each period. Only with staggered
  core blocks (aligned core blocks put every class's ELA and math at the same time, which
  subject teachers cannot do).

Every class gets the same weekly diet under every setting: each day ELA once, math once, lunch
and recess exactly once in the mid-day window, and the other periods filled from writing,
science, social studies and specials (each of the four every day when the bell has seven or more
periods). Specials and lunch never take one of the bell's two longest periods (unless a very
short day leaves no other period), so weekly core minutes are the same as under the old
generator; a long period a staggered grade's block leaves free goes to science (estimate: time
for hands-on work). The sections of a grade take their other lessons in turn, so that no period
carries one subject for the whole grade; departmentalized sections follow a Latin square over
the day, so no two sections of a grade have the same subject teacher at once. Aligned core
blocks keep ELA and math in the two longest periods. **Known limitation**: the main bell is
shared by every elementary class, so there are only two long periods and they are at the same
time for everybody; a staggered grade whose block falls elsewhere has ELA and math in ordinary
periods (45 minutes in the default bell) and writing, science or social studies in the long
periods.

* ``middle_bell`` -- ``"own"`` (default): the departmentalized grades of a school that also has
  elementary grades ring their own bell (`middle_school_bell`): as many periods as the main bell, of
  `MIDDLE_PERIOD_MINUTES` minutes with `MIDDLE_PASSING_MINUTES` minutes of passing time between
  them, from `MIDDLE_BELL_START` (8:00), while the elementary bell runs its periods back to back
  from 8:30 (`inclusion_sim.school.world.MAIN_BELL_START`). Their period boundaries therefore do
  not line up with the elementary ones: a therapist who serves both cannot count on
  "period 3" meaning the same time, and is scheduled by the clock (a session conflicts with
  every session of the other bell it overlaps). Middle schools run 42- to 54-minute periods with
  3- to 4-minute passing times (Cary Junior High, Cary School District 26, Illinois: nine
  42-minute periods from 7:55 with 3-minute passing; Griffiths Middle School, Downey Unified,
  California: 54-minute periods from 7:55 with 4-minute passing); K-8 schools put grades 6-8 on
  their own bell (Ophir STEAM Academy, Loomis Union School District, California: grades 6-8
  in blocks with their own start and break times). The 48 minutes, 4 minutes and 8:00 are an
  estimate within those ranges. ``"shared"``: every class follows the main bell (the generator
  before this lever). Only departmentalized grades (so only with staggered core blocks) get
  the middle bell; their lessons are laid out exactly as under a shared bell, only their
  lengths and clock times differ. Unit: a choice of two values.

With ``aligned``, ``fixed``, ``single`` and ``same`` together the schedule is exactly the old
generator's, drawing the same random numbers in the same order, so old results can be
reproduced.

Sources (see also docs/school-data.md, "The generated master schedule"):

* Stetson & Associates, "Carolina Springs Elementary Excels at Inclusion": the school built a
  master schedule so that special education and intervention teachers can cover classes;
  "ELA is not taught at the same time in all grades" -- staggered core blocks.
* Connecticut State Department of Education, Center for Literacy Research and Reading Success,
  "The Master Schedule": different intervention blocks for different grade levels give
  specialists time with students throughout the day -- staggering for specialists.
* Rettig, M. D. & Canady, R. L. (1995), "'When Can I Have Your Kids?' Scheduling Specialist
  Teachers", NAESP Here's How 14(2) (ERIC ED389089): rotation cycles for specialist (encore)
  classes instead of a fixed once-a-week slot -- rotating specials.
* District Management Group, "Building an Elementary Schedule - Part 5: Scheduling Lunch and
  Recess": how many lunch waves and which grades to combine; median elementary lunch 25
  minutes -- lunch waves by grade.
* Howard County Public School System, public information request 2018-164: cafeteria space lets
  one grade level eat at a time, 30-minute shifts, most between 11:00 and 1:00 -- lunch waves,
  mid-day window.
* Chaffee R-II Elementary, lunch and recess schedule: lunch in grade pairs (1-2, 3-4, 5-6, K)
  from 10:50 to 12:30 -- grade-band waves.
* District Management Group, "Building an Elementary Schedule - Part 8": science and social
  studies often share a period in lower grades and are separate in upper grades -- days that
  differ.
* ASHA Leader (2013), "Time Block After Time Block": school SLPs schedule by blocks of class
  time (for example a class's language arts block) rather than student by student -- why the
  timing of the blocks decides how many classes a specialist can reach.
* Cary Junior High, Cary School District 26, Illinois, "Bell Schedules" (cary26.org): nine
  42-minute periods from 7:55 with 3-minute passing periods -- a middle-school bell.
* Griffiths Middle School, Downey Unified School District, California, "Bell Schedules"
  (dusd.net/griffiths): 54-minute periods from 7:55 with 4 minutes between them.
* Ophir STEAM Academy, Loomis Union School District, California, "Bell Schedules": a K-8 school
  whose grades 6-8 run their own blocks and breaks beside the K-3 and 4-5 schedules -- middle
  grades of a K-8 school on their own bell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from inclusion_sim.school.world import (
    RELEVANT_SUBJECTS,
    SERVICES,
    Bell,
    ClassRecord,
    School,
    consecutive_starts,
)

#: Fewest periods a day a master schedule can be laid out in (core, specials, lunch, one more).
MIN_PERIODS = 4

#: Values each lever allows.
CORE_BLOCKS: tuple[str, ...] = ("staggered", "aligned")
SPECIALS: tuple[str, ...] = ("rotating", "fixed")
LUNCH: tuple[str, ...] = ("waves", "single")
DAY_PATTERNS: tuple[str, ...] = ("varied", "same")
MIDDLE_BELLS: tuple[str, ...] = ("own", "shared")

#: The middle-school bell (`middle_school_bell`): minutes per period, passing minutes between
#: periods, clock start (minutes after midnight) and name. Estimate within the published ranges
#: of middle-school bells (see the module docstring, ``middle_bell``).
MIDDLE_PERIOD_MINUTES = 48
MIDDLE_PASSING_MINUTES = 4
MIDDLE_BELL_START = 8 * 60
MIDDLE_BELL = "middle"
LUNCH_WAVES_RANGE: tuple[int, int] = (2, 4)

#: Subjects of an elementary day. The two long periods hold ELA and math; lunch sits mid-day.
LONG_SUBJECTS: tuple[str, ...] = ("ela", "math")
SHORT_SUBJECTS: tuple[str, ...] = ("writing", "science", "social_studies", "specials")


@dataclass(frozen=True)
class MasterScheduleSettings:
    """How a generated school lays out its week (see the module docstring for each lever).

    Attributes:
        core_blocks: ``"staggered"`` (default) or ``"aligned"``.
        specials: ``"rotating"`` (default) or ``"fixed"``.
        lunch: ``"waves"`` (default) or ``"single"``.
        lunch_waves: Waves when ``lunch = "waves"``, 2 to 4 (default 3).
        days: ``"varied"`` (default) or ``"same"``.
        departmentalized_grades: Grades taught by subject teachers (default 6, 7, 8); used only
            with staggered core blocks.
        middle_bell: ``"own"`` (default): departmentalized grades ring their own bell, when the
            school also has other grades; ``"shared"``: one bell for every class.
    """

    core_blocks: str = "staggered"
    specials: str = "rotating"
    lunch: str = "waves"
    lunch_waves: int = 3
    days: str = "varied"
    departmentalized_grades: tuple[int, ...] = (6, 7, 8)
    middle_bell: str = "own"

    def __post_init__(self) -> None:
        for name, allowed in (("core_blocks", CORE_BLOCKS), ("specials", SPECIALS),
                              ("lunch", LUNCH), ("days", DAY_PATTERNS),
                              ("middle_bell", MIDDLE_BELLS)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, "
                                 f"not {getattr(self, name)!r}")
        low, high = LUNCH_WAVES_RANGE
        if not low <= self.lunch_waves <= high:
            raise ValueError(f"lunch_waves must be {low} to {high}, not {self.lunch_waves}")

    @property
    def is_legacy(self) -> bool:
        """True for the combination that reproduces the old generator exactly."""
        return (self.core_blocks == "aligned" and self.specials == "fixed"
                and self.lunch == "single" and self.days == "same")

    @classmethod
    def legacy(cls) -> MasterScheduleSettings:
        """Aligned, fixed, single, same, one bell: the old generator's timetable."""
        return cls(core_blocks="aligned", specials="fixed", lunch="single", days="same",
                   middle_bell="shared")

    def middle_grades(self, grades: Sequence[int]) -> set[int]:
        """The grades among `grades` that ring the middle-school bell (none with one bell).

        Departmentalized grades get their own bell only when the school also has grades that
        are not departmentalized (a middle school alone keeps one bell).
        """
        if self.middle_bell != "own" or self.core_blocks != "staggered":
            return set()
        middle = set(grades) & set(self.departmentalized_grades)
        return middle if middle and middle != set(grades) else set()


# -- bell structure ------------------------------------------------------------------------
def middle_school_bell(days: int, periods: int) -> Bell:
    """The middle grades' own bell (estimate; see the module docstring, ``middle_bell``).

    `periods` periods a day of `MIDDLE_PERIOD_MINUTES` minutes, `MIDDLE_PASSING_MINUTES` apart,
    from `MIDDLE_BELL_START`.
    """
    minutes = np.full((days, periods), MIDDLE_PERIOD_MINUTES, dtype=np.int64)
    return Bell("Middle-grades bell", minutes,
                consecutive_starts(minutes, MIDDLE_BELL_START, MIDDLE_PASSING_MINUTES))


def long_slots(period_minutes: Sequence[int]) -> list[int]:
    """The two longest periods of a day (earlier first on a tie), in period order."""
    order = np.argsort(-np.asarray(period_minutes), kind="stable")
    return sorted(order[: len(LONG_SUBJECTS)].tolist())


def short_slots(period_minutes: Sequence[int]) -> list[int]:
    """Every period that is not one of the two longest."""
    longs = long_slots(period_minutes)
    return [i for i in range(len(period_minutes)) if i not in longs]


def lunch_window(period_minutes: Sequence[int], width: int = 2) -> list[int]:
    """The mid-day periods lunch may take: `width` short periods around the middle of the day.

    With ``width = 2`` this is the window the old generator drew lunch from.
    """
    short = short_slots(period_minutes)
    start = max(len(short) // 2 - 1, 0)
    window = short[start:start + width]
    while len(window) < width and start > 0:
        start -= 1
        window = short[start:start + width]
    return window or short


# -- the old generator --------------------------------------------------------------------
def _legacy_day(rng: np.random.Generator, period_minutes: Sequence[int]) -> list[str]:
    """One class's day as the old generator built it (same draws in the same order)."""
    n = len(period_minutes)
    longs = long_slots(period_minutes)
    shorts = [i for i in range(n) if i not in longs]
    middle = shorts[len(shorts) // 2 - 1: len(shorts) // 2 + 1] or shorts
    lunch = int(rng.choice(middle))
    day = [""] * n
    for slot, subject in zip(longs, rng.permutation(LONG_SUBJECTS), strict=True):
        day[slot] = str(subject)
    day[lunch] = "lunch_recess"
    rest = [i for i in shorts if i != lunch]
    subjects = list(rng.permutation(SHORT_SUBJECTS))
    for k, slot in enumerate(rest):
        day[slot] = str(subjects[k % len(subjects)])
    return day


# -- the new layout -----------------------------------------------------------------------
@dataclass(frozen=True)
class _Place:
    """Where a class sits in the school: its grade's rank, its section, its lunch wave."""

    grade_rank: int
    section: int
    wave: int
    departmentalized: bool


def _places(classes: Sequence[ClassRecord], settings: MasterScheduleSettings,
            waves: int) -> list[_Place]:
    grades = sorted({c.grade for c in classes})
    dept = set(settings.departmentalized_grades) if settings.core_blocks == "staggered" else set()
    elementary = [g for g in grades if g not in dept]
    seen: dict[int, int] = {}
    places = []
    for c in classes:
        section = seen.get(c.grade, 0)
        seen[c.grade] = section + 1
        rank = elementary.index(c.grade) if c.grade in elementary else grades.index(c.grade)
        wave = grades.index(c.grade) * waves // len(grades)
        places.append(_Place(rank, section, wave, c.grade in dept))
    return places


def _place_specials(day: list[str], slots: list[int], longs: list[int], count: int,
                    turn: int) -> list[int]:
    """Put `count` specials lessons into `slots`, short periods first, starting at `turn`."""
    short = [p for p in slots if p not in longs] or slots
    chosen = [short[(turn + i) % len(short)] for i in range(min(count, len(short)))]
    rest = [p for p in slots if p not in chosen]
    chosen += rest[: count - len(chosen)]
    for p in chosen:
        day[p] = "specials"
    return [p for p in slots if p not in chosen]


def _week(place: _Place, minutes: np.ndarray, settings: MasterScheduleSettings,
          rng: np.random.Generator, lessons: list[str]) -> list[list[str]]:
    """One class's week under the new levers."""
    days, n = minutes.shape
    window = lunch_window(minutes[0].tolist(), settings.lunch_waves)
    if settings.lunch == "waves":
        lunch = window[min(place.wave, len(window) - 1)]
    else:
        middle = lunch_window(minutes[0].tolist(), 2)
        lunch = int(rng.choice(middle))
    order = list(LONG_SUBJECTS)
    if settings.core_blocks == "aligned":
        order = [str(s) for s in rng.permutation(LONG_SUBJECTS)]
    else:
        # Grades that share a block time alternate which of ELA and math comes first.
        free = [p for p in range(n) if p != lunch]
        if (place.grade_rank // (len(free) // 2)) % 2:
            order = order[::-1]
    others = lessons + ["specials"]
    week = []
    for d in range(days):
        row = minutes[d].tolist()
        longs = long_slots(row)
        shift = d if settings.days == "varied" else 0
        turn = place.section + place.grade_rank + (d if settings.specials == "rotating" else 0)
        day = [""] * n
        day[lunch] = "lunch_recess"
        free = [p for p in range(n) if p != lunch]
        r = n - 1 - len(LONG_SUBJECTS)
        # Sections of a grade take the other lessons in turn, so that no period carries one
        # subject for the whole grade.
        start = shift + place.section
        extra = [others[(start + i) % len(others)] for i in range(r)]
        if place.departmentalized:
            # Sections rotate through the subject teachers (a Latin square over the periods),
            # using only rotations that keep specials out of the long periods.
            cycle = list(LONG_SUBJECTS) + [others[(shift + i) % len(others)] for i in range(r)]
            m = len(free)
            long_pos = {j for j, p in enumerate(free) if p in longs}
            spec_pos = [q for q, subject in enumerate(cycle) if subject == "specials"]
            allowed = [r0 for r0 in range(m)
                       if not any((q - r0) % m in long_pos for q in spec_pos)] or list(range(m))
            moves = d if settings.days == "varied" or settings.specials == "rotating" else 0
            r0 = allowed[(place.section + place.grade_rank + moves) % len(allowed)]
            for j, p in enumerate(free):
                day[p] = cycle[(j + r0) % m]
        else:
            if settings.core_blocks == "aligned":
                block = [p for p in longs if p != lunch]
            else:
                pairs = [free[i:i + 2] for i in range(0, len(free) - 1, 2)]
                # Leave enough short periods for the day's specials (a short day has few).
                need = -(-r // len(others))
                pairs = [pair for pair in pairs if sum(
                    p not in pair and p not in longs for p in free) >= need] or [longs]
                block = pairs[place.grade_rank % len(pairs)]
            for p, subject in zip(block, order, strict=True):
                day[p] = subject
            slots = [p for p in free if p not in block]
            rest = _place_specials(day, slots, longs, extra.count("specials"), turn)
            lessons = [s for s in extra if s != "specials"]
            free_longs = [p for p in rest if p in longs]
            if "science" in lessons and free_longs:
                # A long period the block left free goes to science (time for hands-on work),
                # the sections of a grade taking turns at which one.
                p = free_longs[(place.section + shift) % len(free_longs)]
                day[p] = "science"
                lessons.remove("science")
                rest.remove(p)
            for p, subject in zip(rest, lessons, strict=True):
                day[p] = subject
        week.append(day)
    return week


# -- public API ---------------------------------------------------------------------------
def iter_class_weeks(classes: Sequence[ClassRecord], period_minutes: np.ndarray,
                     settings: MasterScheduleSettings,
                     rng: np.random.Generator) -> Iterator[tuple[str, list[list[str]]]]:
    """Each class's week, one class at a time, in the order of `classes`.

    The random draws for a class happen when it is yielded, so a caller can interleave other
    draws from the same `rng` between classes (as the school generator does).
    """
    minutes = np.asarray(period_minutes, dtype=np.int64)
    if minutes.ndim == 1:
        minutes = minutes[None, :]
    days, n = minutes.shape
    if n < MIN_PERIODS:
        raise ValueError(f"a day needs at least {MIN_PERIODS} periods")
    if settings.is_legacy:
        for c in classes:
            day = _legacy_day(rng, minutes[0])
            yield c.id, [list(day) for _ in range(days)]
        return
    waves = 1 if settings.lunch == "single" else len(
        lunch_window(minutes[0].tolist(), settings.lunch_waves))
    lessons: dict[int, list[str]] = {}
    for c, place in zip(classes, _places(classes, settings, waves), strict=True):
        if c.grade not in lessons:
            # Order of the grade's other lessons, drawn when its first class comes up.
            lessons[c.grade] = [str(s) for s in rng.permutation(SHORT_SUBJECTS[:-1])]
        yield c.id, _week(place, minutes, settings, rng, lessons[c.grade])


def build_subjects(classes: Sequence[ClassRecord], period_minutes: np.ndarray,
                   settings: MasterScheduleSettings,
                   rng: np.random.Generator) -> dict[str, list[list[str]]]:
    """Each class's weekly subjects, ``subjects[class_id][day][period]``.

    Args:
        classes: The classes, with id and grade, in a fixed order (draws follow it).
        period_minutes: The bell, an integer array of shape (days, periods), shared by all.
        settings: The master-schedule levers.
        rng: Random stream; the same stream state gives the same timetable.
    """
    return dict(iter_class_weeks(classes, period_minutes, settings, rng))


@dataclass(frozen=True)
class Overlap:
    """How a service's relevant lessons fall across the week.

    Attributes:
        peak: The largest number of classes with a relevant lesson at the same time (in the
            same period with one bell; at the same moment by the clock with several).
        slots: Distinct (day, period) slots in which at least one class has a relevant lesson
            (with several bells: distinct (day, bell, period) slots).
        mean: Mean number of classes with a relevant lesson per (day, period) slot (with
            several bells: per (day, bell, period) slot of every bell a class follows).
    """

    peak: int
    slots: int
    mean: float


def relevant_overlap(school: School) -> dict[str, Overlap]:
    """Per service, how concentrated the lessons a push-in session could join are.

    A pushing-in therapist is in one classroom at a time, so a high `peak` with few `slots`
    means many classes compete for the same few periods. With several bells the peak is counted
    by the clock: a middle-grade period overlapping two elementary ones competes with both.
    """
    tt = school.timetable
    subjects = np.asarray([tt.subjects[c.id] for c in school.classes], dtype=object)
    result = {}
    if tt.single_bell:
        for service in SERVICES:
            relevant = np.isin(subjects, list(RELEVANT_SUBJECTS[service]))
            per_slot = relevant.sum(axis=0)
            result[service] = Overlap(int(per_slot.max(initial=0)), int((per_slot > 0).sum()),
                                      float(per_slot.mean()) if per_slot.size else 0.0)
        return result
    bells = [tt.bell_for(c.id) for c in school.classes]
    names = tt.bell_names()
    for service in SERVICES:
        relevant = np.isin(subjects, list(RELEVANT_SUBJECTS[service]))
        count: dict[tuple[int, str, int], int] = {}
        for c, d, k in zip(*np.nonzero(relevant), strict=True):
            key = (int(d), bells[c], int(k))
            count[key] = count.get(key, 0) + 1
        peak = 0
        for d, bell, k in count:
            start, _ = tt.interval(bell, d, k)
            covering = sum(n for (d2, b2, k2), n in count.items() if d2 == d
                           and tt.interval(b2, d2, k2)[0] <= start < tt.interval(b2, d2, k2)[1])
            peak = max(peak, covering)
        total = tt.days * tt.periods * len(names)
        result[service] = Overlap(peak, len(count), float(relevant.sum()) / total if total else 0.0)
    return result


__all__ = ["MasterScheduleSettings", "Overlap", "build_subjects", "iter_class_weeks",
           "long_slots", "lunch_window", "relevant_overlap", "short_slots"]


def restaggered(school: School, settings: MasterScheduleSettings | None = None,
                seed: int = 0) -> School | None:
    """The same school (students, classes, staff, bell) with a newly laid-out master schedule.

    Used to ask "would a staggered master schedule let these sessions fit?" of any school,
    including one read from CSV files; the school's own timetable is never changed in place.
    None when the bell has too few periods a day to lay out a week.
    """
    from dataclasses import replace

    if school.timetable.periods < MIN_PERIODS:
        return None
    settings = settings or MasterScheduleSettings()
    period_minutes = school.timetable.period_minutes
    subjects = build_subjects(school.classes, period_minutes, settings,
                              np.random.default_rng(seed))
    return replace(school, timetable=replace(school.timetable, subjects=subjects))
