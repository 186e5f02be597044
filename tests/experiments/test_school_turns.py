"""Sweeps whose replicates take turns on fewer schools (``[sweep] schools = K``)."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sweep_fakes import GRID_SPEC, fake_spec

from inclusion_sim.base.errors import InputError
from inclusion_sim.base.seeds import replicate_seed
from inclusion_sim.delivery import schedulers
from inclusion_sim.experiments import open_results, parse_spec, run_sweep
from inclusion_sim.experiments.designs import iter_runs
from inclusion_sim.experiments.solves import solve_plan
from inclusion_sim.faces.sweep_cli import _solve_plan_lines
from inclusion_sim.faces.sweep_report import write_report
from inclusion_sim.scenario.files import load_scenario

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "scenarios" / "small_elementary.toml"
CSV = REPO / "scenarios" / "example_300_csv.toml"

SWEEP = f"""
[sweep]
name = "turns"
scenario = "{SMALL.as_posix()}"
policies = ["pull_out"]
replicates = 3
seed = 5
weeks = 1
"""


def with_key(line: str, text: str = GRID_SPEC) -> str:
    return text.replace("seed = 11", f"seed = 11\n{line}")


def test_schools_is_parsed_and_changes_the_plan_only_when_set():
    spec = fake_spec(with_key("schools = 2"))
    assert spec.schools == 2 and spec.to_dict()["schools"] == 2
    plain = fake_spec()
    assert plain.schools is None
    assert spec.plan_hash("s") != plain.plan_hash("s")
    # Existing sweeps keep their plan, so they resume rather than restart.
    assert plain.plan_hash("s") == fake_spec(GRID_SPEC).plan_hash("s")


@pytest.mark.parametrize(("lines", "expected"), [
    ("schools = 0", "a whole number from 1"),
    ('schools = "two"', "a whole number"),
    ("schools = 5", "at most the number of replicates (4)"),
    ("schools = 2\nroster_seed = 1", "either roster_seed"),
])
def test_mistakes_in_schools_are_located(lines, expected):
    with pytest.raises(InputError) as info:
        fake_spec(with_key(lines))
    (problem,) = info.value.problems
    assert problem.where == "[sweep] key 'schools'" and expected in problem.expected


def test_replicate_k_runs_on_the_school_of_replicate_k_mod_schools():
    spec = fake_spec(with_key("schools = 2").replace("replicates = 4", "replicates = 5"))
    seeds = [replicate_seed(spec.seed, k) for k in range(5)]
    for run in iter_runs(spec):
        k = run.replicate
        assert run.seed == seeds[k]
        assert run.school_seed == (None if k < 2 else seeds[k % 2])


def test_later_replicates_repeat_a_school_in_another_year(tmp_path, monkeypatch):
    """Replicates 0 and 1 are those of the default design; replicate 2 reuses school 0's week."""
    monkeypatch.setenv(schedulers.CACHE_ENV, str(tmp_path / "cache"))
    schedulers.clear_cache()
    outcomes = {}
    for name, extra in (("own", ""), ("turns", "schools = 2\n")):
        with ThreadPoolExecutor(1) as pool:
            summary = run_sweep(parse_spec(SWEEP + extra), tmp_path / name, executor=pool,
                                workers=1, progress=False)
        assert summary.ok == 3 and summary.failed == 0
        with open_results(tmp_path / name) as results:
            table = results.outcomes().sort_values("replicate").set_index("replicate")
        outcomes[name] = table.select_dtypes("number").drop(columns=["point"])
    own, turns = outcomes["own"], outcomes["turns"]
    assert own.loc[[0, 1]].equals(turns.loc[[0, 1]])  # bit for bit
    assert not own.loc[2].equals(turns.loc[2])  # replicate 2 now runs school 0
    assert not turns.loc[2].equals(turns.loc[0])  # in a year of its own
    # What the week decides (therapists' hours in sessions, their cost) is school 0's.
    week = ["therapist_direct_hours", "cost_usd"]
    assert turns.loc[2, week].equals(turns.loc[0, week])
    assert not own.loc[2, week].equals(turns.loc[2, week])
    # Three schools were solved for the first sweep; the second solved none of its own.
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 3
    page = write_report(tmp_path / "turns", n_boot=50).read_text()
    assert "Schools: 2, taken in turn (replicate k runs on the school of replicate k mod 2" in page


def test_the_school_a_replicate_reuses_is_the_other_replicates_school():
    base = load_scenario(SMALL)
    first, third = replicate_seed(5, 0), replicate_seed(5, 2)
    reused = base.with_roster_seed(first, "test", "test").school_for_seed(third)
    assert pickle.dumps(reused) == pickle.dumps(base.school_for_seed(first))
    assert pickle.dumps(reused) != pickle.dumps(base.school_for_seed(third))


@pytest.mark.parametrize(("scenario", "expected"), [
    (CSV, "generated from a seed"),
    (None, "without a fixed [school] roster_seed"),
])
def test_schools_is_refused_where_the_school_does_not_depend_on_the_seed(tmp_path, scenario,
                                                                          expected):
    text = SWEEP + "schools = 2\n"
    base = None
    if scenario is None:
        base = load_scenario(SMALL).with_roster_seed(4, "test", "test")
    else:
        text = text.replace(SMALL.as_posix(), scenario.as_posix())
    with pytest.raises(InputError) as info:
        run_sweep(parse_spec(text), tmp_path / "out", scenario=base, workers=1, progress=False)
    (problem,) = info.value.problems
    assert problem.where == "[sweep] key 'schools'" and expected in problem.expected
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_the_plan_counts_the_schools_taken_in_turn(tmp_path):
    text = SWEEP.replace('["pull_out"]', '["pull_out", "push_in"]').replace("= 3", "= 6")
    spec = parse_spec(text + "schools = 2\n")
    plan = solve_plan(spec, load_scenario(SMALL))
    assert (plan.runs, plan.schools, plan.weeks) == (12, 2, 4)
    assert not plan.school_per_replicate
    assert solve_plan(parse_spec(text + "schools = 6\n"), load_scenario(SMALL)) \
        .school_per_replicate  # as many schools as replicates: the default design
    path = tmp_path / "spec.toml"
    path.write_text(text)
    said = " ".join("\n".join(_solve_plan_lines(str(path))).split())
    assert "set schools = K" in said
    path.write_text(text + "schools = 2\n")
    said = " ".join("\n".join(_solve_plan_lines(str(path))).split())
    assert "12 runs on 2 schools. The optimizer solves up to 4 weekly timetables" in said
    assert "schools = K" not in said
