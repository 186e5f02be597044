"""Scenario files: every shipped scenario runs under every policy; mistakes give located errors."""

from pathlib import Path
from pathlib import Path as _Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_sim import POLICY_PRESETS, InputError, load_scenario, run
from inclusion_sim.scenario import from_dict

SCENARIOS = _Path(__file__).resolve().parents[2] / "scenarios"

SHIPPED = sorted(p for p in SCENARIOS.glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
@pytest.mark.parametrize("policy", list(POLICY_PRESETS))
def test_shipped_scenarios_run_under_every_policy(path, policy):
    result = run(load_scenario(path), seed=1, policy=policy, weeks=2)
    assert result.summary["mandate_compliance"] > 0


def error_of(tmp_path: Path, text: str) -> str:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message
    return message


def test_unknown_key_names_nearest(tmp_path):
    msg = error_of(tmp_path, "[school]\nclass_sise = 20\n")
    assert "[school] key 'class_sise'" in msg and "did you mean 'class_size'?" in msg


def test_wrong_type(tmp_path):
    msg = error_of(tmp_path, "[scenario]\nweeks = 'many'\n")
    assert "[scenario] key 'weeks'" in msg and "'many'" in msg


def test_out_of_range(tmp_path):
    msg = error_of(tmp_path, "[school]\niep_prevalence = 1.5\n")
    assert "iep_prevalence" in msg and "1.5" in msg and "less than or equal to 1" in msg


def test_parameter_typo_and_range(tmp_path):
    msg = error_of(tmp_path, "[parameters]\nstigma_per_remval = 0.01\ntransition_minutes = 50\n")
    assert "did you mean 'stigma_per_removal'?" in msg
    assert "transition_minutes" in msg and "[2, 10]" in msg and "50" in msg


def test_list_entry_location(tmp_path):
    msg = error_of(tmp_path, "[[staff]]\ndiscipline = 'speach'\n")
    assert "staff[1]" in msg and "did you mean 'speech'?" in msg


def test_bad_toml_and_missing_file(tmp_path):
    assert "valid TOML" in error_of(tmp_path, "[school\n")
    with pytest.raises(InputError, match="no such file"):
        load_scenario(tmp_path / "absent.toml")


def test_missing_data_folder(tmp_path):
    msg = error_of(tmp_path, "[school]\ndata = 'no_such_folder'\n")
    assert "[school] key 'data'" in msg and "no such folder" in msg


toml_scalars = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                         st.text(max_size=8), st.booleans())
keys = st.sampled_from(["scenario", "school", "staff", "policy", "parameters", "mechanisms",
                        "grades", "weeks", "seed", "class_size", "preset", "speech", "x"])
documents = st.recursive(toml_scalars, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)), max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, documents, max_size=5))
def test_fuzz_structures_only_raise_input_error(data):
    try:
        from_dict(data)
    except InputError as err:
        assert err.problems and all(p.source for p in err.problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_bytes_only_raise_input_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    path.write_bytes(blob)
    try:
        load_scenario(path)
    except InputError:
        pass


def test_generated_documents_are_up_to_date():
    """docs/parameters.md, docs/ODD.md's step table and the model docstring match the code."""
    from inclusion_sim.model.steps import generated_files

    stale = [str(path.name) for path, text in generated_files(SCENARIOS.parent).items()
             if path.read_text() != text]
    assert not stale, f"stale generated text in {stale}: run `make docs`"


def test_a_stale_generated_document_is_caught(tmp_path):
    from inclusion_sim.model.steps import generated_files, main

    root = SCENARIOS.parent
    for path in generated_files(root):
        target = tmp_path / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text().replace("teacher_adoption", "teacher_adopt"))
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0


def test_every_parameter_is_documented():
    from inclusion_sim import PARAMETERS

    for p in PARAMETERS.values():
        assert p.unit and p.source and p.doc and p.status in ("read", "secondary", "estimate")
        assert p.low <= p.default <= p.high, p.name


def test_every_parameter_has_a_plain_label():
    from inclusion_sim import PARAMETERS

    for p in PARAMETERS.values():
        assert p.label and "_" not in p.label, p.name
