"""One broken school per kind of mistake; each message must point at the exact line and column.

Every case starts from the valid `tiny_school` folder and changes it as a user might. The
expected problems are the complete list, so a mistake must not cascade into spurious ones.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from inclusion_sim.base.errors import InputError
from inclusion_sim.school.csv_loader import load_school_folder

STUDENTS_HEADER = (
    "student_id,class_id,grade,speech_sessions,speech_minutes,speech_max_group,"
    "ot_sessions,ot_minutes,ot_max_group"
)

Edit = tuple[str, int, str]


def write_bytes(file_name: str, data: bytes) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / file_name).write_bytes(data)

    return change


def convert(file_name: str, transform: Callable[[str], bytes]) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / file_name
        path.write_bytes(transform(path.read_text(encoding="utf-8")))

    return change


def delete(file_name: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        (folder / file_name).unlink()

    return change


CASES: list = [
    pytest.param(
        [("students.csv", 1, STUDENTS_HEADER + ",setss_sesions")],
        [("students.csv", "line 1, column 'setss_sesions'", "did you mean 'setss_sessions'?")],
        id="unknown-column",
    ),
    pytest.param(
        [("students.csv", 1, STUDENTS_HEADER.replace("student_id", "studnet_id"))],
        [("students.csv", "line 1, column 'studnet_id'",
          "expected the column 'student_id' (required), found 'studnet_id', which is not a "
          "known column (did you mean 'student_id'? rename the column)")],
        id="misspelt-required-column-is-one-problem",
    ),
    pytest.param(
        [("students.csv", 1, STUDENTS_HEADER.replace("speech_minutes", "speech_minuts"))],
        [("students.csv", "line 1, column 'speech_minuts'",
          "expected the column 'speech_minutes' (each service needs sessions, minutes and "
          "max_group), found 'speech_minuts'")],
        id="misspelt-service-column-is-one-problem",
    ),
    pytest.param(
        [("timetable.csv", 1, "class_id,day,period,mintues,subject")],
        [("timetable.csv", "line 1, column 'mintues'",
          "expected the column 'minutes', found 'mintues', which is not a known column")],
        id="misspelt-minutes-column-is-one-problem",
    ),
    pytest.param(
        [("students.csv", 1, STUDENTS_HEADER + ",ot_max_grp")],
        [("students.csv", "line 1, column 'ot_max_grp'",
          "found an unknown column (did you mean 'ot_max_group'?)")],
        id="extra-column-near-one-that-is-there-is-unknown",
    ),
    pytest.param(
        [("students.csv", 1, STUDENTS_HEADER.replace("grade,", ""))],
        [("students.csv", "line 1", "expected a column 'grade', found no such column")],
        id="missing-required-column",
    ),
    pytest.param(
        [("students.csv", 1, STUDENTS_HEADER.replace(",ot_max_group", ""))],
        [("students.csv", "line 1", "a column 'ot_max_group'")],
        id="service-without-all-three-columns",
    ),
    pytest.param(
        [("students.csv", 2, "S1,1A,1,two,30,3,,,"), ("students.csv", 6, "S5,1B,K,,,,2,30.5,2")],
        [
            ("students.csv", "line 2, column 'speech_sessions'", "found 'two'"),
            ("students.csv", "line 6, column 'ot_minutes'", "found '30.5'"),
        ],
        id="bad-numbers-all-listed",
    ),
    pytest.param(
        [("students.csv", 4, "S3,1A,1,1,30,3,-1,30,1")],
        [("students.csv", "line 4, column 'ot_sessions'", "from 1 to 50, found '-1'")],
        id="negative-number",
    ),
    pytest.param(
        [("students.csv", 2, "S1,1A,1,2,30,1000000,,,")],
        [("students.csv", "line 2, column 'speech_max_group'", "found '1000000'")],
        id="huge-number",
    ),
    pytest.param(
        [("students.csv", 2, "S1,1A,1,2,,3,,,")],
        [("students.csv", "line 2, column 'speech_minutes'", "leave all three blank")],
        id="partly-filled-mandate",
    ),
    pytest.param(
        [("students.csv", 5, "S4,1B,UG,,,,,,")],
        [("students.csv", "line 5, column 'grade'",
          "expected a grade: PK (pre-kindergarten), K (kindergarten) or 1 to 12")],
        id="bad-grade",
    ),
    pytest.param(
        [("staff.csv", 5, "R2,therapist,,audiology,300,Wed,agency")],
        [("staff.csv", "line 5, column 'discipline'", "found 'audiology'")],
        id="unknown-service",
    ),
    pytest.param(
        [("timetable.csv", 18, "1B,Mon,2,45,Recorder")],
        [("timetable.csv", "line 18, column 'subject'", "found 'Recorder'")],
        id="unknown-subject",
    ),
    pytest.param(
        [("timetable.csv", 18, "1B,Mon,2,45,sceince")],
        [("timetable.csv", "line 18, column 'subject'", "did you mean 'science'?")],
        id="misspelt-subject",
    ),
    pytest.param(
        [("students.csv", 5, "S4,1-B,K,,,,,,")],
        [("students.csv", "line 5, column 'class_id'", "found '1-B' (did you mean '1B'?)")],
        id="unknown-class",
    ),
    pytest.param(
        [("students.csv", 5, "S4,1b,K,,,,,,")],
        [("students.csv", "line 5, column 'class_id'",
          "found '1b' (did you mean '1B'? letter case matters)")],
        id="class-id-differs-only-in-case",
    ),
    pytest.param(
        [("students.csv", 4, STUDENTS_HEADER + "\nS3,1A,1,1,30,3,1,30,1")],
        [("students.csv", "line 4",
          "expected a row of values, found the header row again (as on line 1)")],
        id="header-row-repeated",
    ),
    pytest.param(
        [("students.csv", 3, "S1,1A,1,,,,1,30,1")],
        [("students.csv", "line 3, column 'student_id'",
          "expected one row per student, with all of the student's services on that row, "
          "found 'S1' again (first on line 2) (this row has ot and line 2 has speech: put all "
          "of the student's services on line 2 and delete this one)")],
        id="one-row-per-service",
    ),
    pytest.param(
        [("staff.csv", 5, "R2,therapist,,OT,300,Mon,Wed")],
        [("staff.csv", "line 5, column 'employment'",
          "found 'Wed' (days in this column: days_on_site separated by commas must be inside "
          "double quotes")],
        id="unquoted-comma-between-days",
    ),
    pytest.param(
        [("students.csv", 2, "S1,1A,1,20,45,3,,,")],
        [(
            "students.csv", "line 2, column 'speech_sessions'",
            "expected a mandate within the school week of 600 minutes, "
            "found 20 sessions x 45 minutes = 900 minutes",
        )],
        id="mandate-longer-than-the-week",
    ),
    pytest.param(
        [("students.csv", 2, "S1,1A,1,2,60,3,,,")],
        [("students.csv", "line 2, column 'speech_minutes'",
          "expected minutes a session from 1 to 45 (a session fits in one period; the longest "
          "period in timetable.csv is 45 minutes), found 60 minutes")],
        id="session-longer-than-longest-period",
    ),
    pytest.param(
        [("students.csv", 2, "S1,1A,1,2,700,3,,,")],
        [("students.csv", "line 2, column 'speech_minutes'",
          "expected minutes a session from 1 to 45 (a session fits in one period; the longest "
          "period in timetable.csv is 45 minutes), found 700 minutes")],
        id="session-far-longer-than-longest-period",
    ),
    pytest.param(
        [("students.csv", 2, "S1,1A,1,2,700,3,,,"), ("timetable.csv", 18, "1B,Mon,2,50,writing")],
        [
            ("students.csv", "line 2, column 'speech_minutes'",
             "expected minutes a session from 1 up to the longest period in timetable.csv (a "
             "session fits in one period), found 700 minutes"),
            ("timetable.csv", "line 18, column 'minutes'", "found 50 minutes"),
        ],
        id="session-too-long-while-the-timetable-has-problems",
    ),
    pytest.param(
        [("students.csv", 3, "S1,1A,1,,,,,,")],
        [("students.csv", "line 3, column 'student_id'", "found 'S1' again (first on line 2)")],
        id="duplicate-student-id",
    ),
    pytest.param(
        [("staff.csv", 5, "R1,therapist,,OT,300,Wed,agency")],
        [("staff.csv", "line 5, column 'staff_id'", "found 'R1' again (first on line 4)")],
        id="duplicate-staff-id",
    ),
    pytest.param(
        [("staff.csv", 3, "R3,therapist,,pt,120,Fri,agency")],
        [("timetable.csv", "line 17, column 'class_id'", "a teacher for class 1B")],
        id="teacher-missing-for-a-class",
    ),
    pytest.param(
        [("staff.csv", 3, "T2,teacher,1A,,,,")],
        [
            ("staff.csv", "line 3, column 'class_id'", "second teacher for class 1A"),
            ("timetable.csv", "line 17, column 'class_id'", "a teacher for class 1B"),
        ],
        id="two-teachers-for-a-class",
    ),
    pytest.param(
        [("staff.csv", 5, "R2,therapist,,OT,300,Wed,agency\nT3,teacher,2A,,,,")],
        [("staff.csv", "line 6, column 'class_id'", "a class with rows in timetable.csv")],
        id="teacher-of-a-class-without-timetable",
    ),
    pytest.param(
        [("students.csv", n, f"S{n - 1},1A,K,,,,,,") for n in (5, 6, 7)],
        [("staff.csv", "line 3, column 'class_id'", "with no students")],
        id="class-without-students",
    ),
    pytest.param(
        [("staff.csv", 4, "R1,therapist,,speech,600,Mon;Sat,school")],
        [("staff.csv", "line 4, column 'days_on_site'",
          "found 'Mon;Sat' ('Sat': the model's school week is Mon to Fri)")],
        id="bad-day-on-site",
    ),
    pytest.param(
        [("staff.csv", 5, "R2,therapist,,OT,600,Wed,agency")],
        [("staff.csv", "line 5, column 'minutes_per_week'", "from 1 to 480, found '600'")],
        id="therapist-minutes-beyond-days-on-site",
    ),
    pytest.param(
        [("staff.csv", 5, "R2,therapist,,OT,300,Wed,freelance")],
        [("staff.csv", "line 5, column 'employment'", "expected one of school, agency")],
        id="bad-employment",
    ),
    pytest.param(
        [("timetable.csv", 18, "1B,Mon,2,50,writing")],
        [(
            "timetable.csv", "line 18, column 'minutes'",
            "expected 45 minutes, as for class 1A on line 3 (all classes share one bell "
            "schedule), found 50 minutes",
        )],
        id="period-length-differs-between-classes",
    ),
    pytest.param(
        [("timetable.csv", 19, "1B,Mon,2,45,recess")],
        [("timetable.csv", "line 19, column 'period'", "(first on line 18)")],
        id="duplicate-period",
    ),
    pytest.param(
        [("timetable.csv", 31, "")],
        [("timetable.csv", "line 17, column 'class_id'", "found no row for Fri period 3")],
        id="missing-period",
    ),
    pytest.param(
        [("timetable.csv", 2, "1A,Sat,1,45,Reading")],
        [("timetable.csv", "line 2, column 'day'", "found 'Sat'")],
        id="bad-day",
    ),
    pytest.param(
        [
            ("students.csv", 1, STUDENTS_HEADER + ",dob"),
            ("students.csv", 2, "S1,1A,1,2,30,3,,,,2017-03-02"),
        ],
        [("students.csv", "line 1, column 'dob'", "--allow-identifying-columns")],
        id="date-of-birth-column",
    ),
    pytest.param(
        convert("students.csv", lambda text: "\n".join(
            ("Student Name," if n == 0 else "x,") + line
            for n, line in enumerate(text.splitlines())
        ).encode()),
        [("students.csv", "line 1, column 'Student Name'", "looks like a name")],
        id="name-column",
    ),
    pytest.param(
        [("students.csv", 3, 'S2,"1A"x,1,,,,,,')],
        [("students.csv", "line 3", "expected well-formed CSV")],
        id="broken-quotes",
    ),
    pytest.param(
        [("students.csv", 3, "S2,1A,1,,,,,,,extra")],
        [("students.csv", "line 3, column 10", "at most 9 values")],
        id="too-many-values",
    ),
    pytest.param(
        write_bytes("staff.csv", b""),
        [("staff.csv", "line 1", "found an empty file")],
        id="empty-file",
    ),
    pytest.param(
        write_bytes("staff.csv", b" \n\n"),
        [("staff.csv", "line 1", "found an empty file")],
        id="blank-file",
    ),
    pytest.param(
        convert("timetable.csv", lambda text: text.replace(",", ";").encode()),
        [("timetable.csv", "line 1", "expected comma-separated values, found ';'")],
        id="semicolon-delimiter",
    ),
    pytest.param(
        convert("timetable.csv", lambda text: text.replace(",", "\t").encode()),
        [("timetable.csv", "line 1", "expected comma-separated values, found tabs")],
        id="tab-delimiter",
    ),
    pytest.param(
        convert("students.csv", lambda text: text.replace("S2,", "S\u00e92,").encode("cp1252")),
        [("students.csv", f"line 3 (byte {len(STUDENTS_HEADER) + 20})", "found byte 0xE9")],
        id="not-utf8",
    ),
    pytest.param(
        convert("timetable.csv", lambda text: text.encode("utf-16")),
        [("timetable.csv", "line 1", "expected UTF-8 text, found UTF-16 text")],
        id="utf16",
    ),
    pytest.param(
        write_bytes("staff.csv", b"PK\x03\x04\x14\x00\x06\x00"),
        [("staff.csv", "line 1", "an Excel workbook")],
        id="excel-workbook",
    ),
    pytest.param(
        delete("timetable.csv"),
        [("timetable.csv", "file", "found no such file")],
        id="missing-file",
    ),
]


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_broken_school_reports_exact_locations(
    tiny_school: Path, edit, change, expected
) -> None:
    if callable(change):
        change(tiny_school)
    else:
        for file_name, line, text in change:
            edit(tiny_school, file_name, line, text)
    with pytest.raises(InputError) as caught:
        load_school_folder(tiny_school)
    found = [(Path(p.source).name, p.where, str(p)) for p in caught.value.problems]
    assert len(found) == len(expected), "\n".join(map(str, found))
    for (file_name, where, fragment), (got_file, got_where, text) in zip(
        expected, found, strict=True
    ):
        assert (got_file, got_where) == (file_name, where), text
        assert fragment in text


def test_problem_names_the_file_as_given(tiny_school: Path, edit) -> None:
    edit(tiny_school, "students.csv", 5, "S4,1B,UG,,,,,,")
    with pytest.raises(InputError) as caught:
        load_school_folder(tiny_school)
    assert caught.value.problems[0].source == str(tiny_school / "students.csv")


def test_many_mistakes_in_three_files_are_listed_together(tiny_school: Path, edit) -> None:
    edit(tiny_school, "students.csv", 2, "S1,1A,1,two,30,3,,,")
    edit(tiny_school, "students.csv", 7, "S6,1B,UG,,,,,,")
    edit(tiny_school, "staff.csv", 5, "R2,therapist,,audiology,300,Wed,agency")
    edit(tiny_school, "timetable.csv", 18, "1B,Mon,2,45,Recorder")
    with pytest.raises(InputError) as caught:
        load_school_folder(tiny_school)
    message = str(caught.value)
    assert message.startswith("4 problems:")
    assert [p.where for p in caught.value.problems] == [
        "line 2, column 'speech_sessions'",
        "line 7, column 'grade'",
        "line 5, column 'discipline'",
        "line 18, column 'subject'",
    ]
    assert "Traceback" not in message


def test_identifying_column_is_ignored_when_allowed(tiny_school: Path, edit) -> None:
    edit(tiny_school, "students.csv", 1, STUDENTS_HEADER + ",first_name,birth_date")
    edit(tiny_school, "students.csv", 2, "S1,1A,1,2,30,3,,,,Ada,2017-03-02")
    school = load_school_folder(tiny_school, allow_identifying_columns=True)
    assert [s.id for s in school.students][:1] == ["S1"]
    with pytest.raises(InputError) as caught:
        load_school_folder(tiny_school)
    assert [p.where for p in caught.value.problems] == [
        "line 1, column 'first_name'",
        "line 1, column 'birth_date'",
    ]


def test_timetable_with_start_and_end_times(tiny_school: Path, edit) -> None:
    path = tiny_school / "timetable.csv"
    starts = {"1": ("8:30", "9:15"), "2": ("9:15", "10:00"), "3": ("12:00 PM", "12:30 PM")}
    lines = ["class_id,day,period,start,end,subject"]
    for line in path.read_text().splitlines()[1:]:
        class_id, day, period, _, subject = line.split(",")
        start, end = starts[period]
        lines.append(f"{class_id},{day},{period},{start},{end},{subject}")
    path.write_text("\n".join(lines) + "\n")
    school = load_school_folder(tiny_school)
    assert school.timetable.period_minutes.tolist() == [[45, 45, 30]] * 5
    edit(tiny_school, "timetable.csv", 4, "1A,Mon,3,12:00 PM,11:30,Lunch")
    with pytest.raises(InputError) as caught:
        load_school_folder(tiny_school)
    assert [p.where for p in caught.value.problems] == ["line 4, column 'end'"]


def test_validate_reads_a_folder_of_school_files(tiny_school: Path, edit, capsys) -> None:
    from inclusion_sim.faces.cli import main

    assert main(["validate", str(tiny_school)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"{tiny_school}: OK") and "the school's files" in said
    edit(tiny_school, "students.csv", 2, "S1,1A,1,2,thirty,3,,,")
    assert main(["validate", str(tiny_school)]) == 2
    err = capsys.readouterr().err
    assert "students.csv: line 2" in err and "Traceback" not in err
