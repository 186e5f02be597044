"""Load a school from the three CSV files an administrator fills in.

An administrator models *their* school by exporting three sheets from a spreadsheet:
``students.csv``, ``staff.csv`` and ``timetable.csv`` (the columns are documented in
``docs/school-data.md``). This module turns such a folder into a `School`, or raises one
`InputError` that lists every problem found, each naming the file, the line and the column,
what was expected and what was found. The people filling these files in are not programmers,
so a typo must never surface as a traceback, and fixing problems one run at a time is tedious:
hence all problems at once.

The tool never needs names or dates of birth. Ids are opaque strings, and a column that looks
identifying is refused unless the caller explicitly allows it (it is then ignored, never read).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from inclusion_sim.base.errors import InputError, Problem, nearest
from inclusion_sim.school.notation import (
    DAYS_EXPECTED,
    GRADE_EXPECTED,
    read_day,
    read_days,
    read_grade,
)
from inclusion_sim.school.world import (
    DAYS,
    EMPLOYMENT,
    SERVICES,
    SUBJECTS,
    ClassRecord,
    Mandate,
    School,
    StudentRecord,
    TeacherRecord,
    TherapistRecord,
    Timetable,
    clock,
)

STUDENTS_FILE = "students.csv"
STAFF_FILE = "staff.csv"
TIMETABLE_FILE = "timetable.csv"
#: The files a school folder holds.
SCHOOL_FILES: tuple[str, ...] = (STUDENTS_FILE, STAFF_FILE, TIMETABLE_FILE)

#: Per service, three columns ``<service>_<field>``; all blank means no mandate.
MANDATE_FIELDS: tuple[str, ...] = ("sessions", "minutes", "max_group")

STUDENT_COLUMNS: tuple[str, ...] = ("student_id", "class_id", "grade") + tuple(
    f"{service}_{name}" for service in SERVICES for name in MANDATE_FIELDS
)
STUDENT_REQUIRED: tuple[str, ...] = ("student_id", "class_id", "grade")

STAFF_COLUMNS: tuple[str, ...] = (
    "staff_id",
    "role",
    "class_id",
    "discipline",
    "minutes_per_week",
    "days_on_site",
    "employment",
)
STAFF_REQUIRED: tuple[str, ...] = ("staff_id", "role", "class_id", "discipline", "minutes_per_week")

TIMETABLE_COLUMNS: tuple[str, ...] = (
    "class_id", "day", "period", "minutes", "start", "end", "subject"
)
TIMETABLE_REQUIRED: tuple[str, ...] = ("class_id", "day", "period", "subject")

#: Friendly subject names a spreadsheet may use, mapped to `world.SUBJECTS`.
#: Keys are normalised: lower case, runs of other characters replaced by one space.
SUBJECT_ALIASES: dict[str, str] = {
    "ela": "ela",
    "reading": "ela",
    "literacy": "ela",
    "english": "ela",
    "english language arts": "ela",
    "phonics": "ela",
    "writing": "writing",
    "handwriting": "writing",
    "math": "math",
    "maths": "math",
    "mathematics": "math",
    "science": "science",
    "social studies": "social_studies",
    "social_studies": "social_studies",
    "history": "social_studies",
    "specials": "specials",
    "special": "specials",
    "pe": "specials",
    "p e": "specials",
    "gym": "specials",
    "physical education": "specials",
    "art": "specials",
    "music": "specials",
    "library": "specials",
    "technology": "specials",
    "computer": "specials",
    "dance": "specials",
    "lunch": "lunch_recess",
    "recess": "lunch_recess",
    "lunch recess": "lunch_recess",
    "lunch and recess": "lunch_recess",
    "lunch_recess": "lunch_recess",
}

#: Friendly discipline names for therapists, mapped to `world.DISCIPLINES`.
DISCIPLINE_ALIASES: dict[str, str] = {
    "speech": "speech",
    "slp": "speech",
    "speech language": "speech",
    "speech therapy": "speech",
    "ot": "ot",
    "occupational therapy": "ot",
    "pt": "pt",
    "physical therapy": "pt",
    "counseling": "counseling",
    "counselling": "counseling",
    "counselor": "counseling",
    "social work": "counseling",
    "setss": "setss",
}

ROLE_ALIASES: dict[str, str] = {
    "teacher": "teacher",
    "classroom teacher": "teacher",
    "therapist": "therapist",
    "provider": "therapist",
    "related service provider": "therapist",
    "assistant": "assistant",
    "slpa": "assistant",
    "cota": "assistant",
    "therapy assistant": "assistant",
}

EMPLOYMENT_ALIASES: dict[str, str] = {
    "school": "school",
    "district": "school",
    "employee": "school",
    "agency": "agency",
    "contract": "agency",
    "contractor": "agency",
}

#: Column-name words that suggest a person's name or date of birth.
IDENTIFYING_WORDS: frozenset[str] = frozenset(
    {
        "name",
        "names",
        "firstname",
        "lastname",
        "fullname",
        "surname",
        "forename",
        "nickname",
        "dob",
        "birth",
        "birthday",
        "birthdate",
        "born",
        "ssn",
    }
)

MAX_SESSIONS_PER_WEEK = 50
MAX_GROUP = 40
MAX_PERIODS = 30
MAX_PERIOD_MINUTES = 600
#: A therapist's contracted minutes cannot exceed this many per day on site (an 8-hour day).
MAX_MINUTES_PER_DAY_ON_SITE = 480
MAX_ID_LENGTH = 64
_MAX_SHOWN = 40

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap])?\.?\s*(?:m\.?)?$", re.IGNORECASE)


def load_school_folder(
    folder: str | Path,
    *,
    allow_identifying_columns: bool = False,
    name: str | None = None,
) -> School:
    """Load the school described by ``students.csv``, ``staff.csv`` and ``timetable.csv``.

    Args:
        folder: The folder holding the three files.
        allow_identifying_columns: Ignore columns that look like names or dates of birth
            instead of refusing the files; for sheets exported with such columns that the
            user knowingly keeps. Their values are never read.
        name: The school's name; defaults to a readable form of the folder's name
            (``example_300`` gives "Example 300"), since the three files hold no name.

    Returns:
        The school, ready for the model and the scheduler.

    Raises:
        InputError: Listing every problem found in the three files, each located by file,
            line and column.
    """
    folder_path = Path(folder)
    problems: list[Problem] = []
    if not folder_path.is_dir():
        raise InputError(
            Problem(str(folder), "folder", "a folder holding " + ", ".join(SCHOOL_FILES),
                    "no such folder" if not folder_path.exists() else "a file")
        )
    tables = {
        file_name: _read_table(
            folder_path / file_name,
            str(folder_path / file_name),
            _SPECS[file_name],
            allow_identifying_columns,
            problems,
        )
        for file_name in SCHOOL_FILES
    }
    timetable = _parse_timetable(tables[TIMETABLE_FILE], problems)
    staff = _parse_staff(tables[STAFF_FILE], timetable, problems)
    students = _parse_students(tables[STUDENTS_FILE], timetable, problems)
    _check_classes(tables, timetable, staff, students, problems)
    if problems:
        raise InputError(sorted(problems, key=_reading_order))
    assert timetable is not None and staff is not None and students is not None
    return _assemble(name or school_name_from_folder(folder_path), timetable, staff, students)


def school_name_from_folder(folder: str | Path) -> str:
    """A school's name read from its folder's name: ``example_300`` gives "Example 300".

    Underscores and dashes become spaces and the first letter a capital; a name that already
    has capitals or spaces ("Lincoln Elementary") is kept as it is.
    """
    raw = Path(folder).resolve().name
    if raw != raw.lower() or " " in raw:
        return raw
    words = re.sub(r"[_-]+", " ", raw).strip()
    return words[:1].upper() + words[1:] if words else raw


def _reading_order(problem: Problem) -> tuple[int, int]:
    """Sort problems by file (students, staff, timetable) and line, as a user fixes them."""
    name = Path(problem.source).name
    file_rank = SCHOOL_FILES.index(name) if name in SCHOOL_FILES else len(SCHOOL_FILES)
    match = re.match(r"line (\d+)", problem.where)
    return file_rank, int(match.group(1)) if match else 0


# --------------------------------------------------------------------------- reading CSV


@dataclass(frozen=True)
class _Spec:
    known: tuple[str, ...]
    required: tuple[str, ...]


_SPECS: dict[str, _Spec] = {
    STUDENTS_FILE: _Spec(STUDENT_COLUMNS, STUDENT_REQUIRED),
    STAFF_FILE: _Spec(STAFF_COLUMNS, STAFF_REQUIRED),
    TIMETABLE_FILE: _Spec(TIMETABLE_COLUMNS, TIMETABLE_REQUIRED),
}


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


@dataclass
class _Table:
    source: str
    headers: dict[str, str]
    rows: list[_Row] = field(default_factory=list)
    #: Known columns the header misspells (already reported, with the name that was found).
    misspelt: set[str] = field(default_factory=set)

    def where(self, line: int, column: str) -> str:
        return f"line {line}, column '{self.headers.get(column, column)}'"

    def problem(
        self, problems: list[Problem], row: _Row, column: str, expected: str, found: str,
        hint: str = "",
    ) -> None:
        problems.append(Problem(self.source, self.where(row.line, column), expected, found, hint))


def _canonical(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _alias_key(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", " ", text.strip().lower()).strip()


def _shown(value: str) -> str:
    if value == "":
        return "a blank cell"
    text = value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN] + "..."
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"


def _is_identifying(column: str) -> bool:
    words = set(column.split("_"))
    return bool(words & IDENTIFYING_WORDS) or column.endswith("name")


def _decode(data: bytes, source: str, problems: list[Problem]) -> str | None:
    """Return the text of a UTF-8 file (with or without a byte-order mark), or report why not."""
    if data.startswith(b"PK\x03\x04"):
        problems.append(Problem(source, "line 1", "a CSV text file", "a zipped file "
                                "(an Excel workbook?)", "save the sheet as 'CSV UTF-8'"))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(source, "line 1", "UTF-8 text", "UTF-16 text",
                                "save the sheet as 'CSV UTF-8'"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problems.append(Problem(
            source, f"line {line} (byte {err.start})", "UTF-8 text",
            f"byte 0x{data[err.start]:02X}",
            "the file looks like Windows-1252 or Latin-1; save the sheet as 'CSV UTF-8'",
        ))
        return None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        problems.append(Problem(source, f"line {line}", "text", "a NUL byte (a binary file?)",
                                "save the sheet as 'CSV UTF-8'"))
        return None
    return text


def _read_table(
    path: Path, source: str, spec: _Spec, allow_identifying: bool, problems: list[Problem]
) -> _Table | None:
    """Read one CSV file into rows of stripped cells keyed by canonical column name.

    Returns None when the file cannot be read as a table at all (missing, not UTF-8, not
    comma-separated, malformed quoting); the reason is in ``problems``.
    """
    if not path.is_file():
        problems.append(Problem(source, "file", f"the file {path.name}", "no such file",
                                "blank templates are in scenarios/templates/"))
        return None
    text = _decode(path.read_bytes(), source, problems)
    if text is None:
        return None
    if not text.strip():
        return _empty(source, spec, problems)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
    except csv.Error as err:
        problems.append(Problem(source, f"line {reader.line_num}", "well-formed CSV",
                                f"unreadable text ({err})",
                                "a value containing quotes or commas must be in double quotes"))
        return None
    if not records:
        return _empty(source, spec, problems)
    header_line, header = records[0]
    if len(header) == 1:
        separator = _other_separator(header[0])
        if separator:
            problems.append(Problem(source, f"line {header_line}", "comma-separated values",
                                    f"'{separator}'" if separator != "\t" else "tabs",
                                    "export the sheet as 'CSV (comma delimited)'"))
            return None
    return _build_table(source, spec, header_line, header, records[1:], allow_identifying,
                        problems)


def _empty(source: str, spec: _Spec, problems: list[Problem]) -> None:
    problems.append(Problem(source, "line 1", "a header row: " + ", ".join(spec.required),
                            "an empty file", "start from scenarios/templates/"))


def _other_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ""


def _build_table(
    source: str,
    spec: _Spec,
    header_line: int,
    header: list[str],
    records: list[tuple[int, list[str]]],
    allow_identifying: bool,
    problems: list[Problem],
) -> _Table | None:
    fatal = False
    columns: dict[int, str] = {}
    table = _Table(source, {})
    named = {_canonical(raw) for raw in header}
    absent = [column for column in spec.known if column not in named]
    for position, raw in enumerate(header):
        canonical = _canonical(raw)
        where = f"line {header_line}, column '{raw.strip()}'"
        if not canonical:
            if any(position < len(cells) and cells[position].strip() for _, cells in records):
                problems.append(Problem(source, f"line {header_line}, column {position + 1}",
                                        "a column name", "a blank header above filled cells"))
            continue
        if canonical not in spec.known and _is_identifying(canonical):
            if not allow_identifying:
                problems.append(Problem(
                    source, where,
                    "no identifying columns (ids are opaque; the tool never needs names "
                    "or dates of birth)",
                    "a column that looks like a name or date of birth",
                    "delete the column, or pass --allow-identifying-columns to ignore it",
                ))
            continue
        if canonical not in spec.known:
            meant = _meant_column(canonical, spec.known, absent, table.misspelt)
            if meant:
                table.misspelt.add(meant)
                problems.append(_misspelt_column(source, where, raw.strip(), meant, spec))
                continue
            known = ", ".join(spec.known) if len(spec.known) <= 8 else "a column documented in "
            problems.append(Problem(
                source, where,
                known if len(spec.known) <= 8 else known + "docs/school-data.md",
                "an unknown column", nearest(canonical, spec.known),
            ))
            continue
        if canonical in table.headers:
            problems.append(Problem(source, where, "each column once",
                                    "a second column with this name"))
            continue
        table.headers[canonical] = raw.strip()
        columns[position] = canonical
    for required in spec.required:
        if required not in table.headers:
            if required not in table.misspelt:
                problems.append(Problem(source, f"line {header_line}", f"a column '{required}'",
                                        "no such column"))
            fatal = True
    if _check_mandate_columns(table, header_line, problems) or fatal:
        return None
    header_names = [_canonical(name) for name in header]
    for line, cells in records:
        if [_canonical(cell) for cell in cells[:len(header)]] == header_names:
            # A second export pasted below the first: one problem, not one per cell.
            problems.append(Problem(
                source, f"line {line}", "a row of values",
                f"the header row again (as on line {header_line})",
                "delete this line; if two exports were pasted together, check that no row is "
                "in both",
            ))
            continue
        extra = [c for c in cells[len(header):] if c.strip()]
        if extra:
            problems.append(Problem(
                source, f"line {line}, column {len(header) + 1}",
                f"at most {len(header)} values, one per column",
                f"{len(cells)} values",
                "a value containing a comma must be in double quotes",
            ))
            continue
        row = {name: (cells[pos].strip() if pos < len(cells) else "")
               for pos, name in columns.items()}
        table.rows.append(_Row(line, row))
    return table


def _check_mandate_columns(table: _Table, header_line: int, problems: list[Problem]) -> bool:
    """Report services given only some of their three columns; True if any was."""
    incomplete = False
    for service in SERVICES:
        present = [f"{service}_{name}" in table.headers for name in MANDATE_FIELDS]
        if any(present) and not all(present):
            for name, there in zip(MANDATE_FIELDS, present, strict=True):
                if not there:
                    if f"{service}_{name}" not in table.misspelt:
                        problems.append(Problem(
                            table.source, f"line {header_line}",
                            f"a column '{service}_{name}' (each service needs sessions, "
                            "minutes and max_group)",
                            "no such column",
                        ))
                    incomplete = True
    return incomplete


def _meant_column(canonical: str, known: tuple[str, ...], absent: list[str],
                  claimed: set[str]) -> str:
    """The missing known column an unknown header most likely misspells, or "" if none.

    The header must be closest to a column the file lacks and that no other header has
    claimed: a header closest to a column that is there (``ot_max_grp`` beside
    ``ot_max_group``) is a stray extra column, and is reported as unknown.
    """
    matches = difflib.get_close_matches(canonical, known, n=1, cutoff=0.6)
    if matches and matches[0] in absent and matches[0] not in claimed:
        return matches[0]
    return ""


def _misspelt_column(source: str, where: str, raw: str, meant: str, spec: _Spec) -> Problem:
    """One problem for a misspelt header, instead of an unknown column plus a missing one."""
    if meant in spec.required:
        why = " (required)"
    elif meant.endswith(tuple(f"_{name}" for name in MANDATE_FIELDS)):
        why = " (each service needs sessions, minutes and max_group)"
    else:
        why = ""
    return Problem(source, where, f"the column '{meant}'{why}",
                   f"{_shown(raw)}, which is not a known column",
                   f"did you mean '{meant}'? rename the column")


# --------------------------------------------------------------------------- cells


def _whole_number(
    table: _Table, row: _Row, column: str, low: int, high: int, problems: list[Problem],
    what: str = "a whole number",
) -> int | None:
    value = row.cells.get(column, "")
    expected = f"{what} from {low} to {high}"
    number = _integer(value)
    if number is None or not low <= number <= high:
        table.problem(problems, row, column, expected, _shown(value))
        return None
    return number


def _integer(value: str) -> int | None:
    """A cell's whole number ("30", "30.0", "-1"), or None for anything else."""
    if re.fullmatch(r"[+-]?\d{1,12}(\.0*)?", value):
        return int(float(value)) if "." in value else int(value)
    return None


