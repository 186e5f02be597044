"""Mechanism 8: spill-over to classmates.

A therapist pushed into a core lesson is a second adult in the room and helps some classmates,
the weakest most (F4). The gain per hour is small, so a typical push-in load lands within the
|d| <= 0.15 per year that inclusion studies report for classmates (F3). The same second adult
can also disrupt the lesson (``push_in_disruption``, applied to the lesson's minutes when the
slot plan is built).
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params


def weakness_weight(baseline: np.ndarray, params: Params) -> np.ndarray:
    """Relative share of the help each student gets: more for those below average."""
    return 1.0 + params.spillover_weakest_gain * np.maximum(-baseline, 0.0)


def gain(minutes: np.ndarray, weight: np.ndarray, params: Params) -> np.ndarray:
    """Academic gain (SD) of classmates sharing `minutes` of a lesson with a pushed-in therapist."""
    return params.spillover_sd_per_hour * minutes / 60.0 * weight
