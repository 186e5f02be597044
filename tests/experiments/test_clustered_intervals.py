"""Intervals that resample what is independent: replicates with all their points, or schools."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from inclusion_sim.analysis.compare import paired_differences as compare_differences
from inclusion_sim.analysis.sweeps import bootstrap_mean_ci, paired_differences


def plain_bootstrap(values, n_boot=2000, level=0.95, seed=0):
    """The ordinary bootstrap of the mean (resample observations), written out independently."""
    values = np.atleast_2d(values)
    rng = np.random.default_rng(seed)
    index = rng.integers(0, values.shape[1], size=(n_boot, values.shape[1]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(values[:, index], axis=2)
        return np.nanquantile(means, [(1 - level) / 2, (1 + level) / 2], axis=1).T


def test_without_clusters_the_bootstrap_is_the_ordinary_one_bit_for_bit():
    rng = np.random.default_rng(4)
    values = rng.normal(size=(7, 23))
    values[rng.random(values.shape) < 0.1] = np.nan  # failed runs
    values[3] = np.nan  # a point with no pair at all
    expected = plain_bootstrap(values, 500)
    assert np.array_equal(bootstrap_mean_ci(values, 500), expected, equal_nan=True)
    # One cluster per observation is the same thing.
    assert np.array_equal(bootstrap_mean_ci(values, 500, clusters=np.arange(23) * 3),
                          expected, equal_nan=True)


def test_whole_clusters_are_resampled():
    rng = np.random.default_rng(5)
    school_values = rng.normal(size=6)
    values = np.repeat(school_values, 4)  # six schools, four identical replicates each
    clusters = np.repeat(np.arange(6), 4)
    # Resampling six schools of four equal values is resampling the six school values.
    assert np.allclose(bootstrap_mean_ci(values, clusters=clusters), plain_bootstrap(school_values))
    # Treating the 24 as independent pretends to know the mean about twice as well.
    naive = bootstrap_mean_ci(values)[0]
    clustered = bootstrap_mean_ci(values, clusters=clusters)[0]
    assert (naive[1] - naive[0]) < 0.7 * (clustered[1] - clustered[0])


def outcomes_where_the_difference_depends_on_the_replicate(points=10, replicates=8):
    rng = np.random.default_rng(6)
    effect = rng.normal(0.3, 0.2, replicates)  # the school and year decide the difference
    rows = []
    for point in range(points):
        for replicate in range(replicates):
            base = rng.normal()
            rows += [{"point": point, "policy": "pull_out", "replicate": replicate,
                      "carryover": base},
                     {"point": point, "policy": "push_in", "replicate": replicate,
                      "carryover": base + effect[replicate]}]
    return pd.DataFrame(rows), effect


def test_the_overall_interval_is_not_narrowed_by_points_that_share_their_replicates():
    outcomes, effect = outcomes_where_the_difference_depends_on_the_replicate()
    table = paired_differences(outcomes, ["pull_out", "push_in"], ["carryover"])
    overall = table[table["scope"] == "overall"].iloc[0]
    point = table[table["scope"] == "point"].iloc[0]
    assert overall["n_pairs"] == 80 and point["n_pairs"] == 8
    assert overall["difference"] == pytest.approx(effect.mean())
    # Ten points repeat the same eight differences: no more is known than from one point.
    assert overall["ci_low"] == pytest.approx(point["ci_low"])
    assert overall["ci_high"] == pytest.approx(point["ci_high"])
    naive = bootstrap_mean_ci(np.tile(effect, 10))[0]
    assert naive[1] - naive[0] < 0.5 * (overall["ci_high"] - overall["ci_low"])


def test_with_schools_taken_in_turn_the_schools_are_resampled():
    outcomes, _ = outcomes_where_the_difference_depends_on_the_replicate(points=1, replicates=8)
    own = paired_differences(outcomes, ["pull_out", "push_in"], ["carryover"])
    turns = paired_differences(outcomes, ["pull_out", "push_in"], ["carryover"], schools=2)
    assert own["difference"].equals(turns["difference"])
    diff = (outcomes[outcomes.policy == "push_in"].set_index("replicate")["carryover"]
            - outcomes[outcomes.policy == "pull_out"].set_index("replicate")["carryover"])
    school = diff.index % 2
    expected = bootstrap_mean_ci(diff.to_numpy(), clusters=school)[0]
    for scope in ("point", "overall"):
        row = turns[turns["scope"] == scope].iloc[0]
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(expected))


def test_compare_with_schools_taken_in_turn_uses_a_t_interval_over_schools():
    rows = []
    for replicate, (base, other) in enumerate([(0, 1), (0, 3), (0, 2), (0, 5), (0, 4), (0, 3)]):
        rows += [{"policy": "pull_out", "replicate": replicate, "iep_carryover": base},
                 {"policy": "push_in", "replicate": replicate, "iep_carryover": other}]
    runs = pd.DataFrame(rows)
    own = compare_differences(runs, "pull_out").iloc[0]
    turns = compare_differences(runs, "pull_out", schools=2).iloc[0]
    # Schools 0 and 1 (replicates 0, 2, 4 and 1, 3, 5) have mean differences 7/3 and 11/3.
    assert turns["difference"] == pytest.approx(3.0) == own["difference"]
    half = 12.706204736174707 * np.std([7 / 3, 11 / 3], ddof=1) / np.sqrt(2)
    assert (turns["ci_low"], turns["ci_high"]) == pytest.approx((3.0 - half, 3.0 + half))
    assert own["ci_high"] - own["ci_low"] < turns["ci_high"] - turns["ci_low"]
    assert turns["replicates"] == 6