def _required_id(
    table: _Table, row: _Row, column: str, problems: list[Problem], what: str = "an id"
) -> str | None:
    value = row.cells.get(column, "")
    if not value or len(value) > MAX_ID_LENGTH:
        table.problem(problems, row, column, f"{what} of 1 to {MAX_ID_LENGTH} characters",
                      _shown(value))
        return None
    return value


def _choice(
    table: _Table, row: _Row, column: str, aliases: dict[str, str], valid: tuple[str, ...],
    problems: list[Problem],
) -> str | None:
    value = row.cells.get(column, "")
    key = _alias_key(value)
    if key in aliases:
        return aliases[key]
    table.problem(problems, row, column, "one of " + ", ".join(valid), _shown(value),
                  nearest(key, list(aliases)))
    return None


def _minutes_of_day(text: str) -> int | None:
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23:
        return None
    return hour * 60 + minute


def _duplicate(
    table: _Table, row: _Row, column: str, key: object, seen: dict[object, int],
    what: str, problems: list[Problem],
) -> bool:
    if key in seen:
        table.problem(problems, row, column, what, f"{_shown(row.cells[column])} again "
                      f"(first on line {seen[key]})")
        return True
    seen[key] = row.line
    return False


# --------------------------------------------------------------------------- timetable


@dataclass
class _TimetableData:
    source: str
    class_lines: dict[str, int]
    subjects: dict[str, dict[tuple[int, int], str]]
    bell: dict[tuple[int, int], int]
    complete: bool = False
    #: Clock start of each (day, period) where every row gives one (`period_starts`).
    starts: dict[tuple[int, int], int] = field(default_factory=dict)
    all_timed: bool = True

    @property
    def periods(self) -> int:
        return max((period for _, period in self.bell), default=0)

    def period_minutes(self) -> np.ndarray:
        grid = np.zeros((len(DAYS), self.periods), dtype=np.int64)
        for (day, period), minutes in self.bell.items():
            grid[day, period - 1] = minutes
        return grid

    def period_starts(self) -> np.ndarray | None:
        """(days, periods) clock starts, when every row of the file gives its start time.

        None otherwise: the school gave lengths only, and its periods are then numbered, not
        timed, on every page (a start time made up here would be wrong on the wall).
        """
        if not self.all_timed or len(self.starts) != len(self.bell):
            return None
        grid = np.zeros((len(DAYS), self.periods), dtype=np.int64)
        for (day, period), start in self.starts.items():
            grid[day, period - 1] = start
        return grid

    def day_minutes(self) -> list[int]:
        return [int(x) for x in self.period_minutes().sum(axis=1)]

    def week_minutes(self) -> int:
        return sum(self.bell.values())

    def longest_period(self) -> int:
        return max(self.bell.values(), default=0)


