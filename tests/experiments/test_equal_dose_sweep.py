"""Equal dose and the one-at-a-time design in sweep specs, and equal-dose sweeps of the model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from sweep_fakes import GRID_SPEC, assert_same_tables, fake_spec, tables

from inclusion_sim.base.errors import InputError
from inclusion_sim.experiments import design_matrix, iter_runs, open_results, parse_spec, run_sweep

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "scenarios" / "small_elementary.toml"


def problems(text: str) -> dict:
    with pytest.raises(InputError) as info:
        fake_spec(text)
    return {p.where: p for p in info.value.problems}


def test_equal_dose_flag_is_parsed_and_changes_the_plan_only_when_on():
    plain = fake_spec()
    off = fake_spec(GRID_SPEC.replace("seed = 11", "seed = 11\nequal_dose = false"))
    on = fake_spec(GRID_SPEC.replace("seed = 11", "seed = 11\nequal_dose = true"))
    assert on.equal_dose and not off.equal_dose
    assert plain.plan_hash("s") == off.plan_hash("s") != on.plan_hash("s")
    assert on.to_dict()["equal_dose"] is True


def test_equal_dose_mistakes_are_located():
    found = problems(GRID_SPEC.replace("seed = 11", 'seed = 11\nequal_dose = "yes"'))
    assert found["[sweep] key 'equal_dose'"].expected == "true or false"
    one = GRID_SPEC.replace('policies = ["pull_out", "push_in"]', 'policies = ["pull_out"]')
    found = problems(one.replace("seed = 11", "seed = 11\nequal_dose = true"))
    assert "two or more policies" in found["[sweep] key 'policies'"].expected
    both = GRID_SPEC.replace("seed = 11", "seed = 11\nequal_dose = true") + "\n[fixed]\nequal_dose = 1\n"
    assert "not both" in problems(both)["[sweep] key 'equal_dose'"].expected


OAT_SPEC = GRID_SPEC.replace('method = "grid"', 'method = "oat"').replace(
    "stigma_per_removal = [0.01, 0.025]", "stigma_per_removal = {}").replace(
    ", steps = 3", "")  # a one-at-a-time design takes each range's ends, never steps


def test_one_at_a_time_design_sets_one_parameter_per_point():
    spec = fake_spec(OAT_SPEC)
    matrix = design_matrix(spec)
    assert spec.point_count() == matrix.shape[0] == 5
    assert np.isnan(matrix[0]).all()
    np.testing.assert_array_equal(matrix[1:, 0], [0.0, 0.03, np.nan, np.nan])
    np.testing.assert_array_equal(matrix[1:, 1], [np.nan, np.nan, 0.01, 0.05])
    runs = [r for r in iter_runs(spec, matrix) if r.policy == "pull_out" and r.replicate == 0]
    assert [r.parameters for r in runs] == [
        {}, {"stigma_per_removal": 0.0}, {"stigma_per_removal": 0.03},
        {"carryover_rate": 0.01}, {"carryover_rate": 0.05}]


KNOB_SWEEP = f"""
[sweep]
scenario = "{SMALL.as_posix()}"
policies = ["pull_out", "push_in_collaborative"]
replicates = 2
seed = 5
weeks = 2

[parameters]
equal_dose = [0, 1]
"""


def test_equal_dose_knob_sweep_is_identical_on_one_or_two_workers_and_resumes(tmp_path):
    spec = parse_spec(KNOB_SWEEP)
    summary = run_sweep(spec, tmp_path / "two", workers=2, progress=False)
    assert summary.complete and summary.failed == 0
    with ThreadPoolExecutor(1) as pool:
        run_sweep(spec, tmp_path / "one", executor=pool, workers=1, progress=False)
    assert_same_tables(tables(tmp_path / "two"), tables(tmp_path / "one"))
    again = run_sweep(spec, tmp_path / "two", workers=1, progress=False)
    assert (again.skipped, again.ok) == (8, 0)

    with open_results(tmp_path / "one") as results:
        outcomes = results.outcomes()
    unmet = outcomes.pivot_table(index=["equal_dose", "replicate"], columns="policy",
                                 values="unmet_minutes_per_week")
    withheld = outcomes.set_index(["equal_dose", "policy", "replicate"])[
        "equal_dose_withheld_minutes_per_week"]
    # at equal dose both policies leave the same minutes unmet, some of them withheld
    assert (unmet.loc[1.0, "pull_out"] == unmet.loc[1.0, "push_in_collaborative"]).all()
    assert (unmet.loc[0.0, "pull_out"] != unmet.loc[0.0, "push_in_collaborative"]).any()
    assert (withheld.loc[0.0] == 0).all() and withheld.loc[1.0].sum() > 0


def test_equal_dose_flag_runs_every_run_at_equal_dose(tmp_path):
    text = KNOB_SWEEP.replace("seed = 5", "seed = 5\nequal_dose = true").split("[parameters]")[0]
    spec = parse_spec(text.replace("replicates = 2", "replicates = 1"))
    with ThreadPoolExecutor(1) as pool:
        run_sweep(spec, tmp_path / "flag", executor=pool, workers=1, progress=False)
    with open_results(tmp_path / "flag") as results:
        outcomes = results.outcomes().set_index("policy")
    assert outcomes["unmet_minutes_per_week"].nunique() == 1
    assert outcomes["equal_dose_withheld_minutes_per_week"].sum() > 0
