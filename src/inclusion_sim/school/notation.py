"""Grades and weekdays as schools write them, read without guessing.

Student information systems and schedulers do not agree on how to write a grade or a day.
A grade may be ``3``, ``03``, ``003``, ``Grade 3`` or ``3rd``; kindergarten may be ``K``,
``KG``, ``KF`` (full day), ``00`` or ``0K``; pre-kindergarten ``PK``, ``Pre-K`` or ``TK``.
A therapist's days may be ``Mon;Wed``, ``Mon-Thu``, ``MWF``, ``T/Th`` or ``Monday and
Wednesday``. The loader accepts the forms whose meaning is not in doubt and refuses the rest.

The rule that shapes this module: a refusal may suggest a fix only when following it keeps the
meaning of what was written. Suggesting ``Mon`` for ``Mon-Thu`` would cut a four-day therapist
to one day without a word, so a hint, when there is one, always restates *every* day the cell
names (``Mon;Thu`` for ``Mon;Thrusday``). Codes that mean different things in different
systems are refused with the reason: negative grade numbers (``-1`` is pre-kindergarten in
some exports and a kind of kindergarten in others), a bare ``T`` with nothing around it to say
whether it is Tuesday or Thursday, day numbers (``1`` is Monday in some calendars and Sunday
in others), and part days (the model has a therapist on site for whole days).

Sources for the notations: Ed-Fi Data Standard ``GradeLevelDescriptor`` (``First grade`` ...
``Twelfth grade``, ``Prekindergarten``, ``Transitional Kindergarten``); Vermont Agency of
Education ``GRADE`` codeset (``PK``, ``K``/``KF``/``KP``, ``01``-``12``); PowerSchool state
reporting guides for Connecticut (``00``/``KF``, ``KH``, ``KE``, ``PK``, ``P3``; numeric codes
-1 to -4), Louisiana (-1 = pre-K age 4) and Virginia (-1 = kindergarten); Pennsylvania PIMS
Appendix K (``001``-``012``, ``K4``/``K5`` with ``A``/``P``/``F`` suffixes, ``PKA``/``PKP``/
``PKF``). Day letters follow US course-schedule usage (``MWF``, ``TR`` or ``TTh`` for
Tuesday and Thursday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The model's grade for pre-kindergarten: one below kindergarten (0).
PRE_K = -1

DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday")

#: How the accepted grade notations are described in messages.
GRADE_EXPECTED = ("a grade: PK (pre-kindergarten), K (kindergarten) or 1 to 12; also 01-12, "
                  "Grade 3, 3rd, 00/KG/KF/KH for K, Pre-K/TK for pre-K (see docs/school-data.md)")
#: How the accepted day notations are described in messages.
DAYS_EXPECTED = ("school days such as Mon;Wed;Fri, Mon-Thu, MWF, T/Th or Monday and Wednesday "
                 "(see docs/school-data.md)")

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth")
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve")

_KINDERGARTEN = frozenset({
    "k", "kg", "kdg", "kf", "kh", "kp", "ka", "ke", "k5", "k5a", "k5p", "k5f", "0k", "00kg",
    "kindergarten", "kinder", "kindergarten full day", "full day kindergarten",
    "half day kindergarten", "kindergarten half day",
})
_PRE_KINDERGARTEN = frozenset({
    "pk", "prek", "pre k", "pre kindergarten", "prekindergarten", "pre kinder", "pk3", "pk4",
    "p3", "p4", "pka", "pkp", "pkf", "k4", "k4a", "k4p", "k4f", "tk",
    "transitional kindergarten", "preschool", "pre school", "preschool prekindergarten",
})
_NUMBERED = re.compile(
    r"^(?:(?:grade|gr|grd|g)\s?)?0*(\d{1,2})(?:st|nd|rd|th)?(?:\s(?:grade|gr))?$")
_WORDED = re.compile(r"^(?:(?:grade|gr)\s)?([a-z]+)(?:\s(?:grade|gr))?$")


def _key(text: str) -> str:
    """Lower case, runs of spaces, dashes, dots and underscores made one space."""
    return re.sub(r"[\s\-._/]+", " ", text.strip().lower()).strip()


def read_grade(text: str) -> tuple[int | None, str]:
    """Read a grade written any common way.

    Args:
        text: The cell, as written.

    Returns:
        ``(grade, "")`` with ``PRE_K`` (-1) for pre-kindergarten, 0 for kindergarten and 1 to
        12; or ``(None, reason)`` when the text is not a grade the model has or its meaning
        depends on the system that wrote it. The reason never proposes a different grade.
    """
    raw = text.strip()
    if re.fullmatch(r"-\s*\d+", raw):
        return None, ("numeric codes below 0 mean different grades in different student "
                      "information systems (-1 is pre-K in some and kindergarten in others): "
                      "write PK or K")
    if re.fullmatch(r"\d{1,3}\.0+", raw):  # a whole number written by a float column
        raw = raw.split(".")[0]
    key = _key(raw)
    word = re.sub(r"^(?:grade|gr|grd)\s", "", key)
    if word in _KINDERGARTEN:
        return 0, ""
    if word in _PRE_KINDERGARTEN:
        return PRE_K, ""
    match = _NUMBERED.fullmatch(key)
    if match:
        grade = int(match.group(1))
        if grade <= 12:
            return grade, ""
        return None, "the model's grades are PK, K and 1 to 12"
    match = _WORDED.fullmatch(key)
    if match:
        word = match.group(1)
        for words in (_ORDINALS, _NUMBER_WORDS):
            if word in words:
                return words.index(word) + 1, ""
    if re.search(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", key) or \
            re.fullmatch(r"\d{1,4}[/-]\d{1,2}[/-]\d{1,4}", raw):
        return None, ("this looks like a date: a spreadsheet turns a value such as 1-2 or 1/2 "
                      "into one; give each student the one grade they are in, as text")
    if key in ("ug", "ungraded", "un graded", "pg", "ps", "13", "postsecondary", "adult", "aw",
               "it", "ee", "n"):
        return None, "the model's grades are PK, K and 1 to 12"
    return None, ""


# --------------------------------------------------------------------------- days

_DAY_WORDS: dict[str, int] = {}
for _index, _names in enumerate([
    ("mon", "monday", "mondays", "mo"),
    ("tue", "tues", "tuesday", "tuesdays", "tu"),
    ("wed", "weds", "wednesday", "wednesdays", "we"),
    ("thu", "thur", "thurs", "thursday", "thursdays", "th"),
    ("fri", "friday", "fridays", "fr"),
]):
    for _name in _names:
        _DAY_WORDS[_name] = _index

_WEEKEND = frozenset({"sat", "saturday", "saturdays", "sun", "sunday", "sundays", "sa", "su",
                      "s"})
_EVERY_DAY = frozenset({"", "all", "all days", "all week", "every day", "everyday", "daily",
                        "weekdays", "every weekday", "full week", "whole week"})
_PART_DAY = frozenset({"am", "pm", "a m", "p m", "morning", "mornings", "afternoon",
                       "afternoons", "half", "half day", "halfday", "1/2"})
#: Letters of a run such as ``MTWThF``; two-letter codes are tried first.
_RUN_CODES: dict[str, int | None] = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "m": 0,
                                     "w": 2, "r": 3, "h": 3, "f": 4, "t": None}
_TUESDAY, _THURSDAY = 1, 3
_RANGE_WORDS = r"(?:through|thru|to|till|until)"


@dataclass(frozen=True)
class DaysReading:
    """What a days-on-site cell says.

    Attributes:
        days: Weekday indices (0 = Monday), sorted; None when the cell cannot be read.
        part: The piece of the cell that could not be read ("" when read).
        why: Why it could not be read, when there is more to say than "not a day".
        hint: A corrected cell that keeps every day written, or "".
    """

    days: tuple[int, ...] | None
    part: str = ""
    why: str = ""
    hint: str = ""


def _items(text: str) -> list[str]:
    """Split a cell into day items, as written; a range stays one item (``Mon-Thu``)."""
    text = text.strip().replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(rf"\s*(?:-|\b{_RANGE_WORDS}\b)\s*", "-", text, flags=re.IGNORECASE)
    parts = re.split(r"[;,/|&+\s]+|\band\b", text, flags=re.IGNORECASE)
    parts = [p.strip(".()") for p in parts]
    return [p for p in parts if p]


def _run(token: str) -> list[int | None] | None:
    """Day letters of a run like ``mtwthf`` (None for a bare T), or None if not a run."""
    out: list[int | None] = []
    i = 0
    while i < len(token):
        pair, letter = token[i:i + 2], token[i]
        if len(pair) == 2 and pair in _RUN_CODES:
            out.append(_RUN_CODES[pair])
            i += 2
        elif letter in _RUN_CODES:
            if letter == "h" and len(token) == 1:
                return None
            out.append(_RUN_CODES[letter])
            i += 1
        else:
            return None
    return out


def _single(token: str) -> list[int | None] | None:
    """One item that is not a range: a day word, or a run of day letters."""
    if token in _DAY_WORDS:
        return [_DAY_WORDS[token]]
    return _run(token) if token.isalpha() else None


def _resolve_t(sequence: list[int | None], has_thursday: bool) -> list[int] | None:
    """Give each bare T the one weekday its neighbours allow; None if one stays in doubt."""
    resolved: list[int] = []
    for position, day in enumerate(sequence):
        if day is not None:
            resolved.append(day)
            continue
        if has_thursday:
            resolved.append(_TUESDAY)
            continue
        before = next((d for d in reversed(sequence[:position]) if d is not None), None)
        after = next((d for d in sequence[position + 1:] if d is not None), None)
        fits = [c for c in (_TUESDAY, _THURSDAY)
                if (before is None or before < c) and (after is None or c < after)]
        if len(fits) != 1 or (before is None and after is None):
            return None
        resolved.append(fits[0])
    return resolved


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one letter added, dropped, changed or two neighbours swapped turn a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                   and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _typo(token: str) -> int | None:
    """The day a misspelt day name stands for, when one slip of the keyboard explains it.

    Only a single added, dropped, changed or swapped letter counts, and only when it points at
    one day: ``thrusday`` is Thursday, but nothing close to two days is ever corrected.
    """
    if not token.isalpha() or len(token) < 4:
        return None
    names = [*_FULL_DAY_NAMES, "tues", "thur", "thurs", "weds"]
    days = {_DAY_WORDS[name] for name in names if _one_edit_apart(token, name)}
    return days.pop() if len(days) == 1 else None


def format_days(days: tuple[int, ...] | list[int]) -> str:
    """Days as the loader writes them: ``Mon;Wed;Fri``."""
    return ";".join(DAY_NAMES[d] for d in sorted(set(days)))


def read_days(text: str) -> DaysReading:
    """Read a therapist's days on site written any unambiguous common way.

    Accepted: day names and abbreviations (``Mon``, ``Monday``, ``Mondays``, ``Tues``,
    ``Thurs``), separated by ``;``, ``,``, ``/``, spaces, ``&``, ``+`` or ``and``; ranges
    (``Mon-Thu``, ``M-F``, ``Monday through Thursday``); runs of day letters (``MWF``,
    ``MTWRF``, ``MTWThF``, ``TTh``, ``TR``); and blank, ``all`` or ``daily`` for every day.

    Args:
        text: The cell, as written.

    Returns:
        The reading; a hint only ever restates all of the cell's days.
    """
    if _key(text) in _EVERY_DAY:
        return DaysReading(tuple(range(5)))
    items = _items(text)
    sequence: list[int | None] = []
    typo_days: list[int] = []
    typo_parts: list[str] = []
    for written in items:
        item = written.lower()
        if item in _PART_DAY or re.fullmatch(r"\d{1,2}(?::\d\d)?\s?(?:am|pm)", item):
            return DaysReading(None, written, "the model has a therapist on site for whole days; "
                               "part days cannot be written here")
        if item in _WEEKEND:
            return DaysReading(None, written, "the model's school week is Mon to Fri")
        if re.fullmatch(r"\d+", item):
            return DaysReading(None, written, "day numbers mean different days in different "
                               "calendars (1 is Monday in some and Sunday in others): write "
                               "day names")
        if "-" in item:
            days = _range(item)
            if isinstance(days, str):
                return DaysReading(None, written, days)
            sequence += days
            continue
        single = _single(item)
        if single is None:
            day = _typo(item)
            if day is None:
                return DaysReading(None, written)
            typo_days.append(day)
            typo_parts.append(written)
            continue
        sequence += single
    has_thursday = _THURSDAY in sequence or _THURSDAY in typo_days
    resolved = _resolve_t(sequence, has_thursday)
    if resolved is None:
        bare = [w for w in items if w.lower() == "t"]
        return DaysReading(None, bare[0] if bare else text.strip(),
                           "a bare T could be Tuesday or Thursday: write Tue or Thu")
    if typo_parts:
        return DaysReading(None, typo_parts[0], "",
                           f"did you mean '{format_days(resolved + typo_days)}'?")
    if not resolved:
        return DaysReading(None, text.strip())
    return DaysReading(tuple(sorted(set(resolved))))


def _range(item: str) -> list[int] | str:
    """The days of a range such as ``mon-thu`` or ``t-th``, or why it cannot be read."""
    ends = item.split("-")
    if len(ends) != 2 or not all(ends):
        return "write a range as two days joined by one dash, such as Mon-Thu"
    first, last = (_single(end) for end in ends)
    if first is None or last is None or len(first) != 1 or len(last) != 1:
        return "write a range as two days joined by one dash, such as Mon-Thu"
    start, end = first[0], last[0]
    if start is None and end is None:
        return "a bare T could be Tuesday or Thursday: write Tue or Thu"
    if start is None:
        fits = [c for c in (_TUESDAY, _THURSDAY) if c < end]  # type: ignore[operator]
        if len(fits) != 1:
            return "a bare T could be Tuesday or Thursday: write Tue or Thu"
        start = fits[0]
    if end is None:
        fits = [c for c in (_TUESDAY, _THURSDAY) if c > start]
        if len(fits) != 1:
            return "a bare T could be Tuesday or Thursday: write Tue or Thu"
        end = fits[0]
    if end < start:
        return (f"a range from {DAY_NAMES[start]} back to {DAY_NAMES[end]} would cross the "
                "weekend, and the model's school week is Mon to Fri")
    return list(range(start, end + 1))


def read_day(text: str) -> tuple[int | None, str]:
    """Read the one day of a timetable row (``Mon``, ``Monday``, ``M``, ``Th``, ``R``).

    Returns:
        ``(day, "")``, or ``(None, reason)``; the reason never names a different day.
    """
    reading = read_days(text)
    if reading.days is None:
        return None, reading.why or reading.hint
    if _key(text) in _EVERY_DAY or len(reading.days) != 1 or "-" in _items(text)[0]:
        return None, "one day per row"
    return reading.days[0], ""
