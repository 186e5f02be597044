"""What the Classroom and Student pages show, read from a `SchoolModel`.

The model already knows where everyone is in every slot of its repeating week
(`SchoolModel.where`, `SchoolModel.schedule.sessions`) and keeps each IEP student's weekly
history (`SchoolModel.history`). These functions only select and label; the room drawing is an
SVG string so it looks the same in every browser and needs no front-end package.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from inclusion_sim.model import SchoolModel
from inclusion_sim.params import Params
from inclusion_sim.policies import Policy
from inclusion_sim.school.world import DAYS, SERVICE_LABELS

from .schools import SchoolChoice

SUBJECT_LABELS = {
    "ela": "Reading (ELA)", "writing": "Writing", "math": "Math", "science": "Science",
    "social_studies": "Social studies", "specials": "Specials (art, music, PE)",
    "lunch_recess": "Lunch and recess",
}  # fmt: skip
WHERE_LABELS = {"class": "In class", "therapy_room": "Therapy room",
                "after_school": "After-school session", "home": "Home"}


def week_model(choice: SchoolChoice, policy: Policy, overrides: dict[str, float]) -> SchoolModel:
    """A model of the school's week under a policy, not run: its timetable is what we draw."""
    seed = int(getattr(choice.scenario, "seed", 0) or 0) if choice.scenario is not None else 0
    return SchoolModel(**choice.model_kwargs(), policy=policy, params=Params(overrides), seed=seed)


@dataclass
class Period:
    """One slot of one class: the lesson, who is in, who is out and where, which adults."""

    slot: int
    label: str
    subject: str
    minutes: int
    in_room: list[str] = field(default_factory=list)
    supported: dict[str, str] = field(default_factory=dict)  # student -> service, pushed in
    out: list[tuple[str, str, str, str]] = field(default_factory=list)  # (student, where, ...)
    therapists: list[tuple[str, str, str]] = field(default_factory=list)  # (id, service, mode)


def classroom_day(model: SchoolModel, class_id: str, day: int) -> list[Period]:
    """Every slot of a class's day, including after-school slots with sessions."""
    school = model.school
    c = school.class_index()[class_id]
    members = [i for i, s in enumerate(school.students) if s.class_id == class_id]
    tt = school.timetable
    periods = tt.periods
    by_slot: dict[int, list] = {}
    for session in model.schedule.sessions:
        if session.day == day:
            by_slot.setdefault(session.slot, []).append(session)
    out = []
    for slot in range(model.slots_per_day):
        after = slot >= periods
        if after and not any(
            any(school.students[i].class_id == class_id for i in s.students)
            for s in by_slot.get(slot, [])
        ):
            continue
        subject = "after_school" if after else tt.subjects[class_id][day][slot]
        minutes = 45 if after else int(tt.period_minutes[day][slot])
        label = f"After school {slot - periods + 1}" if after else f"Period {slot + 1}"
        p = Period(slot, label, subject, minutes)
        sessions = by_slot.get(slot, [])
        for s in sessions:
            therapist = school.therapists[s.therapist].id
            service = SERVICE_LABELS.get(s.service, s.service)
            if s.setting == "push_in" and s.class_index == c:
                p.therapists.append((therapist, service, s.collaboration))
                for i in s.students:
                    p.supported[school.students[i].id] = service
        for i in members:
            where = model.where(i, day, slot)
            sid = school.students[i].id
            if where == "class":
                p.in_room.append(sid)
            elif where in ("therapy_room", "after_school"):
                detail = next(((SERVICE_LABELS.get(s.service, s.service),
                                school.therapists[s.therapist].id)
                               for s in sessions if i in s.students), ("", ""))
                p.out.append((sid, WHERE_LABELS[where], *detail))
        if after and not p.out:
            continue
        out.append(p)
    return out