def _parse_timetable(table: _Table | None, problems: list[Problem]) -> _TimetableData | None:
    """Read the per-class timetable and the shared bell schedule it implies."""
    if table is None:
        return None
    before = len(problems)
    if "minutes" not in table.headers and not {"start", "end"} <= set(table.headers):
        if not table.misspelt & {"minutes", "start", "end"}:
            problems.append(Problem(table.source, "line 1", "a 'minutes' column, or 'start' "
                                    "and 'end' columns", "neither"))
        return None
    data = _TimetableData(table.source, {}, {}, {})
    bell_lines: dict[tuple[int, int], tuple[int, str]] = {}
    seen: dict[object, int] = {}
    for row in table.rows:
        class_id = _required_id(table, row, "class_id", problems)
        day = _day(table, row, problems)
        period = _whole_number(table, row, "period", 1, MAX_PERIODS, problems,
                               "a period number")
        minutes, minutes_column = _period_minutes(table, row, problems)
        subject = _choice(table, row, "subject", SUBJECT_ALIASES, SUBJECTS, problems)
        if class_id is not None:
            data.class_lines.setdefault(class_id, row.line)
        if class_id is None or day is None or period is None or minutes is None:
            continue
        if _duplicate(table, row, "period", (class_id, day, period), seen,
                      "one row per class, day and period", problems):
            continue
        if subject is not None:
            data.subjects.setdefault(class_id, {})[(day, period)] = subject
        slot = (day, period)
        _read_start(table, row, data, slot, bell_lines, problems)
        if slot not in data.bell:
            data.bell[slot] = minutes
            bell_lines[slot] = (row.line, class_id)
        elif data.bell[slot] != minutes:
            first_line, first_class = bell_lines[slot]
            table.problem(
                problems, row, minutes_column,
                f"{data.bell[slot]} minutes, as for class {first_class} on line {first_line} "
                "(all classes share one bell schedule)",
                f"{minutes} minutes",
            )
    if not table.rows:
        problems.append(Problem(table.source, "line 2", "a row per class, day and period",
                                "no rows"))
    if len(problems) == before:
        _check_grid(table, data, problems)
    if len(problems) == before:
        _check_starts(table, data, bell_lines, problems)
    data.complete = len(problems) == before
    return data


