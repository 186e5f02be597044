"""What the Classroom and Student pages show, read from a `SchoolModel`.

The model already knows where everyone is in every slot of its repeating week
(`SchoolModel.location`, `SchoolModel.schedule.sessions`) and keeps each IEP student's weekly
history (`SchoolModel.history`). These functions only select and label; the room drawing is an
SVG string so it looks the same in every browser and needs no front-end package.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inclusion_sim.delivery.policies import Policy
from inclusion_sim.faces.dashboard.schools import SchoolChoice
from inclusion_sim.faces.present import sessions
from inclusion_sim.faces.school_words import (
    SHORT_SUBJECTS,
    SUBJECT_LABELS,
    WHERE_LABELS,
    collaboration_label,
    setting_label,
)
from inclusion_sim.model.school_model import SchoolModel
from inclusion_sim.scenario.config import resolve
from inclusion_sim.school.world import DAYS, SERVICE_LABELS, clock


def week_model(choice: SchoolChoice, policy: Policy, overrides: dict[str, float]) -> SchoolModel:
    """A model of the school's week under a policy, not run: its timetable is what we draw."""
    return SchoolModel(resolve(choice.scenario, policy=policy, parameters=overrides,
                               school=choice.school))


@dataclass(frozen=True)
class WeekSlot:
    """One slot of the repeating week, as the Classroom page steps through it."""

    day: int
    slot: int
    after_school: bool
    label: str  # "Mon, period 3" or "Mon, after school"
    short: str  # "P3" or "After school"


def week_slots(model: SchoolModel) -> list[WeekSlot]:
    """Every slot of the week in order: each day's periods, then its after-school slots."""
    periods = model.school.timetable.periods
    extra = model.slots_per_day - periods
    out = []
    for day in range(model.school.timetable.days):
        for slot in range(model.slots_per_day):
            after = slot >= periods
            k = slot - periods + 1
            tail = (f"after school {k}" if extra > 1 else "after school") if after \
                else f"period {slot + 1}"
            out.append(WeekSlot(day, slot, after, f"{DAYS[day]}, {tail}",
                                tail.capitalize() if after else f"P{slot + 1}"))
    return out


@dataclass
class Adult:
    """A therapist working with students of the class in this slot, and where."""

    therapist: str
    service: str
    place: str  # "in this room", "therapy room" or "after-school room"
    how: str  # plain words: "co-teaching with the teacher", "pull-out session", ...
    students: list[str] = field(default_factory=list)  # this class's students in the session
    others: int = 0  # students from other classes in the same session


@dataclass
class Period:
    """One slot of one class: the lesson, who is in, who is out and where, which adults."""

    day: int
    slot: int
    label: str
    subject: str
    lesson: str
    minutes: int
    after_school: bool
    students: list[str] = field(default_factory=list)  # every student of the class
    iep: set[str] = field(default_factory=set)
    in_room: list[str] = field(default_factory=list)
    supported: dict[str, str] = field(default_factory=dict)  # student -> service, pushed in
    out: dict[str, str] = field(default_factory=dict)  # student -> place (therapy room ...)
    adults: list[Adult] = field(default_factory=list)


#: Who stands at the front in the lessons the homeroom teacher does not teach (letter, words).
_ADULT_AT_FRONT = {"specials": ("S", "specials teacher"), "lunch_recess": ("L", "lunch staff")}


