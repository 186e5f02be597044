"""ABC-SMC against the patterns: recovers a known accepted region, seeded, errors located."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inclusion_sim import load_scenario
from inclusion_sim.analysis.abc_fit import failed_patterns, model_simulator
from inclusion_sim.analysis.calibration import REFERENCE_PATTERNS, Pattern
from inclusion_sim.base.errors import InputError

ROOT = Path(__file__).resolve().parents[2]

#: Toy patterns with a known accepted region: x <= 0.3 and z >= 0.5 of the unit square.
TOY = [Pattern("T1", "x at most 0.3", (), ("x",), lambda m: bool(m["x"].max() <= 0.3)),
       Pattern("T2", "z at least 0.5", (), ("z",), lambda m: bool(m["z"].min() >= 0.5))]
UNIT = {"x": (0.0, 1.0), "z": (0.0, 1.0)}


def toy(parameters):
    return pd.DataFrame({"x": [parameters["x"]], "z": [parameters["z"]]}, index=["pull_out"])


def test_abc_smc_recovers_a_known_accepted_region_the_same_with_the_same_seed():
    pytest.importorskip("pyabc", reason="needs the 'abc' extra")
    from inclusion_sim.analysis.abc_fit import abc_fit

    fit = abc_fit(toy, UNIT, TOY, population_size=20, seed=3)
    assert fit.scored == ["T1", "T2"] and fit.populations["epsilon"].tolist() == [1.0, 0.0]
    post = fit.posterior
    assert len(post) == 20 and post["weight"].sum() == pytest.approx(1.0)
    assert (post["x"] <= 0.3).all() and (post["z"] >= 0.5).all()  # only the region
    quantiles = fit.quantiles().set_index("parameter")
    assert 0.05 < quantiles.loc["x", "q50"] < 0.25 and 0.55 < quantiles.loc["z", "q50"] < 0.95
    assert post["x"].max() - post["x"].min() > 0.15  # spread over it, not collapsed
    assert "every parameter set kept reproduces T1, T2" in fit.sentences()[0]
    again = abc_fit(toy, UNIT, TOY, population_size=20, seed=3)
    pd.testing.assert_frame_equal(again.posterior, post)


def test_abc_fit_errors_are_located():
    pytest.importorskip("pyabc", reason="needs the 'abc' extra")
    from inclusion_sim.analysis.abc_fit import abc_fit

    with pytest.raises(InputError, match=r"ranges\['x'\]: expected low < high"):
        abc_fit(toy, {"x": (1.0, 0.0), "z": (0.0, 1.0)}, TOY)
    with pytest.raises(InputError, match="epsilons: expected a non-increasing list"):
        abc_fit(toy, UNIT, TOY, epsilons=[0, 1])
    with pytest.raises(InputError, match="patterns: expected a pattern the simulator's table"):
        abc_fit(toy, UNIT, REFERENCE_PATTERNS)  # the toy has none of F1-F6's policies


def test_the_model_simulator_gives_a_table_every_reference_pattern_can_score():
    scenario = load_scenario(ROOT / "scenarios" / "small_elementary.toml")
    simulate = model_simulator(scenario, ["pull_out", "push_in", "push_in_collaborative"],
                               seed=2, weeks=1, scheduling="greedy")
    table = simulate({"push_in_generalization": 2.0})
    assert table.index.tolist() == ["pull_out", "push_in", "push_in_collaborative"]
    failed, scored = failed_patterns(table, REFERENCE_PATTERNS)
    assert scored == ["F1", "F2", "F3", "F4", "F5", "F6"] and 0 <= failed <= 6
    flat = simulate({"push_in_generalization": 1.0})
    assert table.loc["push_in", "iep_carryover"] > flat.loc["push_in", "iep_carryover"]
    assert table.loc["pull_out", "iep_carryover"] == flat.loc["pull_out", "iep_carryover"]
