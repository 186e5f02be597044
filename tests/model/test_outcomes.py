"""The outcomes that keep apart what a single number used to mix.

Generalization is carry-over ÷ mastery; teachers' strategy use is averaged only where practice is
possible; other (non-core) lessons missed are counted next to core ones; cost is also given per
delivered student-hour.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inclusion_sim import MECHANISMS, METRICS, SchoolModel, run
from inclusion_sim.delivery.policies import uniform
from inclusion_sim.model.outcomes import cost_per_hour, generalization, practice_cells
from inclusion_sim.school.world import (
    SERVICES,
    ClassRecord,
    Mandate,
    School,
    StudentRecord,
    TeacherRecord,
    TherapistRecord,
    Timetable,
)

SPEECH, PT = SERVICES.index("speech"), SERVICES.index("pt")


def make_school(subjects_by_class: dict[str, list[list[str]]],
                mandates: dict[str, tuple[Mandate, ...]],
                therapists: tuple[str, ...] = ("speech",), minutes: int = 2000) -> School:
    """A small school: students named by class (``"A1"`` is in class ``A``), one teacher each."""
    first = next(iter(subjects_by_class.values()))
    periods = len(first[0])
    classes = [ClassRecord(c, 1, f"T{c}") for c in subjects_by_class]
    teachers = [TeacherRecord(f"T{c}", c) for c in subjects_by_class]
    staff = [TherapistRecord(f"R{k}", d, minutes) for k, d in enumerate(therapists)]
    students = [StudentRecord(sid, sid[0], 1, mandates.get(sid, ()))
                for sid in sorted({*mandates, *(f"{c}{k}" for c in subjects_by_class
                                                for k in range(1, 7))})]
    return School("test school", classes, teachers, staff, students,
                  Timetable(np.full((5, periods), 45), dict(subjects_by_class)))


def speech(sessions=1, group=1):
    return Mandate("speech", sessions, 30, group)


# -- generalization ---------------------------------------------------------------------------
def test_generalization_is_carryover_over_mastery_per_need_cell(small):
    model = SchoolModel.from_scenario(small, policy="hybrid", seed=5, weeks=8)
    result = model.run()
    st = model.state
    cells = st.carryover[st.need] / st.mastery[st.need]
    assert ((cells >= 0) & (cells <= 1)).all()
    assert result.summary["iep_generalization"] == pytest.approx(cells.mean(), rel=1e-12)
    assert result.weekly["iep_generalization"].iloc[-1] == pytest.approx(cells.mean(), rel=1e-12)
    services = result.services
    np.testing.assert_allclose(services["generalization"],
                               services["carryover"] / services["mastery"], rtol=1e-12)
    assert services["generalization"].between(0, 1).all()
    # the weekly series stays a share throughout the year, not only at its end
    assert result.weekly["iep_generalization"].between(0, 1).all()


def test_generalization_separates_a_dose_loss_from_a_transfer_gain(small):
    """A less focused setting that transfers more: carry-over alone would hide both moves."""
    neutral = run(small, seed=2, policy="push_in", weeks=12,
                  mechanisms=set(MECHANISMS) - {"setting_efficacy"})
    setting = run(small, seed=2, policy="push_in", weeks=12,
                  parameters={"push_in_focus": 0.7, "push_in_generalization": 2.0})
    assert setting.summary["iep_mastery"] < neutral.summary["iep_mastery"]  # the dose loss
    assert setting.summary["iep_generalization"] > neutral.summary["iep_generalization"]


def test_generalization_of_cells_without_mastery_is_missing_not_zero():
    share = generalization(np.array([0.5, 0.0]), np.array([0.25, 0.0]))
    assert share[0] == 0.5 and np.isnan(share[1])


# -- teachers' strategy use ------------------------------------------------------------------
def test_practice_cells_need_a_student_and_a_relevant_lesson_the_teacher_teaches():
    week = [["ela", "math", "specials", "lunch_recess"]] * 5
    no_ela = [["math", "math", "specials", "lunch_recess"]] * 5
    school = make_school({"A": week, "B": no_ela}, {})
    needs = np.zeros((2, len(SERVICES)), bool)
    needs[:, SPEECH] = needs[:, PT] = True
    cells = practice_cells(school, needs)
    assert cells[0, SPEECH]  # a speech student and an ELA lesson taught by the homeroom teacher
    assert not cells[1, SPEECH]  # no lesson relevant to speech in class B's week
    assert not cells[:, PT].any()  # PT's lessons are specials and recess: the teacher is absent
    assert not practice_cells(school, np.zeros_like(needs)).any()  # no student, no cell


def test_strategy_use_leaves_out_cells_where_it_can_never_become_practice():
    """A class with speech and PT students: the old average dilutes the teacher's speech use.

    The teacher may learn PT strategies (from consultation), but PT's lessons are specials and
    recess, where the homeroom teacher is absent, so that use never reaches a student.
    """
    week = [["ela", "math", "specials", "lunch_recess"]] * 5
    mandates = {"A1": (speech(2),), "A2": (Mandate("pt", 1, 30, 1),)}
    school = make_school({"A": week}, mandates, therapists=("speech", "pt"))
    model = SchoolModel.from_scenario(None, school=school, policy="push_in_collaborative",
                                      seed=1, weeks=12)
    result = model.run()
    use = model.teacher_state.use
    assert model.class_needs[0, SPEECH] and model.class_needs[0, PT]
    assert model.practice_cells[0].tolist() == [s == "speech" for s in SERVICES]
    assert model.state.practice[:, PT].sum() == 0.0  # PT use never becomes practice
    assert model.state.practice[:, SPEECH].sum() > 0.0
    assert use[0, SPEECH] > 0.1 and use[0, PT] < use[0, SPEECH] / 2
    assert result.summary["teacher_strategy_use"] == pytest.approx(use[0, SPEECH])
    diluted = use[model.class_needs].mean()
    assert diluted == pytest.approx((use[0, SPEECH] + use[0, PT]) / 2)
    assert diluted < 0.75 * result.summary["teacher_strategy_use"]
    assert result.weekly["teacher_strategy_use"].iloc[-1] == pytest.approx(use[0, SPEECH])


def test_practice_cells_match_where_the_plan_gives_practice(default_school):
    """The cells are the plan's teacher-relevant lessons when every student is in class.

    After school nobody leaves a lesson, so every cell where some week's plan lets the teacher
    give practice is a practice cell, and no practice cell is missed by the plan.
    """
    model = SchoolModel.from_scenario(default_school, policy="after_school", seed=1, weeks=1)
    st = model.state
    from_plan = np.zeros_like(model.practice_cells)
    for plan in model.plans:
        np.logical_or.at(from_plan, st.class_index[model.iep], plan.iep_teacher_relevant)
    np.testing.assert_array_equal(from_plan, model.practice_cells)
    assert model.class_needs[:, PT].any() and not model.practice_cells[:, PT].any()


# -- other lessons missed --------------------------------------------------------------------
def test_no_other_lessons_missed_where_no_pull_out_falls_in_them():
    only_core = [["ela", "math", "writing"]] * 5
    school = make_school({"A": only_core}, {"A1": (speech(2),), "A2": (speech(1),)})
    pulled = run(None, school=school, policy="pull_out", seed=3, weeks=4)
    assert pulled.summary["iep_core_hours_missed"] > 0
    assert pulled.summary["iep_other_hours_missed"] == 0.0
    after = run(None, school=school, policy="after_school", seed=3, weeks=4)
    assert after.summary["iep_other_hours_missed"] == 0.0


def test_pull_out_in_specials_misses_other_lessons_by_the_session_and_the_walk():
    """Every session, walk included, is counted; a refused session leaves the student in class."""
    week = [["ela", "math", "specials"]] * 5
    school = make_school({"A": week}, {"A1": (speech(2),), "A2": (speech(1),)})
    weeks = 4
    policy = uniform("outside core", "pull_out", avoid_core=True)
    model = SchoolModel.from_scenario(None, school=school, policy=policy, seed=3, weeks=weeks,
                                      mechanisms=set(MECHANISMS) - {"resistance"})
    result = model.run()
    assert model.schedule.unmet == []
    walk = model.params.transition_minutes
    minutes = np.array([2, 1]) * weeks * min(45, 30 + 2 * walk)  # A1 twice a week, A2 once
    assert result.summary["iep_core_hours_missed"] == 0.0
    assert result.summary["iep_other_hours_missed"] == pytest.approx(minutes.mean() / 60)
    iep = result.students[result.students.has_iep]
    assert result.summary["iep_other_hours_missed"] == pytest.approx(
        iep.other_minutes_missed.mean() / 60)
    assert model.student_agents[0].other_minutes_missed == minutes[0]
    refusing = run(None, school=school, policy=policy, seed=3, weeks=weeks)
    assert 0 < refusing.summary["iep_other_hours_missed"] <= minutes.mean() / 60


# -- cost per delivered student-hour ---------------------------------------------------------
@pytest.mark.parametrize("policy", ["pull_out", "push_in_collaborative"])
def test_cost_per_delivered_hour_is_cost_over_delivered_student_hours(small, policy):
    result = run(small, seed=4, policy=policy, weeks=6)
    delivered_hours = result.services["delivered_minutes"].sum() / 60
    cost = result.summary["cost_usd"]
    teacher_hours = (result.summary["coordination_hours"]
                     - result.therapists["coplanning_minutes"].sum() / 60)
    assert cost == pytest.approx(result.therapists["cost_usd"].sum()
                                 + teacher_hours * small.params().teacher_cost)
    assert result.summary["cost_per_delivered_hour"] == pytest.approx(cost / delivered_hours,
                                                                      rel=1e-12)
    assert 0 < result.summary["cost_per_delivered_hour"] < cost


def test_group_sessions_deliver_one_hour_per_student():
    """A group of three for 30 minutes is 1.5 delivered student-hours at the price of 0.5."""
    school = make_school({"A": [["ela", "math", "specials"]] * 5},
                         {"A1": (speech(1, 3),), "A2": (speech(1, 3),), "A3": (speech(1, 3),)})
    result = run(None, school=school, policy="pull_out", seed=1, weeks=2,
                 mechanisms=set(MECHANISMS) - {"resistance"})
    assert result.services["delivered_minutes"].tolist() == [60.0, 60.0, 60.0]
    assert result.summary["therapist_direct_hours"] == pytest.approx(1.0)  # one group, 2 weeks
    assert result.summary["cost_per_delivered_hour"] == pytest.approx(
        result.summary["cost_usd"] / 3.0)


def test_cost_per_hour_without_delivery_is_missing():
    assert np.isnan(cost_per_hour(1000.0, 0.0))
    assert cost_per_hour(600.0, 600.0) == 60.0


# -- every outcome is reported -----------------------------------------------------------------
def test_every_metric_is_in_the_summary_and_the_weekly_series_keeps_its_units(small):
    result = run(small, seed=1, policy="hybrid", weeks=3)
    assert list(result.summary) == list(METRICS)
    for name in ("iep_generalization", "iep_other_hours_missed"):
        assert result.weekly[name].iloc[-1] == pytest.approx(result.summary[name])
    for metric in METRICS.values():
        assert metric.better in ("higher", "lower", "neither")
        assert metric.label and metric.unit and "_" not in metric.label
    assert isinstance(result.summary_frame(), pd.DataFrame)


def test_every_metric_is_described_in_the_model_description():
    odd = (Path(__file__).resolve().parents[2] / "docs" / "ODD.md").read_text()
    section = odd.split("### 7.11 Outcomes", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in METRICS if f"`{name}`" not in section]
    assert not missing, f"docs/ODD.md section 7.11 does not describe {missing}"


def _weakest_by_hand(students: pd.DataFrame) -> pd.Series:
    """The weakest quarter of each class's classmates without IEPs, from the students table."""
    peers = students[~students.has_iep]
    cut = peers.groupby("class_id")["baseline_sd"].transform(lambda b: b.quantile(0.25))
    return peers.baseline_sd <= cut