def _read_start(table: _Table, row: _Row, data: _TimetableData, slot: tuple[int, int],
                bell_lines: dict[tuple[int, int], tuple[int, str]],
                problems: list[Problem]) -> None:
    """Keep a row's start time, which every class must share for the same day and period."""
    start = _minutes_of_day(row.cells.get("start", "")) if row.cells.get("start", "") else None
    if start is None:  # a blank (or a bad time, already reported with the minutes)
        data.all_timed = False
        return
    if slot not in data.starts:
        data.starts[slot] = start
    elif data.starts[slot] != start:
        first_line, first_class = bell_lines[slot]
        table.problem(problems, row, "start",
                      f"{clock(data.starts[slot])}, as for class {first_class} on line "
                      f"{first_line} (all classes share one bell schedule)",
                      _shown(row.cells["start"]))


def _check_starts(table: _Table, data: _TimetableData,
                  bell_lines: dict[tuple[int, int], tuple[int, str]],
                  problems: list[Problem]) -> None:
    """Periods that are timed must follow each other: a period starts after the last ends.

    Only called when every row is timed, so a slot's first row (`bell_lines`) gave its start.
    """
    starts = data.period_starts()
    if starts is None:
        return
    minutes = data.period_minutes()
    for day in range(starts.shape[0]):
        for period in range(1, starts.shape[1]):
            end = starts[day, period - 1] + minutes[day, period - 1]
            if starts[day, period] < end:
                line, _ = bell_lines[(day, period + 1)]
                problems.append(Problem(
                    table.source, table.where(line, "start"),
                    f"{clock(int(end))} or later ({DAYS[day]} period {period} ends then)",
                    clock(int(starts[day, period]))))
                return


