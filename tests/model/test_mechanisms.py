"""Each mechanism moves things in the documented direction, by the documented amount."""

import numpy as np
import pytest

from inclusion_sim import MECHANISMS, Params, SchoolModel, run
from inclusion_sim.model.mechanisms import (
    instruction,
    peer_modeling,
    resistance,
    spillover,
    stigma,
    teacher_learning,
    therapy,
)

P = Params()


# -- resistance -------------------------------------------------------------------------------
def test_refusal_rate_matches_parameter_and_rises_with_stigma():
    rng = np.random.default_rng(0)
    n = 200_000
    setting = np.zeros(n, dtype=int)
    minutes = np.full(n, 30.0)
    fav = np.zeros(n, bool)
    low = resistance.attend(setting, minutes, rng.random(n), P)
    resistance.refuse(low, setting, minutes, np.zeros(n), fav, rng.random(n), P)
    assert low.refused.mean() == pytest.approx(P.pull_out_refusal_rate, abs=0.003)
    high = resistance.attend(setting, minutes, rng.random(n), P)
    resistance.refuse(high, setting, minutes, np.full(n, 0.5), fav, rng.random(n), P)
    expected = P.pull_out_refusal_rate * (1 + P.refusal_stigma_gain * 0.5)
    assert high.refused.mean() == pytest.approx(expected, abs=0.004)
    # a refused session loses refusal_wasted_fraction of its minutes
    assert np.allclose(high.wasted[high.refused], 30 * P.refusal_wasted_fraction)
    np.testing.assert_allclose(high.delivered + high.wasted + high.absent, minutes)


def test_attendance_alone_has_no_refusals_but_after_school_absences():
    rng = np.random.default_rng(1)
    n = 50_000
    out = resistance.attend(np.full(n, 2), np.full(n, 45.0), rng.random(n), P)
    assert not out.refused.any()
    assert (out.absent > 0).mean() == pytest.approx(1 - P.after_school_attendance, abs=0.01)


def test_switching_resistance_off_drops_only_the_refusal_row(small):
    on = SchoolModel.from_scenario(small, policy="pull_out", seed=2, weeks=2)
    off = SchoolModel.from_scenario(small, policy="pull_out", seed=2, weeks=2,
                                    mechanisms=set(MECHANISMS) - {"resistance"})
    assert [s.name for s in on.step_table["slot"]] == \
        [s.name for s in off.step_table["slot"]][:1] + ["refusal"] + \
        [s.name for s in off.step_table["slot"]][1:]
    on.run(), off.run()
    assert on.state.refusals.sum() > 0
    assert off.state.refusals.sum() == 0
    assert off.state.absent.sum() == on.state.absent.sum()


# -- therapy dose --------------------------------------------------------------------------------
def test_dose_diminishing_returns_and_carryover_bounded_by_mastery():
    m, c = np.array([0.2]), np.array([0.1])
    m1, c1 = therapy.dose(m, c, np.array([1.0]), 1.0, P)
    assert m1[0] - 0.2 == pytest.approx(0.8 * (1 - np.exp(-P.mastery_rate)))
    m2, _ = therapy.dose(np.array([0.8]), c, np.array([1.0]), 1.0, P)
    assert m2[0] - 0.8 < m1[0] - 0.2  # diminishing returns
    big_m, big_c = therapy.dose(m, c, np.array([1e4]), 2.0, P)
    assert big_c[0] <= big_m[0] + 1e-12


def test_f5_same_mastery_more_carryover_in_class():
    """Equal minutes: mastery within 10% between settings, carry-over clearly higher in class."""
    focus, gen = therapy.setting_factors(P, True)
    hours = np.full(36, 0.5)  # a year of one 30-minute session a week
    results = {}
    for code in (0, 1):
        m, c = np.array([0.2]), np.array([0.1])
        for h in hours:
            m, c = therapy.dose(m, c, np.array([h * focus[code]]), gen[code], P)
        results[code] = (m[0], c[0])
    (m_pull, c_pull), (m_push, c_push) = results[0], results[1]
    assert abs(m_push - m_pull) / m_pull < 0.10
    assert (c_push - 0.1) > 1.1 * (c_pull - 0.1)


# -- instruction -----------------------------------------------------------------------------------
def test_missed_core_minutes_join_backlog_and_slow_learning():
    backlog, core, other = np.zeros(3), np.zeros(3), np.zeros(3)
    instruction.add_missed(backlog, core, other, np.array([0, 2]), np.array([40.0, 45.0]),
                           np.array([True, False]))
    assert backlog.tolist() == [40.0, 0.0, 0.0] and other.tolist() == [0.0, 0.0, 45.0]
    half = np.array([60.0 * P.backlog_half_hours])
    mult = instruction.learning_multiplier(np.ones(1), np.ones(1), np.zeros(1), np.zeros(1),
                                           half, P)
    assert mult[0] == pytest.approx(0.5)
    instruction.catch_up(backlog, P)
    assert backlog[0] == pytest.approx(40 * (1 - P.backlog_catchup))


