"""Run a sweep through any `concurrent.futures` executor, resumably.

The parent lists the runs, skips those already in the store, groups the rest into chunks and
keeps a bounded number of chunk tasks in flight. Workers write results to the store; the
parent only counts. Local processes (spawn context, package-level task function) are the
default because they work from scripts and notebooks alike; a Dask cluster is one argument
away for machines beyond this one.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import math
import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from inclusion_sim.base.errors import InputError, Problem
from inclusion_sim.experiments.designs import RunSpec, count_runs, design_matrix, iter_runs
from inclusion_sim.experiments.knobs import knobs_without_effect
from inclusion_sim.experiments.progress import Progress
from inclusion_sim.experiments.spec import SweepSpec, load_spec
from inclusion_sim.experiments.store import SweepStore
from inclusion_sim.experiments.worker import (
    ChunkReport,
    ChunkTask,
    ignore_interrupts,
    run_chunk,
    warm_up,
)
from inclusion_sim.present.terminal import path_line, wrap

TASKS_PER_WORKER = 4
MAX_CHUNK = 64
MIN_CHUNK = 2
IN_FLIGHT_PER_WORKER = 2


@dataclass
class SweepSummary:
    """What a call to `run_sweep` did.

    Attributes:
        out: The sweep directory.
        total: Runs in the plan.
        skipped: Runs already in the store when this call started.
        ok: Runs finished by this call.
        failed: Runs that raised in this call (recorded with their error).
        lost: Runs whose worker died; they are redone by running the sweep again.
        elapsed: Wall time of this call in seconds.
        run_seconds: Wall time spent inside run functions, summed over workers.
        task_seconds: Wall time of the chunk tasks (runs plus writing results), summed.
        workers: Number of workers used.
        chunks: Chunk tasks completed.
        interrupted: Whether Ctrl-C stopped the sweep early.
        lost_errors: The first few errors that lost chunks, one line each.
        pool_broken: Whether the local worker processes died, so the runs not yet sent to
            them were not started either.
    """

    out: Path
    total: int
    skipped: int = 0
    ok: int = 0
    failed: int = 0
    lost: int = 0
    elapsed: float = 0.0
    run_seconds: float = 0.0
    task_seconds: float = 0.0
    workers: int = 1
    chunks: int = 0
    interrupted: bool = False
    lost_errors: list[str] = field(default_factory=list)
    pool_broken: bool = False

    @property
    def complete(self) -> bool:
        """Whether every planned run is now in the store."""
        return self.skipped + self.ok + self.failed == self.total

    @property
    def overhead(self) -> float:
        """Share of worker time not spent in runs (scheduling, pickling, storage, idling)."""
        capacity = self.elapsed * self.workers
        return max(0.0, 1.0 - self.run_seconds / capacity) if capacity else 0.0

    def __str__(self) -> str:
        workers = f"{self.workers} worker{'s' if self.workers != 1 else ''}"
        text = (f"{self.ok + self.failed + self.skipped}/{self.total} runs finished "
                f"({self.ok + self.failed} now, {self.skipped} before; {self.failed} failed now) "
                f"in {self.elapsed:.1f} s on {workers}")
        if self.lost and not self.ok + self.failed:
            text += (f"; no run finished: all {self.lost} runs sent to the workers were lost "
                     "because the workers died (their errors are above)")
        elif self.lost:
            text += f"; {self.lost} runs lost to worker crashes: run the same command to redo them"
        if self.pool_broken:
            text += "; the worker processes died, so the remaining runs were not started"
        if self.interrupted:
            text += "; interrupted: run the same command to resume"
        return wrap(text + ".", hang="") + "\n" + path_line("Results in", self.out)


MAIN_GUARD = 'if __name__ == "__main__":'


class SweepLostError(RuntimeError):
    """Every run a sweep sent to its workers was lost: no worker finished a single chunk.

    Such a sweep must not look like a success, and "run it again" is no advice when the same
    cause (workers that cannot start) would lose every run again.

    Attributes:
        summary: What the call did, with the first errors in ``summary.lost_errors``.
    """

    def __init__(self, summary: SweepSummary):
        self.summary = summary
        first = summary.lost_errors[0] if summary.lost_errors else "no error recorded"
        super().__init__(
            f"no run of the sweep finished: all {summary.lost} runs sent to the workers were "
            f"lost because the worker processes died ({first}). Running it again would lose "
            "them again until the cause is fixed; the workers' own error messages are printed "
            "above. If the sweep was started from a script, put the code that starts it under "
            f"`{MAIN_GUARD}`: worker processes begin by re-running the script's top level.")


def unguarded_main_call() -> tuple[str, int] | None:
    """Where the running script starts this sweep outside ``if __name__ == "__main__":``.

    Local worker processes are started with ``spawn``: each begins by running the main
    script's top level again (as module ``__mp_main__``). A script that calls `run_sweep` at
    its top level therefore has every worker try to start the sweep anew; Python refuses, the
    workers die, and every run is lost. This looks for the outermost frame of the main script
    on the call stack and, reading the script with `ast`, checks whether that line is inside
    the guard. Interactive sessions and notebooks have no script to re-run and pass.

    Returns:
        ``(script path, line)`` of the unguarded top-level statement, or None.
    """
    main = sys.modules.get("__main__")
    spec_name = getattr(getattr(main, "__spec__", None), "name", None) or ""
    if main is None or spec_name == "__main__" or spec_name.endswith(".__main__"):
        return None  # a package's __main__ is not re-run by spawn
    if not spec_name and not getattr(main, "__file__", None):
        return None  # an interactive session or a notebook: nothing for spawn to re-run
    outer = None
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals is vars(main):
            outer = frame
        frame = frame.f_back
    if outer is None:
        return None
    path, line = outer.f_code.co_filename, outer.f_lineno
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            guarded = node.body if _tests_main(node.test, ast.Eq) else \
                node.orelse if _tests_main(node.test, ast.NotEq) else []
            if guarded and guarded[0].lineno <= line <= (guarded[-1].end_lineno or line):
                return None
    return path, line


def _tests_main(test: ast.expr, operator: type) -> bool:
    """Whether `test` is ``__name__ == "__main__"`` (or ``!=``), either way round."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], operator)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    values = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and values == ["__main__"]


