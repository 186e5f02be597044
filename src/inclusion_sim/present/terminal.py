"""Text for a terminal: every line fits 100 columns, and labels stand where identifiers would.

The command line's output is read in a terminal, pasted into an e-mail or piped into ``less``;
a line wider than the window wraps mid-word and a table's columns fall apart. Everything the
commands print is laid out here for `WIDTH` columns: sentences wrapped at word boundaries,
tables with their widest text column wrapped onto continuation lines. `terminal_problems` is
the check the tests run on every command's output.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

#: Terminal width every command lays its output out for.
WIDTH = 100

#: A snake_case identifier standing alone: not part of a path, a file name or an option.
_IDENTIFIER = re.compile(r"(?<![\w./\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/\\-]|\.\w)")


def wrap(text: str, width: int = WIDTH, indent: str = "", hang: str | None = None) -> str:
    """A paragraph wrapped at word boundaries; paths and numbers are never split.

    Args:
        text: The paragraph.
        width: Columns.
        indent: Prefix of the first line.
        hang: Prefix of the following lines (default: ``indent`` plus two spaces).
    """
    hang = indent + "  " if hang is None else hang
    return textwrap.fill(" ".join(text.split()), width, initial_indent=indent,
                         subsequent_indent=hang, break_long_words=False,
                         break_on_hyphens=False)


def path_line(prefix: str, path: object) -> str:
    """"Prefix:" and a path, the path on its own indented line when both do not fit."""
    line = f"{prefix} {path}"
    return line if len(line) <= WIDTH else f"{prefix}\n  {path}"


def _wrap_cell(text: str, width: int) -> list[str]:
    """A cell's text wrapped to ``width``, never splitting a parenthesized unit ("(% points)")."""
    kept = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace(" ", "\0"), text)
    parts = textwrap.wrap(kept, width, break_long_words=False, subsequent_indent="  ")
    return [part.replace("\0", " ") for part in parts] or [""]


def table_lines(rows: Sequence[Sequence[str]], align: str, wrap_column: int = 0,
                width: int = WIDTH, indent: str = "  ", gap: str = "  ") -> list[str]:
    """Rows of cells as aligned columns fitting ``width``.

    Every column is as wide as its widest cell, except ``wrap_column`` (a label), which is
    narrowed to what is left and wrapped onto continuation lines, indented two more spaces so
    they read as part of the row above, when the rows would not fit. A row of one cell is a
    heading: printed as it is, without indent, between the rows it introduces, so several
    tables share one set of column widths.

    Args:
        rows: The cells, as shown.
        align: One character per column: ``<`` (left) or ``>`` (right).
        wrap_column: The column that gives way.
        width: Columns of the terminal.
        indent: Prefix of every line.
        gap: Between columns.
    """
    cells = [row for row in rows if len(row) > 1]
    if not cells:
        return [wrap(row[0], width, hang="") for row in rows]
    widths = [max(len(row[k]) for row in cells) for k in range(len(align))]
    others = sum(w for k, w in enumerate(widths) if k != wrap_column)
    room = width - len(indent) - len(gap) * (len(widths) - 1) - others
    widths[wrap_column] = max(12, min(widths[wrap_column], room))
    before = len(indent) + sum(widths[:wrap_column]) + len(gap) * wrap_column
    lines = []
    for row in rows:
        if len(row) == 1:
            lines.append(wrap(row[0], width, hang=""))
            continue
        parts = _wrap_cell(row[wrap_column], widths[wrap_column])
        shown = [f"{cell:{a}{w}}" for cell, a, w in
                 zip([*row[:wrap_column], parts[0], *row[wrap_column + 1:]], align, widths,
                     strict=True)]
        lines.append((indent + gap.join(shown)).rstrip())
        lines += [(" " * before + part).rstrip() for part in parts[1:]]
    return lines


def terminal_problems(text: str, width: int = WIDTH, allowed: Iterable[str] = ()) -> list[str]:
    """What would read wrong in a terminal: lines over ``width`` and bare identifiers.

    A line holding nothing but a path may be wider (a path cannot be wrapped); identifiers
    inside paths and file names (``data_dictionary.csv``) are fine.

    Args:
        text: Everything a command printed.
        width: Columns.
        allowed: Identifiers that belong in this text (e.g. parameter names a user types).
    """
    allowed = set(allowed)
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > width and " " in line.strip():
            problems.append(f"line {number} is {len(line)} characters wide: {line!r}")
        names = [m for m in _IDENTIFIER.findall(line) if m not in allowed]
        if names:
            problems.append(f"line {number} names {', '.join(names)} where a label belongs: "
                            f"{line!r}")
    return problems
