"""Plain words for lessons, places and session settings.

The dashboard's Classroom and Student pages and the printable timetables
(`inclusion_sim.faces.timetables`) show the same things: a lesson, where a student is, how a
therapist works with a group. Keeping the wording in one place means a teacher reads the same
words on the screen and on the printed page.
"""

from __future__ import annotations

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
