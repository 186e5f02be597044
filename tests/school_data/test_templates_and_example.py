"""The blank templates, the example school and the formats a spreadsheet may export."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from inclusion_sim.base.errors import InputError
from inclusion_sim.school import csv_loader
from inclusion_sim.school.csv_loader import load_school_folder
from inclusion_sim.school.world import SERVICES, School

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SCHOOL = ROOT / "scenarios" / "schools" / "example_300"
TEMPLATES = ROOT / "scenarios" / "templates"


def as_plain(school: School) -> tuple:
    return (school.name, school.classes, school.teachers, school.therapists, school.students,
            school.timetable.period_minutes.tolist(), school.timetable.subjects)


def header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[0].split(",")


def test_template_headers_are_the_documented_columns() -> None:
    assert header(TEMPLATES / "students.csv") == list(csv_loader.STUDENT_COLUMNS)
    assert header(TEMPLATES / "staff.csv") == list(csv_loader.STAFF_COLUMNS)
    assert header(TEMPLATES / "timetable.csv") == ["class_id", "day", "period", "minutes",
                                                    "subject"]


def test_blank_templates_say_only_that_rows_are_missing() -> None:
    with pytest.raises(InputError) as caught:
        load_school_folder(TEMPLATES)
    assert [(Path(p.source).name, p.where, p.found) for p in caught.value.problems] == [
        ("students.csv", "line 2", "no rows"),
        ("staff.csv", "line 2", "no rows"),
        ("timetable.csv", "line 2", "no rows"),
    ]


def test_every_documented_column_is_in_the_guide() -> None:
    guide = (ROOT / "docs" / "school-data.md").read_text(encoding="utf-8")
    columns = (csv_loader.STUDENT_COLUMNS + csv_loader.STAFF_COLUMNS
               + csv_loader.TIMETABLE_COLUMNS)
    documented = {c for c in columns if f"`{c}`" in guide}
    mandate_columns = {f"{s}_{f}" for s in SERVICES for f in csv_loader.MANDATE_FIELDS}
    assert set(columns) - mandate_columns <= documented
    assert "`<service>_sessions`" in guide


def test_example_school_is_a_realistic_elementary_school() -> None:
    school = load_school_folder(EXAMPLE_SCHOOL)
    assert school.name == "Example 300"  # the folder's name, readable
    assert school.from_files
    assert len(school.students) == 300
    assert len(school.classes) == 14
    assert sorted({c.grade for c in school.classes}) == [0, 1, 2, 3, 4, 5]
    assert sum(s.has_iep for s in school.students) == 45
    assert {t.employment for t in school.therapists} == {"school", "agency"}
    assert any(len(t.days_on_site) < 5 for t in school.therapists)
    assert {t.discipline for t in school.therapists} == set(SERVICES)
    services = Counter(m.service for s in school.students for m in s.mandates)
    assert services.most_common(1)[0][0] == "speech"
    longest = int(school.timetable.period_minutes.max())
    assert all(m.minutes_per_session <= longest for s in school.students for m in s.mandates)
    assert school.timetable.period_minutes.shape == (5, 7)
    assert {subject for days in school.timetable.subjects.values() for day in days
            for subject in day} == {"ela", "writing", "math", "science", "social_studies",
                                    "specials", "lunch_recess"}


def test_example_generator_is_deterministic(tmp_path: Path, monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_example", ROOT / "scenarios" / "schools" / "make_example.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    module.main()
    for name in csv_loader.SCHOOL_FILES:
        assert (tmp_path / name).read_bytes() == (EXAMPLE_SCHOOL / name).read_bytes(), name


def test_spreadsheet_export_variants_load_the_same_school(tiny_school: Path) -> None:
    expected = load_school_folder(tiny_school, name="tiny_school")
    for name in csv_loader.SCHOOL_FILES:
        path = tiny_school / name
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[0] = ",".join(f" {c.replace('_', ' ').title()} " for c in lines[0].split(","))
        lines.insert(2, ",,,")
        path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    assert as_plain(load_school_folder(tiny_school, name="tiny_school")) == as_plain(expected)


def test_friendly_names_are_accepted(tiny_school: Path, edit) -> None:
    edit(tiny_school, "staff.csv", 4, "R1,Provider,,SLP,600,monday/Tuesday/thurs,District")
    edit(tiny_school, "staff.csv", 5, "R2,therapist,,Occupational Therapy,300,,contractor")
    edit(tiny_school, "timetable.csv", 18, "1B,Monday,2,45.0,Social Studies")
    edit(tiny_school, "students.csv", 5, "S4,1B,Grade K,,,,,,")
    school = load_school_folder(tiny_school)
    r1, r2 = school.therapists
    assert (r1.discipline, r1.days_on_site, r1.employment) == ("speech", (0, 1, 3), "school")
    assert (r2.discipline, r2.days_on_site, r2.employment) == ("ot", (0, 1, 2, 3, 4), "agency")
    assert school.timetable.subjects["1B"][0][1] == "social_studies"
    assert school.students[3].grade == 0
