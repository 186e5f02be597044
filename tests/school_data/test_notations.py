"""Grades and days on site as student information systems and schedulers write them.

Accepted notations must load to the meaning they have; the others must be refused, and a
refusal may suggest a fix only when following it keeps every day (or the grade) that was
written. Property tests render random days and grades in the accepted notations and read them
back, and check that no hint ever changes the days a cell names.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion_sim.base.errors import InputError
from inclusion_sim.base.params import Params
from inclusion_sim.delivery.policies import POLICY_PRESETS
from inclusion_sim.delivery.scheduling import schedule_week
from inclusion_sim.school.csv_loader import load_school_folder
from inclusion_sim.school.generate import grade_label
from inclusion_sim.school.notation import (
    DAY_NAMES,
    PRE_K,
    format_days,
    read_day,
    read_days,
    read_grade,
)

Edit = Callable[[Path, str, int, str], None]


def load_problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_school_folder(folder)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- grades

ACCEPTED_GRADES = [
    ("01", 1), ("1", 1), ("001", 1), ("09", 9), ("010", 10), ("12", 12), ("Grade 3", 3),
    ("grade 03", 3), ("Gr. 3", 3), ("G3", 3), ("3rd", 3), ("3rd Grade", 3), ("Third grade", 3),
    ("grade three", 3), ("3.0", 3), ("K", 0), ("k", 0), ("KG", 0), ("KF", 0), ("KH", 0),
    ("KP", 0), ("00", 0), ("0", 0), ("0K", 0), ("Kindergarten", 0), ("K5", 0),
    ("PK", PRE_K), ("Pre-K", PRE_K), ("PreK", PRE_K), ("pre k", PRE_K),
    ("Prekindergarten", PRE_K), ("TK", PRE_K), ("PK4", PRE_K), ("P3", PRE_K), ("K4", PRE_K),
]


@pytest.mark.parametrize(("written", "grade"), ACCEPTED_GRADES)
def test_grade_notations_load_to_the_models_grade(tiny_school: Path, edit: Edit, written: str,
                                                   grade: int) -> None:
    edit(tiny_school, "students.csv", 5, f"S4,1B,{written},,,,,,")
    school = load_school_folder(tiny_school)
    assert {s.id: s.grade for s in school.students}["S4"] == grade


@pytest.mark.parametrize(("written", "reason"), [
    ("-1", "numeric codes below 0 mean different grades in different student information "
           "systems"),
    ("UG", "the model's grades are PK, K and 1 to 12"),
    ("13", "the model's grades are PK, K and 1 to 12"),
    ("K-5", ""),
    ("1/2", ""),
    ("PS", "the model's grades are PK, K and 1 to 12"),
    ("2-Jan", "this looks like a date: a spreadsheet turns a value such as 1-2"),
    ("Oct-12", "this looks like a date"),
    ("1/2/2024", "this looks like a date"),
])
def test_other_grades_are_refused_with_what_is_accepted(tiny_school: Path, edit: Edit,
                                                        written: str, reason: str) -> None:
    edit(tiny_school, "students.csv", 5, f"S4,1B,{written},,,,,,")
    (problem,) = load_problems(tiny_school)
    assert "line 5, column 'grade'" in problem
    assert "expected a grade: PK (pre-kindergarten), K (kindergarten) or 1 to 12; also 01-12" \
        in problem
    assert f"found '{written}'" in problem and reason in problem
    # Never a grade proposed in place of the one written.
    assert "did you mean" not in problem


def test_pre_k_students_form_their_own_grade(tiny_school: Path, edit: Edit) -> None:
    """Pre-K is grade -1: never grouped with kindergarten, labelled PK, its class graded PK."""
    edit(tiny_school, "students.csv", 5, "S4,1B,PK,,,,2,30,2")
    edit(tiny_school, "students.csv", 6, "S5,1B,K,,,,2,30,2")
    edit(tiny_school, "students.csv", 7, "S6,1B,PK,,,,,,")
    edit(tiny_school, "staff.csv", 5, "R2,therapist,,OT,300,M-F,agency")
    school = load_school_folder(tiny_school)
    assert {c.id: c.grade for c in school.classes} == {"1A": 1, "1B": PRE_K}
    assert grade_label(PRE_K) == "PK"

    def ot_groups(s) -> list[set[str]]:
        week = schedule_week(s, POLICY_PRESETS["pull_out"], Params({}), np.random.default_rng(0))
        return [{s.students[i].id for i in x.students} for x in week.sessions
                if x.service == "ot" and {s.students[i].id for i in x.students} & {"S4", "S5"}]

    assert sorted(map(sorted, ot_groups(school))) == [["S4"], ["S4"], ["S5"], ["S5"]]
    # The same two students both in kindergarten share their sessions: the split above is the
    # grade's doing.
    both_k = dataclasses.replace(school, students=[
        dataclasses.replace(s, grade=0) if s.id == "S4" else s for s in school.students])
    assert sorted(map(sorted, ot_groups(both_k))) == [["S4", "S5"], ["S4", "S5"]]


# --------------------------------------------------------------------------- days on site

ACCEPTED_DAYS = [
    ("Mon;Tue;Thu", "Mon;Tue;Thu"), ("Mon-Thu", "Mon;Tue;Wed;Thu"),
    ("Mon – Thu", "Mon;Tue;Wed;Thu"), ("M-F", "Mon;Tue;Wed;Thu;Fri"),
    ("Monday through Thursday", "Mon;Tue;Wed;Thu"), ("Tue to Thu", "Tue;Wed;Thu"),
    ("MWF", "Mon;Wed;Fri"), ("M/W/F", "Mon;Wed;Fri"), ("TTh", "Tue;Thu"), ("T/Th", "Tue;Thu"),
    ("TR", "Tue;Thu"), ("MTWRF", "Mon;Tue;Wed;Thu;Fri"), ("MTWThF", "Mon;Tue;Wed;Thu;Fri"),
    ("MTWTF", "Mon;Tue;Wed;Thu;Fri"), ("M-Th", "Mon;Tue;Wed;Thu"), ("T-Th", "Tue;Wed;Thu"),
    ("Monday and Wednesday", "Mon;Wed"), ("Mon, Wed and Fri", "Mon;Wed;Fri"),
    ("Mon & Wed", "Mon;Wed"), ("Tues/Thurs", "Tue;Thu"), ("Mondays", "Mon"),
    ("Mon-Tue, Fri", "Mon;Tue;Fri"), ("daily", "Mon;Tue;Wed;Thu;Fri"), ("W", "Wed"),
]


@pytest.mark.parametrize(("written", "days"), ACCEPTED_DAYS)
def test_days_on_site_notations_load_to_the_days_written(tiny_school: Path, edit: Edit,
                                                         written: str, days: str) -> None:
    edit(tiny_school, "staff.csv", 4, f'R1,therapist,,speech,240,"{written}",school')
    school = load_school_folder(tiny_school)
    assert format_days(school.therapists[0].days_on_site) == days


def test_a_range_keeps_a_four_day_therapists_time(tiny_school: Path, edit: Edit) -> None:
    """1800 minutes fit four days on site (4 x 480) and would not fit the first day alone."""
    edit(tiny_school, "staff.csv", 4, "R1,therapist,,speech,1800,Mon-Thu,school")
    school = load_school_folder(tiny_school)
    assert school.therapists[0].days_on_site == (0, 1, 2, 3)
    assert school.therapists[0].minutes_per_week == 1800


REFUSED_DAYS = [
    ("M-T", "a bare T could be Tuesday or Thursday"),
    ("T", "a bare T could be Tuesday or Thursday"),
    ("TF", "a bare T could be Tuesday or Thursday"),
    ("Thu-Mon", "would cross the weekend"),
    ("Mon;Sat", "'Sat': the model's school week is Mon to Fri"),
    ("Mon AM;Wed", "'AM': the model has a therapist on site for whole days"),
    ("1;3;5", "day numbers mean different days in different calendars"),
    ("every other Monday", "'every' is not a school day"),
    ("Mon-Wed-Fri", "write a range as two days joined by one dash"),
    ("A day", "'A' is not a school day"),
]


@pytest.mark.parametrize(("written", "reason"), REFUSED_DAYS)
def test_unclear_days_are_refused_without_a_fix_that_changes_them(
    tiny_school: Path, edit: Edit, written: str, reason: str
) -> None:
    edit(tiny_school, "staff.csv", 4, f'R1,therapist,,speech,240,"{written}",school')
    (problem,) = load_problems(tiny_school)
    assert "line 4, column 'days_on_site'" in problem
    assert f"found '{written}'" in problem and reason in problem
    assert "did you mean" not in problem


@pytest.mark.parametrize(("written", "hint"), [
    ("Mon;Thrusday", "did you mean 'Mon;Thu'?"),
    ("Mon-Wed;Frday", "did you mean 'Mon;Tue;Wed;Fri'?"),
    ("Tues/Wendesday/Thrusday", "did you mean 'Tue;Wed;Thu'?"),
])
def test_a_misspelt_day_gets_a_hint_that_keeps_every_day(
    tiny_school: Path, edit: Edit, written: str, hint: str
) -> None:
    edit(tiny_school, "staff.csv", 4, f'R1,therapist,,speech,240,"{written}",school')
    (problem,) = load_problems(tiny_school)
    assert problem.endswith(f"({hint})") or hint in problem


@pytest.mark.parametrize(("written", "day"), [("Mon", 0), ("Tuesday", 1), ("W", 2),
                                              ("Th", 3), ("R", 3), ("fri", 4)])
def test_timetable_day_notations(written: str, day: int) -> None:
    assert read_day(written) == (day, "")


@pytest.mark.parametrize(("written", "reason"), [
    ("Mon-Wed", "one day per row"), ("T", "a bare T"), ("Sat", "Mon to Fri"), ("", "one day"),
])
def test_timetable_day_refusals_name_no_other_day(written: str, reason: str) -> None:
    day, why = read_day(written)
    assert day is None and reason in why and "did you mean" not in why


def test_timetable_row_with_a_range_is_refused_without_a_one_day_hint(tiny_school: Path,
                                                                     edit: Edit) -> None:
    edit(tiny_school, "timetable.csv", 2, "1A,Mon-Wed,1,45,Reading")
    problems = load_problems(tiny_school)
    assert any("line 2, column 'day'" in p and "one day per row" in p for p in problems)
    assert not any("did you mean" in p for p in problems)


# --------------------------------------------------------------------------- properties

FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DAY_SUBSETS = st.lists(st.integers(0, 4), min_size=1, max_size=5, unique=True).map(sorted)


@st.composite
def written_days(draw) -> tuple[str, tuple[int, ...]]:
    """A set of days written in one of the accepted notations."""
    days = draw(DAY_SUBSETS)
    style = draw(st.sampled_from(["abbrev", "full", "and", "letters_r", "letters_th", "range"]))
    if style == "range" and days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
        first, last = DAY_NAMES[days[0]], DAY_NAMES[days[-1]]
        dash = draw(st.sampled_from(["-", " - ", "\u2013", " through ", " to "]))
        return f"{first}{dash}{last}", tuple(days)
    if style in ("letters_r", "letters_th"):
        letters = ["M", "T", "W", "R" if style == "letters_r" else "Th", "F"]
        if 3 not in days:
            letters[1] = "Tu"  # a bare T is Tuesday only next to a written Thursday
        separator = draw(st.sampled_from(["", "/", " "]))
        return separator.join(letters[d] for d in days), tuple(days)
    names = [FULL[d] if style in ("full", "and") else DAY_NAMES[d] for d in days]
    names = [draw(st.sampled_from([n, n.lower(), n.upper()])) for n in names]
    if style == "and" and len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1], tuple(days)
    separator = draw(st.sampled_from([";", "; ", "/", " ", ", ", " & "]))
    return separator.join(names), tuple(days)


@settings(max_examples=300, deadline=None)
@given(written_days())
def test_days_written_any_accepted_way_read_back(case: tuple[str, tuple[int, ...]]) -> None:
    text, days = case
    assert read_days(text).days == days, text


def _slip(word: str, kind: int, at: int) -> str:
    at %= len(word) - 1
    if kind == 0:
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]  # two letters swapped
    if kind == 1:
        return word[:at] + word[at + 1:]  # a letter dropped
    return word[:at] + "x" + word[at + 1:]  # a letter changed


@settings(max_examples=300, deadline=None)
@given(DAY_SUBSETS, st.integers(0, 4), st.integers(0, 2), st.integers(0, 20))
def test_no_hint_ever_changes_the_days(days: list[int], which: int, kind: int, at: int) -> None:
    """A misspelt day is either still read right, or refused with a hint naming all days."""
    names = [FULL[d] for d in days]
    names[which % len(names)] = _slip(names[which % len(names)], kind, at)
    reading = read_days(";".join(names))
    if reading.days is not None:
        assert reading.days == tuple(days)
    match = re.search(r"did you mean '([^']*)'", reading.hint)
    if match:
        assert read_days(match.group(1)).days == tuple(days)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=25))
def test_any_text_reads_or_is_refused_and_hints_are_readable(text: str) -> None:
    reading = read_days(text)
    assert reading.days is None or set(reading.days) <= set(range(5))
    match = re.search(r"did you mean '([^']*)'", reading.hint)
    if match:
        assert read_days(match.group(1)).days is not None
    grade, why = read_grade(text)
    assert grade is None or -1 <= grade <= 12
    assert "did you mean" not in why


@st.composite
def written_grade(draw) -> tuple[str, int]:
    grade = draw(st.integers(-1, 12))
    if grade == PRE_K:
        return draw(st.sampled_from(["PK", "Pre-K", "PreK", "pre-kindergarten", "TK", "PK4"])), -1
    if grade == 0:
        return draw(st.sampled_from(["K", "KG", "KF", "00", "0", "Kindergarten", "0K"])), 0
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(grade, "th")
    forms = [str(grade), f"{grade:02d}", f"{grade:03d}", f"Grade {grade}", f"Gr. {grade:02d}",
             f"{grade}{suffix}", f"{grade}{suffix} grade", f"{grade}.0"]
    return draw(st.sampled_from(forms)), grade


@settings(max_examples=200, deadline=None)
@given(written_grade())
def test_grades_written_any_accepted_way_read_back(case: tuple[str, int]) -> None:
    text, grade = case
    assert read_grade(text) == (grade, "")


def _timed(folder: Path, passing: int = 5, shift: dict[tuple[str, str], str] | None = None) -> None:
    """Rewrite the tiny school's timetable with start and end times instead of minutes."""
    import csv

    path = folder / "timetable.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    clock = {}
    for day in dict.fromkeys(r["day"] for r in rows):
        start = 8 * 60 + 30
        for period in sorted({int(r["period"]) for r in rows if r["day"] == day}):
            clock[(day, str(period))] = start
            start += int(next(r["minutes"] for r in rows if r["day"] == day
                              and r["period"] == str(period))) + passing
    lines = ["class_id,day,period,start,end,subject"]
    for r in rows:
        start = clock[(r["day"], r["period"])]
        end = start + int(r["minutes"])
        text = (shift or {}).get((r["class_id"], r["day"] + r["period"]),
                                 f"{start // 60}:{start % 60:02d}")
        lines.append(f"{r['class_id']},{r['day']},{r['period']},{text},"
                     f"{end // 60}:{end % 60:02d},{r['subject']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_start_times_from_the_files_are_kept_and_printed(tiny_school: Path) -> None:
    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.faces.timetables import therapist_timetable

    plain = load_school_folder(tiny_school)
    assert plain.timetable.period_starts is None  # lengths only: periods are numbered
    _timed(tiny_school)
    timed = load_school_folder(tiny_school)
    assert timed.timetable.period_starts[0, :3].tolist() == [510, 560, 610]  # 8:30, 9:20, 10:10
    assert (timed.timetable.period_minutes == plain.timetable.period_minutes).all()
    week = schedule_week(timed, POLICY_PRESETS["pull_out"], Params(),
                         make_streams(1)["schedule"])
    labels = therapist_timetable(timed, week)["period_label"]
    assert len(labels) and labels.str.match(r"Period \d, \d+:\d\d–\d+:\d\d$").all()
    plain_week = schedule_week(plain, POLICY_PRESETS["pull_out"], Params(),
                               make_streams(1)["schedule"])
    assert therapist_timetable(plain, plain_week)["period_label"].str.match(
        r"Period \d$").all()


def test_start_times_that_disagree_or_overlap_are_located(tiny_school: Path) -> None:
    original = (tiny_school / "timetable.csv").read_text(encoding="utf-8")
    _timed(tiny_school, shift={("1B", "Mon1"): "8:35"})
    with pytest.raises(InputError) as info:
        load_school_folder(tiny_school)
    problem = info.value.problems[0]  # (its period is now 5 minutes shorter, too)
    assert problem.where.endswith("column 'start'") and "8:30, as for class 1A" in \
        problem.expected and problem.found == "'8:35'"
    (tiny_school / "timetable.csv").write_text(original, encoding="utf-8")
    _timed(tiny_school, passing=-5)
    with pytest.raises(InputError) as info:
        load_school_folder(tiny_school)
    problem = info.value.problems[0]
    assert "column 'start'" in problem.where and "or later" in problem.expected
