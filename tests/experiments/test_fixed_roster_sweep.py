"""Sweeps whose replicates share one school (``[sweep] roster_seed``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sweep_fakes import GRID_SPEC, fake_spec

from inclusion_sim.base.errors import InputError
from inclusion_sim.delivery import schedulers
from inclusion_sim.experiments import open_results, parse_spec, run_sweep

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "scenarios" / "small_elementary.toml"
CSV = REPO / "scenarios" / "example_300_csv.toml"

FIXED = f"""
[sweep]
name = "one school"
scenario = "{SMALL.as_posix()}"
policies = ["pull_out"]
replicates = 2
seed = 5
weeks = 1
roster_seed = 4
"""


def test_roster_seed_is_parsed_and_its_mistakes_are_located():
    spec = fake_spec(GRID_SPEC.replace("seed = 11", "seed = 11\nroster_seed = 3"))
    assert spec.roster_seed == 3 and spec.to_dict()["roster_seed"] == 3
    assert fake_spec().roster_seed is None
    for bad, expected in (('"three"', "a whole number"), ("-1", "from 0")):
        with pytest.raises(InputError) as info:
            fake_spec(GRID_SPEC.replace("seed = 11", f"seed = 11\nroster_seed = {bad}"))
        (problem,) = info.value.problems
        assert problem.where == "[sweep] key 'roster_seed'" and expected in problem.expected


def test_replicates_of_a_fixed_roster_share_one_solve(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(schedulers.CACHE_ENV, str(cache))
    schedulers.clear_cache()
    with ThreadPoolExecutor(1) as pool:
        summary = run_sweep(parse_spec(FIXED), tmp_path / "out", executor=pool, workers=1,
                            progress=False)
    assert summary.ok == 2 and summary.failed == 0
    assert len(list(cache.glob("*.pickle"))) == 1  # two replicates, one school, one solve
    with open_results(tmp_path / "out") as results:
        outcomes = results.outcomes().sort_values("replicate")
    numbers = outcomes.drop(columns=["point", "replicate"]).select_dtypes("number")
    assert numbers.shape[1] > 5
    assert not numbers.iloc[0].equals(numbers.iloc[1])  # the year's random events still differ


def test_roster_seed_is_refused_for_a_csv_school(tmp_path):
    text = FIXED.replace(SMALL.as_posix(), CSV.as_posix())
    with pytest.raises(InputError) as info:
        run_sweep(parse_spec(text), tmp_path / "out", workers=1, progress=False)
    (problem,) = info.value.problems
    assert problem.where == "[sweep] key 'roster_seed'" and "CSV" in problem.expected
