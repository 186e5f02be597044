"""Mechanism 5: teacher practice between sessions.

A teacher who uses a therapist's strategy gives students who need it a few minutes of embedded
practice in every relevant lesson, between sessions. That practice is in the real task, so it
counts toward carry-over like in-class therapy, at a lower efficacy per minute.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params


def practice_hours(use: np.ndarray, relevant: np.ndarray, engagement: np.ndarray,
                   params: Params) -> np.ndarray:
    """Effective hours of teacher practice per student and domain this slot.

    Args:
        use: (students, services) the student's teacher's use of each strategy.
        relevant: (students, services) True where the student is in a relevant lesson and needs
            the domain.
        engagement: (students,) engagement.
        params: Model parameters.
    """
    minutes = use * params.practice_minutes_per_lesson * relevant
    return minutes * params.teacher_practice_efficacy * engagement[:, None] / 60.0
