from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sweep_fakes import (
    GRID_SPEC,
    FakeScenario,
    assert_same_tables,
    fake_run,
    fake_spec,
    flaky_run,
    tables,
)

from inclusion_sim.base.errors import InputError
from inclusion_sim.experiments import open_results, run_sweep

HERE = Path(__file__).parent
SRC = HERE.parent.parent / "src"

SCRIPT = """
import signal
import sys
from sweep_fakes import fake_spec
from sweep_fakes import FakeScenario, slow_run
from inclusion_sim.experiments import run_sweep

if __name__ == "__main__":
    # Ctrl-C as at a terminal, even when the tests themselves were started as a background job
    # (which starts with SIGINT ignored, and Python then installs no KeyboardInterrupt handler).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run_sweep(fake_spec(), sys.argv[1], workers=2, chunk_size=2, scenario=FakeScenario(),
                  run_fn=slow_run, progress=False)
    except KeyboardInterrupt:
        sys.exit(130)
"""


def start_sweep(tmp_path: Path, out: Path) -> subprocess.Popen:
    script = tmp_path / "sweep_script.py"
    script.write_text(SCRIPT)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(HERE), env.get("PYTHONPATH", "")])
    return subprocess.Popen([sys.executable, str(script), str(out)], env=env,
                            start_new_session=True, stderr=subprocess.PIPE)


