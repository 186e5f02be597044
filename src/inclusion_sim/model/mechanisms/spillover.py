"""Mechanism 8: what classmates get from the delivery model.

A therapist pushed into a core lesson is a second adult in the room and helps some classmates,
the weakest most (F4). Students pulled out of a core lesson leave a smaller class behind for a
while. Both gains are anchored to a whole year of full-time presence, where the evidence is
(Tennessee's STAR experiment: a full-time aide added little, a class about seven students
smaller about 0.2 SD; F3 bounds classmates' effects at 0.15 SD a year), and scaled to the
share of the class's core time they last. Both have a cost too: a second adult working with a
group in the room (``push_in_disruption``), and students leaving and coming back
(``pull_out_disruption_minutes``), applied to the lesson's minutes when the slot plan is built.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params
from inclusion_sim.model.mechanisms.instruction import YEAR_WEEKS


def weakness_weight(baseline: np.ndarray, params: Params) -> np.ndarray:
    """Relative share of the help each student gets: more for those below average."""
    return 1.0 + params.spillover_weakest_gain * np.maximum(-baseline, 0.0)


def per_core_minute(sd_per_year: float, core_minutes_per_week: np.ndarray) -> np.ndarray:
    """A year's effect of full-time presence, spread over the class's core minutes of a year."""
    return sd_per_year / np.maximum(core_minutes_per_week * YEAR_WEEKS, 1.0)


def second_adult_rate(core_minutes_per_week: np.ndarray, weight: np.ndarray,
                      params: Params) -> np.ndarray:
    """Gain (SD) per minute a pushed-in therapist shares a core lesson with each student."""
    return per_core_minute(params.spillover_sd_per_year, core_minutes_per_week) * weight


def smaller_class_rate(core_minutes_per_week: np.ndarray, weight: np.ndarray,
                       params: Params) -> np.ndarray:
    """Gain (SD) per student-minute a classmate spends out of each student's core lesson."""
    return per_core_minute(params.smaller_class_sd_per_year, core_minutes_per_week) * weight


def smaller_class_gain(out_minutes: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Gain of each student whose class had `out_minutes` student-minutes out this slot."""
    return out_minutes * rate
