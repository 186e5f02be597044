"""The task a worker executes: a chunk of runs, written straight to the store.

This lives in the package, not in a script or notebook, because process pools started with
``spawn`` (Mesa sets that method globally) and Dask workers can only call functions they can
import. Results go to disk from here; the parent only receives counts and timings, which keeps
its memory flat however many runs a sweep has.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import signal
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from inclusion_sim.delivery.schedulers import CACHE_ENV
from inclusion_sim.experiments.designs import RunSpec
from inclusion_sim.experiments.knobs import EQUAL_DOSE_KNOB, apply_knobs, split_values
from inclusion_sim.experiments.store import ID_COLUMNS, SCHEDULE_CACHE, SweepStore, write_parquet_atomic

TRACEBACK_LINES = 30

#: Outcome column of equal-dose sweeps: weekly minutes withheld to equalize the dose (the run's
#: ``meta`` entry of the same name).
WITHHELD_COLUMN = "equal_dose_withheld_minutes_per_week"


@dataclass
class ChunkTask:
    """Everything a worker needs to execute and store a chunk of runs.

    Attributes:
        root: The sweep directory (shared by all workers).
        chunk: Name of the chunk's files.
        scenario: The base scenario object, passed to the run function.
        scenario_hash: Digest of the scenario, recorded with every run.
        plan_hash: Digest of the sweep plan, recorded with every run.
        runs: The runs to execute.
        parameter_names: Varied parameter names, so every file has the same columns.
        fixed: Parameter values applied to every run.
        weeks: Weeks to simulate, or None for the scenario's own length.
        run_fn: Called as ``run_fn(scenario, seed=, policy=, parameters=, weeks=)``, plus
            ``equal_dose=`` (the sweep's policies) for a run at equal dose; None means
            `inclusion_sim.run`.
        policies: The sweep's policies: the ones an equal-dose run is given the dose of.
        equal_dose: The whole sweep runs at equal dose (``[sweep] equal_dose = true``); a run
            is also at equal dose where the ``equal_dose`` knob is 1.
    """

    root: str
    chunk: str
    scenario: Any
    scenario_hash: str
    plan_hash: str
    runs: list[RunSpec]
    parameter_names: list[str]
    fixed: dict[str, float] = field(default_factory=dict)
    weeks: int | None = None
    run_fn: Callable[..., Any] | None = None
    policies: tuple[str, ...] = ()
    equal_dose: bool = False


@dataclass
class ChunkReport:
    """What a worker sends back: counts and timings only.

    Attributes:
        chunk: Name of the chunk.
        ok: Runs that finished.
        failed: Runs that raised (recorded in the manifest with their error).
        run_seconds: Wall time spent inside run functions.
        total_seconds: Wall time of the whole task, including storage.
    """

    chunk: str
    ok: int
    failed: int
    run_seconds: float
    total_seconds: float


def ignore_interrupts() -> None:
    """Process-pool initializer: let only the parent react to Ctrl-C.

    A terminal's Ctrl-C reaches every process in the group. Workers that ignore it finish and
    save their current chunk while the parent cancels what has not started, so an interrupted
    sweep stops within one chunk and keeps everything it computed.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def warm_up() -> None:
    """First task of every local worker: import the model before any chunk arrives."""
    import inclusion_sim.model.run  # noqa: F401


@functools.cache
def package_versions() -> str:
    """Versions of the software that produced a run, as JSON for the manifest."""
    versions = {"python": platform.python_version()}
    for name in ("inclusion-sim", "mesa", "numpy", "pandas", "pyarrow", "ortools"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    if versions["inclusion-sim"] == "not installed":
        from inclusion_sim.base.version import __version__

        versions["inclusion-sim"] = __version__
    return json.dumps(versions, sort_keys=True)


def _default_run_fn() -> Callable[..., Any]:
    from inclusion_sim.model.run import run

    return run


def _on_school(scenario: Any, school_seed: int | None) -> Any:
    """The scenario with its school drawn from `school_seed` (``[sweep] schools``), if one is set.

    The rest of the run (friendships, initial state, the year's events) still comes from the
    run's own seed, so a school seen in several replicates is seen in several school years.
    """
    if school_seed is None:
        return scenario
    return scenario.with_roster_seed(school_seed, "sweep", "[sweep] key 'schools'")


def _error_text(err: BaseException) -> tuple[str, str]:
    lines = traceback.format_exception(err)
    tail = "".join(lines[-TRACEBACK_LINES:])
    return f"{type(err).__name__}: {err}", tail


def run_chunk(task: ChunkTask) -> ChunkReport:
    """Execute a chunk of runs and write its three table files.

    A run that raises is recorded with its error and the chunk goes on; only
    `BaseException`s such as KeyboardInterrupt abort the chunk, leaving no manifest so the
    runs are redone on resume.

    Where equal dose is in play (the sweep's flag or the ``equal_dose`` knob), every run's
    outcomes get the column ``equal_dose_withheld_minutes_per_week``: the weekly minutes
    withheld to equalize the dose, which the unmet-minutes outcome includes (0 for runs not at
    equal dose).
    """
    started = time.perf_counter()
    run_fn = task.run_fn or _default_run_fn()
    # Runs that share a school share its optimized week: solve it once for the whole sweep.
    os.environ.setdefault(CACHE_ENV, str(Path(task.root) / SCHEDULE_CACHE))
    worker = f"{socket.gethostname()}:{os.getpid()}"
    versions = package_versions()
    manifest, outcomes, weekly = [], [], []
    run_seconds = 0.0
    scenarios: dict[tuple, Any] = {}
    for spec in task.runs:
        parameters = {**task.fixed, **spec.parameters}
        knobs, model_parameters = split_values(parameters)
        equal_dose = task.equal_dose or bool(knobs.pop(EQUAL_DOSE_KNOB, 0))
        dose_column = task.equal_dose or EQUAL_DOSE_KNOB in parameters
        ids = {"run_id": spec.run_id, "chunk": task.chunk, "point": spec.point,
               "policy": spec.policy, "replicate": spec.replicate}
        t0, c0 = time.perf_counter(), time.process_time()
        error = trace = ""
        try:
            key = (tuple(sorted(knobs.items())), spec.school_seed)
            if key not in scenarios:
                scenarios = {key: _on_school(apply_knobs(task.scenario, knobs), spec.school_seed)}
            extra = {"equal_dose": tuple(task.policies)} if equal_dose else {}
            result = run_fn(scenarios[key], seed=spec.seed, policy=spec.policy,
                            parameters=model_parameters, weeks=task.weeks, **extra)
            reported = {**result.summary, **getattr(result, "year_summary", {})}
            summary = {key: float(value) for key, value in reported.items()}
            if dose_column:
                meta = getattr(result, "meta", None) or {}
                summary[WITHHELD_COLUMN] = float(meta.get(WITHHELD_COLUMN, 0.0))
            frame = result.weekly
        except Exception as err:  # noqa: BLE001 - a failing run is data, not a crash
            error, trace = _error_text(err)
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - c0
        run_seconds += elapsed
        values = {name: spec.parameters.get(name) for name in task.parameter_names}
        if not error:
            outcomes.append({**ids, **values, **summary})
            if frame is not None and len(frame):
                frame = frame.copy()
                for position, (key, value) in enumerate(ids.items()):
                    frame.insert(position, key, value)
                weekly.append(frame)
        manifest.append({
            **ids, "seed": spec.seed, "status": "failed" if error else "ok", "error": error,
            "traceback": trace, "wall_seconds": elapsed, "cpu_seconds": cpu,
            "finished_at": datetime.now(UTC).isoformat(), "worker": worker,
            "scenario_hash": task.scenario_hash, "plan_hash": task.plan_hash,
            "versions": versions, "parameters": json.dumps(parameters, sort_keys=True),
            **values,
        })
    store = SweepStore(task.root)
    if outcomes:
        write_parquet_atomic(_table(pd.DataFrame(outcomes)), store.chunk_path("outcomes",
                                                                              task.chunk))
    if weekly:
        write_parquet_atomic(_table(pd.concat(weekly, ignore_index=True)),
                             store.chunk_path("weekly", task.chunk))
    write_parquet_atomic(_table(pd.DataFrame(manifest)), store.chunk_path("runs", task.chunk))
    failed = sum(row["status"] == "failed" for row in manifest)
    return ChunkReport(task.chunk, len(manifest) - failed, failed, run_seconds,
                       time.perf_counter() - started)


def _table(frame: pd.DataFrame) -> pa.Table:
    for column in frame.columns:
        if frame[column].dtype == object and column not in ID_COLUMNS:
            frame[column] = frame[column].astype("string")
    return pa.Table.from_pandas(frame, preserve_index=False)
