"""Execute the workshop notebooks top to bottom, as a participant would, then move their controls.

Each notebook runs in a fresh ``python3`` kernel (the ipykernel of the interpreter running the
tests) with ``notebooks/`` as working directory. A notebook passes when no cell raises, it
produced figures and tables, and every slider or menu changes what its figure or table shows:
after the last cell, a probe cell in the same kernel sets each control of each interactive
widget to another value, as a participant dragging it would, and compares the data drawn (line
and bar coordinates, bands, texts) or the table's values before and after.

The notebooks' source is the paired percent script (``notebooks/*.py``, kept in sync by
jupytext); the committed ``.ipynb`` must hold the same cells and no outputs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
#: Most seconds one cell may take, per notebook: generous, several times what the slowest cell
#: takes on a busy machine (notebook 05's staffing cell runs 36 school years). A cell that
#: outlasts it is taken for a hung kernel connection (below).
CELL_TIMEOUT = {"01_a_week_in_class": 180, "02_where_the_minutes_go": 300,
                "03_teachers_learning": 300, "04_stigma_and_peers": 400,
                "05_design_your_policy": 600}
#: A whole notebook, probe included: a hung kernel connection fails its test instead of CI.
NOTEBOOK_TIMEOUT = 1800
#: How often a notebook whose run timed out is run again in a fresh kernel. The client has been
#: seen waiting until the cell timeout on a kernel that was idle, its cell done, once in several
#: full runs and never on a second run (see `EXECUTE`); a notebook that really hangs or is too
#: slow times out again and fails.
RETRIES = 1

#: Executes one notebook (argv: the notebook to run, where to write it, cell timeout, folder)
#: in a process of its own, so that notebooks running side by side share no ZMQ context or
#: event loop (jupyter_client can hang when several clients run in threads of one process).
#: nbclient waits for a cell's reply with one poll of the kernel's socket lasting the whole cell
#: timeout; a wake-up the asyncio poller misses then costs the whole timeout, with the reply
#: already there. nbclient's issue 312 reports this hang after cells with ipywidgets, as seen
#: here after `interact` in notebook 1. The client here polls in one-second slices, so a missed
#: wake-up costs at most a second.
EXECUTE = '''
import sys
import time
from queue import Empty

import nbclient
import nbformat

SLICE = 1.0


def in_slices(get_msg):
    async def get(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=SLICE if left is None else min(SLICE, left))
            except Empty:
                if left is not None and left <= SLICE:
                    raise
    return get


class Client(nbclient.NotebookClient):
    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        for channel in (kc.shell_channel, kc.iopub_channel):
            channel.get_msg = in_slices(channel.get_msg)
        return kc


source, target, timeout, folder = sys.argv[1:]
nb = nbformat.read(source, as_version=4)
client = Client(nb, timeout=int(timeout), kernel_name="python3",
                resources={"metadata": {"path": folder}})
try:
    client.execute()
finally:
    nbformat.write(nb, target)
'''
#: Figures each notebook shows without any slider being touched.
MIN_FIGURES = {
    "01_a_week_in_class": 2,
    "02_where_the_minutes_go": 4,
    "03_teachers_learning": 2,
    "04_stigma_and_peers": 3,
    "05_design_your_policy": 3,
}

pytestmark = pytest.mark.notebooks

#: Run in the notebook's kernel after its last cell: move every control of every interactive
#: widget and report whether the figure's or table's data changed. Prints one JSON line.
PROBE = r'''
import json as _json

import numpy as _np
import pandas as _pd
from ipywidgets import Widget as _Widget
from ipywidgets.widgets.interaction import interactive as _interactive
from matplotlib.figure import Figure as _Figure
from pandas.io.formats.style import Styler as _Styler


def _drawn(obj):
    """What a participant sees of a result: a figure's data and texts, or a table's cells."""
    if isinstance(obj, _Figure):
        parts = []
        for ax in obj.axes:
            parts += [line.get_xydata().round(9).tolist() for line in ax.get_lines()]
            parts += [[round(v, 9) for v in patch.get_bbox().bounds] for patch in ax.patches]
            for band in ax.collections:
                parts += [_np.asarray(path.vertices).round(9).tolist() for path in band.get_paths()]
                parts.append(_np.asarray(band.get_offsets()).round(9).tolist())
            parts += [text.get_text() for text in ax.texts]
        parts += [text.get_text() for text in obj.texts]
        return repr(parts)
    if isinstance(obj, _Styler):
        obj = obj.data
    if isinstance(obj, _pd.DataFrame):
        return obj.to_csv()
    return repr(obj)


def _other(control):
    """Another value the control can take: the far end of a slider, another menu entry."""
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        if hasattr(control.options, "values") and not isinstance(control.options, tuple):
            values = list(control.options.values())
        return next(v for v in values if v != control.value)
    return control.max if control.value != control.max else control.min


_report = []
for _w in list(_Widget.widgets.values()):
    if not isinstance(_w, _interactive):
        continue
    if _w.manual:
        _w.update()
    _before = _drawn(_w.result)
    for _control in _w.kwargs_widgets:
        _old = _control.value
        _control.value = _other(_control)
        if _w.manual:
            _w.update()
        _report.append({"control": _control.description, "changed": _drawn(_w.result) != _before,
                        "kind": type(_w.result).__name__})
        _control.value = _old  # recomputes at once unless a button is needed; then no need
print("PROBE " + _json.dumps(_report))
'''


def _pairs():
    jupytext = pytest.importorskip("jupytext")
    return [(path, jupytext.read(path)) for path in sorted(NOTEBOOKS.glob("0*.py"))]


def test_every_notebook_is_listed():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(MIN_FIGURES)
    assert sorted(p.stem for p in NOTEBOOKS.glob("0*.py")) == sorted(MIN_FIGURES)


@pytest.mark.parametrize("name", sorted(MIN_FIGURES))
def test_committed_notebook_matches_its_script(name):
    """The ``.ipynb`` holds exactly the paired script's cells, and no outputs."""
    jupytext = pytest.importorskip("jupytext")
    script = jupytext.read(NOTEBOOKS / f"{name}.py")
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert committed.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    assert [(c.cell_type, c.source) for c in committed.cells] == \
        [(c.cell_type, c.source) for c in script.cells], (
        f"notebooks/{name}.ipynb differs from notebooks/{name}.py: run "
        f"`jupytext --sync notebooks/{name}.py` and commit both")
    for cell in committed.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "commit without outputs"


