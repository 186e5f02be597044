"""The minutes ledger and the one-place-at-a-time rules hold at every slot."""

import numpy as np
import pytest

from inclusion_sim import SchoolModel, run
from inclusion_sim.school.world import SERVICES


def check_slot(model):
    st = model.state
    eps = 1e-9
    used = st.delivered - st.made_up + st.wasted + st.absent + st.cancelled
    assert (used <= st.scheduled + eps).all(), "delivered + wasted + absent + cancelled > scheduled"
    assert (st.scheduled <= st.mandated + eps).all(), "scheduled > mandated"
    assert (st.delivered <= st.mandated + eps).all(), "delivered > mandated"
    lost = st.wasted + st.absent + st.cancelled
    assert (st.made_up <= lost + eps).all(), "more made up than lost"
    assert (st.delivered >= -eps).all() and (st.wasted >= -eps).all()
    assert (st.cancelled >= -eps).all() and (st.made_up >= -eps).all()
    assert ((st.mastery >= 0) & (st.mastery <= 1)).all()
    assert (st.carryover <= st.mastery + eps).all(), "carry-over above mastery"
    assert ((st.stigma >= 0) & (st.stigma <= 1)).all()


@pytest.mark.parametrize("disrupted", [False, True], ids=["steady", "disruptions"])
@pytest.mark.parametrize("policy", ["pull_out", "push_in", "push_in_collaborative", "hybrid",
                                    "after_school"])
def test_ledger_invariants_every_slot(small, policy, disrupted):
    model = SchoolModel.from_scenario(small, policy=policy, seed=5, weeks=3,
                                      disruptions=disrupted)
    while not model.finished:
        model.step()
        check_slot(model)
        if model.slot_in_week == 0:
            # the end of a week: every booked minute is accounted for, exactly
            st = model.state
            np.testing.assert_allclose(st.delivered - st.made_up + st.wasted + st.absent
                                       + st.cancelled, st.scheduled)
            np.testing.assert_allclose(st.scheduled, model.weekly_scheduled * model.week)
    assert (model.state.cancelled.sum() > 0) == disrupted


def test_partial_run_books_only_the_weeks_it_ran(small):
    full = run(small, seed=4, policy="pull_out", weeks=4)
    model = SchoolModel.from_scenario(small, policy="pull_out", seed=4, weeks=36)
    part = model.run(weeks=4)
    assert part.summary == full.summary and part.meta["weeks"] == 4


@pytest.mark.parametrize("policy", ["pull_out", "push_in_collaborative", "hybrid",
                                    "after_school"])
def test_nobody_in_two_places(small, policy):
    model = SchoolModel.from_scenario(small, policy=policy, seed=2, weeks=1)
    slots = {}
    for s in model.schedule.sessions:
        key = (s.day, s.slot)
        therapists, students = slots.setdefault(key, (set(), set()))
        assert s.therapist not in therapists, "therapist double-booked"
        therapists.add(s.therapist)
        for i in s.students:
            assert i not in students, "student in two sessions at once"
            students.add(i)
    for plan in model.plans:
        assert len(np.unique(plan.member)) == len(plan.member)
        # a pulled-out student gets none of the lesson they are out of when it is core
        if len(plan.out):
            assert (plan.instruction_minutes[plan.out] < plan.minutes).all()


def test_therapist_load_within_contract(default_school):
    for policy in ("pull_out", "push_in", "push_in_collaborative", "hybrid"):
        model = SchoolModel.from_scenario(default_school, policy=policy, seed=1, weeks=1)
        for load, therapist in zip(model.schedule.load, model.school.therapists, strict=True):
            assert load.used <= therapist.minutes_per_week
        for s in model.schedule.sessions:
            assert s.day in model.school.therapists[s.therapist].days_on_site


def test_scheduled_plus_unmet_equals_mandated(default_school):
    for policy in ("pull_out", "push_in", "push_in_collaborative", "hybrid", "after_school"):
        model = SchoolModel.from_scenario(default_school, policy=policy, seed=1, weeks=1)
        scheduled = model.schedule.scheduled_minutes(model.state.n)
        unmet = np.zeros_like(scheduled)
        index = {s.id: i for i, s in enumerate(model.school.students)}
        for u in model.schedule.unmet:
            unmet[index[u.student_id], SERVICES.index(u.service)] += u.minutes
        np.testing.assert_allclose(scheduled + unmet, model.weekly_mandate)


def test_absent_students_miss_their_lessons_not_for_therapy(small):
    """An absent day's lessons are their own ledger line; its sessions cost no lesson time."""
    from inclusion_sim.school.world import CORE_SUBJECTS

    model = SchoolModel.from_scenario(small, policy="pull_out", seed=5, weeks=2,
                                      scheduling="greedy", disruptions=True)
    st, iep = model.state, model.iep
    in_session_absent = 0
    while not model.finished:
        plan = model.plans[model.slot_in_week]
        before = (st.core_missed.copy(), st.other_missed.copy(), st.absent_core.copy(),
                  st.absent_other.copy(), st.academic_growth.copy())
        model.step()
        check_slot(model)
        if not plan.in_school:
            continue
        out = model.student_out[plan.day]
        absent, present = iep[out], iep[~out]
        core = np.isin(plan.subject[st.class_index], list(CORE_SUBJECTS))
        # absent: the whole lesson, on the right line, and nothing missed for therapy
        np.testing.assert_allclose((st.absent_core - before[2])[absent],
                                   plan.minutes * core[absent])
        np.testing.assert_allclose((st.absent_other - before[3])[absent],
                                   plan.minutes * ~core[absent])
        np.testing.assert_array_equal(st.core_missed[absent], before[0][absent])
        np.testing.assert_array_equal(st.other_missed[absent], before[1][absent])
        # no growth from a lesson they were not in (the week's catch-up comes after its
        # last slot)
        if model.slot_in_week != 0:
            np.testing.assert_array_equal(st.academic_growth[absent], before[4][absent])
            assert (st.academic_growth[present] > before[4][present]).any() or not core.any()
        in_session_absent += int(np.isin(plan.member, absent).sum())
        # present students lose no lesson to absence
        np.testing.assert_array_equal(st.absent_core[present], before[2][present])
        np.testing.assert_array_equal(st.absent_other[present], before[3][present])
    assert in_session_absent > 0, "no session fell on an absent day: the test would be vacuous"
    result = model.run()
    hours = (st.absent_core + st.absent_other)[iep].sum() / len(iep) / 60
    assert result.year_summary["iep_hours_absent"] == pytest.approx(hours) and hours > 0
    # every lesson minute is missed at most once: for therapy, by absence, or not at all
    lesson_minutes = 2 * model.school.timetable.period_minutes.sum()
    assert ((st.core_missed + st.other_missed + st.absent_core + st.absent_other)
            <= lesson_minutes + 1e-9).all()
