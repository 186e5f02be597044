"""Mechanism 4: instruction, missed core material, backlog and catch-up.

Students present in a core lesson grow academically at a rate set so that a full year of core
lessons gives ``annual_growth_sd`` (times ``iep_growth_factor`` for students with IEPs).
Missed core minutes count twice, on purpose: the lesson's own growth is lost, and the minutes
join a backlog of missed material that slows the learning of new material until it is caught
up (a share of the backlog is recovered each week). Pulled-out students miss the session and
the walk; pushed-in students miss the share of the lesson they spend on the therapist's task.
Engagement (relative to the student's own level at zero stigma) and progress in classroom skills
scale the rate too.
"""

from __future__ import annotations

import numpy as np

from inclusion_sim.base.params import Params

YEAR_WEEKS = 36


def growth_per_minute(core_minutes_per_week: np.ndarray, has_iep: np.ndarray,
                      params: Params) -> np.ndarray:
    """Academic growth (SD) per core minute for each student, from their class's timetable."""
    rate = params.annual_growth_sd / np.maximum(core_minutes_per_week * YEAR_WEEKS, 1.0)
    return rate * np.where(has_iep, params.iep_growth_factor, 1.0)


def learning_multiplier(engagement: np.ndarray, engagement_base: np.ndarray, gap: np.ndarray,
                        initial_gap: np.ndarray, backlog: np.ndarray,
                        params: Params) -> np.ndarray:
    """How fast each student learns now, relative to their starting rate."""
    skill = 1.0 + params.skill_gap_drag * (initial_gap - gap)
    backlog_factor = 1.0 / (1.0 + backlog / (60.0 * params.backlog_half_hours))
    return engagement / engagement_base * skill * backlog_factor


def add_missed(backlog: np.ndarray, core_missed: np.ndarray, other_missed: np.ndarray,
               students: np.ndarray, missed: np.ndarray, is_core: np.ndarray) -> None:
    """Record the lesson minutes students miss; core minutes join the backlog.

    A student appears at most once per slot (one session at a time), so plain fancy-index
    updates are safe.
    """
    core = missed * is_core
    backlog[students] += core
    core_missed[students] += core
    other_missed[students] += missed - core


def catch_up(backlog: np.ndarray, params: Params) -> None:
    """Weekly recovery of part of the backlog."""
    backlog *= 1.0 - params.backlog_catchup
