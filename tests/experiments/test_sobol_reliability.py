"""Sobol designs that cannot mislead: power-of-two base samples, library warnings kept, and a
report that flags indices no sample of this size can support and says which size would.
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from sweep_fakes import FakeScenario, fake_run, fake_spec

from inclusion_sim.analysis.sensitivity import (
    ROUNDING,
    TARGET_HALF_WIDTH,
    sensitivity_indices,
    sobol_caveats,
)
from inclusion_sim.base.errors import InputError
from inclusion_sim.experiments import open_results, run_sweep
from inclusion_sim.experiments.designs import design_matrix
from inclusion_sim.faces.sweep_cli import main
from inclusion_sim.faces.sweep_report import write_report

SOBOL = """
[sweep]
scenario = "unused.toml"
policies = ["pull_out", "push_in"]
replicates = 2
seed = 3
outcomes = ["carryover_mean", "stigma_mean"]

[design]
method = "{method}"
samples = {samples}

[parameters]
stigma_per_removal = {{}}
carryover_rate = {{}}
"""


def spec_with(samples: int, method: str = "sobol"):
    return fake_spec(SOBOL.format(method=method, samples=samples))


@pytest.mark.parametrize("samples", [3, 6, 12, 100])
def test_a_sobol_base_sample_must_be_a_power_of_two(samples: int) -> None:
    with pytest.raises(InputError) as caught:
        spec_with(samples)
    (problem,) = caught.value.problems
    assert problem.where == "[design] key 'samples'"
    assert problem.expected.startswith("a power of two for a sobol design")
    assert problem.found == str(samples)
    lower, upper = 1 << (samples.bit_length() - 1), 1 << samples.bit_length()
    # What each neighbouring size costs: (D + 2) points per sample, 2 policies, 2 replicates.
    assert f"samples = {lower} gives {lower * 4:,} points" in problem.hint
    assert f"samples = {upper} gives {upper * 4:,} points x 2 policies x 2 replicates = " \
        f"{upper * 16:,} runs" in problem.hint


@pytest.mark.parametrize(("samples", "method"), [(8, "sobol"), (1, "sobol"), (6, "lhs"),
                                                 (6, "morris")])
def test_other_sizes_and_methods_are_accepted(samples: int, method: str) -> None:
    assert spec_with(samples, method).design.samples == samples


def test_the_samplers_warnings_are_not_silenced() -> None:
    good = spec_with(8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        design_matrix(good)  # a valid design samples without any warning
    unchecked = dataclasses.replace(good, design=dataclasses.replace(good.design, samples=6))
    with pytest.warns(UserWarning, match="power of 2"):
        design_matrix(unchecked)


def test_warnings_from_the_analysis_become_report_notes(monkeypatch, tmp_path) -> None:
    from SALib.analyze import sobol

    real = sobol.analyze

    def warning_analyze(*args, **kwargs):
        warnings.warn("something about these outputs", UserWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(sobol, "analyze", warning_analyze)
    root = sweep(tmp_path, spec_with(8))
    with open_results(root) as results:
        design = results.sql("SELECT * FROM design ORDER BY point")
        indices, notes = sensitivity_indices(results.outcomes(), design, results.meta,
                                             ["carryover_mean"])
    assert not indices.empty
    assert "carryover_mean / pull_out: SALib warned: something about these outputs" in notes


def sweep(tmp_path, spec):
    root = tmp_path / "sweep"
    with ThreadPoolExecutor(2) as pool:
        run_sweep(spec, root, executor=pool, scenario=FakeScenario(), run_fn=fake_run,
                  progress=False)
    return root


def check_flags(table: pd.DataFrame) -> None:
    """Each flag as defined, and no index left unflagged that meets a definition."""
    for _, row in table.iterrows():
        outside = row["value"] < -ROUNDING or row["value"] > 1 + ROUNDING
        wide = 2 * row["conf"] > abs(row["value"])
        if outside:
            assert row["flag"] == "outside [0, 1]"
        elif wide:
            assert row["flag"] == "interval wider than the index"
        else:
            assert row["flag"] in ("", "first-order above total-order")


def test_a_small_sobol_sweep_is_reported_with_its_caveats(tmp_path) -> None:
    root = sweep(tmp_path, spec_with(8))
    report = write_report(root, tmp_path / "report", n_boot=200)
    page = report.read_text()
    table = pd.read_csv(tmp_path / "report" / "sensitivity.csv", keep_default_na=False)
    check_flags(table)
    flagged = table[table["flag"] != ""]
    assert len(flagged) > 0
    assert f"{len(flagged)} of {len(table)} Sobol indices are not reliable at samples = 8" in page
    needed = int(re.search(r"about samples = (\d+) \(", page).group(1))
    widest = table["conf"].max()
    assert needed & (needed - 1) == 0  # a power of two
    assert needed >= 8 * (widest / TARGET_HALF_WIDTH) ** 2 > needed / 2
    assert f"{needed * 4 * 4:,} runs) would bring them to about ±{TARGET_HALF_WIDTH}" in page


def test_a_sweep_stored_with_a_base_sample_of_six_is_flagged(tmp_path, capsys) -> None:
    """A sweep made before the spec refused such sizes: indices above 1 must carry a caveat."""
    good = spec_with(8)
    legacy = dataclasses.replace(good, design=dataclasses.replace(good.design, samples=6))
    with pytest.warns(UserWarning, match="power of 2"):
        root = sweep(tmp_path, legacy)
    assert main(["report", str(root), "--bootstrap", "200"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"warning: \d+ sensitivity indices are unreliable at this sample size", err)
    page = (root / "report" / "report.html").read_text()
    assert "samples = 6 is not a power of two" in page
    table = pd.read_csv(root / "report" / "sensitivity.csv", keep_default_na=False)
    check_flags(table)
    assert (table["value"] > 1 + ROUNDING).any() or (table["flag"] != "").sum() >= 4


def test_reliable_indices_carry_no_caveat() -> None:
    table = pd.DataFrame({
        "metric": ["m"] * 4, "target": ["p"] * 4, "parameter": ["a", "a", "b", "b"],
        "method": ["sobol"] * 4, "index": ["S1", "ST", "S1", "ST"],
        "value": [0.62, 0.70, 0.25, 0.31], "conf": [0.04, 0.03, 0.05, 0.02],
    })
    spec = {"design": {"samples": 1024, "second_order": False}, "parameters": [{}, {}],
            "policies": ["p"], "replicates": 1}
    flagged, text = sobol_caveats(table, spec)
    assert (flagged["flag"] == "").all() and text == []
    # The same first-order index of b well above its total-order index is flagged.
    table.loc[2, "value"] = 0.45
    flagged, text = sobol_caveats(table, spec)
    assert list(flagged["flag"]) == ["", "", "first-order above total-order", ""]
    assert "already within ±0.05" in text[-1]
    assert math.isclose(flagged.loc[2, "value"], 0.45)
