from pathlib import Path

import pytest

from inclusion_sim import load_scenario
from inclusion_sim.scenario import from_dict

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/model" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.model)


@pytest.fixture(scope="session")
def small():
    return load_scenario(SCENARIOS / "small_elementary.toml")


@pytest.fixture(scope="session")
def default_school():
    return load_scenario(SCENARIOS / "default_elementary.toml")


@pytest.fixture(scope="session")
def k8():
    return load_scenario(SCENARIOS / "k8_school.toml")


@pytest.fixture(scope="session")
def example_csv():
    return load_scenario(SCENARIOS / "example_300_csv.toml")


def ample_staff(minutes=3000, count=3):
    return [{"discipline": d, "count": count, "minutes_per_week": minutes}
            for d in ("speech", "ot", "pt", "counseling", "setss")]


@pytest.fixture
def one_class_per_grade():
    """A school where grouping by grade and by class coincide, with plenty of therapist time."""
    return from_dict({
        "scenario": {"name": "one class per grade", "seed": 3, "weeks": 12},
        "school": {"grades": ["K", 1, 2, 3], "classes_per_grade": 1, "class_size": 20,
                   "iep_prevalence": 0.3},
        "staff": ample_staff(),
    })
