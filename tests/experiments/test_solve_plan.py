"""How many weekly timetables a sweep solves, counted before it starts (`solve_plan`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from inclusion_sim.delivery import schedulers
from inclusion_sim.experiments import parse_spec, run_sweep
from inclusion_sim.experiments.solves import solve_plan
from inclusion_sim.faces.present import terminal_problems
from inclusion_sim.faces.sweep_cli import _solve_plan_lines
from inclusion_sim.scenario.files import load_scenario

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "scenarios" / "small_elementary.toml"
CSV = REPO / "scenarios" / "example_300_csv.toml"

SPEC = """
[sweep]
name = "count"
scenario = "{scenario}"
policies = ["pull_out", "push_in"]
replicates = 3
seed = 5
weeks = 1
{extra}
[design]
method = "grid"

[parameters]
{parameters}
"""


def plan_of(scenario: Path = SMALL, extra: str = "", parameters: str = "",
            greedy: bool = False):
    spec = parse_spec(SPEC.format(scenario=scenario.as_posix(), extra=extra,
                                  parameters=parameters or "stigma_per_removal = [0.0, 0.02]"))
    base = load_scenario(spec.scenario)
    if greedy:
        base = base.with_changes({"scheduling.scheduler": "greedy"})
    return solve_plan(spec, base)


def test_each_replicate_of_a_generated_school_is_its_own_school():
    plan = plan_of()  # 2 points x 3 replicates x 2 policies; the points share their school
    assert (plan.runs, plan.schools, plan.weeks) == (12, 3, 6)
    assert plan.school_per_replicate and plan.scheduler == "optimal"


def test_a_fixed_roster_shares_one_school_between_replicates():
    plan = plan_of(extra="roster_seed = 4")
    assert (plan.runs, plan.schools, plan.weeks) == (12, 1, 2)
    assert not plan.school_per_replicate


@pytest.mark.parametrize(("parameters", "schools", "weeks"), [
    ('staffing = [0.8, 1.0, 1.2]', 9, 18),  # a knob that changes the school
    ('push_in_travel_minutes = [0, 5]', 3, 12),  # a parameter the week depends on
    ('disruptions = [0, 1]', 3, 6),  # the year's events, not the week
])
def test_what_changes_the_week(parameters, schools, weeks):
    plan = plan_of(parameters=parameters)
    assert (plan.schools, plan.weeks) == (schools, weeks)


def test_a_csv_school_is_one_school_whatever_the_seed():
    plan = plan_of(CSV, parameters='staffing = [0.8, 1.2]')
    assert (plan.runs, plan.schools, plan.weeks) == (12, 2, 4)
    assert not plan.school_per_replicate


def test_the_greedy_scheduler_solves_nothing():
    plan = plan_of(greedy=True)
    assert plan.weeks == 0 and plan.scheduler == "greedy"


def test_the_count_is_what_a_sweep_solves(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(schedulers.CACHE_ENV, str(cache))
    schedulers.clear_cache()
    text = SPEC.format(scenario=SMALL.as_posix(), extra="roster_seed = 4",
                       parameters="push_in_travel_minutes = [0, 5]")
    text = text.replace('["pull_out", "push_in"]', '["pull_out"]').replace("= 3", "= 2")
    spec = parse_spec(text)
    with ThreadPoolExecutor(1) as pool:
        summary = run_sweep(spec, tmp_path / "out", executor=pool, workers=1, progress=False)
    assert summary.ok == 4
    plan = solve_plan(spec, load_scenario(spec.scenario))
    # Travel minutes do not change a pull-out week, but they are part of its key.
    assert plan.weeks == len(list(cache.glob("*.pickle"))) == 2


def test_the_command_line_says_the_count_and_the_remedy(tmp_path):
    spec = tmp_path / "spec.toml"
    stigma = "stigma_per_removal = [0.0, 0.02]"
    spec.write_text(SPEC.format(scenario=SMALL.as_posix(), extra="", parameters=stigma))
    said = "\n".join(_solve_plan_lines(str(spec)))
    assert said.startswith("count: 12 runs on 3 schools. The optimizer solves up to 6 weekly "
                           "timetables")
    assert "set roster_seed under [sweep]" in " ".join(said.split())
    assert not terminal_problems(said, allowed=["roster_seed"])  # the key a user types
    spec.write_text(SPEC.format(scenario=SMALL.as_posix(), extra="roster_seed = 4",
                                parameters=stigma))
    said = "\n".join(_solve_plan_lines(str(spec)))
    assert "on 1 school. The optimizer solves up to 2 weekly timetables" in said
    assert "roster_seed" not in said
    spec.write_text(SPEC.format(scenario=SMALL.as_posix(), extra="", parameters=""))
    said = "\n".join(_solve_plan_lines(str(spec)))
    assert "6 runs on 3 schools. The optimizer solves a weekly timetable for each run" in said
    spec.write_text("not a spec")
    assert _solve_plan_lines(str(spec)) == []  # the sweep itself says what is wrong
