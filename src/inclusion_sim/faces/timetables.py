"""Timetables people can use: each therapist's week and each class's week, as tables and pages.

Scheduling by hand across several timetables is what therapists complain about most. The
weekly schedule (`inclusion_sim.delivery.scheduling.WeeklySchedule`) already says who meets whom,
where and when; these functions only turn it into the two views a school works from:

- a therapist's week: every session with its group, room and the lesson the students miss or
  join (`therapist_timetable`);
- a class's week: in every period, the lesson, who is out and with whom, who is supported in
  the room and which adults are there (`class_week`).

`write_timetables` writes both as CSV files and as one printable HTML page (one printed page per
therapist, then one per class). Everything here is a pure function of a `School` and its
`WeeklySchedule`; no model run is needed. The week repeats, so there are no dates, and the
school's data has no bell times, so periods are named, not timed.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from inclusion_sim.base.tables import csv_text, data_dictionary
from inclusion_sim.delivery.plan import NO_HOMEROOM_TEACHER
from inclusion_sim.delivery.scheduling import (
    AFTER_SCHOOL_MINUTES,
    UNMET_REASONS,
    Session,
    WeeklySchedule,
)
from inclusion_sim.faces.present import (
    SHORT_SERVICE_LABELS,
    SHORT_SUBJECTS,
    SUBJECT_LABELS,
    WHERE_LABELS,
    collaboration_label,
    setting_label,
)
from inclusion_sim.model.outcomes import describe_column
from inclusion_sim.school.generate import grade_label
from inclusion_sim.school.world import DAYS, MAIN_BELL, SERVICE_LABELS, School, clock

#: Columns of `therapist_timetable`, in order.
THERAPIST_COLUMNS = ("therapist", "discipline", "day", "period", "period_label", "minutes",
                     "setting", "classrooms", "lesson", "students", "grades", "group_size")

#: Columns of `class_week`, in order.
CLASS_COLUMNS = ("class", "grade", "day", "period", "period_label", "minutes", "lesson",
                 "students_out", "out_count", "out_with", "supported_in_class",
                 "supported_count", "supported_with", "adults_in_room")

#: What the timetables' columns mean, for the data dictionary written beside them:
#: column -> (label, unit, description). Columns shared with a run's tables keep their meaning.
TIMETABLE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "therapist": ("Therapist", "", "The therapist's identifier."),
    "discipline": ("Discipline", "", "The therapist's discipline in words."),
    "period": ("Period", "", "Period of the school day (1 = the first), or 'after school'."),
    "period_label": ("Period time", "", "The period as the bell schedule names it."),
    "minutes": ("Minutes", "minutes", "Length of the session (therapists) or of the period "
                "(classes)."),
    "setting": ("Where and how", "", "Where the session happens and how, in words."),
    "classrooms": ("Classrooms", "", "Classroom(s) the students come from, or work in when "
                   "the therapist pushes in."),
    "lesson": ("Lesson", "", "The lesson the students miss (pulled out) or join (pushed in); "
               "empty after school."),
    "students": ("Students", "", "The students' identifiers, separated by ', '."),
    "grades": ("Grades", "", "The students' grade(s)."),
    "group_size": ("Group size", "students", "Students in the session."),
    "class": ("Class", "", "The homeroom class's identifier."),
    "grade": ("Grade", "", "The class's grade."),
    "students_out": ("Students out", "", "Students of the class out of the room for therapy "
                     "in this period."),
    "out_count": ("Students out (count)", "students", "How many students are out."),
    "out_with": ("Out with", "", "Who each student out is with (therapist and service)."),
    "supported_in_class": ("Supported in class", "", "Students a pushed-in therapist works "
                           "with in the room."),
    "supported_count": ("Supported in class (count)", "students", "How many students are "
                        "supported in the room."),
    "supported_with": ("Supported by", "", "Which therapist supports them, for which service."),
    "adults_in_room": ("Adults in the room", "", "Who is in the room, in words: the homeroom "
                       "teacher (or the specials or lunch staff when the teacher is away) and "
                       "any therapist pushed in, with how they work, separated by '; '."),
}

#: File names `write_timetables` writes (with ``data_dictionary.csv``).
FILES = ("therapists.csv", "classes.csv", "timetables.html", "data_dictionary.csv")

_PLACE = {"pull_out": WHERE_LABELS["therapy_room"].lower(),
          "after_school": WHERE_LABELS["after_school"].lower()}

#: Who has the class when the homeroom teacher does not teach (`NO_HOMEROOM_TEACHER`).
_AWAY = {"specials": "specials staff", "lunch_recess": "lunch and recess staff"}


def _short_service(service: str) -> str:
    """A service's name short enough for a table cell ("Speech-language therapy")."""
    return SERVICE_LABELS.get(service, service).split(" (")[0]