def _day(table: _Table, row: _Row, problems: list[Problem]) -> int | None:
    value = row.cells.get("day", "")
    day, why = read_day(value)
    if day is None:
        table.problem(problems, row, "day", "a school day: " + ", ".join(DAYS), _shown(value),
                      why)
    return day


def _period_minutes(
    table: _Table, row: _Row, problems: list[Problem]
) -> tuple[int | None, str]:
    """Minutes of a period, from the ``minutes`` cell or from ``start`` and ``end`` times."""
    cells = row.cells
    if cells.get("minutes", ""):
        minutes = _whole_number(table, row, "minutes", 1, MAX_PERIOD_MINUTES, problems)
        if minutes is not None and cells.get("start", "") and cells.get("end", ""):
            start, end = _minutes_of_day(cells["start"]), _minutes_of_day(cells["end"])
            if start is not None and end is not None and end - start != minutes:
                table.problem(problems, row, "minutes",
                              f"{end - start} minutes, from {cells['start']} to {cells['end']}",
                              f"{minutes} minutes")
                return None, "minutes"
        return minutes, "minutes"
    if "start" not in table.headers or "end" not in table.headers:
        table.problem(problems, row, "minutes", f"minutes from 1 to {MAX_PERIOD_MINUTES}",
                      "a blank cell")
        return None, "minutes"
    start = _minutes_of_day(cells.get("start", ""))
    end = _minutes_of_day(cells.get("end", ""))
    ok = True
    for column, value in (("start", start), ("end", end)):
        if value is None:
            table.problem(problems, row, column, "a time such as 08:30 or 1:15 PM",
                          _shown(cells.get(column, "")))
            ok = False
    if not ok or start is None or end is None:
        return None, "end"
    if not 0 < end - start <= MAX_PERIOD_MINUTES:
        table.problem(problems, row, "end", f"a time after the start ({cells['start']})",
                      _shown(cells["end"]))
        return None, "end"
    return end - start, "end"


