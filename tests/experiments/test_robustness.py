"""The robustness table: the library on a model with known answers, and the script on a small school."""

from __future__ import annotations

import importlib.util
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inclusion_sim.analysis.robustness import (
    BEGIN,
    END,
    estimated_parameters,
    markers,
    run_robustness,
    update_document,
)
from inclusion_sim.base.errors import InputError

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Param:
    name: str
    default: float
    low: float
    high: float
    status: str


REGISTRY = {p.name: p for p in (
    Param("flipper", 0.5, 0.0, 2.0, "estimate"),
    Param("idle", 1.0, 0.0, 3.0, "estimate"),
    Param("measured", 1.0, 0.5, 1.5, "read"),
)}


@dataclass(frozen=True)
class Scenario:
    name: str = "known answers"
    seed: int = 4

    def hash(self) -> str:
        return "known"


@dataclass
class Result:
    summary: dict
    weekly: pd.DataFrame


def known_run(scenario, seed, policy, parameters, weeks=None):
    """Push-in adds (1 - flipper) / 10 to carry-over and 0.2 to stigma; seeds add common noise."""
    rng = np.random.default_rng(seed)
    school, noise = rng.normal(), rng.normal(0, 0.01, size=2)
    push = policy == "push_in"
    flipper = parameters.get("flipper", 0.5)
    carryover = school + push * (1 - flipper) / 10 + noise[0] + push * noise[1]
    stigma = school + 0.2 * push + parameters.get("idle", 1.0) * 0.01
    return Result({"iep_carryover": carryover, "iep_stigma": stigma},
                  pd.DataFrame({"week": [1], "iep_carryover": [carryover]}))


def robustness(out, **options):
    with ThreadPoolExecutor(1) as pool:
        return run_robustness("unused.toml", out, policies=["pull_out", "push_in"],
                              outcomes=["iep_carryover", "iep_stigma"], replicates=3,
                              executor=pool, workers=1, scenario_object=Scenario(),
                              run_fn=known_run, registry=REGISTRY, progress=False, **options)


def test_the_estimate_that_flips_a_difference_is_found_and_no_other(tmp_path):
    assert estimated_parameters(REGISTRY) == ["flipper", "idle"]
    result = robustness(tmp_path / "runs")
    assert [p.name for p in result.spec.parameters] == ["flipper", "idle"]
    table = result.table().set_index("metric")
    carry, stigma = table.loc["iep_carryover"], table.loc["iep_stigma"]
    assert carry["difference"] == pytest.approx(0.05, abs=0.02)
    assert carry["flipped_by"] == ["flipper"]
    (flip,) = carry["flips"]
    assert (flip["low_value"], flip["high_value"]) == (0.0, 2.0)
    assert flip["low_difference"] > 0 > flip["high_difference"]
    assert stigma["flipped_by"] == [] and stigma["interval_excludes_zero"]
    assert stigma["difference"] == pytest.approx(0.2)

    long = result.differences
    assert len(long) == 5 * 2  # (1 + 2 x 2 estimates) points x 2 outcomes
    assert set(long["end"]) == {"default", "low", "high"}
    markdown = result.markdown()
    assert "`flipper` (" in markdown and "| none |" in markdown
    assert "push_in − pull_out" in markdown
    csv = pd.read_csv(result.to_csv(tmp_path / "table.csv"))
    assert len(csv) == 10 and csv.loc[0, "end"] == "default"

    # the same call resumes: nothing is run again and the table is the same
    again = robustness(tmp_path / "runs")
    pd.testing.assert_frame_equal(again.differences, result.differences)


def test_robustness_mistakes_are_named(tmp_path):
    with pytest.raises(InputError) as info:
        run_robustness("unused.toml", tmp_path, policies=["pull_out", "push_in"],
                       outcomes=["iep_carryovr"], parameters=["flipper"], registry=REGISTRY,
                       scenario_object=Scenario(), run_fn=known_run)
    assert "did you mean 'iep_carryover'?" in str(info.value)
    with pytest.raises(InputError, match="two or more"):
        run_robustness("unused.toml", tmp_path, policies=["pull_out"], registry=REGISTRY,
                       scenario_object=Scenario(), run_fn=known_run)
    with pytest.raises(InputError, match="at least 2 replicates"):
        run_robustness("unused.toml", tmp_path, policies=["pull_out", "push_in"], replicates=1,
                       registry=REGISTRY, scenario_object=Scenario(), run_fn=known_run)