def period_names(schedule: WeeklySchedule, slot: int) -> tuple[int | str, str]:
    """The period column's value and a label for one slot of the day.

    A timetable period is numbered from 1 ("Period 3"); an after-school slot is "after school"
    (numbered when the policy allows more than one a day). The labels carry no clock times;
    `_slot_label` adds them where they are known.

    Returns:
        (period, label): ``(3, "Period 3")`` or ``("after school", "After school")``.
    """
    if slot < schedule.periods:
        return slot + 1, f"Period {slot + 1}"
    extra = schedule.slots_per_day - schedule.periods
    name = "after school" if extra <= 1 else f"after school {slot - schedule.periods + 1}"
    return name, name.capitalize()


def _timed(tt) -> bool:
    """Whether pages show clock times.

    They do with several bells (a period number then means different times), or when the
    school's files gave each period's start; otherwise periods are numbered, not timed.
    """
    return not tt.single_bell or tt.period_starts is not None


def _span(interval: tuple[int, int]) -> str:
    """A clock interval in words, "9:50–10:35"."""
    return f"{clock(interval[0])}–{clock(interval[1])}"


def _session_bell(school: School, session: Session) -> str:
    """The bell a session's time is read in: its students' class's."""
    return school.timetable.bell_for(school.students[session.students[0]].class_id)


def _slot_label(school: School, schedule: WeeklySchedule, bell: str, day: int,
                slot: int) -> str:
    """A slot's label, with its clock time and bell when the school rings several bells.

    "Period 3, 9:44–10:32, middle-grades bell": period numbers then mean different times.
    """
    _, label = period_names(schedule, slot)
    tt = school.timetable
    if not _timed(tt):
        return label
    when = _span(tt.interval(bell, day, slot))
    if tt.single_bell or slot >= tt.periods:
        return f"{label}, {when}"
    return f"{label}, {when}, {tt.bell_label(bell).lower()}"


def _lesson(school: School, class_id: str, day: int, slot: int, short: bool = False) -> str:
    """The plain name of a class's lesson in a slot ("" after school); `short` for a grid cell."""
    if slot >= school.timetable.periods:
        return ""
    subject = school.timetable.subjects[class_id][day][slot]
    return (SHORT_SUBJECTS if short else SUBJECT_LABELS).get(subject, subject)


def _session_classes(school: School, session: Session) -> list[str]:
    """The classrooms a session's students come from, in the school's order."""
    if session.class_index >= 0:
        return [school.classes[session.class_index].id]
    ids = {school.students[i].class_id for i in session.students}
    return [c.id for c in school.classes if c.id in ids]


def _session_lesson(school: School, session: Session, classes: list[str],
                    short: bool = False) -> str:
    """The lesson a session's students miss or join; per class when a group's classes differ."""
    lessons = {c: _lesson(school, c, session.day, session.slot, short) for c in classes}
    distinct = set(lessons.values()) - {""}
    if len(distinct) <= 1:
        return distinct.pop() if distinct else ""
    return "; ".join(f"{name} ({c})" for c, name in lessons.items() if name)


def _away_sessions(school: School, mine: list[Session]) -> str:
    """How many pushed-in sessions fall in specials or at lunch, said first (not co-taught)."""
    away = sum(_pushed_subject(school, s, _session_classes(school, s)) in NO_HOMEROOM_TEACHER
               for s in mine)
    if not away:
        return ""
    return (f"{away} of them in specials or at lunch, with the homeroom teacher away (not "
            "co-taught). ")


