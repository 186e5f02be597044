"""The generated master schedule: weekly diet, staggering, the old layout, scenario levers."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion_sim.base.errors import InputError
from inclusion_sim.scenario import from_dict, load_scenario
from inclusion_sim.school.csv_loader import load_school_folder
from inclusion_sim.school.generate import SchoolSettings, generate_school
from inclusion_sim.school.master_schedule import (
    MasterScheduleSettings,
    build_subjects,
    long_slots,
    lunch_window,
    relevant_overlap,
)
from inclusion_sim.school.world import CORE_SUBJECTS, SUBJECTS, ClassRecord

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BELL = (60, 60, 45, 45, 45, 45, 45)
K5 = (0, 1, 2, 3, 4, 5)
K8 = (0, 1, 2, 3, 4, 5, 6, 7, 8)
SHORT = ("writing", "science", "social_studies", "specials")


# -- the generator before the master schedule, frozen here as the reference ------------------
def old_class_day(rng: np.random.Generator, period_minutes: tuple[int, ...]) -> list[str]:
    n = len(period_minutes)
    order = np.argsort(-np.asarray(period_minutes), kind="stable")
    long_ = sorted(order[:2].tolist())
    short = [i for i in range(n) if i not in long_]
    middle = short[len(short) // 2 - 1: len(short) // 2 + 1] or short
    lunch = int(rng.choice(middle))
    day = [""] * n
    for slot, subject in zip(long_, rng.permutation(("ela", "math")), strict=True):
        day[slot] = str(subject)
    day[lunch] = "lunch_recess"
    rest = [i for i in short if i != lunch]
    subjects = list(rng.permutation(SHORT))
    for k, slot in enumerate(rest):
        day[slot] = str(subjects[k % len(subjects)])
    return day


def classes_of(grades: tuple[int, ...], per_grade: int) -> list[ClassRecord]:
    return [ClassRecord(f"G{g}-{k}", g, f"T{g}-{k}") for g in grades for k in range(per_grade)]


def bell(minutes: tuple[int, ...], days: int = 5) -> np.ndarray:
    return np.tile(np.asarray(minutes, dtype=np.int64), (days, 1))


def check_diet(subjects: dict[str, list[list[str]]], minutes: np.ndarray,
               ms: MasterScheduleSettings) -> None:
    """The invariants every class's week keeps under every setting."""
    days, n = minutes.shape
    for class_id, week in subjects.items():
        assert len(week) == days, class_id
        weekly: Counter[str] = Counter()
        for d, day in enumerate(week):
            row = minutes[d].tolist()
            longs = long_slots(row)
            assert len(day) == n and set(day) <= set(SUBJECTS), (class_id, day)
            counts = Counter(day)
            weekly.update(counts)
            assert counts["ela"] == 1 and counts["math"] == 1, (class_id, day)
            assert counts["lunch_recess"] == 1, (class_id, day)
            lunch = day.index("lunch_recess")
            assert lunch in lunch_window(row, max(2, ms.lunch_waves)), (class_id, day)
            assert lunch not in longs
            for p in longs:
                assert day[p] in CORE_SUBJECTS, (class_id, day)
            if ms.core_blocks == "aligned":
                assert {day[p] for p in longs} == {"ela", "math"}, (class_id, day)
            if n >= 7:
                assert all(counts[s] >= 1 for s in SHORT), (class_id, day)
                assert max(counts[s] for s in SHORT) <= -(-(n - 3) // 4), (class_id, day)
            else:
                assert max(counts[s] for s in SHORT) == 1, (class_id, day)
        if ms.days == "varied" and not ms.is_legacy and days == 5:
            assert all(weekly[s] >= 1 for s in SHORT), (class_id, weekly)


# -- the weekly diet ----------------------------------------------------------------------
@pytest.mark.parametrize("grades", [K5, K8])
@pytest.mark.parametrize("ms", [MasterScheduleSettings(), MasterScheduleSettings.legacy(),
                                MasterScheduleSettings(core_blocks="aligned"),
                                MasterScheduleSettings(lunch="single", days="same"),
                                MasterScheduleSettings(specials="fixed", lunch_waves=2)])
def test_every_class_gets_its_weekly_diet(grades: tuple[int, ...],
                                          ms: MasterScheduleSettings) -> None:
    minutes = bell(DEFAULT_BELL)
    subjects = build_subjects(classes_of(grades, 4), minutes, ms, np.random.default_rng(3))
    check_diet(subjects, minutes, ms)
    for week in subjects.values():
        weekly = Counter(s for day in week for s in day)
        # Seven periods: every subject exactly once a day, five times a week.
        assert weekly == dict.fromkeys(SUBJECTS, 5)
        core = sum(m for day, row in zip(week, minutes, strict=True)
                   for s, m in zip(day, row, strict=True) if s in CORE_SUBJECTS)
        assert core == 5 * (60 + 60 + 45 * 3)  # weekly core minutes as before


def test_default_lunch_waves_follow_grade_bands() -> None:
    subjects = build_subjects(classes_of(K5, 4), bell(DEFAULT_BELL), MasterScheduleSettings(),
                              np.random.default_rng(0))
    lunch = {g: {subjects[f"G{g}-{k}"][d].index("lunch_recess") for k in range(4)
                 for d in range(5)} for g in K5}
    assert lunch == {0: {3}, 1: {3}, 2: {4}, 3: {4}, 4: {5}, 5: {5}}


def test_rotating_specials_move_through_the_week() -> None:
    subjects = build_subjects(classes_of(K5, 4), bell(DEFAULT_BELL), MasterScheduleSettings(),
                              np.random.default_rng(0))
    for class_id, week in subjects.items():
        assert len({day.index("specials") for day in week}) >= 2, class_id
    for g in K5:  # the classes of a grade are in specials at different periods
        monday = [subjects[f"G{g}-{k}"][0].index("specials") for k in range(4)]
        assert len(set(monday)) >= 2, (g, monday)
    fixed = build_subjects(classes_of(K5, 4), bell(DEFAULT_BELL),
                           MasterScheduleSettings(specials="fixed", days="same"),
                           np.random.default_rng(0))
    for week in fixed.values():
        assert all(day == week[0] for day in week)


def test_departmentalized_grades_rotate_sections_through_subjects() -> None:
    subjects = build_subjects(classes_of(K8, 4), bell(DEFAULT_BELL), MasterScheduleSettings(),
                              np.random.default_rng(0))
    for g in (6, 7, 8):
        for d in range(5):
            sections = [subjects[f"G{g}-{k}"][d] for k in range(4)]
            for p in range(7):
                taught = [s[p] for s in sections if s[p] not in ("specials", "lunch_recess")]
                # One subject teacher per subject: no two sections have it at once.
                assert len(taught) == len(set(taught)), (g, d, p, taught)
    # Grades 6-8 follow a different pattern from K-5: ELA is not tied to one block time.
    ela = {subjects[f"G6-{k}"][0].index("ela") for k in range(4)}
    assert len(ela) == 4


# -- staggering spreads relevant lessons ------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_staggered_core_blocks_cut_peak_concurrency(seed: int) -> None:
    base = SchoolSettings(grades=K5, classes_per_grade=4)
    aligned = generate_school(dataclasses.replace(
        base, master_schedule=MasterScheduleSettings.legacy()), np.random.default_rng(seed))
    staggered = generate_school(base, np.random.default_rng(seed))
    a, s = relevant_overlap(aligned), relevant_overlap(staggered)
    # SETSS (ELA, math, writing): all 24 classes share the two long periods when aligned.
    assert a["setss"].peak == 24
    assert s["setss"].peak <= 15  # at least 9 classes (over a third) fewer
    # Speech (ELA, social studies): ELA in one of two periods for every class when aligned.
    assert a["speech"].peak - s["speech"].peak >= 3
    assert s["speech"].peak <= 10
    # Specials and lunch (PT) are spread too.
    assert s["pt"].peak < a["pt"].peak
    # The mean number of classes per slot does not change: only the spread does.
    for service in a:
        assert a[service].mean == pytest.approx(s[service].mean)


# -- the old layout, bit for bit ----------------------------------------------------------------
@pytest.mark.parametrize("minutes", [DEFAULT_BELL, (45, 45, 45, 45), (50, 60, 45, 60, 40),
                                     (45,) * 12, (30, 90, 45, 45, 45, 45, 60, 45, 45)])
def test_legacy_settings_reproduce_the_old_timetable(minutes: tuple[int, ...]) -> None:
    classes = classes_of(K8, 3)
    rng_old, rng_new = np.random.default_rng(11), np.random.default_rng(11)
    old = {c.id: [list(day) for _ in range(5)]
           for c in classes for day in [old_class_day(rng_old, minutes)]}
    new = build_subjects(classes, bell(minutes), MasterScheduleSettings.legacy(), rng_new)
    assert new == old
    assert rng_new.random() == rng_old.random()  # the stream is left where the old one was


def test_legacy_settings_reproduce_the_old_school() -> None:
    """The whole school, students and mandates included, as the old generator drew it."""
    from inclusion_sim.school.generate import _mandates
    from inclusion_sim.school.world import StudentRecord

    settings = SchoolSettings(grades=K5, classes_per_grade=3,
                              master_schedule=MasterScheduleSettings.legacy())
    rng = np.random.default_rng(7)
    subjects, students = {}, []
    for grade in settings.grades:
        for k in range(settings.classes_per_grade):
            class_id = f"G{'K' if grade == 0 else grade}-{chr(ord('A') + k)}"
            day = old_class_day(rng, settings.period_minutes)
            subjects[class_id] = [list(day) for _ in range(5)]
            for _ in range(settings.class_size):
                mandates = (_mandates(rng, settings.service_mix)
                            if rng.random() < settings.iep_prevalence else ())
                students.append(StudentRecord(f"S{len(students) + 1:05d}", class_id, grade,
                                              mandates))
    school = generate_school(settings, np.random.default_rng(7))
    assert school.timetable.subjects == subjects
    assert school.students == students


# -- determinism ---------------------------------------------------------------------------------
@pytest.mark.parametrize("ms", [MasterScheduleSettings(), MasterScheduleSettings.legacy(),
                                MasterScheduleSettings(core_blocks="aligned", lunch="single")])
def test_same_seed_same_timetable(ms: MasterScheduleSettings) -> None:
    classes = classes_of(K8, 4)
    first = build_subjects(classes, bell(DEFAULT_BELL), ms, np.random.default_rng(5))
    second = build_subjects(classes, bell(DEFAULT_BELL), ms, np.random.default_rng(5))
    assert first == second
    school_a = generate_school(SchoolSettings(grades=K8, master_schedule=ms),
                               np.random.default_rng(9))
    school_b = generate_school(SchoolSettings(grades=K8, master_schedule=ms),
                               np.random.default_rng(9))
    assert school_a.timetable.subjects == school_b.timetable.subjects
    assert school_a.students == school_b.students


# -- property: the diet holds for any grades, sizes and bells ----------------------------------
@settings(max_examples=60, deadline=None)
@given(
    grades=st.lists(st.integers(0, 12), min_size=1, max_size=13, unique=True).map(sorted),
    per_grade=st.integers(1, 6),
    minutes=st.lists(st.integers(15, 120), min_size=4, max_size=12),
    core=st.sampled_from(["staggered", "aligned"]),
    specials=st.sampled_from(["rotating", "fixed"]),
    lunch=st.sampled_from(["waves", "single"]),
    waves=st.integers(2, 4),
    days=st.sampled_from(["varied", "same"]),
    dept=st.lists(st.integers(1, 12), max_size=4, unique=True),
    seed=st.integers(0, 2**32 - 1),
)
def test_diet_invariants_hold_for_any_school(grades, per_grade, minutes, core, specials, lunch,
                                             waves, days, dept, seed) -> None:
    ms = MasterScheduleSettings(core, specials, lunch, waves, days, tuple(dept))
    table = bell(tuple(minutes))
    subjects = build_subjects(classes_of(tuple(grades), per_grade), table, ms,
                              np.random.default_rng(seed))
    check_diet(subjects, table, ms)


# -- schools from CSV files keep their own timetable ---------------------------------------------
def test_csv_school_timetable_is_untouched() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "example_300_csv.toml")
    direct = load_school_folder(scenario.data_folder())
    for layout in ({"core_blocks": "aligned", "specials": "fixed", "lunch": "single",
                    "days": "same"}, {"core_blocks": "staggered"}):
        changed = scenario.with_changes({"school.master_schedule": layout})
        rng = np.random.default_rng(1)
        school = changed.build_school(rng)
        assert school.timetable.subjects == direct.timetable.subjects
        assert np.array_equal(school.timetable.period_minutes, direct.timetable.period_minutes)
        assert rng.random() == np.random.default_rng(1).random()  # no draws taken
    assert direct.timetable.subjects["KA"][0][0] == "ela"  # "Reading" on line 2 of the file


