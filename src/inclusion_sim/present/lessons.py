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

#: The lessons its homeroom teacher does not teach, as a pushed-in session's words name them
#: (`inclusion_sim.delivery.plan.NO_HOMEROOM_TEACHER`).
STAFF_IN_PLACE = {"specials": "alongside specials", "lunch_recess": "at lunch and recess"}


def collaboration_label(collaboration: str, subject: str = "") -> str:
    """How a pushed-in therapist works with the lesson, in plain words.

    A co-taught session in a lesson the homeroom teacher does not teach (specials, lunch) has
    no teacher to co-teach with: the model gives the homeroom teacher no practice from it, and
    the words say so ("alongside specials (homeroom teacher away)").

    Args:
        collaboration: ``parallel`` or ``collaborative``.
        subject: The lesson's subject key, when known.
    """
    if collaboration == "collaborative" and subject in STAFF_IN_PLACE:
        return f"{STAFF_IN_PLACE[subject]} (homeroom teacher away)"
    return COLLABORATION_LABELS.get(collaboration, "")


def setting_label(setting: str, collaboration: str = "", subject: str = "") -> str:
    """Where and how a session happens, in plain words.

    Args:
        setting: ``pull_out``, ``push_in`` or ``after_school``.
        collaboration: ``parallel`` or ``collaborative`` for a pushed-in session.
        subject: The lesson's subject key, when known (`collaboration_label`).
    """
    if setting == "push_in":
        mode = collaboration_label(collaboration, subject)
        return f"in class, {mode}" if mode else "in class"
    return {"pull_out": "pulled out to the therapy room",
            "after_school": "after school"}.get(setting, setting.replace("_", " "))