def _refuse_unguarded_script() -> None:
    """Stop before any worker starts when the workers would re-run the sweep's own start."""
    message = (f"the code that starts the sweep under `{MAIN_GUARD}`",
               "the sweep started at the top level of the script",
               "worker processes begin by re-running the script's top level, so each would "
               "start the sweep again and no run would finish: indent the lines that start the "
               f"sweep under `{MAIN_GUARD}`, or run it with `inclusion-sim sweep SPEC --out "
               "DIR`")
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # We are such a worker, re-running an unguarded script: say why, not just that.
        raise RuntimeError(message[1] + " is being run again by a worker process; " + message[2])
    found = unguarded_main_call()
    if found is not None:
        path, line = found
        raise InputError(Problem(path, f"line {line}", *message))


def _needs_guard(executor: Executor | None, scheduler: str | None, dask_local: bool) -> bool:
    """Whether the sweep starts local worker processes that re-run the main script."""
    if executor is not None:
        context = getattr(executor, "_mp_context", None)
        return isinstance(executor, ProcessPoolExecutor) and context is not None \
            and context.get_start_method() != "fork"
    return not scheduler


def scenario_digest(scenario: Any) -> str:
    """The scenario's own hash, or a digest of its repr for objects without one."""
    if hasattr(scenario, "hash"):
        return str(scenario.hash())
    return hashlib.sha256(repr(scenario).encode()).hexdigest()[:16]


def guided_chunk_size(unassigned: int, workers: int) -> int:
    """Runs in the next task: large while much work is left, small near the end.

    Large chunks keep the number of files and tasks low; shrinking them as the sweep drains
    (guided self-scheduling) stops one worker from finishing a big last chunk while the others
    sit idle.
    """
    size = math.ceil(unassigned / (workers * TASKS_PER_WORKER))
    return max(MIN_CHUNK, min(MAX_CHUNK, size))


def _chunks(runs: Iterator[RunSpec], remaining: int, workers: int,
            fixed: int | None) -> Iterator[list[RunSpec]]:
    batch: list[RunSpec] = []
    target = fixed or guided_chunk_size(remaining, workers)
    for run in runs:
        batch.append(run)
        if len(batch) == target:
            yield batch
            remaining -= len(batch)
            batch = []
            target = fixed or guided_chunk_size(remaining, workers)
    if batch:
        yield batch