# -- scenario files --------------------------------------------------------------------------
def test_scenario_levers_reach_the_generator() -> None:
    scenario = from_dict({"school": {"master_schedule": {
        "core_blocks": "aligned", "specials": "fixed", "lunch": "single", "days": "same",
        "departmentalized_grades": [8, 7]}}})
    ms = scenario.school_settings().master_schedule
    assert ms.is_legacy and ms.departmentalized_grades == (7, 8)
    assert load_scenario(ROOT / "scenarios" / "default_elementary.toml").school_settings() \
        .master_schedule == MasterScheduleSettings()


@pytest.mark.parametrize(("table", "where", "expected", "hint"), [
    ({"lunch_wave": 3}, "[school.master_schedule] key 'lunch_wave'", "lunch_waves",
     "did you mean 'lunch_waves'"),
    ({"core_blocks": "staggerd"}, "[school.master_schedule] key 'core_blocks'",
     "'staggered' or 'aligned'", "did you mean 'staggered'"),
    ({"specials": "weekly"}, "[school.master_schedule] key 'specials'",
     "'rotating' or 'fixed'", ""),
    ({"lunch_waves": 7}, "[school.master_schedule] key 'lunch_waves'", "less than or equal to 4",
     ""),
    ({"days": 2}, "[school.master_schedule] key 'days'", "'varied' or 'same'", ""),
])
def test_bad_lever_is_located_and_clear(table: dict, where: str, expected: str,
                                        hint: str) -> None:
    with pytest.raises(InputError) as err:
        from_dict({"school": {"master_schedule": table}}, source="my.toml")
    text = str(err.value)
    assert "my.toml" in text and where in text and expected in text
    assert hint in text