def classroom_period(model: SchoolModel, class_id: str, day: int, slot: int) -> Period:
    """Where everyone of one class is in one slot, and which therapists work with them."""
    school = model.school
    c = school.class_index()[class_id]
    members = [i for i, s in enumerate(school.students) if s.class_id == class_id]
    member_set = set(members)
    tt = school.timetable
    after = slot >= tt.periods
    subject = "after_school" if after else tt.subjects[class_id][day][slot]
    sessions = [s for s in model.schedule.sessions if s.day == day and s.slot == slot]
    minutes = (max((s.minutes for s in sessions), default=0) if after
               else int(tt.minutes_of(class_id)[day][slot]))
    label = next(w.label for w in week_slots(model) if w.day == day and w.slot == slot)
    if not tt.single_bell:  # period numbers mean different times in different bells
        start, end = tt.interval(tt.bell_for(class_id), day, slot)
        label += f" ({clock(start)}–{clock(end)})"
    p = Period(day, slot, label, subject,
               "School day is over" if after else SUBJECT_LABELS.get(subject, subject),
               minutes, after)
    for i in members:
        sid = school.students[i].id
        p.students.append(sid)
        if school.students[i].has_iep:
            p.iep.add(sid)
        where = model.location(i, day, slot).place
        if where == "class":
            p.in_room.append(sid)
        elif where in ("therapy_room", "after_school"):
            p.out[sid] = WHERE_LABELS[where]
    for s in sessions:
        ours = [school.students[i].id for i in s.students if i in member_set]
        in_this_room = s.setting == "push_in" and s.class_index == c
        if not ours and not in_this_room:
            continue
        service = SERVICE_LABELS.get(s.service, s.service)
        if in_this_room:
            place, how = "in this room", f"pushed in, {collaboration_label(s.collaboration, subject)}"
            for sid in ours:
                p.supported[sid] = service
        elif s.setting == "after_school":
            place, how = "after-school room", "after-school session"
        else:
            place, how = "therapy room", "pull-out session"
        p.adults.append(Adult(school.therapists[s.therapist].id, service, place,
                              how.rstrip(", "), ours, len(s.students) - len(ours)))
    return p


def classroom_week(model: SchoolModel, class_id: str) -> list[dict]:
    """A compact overview of the class's week: lesson, students out, therapists in, per slot."""
    rows = []
    for w in week_slots(model):
        p = classroom_period(model, class_id, w.day, w.slot)
        rows.append({"day": w.day, "slot": w.slot, "after_school": w.after_school,
                     "lesson": "" if w.after_school else SHORT_SUBJECTS.get(p.subject, p.lesson),
                     "out": len(p.out),
                     "pushed_in": sum(a.place == "in this room" for a in p.adults)})
    return rows


def _short_service(service: str) -> str:
    return service.split(" (")[0].replace("-language therapy", "").replace(" therapy", "")


def _svg_text(x: float, y: float, text: str, size: float = 12, fill: str = "#333",
              anchor: str = "start", weight: str = "normal") -> str:
    return (f'<text x="{x}" y="{y}" font-size="{size}" fill="{fill}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{html.escape(text)}</text>')


def _student(x: float, y: float, sid: str, state: str, iep: bool) -> str:
    """A student seen from above: filled when present, dashed outline when out."""
    colors = {"in": "#0072B2", "supported": "#009E73", "out": "none"}
    stroke = "#E69F00" if iep else ("#777" if state == "out" else colors[state])
    dash = ' stroke-dasharray="4 3"' if state == "out" else ""
    width = 3.5 if iep else 1.5
    return (f'<circle cx="{x}" cy="{y}" r="14" fill="{colors[state]}" stroke="{stroke}" '
            f'stroke-width="{width}"{dash}><title>{html.escape(sid)}</title></circle>')