def room_svg(period: Period, class_id: str, iep_ids: set[str]) -> str:
    """Draw one period as a classroom seen from above: desks, board, adults, who is out."""
    width, height = 820, 430
    esc = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="Classroom {esc(class_id)}, {esc(period.label)}" '
        'style="width:100%;font-family:Roboto,Arial,sans-serif">',
        f'<rect x="1" y="1" width="540" height="{height - 2}" rx="14" fill="#FBF8F1" '
        'stroke="#8D6E63" stroke-width="2"/>',
        '<rect x="120" y="14" width="300" height="44" rx="6" fill="#2E5E4E"/>',
        f'<text x="270" y="42" fill="#fff" font-size="17" text-anchor="middle">'
        f'{esc(SUBJECT_LABELS.get(period.subject, period.subject))}</text>',
        '<circle cx="470" cy="36" r="15" fill="#6D4C41"/>'
        '<text x="470" y="41" fill="#fff" font-size="12" text-anchor="middle">T</text>'
        '<text x="470" y="66" fill="#6D4C41" font-size="11" text-anchor="middle">teacher</text>',
    ]
    everyone = sorted(set(period.in_room) | {o[0] for o in period.out})
    cols = 6
    for k, sid in enumerate(everyone):
        x = 50 + (k % cols) * 80
        y = 100 + (k // cols) * 64
        parts.append(f'<rect x="{x - 26}" y="{y + 12}" width="52" height="16" rx="3" '
                     'fill="#D7CCC8"/>')
        present = sid in period.in_room
        supported = sid in period.supported
        fill = "#009E73" if supported else ("#0072B2" if present else "none")
        stroke = "#555" if not present else ("#E69F00" if sid in iep_ids else fill)
        dash = ' stroke-dasharray="4 3"' if not present else ""
        parts.append(f'<circle cx="{x}" cy="{y}" r="13" fill="{fill}" stroke="{stroke}" '
                     f'stroke-width="{3 if sid in iep_ids else 1.5}"{dash}>'
                     f'<title>{esc(sid)}</title></circle>')
        parts.append(f'<text x="{x}" y="{y + 40}" font-size="9.5" text-anchor="middle" '
                     f'fill="#444">{esc(sid)}</text>')
    for j, (therapist, _service, _mode) in enumerate(period.therapists):
        x, y = 500, 120 + j * 70
        parts.append(f'<rect x="{x - 16}" y="{y - 16}" width="32" height="32" rx="6" '
                     f'fill="#E69F00"><title>{esc(therapist)}</title></rect>'
                     f'<text x="{x}" y="{y + 5}" fill="#fff" font-size="11" '
                     f'text-anchor="middle">Th</text>'
                     f'<text x="{x}" y="{y + 30}" font-size="9.5" text-anchor="middle" '
                     f'fill="#8a5a00">{esc(therapist)}</text>')
    # the corridor: who is out and where
    parts.append(f'<text x="560" y="30" font-size="14" font-weight="bold" fill="#333">'
                 f'Out of the room ({len(period.out)})</text>')
    y = 54
    if not period.out:
        parts.append('<text x="560" y="54" font-size="12" fill="#666">Everyone is in class.'
                     '</text>')
    for sid, where, service, therapist in period.out[:14]:
        short = service.split(" (")[0].replace("-language therapy", "").replace(" therapy", "")
        text = f"{sid}: {where.lower()}" + (f", {short}" if short else "")
        parts.append(f'<circle cx="568" cy="{y - 4}" r="6" fill="none" stroke="#555" '
                     f'stroke-dasharray="3 2"/><text x="582" y="{y}" font-size="11.5" '
                     f'fill="#333">{esc(text)}</text>')
        if therapist:
            parts.append(f'<text x="582" y="{y + 14}" font-size="10" fill="#8a5a00">with '
                         f'{esc(therapist)}</text>')
        y += 32
    if len(period.out) > 14:
        parts.append(f'<text x="560" y="{y}" font-size="11" fill="#333">and '
                     f'{len(period.out) - 14} more</text>')
    parts.append("</svg>")
    return "".join(parts)


def student_week(model: SchoolModel, student_id: str) -> pd.DataFrame:
    """Where one student is each period of the week, and what happens there."""
    school = model.school
    index = next(i for i, s in enumerate(school.students) if s.id == student_id)
    klass = school.students[index].class_id
    tt = school.timetable
    rows = []
    for day in range(tt.days):
        sessions = {s.slot: s for s in model.schedule.sessions
                    if s.day == day and index in s.students}
        for slot in range(model.slots_per_day):
            after = slot >= tt.periods
            session = sessions.get(slot)
            if after and session is None:
                continue
            where = WHERE_LABELS[model.where(index, day, slot)]
            if session is not None:
                mode = {"push_in": f"in class ({session.collaboration})",
                        "pull_out": "pulled out", "after_school": "after school"}[session.setting]
                what = (f"{SERVICE_LABELS.get(session.service, session.service)}, "
                        f"{session.minutes} min, {mode}, with "
                        f"{school.therapists[session.therapist].id}")
            else:
                what = ""
            lesson = "" if after else SUBJECT_LABELS.get(tt.subjects[klass][day][slot], "")
            rows.append({"Day": DAYS[day], "Period": "after school" if after else slot + 1,
                         "Lesson in class": lesson, "Where": where, "Session": what})
    return pd.DataFrame(rows)


def student_history(model: SchoolModel, student_id: str) -> dict[str, np.ndarray]:
    """One IEP student's weekly measures over the run (empty for a student without an IEP)."""
    index = next(i for i, s in enumerate(model.school.students) if s.id == student_id)
    position = int(model.iep_position[index])
    if position < 0:
        return {}
    return {name: np.array([week[position] for week in weeks])
            for name, weeks in model.history.items()}