def _in_sentence(name: str) -> str:
    """A service's name inside a sentence: "speech-language therapy", but "SETSS (...)"."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _lesson_words(subject: str) -> str:
    """A lesson's short name inside a sentence ("specials", "lunch")."""
    return SHORT_SUBJECTS.get(subject, subject).lower()


def _pushed_subject(school: School, session: Session, classes: list[str]) -> str:
    """The subject key of the lesson a pushed-in session joins ("" for any other session)."""
    if session.setting != "push_in" or not classes:
        return ""
    return school.timetable.subjects[classes[0]][session.day][session.slot]


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def therapist_timetable(school: School, schedule: WeeklySchedule) -> pd.DataFrame:
    """Every therapist's weekly sessions, one row per session.

    Args:
        school: The school the schedule was made for.
        schedule: Its weekly schedule.

    Returns:
        Columns `THERAPIST_COLUMNS`: the therapist's id; their discipline in words; the day
        (``Mon``..); the period (1-based, or ``after school``) and its label; the session's
        minutes; where and how it happens in words; the classroom(s) the students come from
        (or work in, when pushed in); the lesson they miss (pulled out) or join (pushed in),
        empty after school; the students' ids; their grade(s); the group size. Sorted by
        therapist id, day and period.
    """
    rows = []
    for s in schedule.sessions:
        therapist = school.therapists[s.therapist]
        classes = _session_classes(school, s)
        lesson = _session_lesson(school, s, classes)
        grades = sorted({school.students[i].grade for i in s.students})
        period, _ = period_names(schedule, s.slot)
        label = _slot_label(school, schedule, _session_bell(school, s), s.day, s.slot)
        start = school.timetable.interval(_session_bell(school, s), s.day, s.slot)[0]
        rows.append({
            "therapist": therapist.id,
            "discipline": SERVICE_LABELS.get(therapist.discipline, therapist.discipline),
            "day": DAYS[s.day], "period": period, "period_label": label, "minutes": s.minutes,
            "setting": setting_label(s.setting, s.collaboration,
                                     _pushed_subject(school, s, classes)),
            "classrooms": _join(classes), "lesson": lesson,
            "students": _join(school.students[i].id for i in s.students),
            "grades": _join(grade_label(g) for g in grades), "group_size": len(s.students),
            "_day": s.day, "_slot": start,
        })
    # Sorted by clock time (with one bell, the same as by period).
    frame = pd.DataFrame(rows, columns=[*THERAPIST_COLUMNS, "_day", "_slot"])
    frame = frame.sort_values(["therapist", "_day", "_slot"], kind="stable")
    return frame.drop(columns=["_day", "_slot"]).reset_index(drop=True)


def _adults(school: School, class_id: str, subject: str, pushed: list[Session]) -> str:
    """The adults in a classroom in one period, in words."""
    teacher = next((c.teacher_id for c in school.classes if c.id == class_id), "")
    adults = []
    if subject and subject not in NO_HOMEROOM_TEACHER:
        adults.append(f"{teacher} (homeroom teacher)" if teacher else "homeroom teacher")
    elif subject:
        adults.append(_AWAY.get(subject, "other staff") + " (homeroom teacher away)")
    for s in pushed:
        adults.append(f"{school.therapists[s.therapist].id} ({_short_service(s.service)}, "
                      f"{setting_label(s.setting, s.collaboration, subject)})")
    return "; ".join(adults)


def _class_sessions(school: School, schedule: WeeklySchedule
                    ) -> dict[tuple[str, int, int], list[tuple[Session, list[str]]]]:
    """Each class's sessions by (class id, day, slot), with the class's students in each.

    A pulled-out or after-school group can mix classes of a grade; each class sees only its
    own students. Sessions are in therapist-id order, so every view lists them alike.
    """
    out: dict[tuple[str, int, int], list[tuple[Session, list[str]]]] = defaultdict(list)
    for s in sorted(schedule.sessions, key=lambda s: school.therapists[s.therapist].id):
        for c in _session_classes(school, s):
            ours = [school.students[i].id for i in s.students if school.students[i].class_id == c]
            out[(c, s.day, s.slot)].append((s, ours))
    return out


