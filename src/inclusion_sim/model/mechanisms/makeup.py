"""Mechanism 12: make-up sessions, and the 3:1 model's indirect week.

A session cancelled by a disruption (absence, event, duties) may be made up, as a service's
policy says (`inclusion_sim.delivery.policies.ServicePolicy.makeup`):

* ``same_week``: later in the same week, in a school period where the therapist is on site,
  present and free, and the student is present and free; the period follows the scheduler's
  rules for a pull-out session (not lunch or recess, not a core lesson when the service avoids
  core lessons, long enough for the session). The earliest such period is taken, so no random
  draw is needed and nobody is booked twice. Students who lost the same session (one therapist,
  one service, one period) are made up together, within the smallest IEP group limit among
  them, as a group they already were; a therapist never holds two make-up groups at once.
* ``makeup_week``: in the indirect week of ASHA's 3:1 model, in the period the session had in
  the timetable: the therapist's direct sessions of that service are not held that week, so the
  therapist and the student are both free then.

Make-up sessions are pull-out sessions held in the therapy room: the student gets the session's
dose at the pull-out setting's focus and misses the lesson (and the walk) like a pulled-out
student, and may refuse it at the pull-out refusal rate (`refusals`, from its own random
stream). Minutes held count as delivered and are also counted apart as made up; refused
make-up minutes are counted apart again, and not made up a second time. Refused sessions are
not made up (the student was there). Same-week make-ups replace sessions a disruption
cancelled; the 3:1 make-up week makes up every session of the cycle lost to an absence, an event
or duties, after-school no-shows included. The therapist's time for a make-up is the time the
lost session freed, so it is not booked again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from inclusion_sim.base.params import Params
from inclusion_sim.delivery.plan import SlotPlan
from inclusion_sim.model.mechanisms.disruptions import session_causes
from inclusion_sim.school.world import CORE_SUBJECTS


@dataclass
class Bookings:
    """Make-up sessions booked in one slot of the week, one entry per student.

    ``origin`` is the slot of the week the lost session had in the timetable: students of one
    therapist in one slot share it (a group made up together).
    """

    student: np.ndarray
    domain: np.ndarray
    therapist: np.ndarray
    minutes: np.ndarray
    origin: np.ndarray


@dataclass
class WeekDisruptions:
    """The week's disruption draws (None where that disruption is off)."""

    events: np.ndarray | None
    therapist_out: np.ndarray | None
    duty_cancel: np.ndarray | None
    student_out: np.ndarray | None

    def clear(self, day: int, slot_in_week: int, therapist: int, pos: int) -> bool:
        """True when the therapist and the student are both there and free of duties."""
        return not ((self.events is not None and self.events[day])
                    or (self.therapist_out is not None and self.therapist_out[day, therapist])
                    or (self.duty_cancel is not None and self.duty_cancel[slot_in_week, therapist])
                    or (self.student_out is not None and self.student_out[day, pos]))


def lost_sessions(plans: list[SlotPlan], iep_position: np.ndarray, wanted: np.ndarray,
                  week: WeekDisruptions) -> list[tuple[int, int, int, int, float]]:
    """The sessions this week's disruptions cancel, for services marked in `wanted`.

    Returns (slot, student, domain, therapist, minutes) per lost session, in the week's order;
    `wanted` is a per-domain mask of the services whose policy makes them up.
    """
    out = []
    for s, plan in enumerate(plans):
        if not len(plan.member):
            continue
        pos = iep_position[plan.member]
        cause = session_causes(plan.day, s, pos, plan.member_therapist, week.events,
                               week.therapist_out, week.duty_cancel, week.student_out)
        for k in np.flatnonzero((cause > 0) & wanted[plan.member_domain]):
            out.append((s, int(plan.member[k]), int(plan.member_domain[k]),
                        int(plan.member_therapist[k]), float(plan.member_minutes[k])))
    return out


@dataclass(frozen=True)
class BellClock:
    """Which periods overlap by the clock, for a school that rings more than one bell.

    Attributes:
        student_bell: The bell of each student's class.
        clashes: (bell, day, period) -> the (bell, period) pairs of that day overlapping it in
            clock time (`inclusion_sim.school.world.Timetable.overlapping`, over every bell).
    """

    student_bell: Sequence[str]
    clashes: Callable[[str, int, int], list[tuple[str, int]]]


