"""Mechanism 10: the minutes ledger.

Per student and service: mandated, scheduled, delivered, wasted (resisted) and absent minutes;
lesson minutes missed. Per therapist: direct, travel and co-planning minutes; per teacher:
co-planning minutes. Scheduled minutes are booked at the start of each week, so at every slot
``delivered + wasted + absent <= scheduled <= mandated`` holds, with equality of the first
three and scheduled at the end of each week.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.model.mechanisms.resistance import SessionMinutes


def record_sessions(delivered: np.ndarray, wasted: np.ndarray, absent: np.ndarray,
                    refusals: np.ndarray, attended: np.ndarray, member: np.ndarray,
                    domain: np.ndarray, minutes: SessionMinutes) -> None:
    """Book one slot's session minutes (a student is in at most one session per slot)."""
    delivered[member, domain] += minutes.delivered
    wasted[member, domain] += minutes.wasted
    absent[member, domain] += minutes.absent
    refusals[member] += minutes.refused
    attended[member] += minutes.absent == 0


def book_week(mandated: np.ndarray, scheduled: np.ndarray, weekly_mandate: np.ndarray,
              weekly_schedule: np.ndarray) -> None:
    """Book a week's mandated and scheduled minutes at its start."""
    mandated += weekly_mandate
    scheduled += weekly_schedule
