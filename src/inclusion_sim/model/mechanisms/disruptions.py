"""Mechanism 11: disruptions of the school year (absences, events, duties).

The weekly timetable repeats, but what is delivered does not: students are absent, the therapist
is out with no substitute, testing days and assemblies cancel sessions, and evaluations, IEP
meetings and paperwork take the therapist's time in some weeks more than in others. Each
disruption is drawn at the start of a week from its own random stream, with a fixed number of
draws per student, therapist or day whatever the policy, so the same seed gives the same absent
days under every policy (common random numbers). A session hit by a disruption is cancelled
whole; its minutes are booked as lost, with the cause.

When two disruptions hit the same session, the first cause in `CAUSES` is the one booked: a
school-wide event before a therapist's absence, a therapist's absence before their duties, and
any of these before the student's absence (the session would not have happened anyway).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from inclusion_sim.base.params import Params

#: Why a scheduled session was not delivered, in the order causes are booked. ``refusal`` is
#: booked by the resistance mechanism; the others here. 0 in a cause array means "held".
CAUSES: tuple[str, ...] = ("school_event", "therapist_absent", "therapist_duties",
                           "student_absent", "refusal")
EVENT, THERAPIST_ABSENT, DUTIES, STUDENT_ABSENT, REFUSAL = range(1, 6)

#: Weekly session minutes of a full-time school therapist (ASHA 2022 Schools Survey: 22 hours
#: of direct service), the time `duty_hours_per_week` goes with.
FULL_TIME_DIRECT_MINUTES = 1320.0

#: School days in a year, to turn a yearly count of event days into a daily chance.
YEAR_DAYS = 180


def chronic_group(u: np.ndarray, params: Params) -> np.ndarray:
    """Daily absence probability of each student with an IEP (drawn once per run).

    A share ``chronic_absence_share`` of them belongs to the chronically absent group.
    """
    chronic = u < params.chronic_absence_share
    return np.where(chronic, params.chronic_absence_rate, params.student_absence_rate)


def student_absent_days(rates: np.ndarray, u: np.ndarray) -> np.ndarray:
    """(days, students) True where a student misses the whole day."""
    return u < rates[None, :]


def therapist_out_days(u: np.ndarray, params: Params) -> np.ndarray:
    """(days, therapists) True where a therapist is out and nobody covers the sessions.

    One draw decides both absence and cover (the covered days are a subset of the absent
    days), so changing the substitute share changes which sessions are held, not who is out.
    """
    covered = params.therapist_absence_rate * params.therapist_substitute_share
    return (u >= covered) & (u < params.therapist_absence_rate)


def event_days(u: np.ndarray, params: Params) -> np.ndarray:
    """(days,) True on school-wide days with no sessions."""
    return u < params.school_event_days / YEAR_DAYS


def duty_cancel_chance(factor: np.ndarray, contracted_minutes: np.ndarray,
                       used_minutes: np.ndarray, direct_minutes: np.ndarray,
                       params: Params) -> np.ndarray:
    """Per therapist, the chance that any one session this week gives way to duties.

    Args:
        factor: This week's duty load relative to the average (mean 1), per therapist.
        contracted_minutes: Each therapist's contracted session minutes a week; duties scale
            with it (a part-time therapist has a part-time share of evaluations and paperwork).
        used_minutes: Minutes of the contract the timetable uses (sessions, travel,
            co-planning); the rest is slack that absorbs a heavy week first.
        direct_minutes: Session minutes each therapist has scheduled in a week.
        params: Model parameters.

    The average week's duties fit outside session time (the survey counts them apart from
    direct service). The hours above the average go first into contracted time the timetable
    leaves free; only what remains is taken from sessions, spread over the week.
    """
    duties = params.duty_hours_per_week * 60.0 * contracted_minutes / FULL_TIME_DIRECT_MINUTES
    excess = np.maximum(factor - 1.0, 0.0) * duties
    spill = np.maximum(excess - np.maximum(contracted_minutes - used_minutes, 0.0), 0.0)
    return np.divide(spill, direct_minutes, out=np.zeros_like(spill),
                     where=direct_minutes > 0).clip(0.0, 1.0)


def duty_factor(u: np.ndarray, params: Params) -> np.ndarray:
    """This week's duty load per therapist relative to the average, from uniform draws.

    Log-normal with mean 1 and coefficient of variation ``duty_variation``, computed from one
    uniform draw per therapist so the stream moves by the same amount whatever the value.
    """
    cv = params.duty_variation
    sigma = np.sqrt(np.log1p(cv**2))
    z = ndtri(np.clip(u, 1e-12, 1.0 - 1e-12))
    return np.exp(sigma * z - sigma**2 / 2.0)


def session_causes(day: int, slot_in_week: int, member_pos: np.ndarray,
                   member_therapist: np.ndarray, events: np.ndarray | None,
                   therapist_out: np.ndarray | None, duty_cancel: np.ndarray | None,
                   student_out: np.ndarray | None) -> np.ndarray:
    """The cause (see `CAUSES`, 0 = held) of each session member's loss this slot."""
    cause = np.zeros(member_pos.shape, dtype=np.int64)
    # Booked in reverse order of precedence, so the first cause in CAUSES wins.
    if student_out is not None:
        cause[student_out[day, member_pos]] = STUDENT_ABSENT
    if duty_cancel is not None:
        cause[duty_cancel[slot_in_week, member_therapist]] = DUTIES
    if therapist_out is not None:
        cause[therapist_out[day, member_therapist]] = THERAPIST_ABSENT
    if events is not None and events[day]:
        cause[:] = EVENT
    return cause


def cancel(session, cause: np.ndarray, minutes: np.ndarray) -> None:
    """Take the cancelled sessions out of a slot's `SessionMinutes` (in place).

    A cancelled member neither attends nor refuses; an after-school no-show whose session was
    cancelled anyway counts as cancelled, so every scheduled minute has one fate.
    """
    hit = cause > 0
    session.cause = cause
    session.cancelled = np.where(hit, minutes, 0.0)
    session.delivered = np.where(hit, 0.0, session.delivered)
    session.absent = np.where(hit, 0.0, session.absent)
    session.attended = session.attended & ~hit
