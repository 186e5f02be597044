from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sweep_fakes import FakeScenario, fake_run, fake_spec

from inclusion_sim.analysis.sensitivity import sensitivity_indices
from inclusion_sim.analysis.sweeps import bootstrap_mean_ci, paired_differences
from inclusion_sim.experiments import open_results, run_sweep
from inclusion_sim.faces.sweep_report import write_report

SAMPLED = """
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


def sampled_sweep(root, method, samples):
    spec = fake_spec(SAMPLED.format(method=method, samples=samples))
    with ThreadPoolExecutor(2) as pool:
        run_sweep(spec, root, executor=pool, scenario=FakeScenario(), run_fn=fake_run,
                  progress=False)
    return root


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory):
    return sampled_sweep(tmp_path_factory.mktemp("sobol"), "sobol", 64)


def test_bootstrap_interval_covers_the_mean_and_shrinks_with_n():
    rng = np.random.default_rng(0)
    small, large = rng.normal(1, 1, 20), rng.normal(1, 1, 2000)
    (lo_s, hi_s), (lo_l, hi_l) = bootstrap_mean_ci(small)[0], bootstrap_mean_ci(large)[0]
    assert lo_s < small.mean() < hi_s and lo_l < 1 < hi_l
    assert hi_l - lo_l < (hi_s - lo_s) / 5


def test_paired_differences_recover_the_known_policy_effect(reference_sweep):
    with open_results(reference_sweep) as results:
        outcomes = results.outcomes()
        table = paired_differences(outcomes, results.policies, ["carryover_mean"],
                                   results.parameter_names)
    overall = table[table["scope"] == "overall"].iloc[0]
    assert overall["policy"] == "push_in" and overall["reference"] == "pull_out"
    assert overall["n_pairs"] == 24
    # Common random numbers: the school and the noise are the same draws under both policies,
    # so the paired difference is exactly the policy effect built into the fake model.
    assert overall["difference"] == pytest.approx(0.3)
    assert overall["ci_low"] == pytest.approx(0.3) and overall["ci_high"] == pytest.approx(0.3)
    per_point = table[table["scope"] == "point"]
    assert len(per_point) == 6 and (per_point["n_pairs"] == 4).all()
    assert set(per_point["stigma_per_removal"]) == {0.01, 0.025}


def test_sobol_indices_rank_the_parameter_that_drives_the_outcome(sobol_sweep):
    with open_results(sobol_sweep) as results:
        design = results.sql("SELECT * FROM design ORDER BY point")
        indices, notes = sensitivity_indices(results.outcomes(), design, results.meta,
                                             ["carryover_mean", "stigma_mean"])
    st = indices[(indices["index"] == "ST")].set_index(["metric", "target", "parameter"])["value"]
    assert st["carryover_mean", "pull_out", "carryover_rate"] > \
        st["carryover_mean", "pull_out", "stigma_per_removal"] + 0.3
    diff = "push_in - pull_out"
    assert st["stigma_mean", diff, "stigma_per_removal"] > 0.9
    assert {"S1", "ST"} == set(indices["index"])
    assert notes == [] or all("constant" in n for n in notes)


def test_morris_gives_mu_star_and_sigma(tmp_path):
    root = sampled_sweep(tmp_path, "morris", 6)
    with open_results(root) as results:
        design = results.sql("SELECT * FROM design ORDER BY point")
        indices, _ = sensitivity_indices(results.outcomes(), design, results.meta,
                                         ["stigma_mean"])
    mu = indices[indices["index"] == "mu_star"].set_index(["target", "parameter"])["value"]
    assert mu["push_in - pull_out", "stigma_per_removal"] > \
        10 * mu["push_in - pull_out", "carryover_rate"]
    assert "sigma" in set(indices["index"])


def test_report_is_self_contained_html_with_embedded_figures(sobol_sweep, tmp_path):
    path = write_report(sobol_sweep, tmp_path, n_boot=200)
    page = path.read_text()
    images = re.findall(r"src='data:image/png;base64,[A-Za-z0-9+/=]{1000,}'", page)
    assert len(images) >= 5, "comparison, 2 parameters, sensitivity per outcome, time series"
    assert "<h2>Sensitivity</h2>" in page and "<h2>Through the year</h2>" in page
    assert "http://" not in page and "https://" not in page
    assert (tmp_path / "paired_differences.csv").exists()
    assert (tmp_path / "sensitivity.csv").exists()


def test_report_lists_failed_runs(tmp_path):
    from sweep_fakes import flaky_run

    with ThreadPoolExecutor(2) as pool:
        run_sweep(fake_spec(), tmp_path / "sweep", executor=pool, scenario=FakeScenario(),
                  run_fn=flaky_run, progress=False)
    page = write_report(tmp_path / "sweep", n_boot=100).read_text()
    assert "Failed runs (12)" in page and "boom at stigma" in page


def test_a_wrong_reference_policy_is_named_as_the_caller_wrote_it(reference_sweep, tmp_path,
                                                                   capsys):
    from inclusion_sim.base.errors import InputError
    from inclusion_sim.faces.sweep_cli import main

    with pytest.raises(InputError) as caught:
        write_report(reference_sweep, tmp_path / "report", reference="push-in")
    assert str(caught.value).startswith("Python call: argument 'reference': expected one of "
                                        "pull_out, push_in, found 'push-in'")
    assert "did you mean 'push_in'?" in str(caught.value)
    assert main(["report", str(reference_sweep), "--out", str(tmp_path / "r"),
                 "--reference", "push-in"]) == 2
    err = capsys.readouterr().err
    assert "command line: --reference: expected one of pull_out, push_in, found 'push-in'" in err
    assert not (tmp_path / "report").exists() and not (tmp_path / "r").exists()
