"""Mechanism 10: the minutes ledger.

Per student and service: mandated, scheduled, delivered, wasted (resisted), absent and cancelled
minutes, made-up minutes (inside delivered, and counted apart) and sessions lost by cause; lesson
minutes missed. Per therapist: direct, travel and co-planning minutes; per teacher: co-planning
minutes. Scheduled minutes are booked at the start of each week, so at every slot
``delivered - made_up + wasted + absent + cancelled <= scheduled <= mandated`` holds, with
equality of the first and scheduled at the end of each week; made-up minutes never exceed the
minutes lost.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.model.mechanisms.disruptions import REFUSAL, STUDENT_ABSENT
from inclusion_sim.model.mechanisms.resistance import SessionMinutes


def record_sessions(delivered: np.ndarray, wasted: np.ndarray, absent: np.ndarray,
                    refusals: np.ndarray, attended: np.ndarray, member: np.ndarray,
                    domain: np.ndarray, minutes: SessionMinutes) -> None:
    """Book one slot's session minutes (a student is in at most one session per slot)."""
    delivered[member, domain] += minutes.delivered
    wasted[member, domain] += minutes.wasted
    absent[member, domain] += minutes.absent
    refusals[member] += minutes.refused
    if minutes.cancelled is None:
        attended[member] += minutes.absent == 0
    else:
        attended[member] += (minutes.absent == 0) & (minutes.cancelled == 0)


def record_losses(cancelled: np.ndarray, lost: np.ndarray, member: np.ndarray,
                  domain: np.ndarray, minutes: SessionMinutes) -> None:
    """Book one slot's cancelled minutes and lost sessions by cause.

    Args:
        cancelled: (students, services) minutes cancelled by a disruption; updated.
        lost: (students, services, causes) sessions lost, by cause (index = cause - 1 in
            `inclusion_sim.model.mechanisms.disruptions.CAUSES`); updated.
        member: Session members this slot.
        domain: Service of each member's session.
        minutes: What happened to each member's minutes.
    """
    if minutes.cancelled is not None:
        cancelled[member, domain] += minutes.cancelled
        hit = minutes.cause > 0
        lost[member[hit], domain[hit], minutes.cause[hit] - 1] += 1
    no_show = minutes.absent > 0
    if no_show.any():
        lost[member[no_show], domain[no_show], STUDENT_ABSENT - 1] += 1
    if minutes.refused.any():
        lost[member[minutes.refused], domain[minutes.refused], REFUSAL - 1] += 1


def record_made_up(delivered: np.ndarray, made_up: np.ndarray, member: np.ndarray,
                   domain: np.ndarray, minutes: np.ndarray) -> None:
    """Book minutes of make-up sessions: delivered, and counted apart as made up."""
    delivered[member, domain] += minutes
    made_up[member, domain] += minutes


def book_week(mandated: np.ndarray, scheduled: np.ndarray, weekly_mandate: np.ndarray,
              weekly_schedule: np.ndarray) -> None:
    """Book a week's mandated and scheduled minutes at its start."""
    mandated += weekly_mandate
    scheduled += weekly_schedule
