"""Mechanism 4: instruction, missed core material, backlog and catch-up.

Students present in a core lesson grow academically at a rate set so that a full year of core
lessons gives the published annual gain for their grade (Hill, Bloom, Black & Lipsey 2008,
scaled by ``annual_growth_scale``; times ``iep_growth_factor`` for students with IEPs), scaled
by engagement relative to the student's own level at zero stigma.

A missed core minute is counted once. It gives no growth in the lesson it was missed from, and
it joins a backlog of missed material; each week a share of the backlog is caught up, and a
caught-up minute gives the growth it would have given in the lesson. What is still in the
backlog at the end of the year is the growth the student lost. (Earlier versions also let the
backlog slow the learning of new material, which charged the same minute twice.) Pulled-out
students miss the session and the walk; pushed-in students miss the share of the lesson spent
on the therapist's task.

A student absent from school (a disruption of the school year) misses the day's lessons: they
give no growth, and they are counted apart from lessons missed for therapy. They do not join
the backlog: the catch-up rule is for material missed while classmates went on in the room,
and what an absent day costs in learning is the same under every policy, so it stays outside
what the model compares (its minutes are reported).
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params

YEAR_WEEKS = 36

#: Annual gain in SD units during each grade's year (K = 0), the mean of reading and mathematics
#: in Hill, Bloom, Black & Lipsey 2008 (table 1: spring-to-spring gains on nationally normed
#: tests; grade g's year is their "(g-1) to g" column). Kindergarten has no benchmark there and
#: takes grade 1's. The comments give reading, then mathematics.
GROWTH_BY_GRADE: tuple[float, ...] = (
    1.33,  # K (grade 1's value; no K benchmark)
    1.33,  # 1: reading 1.52, math 1.14
    1.00,  # 2: 0.97, 1.03
    0.75,  # 3: 0.60, 0.89
    0.44,  # 4: 0.36, 0.52
    0.48,  # 5: 0.40, 0.56
    0.37,  # 6: 0.32, 0.41
    0.27,  # 7: 0.23, 0.30
    0.29,  # 8: 0.26, 0.32
    0.23,  # 9: 0.24, 0.22
    0.22,  # 10: 0.19, 0.25
    0.17,  # 11: 0.19, 0.14
    0.04,  # 12: 0.06, 0.01
)


def annual_growth(grade: np.ndarray, params: Params) -> np.ndarray:
    """A typical student's growth (SD) over a year of core lessons, by grade."""
    table = np.asarray(GROWTH_BY_GRADE)
    return params.annual_growth_scale * table[np.clip(grade, 0, len(table) - 1)]


def growth_per_minute(core_minutes_per_week: np.ndarray, grade: np.ndarray, has_iep: np.ndarray,
                      params: Params) -> np.ndarray:
    """Academic growth (SD) per core minute for each student, from their class's timetable."""
    rate = annual_growth(grade, params) / np.maximum(core_minutes_per_week * YEAR_WEEKS, 1.0)
    return rate * np.where(has_iep, params.iep_growth_factor, 1.0)


def learning_multiplier(engagement: np.ndarray, engagement_base: np.ndarray) -> np.ndarray:
    """How fast each student learns now, relative to their starting rate."""
    return engagement / engagement_base


def add_missed(backlog: np.ndarray, core_missed: np.ndarray, other_missed: np.ndarray,
               students: np.ndarray, missed: np.ndarray, is_core: np.ndarray) -> None:
    """Record the lesson minutes students miss; core minutes join the backlog.

    A student appears at most once per slot (one session at a time), so plain fancy-index
    updates are safe.
    """
    core = missed * is_core
    backlog[students] += core
    core_missed[students] += core
    other_missed[students] += missed - core


def catch_up(backlog: np.ndarray, params: Params) -> np.ndarray:
    """Weekly recovery of part of the backlog (in place); returns the minutes caught up."""
    recovered = backlog * params.backlog_catchup
    backlog -= recovered
    return recovered


def away_from_school(presence, student: np.ndarray, pos: np.ndarray) -> None:
    """Take absent students out of the slot's lesson (the `Presence` is updated in place).

    They get no instruction minutes, and are in no relevant lesson for embedded practice or
    peer modelling. (A session they had was cancelled before this, so nothing of it is
    counted as missed for therapy.) The arrays are replaced, not written into, because a
    slot's `Presence` starts from the weekly plan's arrays, which every week shares.

    Args:
        presence: The slot's `inclusion_sim.model.steps.Presence` (made anew every slot).
        student: Absent students (indices into all students).
        pos: Their positions among students with IEPs.
    """
    instruction_minutes = presence.instruction_minutes.copy()
    instruction_minutes[student] = 0.0
    iep_relevant = presence.iep_relevant.copy()
    iep_teacher_relevant = presence.iep_teacher_relevant.copy()
    iep_relevant[pos] = False
    iep_teacher_relevant[pos] = False
    presence.instruction_minutes = instruction_minutes
    presence.iep_relevant = iep_relevant
    presence.iep_teacher_relevant = iep_teacher_relevant
