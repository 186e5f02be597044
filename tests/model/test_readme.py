"""The README's "From Python" snippet runs as a script and prints what it says it does."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The snippet on the small school, for two weeks, with the fast scheduler and two replicates:
#: the same calls, at a size a test can afford.
SMALL = ('load_scenario("scenarios/small_elementary.toml").with_changes('
         '{"scenario.weeks": 2, "scheduling.scheduler": "greedy"})')


def readme_snippet() -> str:
    """The first Python block under the README's "From Python" heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_from_python_snippet_prints_useful_lines(monkeypatch, capsys):
    code = readme_snippet()
    assert 'load_scenario("scenarios/default_elementary.toml")' in code
    code = code.replace('load_scenario("scenarios/default_elementary.toml")', SMALL)
    code = code.replace("replicates=10", "replicates=2")
    # run as a script would be (its own globals, from the repository's root), in this process so
    # the test does not pay for importing the package again
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md (From Python)", "exec"), {"__name__": "__main__"})
    out = capsys.readouterr().out
    assert re.search(r"Classroom use of IEP skills under hybrid: \d+\.\d points \(0-100 scale\)",
                     out)
    assert re.search(r"S\d+ speech (mastery \d\.\d\d, carry-over \d\.\d\d|no mandate)", out)
    assert "than with Pull-out" in out and "95% interval" in out
    assert re.search(r"Push-in \(alongside the lesson\) [\d,]+ minutes a week scheduled, [\d,]+ "
                     r"delivered", out)
    assert "_" not in out.replace("student_id", "")