def chunk_name(runs: list[RunSpec]) -> str:
    """Deterministic file name for a chunk: its first run id plus a digest of all of them."""
    digest = hashlib.sha1("\n".join(r.run_id for r in runs).encode()).hexdigest()[:10]
    return f"{runs[0].run_id}_{len(runs)}_{digest}"


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while a sweep runs, so batch-system time limits stop it cleanly.

    Only possible from the main thread; elsewhere (e.g. some notebook front-ends) the default
    handling stays, which is still safe because every file is written atomically.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def make_executor(
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: bool = False,
) -> Iterator[tuple[Executor, int]]:
    """Open the executor a sweep runs on and say how many workers it has.

    Args:
        workers: Local processes (or Dask local workers); defaults to the CPU count.
        scheduler: Address of a running Dask scheduler to connect to.
        dask_local: Start a `distributed.LocalCluster` instead of a process pool.
    """
    if scheduler or dask_local:
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:
            raise RuntimeError("Dask execution needs the optional extra: "
                               "pip install 'inclusion-sim[distributed]'") from err
        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=workers or multiprocessing.cpu_count(),
                                   threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
        try:
            count = max(1, sum(w.get("nthreads", 1)
                               for w in client.scheduler_info()["workers"].values()))
            yield client.get_executor(pure=False), count
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    count = workers or multiprocessing.cpu_count()
    executor = ProcessPoolExecutor(max_workers=count,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=ignore_interrupts)
    _start_workers(executor, count)
    try:
        yield executor, count
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_workers(executor: ProcessPoolExecutor, count: int) -> None:
    """Start all local workers now, immune to Ctrl-C from their first instruction.

    A worker still importing the model when Ctrl-C arrives would die with a traceback, before
    its initializer could ignore the signal. Starting the processes while the parent ignores
    SIGINT makes them inherit the ignored disposition (kept across exec). Each submit of a
    warm-up task starts one process, as none is idle yet; the imports then overlap with the
    parent's own preparation.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for _ in range(count):
            executor.submit(warm_up)
    finally:
        signal.signal(signal.SIGINT, previous)


def run_sweep(
    spec: SweepSpec | str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    scheduler: str | None = None,
    dask_local: bool = False,
    scenario: Any = None,
    run_fn: Callable[..., Any] | None = None,
    chunk_size: int | None = None,
    retry_failed: bool = False,
    progress: bool = True,
) -> SweepSummary:
    """Run (or resume) a sweep and store every run's results under `out`.

    Calling it again with the same spec and directory resumes: runs already stored are skipped,
    leftovers of a killed sweep are cleaned, and the tables end up identical to an
    uninterrupted run, whatever the number of workers.

    Args:
        spec: A `SweepSpec` or the path of a sweep spec file.
        out: The sweep directory (created if needed).
        workers: Number of local worker processes; defaults to the CPU count.
        executor: An executor you manage (e.g. ``client.get_executor()``); its tasks must be
            able to import this package. Overrides `workers`, `scheduler` and `dask_local`.
        scheduler: Address of a Dask scheduler (``tcp://host:8786``).
        dask_local: Run on a fresh `distributed.LocalCluster`.
        scenario: The base scenario object; defaults to loading the spec's scenario file.
        run_fn: The function that runs one simulation; defaults to `inclusion_sim.run`. It must
            be importable by workers (defined in a module, not a notebook cell).
        chunk_size: Runs per worker task; defaults to the spec's, else chosen from the size.
        retry_failed: Run again the runs recorded as failed.
        progress: Show a progress bar with ETA and done/failed counts.

    Returns:
        A `SweepSummary`. Failed runs do not raise; look at ``summary.failed`` and the
        manifest's ``error`` column.

    Raises:
        InputError: For a bad spec, an `out` directory holding a different sweep, or a script
            that starts the sweep outside ``if __name__ == "__main__":`` while local worker
            processes would re-run it (checked before anything starts).
        SweepLostError: When no run finished because every chunk sent to the workers was
            lost (the workers died); a sweep that lost everything is never a success.
        KeyboardInterrupt: After a clean stop on Ctrl-C (finished chunks are kept).
    """
    started = time.perf_counter()
    if _needs_guard(executor, scheduler, dask_local):
        _refuse_unguarded_script()
    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    if scenario is None:
        from inclusion_sim.scenario.files import load_scenario

        scenario = load_scenario(spec.scenario)
    scenario = _with_roster_seed(spec, scenario)
    if spec.schools is not None:
        from inclusion_sim.scenario.files import check_school_turns

        check_school_turns(scenario, spec.schools, spec.replicates, spec.source,
                           "[sweep] key 'schools'")
    _refuse_knobs_without_effect(spec, scenario)
    scenario_hash = scenario_digest(scenario)
    plan_hash = spec.plan_hash(scenario_hash)
    matrix = design_matrix(spec)
    store = SweepStore(out)
    total = count_runs(spec)
    store.prepare(_meta(spec, plan_hash, scenario_hash, matrix, total), _design_table(spec, matrix))
    store.clean()
    done = store.finished_run_ids(include_failed=not retry_failed)
    remaining = sum(1 for run in iter_runs(spec, matrix) if run.run_id not in done)
    summary = SweepSummary(out=Path(out), total=total, skipped=total - remaining)
    pending_runs = (run for run in iter_runs(spec, matrix) if run.run_id not in done)

    def tasks(workers: int) -> Iterator[ChunkTask]:
        fixed = chunk_size or spec.chunk_size
        for runs in _chunks(pending_runs, remaining, workers, fixed):
            yield ChunkTask(str(Path(out)), chunk_name(runs), scenario, scenario_hash, plan_hash,
                            runs, spec.parameter_names, dict(spec.fixed), spec.weeks, run_fn,
                            policies=tuple(spec.policies), equal_dose=spec.equal_dose)

    bar = Progress(total, initial=summary.skipped, enabled=progress, label=spec.name)
    try:
        if remaining == 0:
            pass
        elif executor is not None:
            summary.workers = workers or _guess_workers(executor)
            with terminate_as_interrupt():
                _drive(executor, tasks(summary.workers), summary, bar)
        else:
            with terminate_as_interrupt(), \
                    make_executor(workers, scheduler, dask_local) as (owned, count):
                summary.workers = count
                _drive(owned, tasks(count), summary, bar)
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        summary.elapsed = time.perf_counter() - started
        bar.close(str(summary))
    if summary.lost and not summary.ok + summary.failed:
        raise SweepLostError(summary)
    return summary


def _with_roster_seed(spec: SweepSpec, scenario: Any) -> Any:
    """The scenario with the spec's ``roster_seed`` (every replicate runs one school)."""
    if spec.roster_seed is None:
        return scenario
    school = getattr(getattr(scenario, "spec", None), "school", None)
    if school is None or not hasattr(scenario, "with_changes"):
        raise InputError(Problem(spec.source, "[sweep] key 'roster_seed'",
                                 "a scenario whose school is generated from a seed",
                                 f"a {type(scenario).__name__} scenario object"))
    return scenario.with_roster_seed(spec.roster_seed, spec.source, "[sweep] key 'roster_seed'")


def _refuse_knobs_without_effect(spec: SweepSpec, scenario: Any) -> None:
    """Stop a sweep that varies or fixes a school number its scenario's school ignores."""
    names = [*spec.parameter_names, *spec.fixed]
    useless = knobs_without_effect(names, scenario)
    if useless:
        folder = scenario.spec.school.data
        raise InputError([Problem(
            spec.source, f"[{'parameters' if name in spec.parameter_names else 'fixed'}] key "
            f"'{name}'", "a number that changes this scenario's school (staffing, or a model "
            "parameter)",
            f"'{name}', which applies to generated schools only",
            f"the scenario reads its school from the CSV files in '{folder}', which fix its "
            "students, classes and timetable",
        ) for name in useless])


def _guess_workers(executor: Executor) -> int:
    return getattr(executor, "_max_workers", None) or multiprocessing.cpu_count()


def _drive(executor: Executor, tasks: Iterator[ChunkTask], summary: SweepSummary,
           bar: Progress) -> None:
    """Keep a bounded number of chunk tasks in flight until all are done."""
    limit = max(2, summary.workers * IN_FLIGHT_PER_WORKER)
    in_flight: dict[Future, ChunkTask] = {}
    broken = False
    try:
        while True:
            while not broken and len(in_flight) < limit:
                task = next(tasks, None)
                if task is None:
                    break
                in_flight[executor.submit(run_chunk, task)] = task
            if not in_flight:
                return
            finished, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
            for future in finished:
                task = in_flight.pop(future)
                try:
                    report: ChunkReport = future.result()
                except BrokenProcessPool as err:
                    broken = summary.pool_broken = True
                    _lose(summary, task, err)
                except Exception as err:  # noqa: BLE001 - a lost chunk must not stop the rest
                    _lose(summary, task, err)
                else:
                    summary.ok += report.ok
                    summary.failed += report.failed
                    summary.run_seconds += report.run_seconds
                    summary.task_seconds += report.total_seconds
                    summary.chunks += 1
                bar.update(summary.ok + summary.failed + summary.lost, summary.failed,
                           summary.lost)
    except BaseException:
        for future in in_flight:
            future.cancel()
        raise


def _lose(summary: SweepSummary, task: ChunkTask, err: BaseException) -> None:
    summary.lost += len(task.runs)
    if len(summary.lost_errors) < 5:
        summary.lost_errors.append(f"{task.chunk}: {type(err).__name__}: {err}")


def _meta(spec: SweepSpec, plan_hash: str, scenario_hash: str, matrix, total: int) -> dict:
    return {
        "format": 1,
        "plan_hash": plan_hash,
        "scenario_hash": scenario_hash,
        "spec": spec.to_dict(),
        "points": int(matrix.shape[0]),
        "total_runs": total,
        "updated": datetime.now(UTC).isoformat(),
    }


def _design_table(spec: SweepSpec, matrix) -> pa.Table:
    columns = {"point": pa.array(range(matrix.shape[0]), type=pa.int64())}
    for index, name in enumerate(spec.parameter_names):
        columns[name] = pa.array(matrix[:, index], type=pa.float64())
    return pa.table(columns)
