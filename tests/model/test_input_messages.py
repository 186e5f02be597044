"""Messages for mistakes made through the Python API and in scenario files.

Each names where the mistake is in the caller's own words: the argument of a Python call (not
"command line"), the scenario key, and for a policy preset written where a delivery model is
expected, how to write it there. A scenario whose therapists cannot deliver some mandated
service validates with a warning instead of a bare OK.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_sim.analysis.compare import compare_policies
from inclusion_sim.base.errors import InputError
from inclusion_sim.faces.cli import main
from inclusion_sim.model.run import run
from inclusion_sim.scenario.files import load_scenario

SMALL = """
[scenario]
weeks = 1
[school]
grades = ["K", 1]
classes_per_grade = 1
class_size = 10
"""


def scenario_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    return path


def test_python_api_names_the_policy_argument(tmp_path: Path) -> None:
    scenario = load_scenario(scenario_file(tmp_path, SMALL))
    with pytest.raises(InputError) as caught:
        run(scenario, policy="pushin")
    message = str(caught.value)
    assert message.startswith("Python call: argument 'policy': expected one of pull_out, ")
    assert "hybrid_parallel" in message and "did you mean 'push_in'?" in message
    assert "command line" not in message
    with pytest.raises(InputError) as caught:
        compare_policies(scenario, ["pull_out", "hybrid-parallel"], replicates=2)
    assert str(caught.value).startswith("Python call: argument 'policies': ")
    assert "did you mean 'hybrid_parallel'?" in str(caught.value)


def test_command_line_names_its_option(tmp_path: Path, capsys) -> None:
    path = scenario_file(tmp_path, SMALL)
    assert main(["compare", str(path), "--policies", "pull_out", "pushin", "--out",
                 str(tmp_path / "out")]) == 2
    assert "error: command line: --policies: expected one of" in capsys.readouterr().err


@pytest.mark.parametrize(("written", "model", "collaboration"), [
    ("hybrid_parallel", "hybrid", "parallel"),
    ("push_in_collaborative", "push_in", "collaborative"),
])
def test_a_preset_written_as_a_services_model_says_how_to_write_it(
    tmp_path: Path, capsys, written: str, model: str, collaboration: str
) -> None:
    path = scenario_file(tmp_path, SMALL + f'[policy.services.speech]\nmodel = "{written}"\n')
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "[policy.services.speech] key 'model'" in err
    assert (f"'{written}' is a policy preset: for one service write model = '{model}' and "
            f"collaboration = '{collaboration}', or for every service [policy] preset = "
            f"'{written}'") in err


def test_a_scenario_without_therapists_validates_with_a_warning(tmp_path: Path,
                                                                capsys) -> None:
    assert main(["validate", str(scenario_file(tmp_path, SMALL))]) == 0
    out = " ".join(capsys.readouterr().out.split())  # wrapped to the terminal's width
    assert ": OK, with 1 warning — " in out and "0 therapists" in out
    assert "warning: no therapists: none of the" in out
    assert "mandated minutes a week can be delivered under any policy" in out


def test_a_mandated_service_without_its_therapist_is_named(tmp_path: Path, capsys) -> None:
    staffed = SMALL + "".join(f'[[staff]]\ndiscipline = "{d}"\n' for d in
                              ("speech", "ot", "pt", "counseling"))
    text = staffed + '[school.services.setss]\nshare_of_iep = 1.0\nsessions_per_week = 2\n' \
        'minutes_per_session = 30\n'
    assert main(["validate", str(scenario_file(tmp_path, text))]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "OK, with 1 warning" in out
    assert "warning: no SETSS therapist: the " in out and "go unmet under every policy" in out
    # Staffed for every service it mandates: a plain OK.
    full = text + '[[staff]]\ndiscipline = "setss"\n'
    assert main(["validate", str(scenario_file(tmp_path, full))]) == 0
    out = capsys.readouterr().out
    assert ": OK — " in out and "warning" not in out
