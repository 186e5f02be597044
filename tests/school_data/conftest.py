from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TINY_SCHOOL = HERE / "tiny_school"
EXAMPLE_SCHOOL = ROOT / "scenarios" / "schools" / "example_300"
TEMPLATES = ROOT / "scenarios" / "templates"


@pytest.fixture
def tiny_school(tmp_path: Path) -> Path:
    """A fresh copy of the small valid school, safe to break."""
    folder = tmp_path / "school"
    shutil.copytree(TINY_SCHOOL, folder)
    return folder


def replace_line(folder: Path, file_name: str, line: int, text: str) -> None:
    """Replace line `line` (1-based) of a school file with `text`."""
    path = folder / file_name
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def edit() -> Callable[[Path, str, int, str], None]:
    return replace_line
