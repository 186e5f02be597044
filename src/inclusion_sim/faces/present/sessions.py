"""Plain words for what became of a scheduled session in one week of the year.

`inclusion_sim.analysis.week_record.session_record` marks each session member's session
``held``, ``cancelled`` (with a cause), ``refused`` or ``made_up``; a principal reads
"cancelled: the student was absent" and a legend saying what each cause means in a school.
"""

from __future__ import annotations

from inclusion_sim.school.world import DAYS, SERVICE_LABELS

#: Why a session did not happen, in a few words (the table cell) and in a sentence (the legend).
CAUSE_LABELS: dict[str, tuple[str, str]] = {
    "student_absent": ("student absent",
                       "The student was absent that day (or did not come to an after-school "
                       "session)."),
    "therapist_absent": ("therapist absent",
                         "The therapist was out that day and no substitute covered the session."),
    "school_event": ("school event",
                     "An assembly, a testing day or another school-wide event: no session was "
                     "held that day."),
    "therapist_duties": ("evaluations and paperwork",
                         "An evaluation, IEP meeting or paperwork took the therapist's time in a "
                         "heavy week."),
    "refusal": ("refused",
                "The student was there but would not go or would not take part; they stayed "
                "in the lesson."),
}

#: Setting words for a session line.
SETTING_WORDS = {"pull_out": "pull-out", "push_in": "in class", "after_school": "after school"}


def cause_label(cause: str) -> str:
    """The cause of a lost session in a few words."""
    return CAUSE_LABELS.get(cause, (cause.replace("_", " "), ""))[0]


def when_label(day: int, slot: int, periods: int) -> str:
    """'Mon, period 3' or 'Mon, after school' for a slot of the week."""
    return f"{DAYS[day]}, " + ("after school" if slot >= periods else f"period {slot + 1}")


def session_words(service: str, setting: str, minutes: float, therapist: str) -> str:
    """'Speech-language therapy, pull-out, 30 min, with SLP1'."""
    return (f"{SERVICE_LABELS.get(service, service)}, {SETTING_WORDS.get(setting, setting)}, "
            f"{minutes:.0f} min, with {therapist}")


def status_words(status: str, cause: str) -> str:
    """What happened, in plain words: 'Cancelled: student absent', 'Made up', 'Held'."""
    if status == "cancelled":
        return f"Cancelled: {cause_label(cause)}"
    if status == "refused":
        return "Not held: the student refused"
    if status == "made_up":
        return "Made up: an extra session in place of a cancelled one"
    return "Held"
