"""What a workshop participant types is read the forgiving way, or answered in plain words.

A participant types a student's id as the menu shows it ("S00169") or as they say it ("169",
"s169"); each must select that student and no other, and an id that matches nobody must give a
short message naming the students who exist, without a traceback. These run the helpers
directly (no notebook kernel), on the workshop's school.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")
IPython = pytest.importorskip("IPython")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))
wh = pytest.importorskip("workshop_helpers")

from inclusion_sim import SchoolModel, load_scenario  # noqa: E402


@pytest.fixture(scope="module")
def model():
    scenario = load_scenario(NOTEBOOKS.parent / "scenarios" / "small_elementary.toml")
    return SchoolModel.from_scenario(scenario, policy="pull_out", seed=1)


@pytest.mark.parametrize("typed", ["S00169", "s00169", "169", "s169", " S-169 ", 169, "00169"])
def test_an_id_typed_any_way_selects_that_student(model, typed):
    k = wh.student_index(model, typed)
    assert model.student_agents[k].record.id == "S00169"


def test_the_number_is_the_id_not_a_position(model):
    """Typing 169 once selected the 170th student (position 169): never again."""
    assert model.student_agents[169].record.id == "S00170"
    assert model.student_agents[wh.student_index(model, 169)].record.id == "S00169"


@pytest.mark.parametrize("typed", ["S00999", "0", "Sam", "", "S169x"])
def test_an_unknown_id_says_which_ids_exist(model, typed):
    with pytest.raises(wh.NotFound) as raised:
        wh.student_index(model, typed)
    message = str(raised.value)
    assert "no student" in message
    iep = [model.student_agents[k].record.id for k in wh.iep_students(model)]
    assert all(student_id in message for student_id in iep)
    assert raised.value._render_traceback_() == [message]


def test_jupyter_shows_the_message_without_a_traceback(model, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.user_ns.update(wh=wh, model=model)
    shell.run_cell("wh.student_index(model, 'S00999')")
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert "There is no student 'S00999'" in text
    assert "Traceback" not in text and "File " not in text


@pytest.mark.parametrize("typed", ["push_in_collaborative", "Push-in (co-taught)",
                                   "Push-in, co-taught", "push-in co-taught",
                                   "Co-taught push-in", "co-taught push in"])
def test_a_policy_typed_by_name_or_key(typed):
    assert wh.find_policy(typed) == "push_in_collaborative"


@pytest.mark.parametrize("typed", ["push_in", "Push-in (alongside the lesson)",
                                   "Push-in, alongside", "Push-in", "push in"])
def test_push_in_alongside_typed_by_name_key_or_former_short_name(typed):
    assert wh.find_policy(typed) == "push_in"


def test_an_unknown_policy_lists_the_policies():
    with pytest.raises(wh.NotFound, match="Pull-out"):
        wh.find_policy("inclusion")


def test_menus_show_words_and_give_keys(model):
    menu = wh.policy_menu(["pull_out", "push_in_collaborative"], "pull_out")
    assert [label for label, _ in menu.options] == ["Pull-out", "Push-in (co-taught)"]
    assert menu.value == "pull_out"
    students = wh.student_menu(model, "50")
    assert students.value == "S00050"
    assert all("grade 0" not in label for label, _ in students.options)
    assert any("kindergarten" in label for label, _ in students.options)
    for control in (menu, students, wh.slider("Walk to and from the therapy room (minutes)",
                                              5, 2, 10, 1)):
        assert control.style.description_width == "initial"  # the label is never cut
