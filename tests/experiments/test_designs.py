from __future__ import annotations

import numpy as np
from sweep_fakes import fake_spec

from inclusion_sim.experiments.designs import (
    count_points,
    design_matrix,
    iter_runs,
    replicate_seed,
)

SAMPLED = """
[sweep]
scenario = "unused.toml"
policies = ["pull_out", "push_in", "push_in_collaborative"]
replicates = 3
seed = 5

[design]
method = "{method}"
samples = 8

[parameters]
stigma_per_removal = {{ low = 0.0, high = 0.02 }}
transition_minutes = {{}}
"""


def test_common_random_numbers_replicate_k_has_one_seed_everywhere():
    runs = list(iter_runs(fake_spec()))
    seeds_by_replicate = {}
    for run in runs:
        seeds_by_replicate.setdefault(run.replicate, set()).add(run.seed)
    assert all(len(seeds) == 1 for seeds in seeds_by_replicate.values())
    distinct = {seeds.pop() for seeds in seeds_by_replicate.values()}
    assert len(distinct) == 4
    assert [replicate_seed(11, k) for k in range(4)] == [
        next(r.seed for r in runs if r.replicate == k) for k in range(4)]


def test_run_ids_are_deterministic_and_unique():
    first = [r.run_id for r in iter_runs(fake_spec())]
    assert first == [r.run_id for r in iter_runs(fake_spec())]
    assert len(set(first)) == len(first) == 2 * 3 * 2 * 4
    assert first[0] == "p000000-pull_out-r0000"


def test_grid_is_the_full_factorial_of_values_and_steps():
    matrix = design_matrix(fake_spec())
    assert matrix.shape == (6, 2)
    assert sorted(set(matrix[:, 1])) == [0.01, 0.03, 0.05]


def test_sampled_designs_have_salib_sizes_stay_in_bounds_and_round_integers():
    for method, size in (("lhs", 8), ("sobol", 8 * (2 + 2)), ("morris", 8 * (2 + 1))):
        spec = fake_spec(SAMPLED.format(method=method))
        matrix = design_matrix(spec)
        assert matrix.shape == (size, 2) == (count_points(spec), 2)
        assert (matrix[:, 0] >= 0).all() and (matrix[:, 0] <= 0.02).all()
        assert np.array_equal(matrix[:, 1], np.round(matrix[:, 1]))
        assert np.array_equal(matrix, design_matrix(spec)), "designs must be reproducible"


def test_a_latin_hypercube_keeps_a_range_with_steps_to_its_levels_in_equal_shares():
    """A costly parameter (staffing: one timetable per value) takes few values, equally often."""
    spec = fake_spec(SAMPLED.format(method="lhs").replace(
        "samples = 8", "samples = 9").replace(
        "stigma_per_removal = { low = 0.0, high = 0.02 }",
        "stigma_per_removal = { low = 0.0, high = 0.02, steps = 3 }"))
    matrix = design_matrix(spec)
    levels, counts = np.unique(matrix[:, 0], return_counts=True)
    np.testing.assert_allclose(levels, [0.0, 0.01, 0.02])
    assert counts.tolist() == [3, 3, 3]
    assert len(set(matrix[:, 1])) > 3  # the other parameter is still sampled over its range
    assert (design_matrix(spec) == matrix).all()


def test_steps_in_a_sobol_design_are_a_located_error():
    import pytest

    from inclusion_sim.base.errors import InputError

    text = SAMPLED.format(method="sobol").replace(
        "stigma_per_removal = { low = 0.0, high = 0.02 }",
        "stigma_per_removal = { low = 0.0, high = 0.02, steps = 3 }")
    with pytest.raises(InputError) as info:
        fake_spec(text)
    message = str(info.value)
    assert "[parameters] key 'stigma_per_removal.steps'" in message
    assert "steps are for grid and lhs designs" in message and "found 3" in message
