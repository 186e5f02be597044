"""Turn files uploaded in the browser into a `School`, safely.

Uploads come from people who are not programmers, so every failure must become a message that
names the file and the line, and none may take the server down. The rules, and why:

* Each file is capped at `MAX_FILE_BYTES` (and the three together at `MAX_TOTAL_BYTES`), checked
  against the size the browser announces *before* reading and again while reading, so a huge
  file is refused without being held in memory.
* Files are written only inside a fresh `tempfile.TemporaryDirectory`, under fixed names
  (``students.csv`` ...), never under the name the browser sent, so a crafted name cannot
  write elsewhere. The folder is deleted as soon as the loader returns.
* Parsing is the library's job (`inclusion_sim.school.csv_loader.load_school_folder`); this
  module only maps uploaded names to the three expected files and rewrites the temporary
  paths in the loader's messages back to the names the user knows.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from inclusion_sim.base.errors import InputError, Problem
from inclusion_sim.school.csv_loader import SCHOOL_FILES, load_school_folder
from inclusion_sim.school.world import School

#: Largest accepted file. A 5,000-student school's students.csv is about 0.4 MB.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 12 * 1024 * 1024

#: Words in an uploaded file's name that say which of the three files it is.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "students.csv": ("student", "roster", "caseload", "iep"),
    "staff.csv": ("staff", "therapist", "teacher", "provider"),
    "timetable.csv": ("timetable", "schedule", "bell", "period"),
}


@dataclass
class Upload:
    """One file as the browser sent it: its name, announced size, and a way to read it."""

    name: str
    size: int
    file_obj: BinaryIO | None = None
    data: bytes | None = None

    def read(self, limit: int) -> bytes:
        """Read at most ``limit + 1`` bytes, so a too-large file is detected but not held."""
        if self.data is not None:
            return self.data[: limit + 1]
        assert self.file_obj is not None
        return self.file_obj.read(limit + 1)


def display_name(name: str) -> str:
    """The last component of a browser-supplied name, printable, for messages only."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = "".join(c if c.isprintable() else "?" for c in base)[:80]
    return cleaned or "(unnamed file)"


def target_for(name: str) -> str | None:
    """Which of the three school files an uploaded name is, or None if it cannot tell."""
    lowered = display_name(name).lower()
    if lowered in SCHOOL_FILES:
        return lowered
    matches = [file for file, words in _KEYWORDS.items() if any(w in lowered for w in words)]
    return matches[0] if len(matches) == 1 else None


def _problem(source: str, where: str, expected: str, found: str, hint: str = "") -> Problem:
    return Problem(source, where, expected, found, hint)


def load_uploaded_school(uploads: Iterable[Upload], school_name: str = "Uploaded school") -> School:
    """Validate the uploaded files and load the school they describe.

    Args:
        uploads: The files the user chose (ideally ``students.csv``, ``staff.csv`` and
            ``timetable.csv``; names containing e.g. "students" are recognised too).
        school_name: The name shown for the school.

    Returns:
        The loaded school.

    Raises:
        InputError: Every problem found, each naming the file as the user called it and,
            where the loader can tell, the line and column.
    """
    uploads = list(uploads)
    problems: list[Problem] = []
    chosen: dict[str, Upload] = {}
    total = 0
    for upload in uploads:
        shown = display_name(upload.name)
        target = target_for(upload.name)
        if not shown.lower().endswith((".csv", ".txt")):
            problems.append(_problem(shown, "file name", "a .csv file", f"'{shown}'",
                                     "save each sheet with 'Save as... CSV UTF-8'"))
            continue
        if target is None:
            problems.append(_problem(shown, "file name", "one of " + ", ".join(SCHOOL_FILES),
                                     f"'{shown}'", "rename the file to say which sheet it is"))
            continue
        if target in chosen:
            problems.append(_problem(shown, "file name", f"one file for {target}",
                                     f"a second one besides '{display_name(chosen[target].name)}'"))
            continue
        if upload.size > MAX_FILE_BYTES:
            problems.append(_problem(shown, "whole file",
                                     f"at most {MAX_FILE_BYTES // (1024 * 1024)} MB",
                                     f"{upload.size / (1024 * 1024):.1f} MB",
                                     "is this the right file? A school's sheet is far smaller"))
            continue
        total += upload.size
        chosen[target] = upload
    if total > MAX_TOTAL_BYTES:
        problems.append(_problem("the uploaded files", "together",
                                 f"at most {MAX_TOTAL_BYTES // (1024 * 1024)} MB",
                                 f"{total / (1024 * 1024):.1f} MB"))
    missing = [name for name in SCHOOL_FILES if name not in chosen]
    if missing and not problems:
        problems.append(_problem(", ".join(missing), "upload", "all three files: "
                                 + ", ".join(SCHOOL_FILES), "missing " + ", ".join(missing),
                                 "choose the three files together"))
    if problems:
        raise InputError(problems)

    with tempfile.TemporaryDirectory(prefix="inclusion-sim-upload-") as tmp:
        folder = Path(tmp)
        for target, upload in chosen.items():
            data = upload.read(MAX_FILE_BYTES)
            if len(data) > MAX_FILE_BYTES:
                problems.append(_problem(display_name(upload.name), "whole file",
                                         f"at most {MAX_FILE_BYTES // (1024 * 1024)} MB",
                                         "a larger file"))
                continue
            (folder / target).write_bytes(data)
        if problems:
            raise InputError(problems)
        try:
            return load_school_folder(folder, name=school_name)
        except InputError as err:
            names = {str(folder / t): display_name(u.name) for t, u in chosen.items()}
            raise InputError([_rename(p, names, folder) for p in err.problems]) from None


def _rename(problem: Problem, names: dict[str, str], folder: Path) -> Problem:
    """Replace temporary paths in a loader problem by the names the user uploaded."""
    source = names.get(problem.source, problem.source.replace(str(folder) + "/", ""))
    fields = {}
    for key in ("where", "expected", "found", "hint"):
        text = getattr(problem, key)
        for path, shown in names.items():
            text = text.replace(path, shown)
        fields[key] = text.replace(str(folder) + "/", "")
    return Problem(source, **fields)
