"""The School page's master-schedule choice rebuilds the school, never the students."""

import pickle
from pathlib import Path

from inclusion_sim.faces.dashboard import schools
from inclusion_sim.school.master_schedule import relevant_overlap

ROOT = Path(__file__).resolve().parents[2]


def _ready(stem: str) -> schools.SchoolChoice:
    key = next(k for k, (_, path) in schools.list_ready().items() if path.stem == stem)
    return schools.load_ready(key)


def test_a_generated_school_switches_layout_and_keeps_its_students():
    choice = _ready("small_elementary")
    assert schools.master_schedule_of(choice) == "realistic"
    old = schools.with_master_schedule(choice, "aligned")
    assert schools.master_schedule_of(old) == "aligned"
    # The same students with the same mandates, not only the same ids: a generated school
    # draws each class's week between its students, so regenerating it would change them.
    assert old.school.students == choice.school.students
    assert relevant_overlap(old.school)["setss"].peak > relevant_overlap(choice.school)["setss"].peak
    back = schools.with_master_schedule(old, "realistic")
    assert pickle.dumps(back.school) == pickle.dumps(choice.school)


def test_the_default_school_keeps_its_mandates_under_either_layout():
    choice = _ready("default_elementary")
    old = schools.with_master_schedule(choice, "aligned")
    assert old.school.timetable.subjects != choice.school.timetable.subjects
    assert old.school.students == choice.school.students
    assert old.school.mandated_minutes_by_service() == choice.school.mandated_minutes_by_service()


def test_a_csv_school_keeps_its_own_timetable_unless_asked_for_the_what_if():
    choice = _ready("example_300_csv")
    own = choice.school.timetable.subjects
    assert schools.master_schedule_of(choice) == "aligned"
    what_if = schools.with_master_schedule(choice, "realistic")
    assert schools.master_schedule_of(what_if) == "realistic"
    assert what_if.school.timetable.subjects != own
    assert what_if.school.students == choice.school.students
    assert schools.with_master_schedule(what_if, "aligned").school.timetable.subjects == own
    assert set(schools.master_schedule_labels(choice)) == {"aligned", "realistic"}


def test_the_middle_bell_choice_applies_to_a_k8_school_only():
    k8 = _ready("k8_school")
    assert schools.middle_bell_of(k8) == "own" and not k8.school.timetable.single_bell
    shared = schools.with_middle_bell(k8, "shared")
    assert schools.middle_bell_of(shared) == "shared" and shared.school.timetable.single_bell
    assert shared.school.timetable.subjects == k8.school.timetable.subjects
    assert [s.id for s in shared.school.students] == [s.id for s in k8.school.students]
    assert schools.middle_bell_of(_ready("small_elementary")) is None
    assert schools.middle_bell_of(_ready("example_300_csv")) is None
