"""Mechanism 2: resistance, refusals and absences.

A student may resist a session: most often when pulled out (a visible exit, a power struggle at
the door), more often when stigma is high or the session takes them out of a favourite period.
A resisted session loses part of its minutes. After-school sessions can also be missed
altogether. Uniform draws come from dedicated streams, one number per student with an IEP and
slot whether or not a session happens, so two policies share their draws (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..params import Params


@dataclass
class SessionMinutes:
    """What happened to the scheduled minutes of each session member this slot."""

    delivered: np.ndarray
    wasted: np.ndarray
    absent: np.ndarray
    refused: np.ndarray


def refusal_rates(params: Params) -> np.ndarray:
    """Base refusal probability per setting code (pull-out, push-in, after-school)."""
    return np.array([params.pull_out_refusal_rate, params.push_in_refusal_rate,
                     params.after_school_refusal_rate])


def resolve_sessions(setting: np.ndarray, minutes: np.ndarray, stigma: np.ndarray,
                     favourite: np.ndarray, u_refuse: np.ndarray, u_attend: np.ndarray,
                     params: Params, enabled: bool) -> SessionMinutes:
    """Split each member's scheduled minutes into delivered, wasted and absent minutes.

    Args:
        setting: Setting code per member.
        minutes: Scheduled session minutes per member.
        stigma: Felt stigma per member.
        favourite: True where a pulled-out member misses a favourite period.
        u_refuse: Uniform draws for refusal, per member.
        u_attend: Uniform draws for after-school attendance, per member.
        params: Model parameters.
        enabled: With resistance switched off nobody refuses (attendance still applies).
    """
    attended = (setting != 2) | (u_attend < params.after_school_attendance)
    if enabled:
        p = (refusal_rates(params)[setting] * (1.0 + params.refusal_stigma_gain * stigma)
             * (1.0 + params.refusal_favourite_gain * favourite))
        refused = attended & (u_refuse < p)
    else:
        refused = np.zeros(setting.shape, dtype=bool)
    absent = np.where(attended, 0.0, minutes)
    wasted = np.where(refused, params.refusal_wasted_fraction * minutes, 0.0)
    return SessionMinutes(minutes - absent - wasted, wasted, absent, refused)
