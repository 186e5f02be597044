"""Errors for user mistakes: they say where, what was expected and what was found.

Anything a user can get wrong (a scenario file, a school CSV, a sweep spec, a command-line
value) raises `InputError`. The command line prints `str(error)` and exits with code 2; it never
shows a traceback for these. Loaders that can find several problems at once raise
`InputErrors`, which lists them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Problem:
    """One located problem in a user's input.

    Attributes:
        source: The file (or "command line") the problem is in.
        where: The key, ``line N, column C`` or field that is wrong.
        expected: What would have been valid.
        found: What was there.
        hint: An optional suggestion, such as the nearest valid key.
    """

    source: str
    where: str
    expected: str
    found: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.source}: {self.where}: expected {self.expected}, found {self.found}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(ValueError):
    """A problem in something the user supplied; never a bug in the tool."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(problems)
        )
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


#: Alias kept for readability where a loader reports many problems at once.
InputErrors = InputError


def nearest(name: str, choices: Iterable[str]) -> str:
    """Return a "did you mean ...?" hint for a misspelt name, or an empty string.

    A name that differs from a choice only in letter case gets that choice first: spelling
    similarity scores ``1a`` against ``1A`` too low to suggest it, yet it is the likeliest slip
    (ids and keys are case-sensitive).
    """
    choices = list(choices)
    text = str(name)
    same_letters = [c for c in choices if str(c).casefold() == text.casefold() and c != text]
    if same_letters:
        return f"did you mean '{same_letters[0]}'? letter case matters"
    matches = difflib.get_close_matches(text, choices, n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
