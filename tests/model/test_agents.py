"""Agents are Mesa agents whose numbers are views onto the model's arrays."""

import numpy as np

from inclusion_sim import SchoolModel
from inclusion_sim.model.agents import Student, Teacher, Therapist


def test_agents_in_model_and_views_share_numbers(small):
    model = SchoolModel.from_scenario(small, policy="push_in_collaborative", seed=1, weeks=2)
    assert len(model.agents_by_type[Student]) == model.state.n
    assert len(model.agents_by_type[Teacher]) == len(model.school.classes)
    assert len(model.agents_by_type[Therapist]) == len(model.school.therapists)
    model.run()
    student = next(a for a in model.student_agents if a.has_iep)
    i = student.index
    assert student.stigma == model.state.stigma[i]
    assert np.shares_memory(student.mastery, model.state.mastery)
    student.stigma = 0.42
    assert model.state.stigma[i] == 0.42
    teacher = model.teacher_agents[0]
    assert np.shares_memory(teacher.strategy_use, model.teacher_state.use)
    therapist = model.therapist_agents[0]
    assert therapist.sessions and all(s.therapist == 0 for s in therapist.sessions)
    assert therapist.minutes["direct"] == 2 * model.schedule.load[0].direct
    assert all(f.record.class_id == student.record.class_id for f in student.friends)


def test_clock_helpers(small):
    model = SchoolModel.from_scenario(small, seed=1, weeks=2)
    model.run_day()
    assert model.day == 1 and model.slot == 0 and model.week == 0
    model.run_week()
    assert model.week == 1 and model.day == 0
    result = model.run()
    assert model.finished and result.meta["weeks"] == 2
    assert list(result.weekly["week"]) == [0, 1, 2]
    assert model.where(0, 0, 0) in ("class", "therapy_room")


def test_student_history_is_the_weekly_record(small):
    model = SchoolModel.from_scenario(small, policy="pull_out", seed=1, weeks=3)
    model.run()
    student = next(a for a in model.student_agents if a.has_iep)
    history = student.history()
    assert list(history.week) == [0, 1, 2, 3]
    assert history.core_hours_missed.iloc[-1] == model.state.core_missed[student.index] / 60
    assert history.stigma.iloc[-1] == student.stigma
    other = next(a for a in model.student_agents if not a.has_iep)
    assert other.history().empty


def test_with_staffing_scales_minutes(default_school):
    more = default_school.with_staffing(1.2)
    before = [s.minutes_per_week for s in default_school.spec.staff]
    after = [s.minutes_per_week for s in more.spec.staff]
    assert after == [min(3000, round(b * 1.2)) for b in before]
