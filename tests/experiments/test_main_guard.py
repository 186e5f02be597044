"""A sweep started from a script without ``if __name__ == "__main__":``, and sweeps that lose
every run.

Local workers are spawned processes that begin by re-running the main script's top level; a
script that starts the sweep there makes every worker start it again and die. The runner must
notice before starting anything and say how to fix it, and a sweep whose every run was lost
must raise (and exit non-zero), never pass for a success. The scripts here run in real
subprocesses, the lost runs in a real process pool whose workers die.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sweep_fakes import FakeScenario, dying_run, fake_spec

from inclusion_sim.experiments import SweepLostError
from inclusion_sim.experiments import runner as runner_module
from inclusion_sim.faces.sweep_cli import main

HERE = Path(__file__).parent
SRC = HERE.parent.parent / "src"

TOP_LEVEL = """\
import sys
from sweep_fakes import FakeScenario, fake_run, fake_spec
from inclusion_sim.experiments import run_sweep

spec = fake_spec()
summary = run_sweep(spec, sys.argv[1], workers=2, scenario=FakeScenario(), run_fn=fake_run,
                    progress=False)
print("finished", summary)
"""

IN_A_FUNCTION = """\
import sys
from sweep_fakes import FakeScenario, fake_run, fake_spec
from inclusion_sim.experiments import run_sweep


def study(out):
    return run_sweep(fake_spec(), out, workers=2, scenario=FakeScenario(), run_fn=fake_run,
                     progress=False)


if __name__ != "__main__":
    pass
print("finished", study(sys.argv[1]))
"""


def run_script(tmp_path: Path, text: str) -> tuple[subprocess.CompletedProcess, Path, Path]:
    script = tmp_path / "notebook_style.py"
    script.write_text(text)
    out = tmp_path / "out"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(HERE), env.get("PYTHONPATH", "")])
    process = subprocess.run([sys.executable, str(script), str(out)], env=env,
                             capture_output=True, text=True, timeout=120)
    return process, script, out


@pytest.mark.parametrize(("text", "line"), [(TOP_LEVEL, 6), (IN_A_FUNCTION, 13)])
def test_a_script_without_the_main_guard_is_stopped_with_the_fix(tmp_path: Path, text: str,
                                                                 line: int) -> None:
    process, script, out = run_script(tmp_path, text)
    assert process.returncode != 0
    assert "finished" not in process.stdout
    last = process.stderr.strip().splitlines()[-1]
    assert f"{script}: line {line}: expected the code that starts the sweep under " \
        '`if __name__ == "__main__":`, found the sweep started at the top level of the ' \
        "script" in last
    assert "indent the lines that start the sweep under" in last
    # Stopped before anything started: no worker error, no results directory.
    assert "bootstrapping phase" not in process.stderr
    assert not out.exists()


def test_a_sweep_that_loses_every_run_raises_and_exits_non_zero(tmp_path: Path, monkeypatch,
                                                                capsys) -> None:
    """Workers that die on their first chunk: the API raises, the command line exits 1."""
    real = runner_module.run_sweep
    raised: list[SweepLostError] = []

    def with_dying_workers(spec, out, **options):
        try:
            return real(fake_spec(), out, workers=1, chunk_size=4, scenario=FakeScenario(),
                        run_fn=dying_run, progress=False)
        except SweepLostError as err:
            raised.append(err)
            raise

    monkeypatch.setattr(runner_module, "run_sweep", with_dying_workers)
    code = main(["sweep", "unused.toml", "--out", str(tmp_path / "out"), "--no-progress"])
    err = capsys.readouterr().err

    (error,) = raised
    summary = error.summary
    assert summary.ok == summary.failed == 0 and summary.lost > 0 and summary.pool_broken
    assert not summary.complete
    assert str(error).startswith(
        f"no run of the sweep finished: all {summary.lost} runs sent to the workers were lost "
        "because the worker processes died (p000000-")
    assert "BrokenProcessPool" in str(error) and 'if __name__ == "__main__":' in str(error)
    assert "no run finished" in str(summary)

    assert code == 1
    assert "error: no run of the sweep finished" in err
    assert "lost: p000000-" in err
    assert "run the same command to redo them" not in err