def test_bad_lever_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[school]\ngrades = ["K", 1]\n[school.master_schedule]\nlunch = "wave"\n',
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    text = str(err.value)
    assert str(path) in text and "[school.master_schedule] key 'lunch'" in text
    assert "one of 'waves' or 'single'" in text and "did you mean 'waves'" in text


def test_settings_reject_unknown_values() -> None:
    with pytest.raises(ValueError, match="core_blocks"):
        MasterScheduleSettings(core_blocks="diagonal")
    with pytest.raises(ValueError, match="lunch_waves"):
        MasterScheduleSettings(lunch_waves=9)


# -- the middle-school bell --------------------------------------------------------------------
def test_middle_bell_lever_is_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "k8.toml"
    path.write_text('[school]\ngrades = ["K", 6, 7]\nclasses_per_grade = 1\n'
                    '[school.master_schedule]\nmiddle_bell = "shared"\n', encoding="utf-8")
    shared = load_scenario(path)
    assert shared.school_settings().master_schedule.middle_bell == "shared"
    assert shared.build_school(np.random.default_rng(0)).timetable.single_bell
    own = shared.with_changes({"school.master_schedule.middle_bell": "own"})
    school = own.build_school(np.random.default_rng(0))
    assert set(school.timetable.bell_of) == {"G6-A", "G7-A"}
    assert own.hash() != shared.hash()


