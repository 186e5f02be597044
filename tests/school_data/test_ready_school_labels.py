"""The School page's menu of ready schools reads as the schools' names, not as file names."""

from __future__ import annotations

import shutil
from pathlib import Path

from inclusion_sim.faces.dashboard import schools


def test_ready_scenarios_are_labelled_with_their_schools_names() -> None:
    labels = {key: label for key, (label, _) in schools.list_ready().items()}
    assert labels["k8_school"] == "K-8 school (~790 students)"
    assert labels["example_300_csv"] == "Example school from CSV files (K-5, 300 students)"
    assert labels["small_elementary"] == "Small elementary school (K-5, ~250 students)"
    assert not [label for label in labels.values() if "_" in label]
    assert len(set(labels.values())) == len(labels)


def test_a_folder_or_an_unnamed_scenario_gets_a_readable_label(
    tmp_path: Path, tiny_school: Path, monkeypatch
) -> None:
    shutil.copytree(tiny_school, tmp_path / "schools" / "lincoln_elementary")
    (tmp_path / "no_name.toml").write_text('[scenario]\nseed = 1\n', encoding="utf-8")
    (tmp_path / "twin.toml").write_text(
        '[scenario]\nname = "K-8 school (~790 students)"\n', encoding="utf-8")
    monkeypatch.setenv(schools.SCENARIOS_ENV, str(tmp_path))
    ready = schools.list_ready()
    assert ready["schools/lincoln_elementary"][0] == "Lincoln elementary (school files)"
    assert ready["no_name"][0] == "No name"
    # two schools with one name are told apart, so the menu can pick either
    assert ready["k8_school"][0] == "K-8 school (~790 students) (k8_school)"
    choice = schools.load_ready("schools/lincoln_elementary")
    assert choice.label == "Lincoln elementary (school files)"
    assert choice.school.name == "Lincoln elementary"
