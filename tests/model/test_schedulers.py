"""Which scheduler a run uses, how its week is cached, and how inputs are resolved."""

import os
import pickle
import subprocess
import sys

import pytest

from inclusion_sim import SchoolModel, resolve
from inclusion_sim.base.seeds import make_streams
from inclusion_sim.delivery import schedulers
from inclusion_sim.delivery.schedulers import SchedulingOptions, make_schedule, schedule_key


def test_the_optimizer_is_the_default_and_reports_its_bound(small):
    model = SchoolModel.from_scenario(small, policy="push_in", seed=1, weeks=1)
    report = model.schedule.solver
    assert model.config.scheduling.scheduler == "optimal"
    assert report is not None and report.status in ("OPTIMAL", "FEASIBLE")
    assert report.scheduled_minutes <= report.upper_bound_minutes <= report.mandated_minutes
    meta = model.run().meta
    assert meta["scheduler"] == "optimal" and meta["ortools_version"]
    assert meta["schedulable_bound_minutes_per_week"] == report.upper_bound_minutes


def test_greedy_on_request_and_never_ahead_of_the_optimizer(small):
    greedy = SchoolModel.from_scenario(small, policy="push_in", seed=1, scheduling="greedy")
    optimal = SchoolModel.from_scenario(small, policy="push_in", seed=1)
    assert greedy.schedule.solver is None
    assert greedy.schedule.unmet_minutes() > optimal.schedule.unmet_minutes()


def test_replicates_sharing_a_school_share_one_solve(small):
    schedulers.clear_cache()
    a = SchoolModel.from_scenario(small, policy="pull_out", seed=1, weeks=1)
    b = SchoolModel(resolve(small, policy="pull_out", seed=7, school=a.school))
    assert b.schedule is a.schedule
    other_policy = SchoolModel(resolve(small, policy="push_in", seed=7, school=a.school))
    assert other_policy.schedule is not a.schedule


def test_the_cache_key_follows_what_the_week_depends_on(small):
    config = resolve(small, seed=1)
    key = schedule_key(config.school, config.policy, config.params, config.scheduling)
    other_params = resolve(small, seed=1, parameters={"coplanning_minutes": 45})
    other_budget = SchedulingOptions(deterministic_time=1.0)
    other_learning = resolve(small, seed=1, parameters={"mastery_rate": 0.1})
    assert key != schedule_key(config.school, config.policy, other_params.params,
                               config.scheduling)
    assert key != schedule_key(config.school, config.policy, config.params, other_budget)
    assert key == schedule_key(config.school, config.policy, other_learning.params,
                               config.scheduling)


def test_the_disk_cache_is_shared_between_processes(small, tmp_path, monkeypatch):
    monkeypatch.setenv(schedulers.CACHE_ENV, str(tmp_path))
    schedulers.clear_cache()
    config = resolve(small, policy="hybrid_parallel", seed=2)
    week = make_schedule(config.school, config.policy, config.params,
                         make_streams(2)["schedule"], config.scheduling)
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    code = ("import sys; from inclusion_sim import load_scenario, SchoolModel;"
            "m = SchoolModel.from_scenario(load_scenario(sys.argv[1]), policy='hybrid_parallel',"
            " seed=2); print(m.schedule.solver.wall_seconds, len(m.schedule.sessions))")
    out = subprocess.run([sys.executable, "-c", code, str(small.path)], capture_output=True,
                         text=True, check=True, env={**os.environ})
    wall, sessions = out.stdout.split()
    # the child read the parent's solve: the same report, down to its recorded wall time
    assert float(wall) == week.solver.wall_seconds and int(sessions) == len(week.sessions)


def test_resolve_merges_overrides_on_top_of_the_scenario(small):
    scenario = small.with_changes({"parameters": {"stigma_fade": 0.2, "mastery_rate": 0.03}})
    config = resolve(scenario, parameters={"mastery_rate": 0.08}, seed=3, weeks=2)
    assert config.params.stigma_fade == 0.2 and config.params.mastery_rate == 0.08
    assert (config.seed, config.weeks) == (3, 2)
    assert resolve(scenario).seed == scenario.seed


