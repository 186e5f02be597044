"""Therapists' and classes' timetables: the tables agree with the schedule, the page prints."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from inclusion_sim.base.seeds import make_streams
from inclusion_sim.delivery.schedulers import make_schedule
from inclusion_sim.faces.cli import main
from inclusion_sim.faces.present import terminal_problems
from inclusion_sim.faces.timetables import (
    CLASS_COLUMNS,
    FILES,
    THERAPIST_COLUMNS,
    class_week,
    period_names,
    therapist_timetable,
    timetables_html,
    write_timetables,
)
from inclusion_sim.model.school_model import SchoolModel
from inclusion_sim.scenario.config import resolve
from inclusion_sim.scenario.files import load_scenario
from inclusion_sim.school.world import DAYS

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "scenarios" / "small_elementary.toml"
#: Pulled out, pushed in (co-taught), both, and after school: every setting a cell can show.
POLICIES = ("pull_out", "push_in_collaborative", "hybrid", "after_school")


def _week(policy: str, seed: int = 1):
    config = resolve(load_scenario(SMALL), policy=policy, seed=seed)
    return config, make_schedule(config.school, config.policy, config.params,
                                 make_streams(config.seed)["schedule"], config.scheduling)


@pytest.fixture(scope="module", params=POLICIES)
def week(request):
    return _week(request.param)


def test_the_command_line_schedules_the_week_a_run_would_use() -> None:
    config, schedule = _week("hybrid", seed=3)
    assert schedule.sessions == SchoolModel(config).schedule.sessions


def test_every_session_appears_once_in_its_therapists_timetable(week) -> None:
    config, schedule = week
    school = config.school
    table = therapist_timetable(school, schedule)
    assert tuple(table.columns) == THERAPIST_COLUMNS
    assert len(table) == len(schedule.sessions) > 0
    expected = Counter(
        (school.therapists[s.therapist].id, DAYS[s.day], str(period_names(schedule, s.slot)[0]),
         ", ".join(school.students[i].id for i in s.students), s.minutes)
        for s in schedule.sessions)
    found = Counter(zip(table["therapist"], table["day"], table["period"].astype(str),
                        table["students"], table["minutes"], strict=True))
    assert found == expected
    assert (table["group_size"] == table["students"].str.count(",") + 1).all()
    # a lesson is missed or joined in school hours, none after school
    assert ((table["lesson"].fillna("") == "") == (table["setting"] == "after school")).all()
    # sorted by therapist, then day, then period (after school last)
    key = [(r.therapist, DAYS.index(r.day),
            r.period if isinstance(r.period, int) else 99) for r in table.itertuples()]
    assert key == sorted(key)


def test_every_student_in_a_session_is_out_or_supported_in_their_class_row(week) -> None:
    config, schedule = week
    school = config.school
    table = class_week(school, schedule)
    assert tuple(table.columns) == CLASS_COLUMNS
    assert len(table) == len(school.classes) * school.timetable.days * schedule.slots_per_day
    rows = {(r["class"], r["day"], str(r["period"])): r for r in table.to_dict("records")}
    out = supported = 0
    for s in schedule.sessions:
        for i in s.students:
            student = school.students[i]
            row = rows[(student.class_id, DAYS[s.day], str(period_names(schedule, s.slot)[0]))]
            column = "supported_in_class" if s.setting == "push_in" else "students_out"
            assert student.id in row[column].split(", ")
            assert school.therapists[s.therapist].id in row[
                "supported_with" if s.setting == "push_in" else "out_with"]
            supported += s.setting == "push_in"
            out += s.setting != "push_in"
    # nobody is listed who is not in a session
    assert table["out_count"].sum() == out
    assert table["supported_count"].sum() == supported
    listed = table["students_out"].str.split(", ").str.len().where(table["students_out"] != "", 0)
    assert (listed == table["out_count"]).all()


def test_adults_in_the_room_are_the_teacher_and_the_pushed_in_therapists() -> None:
    config, schedule = _week("push_in_collaborative")
    table = class_week(config.school, schedule)
    teachers = {c.id: c.teacher_id for c in config.school.classes}
    math = table[table["lesson"] == "Math"]
    assert all(teachers[r["class"]] in r["adults_in_room"] for r in math.to_dict("records"))
    with_therapist = table[table["supported_count"] > 0]
    assert len(with_therapist) > 0
    for r in with_therapist.to_dict("records"):
        for name in re.findall(r"with (\S+), in class", r["supported_with"]):
            assert name in r["adults_in_room"]
    after = table[table["period_label"].str.startswith("After")]
    assert (after["adults_in_room"] == "").all() and (after["lesson"] == "").all()


def test_a_co_taught_session_without_the_homeroom_teacher_is_not_called_co_teaching() -> None:
    config, schedule = _week("push_in_collaborative")
    rows = therapist_timetable(config.school, schedule)
    rows = rows[rows["setting"].str.startswith("in class")]
    away = rows["lesson"].str.startswith(("Specials", "Lunch"))
    assert away.any() and (~away).any()
    assert not rows[away]["setting"].str.contains("co-teaching").any()
    assert rows[away]["setting"].str.contains("homeroom teacher away").all()
    assert rows[~away]["setting"].eq("in class, co-teaching with the teacher").all()
    cells = class_week(config.school, schedule)
    specials = cells[cells["lesson"].str.startswith("Specials") & (cells["supported_count"] > 0)]
    assert len(specials) and not specials["supported_with"].str.contains("co-teaching").any()
    assert not specials["adults_in_room"].str.contains("co-teaching").any()


def test_the_page_has_one_printed_page_per_therapist_and_per_class(week, tmp_path) -> None:
    config, schedule = week
    school = config.school
    page = timetables_html(school, schedule, title="Week")
    assert page.count('<section class="page therapist"') == len(school.therapists)
    assert page.count('<section class="page class"') == len(school.classes)
    assert re.search(r"@media print\s*{[^@]*\.page {[^}]*break-after: page", page)
    assert "<script" not in page and "http" not in page  # self-contained, nothing to fetch
    # each therapist's page shows their sessions and no one else's
    for therapist in school.therapists:
        start = page.index(f'id="therapist-{therapist.id}"')
        section = page[start:page.index("</section>", start)]
        n = sum(school.therapists[s.therapist].id == therapist.id for s in schedule.sessions)
        assert section.count('<div class="s s-') == n
        assert f"Contracted {therapist.minutes_per_week:,} min a week" in section


def test_text_on_the_page_is_escaped() -> None:
    config, schedule = _week("hybrid")
    school = config.school
    odd = "<b>&amp;"
    busy = school.therapists[schedule.sessions[0].therapist]
    school = dataclasses.replace(school, therapists=[
        dataclasses.replace(t, id=f"{t.id}{odd}") if t is busy else t for t in school.therapists])
    page = timetables_html(school, schedule, title="Ours <script>alert(1)</script>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert odd not in page and "&lt;b&gt;&amp;amp;" in page


def test_the_files_are_written_and_read_back(tmp_path) -> None:
    config, schedule = _week("hybrid")
    paths = write_timetables(config.school, schedule, tmp_path / "out")
    assert [p.name for p in paths] == list(FILES)
    back = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    assert len(back) == len(schedule.sessions)
    assert len(pd.read_csv(paths[1])) == len(class_week(config.school, schedule))


def test_the_command_line_writes_the_timetables(tmp_path, capsys) -> None:
    out = tmp_path / "tt"
    assert main(["timetable", str(SMALL), "--policy", "push_in", "--seed", "2",
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    config, schedule = _week("push_in", seed=2)
    assert len(pd.read_csv(out / "therapists.csv")) == len(schedule.sessions)
    printed = capsys.readouterr().out
    assert str(out) in printed and "Push-in (alongside the lesson)" in " ".join(printed.split())
    assert not terminal_problems(printed)


def test_the_command_line_reads_a_folder_of_school_files(tiny_school, tmp_path) -> None:
    out = tmp_path / "tt"
    assert main(["timetable", str(tiny_school), "--out", str(out)]) == 0
    table = pd.read_csv(out / "therapists.csv")
    assert set(table["therapist"]) <= {"R1", "R2"} and len(table) > 0


@pytest.mark.parametrize(("argv", "located"), [
    (["--policy", "hybird"], "command line: --policy"),
    (["--seed", "1"], "nope.toml"),
])
def test_the_command_line_refuses_mistakes_with_a_located_message(argv, located, tmp_path,
                                                                  capsys) -> None:
    scenario = str(tmp_path / "nope.toml") if located == "nope.toml" else str(SMALL)
    out = tmp_path / "tt"
    assert main(["timetable", scenario, *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert located in err and "Traceback" not in err
    assert not out.exists()
