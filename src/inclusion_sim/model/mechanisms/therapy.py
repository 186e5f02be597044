"""Mechanism 3: therapy dose.

Effective minutes (delivered minutes x the setting's focus x the student's engagement) raise
goal mastery with diminishing returns, and pull classroom carry-over toward the mastered level.
The therapy room is the most focused per minute; practice inside the classroom generalizes
more (F5: equal learning in the session, more use outside it). Carry-over can never exceed
mastery: a skill has to be learned before it can be used.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params


def setting_factors(params: Params, enabled: bool) -> tuple[np.ndarray, np.ndarray]:
    """Focus and generalization multipliers per setting code (pull-out, push-in, after-school).

    With ``setting_efficacy`` off every setting gets 1, so the settings cannot differ here.
    """
    if not enabled:
        return np.ones(3), np.ones(3)
    focus = np.array([params.pull_out_focus, params.push_in_focus, params.after_school_focus])
    generalization = np.array([1.0, params.push_in_generalization, 1.0])
    return focus, generalization


def dose(mastery: np.ndarray, carryover: np.ndarray, effective_hours: np.ndarray,
         generalization: np.ndarray | float, params: Params) -> tuple[np.ndarray, np.ndarray]:
    """New mastery and carry-over after `effective_hours` of practice.

    Mastery moves toward 1 at ``mastery_rate`` per hour; carry-over moves toward mastery at
    ``carryover_rate x generalization`` per hour. Exponential steps keep both in [0, 1] for any
    dose and make repeated equal doses independent of when they happen.
    """
    new_mastery = 1.0 - (1.0 - mastery) * np.exp(-params.mastery_rate * effective_hours)
    pull = 1.0 - np.exp(-params.carryover_rate * generalization * effective_hours)
    new_carryover = carryover + pull * np.maximum(new_mastery - carryover, 0.0)
    return new_mastery, new_carryover
