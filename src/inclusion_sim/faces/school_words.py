"""Plain words for lessons, places, session settings and outcome values, shared by every face.

The dashboard's Classroom and Student pages and the printable timetables
(`inclusion_sim.faces.timetables`) show the same things: a lesson, where a student is, how a
therapist works with a group. Keeping the wording in one place means a teacher reads the same
words on the screen and on the printed page. Outcomes, parameters, policies and numbers are
worded by the presentation layer (`inclusion_sim.faces.present`); `outcome_text` here rounds a
value in the model's own unit, for tables that keep that unit.
"""

from __future__ import annotations

import math

#: A lesson's name as a teacher says it, by the library's subject name.
SUBJECT_LABELS = {
    "ela": "Reading (ELA)", "writing": "Writing", "math": "Math", "science": "Science",
    "social_studies": "Social studies", "specials": "Specials (art, music, PE)",
    "lunch_recess": "Lunch and recess",
}  # fmt: skip

#: Shorter names for small table cells.
SHORT_SUBJECTS = {
    "ela": "Reading", "writing": "Writing", "math": "Math", "science": "Science",
    "social_studies": "Social st.", "specials": "Specials", "lunch_recess": "Lunch",
}  # fmt: skip

#: Where a student can be in a slot, by `inclusion_sim.delivery.plan.LOCATIONS`.
WHERE_LABELS = {"class": "In class", "therapy_room": "Therapy room",
                "after_school": "After-school session", "home": "Home"}

#: How a pushed-in therapist works with the lesson.
COLLABORATION_LABELS = {"collaborative": "co-teaching with the teacher",
                        "parallel": "alongside the lesson"}


def setting_label(setting: str, collaboration: str = "") -> str:
    """Where and how a session happens, in plain words.

    Args:
        setting: ``pull_out``, ``push_in`` or ``after_school``.
        collaboration: ``parallel`` or ``collaborative`` for a pushed-in session.
    """
    if setting == "push_in":
        mode = COLLABORATION_LABELS.get(collaboration, "")
        return f"in class, {mode}" if mode else "in class"
    return {"pull_out": "pulled out to the therapy room",
            "after_school": "after school"}.get(setting, setting.replace("_", " "))


#: Service names short enough for a timetable cell.
SHORT_SERVICES = {"speech": "Speech", "ot": "OT", "pt": "PT", "counseling": "Counseling",
                  "setss": "SETSS"}


#: Decimals people read for each unit of `inclusion_sim.model.outcomes.METRICS`: enough to see
#: a difference between policies, no more (a cost to the cent, a 0-1 scale to the thousandth).
UNIT_DECIMALS = {"0-1 scale": 3, "share": 3, "SD": 3, "hours": 1, "minutes per student": 0,
                 "minutes per week": 0, "USD": 0, "USD per student-hour": 2}


def outcome_text(unit: str, value: float, signed: bool = False) -> str:
    """An outcome value rounded for its unit, with thousands separated ("n/a" when missing).

    Args:
        unit: The outcome's unit (`inclusion_sim.model.outcomes.Metric.unit`).
        value: The value in that unit.
        signed: Always show the sign (for differences).
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    decimals = UNIT_DECIMALS.get(unit, 3)
    value = round(value, decimals) + 0.0  # no "-0.000" for a difference that rounds to zero
    return f"{value:{'+' if signed else ''},.{decimals}f}"
