"""The real model through the command line: sweep, resume, report, CSV, bad specs."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from inclusion_sim.experiments import open_results
from inclusion_sim.faces.present import terminal_problems
from inclusion_sim.faces.sweep_cli import main

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "default_elementary.toml"

SPEC = """
[sweep]
name = "end to end"
scenario = "{scenario}"
policies = ["pull_out", "push_in_collaborative"]
replicates = 2
seed = 4
weeks = 3

[design]
method = "grid"

[parameters]
stigma_per_removal = [0.0, 0.02]
"""

pytestmark = pytest.mark.skipif(not SCENARIO.exists(), reason="default scenario missing")


@pytest.fixture
def spec_file(tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(scenario=SCENARIO.as_posix()))
    return path


def test_sweep_and_report_from_the_command_line(spec_file, tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["sweep", str(spec_file), "--out", str(out), "--workers", "2",
                 "--no-progress"]) == 0
    with open_results(out) as results:
        assert results.counts() == {"planned": 8, "ok": 8, "failed": 0}
        runs = results.runs()
        assert runs.groupby("replicate")["seed"].nunique().eq(1).all()
        assert "iep_carryover" in results.metrics()
        assert results.sql("SELECT max(week) AS w FROM weekly")["w"].item() == 3
    assert main(["sweep", str(spec_file), "--out", str(out), "--no-progress"]) == 0
    said = capsys.readouterr().err
    assert "0 now, 8 before" in said
    assert not terminal_problems(said, allowed=["roster_seed"])  # the key a user types

    from concurrent.futures import ThreadPoolExecutor

    from sweep_fakes import assert_same_tables, tables

    from inclusion_sim.experiments import run_sweep

    with ThreadPoolExecutor(1) as pool:
        run_sweep(spec_file, tmp_path / "serial", executor=pool, workers=1, progress=False)
    assert_same_tables(tables(out), tables(tmp_path / "serial"))

    capsys.readouterr()
    assert main(["report", str(out), "--csv", str(tmp_path / "csv"), "--bootstrap", "200"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("end to end: 8 of 8 runs finished.")
    assert "Push-in (co-taught) against Pull-out" in printed
    assert str(out / "report" / "report.html") in printed
    assert not terminal_problems(printed)  # 100 columns, labels not identifiers
    page = (out / "report" / "report.html").read_text()
    assert len(re.findall(r"data:image/png;base64,", page)) >= 3
    assert "Push-in (co-taught)" in page and "Stigma from being visibly taken out" in page
    assert "<li>Schools: one per replicate, each generated from its seed" in page
    dictionary = (out / "report" / "data_dictionary.csv").read_text()
    assert 'paired_differences.csv,ci_low,"95% interval, low end"' in dictionary
    assert (tmp_path / "csv" / "outcomes.csv").read_text().count("\n") == 9


def test_bad_spec_exits_2_with_a_located_message(spec_file, tmp_path, capsys):
    spec_file.write_text(spec_file.read_text().replace("stigma_per_removal =",
                                                       "stigma_per_remova ="))
    assert main(["sweep", str(spec_file), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert f"{spec_file}: [parameters] key 'stigma_per_remova': expected a model parameter name" in err
    assert "did you mean 'stigma_per_removal'?" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_report_of_a_directory_that_is_not_a_sweep(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "a sweep directory" in capsys.readouterr().err


KNOB_SPEC = """
[sweep]
scenario = "{scenario}"
policies = ["pull_out"]
replicates = 1
seed = 2
weeks = 2

[parameters]
"school.class_size" = [15, 30]

[fixed]
staffing = 1.5
"""


def test_scenario_numbers_can_be_swept_with_model_parameters(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from inclusion_sim.experiments import load_spec, run_sweep

    spec_path = tmp_path / "knobs.toml"
    spec_path.write_text(KNOB_SPEC.format(scenario=SCENARIO.as_posix()))
    spec = load_spec(spec_path)
    assert spec.parameters[0].integer and spec.fixed == {"staffing": 1.5}
    with ThreadPoolExecutor(2) as pool:
        summary = run_sweep(spec, tmp_path / "out", executor=pool, progress=False)
    assert (summary.ok, summary.failed) == (2, 0)
    with open_results(tmp_path / "out") as results:
        outcomes = results.outcomes().set_index("school.class_size")
        runs = results.runs()
    assert outcomes.loc[15.0, "cost_usd"] != outcomes.loc[30.0, "cost_usd"]
    assert '"staffing": 1.5' in runs["parameters"].iloc[0]


def test_misspelt_scenario_number_gets_a_hint(tmp_path):
    from inclusion_sim.base.errors import InputError
    from inclusion_sim.experiments import load_spec

    spec_path = tmp_path / "knobs.toml"
    spec_path.write_text(KNOB_SPEC.format(scenario=SCENARIO.as_posix())
                         .replace("school.class_size", "school.class_sise"))
    with pytest.raises(InputError) as info:
        load_spec(spec_path)
    assert "did you mean 'school.class_size'?" in str(info.value)


def test_master_schedule_knob_switches_the_generated_layout():
    from inclusion_sim import load_scenario
    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.experiments.knobs import apply_knobs
    from inclusion_sim.school.master_schedule import relevant_overlap

    scenario = load_scenario(SCENARIO)
    schools = {k: apply_knobs(scenario, {"master_schedule": k}).build_school(
        make_streams(1)["roster"]) for k in (0, 1)}
    # the old layout puts every class's ELA and math in the same periods: SETSS lessons coincide
    assert relevant_overlap(schools[0])["setss"].peak > relevant_overlap(schools[1])["setss"].peak
    assert schools[0].students == schools[1].students  # the layout moves lessons, not students
    own = scenario.build_school(make_streams(1)["roster"])
    assert pickle.dumps(schools[1]) == pickle.dumps(own)  # the scenario's own layout: its school
