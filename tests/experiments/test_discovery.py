"""Scenario discovery (PRIM, CART) and pattern-oriented calibration over sweeps."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from sweep_fakes import FAKE_PARAMETERS, FAKE_POLICIES, FakeScenario, fake_run

pytest.importorskip("ema_workbench", reason="needs the 'discovery' extra")
pytest.importorskip("sklearn", reason="needs the 'discovery' extra")

from inclusion_sim.analysis.calibration import (  # noqa: E402
    REFERENCE_PATTERNS,
    Pattern,
    calibrate,
    calibrate_outcomes,
)
from inclusion_sim.analysis.discovery import Composite, discover, discover_pairs  # noqa: E402
from inclusion_sim.base.errors import InputError  # noqa: E402
from inclusion_sim.experiments import parse_spec, run_sweep  # noqa: E402
from inclusion_sim.faces.cli import main  # noqa: E402
from inclusion_sim.faces.present import terminal_problems, wrap  # noqa: E402

NAMES = ["staffing", "school.class_size", "stigma_per_removal"]


def boxed_pairs(n=600, seed=0):
    """Pairs where A wins 90% of the time inside staffing >= 1.2 and class size <= 22, 15% outside."""
    rng = np.random.default_rng(seed)
    pairs = pd.DataFrame({"staffing": rng.uniform(0.5, 2.0, n),
                          "school.class_size": rng.uniform(10, 35, n),
                          "stigma_per_removal": rng.uniform(0.0, 0.02, n)})
    inside = (pairs["staffing"] >= 1.2) & (pairs["school.class_size"] <= 22)
    pairs["wins"] = rng.uniform(size=n) < np.where(inside, 0.9, 0.15)
    pairs["difference"] = np.where(pairs["wins"], 1.0, -1.0)
    pairs["point"], pairs["replicate"] = np.arange(n), 0
    return pairs, inside


def test_prim_finds_a_known_box_and_cart_agrees():
    pairs, inside = boxed_pairs()
    found = discover_pairs(pairs, NAMES, "push_in_collaborative", "pull_out", "iep_carryover")
    box = {r.name: r for r in found.box.restrictions}
    assert set(box) == {"staffing", "school.class_size"}  # the noise parameter is left free
    assert box["staffing"].low == pytest.approx(1.2, abs=0.08)
    assert box["school.class_size"].high == pytest.approx(22, abs=1.0)
    assert box["school.class_size"].low is None
    assert found.box.density > 0.85 and found.box.coverage >= 0.5
    assert found.box.density > 2 * found.base_rate
    # The rule: the densest box on the trajectory with coverage >= 50%.
    eligible = found.trajectory[found.trajectory["coverage"] >= 0.5]
    assert found.box.density == pytest.approx(eligible["density"].max())
    assert {"coverage", "density", "res_dim"} <= set(found.trajectory.columns)
    assert found.trajectory["coverage"].iloc[0] == 1.0 and found.trajectory["res_dim"].iloc[0] == 0
    leaf = found.tree_leaves[0]
    assert {"staffing", "school.class_size"} <= {r.name for r in leaf.restrictions}
    assert leaf.density > 0.85
    text = " ".join(found.sentences())
    # the policy is named as on every other page (the presentation layer's label)
    assert "push-in (co-taught) beats pull-out on classroom use of IEP skills (carry-over)" in text
    assert "staffing (factor on therapists' minutes) ≥ 1.2" in text
    assert "class size ≤ 2" in text and "staffing" not in text.split("PRIM:")[0]


def test_a_region_without_a_box_is_said_plainly():
    rng = np.random.default_rng(3)
    pairs = pd.DataFrame({"staffing": rng.uniform(0.5, 2.0, 300),
                          "stigma_per_removal": rng.uniform(0, 0.02, 300)})
    pairs["wins"] = rng.uniform(size=300) < 0.5
    pairs["difference"] = np.where(pairs["wins"], 1.0, -1.0)
    found = discover_pairs(pairs, ["staffing", "stigma_per_removal"], "push_in", "pull_out",
                           "iep_carryover", min_coverage=0.9)
    assert found.box.density < 0.65  # no region much denser than the coin it is
    assert found.box.coverage >= 0.9


def test_composite_weights_are_checked_and_located():
    known = ["iep_carryover", "iep_stigma"]
    assert Composite.parse("iep_carryover=1, iep_stigma=0.5", known).weights == {
        "iep_carryover": 1.0, "iep_stigma": 0.5}
    with pytest.raises(InputError) as caught:
        Composite.parse("iep_carryovr=1,iep_stigma=x", known)
    message = str(caught.value)
    assert "--composite: expected an outcome name, found 'iep_carryovr'" in message
    assert "did you mean 'iep_carryover'?" in message
    assert "--composite (iep_stigma): expected a number after '=', found 'x'" in message


def boxed_run(scenario, seed, policy, parameters, weeks=None):
    """fake_run, with push-in ahead on carry-over only inside a known box.

    fake_run gives push-in +0.3 carry-over on the same seed (noise 0.05 per run); outside
    stigma_per_removal <= 0.015 and carryover_rate >= 0.03 push-in is put 0.3 behind instead.
    """
    result = fake_run(scenario, seed, policy, parameters, weeks)
    inside = parameters["stigma_per_removal"] <= 0.015 and parameters["carryover_rate"] >= 0.03
    if policy == "push_in" and not inside:
        result.summary["carryover_mean"] -= 0.6
    return result


SPEC = """
[sweep]
name = "fake lhs"
scenario = "unused.toml"
policies = ["pull_out", "push_in"]
replicates = 2
seed = 5
[design]
method = "lhs"
samples = 60
[parameters]
stigma_per_removal = {}
carryover_rate = {}
"""


def run_boxed(out, threads):
    spec = parse_spec(SPEC, parameters=FAKE_PARAMETERS, policies=FAKE_POLICIES,
                      check_scenario=False)
    with ThreadPoolExecutor(threads) as pool:
        run_sweep(spec, out, executor=pool, scenario=FakeScenario(), run_fn=boxed_run,
                  progress=False, chunk_size=7 if threads == 1 else None)
    return out


@pytest.fixture(scope="module")
def boxed_sweep(tmp_path_factory):
    """A fake LHS sweep (60 points, 2 replicates) with a known box, run on 2 threads."""
    return run_boxed(tmp_path_factory.mktemp("boxed"), 2)


def test_prim_finds_the_known_box_of_a_sweep_the_same_on_1_or_2_workers(boxed_sweep, tmp_path):
    found = discover(boxed_sweep, ["push_in", "pull_out"], "carryover_mean")
    assert len(found.pairs) == 120
    inside = (found.pairs["stigma_per_removal"] <= 0.015) & (found.pairs["carryover_rate"] >= 0.03)
    assert (found.pairs["wins"] == inside).all()  # the fake's box, seen through the store
    box = {r.name: r for r in found.significant_box.restrictions}
    assert set(box) == {"stigma_per_removal", "carryover_rate"}
    assert box["stigma_per_removal"].high == pytest.approx(0.015, abs=0.002)
    assert box["carryover_rate"].low == pytest.approx(0.03, abs=0.003)
    assert found.significant_box.density > 0.9 and found.significant_box.coverage > 0.9
    again = discover(run_boxed(tmp_path / "one", 1), ["push_in", "pull_out"], "carryover_mean")
    pd.testing.assert_frame_equal(found.trajectory, again.trajectory)
    assert found.sentences() == again.sentences()


def test_discover_command_writes_a_report(boxed_sweep, capsys):
    out = boxed_sweep / "disc"
    assert main(["discover", str(boxed_sweep), "--outcome", "carryover_mean", "--policies",
                 "push_in", "pull_out", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    flat = " ".join(printed.split())  # the sentences are wrapped to the terminal's width
    assert "push-in (alongside the lesson) beats pull-out on carryover mean in" in flat
    assert "where stigma from being visibly taken out of class ≤ 0.01" in flat
    assert not terminal_problems(printed)  # 100 columns, labels not identifiers
    for name in ("report.html", "trajectory.png", "box_pairs.png", "trajectory.csv", "pairs.csv",
                 "box.csv", "provenance.json"):
        assert (out / name).is_file(), name
    dictionary = pd.read_csv(out / "data_dictionary.csv")
    assert set(dictionary["file"]) == {"box.csv", "trajectory.csv", "pairs.csv"}
    assert "quasi_p" not in (out / "report.html").read_text().split("<table")[1]
    provenance = (out / "provenance.json").read_text()
    assert "plan_hash" in provenance and "ema_workbench" in provenance


def test_a_missing_extra_is_a_plain_located_error(reference_sweep, monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "ema_workbench.analysis", None)
    assert main(["discover", str(reference_sweep), "--outcome", "carryover_mean", "--policies",
                 "push_in", "pull_out"]) == 2
    err = capsys.readouterr().err
    assert "inclusion_sim.analysis.discovery: optional dependency 'ema_workbench': expected EMA " \
        "Workbench and scikit-learn (pip install \"inclusion-sim[discovery]\")" in err


def test_discover_command_errors_are_located(reference_sweep, tmp_path, capsys):
    def error(*args):
        assert main(["discover", str(reference_sweep), *args]) == 2
        return capsys.readouterr().err

    err = error("--outcome", "carryover_men", "--policies", "push_in", "pull_out")
    assert "command line: --outcome: expected an outcome of the sweep, found 'carryover_men'" in err
    assert "did you mean 'carryover_mean'?" in err and "Traceback" not in err
    err = error("--outcome", "carryover_mean", "--policies", "push_in")
    assert "command line: --policies: expected two different policies of the sweep" in err
    assert "found push_in" in err
    err = error("--outcome", "carryover_mean", "--policies", "push_in", "push-in")
    assert "found 'push-in' (did you mean 'push_in'?)" in err
    unfinished = tmp_path / "unfinished"
    shutil.copytree(reference_sweep, unfinished)
    first = sorted((unfinished / "runs").glob("*.parquet"))[0]
    first.unlink()
    assert main(["discover", str(unfinished), "--outcome", "carryover_mean", "--policies",
                 "push_in", "pull_out"]) == 2
    err = capsys.readouterr().err
    assert f"{unfinished}: runs: expected a finished sweep (48 runs), found" in err
    assert "finish it first: inclusion-sim sweep" in err and "Traceback" not in err
    assert main(["calibrate", str(unfinished)]) == 2
    assert "expected a finished sweep" in capsys.readouterr().err


def test_calibration_recovers_a_known_accepted_region(boxed_sweep):
    # Toy pattern: pull-out's stigma exceeds push-in's by at most 0.3. In fake_run the gap is
    # (20 - 5) x stigma_per_removal exactly (the school term cancels on shared seeds), so the
    # accepted region is stigma_per_removal <= 0.02 of its range 0-0.03.
    def small_gap(means):
        stigma = means["stigma_mean"]
        return bool(stigma["pull_out"] - stigma["push_in"] <= 0.3)

    pattern = Pattern("T1", "stigma gap at most 0.3", ("pull_out", "push_in"),
                      ("stigma_mean",), small_gap)
    result = calibrate(boxed_sweep, patterns=[pattern])
    points = result.points
    assert len(points) == 60 and result.scored == ["T1"]
    assert (points["accepted"] == (points["stigma_per_removal"] <= 0.02)).all()
    assert result.share_accepted == pytest.approx(2 / 3, abs=0.05)
    region = result.accepted_region().significant_box  # PRIM over the sets: where they lie
    assert [r.name for r in region.restrictions] == ["stigma_per_removal"]
    assert region.restrictions[0].high == pytest.approx(0.02, abs=0.002)
    assert region.density > 0.9 and region.coverage > 0.9
    said = result.sentences(requests=[("push_in", "pull_out", "stigma_mean")])
    assert not terminal_problems("\n".join(wrap(line) for line in said))
    assert "push-in (alongside the lesson) beats pull-out on stigma mean" in said[-1]
    across = result.compare("push_in", "pull_out", "stigma_mean")  # "higher" for the fake's
    assert across["points"] == int(points["accepted"].sum()) and across["share_better"] == 0.0
    assert across["median_difference"] == pytest.approx(
        -15 * points.loc[points["accepted"], "stigma_per_removal"].median(), rel=0.05)


def means_table(**columns):
    return pd.DataFrame(columns, index=["pull_out", "push_in", "push_in_collaborative", "hybrid"])


def test_reference_patterns_score_orderings_and_bounds():
    patterns = {p.code: p for p in REFERENCE_PATTERNS}
    good = means_table(
        iep_carryover=[0.45, 0.53, 0.55, 0.50], peer_spillover_sd=[0.002, 0.007, 0.007, 0.006],
        peer_spillover_weakest_sd=[0.004, 0.012, 0.012, 0.010],
        teacher_strategy_use=[0.02, 0.035, 0.35, 0.30], iep_mastery=[0.79, 0.80, 0.76, 0.79],
        iep_generalization=[0.60, 0.69, 0.70, 0.67], mandate_compliance=[0.88, 0.91, 0.82, 0.89],
        iep_core_hours_missed=[11, 29, 11, 26], iep_stigma=[0.1, 0.08, 0.08, 0.09],
        cost_usd=[190e3, 250e3, 340e3, 330e3])
    for code in ("F1", "F2", "F3", "F4", "F5", "F6"):
        assert patterns[code].check(good), code
    broken = good.copy()
    broken.loc["push_in_collaborative", "iep_carryover"] = 0.52  # below parallel push-in
    assert not patterns["F1"].check(broken)
    broken = good.copy()
    broken.loc["push_in", "teacher_strategy_use"] = 0.2  # watching alone adopts
    assert not patterns["F2"].check(broken)
    broken = good.copy()
    broken.loc["hybrid", "peer_spillover_sd"] = -0.2
    assert not patterns["F3"].check(broken)
    broken = good.copy()
    broken.loc["push_in_collaborative", "peer_spillover_weakest_sd"] = 0.006  # not the weakest most
    assert not patterns["F4"].check(broken)
    broken.loc["push_in_collaborative", "peer_spillover_weakest_sd"] = 0.012
    broken.loc["push_in_collaborative", "peer_spillover_sd"] = 0.0015  # class lifted less than
    assert not patterns["F4"].check(broken)                          # under pull-out
    broken = good.copy()
    broken.loc["push_in", "iep_mastery"] = 0.86  # learning in the session no longer equal
    assert not patterns["F5"].check(broken)
    dominant = good.copy()
    dominant.loc["pull_out"] = [0.6, 0.002, 0.004, 0.02, 0.9, 0.70, 0.95, 0, 0.05, 100e3]
    assert not patterns["F6"].check(dominant)


def test_f4_is_scored_from_the_weakest_classmates_and_skipped_where_a_sweep_lacks_them():
    """A sweep recorded before the weakest classmates' outcome existed still calibrates on the rest."""
    good = means_table(iep_carryover=[0.45, 0.53, 0.55, 0.50],
                       peer_spillover_sd=[0.002, 0.007, 0.007, 0.006],
                       peer_spillover_weakest_sd=[0.004, 0.012, 0.012, 0.010])
    rows = []
    for point, weakest in enumerate([0.012, 0.005]):  # the weakest gain most at point 0 only
        for policy, row in good.iterrows():
            rows.append({"point": point, "replicate": 0, "policy": policy, "x": float(point),
                         **row.to_dict()})
            if policy == "push_in_collaborative":
                rows[-1]["peer_spillover_weakest_sd"] = weakest
    outcomes = pd.DataFrame(rows)
    f4 = [p for p in REFERENCE_PATTERNS if p.code == "F4"]
    scored = calibrate_outcomes(outcomes, ["x"], f4)
    assert scored.scored == ["F4"] and scored.points["F4"].tolist() == [True, False]
    old = calibrate_outcomes(outcomes.drop(columns="peer_spillover_weakest_sd"), ["x"], f4)
    assert old.scored == [] and not old.points["accepted"].any()