def room_svg(period: Period, class_id: str) -> str:
    """Draw one period: the classroom from above, the therapy room, the after-school room.

    Everything a principal asks about one period is in the picture: the lesson on the board,
    each desk with its student or empty, students with IEPs ringed, a pushed-in therapist
    standing among the students they support, and, beside the classroom, who is in the
    therapy room or at an after-school session, with which therapist.
    """
    width, room_w, cols = 1000, 620, 6
    rows = max(1, -(-len(period.students) // cols))
    in_room = [a for a in period.adults if a.place == "in this room"]
    room_h = 118 + rows * 78 + 16 + 40 * max(1, len(in_room)) + 4
    body: list[str] = [
        _svg_text(18, 26, f"Classroom {class_id}", 14, "#6D4C41", weight="bold"),
        '<rect x="150" y="14" width="320" height="50" rx="6" fill="#2E5E4E"/>',
        _svg_text(310, 38, period.lesson, 18, "#fff", "middle"),
        _svg_text(310, 56, f"{period.label}, {period.minutes} min" if period.minutes
                  else period.label, 11.5, "#D8E8E0", "middle"),
    ]
    if not period.after_school:
        # The homeroom teacher does not teach specials or lunch: draw who has the class then.
        letter, who = _ADULT_AT_FRONT.get(period.subject, ("T", "teacher"))
        body.append('<circle cx="530" cy="40" r="16" fill="#6D4C41"/>'
                    + _svg_text(530, 45, letter, 13, "#fff", "middle")
                    + _svg_text(530, 74, who, 11, "#6D4C41", "middle"))
    positions: dict[str, tuple[float, float]] = {}
    for k, sid in enumerate(period.students):
        x, y = 70 + (k % cols) * 92, 118 + (k // cols) * 78
        positions[sid] = (x, y)
        body.append(f'<rect x="{x - 30}" y="{y + 14}" width="60" height="14" rx="3" '
                    'fill="#D7CCC8"/>')
        if period.after_school and sid not in period.out:
            continue  # gone home: an empty desk
        state = "out" if sid in period.out else "supported" if sid in period.supported else "in"
        body.append(_student(x, y, sid, state, sid in period.iep))
        body.append(_svg_text(x, y + 42, sid, 10, "#444", "middle"))
        if state == "out":
            body.append(_svg_text(x, y + 4, "out", 10, "#777", "middle"))
    # a pushed-in therapist stands in the aisle beside the first student they support
    bottom = 118 + rows * 78 + 10
    for j, adult in enumerate(in_room):
        anchor = positions.get(adult.students[0]) if adult.students else None
        x, y = (anchor[0] + 46, anchor[1]) if anchor else (575, 120 + 60 * j)
        for sid in adult.students[1:]:
            sx, sy = positions.get(sid, (x, y))
            body.append(f'<line x1="{x}" y1="{y}" x2="{sx}" y2="{sy}" stroke="#E69F00" '
                        'stroke-width="2" stroke-dasharray="2 4"/>')
        body.append(f'<rect x="{x - 14}" y="{y - 14}" width="28" height="28" rx="6" '
                    f'fill="#E69F00" stroke="#fff" stroke-width="1.5"><title>'
                    f'{html.escape(adult.therapist)}: {html.escape(adult.service)}</title></rect>')
        body.append(_svg_text(x, y + 4, f"{j + 1}", 12, "#fff", "middle", "bold"))
        names = ", ".join(adult.students) or "the class"
        ty = bottom + 40 * j
        body.append(f'<rect x="18" y="{ty - 1}" width="18" height="18" rx="4" fill="#E69F00"/>'
                    + _svg_text(27, ty + 13, f"{j + 1}", 11, "#fff", "middle", "bold"))
        body.append(_svg_text(44, ty + 13, f"{adult.therapist} ({adult.service}) is in this "
                              "room,", 12, "#8a5a00", weight="bold"))
        body.append(_svg_text(44, ty + 29, f"{adult.how}, with {names}.", 12, "#8a5a00"))
    if not in_room:
        text = ("The class has gone home; after-school sessions are on the right."
                if period.after_school else "No therapist is working in this room this period.")
        body.append(_svg_text(18, bottom + 13, text, 12, "#6D4C41"))
    # the other rooms
    x0, y = room_w + 24, 2
    side: list[str] = []
    for place, title in (("therapy room", "Therapy room (pull-out)"),
                         ("after-school room", "After-school room")):
        adults = [a for a in period.adults if a.place == place]
        if place == "after-school room" and not period.after_school:
            continue
        lines = sum(1 + len(a.students) + (1 if a.others else 0) for a in adults)
        box_h = max(46 + max(1, lines) * 22 + 6, 96)
        side.append(f'<rect x="{x0}" y="{y}" width="{width - x0 - 2}" height="{box_h}" '
                    'rx="12" fill="#FFF5E0" stroke="#C98B00" stroke-width="2"/>')
        side.append(_svg_text(x0 + 14, y + 26, title, 14, "#8a5a00", weight="bold"))
        yy = y + 52
        if not adults:
            side.append(_svg_text(x0 + 14, yy, "No one from this class.", 12, "#777"))
        for adult in adults:
            side.append(f'<rect x="{x0 + 14}" y="{yy - 13}" width="18" height="18" rx="4" '
                        'fill="#E69F00"/>')
            side.append(_svg_text(x0 + 40, yy, f"{adult.therapist}: {adult.service}", 12,
                                  "#8a5a00", weight="bold"))
            yy += 22
            for sid in adult.students:
                stroke = "#E69F00" if sid in period.iep else "#0072B2"
                side.append(f'<circle cx="{x0 + 50}" cy="{yy - 4}" r="7" fill="#0072B2" '
                            f'stroke="{stroke}" stroke-width="2.5"/>')
                side.append(_svg_text(x0 + 64, yy, sid, 12))
                yy += 22
            if adult.others:
                other = "student" if adult.others == 1 else "students"
                side.append(_svg_text(x0 + 44, yy, f"and {adult.others} {other} from other "
                                      "classes", 11.5, "#666"))
                yy += 22
        y += box_h + 14
    # the key
    legend = [("#0072B2", "#0072B2", "", 1.5, "In class"),
              ("#009E73", "#009E73", "", 1.5, "In class, working with a therapist"),
              ("none", "#777", ' stroke-dasharray="4 3"', 1.5, "Out of the room (empty seat)"),
              ("#fff", "#E69F00", "", 3.5, "Gold ring: a student with an IEP")]
    ly = y + 18
    side.append(_svg_text(x0, ly, "Key", 12, "#555", weight="bold"))
    for k, (fill, stroke, dash, sw, text) in enumerate(legend):
        cy = ly + 22 + 22 * k
        side.append(f'<circle cx="{x0 + 9}" cy="{cy}" r="8" fill="{fill}" stroke="{stroke}" '
                    f'stroke-width="{sw}"{dash}/>' + _svg_text(x0 + 26, cy + 4, text, 11.5, "#444"))
    cy = ly + 22 + 22 * len(legend)
    side.append(f'<rect x="{x0 + 1}" y="{cy - 8}" width="16" height="16" rx="3" fill="#E69F00"/>'
                + _svg_text(x0 + 26, cy + 4, "Therapist", 11.5, "#444"))
    # Two drawings side by side that wrap onto two lines on a narrow screen, so each keeps
    # its text legible (at least 10 px) instead of one wide drawing shrinking to fit a tablet.
    label = f"{html.escape(class_id)}, {html.escape(period.label)}"
    font = "font-family:Roboto,Arial,sans-serif;min-width:0"
    room = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {room_w + 4} {room_h + 4}" '
            f'role="img" aria-label="Classroom {label}" class="is-room" '
            f'style="{font};flex:1 1 520px;max-width:{int((room_w + 4) * 1.1)}px">'
            f'<rect x="2" y="2" width="{room_w}" height="{room_h}" rx="14" fill="#FBF8F1" '
            'stroke="#8D6E63" stroke-width="2.5"/>' + "".join(body) + "</svg>")
    side_w, side_h = width - x0, cy + 20
    others = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side_w} {side_h}" '
              f'role="img" aria-label="Other rooms, {label}" class="is-side-rooms" '
              f'style="{font};flex:1 1 300px;max-width:{int(side_w * 1.1)}px">'
              f'<g transform="translate({-x0} 0)">' + "".join(side) + "</g></svg>")
    return ('<div class="is-rooms" style="display:flex;flex-wrap:wrap;gap:16px;'
            f'align-items:flex-start">{room}{others}</div>')