def _therapist_busy(plans: list[SlotPlan], taken: dict[int, Bookings] | None,
                    clock: BellClock | None) -> tuple[Callable[[int, int, int], bool],
                                                      Callable[[int, int, int], None]]:
    """(is_busy(slot, therapist, student), mark(slot, therapist, student)) for make-ups.

    With one bell a therapist is busy in a slot of the week where they have a session. With
    several, `slot` is read in the bell of `student`'s class and the therapist is busy when any
    of their sessions overlaps it by the clock.
    """
    if clock is None:
        plain = [set(plan.member_therapist.tolist()) for plan in plans]
        for slot, b in (taken or {}).items():
            plain[slot].update(b.therapist.tolist())
        return (lambda slot, t, _i: t in plain[slot],
                lambda slot, t, _i: plain[slot].add(t))
    per_day = max(plan.slot for plan in plans) + 1
    busy: dict[tuple[int, str], set[int]] = defaultdict(set)

    def mark(slot: int, t: int, student: int) -> None:
        day, period = divmod(slot, per_day)
        for bell, k in clock.clashes(clock.student_bell[student], day, period):
            busy[(day * per_day + k, bell)].add(t)

    for s, plan in enumerate(plans):
        for t, student in zip(plan.member_therapist.tolist(), plan.member.tolist(), strict=True):
            mark(s, t, student)
    for slot, b in (taken or {}).items():
        for t, student in zip(b.therapist.tolist(), b.student.tolist(), strict=True):
            mark(slot, t, student)
    return (lambda slot, t, i: t in busy[(slot, clock.student_bell[i])]), mark


def plan_same_week(plans: list[SlotPlan], lost: list[tuple[int, int, int, int, float]],
                   iep_position: np.ndarray, class_index: np.ndarray, on_site: np.ndarray,
                   avoid_core: np.ndarray, week: WeekDisruptions, max_group: np.ndarray,
                   taken: dict[int, Bookings] | None = None,
                   clock: BellClock | None = None) -> dict[int, Bookings]:
    """Book the lost sessions in the earliest later periods of the week where they fit.

    Students who lost the same session (one therapist, one service, one slot) are made up
    together, as the group they were: in the earliest later period where the therapist is
    free and at least one of them is, all of them who are free then go, within the smallest
    IEP group limit among them; the others look further on.

    Args:
        plans: The week's slot plans (what the timetable holds).
        lost: The sessions to make up (see `lost_sessions`), in the order they were lost.
        iep_position: Position of each student among students with IEPs.
        class_index: Homeroom class of each student.
        on_site: (therapists, days) True where the therapist works at the school that day.
        avoid_core: Per domain, True where the service's pull-out sessions avoid core lessons.
        week: The week's disruption draws.
        max_group: (students, services) the largest group each student's IEP allows.
        taken: Make-ups already booked this week (their therapists and students are busy).
        clock: For a school with more than one bell: a therapist is busy in a period that
            overlaps one of their sessions by the clock (None: one bell, busy by period).
    """
    therapist_busy, mark = _therapist_busy(plans, taken, clock)
    busy_s = [set(plan.member.tolist()) for plan in plans]
    for slot, b in (taken or {}).items():
        busy_s[slot].update(b.student.tolist())
    groups: dict[tuple[int, int, int], list[tuple[int, float]]] = {}
    for slot, student, domain, therapist, minutes in lost:
        groups.setdefault((slot, therapist, domain), []).append((student, minutes))
    booked: dict[int, list[tuple[int, int, int, float, int]]] = {}
    for (slot, therapist, domain), members in groups.items():
        waiting = list(members)
        for later in range(slot + 1, len(plans)):
            if not waiting:
                break
            plan = plans[later]
            if not plan.in_school or not on_site[therapist, plan.day] \
                    or therapist_busy(later, therapist, waiting[0][0]):
                continue
            if week.therapist_out is not None and week.therapist_out[plan.day, therapist] \
                    or week.duty_cancel is not None and week.duty_cancel[later, therapist] \
                    or week.events is not None and week.events[plan.day]:
                continue
            going = []
            for student, minutes in waiting:
                subject = plan.subject[class_index[student]]
                if (plan.student_minutes[student] < minutes or student in busy_s[later]
                        or subject == "lunch_recess"
                        or (avoid_core[domain] and subject in CORE_SUBJECTS)
                        or not week.clear(plan.day, later, therapist,
                                          int(iep_position[student]))):
                    continue
                if len(going) + 1 > min([max_group[student, domain]]
                                        + [max_group[g, domain] for g, _ in going]):
                    continue
                going.append((student, minutes))
            if not going:
                continue
            mark(later, therapist, going[0][0])
            for student, minutes in going:
                busy_s[later].add(student)
                booked.setdefault(later, []).append((student, domain, therapist, minutes, slot))
            waiting = [m for m in waiting if m not in going]
    return _as_bookings(booked)


