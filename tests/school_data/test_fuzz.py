"""Whatever bytes a file holds, loading gives a school or an `InputError`, never a crash."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_sim.base.errors import InputError
from inclusion_sim.school.csv_loader import SCHOOL_FILES, load_school_folder

TINY_SCHOOL = Path(__file__).resolve().parent / "tiny_school"
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

INTERESTING_CELLS = [
    "", " ", "0", "1", "30", "45", "-1", "30.0", "30.5", "1e9", "9" * 30, "nan", "inf",
    "K", "PK", "12", "13", "Mon", "Mon;Sat", "all", "teacher", "therapist", "speech", "OT",
    "agency", "1A", "1B", "1C", "Reading", "Lunch/Recess", "8:30", "12:30 PM", "25:00",
    '"', '""', "a,b", "x\ny", "\u00e9", "\x00", "\ufeff", "name", "dob", "student_id",
    # Grades as student information systems export them, and days as schedulers write them.
    "01", "00", "001", "KF", "KG", "0K", "Pre-K", "TK", "K4", "-1", "UG", "K-5", "3rd",
    "Grade 3", "3.0", "Mon-Thu", "M-F", "MWF", "MTWThF", "T/Th", "TR", "T", "M-T", "Thu-Mon",
    "Mon AM", "Monday and Wednesday", "Mon, Wed and Fri", "Thrusday", "1;3;5", "Mon\u2013Thu",
    "student_id,class_id,grade",
]


@pytest.fixture(scope="module")
def school_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "school"
        shutil.copytree(TINY_SCHOOL, target)
        yield target


def load_with(folder: Path, file_name: str, data: bytes) -> None:
    original = (TINY_SCHOOL / file_name).read_bytes()
    (folder / file_name).write_bytes(data)
    try:
        load_school_folder(folder)
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            assert Path(problem.source).name == file_name or problem.source.endswith(".csv")
            assert problem.where.startswith(("line ", "file"))
    finally:
        (folder / file_name).write_bytes(original)


@pytest.mark.parametrize("file_name", SCHOOL_FILES)
@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(school_folder: Path, file_name: str, data: bytes) -> None:
    load_with(school_folder, file_name, data)


def mutated(original: str) -> st.SearchStrategy[bytes]:
    """Valid file text with a few cells replaced by awkward values."""
    lines = original.splitlines()
    edits = st.lists(
        st.tuples(
            st.integers(0, len(lines) - 1),
            st.integers(0, 20),
            st.one_of(st.sampled_from(INTERESTING_CELLS), st.text(max_size=6)),
        ),
        min_size=1,
        max_size=6,
    )

    def apply(changes: list[tuple[int, int, str]]) -> bytes:
        rows = [line.split(",") for line in lines]
        for line, column, value in changes:
            row = rows[line]
            index = column % (len(row) + 1)
            if index == len(row):
                row.append(value)
            else:
                row[index] = value
        return ("\n".join(",".join(row) for row in rows) + "\n").encode("utf-8", "replace")

    return edits.map(apply)


@pytest.mark.parametrize("file_name", SCHOOL_FILES)
@FUZZ
@given(data=st.data())
def test_awkward_cells_in_valid_files_never_crash(
    school_folder: Path, file_name: str, data: st.DataObject
) -> None:
    original = (TINY_SCHOOL / file_name).read_text(encoding="utf-8")
    load_with(school_folder, file_name, data.draw(mutated(original)))