def test_a_bad_scheduler_name_is_refused():
    with pytest.raises(ValueError, match="scheduler must be one of"):
        SchedulingOptions("fastest")


def test_a_fixed_roster_gives_replicates_one_school_and_one_solve(small):
    schedulers.clear_cache()
    fixed = small.with_changes({"school.roster_seed": 5})
    a = SchoolModel.from_scenario(fixed, policy="pull_out", seed=1, weeks=1)
    b = SchoolModel.from_scenario(fixed, policy="pull_out", seed=2, weeks=1)
    assert pickle.dumps(a.school) == pickle.dumps(b.school)
    assert a.school.students == fixed.school_for_seed(99).students
    assert b.schedule is a.schedule  # read from the cache, not solved again
    assert a.schedule.sessions == b.schedule.sessions and a.schedule.sessions
    # the replicates still differ in what happens during the year (refusals, skills, friends)
    assert a.run().summary != b.run().summary
    # by default each replicate seed generates its own roster, hence needs its own solve
    c, d = (resolve(small, policy="pull_out", seed=seed) for seed in (1, 2))
    assert [s.mandates for s in c.school.students] != [s.mandates for s in d.school.students]
    assert schedule_key(c.school, c.policy, c.params, c.scheduling) != \
        schedule_key(d.school, d.policy, d.params, d.scheduling)
    assert fixed.hash() != small.hash()


def test_roster_seed_is_refused_for_a_school_read_from_csv(tmp_path):
    from inclusion_sim.base.errors import InputError
    from inclusion_sim.scenario.files import from_dict

    (tmp_path / "school").mkdir()
    with pytest.raises(InputError, match="roster_seed") as err:
        from_dict({"school": {"data": "school", "roster_seed": 3}}, source="x.toml",
                  path=tmp_path / "x.toml")
    assert "x.toml" in str(err.value) and "CSV" in str(err.value)


def test_a_process_waits_for_a_week_another_is_solving(small, tmp_path, monkeypatch):
    import threading

    from inclusion_sim.delivery.scheduling import schedule_week

    monkeypatch.setenv(schedulers.CACHE_ENV, str(tmp_path))
    schedulers.clear_cache()
    config = resolve(small, policy="pull_out", seed=3)
    key = schedule_key(config.school, config.policy, config.params, config.scheduling)
    (tmp_path / f"{key}.lock").touch()  # another process is solving this week
    got = []
    waiter = threading.Thread(target=lambda: got.append(make_schedule(
        config.school, config.policy, config.params, make_streams(3)["schedule"],
        config.scheduling)))
    waiter.start()
    # the other process's result: a greedy week, which the optimizer would never return
    theirs = schedule_week(config.school, config.policy, config.params, make_streams(3)["schedule"])
    assert theirs.solver is None
    (tmp_path / f"{key}.pickle").write_bytes(pickle.dumps(theirs, protocol=5))
    (tmp_path / f"{key}.lock").unlink()
    waiter.join(timeout=60)
    assert got and got[0].solver is None and got[0].sessions == theirs.sessions


def test_the_lock_of_a_process_that_died_is_ignored(small, tmp_path, monkeypatch):
    monkeypatch.setenv(schedulers.CACHE_ENV, str(tmp_path))
    schedulers.clear_cache()
    config = resolve(small, policy="pull_out", seed=3)
    key = schedule_key(config.school, config.policy, config.params, config.scheduling)
    lock = tmp_path / f"{key}.lock"
    lock.touch()
    old = lock.stat().st_mtime - schedulers.LOCK_STALE_SECONDS - 1
    os.utime(lock, (old, old))
    week = make_schedule(config.school, config.policy, config.params,
                         make_streams(3)["schedule"], config.scheduling)
    assert week.solver is not None and (tmp_path / f"{key}.pickle").is_file()
    assert not lock.exists()