def test_the_document_keeps_everything_outside_its_markers(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text(f"before\n{BEGIN}\nold table\n{END}\nafter\n")
    update_document(doc, "new table\n")
    assert doc.read_text() == f"before\n{BEGIN}\nnew table\n{END}\nafter\n"
    begin, end = markers(equal_dose=True)
    doc.write_text(f"{BEGIN}\nplain\n{END}\n{begin}\nold\n{end}\n")
    update_document(doc, "same dose\n", equal_dose=True)
    assert doc.read_text() == f"{BEGIN}\nplain\n{END}\n{begin}\nsame dose\n{end}\n"
    doc.write_text("no markers\n")
    with pytest.raises(InputError, match="markers"):
        update_document(doc, "x\n")


def load_script():
    spec = importlib.util.spec_from_file_location("robustness_script",
                                                  REPO / "scripts" / "robustness.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STIGMA = ["stigma_per_removal", "stigma_per_push_in"]
OUTCOMES = ["iep_stigma", "iep_carryover", "mandate_compliance"]


def test_the_script_on_a_small_school(tmp_path, capsys):
    """Removal and push-in stigma each flip the stigma difference at 0; a cost flips nothing."""
    from inclusion_sim import load_scenario
    from inclusion_sim.analysis.compare import compare_policies

    scenario = REPO / "scenarios" / "small_elementary.toml"
    doc = tmp_path / "validation.md"
    shutil.copy(REPO / "docs" / "validation.md", doc)
    before = doc.read_text()
    csv = tmp_path / "robustness.csv"
    assert load_script().main([
        "--scenario", str(scenario), "--replicates", "2", "--weeks", "2",
        "--policies", "pull_out", "push_in", "--outcomes", *OUTCOMES,
        "--parameters", *STIGMA, "teacher_cost", "--workers", "1",
        "--out", str(tmp_path / "runs"), "--csv", str(csv), "--doc", str(doc)]) == 0
    assert "Felt stigma" in capsys.readouterr().out

    long = pd.read_csv(csv, keep_default_na=False, na_values=[""])
    long["parameter"] = long["parameter"].fillna("")
    at = long.set_index(["metric", "parameter", "end"])["difference"]
    # at the defaults, the numbers of the comparison engine on the same seeds
    comparison = compare_policies(load_scenario(scenario), ["pull_out", "push_in"], 2, weeks=2)
    paired = comparison.paired().set_index("metric")
    for metric in OUTCOMES:  # the CSV keeps six significant digits
        assert at[(metric, "", "default")] == pytest.approx(paired.loc[metric, "difference"],
                                                            rel=1e-5, abs=1e-12)
    # no stigma for leaving the room: push-in is the more stigmatizing; and the other way round
    assert at[("iep_stigma", "stigma_per_removal", "low")] > 0
    assert at[("iep_stigma", "stigma_per_push_in", "low")] < 0
    # a staff cost changes no outcome but cost
    for metric in OUTCOMES:
        for end in ("low", "high"):
            assert at[(metric, "teacher_cost", end)] == at[(metric, "", "default")]

    text = doc.read_text()
    head, rest = text.split(BEGIN)
    table, tail = rest.split(END)
    assert before.startswith(head) and before.endswith(tail)
    (stigma_row,) = [line for line in table.splitlines() if "Felt stigma" in line]
    flipped = [name for name in STIGMA if f"`{name}`" in stigma_row]
    assert flipped  # one of them flips whichever sign the default has
    assert "teacher_cost" not in table


def test_the_script_estimates_its_runtime_without_running_the_table(tmp_path, capsys):
    assert load_script().main([
        "--scenario", str(REPO / "scenarios" / "small_elementary.toml"), "--estimate",
        "--replicates", "2", "--weeks", "1", "--policies", "pull_out", "push_in",
        "--parameters", "push_in_travel_minutes", "teacher_cost",
        "--out", str(tmp_path / "runs")]) == 0
    printed = capsys.readouterr().out
    assert "5 points x 2 policies x 2 replicates = 20 runs" in printed
    assert "Weeks to solve: 12" in printed and "Estimated:" in printed
    assert not (tmp_path / "runs").exists()
