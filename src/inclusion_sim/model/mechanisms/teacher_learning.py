"""Mechanism 6: teacher learning (F2: watching is not adopting).

Each pushed-in session held in a teacher's room raises the teacher's knowledge of that
service's strategies. Knowledge turns into classroom use only slowly when the therapist works
in parallel (observation: ~5% a year) and quickly when they co-plan and co-teach (coaching:
~95% a year; Joyce & Showers 2002). A strategy no therapist reinforced in a week fades. Pulled-out
and after-school sessions are invisible to the teacher.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params
from inclusion_sim.model.mechanisms.instruction import YEAR_WEEKS


def observe(knowledge: np.ndarray, observed: np.ndarray, reinforced: np.ndarray,
            collaborative: np.ndarray, pushins: list[tuple[int, int, bool]],
            params: Params) -> None:
    """Update knowledge for each pushed-in session this slot, and mark the week's contact."""
    for klass, domain, collab in pushins:
        knowledge[klass, domain] += params.observe_knowledge_gain * (1.0 - knowledge[klass, domain])
        observed[klass, domain] += 1
        reinforced[klass, domain] = True
        collaborative[klass, domain] |= collab


def weekly_rate(annual: float) -> float:
    """Weekly rate equivalent to an annual share over a school year."""
    return 1.0 - (1.0 - min(annual, 0.999999)) ** (1.0 / YEAR_WEEKS)


def adopt_and_fade(knowledge: np.ndarray, use: np.ndarray, reinforced: np.ndarray,
                   collaborative: np.ndarray, params: Params) -> None:
    """Weekly: reinforced strategies move into use; unreinforced ones fade."""
    rate = np.where(collaborative, weekly_rate(params.adoption_collaborative),
                    weekly_rate(params.adoption_parallel))
    grow = rate * np.maximum(knowledge - use, 0.0)
    use += np.where(reinforced, grow, -params.strategy_fade * use)
