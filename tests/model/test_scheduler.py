"""The scheduler respects the rules and reports what it cannot place."""

import numpy as np

from inclusion_sim import Params, SchoolModel
from inclusion_sim.delivery.policies import Policy, ServicePolicy, uniform
from inclusion_sim.delivery.scheduling import schedule_week
from inclusion_sim.scenario import from_dict
from inclusion_sim.school.world import CORE_SUBJECTS, RELEVANT_SUBJECTS


def subject(model, session, student):
    klass = model.school.students[student].class_id
    return model.school.timetable.subjects[klass][session.day][session.slot]


def test_rules_of_placement(default_school):
    policy = Policy("mix", {
        "speech": ServicePolicy("push_in", "collaborative"),
        "ot": ServicePolicy("pull_out", avoid_core=True),
        "pt": ServicePolicy("after_school"),
        "counseling": ServicePolicy("pull_out"),
        "setss": ServicePolicy("hybrid", "parallel"),
    })
    model = SchoolModel.from_scenario(default_school, policy=policy, seed=3, weeks=1)
    periods = model.school.timetable.periods
    mandates = {(s.id, m.service): m for s in model.school.students for m in s.mandates}
    for s in model.schedule.sessions:
        sizes = [mandates[(model.school.students[i].id, s.service)].max_group for i in s.students]
        assert len(s.students) <= min(sizes)
        if s.setting == "push_in":
            classes = {model.school.students[i].class_id for i in s.students}
            assert classes == {model.school.classes[s.class_index].id}
            assert subject(model, s, s.students[0]) in RELEVANT_SUBJECTS[s.service]
        elif s.setting == "pull_out":
            for i in s.students:
                assert subject(model, s, i) != "lunch_recess"
                if s.service == "ot":
                    assert subject(model, s, i) not in CORE_SUBJECTS
        else:
            assert s.slot >= periods
    assert {s.setting for s in model.schedule.sessions if s.service == "setss"} == \
        {"pull_out", "push_in"}


def test_no_therapist_time_is_reported_not_dropped():
    scenario = from_dict({"school": {"classes_per_grade": 1},
                          "staff": [{"discipline": "speech", "minutes_per_week": 60}]})
    model = SchoolModel.from_scenario(scenario, policy="pull_out", seed=1, weeks=1)
    reasons = {u.reason for u in model.schedule.unmet if u.service == "speech"}
    assert "no_therapist_time" in reasons
    assert {u.reason for u in model.schedule.unmet if u.service == "ot"} == {"no_therapist"}
    assert model.schedule.load[0].used <= 60
    mandated = model.weekly_mandate.sum()
    assert model.schedule.unmet_minutes() + model.weekly_scheduled.sum() == mandated


def test_push_in_needs_more_therapist_time_than_pull_out(default_school):
    """Push-in groups are per classroom, so they are smaller and more numerous (a real cost)."""
    rng = np.random.default_rng(0)
    model = SchoolModel.from_scenario(default_school, seed=1, weeks=1)
    school, params = model.school, Params()
    pull = schedule_week(school, uniform("p", "pull_out"), params, rng)
    push = schedule_week(school, uniform("q", "push_in"), params, np.random.default_rng(0))
    assert len(push.sessions) + len(push.unmet) > len(pull.sessions)
    assert sum(x.travel for x in push.load) > 0 == sum(x.travel for x in pull.load)


def test_avoid_core_leaves_minutes_unmet_when_specials_are_scarce():
    scenario = from_dict({"school": {"classes_per_grade": 2},
                          "staff": [{"discipline": d, "count": 2, "minutes_per_week": 3000}
                                    for d in ("speech", "ot", "pt", "counseling", "setss")],
                          "policy": {"preset": "pull_out", "avoid_core": True}})
    greedy = SchoolModel.from_scenario(scenario, seed=1, weeks=1, scheduling="greedy")
    assert any(u.reason == "no_non_core_lesson" for u in greedy.schedule.unmet)
    model = SchoolModel.from_scenario(scenario, seed=1, weeks=1)
    assert 0 < model.schedule.unmet_minutes() < greedy.schedule.unmet_minutes()
    free = SchoolModel.from_scenario(scenario.with_changes({"policy.avoid_core": False}), seed=1,
                                     weeks=1)
    assert free.schedule.unmet_minutes() < model.schedule.unmet_minutes()


def test_collaborative_charges_coplanning_once_per_pair(default_school):
    model = SchoolModel.from_scenario(default_school, policy="push_in_collaborative", seed=1, weeks=1)
    pairs = {(s.therapist, s.class_index) for s in model.schedule.sessions}
    assert pairs == model.schedule.coplanning_pairs
    total = sum(x.coplanning for x in model.schedule.load)
    assert total == len(pairs) * 30


def tiny_school(max_group):
    from inclusion_sim.school.world import (
        ClassRecord,
        Mandate,
        School,
        StudentRecord,
        TeacherRecord,
        TherapistRecord,
        Timetable,
    )

    subjects = [["ela", "math"]] + [["math", "math"]] * 4
    mandate = Mandate("speech", 1, 30, max_group)
    return School(
        "tiny", [ClassRecord("C1", 1, "T1")], [TeacherRecord("T1", "C1")],
        [TherapistRecord("SLP", "speech", 1000, (0,))],
        [StudentRecord("A", "C1", 1, (mandate,)), StudentRecord("B", "C1", 1, (mandate,))],
        Timetable(np.full((5, 2), 45), {"C1": subjects}))


def test_group_limit_is_named_when_it_is_the_cause():
    push = uniform("push", "push_in")
    limited = schedule_week(tiny_school(1), push, Params(), np.random.default_rng(0))
    assert len(limited.sessions) == 1
    assert [(u.student_id, u.reason) for u in limited.unmet] == [("B", "group_limit")]
    shared = schedule_week(tiny_school(2), push, Params(), np.random.default_rng(0))
    assert shared.unmet == [] and shared.sessions[0].students == (0, 1)
