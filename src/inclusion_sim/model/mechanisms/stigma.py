"""Mechanism 9: stigma and belonging.

Each visible removal from class raises felt stigma toward 1, more in older grades; a session of
support inside the classroom raises it too, by the same amount by default (support in front of
peers is visible too, and studies find no self-concept difference by placement). Stigma fades
each week. Belonging falls with stigma, and engagement with belonging; both feed back into
learning (instruction, therapy) and into refusals (resistance).
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params


def raise_stigma(stigma: np.ndarray, grade: np.ndarray, students: np.ndarray,
                 per_event: float, params: Params) -> None:
    """Raise the stigma of `students` for one visible event of size `per_event`."""
    if len(students):
        s = stigma[students]
        stigma[students] = s + per_event * (1.0 + params.stigma_grade_gain * grade[students]) * (1 - s)


def fade(stigma: np.ndarray, params: Params) -> None:
    """Weekly fading of felt stigma."""
    stigma *= 1.0 - params.stigma_fade


def belonging_and_engagement(stigma: np.ndarray, belonging_base: np.ndarray,
                             params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Belonging and engagement implied by stigma."""
    belonging = belonging_base * (1.0 - params.belonging_stigma_weight * stigma)
    engagement = 1.0 - params.engagement_belonging_weight * (1.0 - belonging)
    return belonging, engagement
