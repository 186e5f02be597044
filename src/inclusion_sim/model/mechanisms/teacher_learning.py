"""Mechanism 6: teacher learning (F2: watching is not adopting).

Every therapist spends some of each week consulting teachers (ASHA's survey: about 1.9 hours,
whatever the setting), shared among the classes with students on their caseload; an hour of
consultation raises the teacher's knowledge of that service's strategies, and knowledge discussed
turns into classroom use slowly. Each pushed-in session held in a teacher's room raises their
knowledge too. Use follows knowledge at the fastest rate the week's contact allows: slowly when
the therapist only consulted or worked in parallel (discussion and demonstration: about 0 to 5%
of teachers use a strategy; Joyce & Showers 2002) and faster when they co-planned and co-taught.
A strategy no therapist reinforced in a week fades. Pulled-out and after-school sessions are
invisible to the teacher; consultation is not.
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


def consult(knowledge: np.ndarray, consulted: np.ndarray, minutes: np.ndarray,
            params: Params) -> None:
    """A week's consultation: `minutes` (classes, services) of it raise knowledge (in place).

    This is the one consultation rule: the policies' consultation time and any consultation
    a service plan adds both come here.
    """
    gain = 1.0 - np.exp(-params.consultation_knowledge_gain * minutes / 60.0)
    knowledge += gain * (1.0 - knowledge)
    consulted |= minutes > 0


def weekly_rate(annual: float) -> float:
    """Weekly rate equivalent to an annual share over a school year."""
    return 1.0 - (1.0 - min(annual, 0.999999)) ** (1.0 / YEAR_WEEKS)


def adopt_and_fade(knowledge: np.ndarray, use: np.ndarray, reinforced: np.ndarray,
                   collaborative: np.ndarray, consulted: np.ndarray, params: Params,
                   coached: np.ndarray | None = None) -> None:
    """Weekly: strategies seen or discussed move into use; the others fade.

    Args:
        knowledge: (classes, services) teachers' knowledge.
        use: (classes, services) teachers' classroom use; updated.
        reinforced: True where a pushed-in session was held in the room this week.
        collaborative: True where one of them was co-taught.
        consulted: True where the teacher was consulted this week.
        params: Model parameters.
        coached: True where a consultation service gave feedback on the teacher's own use of
            the strategy this week (None: nowhere).
    """
    seen = np.where(collaborative, weekly_rate(params.adoption_collaborative),
                    np.where(reinforced, weekly_rate(params.adoption_parallel), 0.0))
    rate = np.maximum(seen, np.where(consulted, weekly_rate(params.adoption_consultation), 0.0))
    if coached is not None:
        rate = np.maximum(rate, np.where(coached,
                                         weekly_rate(params.adoption_consultation_feedback), 0.0))
    grow = rate * np.maximum(knowledge - use, 0.0)
    use += np.where(reinforced | consulted, grow, -params.strategy_fade * use)