@pytest.mark.parametrize("policy", ["push_in_collaborative", "pull_out"])
def test_the_weakest_classmates_gain_more_by_exactly_the_weakness_weight(small, policy):
    """F4's "the weakest most": the weakest quarter's spill-over, against every classmate's.

    Without extra help for the weakest (``spillover_weakest_gain = 0``) the weakest quarter of a
    class gains what its classmates gain, so the two means agree; at the top of the range each
    of them gains ``1 + 2 x (SD below average)`` times as much, and nothing else moves.
    """
    flat, steep = (run(small, seed=2, policy=policy, weeks=6, scheduling="greedy",
                       parameters={"spillover_weakest_gain": g}) for g in (0.0, 2.0))
    weakest = _weakest_by_hand(flat.students)
    peers = flat.students[~flat.students.has_iep]
    assert 0.25 <= weakest.mean() <= 0.35  # a quarter of each class, rounded up
    assert flat.summary["peer_spillover_weakest_sd"] == pytest.approx(
        peers.spillover_sd[weakest].mean(), rel=1e-12)
    assert flat.summary["peer_spillover_weakest_sd"] > 0
    assert flat.summary["peer_spillover_weakest_sd"] == pytest.approx(
        flat.summary["peer_spillover_sd"], rel=0.03)
    weight = 1.0 + 2.0 * np.maximum(-peers.baseline_sd[weakest], 0.0)
    expected = (peers.spillover_sd[weakest] * weight).mean()
    assert steep.summary["peer_spillover_weakest_sd"] == pytest.approx(expected, rel=1e-9)
    assert steep.summary["peer_spillover_weakest_sd"] > 1.5 * steep.summary["peer_spillover_sd"]
    assert steep.summary["iep_carryover"] == flat.summary["iep_carryover"]
