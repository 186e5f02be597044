"""Therapist time the week's sessions cannot use: consultation as a service and supervision.

A therapist's contracted minutes pay for more than sessions. Two uses are fixed before the week
is scheduled, because the policy or the staff list decides them:

* **Consultation with the teacher as a service** (`ServicePolicy.consultation_minutes`): so many
  minutes a week per class with a student on the service's caseload, shared equally among the
  discipline's staff (the model's consultation rule, 7.13 of the ODD, uses the same split).
* **Supervision of assistants** (SLPAs, COTAs): a share ``assistant_supervision_share`` of the
  assistants' contracted minutes, shared equally among the discipline's licensed therapists.

Both are taken from the minutes the schedulers (`inclusion_sim.delivery.scheduling`,
`inclusion_sim.delivery.optimize`) may give to sessions, travel and co-planning, counted in each
therapist's `TherapistLoad`, and paid (`inclusion_sim.model.outcomes`). Without either (the
shipped scenarios), every therapist keeps the whole contract for sessions.
"""

from __future__ import annotations

import math

import numpy as np

from inclusion_sim.delivery.policies import Policy
from inclusion_sim.school.world import SERVICES, School


def consultation_minutes(school: School, policy: Policy) -> np.ndarray:
    """Weekly minutes of consultation as a service each therapist owes, before any cap.

    Each class with at least one student mandated the service gets the service's
    ``consultation_minutes`` a week; the discipline's total is shared equally among its staff.
    """
    out = np.zeros(len(school.therapists))
    minutes = np.array([policy.for_service(s).consultation_minutes for s in SERVICES], float)
    if not minutes.any():
        return out
    classes = {(s.class_id, m.service) for s in school.students for m in s.mandates}
    total = np.array([minutes[d] * sum(1 for _, service in classes if service == s)
                      for d, s in enumerate(SERVICES)])
    staff = np.bincount([SERVICES.index(t.discipline) for t in school.therapists],
                        minlength=len(SERVICES))
    for t, therapist in enumerate(school.therapists):
        d = SERVICES.index(therapist.discipline)
        out[t] = total[d] / max(staff[d], 1)
    return out


def supervision_minutes(school: School, share: float) -> np.ndarray:
    """Weekly minutes each licensed therapist spends supervising their discipline's assistants.

    Args:
        school: The school.
        share: ``assistant_supervision_share``: supervision minutes per assistant minute.
    """
    out = np.zeros(len(school.therapists))
    if not any(t.role == "assistant" for t in school.therapists):
        return out
    for t, therapist in enumerate(school.therapists):
        if therapist.role == "assistant":
            continue
        same = [o for o in school.therapists if o.discipline == therapist.discipline]
        licensed = sum(o.role != "assistant" for o in same)
        out[t] = share * sum(o.minutes_per_week for o in same if o.role == "assistant") / licensed
    return out


def reserved_minutes(school: School, policy: Policy,
                     supervision_share: float) -> tuple[list[int], list[int]]:
    """Whole minutes of each therapist's contract kept for consultation and for supervision.

    Supervision is kept first, then consultation, each rounded to whole minutes (consultation
    up, so a session never eats into it) and never more than the contract has left: a therapist
    owed more indirect time than the contract holds has no minutes for sessions, and the
    unmet minutes say so ("the therapists' contracted minutes are used up").

    Returns:
        (consultation, supervision) minutes a week per therapist.
    """
    consult = consultation_minutes(school, policy)
    supervise = supervision_minutes(school, supervision_share)
    consultation, supervision = [], []
    for t, therapist in enumerate(school.therapists):
        contract = int(therapist.minutes_per_week)
        # round(contract - x) as the contract left after x: banker's rounding of the rest,
        # so a school's schedule is the same as when supervision was taken off the contract.
        kept = contract - max(0, round(contract - supervise[t])) if supervise[t] else 0
        supervision.append(kept)
        consultation.append(min(contract - kept, math.ceil(consult[t] - 1e-9))
                            if consult[t] else 0)
    return consultation, supervision