def test_sync_check_catches_an_edit(tmp_path):
    """The comparison above fails when a script is edited and its notebook is not re-synced."""
    jupytext = pytest.importorskip("jupytext")
    path, script = _pairs()[0]
    script.cells[3].source += "\nprint('edited')"
    committed = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
    assert [c.source for c in committed.cells] != [c.source for c in script.cells]
    assert jupytext.read(path).cells[3].source == committed.cells[3].source


def _outputs(nb, kind):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
            if kind in out.get("data", {})]


def _texts(nb):
    """Everything the notebook printed or showed as text or HTML."""
    chunks = []
    for cell in nb.cells:
        for out in getattr(cell, "outputs", []):
            chunks.append(out.get("text", ""))
            chunks += [out.get("data", {}).get(kind, "") for kind in ("text/plain", "text/html")]
    return "\n".join(chunks)


def _execute_with_probe(name: str):
    """Run one notebook and then the probe in its kernel; return (notebook, probe cell, seconds).

    Raises:
        AssertionError: with the failing cell's error, when a cell raised or the run timed out.
    """
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.ipynb", Path(tmp) / "out.ipynb"
        nbformat.write(nb, source)
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            try:
                done = subprocess.run([sys.executable, "-c", EXECUTE, str(source), str(target),
                                       str(CELL_TIMEOUT[name]), str(NOTEBOOKS)],
                                      capture_output=True, text=True, timeout=NOTEBOOK_TIMEOUT)
            except subprocess.TimeoutExpired:
                done = subprocess.CompletedProcess([], 1, "", "TimeoutExpired: the whole notebook")
            elapsed = time.perf_counter() - started
            if "Timeout" not in done.stderr or attempt == RETRIES:
                break
            warnings.warn(f"{name} timed out after {elapsed:.0f} s and ran again in a fresh "
                          "kernel", stacklevel=1)
        assert done.returncode == 0, f"{name} failed:\n{done.stderr[-3000:]}"
        nb = nbformat.read(target, as_version=4)
    probe = nb.cells.pop()
    return nb, probe, elapsed


@pytest.fixture(scope="module")
def executed() -> Iterator[dict[str, Future]]:
    """Every notebook executing, each in its own kernel, as many at a time as there are cores.

    The kernels are separate processes, so running them side by side uses every core while the
    test process only waits; the longest notebooks start first. Each test waits for its own
    notebook, and a notebook that failed re-raises its error in its own test.
    """
    names = sorted(MIN_FIGURES, reverse=True)  # 05 and 04 take longest
    with ThreadPoolExecutor(max_workers=max(1, min(len(names), os.cpu_count() or 1))) as pool:
        yield {name: pool.submit(_execute_with_probe, name) for name in names}


@pytest.mark.parametrize("name", sorted(MIN_FIGURES))
def test_notebook_runs_and_its_controls_respond(name, executed):
    nb, probe, elapsed = executed[name].result()
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
    assert nb.metadata.get("widgets", {}), "the interactive controls were not created"

    # What a participant reads: no code names of policies, no "grade 0", no float noise.
    shown = _texts(nb)
    for code in ("push_in_collaborative", "pull_out_refusal_rate", "iep_carryover",
                 "transition_minutes", "grade 0"):
        assert code not in shown, f"{code!r} is shown to participants"
    assert not re.search(r"\bnan\b|\.\d{4,}\b", shown), "a missing value or float noise"

    line = next(out["text"] for out in probe.outputs if out.get("text", "").startswith("PROBE"))
    report = json.loads(line.split(" ", 1)[1])
    assert report, "no interactive control found"
    labels = [entry["control"] for entry in report]
    assert len(set(labels)) == len(labels), f"two controls read the same: {labels}"
    dead = [entry for entry in report if not entry["changed"]]
    assert not dead, f"moving these controls changed nothing shown: {dead}"


def test_kernel_uses_this_interpreter():
    """The ``python3`` kernel must be the test interpreter's, so the notebooks see this install."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    argv0 = spec.argv[0]
    assert argv0 in ("python", "python3", "{python}", sys.executable) or \
        Path(argv0).resolve() == Path(sys.executable).resolve()