def week_overview_html(rows: list[dict], current: tuple[int, int],
                       marks: dict[tuple[int, int], dict[str, int]] | None = None) -> str:
    """The class's week as a small table: lesson, students out and therapists in, per slot.

    Args:
        rows: `classroom_week` output.
        current: (day, slot) of the period drawn above, highlighted.
        marks: Per (day, slot), the class's sessions cancelled (refusals included) and made
            up in the week shown (`class_week_marks`); None when the year has no disruptions.
    """
    marks = marks or {}
    slots = sorted({(r["slot"], r["after_school"]) for r in rows})
    days = sorted({r["day"] for r in rows})
    cell = {(r["day"], r["slot"]): r for r in rows}
    extra = sum(after for _, after in slots)
    out = ['<table class="is-week"><tr><th></th>'
           + "".join(f"<th>{DAYS[d]}</th>" for d in days) + "</tr>"]
    for slot, after in slots:
        k = slot - min(s for s, a in slots if a) + 1 if after else 0
        name = (f"After school {k}" if extra > 1 else "After school") if after else f"P{slot + 1}"
        out.append(f"<tr><th>{name}</th>")
        for d in days:
            r = cell[(d, slot)]
            badges = []
            if r["out"]:
                badges.append(f'<span class="is-badge-out">{r["out"]} out</span>')
            if r["pushed_in"]:
                n = r["pushed_in"]
                badges.append(f'<span class="is-badge-in">{n} therapist{"s" if n > 1 else ""} '
                              "in</span>")
            mark = marks.get((d, slot), {})
            if mark.get("cancelled"):
                badges.append(f'<span class="is-badge-cancel">{mark["cancelled"]} '
                              "cancelled</span>")
            if mark.get("made_up"):
                badges.append(f'<span class="is-badge-madeup">{mark["made_up"]} made up</span>')
            here = ' class="is-here"' if (d, slot) == current else ""
            text = html.escape(r["lesson"]) or ("" if badges else "-")
            out.append(f"<td{here}>{text}{''.join(badges)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def student_week_cells(model: SchoolModel, student_id: str) -> list[dict]:
    """Where one student is each slot of the week, what the lesson is, and any session."""
    school = model.school
    index = next(i for i, s in enumerate(school.students) if s.id == student_id)
    tt = school.timetable
    cells = []
    for day in range(tt.days):
        for slot in range(model.slots_per_day):
            after = slot >= tt.periods
            here = model.location(index, day, slot)
            if here.in_session:
                how = setting_label(here.setting, here.collaboration,
                                    "" if after else here.subject)
                what = (f"{SERVICE_LABELS.get(here.service, here.service)}, "
                        f"{here.minutes} min, {how.rstrip(', ')}, with "
                        f"{school.therapists[here.therapist].id}")
                kind = {"push_in": "in", "pull_out": "out", "after_school": "after"}[here.setting]
            else:
                what, kind = "", "class" if here.place == "class" else here.place
            lesson = "" if after else SUBJECT_LABELS.get(here.subject, "")
            cells.append({"day": day, "slot": slot, "after_school": after, "lesson": lesson,
                          "where": WHERE_LABELS[here.place], "session": what, "kind": kind})
    return cells


def student_week(model: SchoolModel, student_id: str) -> pd.DataFrame:
    """Where one student is each period of the week, and what happens there (a table)."""
    rows = [{"Day": DAYS[c["day"]],
             "Period": "after school" if c["after_school"] else c["slot"] + 1,
             "Lesson in class": c["lesson"], "Where": c["where"], "Session": c["session"]}
            for c in student_week_cells(model, student_id)
            if not c["after_school"] or c["session"]]
    return pd.DataFrame(rows)


def student_week_html(cells: list[dict]) -> str:
    """The student's week as a timetable: periods down, days across, sessions coloured."""
    days = sorted({c["day"] for c in cells})
    slots = sorted({(c["slot"], c["after_school"]) for c in cells})
    cell = {(c["day"], c["slot"]): c for c in cells}
    out = ['<table class="is-week is-student-week"><tr><th></th>'
           + "".join(f"<th>{DAYS[d]}</th>" for d in days) + "</tr>"]
    for slot, after in slots:
        if after and not any(cell[(d, slot)]["session"] for d in days):
            continue
        out.append(f"<tr><th>{'After school' if after else f'P{slot + 1}'}</th>")
        for d in days:
            c = cell[(d, slot)]
            session = (f'<div class="is-session is-session-{c["kind"]}">'
                       f'{html.escape(c["session"])}</div>' if c["session"] else "")
            lesson = html.escape(c["lesson"])
            if c["kind"] in ("out", "after") and lesson:
                lesson = f'<span class="is-missed">{lesson}</span>'
            out.append(f"<td>{lesson}{session}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def student_history(model: SchoolModel, student_id: str) -> dict[str, np.ndarray]:
    """One IEP student's weekly measures over the run (empty for a student without an IEP)."""
    index = next(i for i, s in enumerate(model.school.students) if s.id == student_id)
    position = int(model.iep_position[index])
    if position < 0:
        return {}
    return {name: np.array([week[position] for week in weeks])
            for name, weeks in model.history.items()}


# --------------------------------------------------------------------------- a week of the year


def class_week_marks(record: pd.DataFrame, class_id: str,
                     week: int) -> dict[tuple[int, int], dict[str, int]]:
    """Per (day, slot), how many of the class's sessions were not held, and how many made up.

    Args:
        record: `inclusion_sim.analysis.week_record.session_record` of the model shown.
        class_id: The class.
        week: The week of the year (0-based).
    """
    rows = record[(record["class_id"] == class_id) & (record["week"] == week)]
    marks: dict[tuple[int, int], dict[str, int]] = {}
    for r in rows.itertuples():
        key = "made_up" if r.status == "made_up" else "cancelled" if r.status != "held" else ""
        if key:
            cell = marks.setdefault((r.day, r.slot), {"cancelled": 0, "made_up": 0})
            cell[key] += 1
    return marks


def class_weeks(record: pd.DataFrame, class_id: str) -> dict[int, tuple[int, int]]:
    """Per week of the year: the class's sessions not held, and those made up."""
    rows = record[record["class_id"] == class_id]
    lost = rows[rows["status"].isin(("cancelled", "refused"))].groupby("week").size()
    made = rows[rows["status"] == "made_up"].groupby("week").size()
    weeks = sorted(set(record["week"]))
    return {w: (int(lost.get(w, 0)), int(made.get(w, 0))) for w in weeks}


def class_week_sessions(record: pd.DataFrame, class_id: str, week: int,
                        periods: int) -> pd.DataFrame:
    """The class's sessions that did not happen in a week, and the make-ups, in plain words.

    A cancelled session is paired with a make-up of the same student and service later in the
    same week, in order, so the table says where it was made up.
    """
    rows = record[(record["class_id"] == class_id) & (record["week"] == week)
                  & (record["status"] != "held")].sort_values(["day", "slot", "student_id"])
    made = {}
    for r in rows[rows["status"] == "made_up"].itertuples():
        made.setdefault((r.student_id, r.service), []).append(
            sessions.when_label(r.day, r.slot, periods))
    out = []
    for r in rows.itertuples():
        if r.status == "made_up":
            later = "this is the make-up"
        elif r.status == "cancelled" and made.get((r.student_id, r.service)):
            later = "made up " + made[(r.student_id, r.service)].pop(0)
        else:
            later = "no"
        out.append({"When": sessions.when_label(r.day, r.slot, periods),
                    "Student": r.student_id,
                    "Session": sessions.session_words(r.service, r.setting, r.minutes,
                                                      r.therapist_id),
                    "What happened": sessions.status_words(r.status, r.cause),
                    "Made up?": later})
    return pd.DataFrame(out, columns=["When", "Student", "Session", "What happened", "Made up?"])