def class_week(school: School, schedule: WeeklySchedule) -> pd.DataFrame:
    """Every class's week, one row per class, day and period (after-school slots included).

    Args:
        school: The school the schedule was made for.
        schedule: Its weekly schedule.

    Returns:
        Columns `CLASS_COLUMNS`: the class and its grade; day, period and label; the period's
        minutes; the lesson; the class's students out of the room (pulled out, or at an
        after-school session), how many, and with whom and where; the students a pushed-in
        therapist works with in the room, how many, and with whom; the adults in the room.
        Sorted by class (the school's order), day and slot. After school the "lesson" is empty
        and the room has no adults; students at an after-school session count as out.
    """
    tt = school.timetable
    meetings = _class_sessions(school, schedule)
    rows = []
    for klass in school.classes:
        own = tt.minutes_of(klass.id)
        for day in range(tt.days):
            for slot in range(schedule.slots_per_day):
                after = slot >= tt.periods
                subject = "" if after else tt.subjects[klass.id][day][slot]
                out, out_with, supported, supported_with, pushed = [], [], [], [], []
                for s, ours in meetings.get((klass.id, day, slot), []):
                    who = (f"{_join(ours)}: {_short_service(s.service)} with "
                           f"{school.therapists[s.therapist].id}")
                    if s.setting == "push_in":
                        pushed.append(s)
                        supported += ours
                        supported_with.append(
                            f"{who}, {setting_label(s.setting, s.collaboration, subject)}")
                    else:
                        out += ours
                        out_with.append(f"{who}, {_PLACE[s.setting]}")
                period, _ = period_names(schedule, slot)
                label = _slot_label(school, schedule, tt.bell_for(klass.id), day, slot)
                rows.append({
                    "class": klass.id, "grade": grade_label(klass.grade), "day": DAYS[day],
                    "period": period, "period_label": label,
                    "minutes": AFTER_SCHOOL_MINUTES if after else int(own[day][slot]),
                    "lesson": _lesson(school, klass.id, day, slot),
                    "students_out": _join(out), "out_count": len(out),
                    "out_with": "; ".join(out_with),
                    "supported_in_class": _join(supported), "supported_count": len(supported),
                    "supported_with": "; ".join(supported_with),
                    "adults_in_room": _adults(school, klass.id, subject, pushed),
                })
    return pd.DataFrame(rows, columns=list(CLASS_COLUMNS))


# --------------------------------------------------------------------------- printable page

#: Rows of a therapist's week above which its printed page uses a smaller type ("dense").
DENSE_ROWS = 9

_CSS = """
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; color: #222; margin: 0; background: #f3f3f3;
  font-size: 13px; }
nav, .page { max-width: 1150px; margin: 16px auto; background: #fff; padding: 18px 22px;
  border: 1px solid #ddd; border-radius: 6px; }
nav h1 { font-size: 20px; margin: 0 0 6px; }
nav p { margin: 6px 0; line-height: 1.5; }
nav a { color: #12436D; margin-right: 10px; white-space: nowrap; }
.running { font-size: 11px; color: #666; border-bottom: 1px solid #ccc; padding-bottom: 3px; }
h2 { font-size: 19px; margin: 8px 0 4px; }
h2 .what { font-weight: normal; color: #444; font-size: 16px; }
.facts { margin: 3px 0; line-height: 1.4; }
.facts.warn { color: #8a3b00; }
table.grid { border-collapse: collapse; width: 100%; table-layout: fixed; margin-top: 8px; }
.grid th, .grid td { border: 1px solid #bbb; padding: 3px 4px; vertical-align: top;
  text-align: left; }
.grid thead th { background: #eee; font-size: 12px; }
.grid th.slot { width: 82px; background: #f6f6f6; font-size: 11.5px; }
.grid th.slot small { display: block; font-weight: normal; color: #555; }
.grid td.away { background: repeating-linear-gradient(135deg, #f2f2f2 0 6px, #e6e6e6 6px 12px);
  color: #777; font-size: 11px; }
.grid td { font-size: 11.5px; line-height: 1.3; height: 46px; }
.s { border-left: 4px solid #999; padding: 1px 4px; margin: 1px 0 3px; }
.s b { display: block; }
.s-pull_out { border-color: #E69F00; background: #FDF0DD; }
.s-push_in { border-color: #009E73; background: #E2F4EC; }
.s-after_school { border-color: #CC79A7; background: #F5E8F1; }
.lesson { font-weight: bold; }
.lesson small { font-weight: normal; color: #555; }
.muted { color: #555; }
.key { font-size: 11px; color: #444; margin-top: 6px; }
.key span { display: inline-block; padding: 0 6px; margin-right: 8px; border-left-width: 4px;
  border-left-style: solid; }
@page { size: landscape; margin: 9mm; }
@media print {
  body { background: #fff; font-size: 10.5px; }
  nav { display: none; }
  .page { border: 0; margin: 0; padding: 0; max-width: none; break-after: page;
    page-break-after: always; }
  .page:last-of-type { break-after: auto; page-break-after: auto; }
  .grid td { font-size: 9px; line-height: 1.25; height: auto; padding: 2px 3px; }
  .s { margin: 0 0 2px; }
  h2 { margin: 2px 0; }
  .facts { margin: 1px 0; line-height: 1.3; }
  .dense .grid td, .dense .grid th.slot { font-size: 8px; line-height: 1.15; padding: 1px 3px; }
  .s, .grid thead th, .grid td.away { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
}
"""