def _check_grid(table: _Table, data: _TimetableData, problems: list[Problem]) -> None:
    """Every class needs a subject in every period of every day of the shared bell schedule."""
    slots = [(day, period) for day in range(len(DAYS)) for period in range(1, data.periods + 1)]
    for class_id, line in data.class_lines.items():
        have = data.subjects.get(class_id, {})
        missing = [f"{DAYS[day]} period {period}" for day, period in slots if (day, period)
                   not in have]
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing)
                                              > 5 else "")
            problems.append(Problem(
                table.source, table.where(line, "class_id"),
                f"periods 1 to {data.periods} on each of {', '.join(DAYS)} for class {class_id}",
                f"no row for {shown}",
            ))


# --------------------------------------------------------------------------- staff


@dataclass
class _StaffData:
    teachers: dict[str, tuple[str, int]] = field(default_factory=dict)
    therapists: list[TherapistRecord] = field(default_factory=list)


def _parse_staff(
    table: _Table | None, timetable: _TimetableData | None, problems: list[Problem]
) -> _StaffData | None:
    """Read teachers (one per class) and therapists (discipline, minutes, days, employment)."""
    if table is None:
        return None
    data = _StaffData()
    seen: dict[object, int] = {}
    for row in table.rows:
        staff_id = _required_id(table, row, "staff_id", problems)
        if staff_id is not None and _duplicate(table, row, "staff_id", staff_id, seen,
                                                "a unique staff_id", problems):
            continue
        role = _choice(table, row, "role", ROLE_ALIASES, ("teacher", "therapist", "assistant"),
                       problems)
        if staff_id is None or role is None:
            continue
        if role == "teacher":
            class_id = _required_id(table, row, "class_id", problems,
                                    "the id of the teacher's class")
            if class_id is None:
                continue
            if class_id in data.teachers:
                table.problem(problems, row, "class_id", "one teacher per class",
                              f"a second teacher for class {class_id} (first on line "
                              f"{data.teachers[class_id][1]})")
                continue
            data.teachers[class_id] = (staff_id, row.line)
        else:
            therapist = _therapist(table, row, staff_id, problems)
            if therapist is not None:
                data.therapists.append(therapist if role == "therapist"
                                       else replace(therapist, role="assistant"))
    if not table.rows:
        problems.append(Problem(table.source, "line 2", "a row per teacher and therapist",
                                "no rows"))
    return data


