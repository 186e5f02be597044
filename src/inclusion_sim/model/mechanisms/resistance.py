"""Mechanism 2: resistance, refusals and absences.

A student may refuse a session in any setting: a visible exit or an adult at the desk in front of
classmates can both be resisted, and students' own preferences go both ways (lit. B18), so the
base rates are equal by default. Refusals rise with felt stigma and when the session falls in a
favourite period of the student's class (specials, lunch or recess), whatever the setting. A
refused session is lost whole, and the student stays in the lesson: a refused pull-out does not
leave the room, miss the lesson or add removal stigma. After-school sessions can also be missed
altogether. Uniform draws come from dedicated streams, one number per student with an IEP and
slot whether or not a session happens, so two policies share their draws (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inclusion_sim.base.params import Params


@dataclass
class SessionMinutes:
    """What happened to the scheduled minutes of each session member this slot."""

    delivered: np.ndarray
    wasted: np.ndarray
    absent: np.ndarray
    refused: np.ndarray
    attended: np.ndarray
    #: Minutes of sessions cancelled by a disruption, and the cause of each (see
    #: `inclusion_sim.model.mechanisms.disruptions.CAUSES`); None when nothing was cancelled.
    cancelled: np.ndarray | None = None
    cause: np.ndarray | None = None


def refusal_rates(params: Params) -> np.ndarray:
    """Base refusal probability per setting code (pull-out, push-in, after-school)."""
    return np.array([params.pull_out_refusal_rate, params.push_in_refusal_rate,
                     params.after_school_refusal_rate])


def attend(setting: np.ndarray, minutes: np.ndarray, u_attend: np.ndarray,
           params: Params) -> SessionMinutes:
    """Who comes to their session: after-school sessions can be missed altogether.

    Args:
        setting: Setting code per member.
        minutes: Scheduled session minutes per member.
        u_attend: Uniform draws for after-school attendance, per member.
        params: Model parameters.

    Returns:
        The members' minutes with absences taken out and nobody refusing yet.
    """
    attended = (setting != 2) | (u_attend < params.after_school_attendance)
    absent = np.where(attended, 0.0, minutes)
    return SessionMinutes(minutes - absent, np.zeros_like(minutes), absent,
                          np.zeros(setting.shape, dtype=bool), attended)


def refuse(session: SessionMinutes, setting: np.ndarray, minutes: np.ndarray,
           stigma: np.ndarray, favourite: np.ndarray, u_refuse: np.ndarray,
           params: Params) -> None:
    """Present members may refuse; a refused session is lost whole (in place).

    Args:
        session: The members' minutes after attendance; updated.
        setting: Setting code per member.
        minutes: Scheduled session minutes per member.
        stigma: Felt stigma per member.
        favourite: True where the session falls in a favourite period of the member's class.
        u_refuse: Uniform draws for refusal, per member.
        params: Model parameters.
    """
    p = (refusal_rates(params)[setting] * (1.0 + params.refusal_stigma_gain * stigma)
         * (1.0 + params.refusal_favourite_gain * favourite))
    refused = session.attended & (u_refuse < p)
    session.refused = refused
    session.wasted = np.where(refused, minutes, 0.0)
    session.delivered = np.where(refused, 0.0, session.delivered)