_KEY = ('<p class="key"><span class="s-pull_out">pulled out to the therapy room</span>'
        '<span class="s-push_in">in class with the therapist</span>'
        '<span class="s-after_school">after school</span></p>')


def _e(text: object) -> str:
    return html.escape(str(text))


def _minutes(value: int) -> str:
    return f"{value:,} min"


def _period_rows(school: School, schedule: WeeklySchedule, days: range, slots: list[int],
                 bell: str) -> list[tuple[str, str, int]]:
    """Grid rows for periods of one bell: (label, note, slot).

    The note is the period's length (and, with several bells, its clock time) when it is the
    same every day.
    """
    tt = school.timetable
    minutes = tt.bell_minutes(bell)
    rows = []
    for slot in slots:
        _, label = period_names(schedule, slot)
        if slot < schedule.periods:
            lengths = {int(minutes[d][slot]) for d in days}
            note = _minutes(lengths.pop()) if len(lengths) == 1 else "varies by day"
        else:
            note = _minutes(AFTER_SCHOOL_MINUTES)
        if _timed(tt):
            spans = {_span(tt.interval(bell, d, slot)) for d in days}
            if len(spans) == 1:
                note = f"{spans.pop()}, {note}"
        rows.append((label, note, slot))
    return rows


def _grid(days: range, rows: list[tuple[str, str, object]], cell,
          away: set[int] = frozenset()) -> str:
    """A week grid: days across, the given rows down, `cell(day, key)` inside.

    Args:
        days: Day indices, one column each.
        rows: (label, note, key) of each row: a period (`_period_rows`) or a clock time.
        cell: Returns the HTML (already escaped) of one day and row key.
        away: Days shown hatched ("not at this school").
    """
    head = "".join(f"<th>{DAYS[d]}{' <small>(not at this school)</small>' if d in away else ''}"
                   "</th>" for d in days)
    out = [f'<table class="grid"><thead><tr><th class="slot"></th>{head}</tr></thead><tbody>']
    for label, note, slot in rows:
        out.append(f'<tr><th class="slot">{_e(label)}<small>{_e(note)}</small></th>')
        for d in days:
            if d in away:
                out.append('<td class="away"></td>')
            else:
                out.append(f"<td>{cell(d, slot)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _session_box(school: School, schedule: WeeklySchedule, s: Session) -> str:
    """One session in a therapist's grid: setting, length, group, room and lesson.

    The service is the page's (one therapist, one discipline), so the box leaves it out, and the
    room and the lesson share a line: a week of full periods must print on one page.
    """
    classes = _session_classes(school, s)
    grades = sorted({school.students[i].grade for i in s.students})
    grade = ("grade " if len(grades) == 1 else "grades ") + _join(grade_label(g) for g in grades)
    n = len(s.students)
    if s.setting == "push_in":
        subject = _pushed_subject(school, s, classes)
        how = setting_label(s.setting, s.collaboration, subject)
        verb = "joins"
        room = f"Classroom {classes[0]}"
        if subject in NO_HOMEROOM_TEACHER:  # the class is not in its classroom: meet it there
            room, verb = f"Class {classes[0]} at {_lesson_words(subject)}, not in its room", ""
    elif s.setting == "pull_out":
        how, room, verb = "pulled out", f"Therapy room, from {_join(classes)}", "misses"
    else:
        how, room, verb = "after school", f"After-school room, from {_join(classes)}", ""
    lessons = _session_lesson(school, s, classes, short=True)
    where = f"{room}; {verb} {lessons}" if verb and lessons else room
    return (f'<div class="s s-{_e(s.setting)}"><b>{_e(how[:1].upper() + how[1:])}, '
            f"{_e(_minutes(s.minutes))}</b>"
            f"<div>{_e(_join(school.students[i].id for i in s.students))} "
            f'<span class="muted">({n} student{"s" if n != 1 else ""}, {_e(grade)})</span></div>'
            f"<div>{_e(where)}</div></div>")


def _unmet_line(schedule: WeeklySchedule, discipline: str) -> str:
    """What the schedule leaves undone for one discipline, school-wide, in one sentence."""
    name = SERVICE_LABELS.get(discipline, discipline)
    rows = [u for u in schedule.unmet if u.service == discipline]
    if not rows:
        return (f'<p class="facts">Every mandated {_e(_in_sentence(name))} minute at the school '
                "is scheduled.</p>")
    by_reason: dict[str, int] = defaultdict(int)
    for u in rows:
        by_reason[u.reason] += u.minutes
    reasons = "; ".join(f"{_minutes(m)}: {UNMET_REASONS.get(r, r)}"
                        for r, m in sorted(by_reason.items(), key=lambda x: -x[1]))
    students = len({u.student_id for u in rows})
    total = sum(u.minutes for u in rows)
    return (f'<p class="facts warn">Unmet {_e(_in_sentence(name))} mandates (the whole school, all '
            f"therapists of this discipline): {students} student{'s' if students != 1 else ''}, "
            f"{_e(_minutes(total))} a week ({_e(reasons)}).</p>")


def _therapist_page(school: School, schedule: WeeklySchedule, t: int, title: str) -> str:
    therapist = school.therapists[t]
    load = schedule.load[t]
    mine = [s for s in schedule.sessions if s.therapist == t]
    at = {(s.day, s.slot): s for s in mine}
    tt = school.timetable
    days = range(tt.days)
    away = {d for d in days if d not in therapist.days_on_site}
    after = any(s.slot >= schedule.periods for s in mine)
    slots = list(range(schedule.slots_per_day if after else schedule.periods))
    on_site = ", ".join(DAYS[d] for d in days if d not in away) or "no school days"
    employer = {"school": "employed by the school", "agency": "contracted through an agency"}
    left = load.capacity - load.used
    discipline = SERVICE_LABELS.get(therapist.discipline, therapist.discipline)

    def cell(day: int, slot: int) -> str:
        s = at.get((day, slot))
        return _session_box(school, schedule, s) if s else ""

    if tt.single_bell:
        rows = _period_rows(school, schedule, days, slots, MAIN_BELL)
    else:
        # Several bells: a period number means different times in different bells, so the
        # therapist's week is laid out by the clock, one row per distinct time.
        at = {}
        for s in mine:
            at[(s.day, tt.interval(_session_bell(school, s), s.day, s.slot))] = s
        spans = sorted({span for _, span in at} | {
            tt.interval(MAIN_BELL, d, k) for d in days for k in range(tt.periods)})
        rows = [(_span(span), _row_note(school, span, mine), span) for span in spans]

    # A week of many rows (several bells' times) prints smaller, to stay on one page.
    dense = " dense" if len(rows) > DENSE_ROWS else ""
    return "".join([
        f'<section class="page therapist{dense}" id="therapist-{_e(therapist.id)}">',
        f'<div class="running">{_e(title)}</div>',
        f'<h2>{_e(therapist.id)} <span class="what">{_e(discipline)}, '
        f"{_e(employer.get(therapist.employment, therapist.employment))}</span></h2>",
        f'<p class="facts">At this school: {_e(on_site)}. {len(mine)} session'
        f"{'s' if len(mine) != 1 else ''} a week, {_e(_minutes(load.direct))} with students. "
        f"{_e(_away_sessions(school, mine))}Students by id.</p>",
        f'<p class="facts">Contracted {_e(_minutes(load.capacity))} a week; used '
        f"{_e(_minutes(load.used))} (sessions {_e(_minutes(load.direct))}, travel between "
        f"classrooms {_e(_minutes(load.travel))}, co-planning {_e(_minutes(load.coplanning))}"
        + (f", consulting teachers {_e(_minutes(load.consultation))}" if load.consultation
           else "")
        + (f", supervising assistants {_e(_minutes(load.supervision))}" if load.supervision
           else "")
        + f"); {_e(_minutes(left))} left.</p>",
        _unmet_line(schedule, therapist.discipline),
        _grid(days, rows, cell, away),
        _KEY, "</section>",
    ])


def _row_note(school: School, span: tuple[int, int], mine: list[Session]) -> str:
    """What a clock-time row of a therapist's week is: its length, and which bells' periods."""
    tt = school.timetable
    names = []
    for bell in tt.bell_names():
        for d in range(tt.days):
            hits = [k for k in range(tt.periods) if tt.interval(bell, d, k) == span]
            if hits:
                names.append(f"{tt.bell_label(bell).lower()} period {hits[0] + 1}")
                break
    if not names and span[0] >= tt.after_school_interval(0, 0)[0]:
        names.append("after school")
    return ", ".join([_minutes(span[1] - span[0])] + names)


def _class_page(school: School, schedule: WeeklySchedule, klass, meetings, title: str) -> str:
    """One class's printable week: each period's lesson, who is out and who is supported."""
    tt = school.timetable
    mine = {(day, slot): found for (c, day, slot), found in meetings.items() if c == klass.id}
    slots = list(range(tt.periods)) + sorted({slot for _, slot in mine if slot >= tt.periods})
    out_times = sum(len(ours) for (_, slot), found in mine.items() if slot < tt.periods
                    for s, ours in found if s.setting == "pull_out")
    visits = sum(any(s.setting == "push_in" for s, _ in found) for found in mine.values())
    supported = sum(len(ours) for found in mine.values() for s, ours in found
                    if s.setting == "push_in")
    after_n = sum(s.setting == "after_school" for found in mine.values() for s, _ in found)

    def cell(day: int, slot: int) -> str:
        lesson = _lesson(school, klass.id, day, slot)
        parts = [f'<div class="lesson">{_e(lesson)}</div>'] if lesson else []
        for s, ours in mine.get((day, slot), []):
            therapist = school.therapists[s.therapist].id
            service = SHORT_SERVICE_LABELS.get(s.service, s.service)
            if s.setting == "push_in":
                head = "In class"
                how = collaboration_label(s.collaboration,
                                          school.timetable.subjects[klass.id][day][slot])
                text = f"{service} with {therapist}" + (f", {how}" if how else "")
            else:
                head = "Out" if s.setting == "pull_out" else "After school"
                where = "therapy room" if s.setting == "pull_out" else "after-school room"
                text = f"{service} with {therapist}, {where}"
            parts.append(f'<div class="s s-{_e(s.setting)}"><b>{head}: {_e(_join(ours))}</b>'
                         f"{_e(text)}</div>")
        return "".join(parts)

    def times(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    parts = []
    if out_times:
        parts.append(f"students leave the room for a session {times(out_times, 'time')} "
                     "(counting each student each time)")
    if visits:
        parts.append(f"a therapist works in the room in {times(visits, 'period')}, "
                     f"supporting {times(supported, 'student')} in all (counting each student "
                     "each time)")
    if after_n:
        parts.append(times(after_n, "after-school session"))
    facts = ("In a week: " + "; ".join(parts) + ".") if parts else \
        "No student of this class has a session this week."
    if not tt.single_bell:
        facts += f" The class follows the {tt.bell_label(tt.bell_for(klass.id)).lower()}."
    teacher = f", homeroom teacher {klass.teacher_id}" if klass.teacher_id else ""
    return "".join([
        f'<section class="page class" id="class-{_e(klass.id)}">',
        f'<div class="running">{_e(title)}</div>',
        f'<h2>Class {_e(klass.id)} <span class="what">grade {_e(grade_label(klass.grade))}'
        f"{_e(teacher)}</span></h2>",
        f'<p class="facts">{_e(facts)}</p>',
        _grid(range(tt.days), _period_rows(school, schedule, range(tt.days), slots,
                                           tt.bell_for(klass.id)), cell),
        _KEY, "</section>",
    ])


def timetables_html(school: School, schedule: WeeklySchedule, *, title: str | None = None) -> str:
    """The printable page: one section per therapist, then one per class.

    Each section prints on its own page (CSS ``break-after: page``). The page is
    self-contained (inline CSS, no scripts, no external files) and every piece of text is
    escaped, so it can be e-mailed or opened offline.

    Args:
        school: The school the schedule was made for.
        schedule: Its weekly schedule.
        title: The heading repeated at the top of every printed page (default: the school's
            name).
    """
    title = title or f"{school.name}: weekly timetables"
    meetings = _class_sessions(school, schedule)
    order = sorted(range(len(school.therapists)), key=lambda t: school.therapists[t].id)
    links_t = "".join(f'<a href="#therapist-{_e(school.therapists[t].id)}">'
                      f"{_e(school.therapists[t].id)}</a>" for t in order)
    links_c = "".join(f'<a href="#class-{_e(c.id)}">{_e(c.id)}</a>' for c in school.classes)
    pages = [_therapist_page(school, schedule, t, title) for t in order]
    pages += [_class_page(school, schedule, c, meetings, title) for c in school.classes]
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<nav><h1>{_e(title)}</h1>",
        "<p>The week repeats every week. Print this page (landscape) to get one page per "
        "therapist, then one page per class. Periods are numbered as in the school's "
        "timetable; the lengths are in minutes."
        + ("" if school.timetable.single_bell else
           " The school rings more than one bell, so period numbers mean different times in "
           "different grades: each therapist's week is laid out by clock time, and each "
           "class's periods show their times in its own bell.")
        + "</p>",
        f"<p><b>Therapists:</b> {links_t or 'none'}</p><p><b>Classes:</b> {links_c}</p></nav>",
        *pages, "</body></html>",
    ])


