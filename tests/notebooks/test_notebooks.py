"""Execute the workshop notebooks top to bottom, as a participant would.

Each notebook runs in a fresh ``python3`` kernel (the ipykernel of the interpreter running the
tests) with ``notebooks/`` as working directory. A notebook passes when no cell raises, it
produced figures, and its tables printed. The committed notebooks must also match what
``notebooks/build_notebooks.py`` generates and carry no outputs.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 300
#: Figures each notebook shows without any slider being touched.
MIN_FIGURES = {
    "01_a_week_in_class": 2,
    "02_where_the_minutes_go": 4,
    "03_teachers_learning": 2,
    "04_stigma_and_peers": 3,
    "05_design_your_policy": 3,
}

pytestmark = pytest.mark.notebooks


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks",
                                                  NOTEBOOKS / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_is_listed():
    assert sorted(_builder().NOTEBOOKS) == sorted(MIN_FIGURES)
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(MIN_FIGURES)


@pytest.mark.parametrize("name", sorted(MIN_FIGURES))
def test_committed_notebook_matches_builder(name):
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    built = _builder().build(name)
    assert [c.source for c in committed.cells] == [c.source for c in built.cells], (
        "run `python notebooks/build_notebooks.py` and commit the notebooks")
    for cell in committed.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "commit without outputs"


def _outputs(nb, kind):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
            if kind in out.get("data", {})]


@pytest.mark.parametrize("name", sorted(MIN_FIGURES))
def test_notebook_runs(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the failing cell, on any error
    elapsed = time.perf_counter() - started
    print(f"{name}: {elapsed:.1f} s")

    errors = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
              if out.output_type == "error"]
    assert not errors
    figures = _outputs(nb, "image/png")
    assert len(figures) >= MIN_FIGURES[name], f"only {len(figures)} figures"
    assert _outputs(nb, "text/html"), "no table was displayed"
    # The first code cell prints the school's name; it proves the scenario loaded.
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert any("elementary" in out.get("text", "") for out in setup.outputs)
    widgets = nb.metadata.get("widgets", {})
    assert widgets, "the interactive controls were not created"


def test_kernel_uses_this_interpreter():
    """The ``python3`` kernel must be the test interpreter's, so the notebooks see this install."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    argv0 = spec.argv[0]
    assert argv0 in ("python", "python3", "{python}", sys.executable) or \
        Path(argv0).resolve() == Path(sys.executable).resolve()