def _therapist(
    table: _Table, row: _Row, staff_id: str, problems: list[Problem]
) -> TherapistRecord | None:
    discipline = _choice(table, row, "discipline", DISCIPLINE_ALIASES, SERVICES, problems)
    days = _days_on_site(table, row, problems)
    employment: str | None = "school"
    if row.cells.get("employment", ""):
        before = len(problems)
        employment = _choice(table, row, "employment", EMPLOYMENT_ALIASES, EMPLOYMENT, problems)
        if employment is None and read_days(row.cells["employment"]).days is not None:
            problems[before].hint = ("days in this column: days_on_site separated by commas "
                                     "must be inside double quotes, such as \"Mon, Wed\"")
    high = MAX_MINUTES_PER_DAY_ON_SITE * (len(days) if days else len(DAYS))
    minutes = _whole_number(
        table, row, "minutes_per_week", 1, high, problems,
        f"contracted minutes a week (at most {MAX_MINUTES_PER_DAY_ON_SITE} a day on site)",
    )
    if discipline is None or days is None or employment is None or minutes is None:
        return None
    return TherapistRecord(staff_id, discipline, minutes, days, employment)


def _days_on_site(table: _Table, row: _Row, problems: list[Problem]) -> tuple[int, ...] | None:
    """The therapist's days; a hint, if any, restates every day the cell names."""
    value = row.cells.get("days_on_site", "")
    reading = read_days(value)
    if reading.days is not None:
        return reading.days
    note = reading.why or reading.hint
    if reading.part and reading.part.lower() != value.strip().lower():
        note = f"'{reading.part}': {note}" if note else f"'{reading.part}' is not a school day"
    table.problem(problems, row, "days_on_site", DAYS_EXPECTED, _shown(value), note)
    return None


# --------------------------------------------------------------------------- students


@dataclass
class _StudentsData:
    students: list[StudentRecord] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


def _parse_students(
    table: _Table | None, timetable: _TimetableData | None, problems: list[Problem]
) -> _StudentsData | None:
    """Read students and their mandates, checking each mandate fits the school week."""
    if table is None:
        return None
    data = _StudentsData()
    first_rows: dict[str, _Row] = {}
    bell = timetable if timetable is not None and timetable.complete else None
    services = [s for s in SERVICES if f"{s}_sessions" in table.headers]
    for row in table.rows:
        student_id = _required_id(table, row, "student_id", problems)
        if student_id is not None and student_id in first_rows:
            _repeated_student(table, row, first_rows[student_id], services, problems)
            continue
        if student_id is not None:
            first_rows[student_id] = row
        class_id = _required_id(table, row, "class_id", problems)
        grade = _grade(table, row, problems)
        mandates = [_mandate(table, row, service, bell, problems) for service in services]
        if student_id is None or class_id is None or grade is None or False in mandates:
            continue
        data.students.append(StudentRecord(
            student_id, class_id, grade,
            tuple(m for m in mandates if isinstance(m, Mandate)),
        ))
        data.lines[student_id] = row.line
    if not table.rows:
        problems.append(Problem(table.source, "line 2", "a row per student", "no rows"))
    return data


def _repeated_student(table: _Table, row: _Row, first: _Row, services: list[str],
                      problems: list[Problem]) -> None:
    """Refuse a second row for a student, saying the file has one row per student.

    Some exports write one row per service; the rows are not merged, because two rows could
    as well be a typo in an id, and a merge would hide it.
    """
    def filled(r: _Row) -> list[str]:
        return [s for s in services
                if any(r.cells.get(f"{s}_{name}", "") not in ("", "0") for name in MANDATE_FIELDS)]

    here, there = filled(row), filled(first)
    hint = ""
    if here and there and not set(here) & set(there):
        hint = (f"this row has {', '.join(here)} and line {first.line} has {', '.join(there)}: "
                f"put all of the student's services on line {first.line} and delete this one")
    table.problem(problems, row, "student_id",
                  "one row per student, with all of the student's services on that row",
                  f"{_shown(row.cells['student_id'])} again (first on line {first.line})", hint)


def _grade(table: _Table, row: _Row, problems: list[Problem]) -> int | None:
    value = row.cells.get("grade", "")
    grade, why = read_grade(value)
    if grade is None:
        table.problem(problems, row, "grade", GRADE_EXPECTED, _shown(value), why)
    return grade


def _mandate(
    table: _Table, row: _Row, service: str, bell: _TimetableData | None,
    problems: list[Problem],
) -> Mandate | None | bool:
    """Return the service's mandate, None for no mandate, or False after reporting a problem."""
    columns = [f"{service}_{name}" for name in MANDATE_FIELDS]
    values = [row.cells.get(column, "") for column in columns]
    if all(v in ("", "0") for v in values):
        return None
    what = ("sessions a week", "minutes a session", "a largest group")
    numbers = []
    for column, value, name in zip(columns, values, what, strict=True):
        if value == "":
            table.problem(problems, row, column,
                          f"{name} (fill all three {service} columns, or leave all three blank)",
                          "a blank cell")
            numbers.append(None)
        elif column == columns[1]:
            numbers.append(_session_minutes(table, row, column, bell, problems))
        else:
            high = MAX_SESSIONS_PER_WEEK if column == columns[0] else MAX_GROUP
            numbers.append(_whole_number(table, row, column, 1, high, problems, name))
    sessions, minutes, group = numbers
    if sessions is None or minutes is None or group is None:
        return False
    if bell is not None:
        if sessions * minutes > bell.week_minutes():
            table.problem(problems, row, columns[0],
                          f"a mandate within the school week of {bell.week_minutes()} minutes",
                          f"{sessions} sessions x {minutes} minutes = {sessions * minutes} "
                          "minutes")
            return False
    return Mandate(service, sessions, minutes, group)


