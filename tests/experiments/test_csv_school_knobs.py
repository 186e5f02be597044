"""Sweep knobs on a scenario whose school is read from CSV files.

``staffing`` must scale the loaded therapists' minutes in every run of a sweep (it already did
through `Scenario.with_staffing`; this checks the sweep's own path: knob, worker, resolve). The
knobs that describe a generated school would change nothing in such a scenario, so a spec that
varies or fixes them is refused before any run.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from inclusion_sim.base.errors import InputError
from inclusion_sim.experiments import load_spec, open_results, run_sweep
from inclusion_sim.scenario.config import resolve
from inclusion_sim.scenario.files import load_scenario

REPO = Path(__file__).resolve().parents[2]
CSV_SCENARIO = REPO / "scenarios" / "example_300_csv.toml"

SPEC = """
[sweep]
scenario = "{scenario}"
policies = ["pull_out"]
replicates = 1
seed = 3

[design]
method = "grid"

[parameters]
{parameters}
"""


@dataclass
class _Minutes:
    summary: dict
    weekly: None = None


def contracted_minutes(scenario, seed, policy, parameters, weeks=None) -> _Minutes:
    """A run function that reports the contracted minutes of the school the run would use."""
    school = resolve(scenario, seed=seed, policy=policy, parameters=parameters).school
    return _Minutes({"contracted": float(sum(t.minutes_per_week for t in school.therapists))})


def write_spec(tmp_path: Path, parameters: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(scenario=CSV_SCENARIO.as_posix(), parameters=parameters))
    return path


def test_staffing_scales_a_csv_schools_therapists_in_every_run(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, "staffing = [1.0, 1.5]"))
    with ThreadPoolExecutor(2) as pool:
        summary = run_sweep(spec, tmp_path / "out", executor=pool, run_fn=contracted_minutes,
                            progress=False)
    assert (summary.ok, summary.failed) == (2, 0)
    with open_results(tmp_path / "out") as results:
        got = results.outcomes().set_index("staffing")["contracted"].to_dict()
    therapists = resolve(load_scenario(CSV_SCENARIO), seed=0).school.therapists
    assert got[1.0] == sum(t.minutes_per_week for t in therapists)
    assert got[1.5] == sum(min(3000, round(t.minutes_per_week * 1.5)) for t in therapists)
    assert got[1.5] > got[1.0]


@pytest.mark.parametrize(("parameters", "where"), [
    ('"school.class_size" = [18, 25]', "[parameters] key 'school.class_size'"),
    ("master_schedule = [0, 1]", "[parameters] key 'master_schedule'"),
])
def test_knobs_of_generated_schools_are_refused_for_a_csv_school(
    tmp_path: Path, parameters: str, where: str
) -> None:
    spec = load_spec(write_spec(tmp_path, parameters))
    with pytest.raises(InputError) as caught:
        run_sweep(spec, tmp_path / "out", workers=1, run_fn=contracted_minutes, progress=False)
    (problem,) = caught.value.problems
    assert problem.where == where
    assert "applies to generated schools only" in problem.found
    assert "schools/example_300" in problem.hint
    assert not (tmp_path / "out").exists()
