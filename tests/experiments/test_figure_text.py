"""Every figure the package makes reads at its produced size: no text off the canvas or overlapping.

Each figure is rendered from small synthetic tables shaped like the real ones, with the
outcomes' real names and realistic magnitudes (costs in the hundred thousands, differences in
the thousandths), so long labels and long tick labels are exercised. The check itself
(`inclusion_sim.faces.present.text_problems`) is shown to catch clipped and overlapping text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from inclusion_sim.faces import plots, present, sweep_figures
from inclusion_sim.model.outcomes import METRICS, RunResult

POLICIES = ["pull_out", "push_in", "push_in_collaborative", "hybrid_parallel", "hybrid"]
#: A typical size of each outcome's difference between policies, in the model's unit.
SIZES = {"0-1 scale": 0.02, "share": 0.05, "SD": 0.004, "hours": 40.0,
         "minutes per student": 200.0, "minutes per week": 900.0, "USD": 150_000.0,
         "USD per student-hour": 38.0}
CHANGED = {"transition_minutes": 6, "pull_out_refusal_rate": 0.1}


def _paired() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = []
    for policy in POLICIES[1:]:
        for metric, info in METRICS.items():
            size = SIZES[info.unit]
            mean = size * rng.uniform(-1, 1)
            half = size * rng.uniform(0.05, 0.4)
            rows.append({"policy": policy, "baseline": "pull_out", "metric": metric,
                         "baseline_mean": size * 3, "policy_mean": size * 3 + mean,
                         "difference": mean, "ci_low": mean - half, "ci_high": mean + half,
                         "replicates": 10})
    return pd.DataFrame(rows)


def _weekly() -> pd.DataFrame:
    rows = []
    for k, policy in enumerate(POLICIES):
        for replicate in range(3):
            for week in range(13):
                row = {"policy": policy, "replicate": replicate, "week": week}
                for column in plots.WEEKLY_PANELS:
                    size = SIZES[METRICS[column].unit]
                    # two policies coincide on purpose: their lines must both stay visible
                    row[column] = size * week / 12 * (1 + 0.1 * min(k, 3)) + 0.01 * replicate
                rows.append(row)
    return pd.DataFrame(rows)


def _run() -> RunResult:
    weekly = _weekly()
    weekly = weekly[(weekly["policy"] == "hybrid") & (weekly["replicate"] == 0)]
    empty = pd.DataFrame()
    return RunResult({}, weekly.drop(columns=["policy", "replicate"]), empty, empty, empty, empty,
                     {"policy": "hybrid", "seed": 1})


def _sweep_tables(sampled: bool):
    rng = np.random.default_rng(2)
    metrics = ["cost_usd", "iep_carryover", "iep_other_hours_missed"]
    values = rng.uniform(2, 10, 40) if sampled else np.repeat([2.0, 5.0, 10.0], 4)
    outcomes, differences = [], []
    for point, x in enumerate(values):
        for policy in POLICIES[:3]:
            row = {"policy": policy, "point": point, "transition_minutes": x}
            row.update({m: SIZES[METRICS[m].unit] * (1 + 0.05 * x) for m in metrics})
            outcomes.append(row)
            if policy != "pull_out":
                for m in metrics:
                    d = SIZES[METRICS[m].unit] * 0.1 * x
                    differences.append({"scope": "point", "policy": policy, "reference":
                                        "pull_out", "metric": m, "transition_minutes": x,
                                        "difference": d, "ci_low": 0.8 * d, "ci_high": 1.2 * d})
    for policy in POLICIES[1:3]:
        for m in metrics:
            d = SIZES[METRICS[m].unit] * 0.3
            differences.append({"scope": "overall", "policy": policy, "reference": "pull_out",
                                "metric": m, "difference": d, "ci_low": 0.5 * d,
                                "ci_high": 1.5 * d})
    indices = pd.DataFrame([
        {"metric": "iep_carryover", "target": target, "parameter": name, "index": kind,
         "value": v, "conf": 0.05}
        for target in ("pull_out", "push_in - pull_out")
        for name, v in (("transition_minutes", 0.6), ("push_in_generalization", 0.3),
                        ("pull_out_refusal_rate", 0.05))
        for kind in ("S1", "ST")])
    bands = pd.DataFrame([
        {"metric": m, "policy": p, "week": w, "q10": 0.9 * w * SIZES[METRICS[m].unit] / 36,
         "q50": w * SIZES[METRICS[m].unit] / 36, "q90": 1.1 * w * SIZES[METRICS[m].unit] / 36}
        for m in metrics for p in POLICIES[:3] for w in range(0, 37, 4)])
    return pd.DataFrame(outcomes), pd.DataFrame(differences), indices, bands, metrics


def _figures():
    paired = _paired()
    yield "comparison", plots.plot_paired(
        paired, title="Default elementary school (K-5, ~500 students): difference from "
        "Pull-out", parameters=CHANGED)
    yield "weekly by policy", plots.plot_weekly_by_policy(
        _weekly(), "Default elementary school (K-5, ~500 students)", parameters=CHANGED)
    yield "one run", plots.plot_run(_run(), parameters=CHANGED)
    outcomes, differences, indices, bands, metrics = _sweep_tables(sampled=False)
    yield "sweep comparison", sweep_figures.policy_comparison(differences, metrics)
    yield "sweep outcome vs parameter", sweep_figures.outcome_vs_parameter(
        outcomes, "transition_minutes", metrics, POLICIES[:3])
    yield "sensitivity", sweep_figures.sensitivity_bars(indices, "iep_carryover")
    yield "sweep time series", sweep_figures.time_series(bands, metrics)
    # sampled designs are drawn as scattered points and binned means instead
    _, differences, *_ = _sweep_tables(sampled=True)
    yield "sweep difference vs parameter", sweep_figures.difference_vs_parameter(
        differences, "transition_minutes", metrics)


@pytest.fixture(scope="module")
def drawn():
    """Every figure, laid out once: (name, figure, text problems)."""
    return [(name, fig, present.text_problems(fig)) for name, fig in _figures()]


@pytest.mark.slow  # lays out every figure once: about 8 s of CPU for the module
def test_every_figure_keeps_its_text_on_the_canvas_and_apart(drawn):
    assert not {name: found for name, _, found in drawn if found}


@pytest.mark.slow
def test_figures_name_policies_and_units_in_plain_words(drawn):
    for name, fig, _ in drawn:
        joined = "\n".join(t.get_text() for t in fig.findobj(Text))
        assert "push_in" not in joined and "pull_out" not in joined, name
        assert "e+0" not in joined and "1e" not in joined, name
        if name in ("comparison", "weekly by policy", "one run"):
            assert "Changed from the defaults: Walk to and from the therapy room: 6 minutes" \
                in joined, name
        if name in ("comparison", "weekly by policy"):
            assert ("95% confidence interval" if name == "comparison" else "percentile") \
                in joined, name
    comparison = dict((name, fig) for name, fig, _ in drawn)["comparison"]
    cost = next(ax for ax in comparison.axes if ax.get_title().startswith("Staff cost of"))
    ticks = [t.get_text() for t in cost.get_xticklabels() if t.get_text()]
    assert ticks and all(t.lstrip("-−").startswith("$") and t[-1] in "0kM" for t in ticks)


@pytest.mark.parametrize("problem", ["off the canvas", "overlapping"])
def test_the_check_catches_clipped_and_overlapping_text(problem):
    fig = Figure(figsize=(3, 2), layout="constrained")
    ax = fig.subplots()
    if problem == "off the canvas":
        ax.set_title("A title far too long to fit a figure three inches wide at all")
    else:
        ax.text(0.5, 0.5, "first label")
        ax.text(0.52, 0.5, "second label")
    found = present.text_problems(fig)
    assert found and all(("leaves the canvas" if problem == "off the canvas" else "overlaps")
                         in line for line in found)
