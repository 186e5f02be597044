"""The administrator's path through the dashboard, in a real Chromium.

One page session walks the whole path (school, comparison, outcome card, classroom, student,
bad upload, export), as a principal would, saving a screenshot of each page to
``test-artifacts/``. A second browser context checks that sessions do not share data.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "schools" / "example_300"
TALL = {"width": 1366, "height": 1400}


#: Identifiers that must never reach a reader: policy, metric and service keys.
INTERNAL_NAMES = ("pull_out", "push_in", "iep_core_hours_missed", "iep_other_hours_missed",
                  "iep_generalization", "cost_per_delivered_hour", "your_plan", "core_minutes",
                  "other_minutes", "speech", "setss")


def assert_plain(page) -> None:
    """No internal name is visible on the page (drop-downs, cards, tables, chart buttons)."""
    text = page.locator("body").inner_text()
    found = [name for name in INTERNAL_NAMES if name in text]
    assert not found, f"internal names on the page: {found}"


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def shot(page, artifacts: Path, name: str) -> None:
    page.wait_for_timeout(700)  # let charts and cards settle before the picture
    page.screenshot(path=artifacts / f"dashboard-{name}.png", full_page=True)


@pytest.fixture
def app_page(dashboard, offline_page):
    page = offline_page
    page.set_viewport_size(TALL)
    page.goto(dashboard.url)
    page.get_by_text("students with IEPs").first.wait_for(timeout=60_000)
    return page


def test_administrator_path(app_page, dashboard, artifacts, tmp_path):
    page = app_page
    # School: a ready school is loaded with its summary.
    page.get_by_text("Therapist time a real timetable needs").wait_for()
    assert page.get_by_text("students with IEPs").first.is_visible()
    shot(page, artifacts, "1-school")
    # What would it take: the optimizer's week, its bound and the extra hours, per policy.
    page.get_by_role("button", name="Check these policies").click()
    page.get_by_role("columnheader", name="Most any timetable could").wait_for(timeout=240_000)
    check = page.locator("table", has_text="Most any timetable could")
    rows = check.locator("tr").all_inner_texts()
    assert rows[1].startswith("Pull-out") and "none" in rows[1], rows
    assert rows[2].startswith("Push-in (co-taught)") and "%" in rows[2], rows
    assert re.search(r"(Speech|OT|PT|SETSS|Counseling) \d", rows[2]), rows  # extra hours
    shot(page, artifacts, "1b-school-staffing-check")
    assert_plain(page)

    # Policy: the plan and the key numbers with their sources.
    open_tab(page, "Policy")
    page.get_by_text("Delivery model per service").wait_for()
    page.get_by_text("Source:").first.wait_for()
    page.get_by_text("Walk to and from the therapy room: 5 minutes each way").wait_for()
    shot(page, artifacts, "2-policy")
    assert_plain(page)
    # drawing the sliders must not move any parameter off its default
    assert page.get_by_role("button", name="Reset to defaults").count() == 0

    # Compare: run, wait for the cards, read one.
    open_tab(page, "Compare")
    page.get_by_role("button", name="Run comparison").click()
    sentence = page.locator(".outcome-sentence").first
    sentence.wait_for(timeout=180_000)
    text = sentence.inner_text()
    assert "core instruction" in text and "than with Pull-out" in text, text
    # the split outcomes have their own cards, next to their counterparts
    for title in ("Non-core lessons missed per student with an IEP",
                  "Generalization: mastered IEP skills used in class",
                  "Staff cost per delivered student-hour of service"):
        assert page.get_by_text(title).first.is_visible(), title
    assert "95% interval" in page.locator(".is-ci").first.inner_text()
    assert page.get_by_text("Push-in (co-taught) compared with Pull-out").is_visible()
    shot(page, artifacts, "3-compare")
    assert_plain(page)
    page.get_by_role("tab", name="Across students").click()
    page.get_by_text("how the students with IEPs are spread").wait_for()
    shot(page, artifacts, "3b-compare-students")
    page.get_by_role("tab", name="Therapist time and unmet mandates").click()
    page.get_by_text(re.compile("could (not )?be scheduled")).first.wait_for()
    shot(page, artifacts, "3c-compare-therapists")
    page.get_by_role("tab", name="All outcomes").click()
    page.get_by_text("Average over the runs").wait_for()
    shot(page, artifacts, "3d-compare-all")
    assert_plain(page)

    # Export: the tables, the report and a figure download.
    with page.expect_download() as dl:
        page.get_by_role("button", name="Tables (CSV, zipped)").click()
    tables = tmp_path / "tables.zip"
    dl.value.save_as(tables)
    with zipfile.ZipFile(tables) as zf:
        assert "outcomes_by_run.csv" in zf.namelist()
        assert zf.read("outcomes_by_run.csv").decode().startswith("policy,")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Short report (HTML)").click()
    report = tmp_path / "report.html"
    dl.value.save_as(report)
    assert "comparing delivery models" in report.read_text()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Main chart (PNG)").click()
    png = tmp_path / "chart.png"
    dl.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # Classroom: one period drawn as a room, opening where something happens; step through it.
    open_tab(page, "Classroom")
    room = page.locator(".classroom-period .is-rooms")
    room.wait_for()
    assert "Therapy room" in room.inner_html()
    assert ">out<" in room.inner_html()  # pull-out: someone of this class is out of the room
    assert page.get_by_text("The week at a glance").is_visible()
    shot(page, artifacts, "4-classroom")
    assert_plain(page)
    when = page.locator(".classroom-when").inner_text()
    page.get_by_role("button", name="Next period").click()
    page.wait_for_function("w => document.querySelector('.classroom-when').innerText != w", arg=when)
    page.get_by_role("button", name="Wed", exact=True).click()
    page.locator(".classroom-when", has_text="Wed, ").wait_for()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Timetables of every therapist and class").click()
    timetables = tmp_path / "timetables.zip"
    dl.value.save_as(timetables)
    with zipfile.ZipFile(timetables) as zf:
        assert sorted(zf.namelist()) == ["classes.csv", "data_dictionary.csv", "therapists.csv",
                                         "timetables.html"]
        assert zf.read("therapists.csv").decode().startswith("therapist,discipline,day,")
        assert zf.read("timetables.html").decode().count('<section class="page class"') > 0

    # Student: the week and the year.
    open_tab(page, "Student")
    page.get_by_text("The week", exact=True).wait_for()
    page.get_by_text("sessions this week").wait_for()
    page.locator(".student-week").wait_for()
    shot(page, artifacts, "5-student")
    assert_plain(page)

    # About the model.
    open_tab(page, "About the model")
    page.get_by_text("are estimates").first.wait_for()
    shot(page, artifacts, "6-about")

    # Bad upload: a message naming the file and line; the previous school stays.
    open_tab(page, "School")
    bad = tmp_path / "students.csv"
    bad.write_text("student_id,klass,grade\nS1,KA,K\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files([bad, EXAMPLE / "staff.csv", EXAMPLE / "timetable.csv"])
    error = page.get_by_text("The files were not loaded")
    error.wait_for(timeout=30_000)
    assert page.get_by_text("students.csv").first.is_visible()
    assert page.get_by_text("line 1").first.is_visible()
    assert page.get_by_text("is still loaded").first.is_visible()
    assert page.get_by_text("students with IEPs").first.is_visible()
    shot(page, artifacts, "7-bad-upload")
    assert dashboard.alive()
    assert page.outside_requests == []


def test_not_a_csv_and_good_upload(app_page, dashboard, artifacts, tmp_path):
    page = app_page
    picture = tmp_path / "students.csv"
    picture.write_bytes(b"PK\x03\x04 this is really a spreadsheet workbook")
    page.locator("input[type=file]").set_input_files(
        [picture, EXAMPLE / "staff.csv", EXAMPLE / "timetable.csv"]
    )
    page.get_by_text("a zipped file").wait_for(timeout=30_000)
    page.locator("input[type=file]").set_input_files(
        [EXAMPLE / "students.csv", EXAMPLE / "staff.csv", EXAMPLE / "timetable.csv"]
    )
    page.get_by_text("Your school (uploaded)").first.wait_for(timeout=30_000)
    page.locator(".is-number", has_text="300").first.wait_for(timeout=10_000)  # 300 students
    assert dashboard.alive()


def test_huge_upload(app_page, dashboard, artifacts, tmp_path):
    """A file over the size limit is refused by name, before it is read; the school stays."""
    huge = tmp_path / "students.csv"
    row = "S00001,GK-A,K,speech,2,30\n"
    huge.write_text("student_id,class_id,grade,service,sessions_per_week,minutes_per_session\n"
                    + row * (6 * 1024 * 1024 // len(row) + 1), encoding="utf-8")
    page = app_page
    page.locator("input[type=file]").set_input_files(
        [huge, EXAMPLE / "staff.csv", EXAMPLE / "timetable.csv"]
    )
    page.get_by_text("The files were not loaded").wait_for(timeout=60_000)
    problems = page.locator(".is-problems").inner_text()
    assert "students.csv" in problems and "at most 5 MB" in problems, problems
    assert page.get_by_text("is still loaded").first.is_visible()
    assert page.get_by_text("students with IEPs").first.is_visible()
    shot(page, artifacts, "8-huge-upload")
    assert dashboard.alive()


def test_sessions_are_separate(dashboard, browser, browser_context_args, tmp_path):
    """An upload in one browser session is invisible in another."""
    first = browser.new_context(**browser_context_args).new_page()
    second = browser.new_context(**browser_context_args).new_page()
    try:
        for page in (first, second):
            page.goto(dashboard.url)
            page.get_by_text("students with IEPs").first.wait_for(timeout=60_000)
        first.locator("input[type=file]").set_input_files(
            [EXAMPLE / "students.csv", EXAMPLE / "staff.csv", EXAMPLE / "timetable.csv"]
        )
        first.get_by_text("Your school (uploaded)").first.wait_for(timeout=30_000)
        second.reload()
        second.get_by_text("students with IEPs").first.wait_for(timeout=60_000)
        assert second.get_by_text("Your school (uploaded)").count() == 0
    finally:
        first.context.close()
        second.context.close()
