"""A sweep started from a Jupyter kernel on local worker processes (spawn start method)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

HERE = Path(__file__).parent

CELL = """
import sys
sys.path[:0] = {paths!r}
from sweep_fakes import fake_spec
from sweep_fakes import FakeScenario, fake_run
from inclusion_sim import experiments

summary = experiments.run_sweep(fake_spec(), {out!r}, workers=2, scenario=FakeScenario(),
                                run_fn=fake_run)
print("OK", summary.ok, summary.failed, summary.workers)
"""


def test_run_sweep_from_a_notebook_uses_local_processes(tmp_path, monkeypatch):
    paths = [str(HERE.parent.parent / "src"), str(HERE)]
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(CELL.format(paths=paths,
                                                                out=str(tmp_path / "out"))))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths + [os.environ.get("PYTHONPATH", "")]))
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = notebook.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    assert "OK 48 0 2" in text, outputs