def test_bad_middle_bell_is_located_and_clear(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[school]\ngrades = ["K", 6]\n[school.master_schedule]\n'
                    'middle_bell = "separate"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    text = str(err.value)
    assert str(path) in text and "[school.master_schedule] key 'middle_bell'" in text
    assert "'own' or 'shared'" in text and "separate" in text
    with pytest.raises(ValueError, match="middle_bell must be one of own, shared"):
        MasterScheduleSettings(middle_bell="separate")


def test_middle_bell_only_where_middle_grades_sit_beside_others() -> None:
    ms = MasterScheduleSettings()
    assert ms.middle_grades(K8) == {6, 7, 8}
    assert ms.middle_grades(K5) == set()  # no middle grades
    assert ms.middle_grades((6, 7, 8)) == set()  # a middle school alone rings one bell
    assert MasterScheduleSettings.legacy().middle_grades(K8) == set()
    assert dataclasses.replace(ms, middle_bell="shared").middle_grades(K8) == set()


def test_schools_without_middle_grades_keep_their_scenario_hash() -> None:
    """The new key changes no K-5 or CSV school, so their files keep the digest they had before
    it existed; the K-8 school's results moved, and so did its digest. (The digests were recorded
    when the optimizer's default budget was 5 units; a file that sets it keeps them.)"""
    before = {"default_elementary": "d31b962958eb8f91", "small_elementary": "a24f382cb5bac704",
              "example_300_csv": "68b9e855a39a99f7", "k8_school": "e4127cde65e08339"}
    for name, digest in before.items():
        scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
        then = scenario.with_changes({"scheduling.deterministic_time": 5.0})
        assert (then.hash() == digest) == (name != "k8_school"), name
        assert scenario.hash() != then.hash()
        assert scenario.school_for_seed(int(scenario.seed)).timetable.single_bell == \
            (name != "k8_school")
