"""Turn mandates and a delivery policy into each therapist's weekly timetable.

The scheduler is greedy and deterministic for a given random stream. For every service it
forms groups (pulled-out and after-school groups by grade, pushed-in groups by classroom, all
within the IEP's largest group), gives each group a therapist of the right discipline with
time left, and places each weekly session in a slot where the therapist and every member are
free, preferring a day the group does not meet yet. Pushed-in sessions go into lessons relevant
to the service; pulled-out sessions skip lunch and recess, prefer non-core lessons where the
group is free and, when the policy asks, avoid core subjects altogether. Whatever cannot be
placed is reported as unmet minutes with the reason; nothing is dropped silently.

A day has the timetable's periods followed by ``after_school_slots`` after-school slots of
`AFTER_SCHOOL_MINUTES` each; only after-school sessions use those. A group's slot is a period of
its students' bell (a group is one grade or one class, so one bell); when the school rings
several bells, a session makes its therapist busy in every period of every bell that overlaps it
in clock time (`inclusion_sim.school.world.Timetable.overlapping`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from inclusion_sim.base.params import Params
from inclusion_sim.delivery.indirect import reserved_minutes
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.school.world import (
    AFTER_SCHOOL_SLOT_MINUTES,
    CORE_SUBJECTS,
    RELEVANT_SUBJECTS,
    SERVICES,
    School,
)

AFTER_SCHOOL_MINUTES = AFTER_SCHOOL_SLOT_MINUTES

#: Why a mandated session could not be scheduled.
UNMET_REASONS: dict[str, str] = {
    "no_therapist": "no therapist of this discipline at the school",
    "no_therapist_time": "the therapists' contracted minutes are used up",
    "no_relevant_lesson": "no free lesson relevant to the service for a push-in session",
    "no_non_core_lesson": "no free non-core lesson for a pull-out kept out of core subjects",
    "no_after_school_slot": "no after-school slot on the therapists' days",
    "no_suitable_lesson": "no lesson long enough for the session on the therapists' days",
    "therapist_busy": "the therapists are in other sessions in every suitable slot",
    "students_busy": "the students are in other sessions in every slot the therapist is free",
    "group_limit": "the students could join a session already held for their grade or class, "
                   "but their IEP's largest group would be exceeded",
    # Reasons found by relaxing one rule at a time (`inclusion_sim.school.optimize.explain_unmet`):
    # what an administrator would have to change for the minutes to be scheduled.
    "fits_another_timetable": "a different timetable under the same rules would fit these "
                              "sessions",
    "needs_more_therapist_time": "more contracted therapist minutes would let these sessions be "
                                 "scheduled",
    "needs_more_days_on_site": "the therapists would have to be at the school on more days",
    "needs_non_relevant_lessons": "pushed-in sessions would have to be allowed in lessons not "
                                  "relevant to the service",
    "needs_larger_groups": "the IEPs would have to allow larger groups",
    "needs_staggered_schedule": "the school's master schedule would have to stagger lessons "
                                "across classes",
    "not_schedulable": "no single change tried alone (more minutes for the therapists on their "
                       "own days, more days on site, other lessons, larger groups) makes room for "
                       "these sessions; an added therapist, with both more time and more days, "
                       "may",
    # Not a shortfall: minutes a schedule could give but withholds in an equal-dose comparison
    # (`inclusion_sim.delivery.equal_dose`), because another compared policy cannot give them.
    "equal_dose": "withheld so every compared policy gives the same minutes (equal-dose "
                  "comparison); another policy could not schedule them",
}


@dataclass(frozen=True)
class Session:
    """One weekly session of one group.

    Attributes:
        therapist: Index into ``school.therapists``.
        service: The service delivered.
        students: Indices into ``school.students``.
        day: Weekday index.
        slot: Slot of the day: a period index, or ``periods + k`` for after-school slot k.
        setting: ``pull_out``, ``push_in`` or ``after_school``.
        collaboration: ``parallel`` or ``collaborative`` for pushed-in sessions, else "".
        class_index: The classroom of a pushed-in session, -1 otherwise.
        minutes: Session minutes.
        relevant: True when a pushed-in session falls in a lesson relevant to the service.
    """

    therapist: int
    service: str
    students: tuple[int, ...]
    day: int
    slot: int
    setting: str
    collaboration: str
    class_index: int
    minutes: int
    relevant: bool = True


@dataclass(frozen=True)
class Unmet:
    """Mandated sessions that could not be scheduled for one student."""

    student_id: str
    service: str
    setting: str
    sessions: int
    minutes: int
    reason: str


@dataclass
class TherapistLoad:
    """One therapist's weekly minutes under the schedule.

    ``capacity`` is the contract; consultation as a service and supervision of assistants are
    kept out of it before any session is placed (`inclusion_sim.delivery.indirect`), so
    sessions, travel and co-planning get at most ``capacity - consultation - supervision``.
    """

    therapist_id: str
    discipline: str
    employment: str
    capacity: int
    direct: int = 0
    travel: int = 0
    coplanning: int = 0
    consultation: int = 0
    supervision: int = 0

    @property
    def used(self) -> int:
        """Minutes committed: sessions, travel, co-planning, consultation and supervision."""
        return self.direct + self.travel + self.coplanning + self.consultation + self.supervision

    @property
    def utilization(self) -> float:
        """Share of contracted minutes committed."""
        return self.used / self.capacity if self.capacity else 0.0


@dataclass(frozen=True)
class SolverReport:
    """How an optimizing scheduler's week compares with the best any timetable could do.

    Attributes:
        status: The solver's status for the mandated minutes: ``OPTIMAL`` (proven best),
            ``FEASIBLE`` (a schedule, not proven best), ...
        scheduled_minutes: Weekly mandated minutes the schedule delivers.
        mandated_minutes: Weekly mandated minutes of all students.
        upper_bound_minutes: A proven upper bound on the mandated minutes any schedule
            under the same rules can deliver.
        deterministic_time: The solver's deterministic work units (machine-independent).
        wall_seconds: Wall-clock seconds of the solve, for information only.
        ortools_version: Version of OR-Tools that solved it.
        secondary_status: Status of the second solve that spreads sessions over students and
            days at the same minutes ("" when it did not run).
        greedy_services: Services too large to model, scheduled by the greedy instead (their
            part of the bound is their mandated minutes). ``status`` is ``GREEDY`` when every
            service was.
    """

    status: str
    scheduled_minutes: int
    mandated_minutes: int
    upper_bound_minutes: int
    deterministic_time: float
    wall_seconds: float
    ortools_version: str
    secondary_status: str = ""
    greedy_services: tuple[str, ...] = ()

    def summary(self) -> str:
        """One sentence for a report: what was scheduled and what is possible at most."""
        share = self.scheduled_minutes / self.mandated_minutes if self.mandated_minutes else 1.0
        text = (f"The schedule delivers {self.scheduled_minutes:,} of the {self.mandated_minutes:,} "
                f"mandated minutes a week ({share:.1%}); ")
        if self.greedy_services:
            text = (f"{', '.join(self.greedy_services)} too large for the exact solver, scheduled "
                    f"greedily. ") + text
        if self.scheduled_minutes >= self.mandated_minutes:
            return text + "the whole mandate fits."
        if self.upper_bound_minutes >= self.mandated_minutes:
            return text + "the solver could not rule out a timetable that delivers all of it."
        proven = " (proven optimal)" if self.status == "OPTIMAL" else ""
        return text + (f"no timetable can deliver more than {self.upper_bound_minutes:,} of the "
                       f"{self.mandated_minutes:,} mandated minutes a week{proven}.")


@dataclass
class WeeklySchedule:
    """The week every therapist repeats, and what it leaves undone."""

    sessions: list[Session]
    unmet: list[Unmet]
    load: list[TherapistLoad]
    periods: int
    slots_per_day: int
    coplanning_pairs: set[tuple[int, int]] = field(default_factory=set)
    #: Set by the optimizing scheduler (`inclusion_sim.school.optimize`); None for the greedy.
    solver: SolverReport | None = None

    def scheduled_minutes(self, n_students: int) -> np.ndarray:
        """Weekly scheduled minutes per student and service, shape (students, services)."""
        out = np.zeros((n_students, len(SERVICES)))
        for s in self.sessions:
            out[list(s.students), SERVICES.index(s.service)] += s.minutes
        return out

    def unmet_minutes(self) -> int:
        """Weekly mandated minutes left unscheduled."""
        return sum(u.minutes for u in self.unmet)

    def scheduled_minutes_total(self) -> int:
        """Weekly mandated minutes scheduled, summed over students (once per group member)."""
        return sum(s.minutes * len(s.students) for s in self.sessions)


@dataclass
class _Group:
    service: str
    setting: str
    collaboration: str
    members: list[int]
    minutes: int
    sessions: int
    class_index: int
    place: int = -1

    @property
    def shareable_key(self) -> tuple:
        """Groups with the same key differ only in their IEP group limit."""
        return (self.service, self.setting, self.place, self.minutes)


def _form_groups(school: School, policy: Policy) -> list[_Group]:
    """Group students who can share a session under the policy and their IEPs."""
    class_of = school.class_index()
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, student in enumerate(school.students):
        for mandate in student.mandates:
            sp = policy.for_service(mandate.service)
            settings = sp.settings_for(mandate.sessions_per_week)
            for setting in sorted(set(settings)):
                n = settings.count(setting)
                place = class_of[student.class_id] if setting == "push_in" else student.grade
                key = (mandate.service, setting, place, mandate.minutes_per_session, n,
                       mandate.max_group)
                buckets[key].append(i)
    groups = []
    for key in sorted(buckets):
        service, setting, place, minutes, n, max_group = key
        members = buckets[key]
        collaboration = policy.for_service(service).collaboration if setting == "push_in" else ""
        for start in range(0, len(members), max_group):
            chunk = members[start:start + max_group]
            class_index = place if setting == "push_in" else -1
            groups.append(_Group(service, setting, collaboration, chunk, minutes, n, class_index,
                                 place))
    return groups


def schedule_week(school: School, policy: Policy, params: Params,
                  rng: np.random.Generator) -> WeeklySchedule:
    """Build the weekly timetable of every therapist.

    Args:
        school: The school, with mandates, staff and timetable.
        policy: Where each service's sessions happen.
        params: Model parameters (travel, co-planning, after-school slots).
        rng: The scheduling stream; it only breaks ties between equally good slots.

    Returns:
        The sessions, the unmet mandated minutes with reasons, and each therapist's load.
    """
    tt = school.timetable
    days, periods = tt.days, tt.periods
    after = int(params.after_school_slots)
    slots = periods + after
    class_of = school.class_index()
    n_classes = len(school.classes)
    subjects = np.empty((n_classes, days, periods), dtype=object)
    for c, klass in enumerate(school.classes):
        subjects[c] = np.asarray(tt.subjects[klass.id], dtype=object)
    # Slot minutes and therapists' busy slots per bell: a session in one bell makes its
    # therapist busy in every period of every bell that overlaps it in clock time.
    bells = tt.bell_names()
    bell_minutes = {}
    for bell in bells:
        bell_minutes[bell] = np.zeros((days, slots))
        bell_minutes[bell][:, :periods] = tt.bell_minutes(bell)
        bell_minutes[bell][:, periods:] = AFTER_SCHOOL_MINUTES
    class_bell = [tt.bell_for(c.id) for c in school.classes]
    student_class = np.array([class_of[s.class_id] for s in school.students], dtype=np.int64)

    therapist_busy = {bell: np.zeros((len(school.therapists), days, slots), dtype=bool)
                      for bell in bells}
    # overlaps[bell][other]: (days, slots, slots) True where a period of `bell` overlaps a
    # period of `other` in clock time (only needed with several bells).
    overlaps = {}
    if len(bells) > 1:
        for bell in bells:
            overlaps[bell] = {}
            for other in bells:
                if other == bell:
                    continue
                grid = np.zeros((days, slots, slots), dtype=bool)
                for d in range(days):
                    for k in range(slots):
                        grid[d, k, tt.overlapping(bell, d, k, other)] = True
                overlaps[bell][other] = grid
    student_busy = np.zeros((len(school.students), days, slots), dtype=bool)
    on_site = np.zeros((len(school.therapists), days), dtype=bool)
    for t, th in enumerate(school.therapists):
        on_site[t, [d for d in th.days_on_site if d < days]] = True
    consultation, supervision = reserved_minutes(school, policy,
                                                 params.assistant_supervision_share)
    load = [TherapistLoad(th.id, th.discipline, th.employment, th.minutes_per_week,
                          consultation=c, supervision=v)
            for th, c, v in zip(school.therapists, consultation, supervision, strict=True)]
    by_discipline: dict[str, list[int]] = defaultdict(list)
    for t, th in enumerate(school.therapists):
        by_discipline[th.discipline].append(t)

    lunch = subjects == "lunch_recess"
    core = np.isin(subjects, list(CORE_SUBJECTS))
    relevant = {s: np.isin(subjects, list(RELEVANT_SUBJECTS[s])) for s in SERVICES}
    in_day = np.zeros((days, slots), dtype=bool)
    in_day[:, :periods] = True

    sessions: list[Session] = []
    unmet: list[Unmet] = []
    pairs: set[tuple[int, int]] = set()
    placed_slots: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    travel = int(params.push_in_travel_minutes)
    coplan = int(params.coplanning_minutes)

    for group in _form_groups(school, policy):
        sp = policy.for_service(group.service)
        member_classes = np.unique(student_class[group.members])
        bell = class_bell[int(member_classes[0])]  # a group is one grade or class: one bell
        minutes = bell_minutes[bell]
        if group.setting == "push_in":
            rel = relevant[group.service][group.class_index]
            allowed = np.zeros((days, slots), dtype=bool)
            allowed[:, :periods] = rel if sp.relevant_only else ~lunch[group.class_index] | rel
            preferred = np.zeros((days, slots), dtype=bool)
            preferred[:, :periods] = rel
            shortage = "no_relevant_lesson"
        elif group.setting == "pull_out":
            blocked = lunch[member_classes].any(axis=0)
            if sp.avoid_core:
                blocked |= core[member_classes].any(axis=0)
            allowed = in_day.copy()
            allowed[:, :periods] &= ~blocked
            preferred = np.zeros((days, slots), dtype=bool)
            preferred[:, :periods] = ~core[member_classes].any(axis=0)
            preferred &= allowed
            shortage = "no_non_core_lesson" if sp.avoid_core else "no_suitable_lesson"
        else:
            allowed = ~in_day
            preferred = allowed
            shortage = "no_after_school_slot"
        allowed = allowed & (minutes >= group.minutes)
        used_days = np.zeros(days, dtype=bool)
        candidates = by_discipline.get(group.service, [])
        chosen_therapist: int | None = None
        for _ in range(group.sessions):
            reasons: list[str] = []
            placed = False
            order = sorted(candidates, key=lambda t: (t != chosen_therapist,
                                                      -(load[t].capacity - load[t].used), t))
            for t in order:
                cost = group.minutes + (travel if group.setting == "push_in" else 0)
                if group.collaboration == "collaborative" and (t, group.class_index) not in pairs:
                    cost += coplan
                if load[t].capacity - load[t].used < cost:
                    reasons.append("no_therapist_time")
                    continue
                suitable = allowed & on_site[t][:, None]
                therapist_free = suitable & ~therapist_busy[bell][t]
                free = therapist_free & ~student_busy[group.members].any(axis=0)
                if not free.any():
                    reasons.append(shortage if not suitable.any() else
                                   "therapist_busy" if not therapist_free.any() else
                                   "students_busy")
                    continue
                score = (free * (1.0 + preferred + 2.0 * ~used_days[:, None])
                         + free * rng.random((days, slots)) * 0.5)
                if len(bells) > 1:
                    # A period that overlaps several free periods of another bell costs the
                    # therapist all of them: prefer periods that use up the least time.
                    score -= free * BLOCKING_WEIGHT * _blocked(overlaps, therapist_busy, t, bell)
                day, slot = np.unravel_index(int(np.argmax(score)), score.shape)
                for other in bells:
                    therapist_busy[other][t, day, tt.overlapping(bell, day, slot, other)] = True
                student_busy[group.members, day, slot] = True
                used_days[day] = True
                load[t].direct += group.minutes
                if group.setting == "push_in":
                    load[t].travel += travel
                    if group.collaboration == "collaborative" and (t, group.class_index) not in pairs:
                        pairs.add((t, group.class_index))
                        load[t].coplanning += coplan
                sessions.append(Session(
                    therapist=t, service=group.service, students=tuple(group.members),
                    day=int(day), slot=int(slot), setting=group.setting,
                    collaboration=group.collaboration, class_index=group.class_index,
                    minutes=group.minutes,
                    relevant=bool(preferred[day, slot]) if group.setting == "push_in" else False,
                ))
                chosen_therapist = t
                placed_slots[group.shareable_key].append((int(day), int(slot)))
                placed = True
                break
            if not placed:
                reason = _main_reason(reasons)
                if any(not student_busy[group.members, d, k].any()
                       for d, k in placed_slots[group.shareable_key]):
                    reason = "group_limit"
                for i in group.members:
                    unmet.append(Unmet(school.students[i].id, group.service, group.setting, 1,
                                       group.minutes, reason))
    return WeeklySchedule(sessions, merge_unmet(unmet), load, periods, slots, pairs)


#: Score the greedy takes off a slot, with several bells, per free period of another bell the
#: slot would cost its therapist beyond the one it stands for: as much as a preferred lesson is
#: worth. On the K-8 school (seeds 1-3) it raises the greedy's push-in share from 82% to 89%
#: (0.4 and 3 do about as well; estimate, tuned on that school only).
BLOCKING_WEIGHT = 1.0


def _blocked(overlaps: dict, busy: dict[str, np.ndarray], t: int, bell: str) -> np.ndarray:
    """(days, slots): free periods of the other bells each slot of `bell` would take from t."""
    out = None
    for other, grid in overlaps[bell].items():
        free = ~busy[other][t]  # (days, slots)
        # One overlapping period is the slot's own time; only the ones beyond it are lost.
        lost = (grid & free[:, None, :]).sum(axis=2) - 1
        out = lost if out is None else out + lost
    return np.maximum(out, 0)


def _main_reason(reasons: list[str]) -> str:
    """The reason to report for a session no therapist could take.

    Lack of minutes is reported only when it is true of every therapist of the discipline;
    otherwise the timetable reason of the first therapist with minutes left is more useful
    (hiring would not help).
    """
    if not reasons:
        return "no_therapist"
    timetable = [r for r in reasons if r != "no_therapist_time"]
    return timetable[0] if timetable else "no_therapist_time"


def therapist_load(school: School, sessions: Sequence[Session], travel: int,
                   coplanning: int, reserved: tuple[Sequence[int], Sequence[int]] | None = None
                   ) -> tuple[list[TherapistLoad], set[tuple[int, int]]]:
    """Each therapist's minutes, and the co-planning pairs, implied by a week's sessions.

    Schedulers that build their sessions all at once (the optimizer, the equal-dose cut) book
    the therapists' time here, from the sessions alone: session minutes, `travel` minutes per
    pushed-in session and `coplanning` minutes once per collaborative (therapist, class) pair,
    with the (consultation, supervision) minutes kept out of the contract in `reserved`
    (`inclusion_sim.delivery.indirect.reserved_minutes`; none when omitted).
    """
    n = len(school.therapists)
    consultation, supervision = reserved or ([0] * n, [0] * n)
    load = [TherapistLoad(t.id, t.discipline, t.employment, t.minutes_per_week,
                          consultation=int(c), supervision=int(v))
            for t, c, v in zip(school.therapists, consultation, supervision, strict=True)]
    pairs: set[tuple[int, int]] = set()
    for s in sessions:
        load[s.therapist].direct += s.minutes
        if s.setting == "push_in":
            load[s.therapist].travel += travel
            if s.collaboration == "collaborative":
                pairs.add((s.therapist, s.class_index))
    for t, _ in pairs:
        load[t].coplanning += coplanning
    return load, pairs


def merge_unmet(unmet: list[Unmet]) -> list[Unmet]:
    """Combine a student's unmet sessions that share a service, setting and reason."""
    merged: dict[tuple, Unmet] = {}
    for u in unmet:
        key = (u.student_id, u.service, u.setting, u.reason)
        if key in merged:
            m = merged[key]
            merged[key] = Unmet(m.student_id, m.service, m.setting, m.sessions + u.sessions,
                                m.minutes + u.minutes, m.reason)
        else:
            merged[key] = u
    return list(merged.values())