def test_missed_core_minutes_by_setting(small):
    """Pull-out misses the session and the walk; push-in misses (1 - lesson share) of it.

    Which lessons are missed (core or not) is the scheduler's choice: the optimizer puts pulled-out
    sessions outside core lessons where it can. So the size check is on all lesson time missed.
    """
    pull = run(small, seed=3, policy="pull_out", weeks=6)
    push = run(small, seed=3, policy="push_in", weeks=6)

    def lesson_minutes(result):
        iep = result.students[result.students.has_iep]
        return (iep.core_minutes_missed + iep.other_minutes_missed).sum()

    assert lesson_minutes(pull) > 2 * lesson_minutes(push) > 0
    assert push.summary["iep_core_hours_missed"] > 0
    whole = run(small, seed=3, policy="push_in", weeks=6, parameters={"push_in_lesson_share": 1.0})
    assert whole.summary["iep_core_hours_missed"] == 0.0
    model = SchoolModel.from_scenario(small, policy="hybrid", seed=3, weeks=1)
    params = small.params()
    t, share = params.transition_minutes, params.push_in_lesson_share
    for plan in model.plans:
        n_out = len(plan.out)
        expected_out = np.minimum(plan.minutes,
                                  plan.member_minutes[plan.member_setting == 0] + 2 * t)
        np.testing.assert_allclose(plan.missed_minutes[:n_out], expected_out)
        np.testing.assert_allclose(plan.missed_minutes[n_out:],
                                   (1 - share) * plan.member_minutes[plan.member_setting == 1])


# -- teacher learning (F2) -----------------------------------------------------------------------
def test_f2_watching_is_not_adopting():
    knowledge = np.ones((1, 2))
    use = np.zeros((1, 2))
    reinforced = np.ones((1, 2), bool)
    collaborative = np.array([[False, True]])
    for _ in range(36):
        teacher_learning.adopt_and_fade(knowledge, use, reinforced, collaborative, P)
    assert use[0, 0] == pytest.approx(P.adoption_parallel, rel=0.05)
    assert use[0, 1] == pytest.approx(P.adoption_collaborative, rel=0.05)
    teacher_learning.adopt_and_fade(knowledge, use, np.zeros((1, 2), bool), collaborative, P)
    assert use[0, 1] == pytest.approx(P.adoption_collaborative * (1 - P.strategy_fade), rel=0.05)


def test_only_push_in_teaches_teachers(small):
    use = {p: run(small, seed=4, policy=p, weeks=20).summary["teacher_strategy_use"]
           for p in ("pull_out", "push_in", "push_in_collaborative")}
    assert use["pull_out"] == 0.0
    assert 0 < use["push_in"] < 0.1
    assert use["push_in_collaborative"] > 5 * use["push_in"]


# -- peer modeling --------------------------------------------------------------------------------
def test_peer_modeling_grows_with_belonging_and_needs_presence():
    rel = np.array([[True], [True], [False]])
    share = np.full((3, 1), 0.9)
    exposure = peer_modeling.modeling_hours(rel, share, np.array([1.0, 0.5, 1.0]), 60.0, P)
    assert exposure[0, 0] == pytest.approx(P.peer_modeling_rate * 0.9)
    assert exposure[1, 0] == pytest.approx(exposure[0, 0] / 2)
    assert exposure[2, 0] == 0.0
    c = peer_modeling.apply(np.full((3, 1), 0.6), np.full((3, 1), 0.2), exposure)
    assert c[0, 0] > c[1, 0] > c[2, 0] == 0.2


# -- spill-over (F3, F4) -------------------------------------------------------------------------
def test_spillover_favours_the_weakest_and_stays_within_f3(default_school):
    w = spillover.weakness_weight(np.array([1.0, 0.0, -1.0]), P)
    assert w.tolist() == [1.0, 1.0, 1.0 + P.spillover_weakest_gain]
    assert spillover.gain(np.array([60.0]), np.array([1.0]), P)[0] == P.spillover_sd_per_hour
    result = run(default_school, seed=1, policy="push_in_collaborative")
    assert 0.0 < result.summary["peer_spillover_sd"] <= 0.15
    weak = result.students[~result.students.has_iep & (result.students.baseline_sd < -1)]
    strong = result.students[~result.students.has_iep & (result.students.baseline_sd > 0)]
    pushed = result.students[result.students.spillover_sd > 0]
    assert len(pushed) > 0
    assert weak.spillover_sd.mean() > strong.spillover_sd.mean()


# -- stigma ---------------------------------------------------------------------------------------
def test_removal_stigmatises_more_than_push_in_and_more_when_older():
    s = np.zeros(4)
    grade = np.array([0, 0, 5, 5])
    stigma.raise_stigma(s, grade, np.array([0, 2]), P.stigma_per_removal, P)
    stigma.raise_stigma(s, grade, np.array([1, 3]), P.stigma_per_push_in, P)
    assert s[0] > s[1] > 0 and s[2] > s[0] and s[2] > s[3]
    assert s[0] == pytest.approx(P.stigma_per_removal)
    before = s.copy()
    stigma.fade(s, P)
    np.testing.assert_allclose(s, before * (1 - P.stigma_fade))
    belonging, engagement = stigma.belonging_and_engagement(np.array([0.0, 0.5]),
                                                            np.array([0.9, 0.9]), P)
    assert belonging[1] < belonging[0] and engagement[1] < engagement[0]