def timetable_files(school: School, schedule: WeeklySchedule, *,
                    title: str | None = None) -> dict[str, str]:
    """The timetables as files, name -> text, in the order of `FILES`.

    ``therapists.csv`` (`therapist_timetable`), ``classes.csv`` (`class_week`),
    ``timetables.html`` (`timetables_html`) and ``data_dictionary.csv`` (each CSV column's
    label, unit and meaning). The command line's folder and the dashboard's zip are both made
    from here, so a school gets the same files, dictionary included, either way.

    Args:
        school: The school the schedule was made for.
        schedule: Its weekly schedule.
        title: Heading of the printable page (see `timetables_html`).
    """
    tables = {FILES[0]: therapist_timetable(school, schedule),
              FILES[1]: class_week(school, schedule)}
    dictionary = data_dictionary({name: table.columns for name, table in tables.items()},
                                 describe_column, TIMETABLE_COLUMNS)
    return {**{name: csv_text(table) for name, table in tables.items()},
            FILES[2]: timetables_html(school, schedule, title=title),
            FILES[3]: csv_text(dictionary)}


def write_timetables(school: School, schedule: WeeklySchedule, directory: str | Path, *,
                     title: str | None = None) -> list[Path]:
    """Write the therapists' and classes' timetables as CSV files and a printable page.

    Args:
        school: The school the schedule was made for.
        schedule: Its weekly schedule.
        directory: Folder to write into (created if missing).
        title: Heading of the printable page (see `timetables_html`).

    Returns:
        The paths written, in the order of `FILES` (see `timetable_files`).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in timetable_files(school, schedule, title=title).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