def plan_makeup_week(direct_plans: list[SlotPlan], owed: np.ndarray, wanted: np.ndarray,
                     iep_position: np.ndarray, week: WeekDisruptions) -> dict[int, Bookings]:
    """Book owed sessions in the indirect week, in the periods the sessions had.

    Args:
        direct_plans: The plans of a direct week (where the service's sessions are).
        owed: (students, services) sessions cancelled since the cycle began; updated.
        wanted: Per domain, True for the services made up this way.
        iep_position: Position of each student among students with IEPs.
        week: The indirect week's disruption draws (a make-up can be cancelled too).
    """
    booked: dict[int, list[tuple[int, int, int, float, int]]] = {}
    for s, plan in enumerate(direct_plans):
        for k in np.flatnonzero(wanted[plan.member_domain]):
            student, domain = int(plan.member[k]), int(plan.member_domain[k])
            therapist = int(plan.member_therapist[k])
            if owed[student, domain] < 1:
                continue
            if not week.clear(plan.day, s, therapist, int(iep_position[student])):
                continue
            owed[student, domain] -= 1
            booked.setdefault(s, []).append((student, domain, therapist,
                                             float(plan.member_minutes[k]), s))
    return _as_bookings(booked)


def _as_bookings(booked: dict[int, list[tuple[int, int, int, float, int]]]
                 ) -> dict[int, Bookings]:
    out = {}
    for slot, rows in booked.items():
        student, domain, therapist, minutes, origin = zip(*rows, strict=True)
        out[slot] = Bookings(np.array(student, np.int64), np.array(domain, np.int64),
                             np.array(therapist, np.int64), np.array(minutes, float),
                             np.array(origin, np.int64))
    return out


def merge(first: dict[int, Bookings], second: dict[int, Bookings]) -> dict[int, Bookings]:
    """Two sets of bookings of one week, slot by slot."""
    out = dict(first)
    for slot, b in second.items():
        a = out.get(slot)
        out[slot] = b if a is None else Bookings(*(np.concatenate([x, y]) for x, y in zip(
            (a.student, a.domain, a.therapist, a.minutes, a.origin),
            (b.student, b.domain, b.therapist, b.minutes, b.origin), strict=True)))
    return out


def refusals(stigma: np.ndarray, favourite: np.ndarray, u: np.ndarray,
             params: Params) -> np.ndarray:
    """Which make-up sessions are refused: a make-up is a pull-out session like any other.

    The pull-out rate, raised by felt stigma and in a favourite period of the student's class,
    as for a timetabled pull-out session (`inclusion_sim.model.mechanisms.resistance.refuse`);
    the draws ``u`` come from their own stream. A refused make-up is not made up again.
    """
    p = (params.pull_out_refusal_rate * (1.0 + params.refusal_stigma_gain * stigma)
         * (1.0 + params.refusal_favourite_gain * favourite))
    return u < p


def out_of_class(presence, student: np.ndarray, missed: np.ndarray, core: np.ndarray,
                 pos: np.ndarray):
    """The slot's `Presence` with students taken out of class for a make-up session.

    They miss `missed` lesson minutes (core ones join the backlog, as for a pull-out), are seen
    leaving, and are not in the lesson for embedded practice or peer modelling.
    """
    instruction_minutes = presence.instruction_minutes.copy()
    lost = np.where(core, np.minimum(missed, instruction_minutes[student]), missed)
    instruction_minutes[student] -= lost * core
    iep_relevant = presence.iep_relevant.copy()
    iep_teacher_relevant = presence.iep_teacher_relevant.copy()
    iep_relevant[pos] = False
    iep_teacher_relevant[pos] = False
    losing = lost > 0
    return replace(
        presence, instruction_minutes=instruction_minutes,
        missed=np.concatenate([presence.missed, student[losing]]),
        missed_minutes=np.concatenate([presence.missed_minutes, lost[losing]]),
        missed_core=np.concatenate([presence.missed_core, core[losing]]),
        removed_visibly=np.concatenate([presence.removed_visibly, student]),
        iep_relevant=iep_relevant, iep_teacher_relevant=iep_teacher_relevant)
