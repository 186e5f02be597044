"""Mechanism 7: peer modeling.

In lessons relevant to a domain, a student with a need sees classmates use the skill. The
carry-over gained grows with the share of classmates who have the skill and with belonging:
a student who feels apart copies less. Students out of class get none of it.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params


def modeling_hours(relevant: np.ndarray, peer_share: np.ndarray, belonging: np.ndarray,
                   minutes: float | np.ndarray, params: Params) -> np.ndarray:
    """Carry-over exposure (rate x hours) per student and domain this slot.

    Args:
        relevant: (students, services) in a relevant lesson and needing the domain.
        peer_share: (students, services) share of classmates without that need.
        belonging: (students,) belonging.
        minutes: Lesson minutes, per student (a column) or one for all.
        params: Model parameters.
    """
    return params.peer_modeling_rate * relevant * peer_share * belonging[:, None] * minutes / 60.0


def apply(mastery: np.ndarray, carryover: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """Carry-over after peer exposure (bounded by mastery)."""
    return carryover + (1.0 - np.exp(-exposure)) * np.maximum(mastery - carryover, 0.0)