def _session_minutes(
    table: _Table, row: _Row, column: str, bell: _TimetableData | None,
    problems: list[Problem],
) -> int | None:
    """Read a mandate's minutes a session, which can be at most the school's longest period.

    A session happens inside one period, so the longest period is the limit, and the message
    states it. While the timetable has problems of its own the limit is not known, and the
    message names the rule without a number (no period is longer than MAX_PERIOD_MINUTES,
    so a longer session is refused either way).
    """
    value = row.cells.get(column, "")
    timetable = Path(bell.source).name if bell is not None else TIMETABLE_FILE
    if bell is not None:
        longest = bell.longest_period()
        expected = (f"minutes a session from 1 to {longest} (a session fits in one period; "
                    f"the longest period in {timetable} is {longest} minutes)")
    else:
        longest = MAX_PERIOD_MINUTES
        expected = ("minutes a session from 1 up to the longest period in "
                    f"{timetable} (a session fits in one period)")
    number = _integer(value)
    if number is None or not 1 <= number <= longest:
        found = f"{number} minutes" if number is not None else _shown(value)
        table.problem(problems, row, column, expected, found)
        return None
    return number


# --------------------------------------------------------------------------- across files


def _check_classes(
    tables: dict[str, _Table | None],
    timetable: _TimetableData | None,
    staff: _StaffData | None,
    students: _StudentsData | None,
    problems: list[Problem],
) -> None:
    """Check that timetable, teachers and students agree on which classes exist."""
    staff_table, students_table = tables[STAFF_FILE], tables[STUDENTS_FILE]
    timetable_table = tables[TIMETABLE_FILE]
    if timetable is None or staff is None or timetable_table is None or staff_table is None:
        return
    for class_id, line in timetable.class_lines.items():
        if class_id not in staff.teachers:
            problems.append(Problem(
                timetable.source, timetable_table.where(line, "class_id"),
                f"a teacher for class {class_id} in {STAFF_FILE} (role teacher)",
                "no teacher", nearest(class_id, [c for c in staff.teachers
                                                 if c not in timetable.class_lines]),
            ))
    taught_classes = list(timetable.class_lines)
    for class_id, (_, line) in staff.teachers.items():
        if class_id not in timetable.class_lines:
            problems.append(Problem(
                staff_table.source, staff_table.where(line, "class_id"),
                f"a class with rows in {TIMETABLE_FILE}", f"class {_shown(class_id)}",
                nearest(class_id, taught_classes),
            ))
    if students is None or students_table is None:
        return
    known = set(timetable.class_lines)
    enrolled = Counter(s.class_id for s in students.students)
    for student in students.students:
        if student.class_id not in known:
            problems.append(Problem(
                students_table.source,
                students_table.where(students.lines[student.id], "class_id"),
                f"a class listed in {TIMETABLE_FILE}", _shown(student.class_id),
                nearest(student.class_id, taught_classes),
            ))
    student_problems = any(p.source == students_table.source for p in problems)
    if not student_problems:
        for class_id, (_, line) in staff.teachers.items():
            if class_id in known and not enrolled[class_id]:
                problems.append(Problem(
                    staff_table.source, staff_table.where(line, "class_id"),
                    f"a class with students in {STUDENTS_FILE}",
                    f"class {_shown(class_id)} with no students",
                ))


def _assemble(
    name: str, timetable: _TimetableData, staff: _StaffData, students: _StudentsData
) -> School:
    """Build the `School`: classes in timetable order, each graded by its students' grades."""
    grades: dict[str, Counter[int]] = {}
    for student in students.students:
        grades.setdefault(student.class_id, Counter())[student.grade] += 1
    classes, teachers = [], []
    for class_id in timetable.class_lines:
        teacher_id = staff.teachers[class_id][0]
        counts = grades[class_id]
        grade = min(g for g, n in counts.items() if n == max(counts.values()))
        classes.append(ClassRecord(class_id, grade, teacher_id))
        teachers.append(TeacherRecord(teacher_id, class_id))
    subjects = {
        class_id: [
            [timetable.subjects[class_id][(day, period)]
             for period in range(1, timetable.periods + 1)]
            for day in range(len(DAYS))
        ]
        for class_id in timetable.class_lines
    }
    return School(
        name=name,
        classes=classes,
        teachers=teachers,
        therapists=staff.therapists,
        students=students.students,
        timetable=Timetable(timetable.period_minutes(), subjects,
                            period_starts=timetable.period_starts()),
        from_files=True,
    )