def wait_for_chunks(out: Path, count: int, process: subprocess.Popen, timeout: float = 120):
    """Wait for the sweep subprocess to finish `count` chunks; generous, for a busy machine."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list((out / "runs").glob("*.parquet"))) >= count:
            return
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.01)
    raise AssertionError("sweep made no progress")


def test_results_are_identical_on_one_or_two_workers(reference_sweep, tmp_path):
    summary = run_sweep(fake_spec(), tmp_path, workers=2, chunk_size=3, scenario=FakeScenario(),
                        run_fn=fake_run, progress=False)
    assert summary.ok == 48 and summary.workers == 2
    assert_same_tables(tables(reference_sweep), tables(tmp_path))


def test_chunks_write_a_few_files_not_one_per_run(reference_sweep):
    runs = list((reference_sweep / "runs").glob("*.parquet"))
    assert 1 <= len(runs) <= 12
    assert sum(pq.read_metadata(p).num_rows for p in runs) == 48


def test_sigkill_mid_sweep_then_resume_matches_an_uninterrupted_sweep(reference_sweep, tmp_path):
    out = tmp_path / "killed"
    process = start_sweep(tmp_path, out)
    wait_for_chunks(out, 3, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = len(list((out / "runs").glob("*.parquet")))
    assert 3 <= finished < 24, "the kill must land mid-sweep"
    with open_results(out) as partial:
        done_before = partial.counts()["ok"]

    summary = run_sweep(fake_spec(), out, workers=2, scenario=FakeScenario(), run_fn=fake_run,
                        progress=False)
    assert summary.skipped == done_before and summary.ok == 48 - done_before
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for path in out.rglob("*.parquet"):
        pq.read_metadata(path)
    assert_same_tables(tables(reference_sweep), tables(out))


@pytest.mark.parametrize("how", ["ctrl-c to the process group", "SIGTERM to the parent"])
def test_interrupt_stops_cleanly_and_the_same_call_resumes(reference_sweep, tmp_path, how):
    out = tmp_path / "interrupted"
    process = start_sweep(tmp_path, out)
    wait_for_chunks(out, 2, process)
    if how.startswith("ctrl-c"):
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGTERM)
    # Generous: on a loaded machine (the suite runs beside other tests) stopping the workers
    # once took over 30 s; a process that does not stop still fails here.
    assert process.wait(timeout=120) == 130
    stderr = process.stderr.read().decode()
    assert "Traceback" not in stderr or "KeyboardInterrupt" not in stderr.splitlines()[-1]
    assert 2 <= len(list((out / "runs").glob("*.parquet"))) < 24
    summary = run_sweep(fake_spec(), out, workers=1, scenario=FakeScenario(), run_fn=fake_run,
                        progress=False)
    assert summary.complete
    assert_same_tables(tables(reference_sweep), tables(out))


def test_a_failing_run_is_recorded_and_the_others_go_on(tmp_path):
    summary = run_sweep(fake_spec(), tmp_path, workers=1, scenario=FakeScenario(),
                        run_fn=flaky_run, progress=False)
    assert (summary.ok, summary.failed) == (36, 12)
    with open_results(tmp_path) as results:
        failures = results.failures()
        assert len(failures) == 12 and set(failures["policy"]) == {"pull_out"}
        assert failures["error"].str.startswith("ValueError: boom at stigma 0.025").all()
        assert "flaky_run" in failures["traceback"].iloc[0]
        assert len(results.outcomes()) == 36

    again = run_sweep(fake_spec(), tmp_path, workers=1, scenario=FakeScenario(),
                      run_fn=fake_run, progress=False)
    assert again.skipped == 48 and again.ok == 0
    retried = run_sweep(fake_spec(), tmp_path, workers=1, scenario=FakeScenario(),
                        run_fn=fake_run, retry_failed=True, progress=False)
    assert retried.ok == 12
    with open_results(tmp_path) as results:
        assert results.counts() == {"planned": 48, "ok": 48, "failed": 0}
        assert len(results.outcomes()) == 48


def test_a_real_dask_local_cluster_gives_the_same_results(reference_sweep, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = run_sweep(fake_spec(), tmp_path / "executor",
                            executor=client.get_executor(pure=False), workers=2,
                            scenario=FakeScenario(), run_fn=fake_run, progress=False)
        by_address = run_sweep(fake_spec(), tmp_path / "address",
                               scheduler=cluster.scheduler_address, scenario=FakeScenario(),
                               run_fn=fake_run, progress=False)
    assert summary.ok == 48 and by_address.ok == 48 and by_address.workers == 2
    assert_same_tables(tables(reference_sweep), tables(tmp_path / "executor"))
    assert_same_tables(tables(reference_sweep), tables(tmp_path / "address"))


def test_duckdb_queries_the_store_and_paired_seeds_line_up(reference_sweep):
    with open_results(reference_sweep) as results:
        by_policy = results.sql("SELECT policy, count(*) AS n, avg(carryover_mean) AS mean "
                                "FROM outcomes GROUP BY policy ORDER BY policy")
        assert list(by_policy["n"]) == [24, 24]
        pairs = results.sql(
            "SELECT a.seed = b.seed AS same FROM runs a JOIN runs b "
            "ON a.point = b.point AND a.replicate = b.replicate AND a.policy < b.policy")
        assert len(pairs) == 24 and pairs["same"].all()
        weeks = results.sql("SELECT count(DISTINCT week) AS w FROM weekly")["w"].item()
        assert weeks == 6
        runs = results.runs()
        assert {"scenario_hash", "plan_hash", "versions", "seed", "wall_seconds", "cpu_seconds",
                "status", "error", "stigma_per_removal", "carryover_rate"} <= set(runs.columns)
        # a run's CPU time is its worker process's, so it cannot exceed the run's wall time by
        # more than the clocks' resolution
        assert (runs["cpu_seconds"] >= 0).all()
        assert (runs["cpu_seconds"] <= runs["wall_seconds"] + 0.02).all()
        assert (runs["scenario_hash"] == "fake6").all()


def test_csv_export(reference_sweep, tmp_path):
    with open_results(reference_sweep) as results:
        written = results.to_csv(tmp_path)
    assert {p.name for p in written} == {"runs.csv", "outcomes.csv", "weekly.csv",
                                         "failures.csv", "data_dictionary.csv"}
    assert (tmp_path / "outcomes.csv").read_text().count("\n") == 49


def test_a_directory_holding_another_sweep_is_refused(reference_sweep):
    other = fake_spec(GRID_SPEC.replace("seed = 11", "seed = 12"))
    with pytest.raises(InputError) as info:
        run_sweep(other, reference_sweep, workers=1, scenario=FakeScenario(), run_fn=fake_run,
                  progress=False)
    assert info.value.problems[0].where == "plan_hash"


def test_more_replicates_extend_a_finished_sweep(reference_sweep, tmp_path):
    import shutil

    out = tmp_path / "extended"
    shutil.copytree(reference_sweep, out)
    more = fake_spec(GRID_SPEC.replace("replicates = 4", "replicates = 5"))
    summary = run_sweep(more, out, workers=1, scenario=FakeScenario(), run_fn=fake_run,
                        progress=False)
    assert (summary.skipped, summary.ok) == (48, 12)


def test_progress_shows_counts_of_done_and_failed_runs(tmp_path, capsys):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        run_sweep(fake_spec(), tmp_path, executor=pool, workers=1, scenario=FakeScenario(),
                  run_fn=flaky_run, progress=True)
    err = capsys.readouterr().err
    assert "48/48" in err and "done=36" in err and "failed=12" in err
    assert "48/48 runs finished (48 now, 0 before; 12 failed now)" in err
