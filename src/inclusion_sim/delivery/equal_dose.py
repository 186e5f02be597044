"""Equal-dose schedules: every compared policy gets the same weekly minutes of each service.

Policies differ in two ways at once: *where* a session happens (the setting) and *how many*
sessions the timetable can fit (the schedule). Push-in needs a relevant lesson of the student's
own class, co-teaching costs co-planning minutes, after-school has two slots a day; so the
policies deliver different doses, and a difference in outcomes mixes the setting's effect with
the dose's. The equal-dose mode takes the dose away as an explanation: each policy's week is
built as usual, then for every student and service the weekly minutes are cut to the least that
any compared policy schedules. What remains of a difference is the setting's.

Trimming drops the student from sessions (a group session goes on for the others; a session
left with nobody is cancelled, and with it the therapist's travel and, for the last co-taught
session of a therapist in a classroom, the pair's co-planning). Which of a student's sessions
go is decided so the policy keeps its own mix of settings: a session is taken from the setting
the student has most sessions of (for a hybrid: its pulled-out and pushed-in halves stay as
even as they were), and within a setting the latest in the week goes first. The withheld
minutes are booked as unmet with the reason ``equal_dose``, so the ledger still balances
(scheduled + unmet = mandated) and the trimmed week passes the independent checker
(`inclusion_sim.delivery.schedule_check`).

Sessions of one mandate all have the mandate's length whatever the policy, so trimmed doses are
equal to the minute. Should session lengths ever differ between policies, a student's dose stays
at most the common one and below it by less than one session; `dose_gap` measures it.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from inclusion_sim.base.params import Params
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.delivery.schedulers import CHECK_ENV, SchedulingOptions, make_schedule
from inclusion_sim.delivery.scheduling import (
    Unmet,
    WeeklySchedule,
    merge_unmet,
    therapist_load,
)
from inclusion_sim.school.world import SERVICES, School

#: The unmet-minutes reason of minutes withheld to equalize the dose.
EQUAL_DOSE_REASON = "equal_dose"


def weekly_dose(schedule: WeeklySchedule, school: School) -> np.ndarray:
    """Scheduled weekly minutes per student and service, shape (students, services)."""
    return schedule.scheduled_minutes(len(school.students))


def common_dose(schedules: Sequence[WeeklySchedule], school: School) -> np.ndarray:
    """The least weekly minutes any of the schedules gives each student of each service."""
    if not schedules:
        raise ValueError("common_dose needs at least one schedule")
    return np.minimum.reduce([weekly_dose(s, school) for s in schedules])


def dose_gap(schedules: Sequence[WeeklySchedule], school: School) -> float:
    """The largest difference in a student's weekly minutes of a service between schedules.

    Zero when the doses are equal; this is the number to quote for how close an equal-dose
    comparison came.
    """
    doses = np.stack([weekly_dose(s, school) for s in schedules])
    return float((doses.max(axis=0) - doses.min(axis=0)).max()) if doses.size else 0.0


def withheld_minutes(schedule: WeeklySchedule) -> int:
    """Weekly minutes the schedule withholds to equalize the dose (0 for an untrimmed week)."""
    return sum(u.minutes for u in schedule.unmet if u.reason == EQUAL_DOSE_REASON)


def trim_to_dose(schedule: WeeklySchedule, school: School, params: Params,
                 target: np.ndarray) -> WeeklySchedule:
    """The schedule with each student's weekly minutes of each service cut to `target`.

    Args:
        schedule: The policy's full week.
        school: The school it was made for.
        params: The parameters it was made with (travel and co-planning minutes are
            recomputed from the sessions that remain).
        target: (students, services) weekly minutes each student may keep, at most.

    Returns:
        A new schedule: the same sessions minus the dropped memberships, the load and
        co-planning pairs of what remains, and the withheld minutes as unmet minutes with the
        reason `EQUAL_DOSE_REASON`. The solver's report, if any, still describes the full week.
    """
    excess = weekly_dose(schedule, school) - target
    drop: dict[int, set[int]] = defaultdict(set)
    withheld: list[Unmet] = []
    by_member: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, s in enumerate(schedule.sessions):
        d = SERVICES.index(s.service)
        for i in s.students:
            if excess[i, d] > 0:
                by_member[(i, d)].append(n)
    for (i, d), numbers in sorted(by_member.items()):
        left = list(numbers)
        count = Counter(schedule.sessions[n].setting for n in left)
        while excess[i, d] > 0 and left:
            n = max(left, key=lambda k: (count[schedule.sessions[k].setting],
                                         schedule.sessions[k].day, schedule.sessions[k].slot, k))
            s = schedule.sessions[n]
            left.remove(n)
            count[s.setting] -= 1
            excess[i, d] -= s.minutes
            drop[n].add(i)
            withheld.append(Unmet(school.students[i].id, s.service, s.setting, 1, s.minutes,
                                  EQUAL_DOSE_REASON))
    if not drop:
        return schedule
    sessions = []
    for n, s in enumerate(schedule.sessions):
        if n in drop:
            kept = tuple(i for i in s.students if i not in drop[n])
            if not kept:
                continue
            s = replace(s, students=kept)
        sessions.append(s)
    reserved = ([x.consultation for x in schedule.load], [x.supervision for x in schedule.load])
    load, pairs = therapist_load(school, sessions, int(params.push_in_travel_minutes),
                                 int(params.coplanning_minutes), reserved)
    return replace(schedule, sessions=sessions, unmet=merge_unmet([*schedule.unmet, *withheld]),
                   load=load, coplanning_pairs=pairs)


def equal_dose_schedule(school: School, policy: Policy, params: Params,
                        compared: Sequence[Policy], stream: Callable[[], np.random.Generator],
                        options: SchedulingOptions | None = None) -> WeeklySchedule:
    """The policy's week cut to the dose every compared policy can give.

    Args:
        school: The school.
        policy: The policy of this run (counted among the compared ones if it is not there).
        params: Parameters.
        compared: The policies of the comparison: the dose is the least any of them schedules.
        stream: Makes a fresh scheduling stream of the run's seed; each policy's week is built
            from one, as it would be in that policy's own run (only the greedy scheduler draws
            from it; the optimizer's weeks come from the schedule cache after the first run).
        options: Which scheduler, and its settings.

    Returns:
        The trimmed week (see `trim_to_dose`).
    """
    policies = [policy] + [p for p in compared if p != policy]
    unique: list[Policy] = []
    for p in policies:
        if p not in unique:
            unique.append(p)
    schedules = [make_schedule(school, p, params, stream(), options) for p in unique]
    trimmed = trim_to_dose(schedules[0], school, params, common_dose(schedules, school))
    if os.environ.get(CHECK_ENV):
        from inclusion_sim.delivery.schedule_check import check_schedule

        adjacent = (options or SchedulingOptions()).adjacent_grades
        problems = check_schedule(school, policy, params, trimmed, adjacent_grades=adjacent)
        if problems:
            raise AssertionError("equal-dose schedule breaks the rules: " + "; ".join(problems[:5]))
    return trimmed
