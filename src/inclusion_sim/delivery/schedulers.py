"""Which scheduler builds a run's weekly timetable, and a cache so the same week is solved once.

Two schedulers solve the same problem under the same rules:

* ``optimal`` (the default): OR-Tools CP-SAT (`inclusion_sim.delivery.optimize`), which chooses
  the groups itself and proves an upper bound on the mandated minutes any timetable could
  deliver, so unmet minutes can be told apart from the scheduler's own shortfall;
* ``greedy``: the fast rule-based scheduler (`inclusion_sim.delivery.scheduling`), kept for
  speed, for comparison, and as the optimizer's starting point.

The optimizer's result depends only on the school, the policy, the scheduling parameters and the
solver options: it runs single-threaded with a fixed seed and a deterministic-time limit, and its
greedy starting point is drawn from a stream seeded by ``SchedulingOptions.seed``, not by the
run's seed. So replicates and sweep points that share a school share their schedule, and
`make_schedule` caches it: in memory for the process, and on disk when the environment variable
`CACHE_ENV` names a folder (sweeps set it so their worker processes share one cache).

On disk, the first process to need a week claims it with a lock file while it solves; others
that need the same week meanwhile wait for its result instead of solving it a second time (the
first runs of a sweep are often replicates of one school). A lock older than `LOCK_STALE_SECONDS`
is taken to belong to a process that died, and the week is solved again.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

from inclusion_sim.base.digest import content_digest
from inclusion_sim.base.params import Params
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.delivery.scheduling import WeeklySchedule, schedule_week
from inclusion_sim.school.world import School

SCHEDULERS: tuple[str, ...] = ("optimal", "greedy")

#: Parameters the schedule depends on (all others only act once the week is fixed).
SCHEDULING_PARAMETERS: tuple[str, ...] = (
    "push_in_travel_minutes", "coplanning_minutes", "after_school_slots",
    "assistant_supervision_share")

#: Environment variable naming a folder for the on-disk schedule cache.
CACHE_ENV = "INCLUSION_SIM_SCHEDULE_CACHE"

#: Environment variable that makes every new schedule pass the independent checker
#: (`inclusion_sim.delivery.schedule_check`) or raise; the test suite sets it.
CHECK_ENV = "INCLUSION_SIM_CHECK_SCHEDULES"

#: Schedules kept in memory per process.
MEMORY_ENTRIES = 64
#: Changes whenever the optimizer's algorithm changes its weeks, so weeks cached on disk by an
#: earlier version (a sweep resumed after an upgrade) are solved again instead of reused.
OPTIMIZER_REVISION = "2026-11-30 tighter relaxation stops the search"

#: Age (seconds) after which another process's lock on a week is ignored: far longer than any
#: shipped school's solve (under 30 s), so only the lock of a process that died is ever ignored.
LOCK_STALE_SECONDS = 600.0

#: How often (seconds) a process waiting for another's solve looks for the result.
LOCK_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class SchedulingOptions:
    """How a run's weekly timetable is made.

    Attributes:
        scheduler: ``optimal`` (CP-SAT, the default) or ``greedy``.
        deterministic_time: The optimizer's budget in the solver's deterministic work units
            (machine-independent; never seconds, which would make results depend on load).
            3 units give the same minutes and bounds as 5 on every shipped school and policy
            (2 do not: K-8 after-school's bound and the example school's parallel hybrid).
        polish_time: The budget of the second step (spreading a shortfall over students,
            sessions on different days, pull-out outside core lessons, push-in in relevant
            lessons, fewer classrooms per therapist). Too small a budget leaves these undone on
            larger schools, so where pulled-out students miss lessons would depend on the
            school's size rather than on the policy.
        seed: The optimizer's random seed (also seeds its greedy starting point).
        adjacent_grades: Let pulled-out and after-school groups mix two adjacent grades.
        neighbourhood_search: Run the second step of services with pushed-in sessions one grade
            at a time (fast; the default) instead of on the whole model with the whole
            `polish_time` (see `inclusion_sim.delivery.optimize.SolverOptions`).
    """

    scheduler: str = "optimal"
    deterministic_time: float = 3.0
    polish_time: float = 2.0
    seed: int = 0
    adjacent_grades: bool = False
    neighbourhood_search: bool = True

    def solver_options(self, **changes):
        """The optimizer's settings these options stand for, with `changes` on top.

        One translation for every caller (runs, the feasibility report's reasons and its search
        for extra hours, which passes ``polish_time=0.0, gap=0.0``), so a new setting cannot
        reach one of them and not the others.

        Returns:
            An `inclusion_sim.delivery.optimize.SolverOptions`.
        """
        from inclusion_sim.delivery.optimize import SolverOptions

        return replace(SolverOptions(deterministic_time=self.deterministic_time,
                                     polish_time=self.polish_time, seed=self.seed,
                                     adjacent_grades=self.adjacent_grades,
                                     neighbourhood_search=self.neighbourhood_search), **changes)

    def __post_init__(self) -> None:
        if self.scheduler not in SCHEDULERS:
            raise ValueError(f"scheduler must be one of {', '.join(SCHEDULERS)}, "
                             f"not {self.scheduler!r}")


_memory: OrderedDict[str, WeeklySchedule] = OrderedDict()


def schedule_key(school: School, policy: Policy, params: Params,
                 options: SchedulingOptions) -> str:
    """A digest of everything an optimized schedule depends on, by value.

    Equal schools give the same key however their objects came to be (`content_digest`), so
    replicates that take their school from another replicate's seed, or a school rebuilt in a
    worker process, find the week already solved.
    """
    return content_digest(OPTIMIZER_REVISION, school, repr(policy),
                          [(n, params[n]) for n in SCHEDULING_PARAMETERS],
                          [(f.name, getattr(options, f.name)) for f in fields(options)])


def make_schedule(school: School, policy: Policy, params: Params, rng: np.random.Generator,
                  options: SchedulingOptions | None = None) -> WeeklySchedule:
    """The week's timetable under `options`.

    Args:
        school: The school.
        policy: The delivery policy.
        params: Parameters (travel, co-planning and after-school slots matter here).
        rng: The run's scheduling stream. Only the greedy uses it (to break ties), so greedy
            schedules differ between seeds and are not cached.
        options: Which scheduler, and its settings (default: the optimizer).
    """
    options = options or SchedulingOptions()
    if options.scheduler == "greedy":
        return _checked(schedule_week(school, policy, params, rng), school, policy, params,
                        options)
    key = schedule_key(school, policy, params, options)
    if key in _memory:
        _memory.move_to_end(key)
        return _memory[key]
    lock = _claim(key)
    try:
        schedule = _read_disk(key)
        if schedule is None:
            from inclusion_sim.delivery.optimize import schedule_week_optimal

            schedule = schedule_week_optimal(school, policy, params,
                                             np.random.default_rng(options.seed),
                                             options=options.solver_options())
            _checked(schedule, school, policy, params, options)
            _write_disk(key, schedule)
    finally:
        if lock is not None:
            lock.unlink(missing_ok=True)
    _memory[key] = schedule
    while len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)
    return schedule


def _checked(schedule: WeeklySchedule, school: School, policy: Policy, params: Params,
             options: SchedulingOptions) -> WeeklySchedule:
    """The schedule, after the independent checker when `CHECK_ENV` asks for it."""
    if os.environ.get(CHECK_ENV):
        from inclusion_sim.delivery.schedule_check import check_schedule

        problems = check_schedule(school, policy, params, schedule,
                                  adjacent_grades=options.adjacent_grades)
        if problems:
            raise AssertionError(f"{options.scheduler} schedule breaks the rules: "
                                 + "; ".join(problems[:5]))
    return schedule


def clear_cache() -> None:
    """Forget the schedules kept in memory (the disk cache is left alone)."""
    _memory.clear()


def _cache_dir() -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else None


def _claim(key: str) -> Path | None:
    """Lock the week `key` in the disk cache for this process, waiting while another holds it.

    Returns:
        The lock file to remove once the week is on disk, or None when there is no disk cache
        or another process has written the week meanwhile (it is then read, not solved).
    """
    folder = _cache_dir()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    lock, done = folder / f"{key}.lock", folder / f"{key}.pickle"
    while not done.is_file():
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return lock
        except FileExistsError:
            try:
                age = time.time() - lock.stat().st_mtime
            except FileNotFoundError:
                continue  # released just now: try again
            if age > LOCK_STALE_SECONDS:
                lock.unlink(missing_ok=True)  # its owner died; the next pass claims it
                continue
            time.sleep(LOCK_POLL_SECONDS)
    return None


def _read_disk(key: str) -> WeeklySchedule | None:
    folder = _cache_dir()
    path = folder / f"{key}.pickle" if folder else None
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None  # a partial or stale file: solve again and overwrite it


def _write_disk(key: str, schedule: WeeklySchedule) -> None:
    folder = _cache_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".tmp") as f:
        pickle.dump(schedule, f, protocol=5)
    os.replace(f.name, folder / f"{key}.pickle")
