from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sweep_fakes import FAKE_PARAMETERS, FAKE_POLICIES, GRID_SPEC, fake_spec

from inclusion_sim.base.errors import InputError
from inclusion_sim.experiments import load_spec, parse_spec


def problems(text: str) -> list:
    with pytest.raises(InputError) as info:
        fake_spec(text)
    return info.value.problems


def test_valid_spec_is_parsed_with_defaults_from_the_registry():
    spec = fake_spec(GRID_SPEC.replace("carryover_rate = { low = 0.01, high = 0.05, steps = 3 }",
                                       "carryover_rate = {}"))
    assert spec.policies == ("pull_out", "push_in")
    assert spec.replicates == 4 and spec.seed == 11
    carry = spec.parameters[1]
    assert (carry.low, carry.high) == (0.01, 0.06)
    assert spec.parameters[0].values == (0.01, 0.025)


def test_misspelt_parameter_names_the_key_and_the_nearest_name():
    (problem,) = problems(GRID_SPEC.replace("stigma_per_removal =", "stigma_per_remova ="))
    assert problem.where == "[parameters] key 'stigma_per_remova'"
    assert "did you mean 'stigma_per_removal'?" in problem.hint


def test_value_outside_the_plausible_range_is_located():
    (problem,) = problems(GRID_SPEC.replace("high = 0.05", "high = 0.5"))
    assert problem.where == "[parameters] key 'carryover_rate.high'"
    assert "0.01 to 0.06" in problem.expected and problem.found == "0.5"


def test_policy_typo_and_unknown_section_are_all_reported_at_once():
    text = GRID_SPEC.replace('"push_in"]', '"push_inn"]') + "\n[desing]\nmethod = 'grid'\n"
    found = {p.where: p for p in problems(text)}
    assert "did you mean 'push_in'?" in found["[sweep] key 'policies[1]'"].hint
    assert "did you mean 'design'?" in found["key 'desing'"].hint


def test_toml_syntax_error_gives_line_and_column():
    (problem,) = problems(GRID_SPEC.replace("replicates = 4", "replicates = = 4"))
    assert problem.where.startswith("line 6, column")


def test_sampled_design_rejects_value_lists_and_needs_samples():
    text = GRID_SPEC.replace('method = "grid"', 'method = "sobol"')
    found = {p.where for p in problems(text)}
    assert found == {"[design] key 'samples'", "[parameters] key 'stigma_per_removal.values'",
                     "[parameters] key 'carryover_rate.steps'"}  # a Sobol design has no steps


def test_wrong_types_are_named():
    text = GRID_SPEC.replace("replicates = 4", 'replicates = "four"')
    (problem,) = problems(text)
    assert problem.where == "[sweep] key 'replicates'" and "whole number" in problem.expected


def test_missing_scenario_file_is_reported(tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text(GRID_SPEC)
    with pytest.raises(InputError) as info:
        load_spec(path, parameters=FAKE_PARAMETERS, policies=FAKE_POLICIES)
    (problem,) = info.value.problems
    assert problem.where == "[sweep] key 'scenario'" and "no such file" in problem.found
    assert str(path) in str(info.value)


toml_fragments = st.sampled_from([
    "[sweep]", "[design]", "[parameters]", "[fixed]", "[sweep.x]", "scenario = 'a.toml'",
    "policies = ['pull_out', 'push_in']", "policies = []", "policies = 3", "replicates = 0",
    "replicates = 5", "seed = -1", "seed = 1e400", "method = 'sobol'", "method = 'morris'",
    "method = 'lhs'", "samples = 4", "samples = 0", "levels = 3", "second_order = true",
    "samples = 6", "samples = 1000", "samples = 1024",
    "stigma_per_removal = [0.01]", "stigma_per_removal = {low = 0.02, high = 0.01}",
    "carryover_rate = {}", "carryover_rate = 'x'", "transition_minutes = {steps = 0}",
    "weeks = 2", "chunk_size = 1", "outcomes = [1]", "nan_value = nan", "x = inf", "= =",
    "[[sweep]]", "a.b.c = 1", "stigma_per_removal = {values = [0.5]}",
    '"school.class_size" = [15, 99]', "staffing = {low = 0.1}", '"school.iep_prevalence" = {}',
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(toml_fragments, st.text(max_size=20)), max_size=14))
def test_fuzzed_specs_raise_nothing_but_input_error(lines):
    text = "\n".join(lines)
    try:
        parse_spec(text, parameters=FAKE_PARAMETERS, policies=FAKE_POLICIES,
                   check_scenario=False)
    except InputError as err:
        assert err.problems and str(err)
