"""Every scheduled session of every week, and what became of it: held, cancelled, refused.

The year tables (`inclusion_sim.model.outcomes.year_tables`) count lost sessions per student
and service over the year; a principal looking at one class in one week asks which sessions
did not happen, and why, and which were made up. This module answers by running the model
again from its configuration (same seed, so the very same year), one slot at a time, and
reading what the step table leaves behind after each slot: the slot's plan, the fate of each
member's minutes (`SessionMinutes`: the disruption's cause, a refusal, an after-school
no-show) and the make-up sessions booked for that slot. Nothing in the model changes; the
record costs one more run of the year.
"""

from __future__ import annotations

import pandas as pd

from inclusion_sim.delivery.plan import SETTING_CODES
from inclusion_sim.model.mechanisms.disruptions import CAUSES
from inclusion_sim.model.school_model import SchoolModel
from inclusion_sim.school.world import SERVICES

#: Columns of `session_record`, in order.
COLUMNS = ("week", "day", "slot", "student_id", "class_id", "service", "therapist_id",
           "setting", "minutes", "status", "cause")

#: What became of a session member's minutes.
STATUSES = ("held", "cancelled", "refused", "made_up")

_SETTINGS = {code: name for name, code in SETTING_CODES.items()}


def session_record(model: SchoolModel, weeks: int | None = None) -> pd.DataFrame:
    """One row per student and scheduled session per week, plus one per make-up session.

    Args:
        model: A model built from the configuration to record (run or not: it is not touched;
            a fresh model is built from ``model.config`` and run from the first week).
        weeks: Weeks to record (default: the model's year).

    Returns:
        A frame with `COLUMNS`: ``week`` (0-based), ``day`` and ``slot`` of the day, the
        student's and class's ids, the service, the therapist's id, the setting
        (``pull_out``, ``push_in``, ``after_school``), the session's minutes, ``status`` (one of
        `STATUSES`) and, for a cancelled session, the ``cause`` (one of `CAUSES`; a student who
        did not turn up to an after-school session counts as absent, as the year's ledger books
        it). A make-up row is the session held in its place, in the slot it was held; a
        make-up the student refused has no row (the lost session's row already says it was
        not held).
    """
    replay = SchoolModel(model.config)
    end = replay.weeks if weeks is None else min(int(weeks), replay.weeks)
    school = replay.school
    students = [s.id for s in school.students]
    classes = [s.class_id for s in school.students]
    therapists = [t.id for t in school.therapists]
    rows: list[tuple] = []
    while replay.week < end:
        week, slot_in_week = replay.week, replay.slot_in_week
        day, slot = replay.day, replay.slot
        logged = len(replay.makeup_log)
        replay.step()
        plan, session = replay.plans[slot_in_week], replay.session
        if session is not None and len(plan.member):
            cause = session.cause
            for k, i in enumerate(plan.member):
                if cause is not None and cause[k] > 0:
                    status, why = "cancelled", CAUSES[cause[k] - 1]
                elif session.absent[k] > 0:
                    status, why = "cancelled", "student_absent"
                elif session.refused[k]:
                    status, why = "refused", "refusal"
                else:
                    status, why = "held", ""
                rows.append((week, day, slot, students[i], classes[i],
                             SERVICES[plan.member_domain[k]], therapists[plan.member_therapist[k]],
                             _SETTINGS[int(plan.member_setting[k])],
                             float(plan.member_minutes[k]), status, why))
        for _, _, booked, refused in replay.makeup_log[logged:]:
            for i, d, t, minutes in zip(booked.student[~refused], booked.domain[~refused],
                                        booked.therapist[~refused], booked.minutes[~refused],
                                        strict=True):
                rows.append((week, day, slot, students[i], classes[i], SERVICES[d],
                             therapists[t], "pull_out", float(minutes), "made_up", ""))
    return pd.DataFrame(rows, columns=list(COLUMNS))
