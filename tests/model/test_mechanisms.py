"""Each mechanism moves things in the documented direction, by the documented amount."""

import numpy as np
import pytest

from inclusion_sim import MECHANISMS, PARAMETERS, Params, SchoolModel, run
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
    # a refused session is lost whole
    assert np.all(high.wasted[high.refused] == 30) and np.all(high.delivered[high.refused] == 0)
    np.testing.assert_allclose(high.delivered + high.wasted + high.absent, minutes)


def test_favourite_periods_raise_refusals_in_every_setting():
    """The multiplier follows the period missed, not the setting."""
    rng = np.random.default_rng(5)
    n = 200_000
    minutes = np.full(n, 30.0)
    for code, rate in ((0, P.pull_out_refusal_rate), (1, P.push_in_refusal_rate)):
        setting = np.full(n, code)
        out = resistance.attend(setting, minutes, rng.random(n), P)
        resistance.refuse(out, setting, minutes, np.zeros(n), np.ones(n, bool), rng.random(n), P)
        assert out.refused.mean() == pytest.approx(rate * (1 + P.refusal_favourite_gain),
                                                   abs=0.004)


def test_a_refused_pull_out_student_stays_in_class(small):
    """No missed lesson and no removal stigma for a refusal; the lesson's peers and teacher count."""
    params = {"pull_out_refusal_rate": 0.2, "refusal_stigma_gain": 4.0}
    model = SchoolModel.from_scenario(small, policy="pull_out", seed=2, weeks=1,
                                      parameters=params)
    seen = 0
    while not model.finished:
        plan = model.plans[model.slot_in_week]
        model.step()
        if model.session is None or not plan.in_school:
            continue
        pulled = plan.member_setting == 0
        refused_mask = model.session.refused & pulled
        refused, took = plan.member[refused_mask], plan.member[pulled & ~model.session.refused]
        presence = model.presence
        assert not np.isin(refused, presence.missed).any()
        assert not np.isin(refused, presence.removed_visibly).any()
        assert np.isin(took, presence.removed_visibly).all()
        pos = model.iep_position[refused]
        klass = model.state.class_index[refused]
        expected = plan.relevant[klass] & model.state.need[refused]
        np.testing.assert_array_equal(presence.iep_relevant[pos], expected)
        seen += len(refused)
    assert seen > 0


def test_attendance_alone_has_no_refusals_but_after_school_absences():
    rng = np.random.default_rng(1)
    n = 50_000
    out = resistance.attend(np.full(n, 2), np.full(n, 45.0), rng.random(n), P)
    assert not out.refused.any()
    assert (out.absent > 0).mean() == pytest.approx(1 - P.after_school_attendance, abs=0.01)


def test_switching_resistance_off_drops_only_the_refusal_rows(small):
    """Resistance owns two rows: refusing a session and refusing a make-up session."""
    on = SchoolModel.from_scenario(small, policy="pull_out", seed=2, weeks=2)
    off = SchoolModel.from_scenario(small, policy="pull_out", seed=2, weeks=2,
                                    mechanisms=set(MECHANISMS) - {"resistance"})
    on_rows = [s.name for s in on.step_table["slot"]]
    assert {"refusal", "makeup_refusal"} <= set(on_rows)
    assert [name for name in on_rows if name not in ("refusal", "makeup_refusal")] == \
        [s.name for s in off.step_table["slot"]]
    on.run(), off.run()
    assert on.state.refusals.sum() > 0
    assert off.state.refusals.sum() == 0
    assert off.state.absent.sum() == on.state.absent.sum()
    # refusals keep students in class: fewer lesson minutes missed with resistance on
    assert on.state.core_missed.sum() + on.state.other_missed.sum() < \
        off.state.core_missed.sum() + off.state.other_missed.sum()


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
def test_missed_core_minutes_join_backlog_and_catch_up_returns_them():
    backlog, core, other = np.zeros(3), np.zeros(3), np.zeros(3)
    instruction.add_missed(backlog, core, other, np.array([0, 2]), np.array([40.0, 45.0]),
                           np.array([True, False]))
    assert backlog.tolist() == [40.0, 0.0, 0.0] and other.tolist() == [0.0, 0.0, 45.0]
    recovered = instruction.catch_up(backlog, P)
    assert recovered[0] == pytest.approx(40 * P.backlog_catchup)
    assert backlog[0] == pytest.approx(40 * (1 - P.backlog_catchup))


def test_growth_follows_grade_benchmarks():
    grades = np.array([1, 3, 5, 7])
    growth = instruction.annual_growth(grades, P)
    assert growth.tolist() == [1.33, 0.75, 0.48, 0.27]
    assert (np.diff(growth[:3]) < 0).all()  # younger students grow faster in SD units


@pytest.mark.parametrize("catchup", [0.0, 0.1])
def test_a_missed_core_minute_is_counted_once(small, catchup):
    """The growth a student loses is exactly the growth of the minutes still in the backlog.

    With engagement fixed (stigma off), a run with missed lessons differs from the same run
    without them only by growth rate x (missed core minutes - minutes caught up).
    """
    mechanisms = set(MECHANISMS) - {"stigma"}
    params = {"backlog_catchup": catchup}
    on = SchoolModel.from_scenario(small, policy="pull_out", seed=5, weeks=8,
                                   mechanisms=mechanisms, parameters=params)
    off = SchoolModel.from_scenario(small, policy="pull_out", seed=5, weeks=8, parameters=params,
                                    mechanisms=mechanisms - {"missed_instruction"})
    on.run(), off.run()
    lost = off.state.academic_growth - on.state.academic_growth
    np.testing.assert_allclose(lost, on.growth_rate * on.state.backlog, rtol=1e-9, atol=1e-12)
    assert on.state.backlog.sum() > 0
    if catchup == 0.0:
        np.testing.assert_allclose(on.state.backlog, on.state.core_missed)


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
    whole = run(small, seed=3, policy="push_in", weeks=6,
                parameters={"parallel_lesson_share": 1.0})
    assert whole.summary["iep_core_hours_missed"] == 0.0
    for policy in ("hybrid", "hybrid_parallel"):
        model = SchoolModel.from_scenario(small, policy=policy, seed=3, weeks=1)
        params = small.params()
        t = params.transition_minutes
        for plan in model.plans:
            if not plan.in_school:
                assert (plan.member_missed_minutes == 0).all()
                continue
            pulled, pushed = plan.member_setting == 0, plan.member_setting == 1
            share = np.where(plan.member_collaborative, params.cotaught_lesson_share,
                             params.parallel_lesson_share)
            np.testing.assert_allclose(plan.member_missed_minutes[pulled], np.minimum(
                plan.minutes, plan.member_minutes[pulled] + 2 * t))
            np.testing.assert_allclose(plan.member_missed_minutes[pushed],
                                       ((1 - share) * plan.member_minutes)[pushed])


# -- teacher learning (F2) -----------------------------------------------------------------------
def test_f2_watching_is_not_adopting():
    knowledge = np.ones((1, 3))
    use = np.zeros((1, 3))
    reinforced = np.array([[True, True, False]])
    collaborative = np.array([[False, True, False]])
    consulted = np.array([[False, False, True]])
    for _ in range(36):
        teacher_learning.adopt_and_fade(knowledge, use, reinforced, collaborative, consulted, P)
    assert use[0, 0] == pytest.approx(P.adoption_parallel, rel=0.05)
    assert use[0, 1] == pytest.approx(P.adoption_collaborative, rel=0.05)
    assert use[0, 2] == pytest.approx(P.adoption_consultation, rel=0.05)
    nothing = np.zeros((1, 3), bool)
    teacher_learning.adopt_and_fade(knowledge, use, nothing, collaborative, nothing, P)
    assert use[0, 1] == pytest.approx(P.adoption_collaborative * (1 - P.strategy_fade), rel=0.05)


def test_consultation_raises_knowledge_by_the_hour():
    knowledge = np.zeros((2, 1))
    consulted = np.zeros((2, 1), bool)
    teacher_learning.consult(knowledge, consulted, np.array([[60.0], [0.0]]), P)
    assert knowledge[0, 0] == pytest.approx(1 - np.exp(-P.consultation_knowledge_gain))
    assert knowledge[1, 0] == 0.0 and consulted.tolist() == [[True], [False]]


def test_consultation_reaches_teachers_under_every_policy(small):
    use = {p: run(small, seed=4, policy=p, weeks=20).summary["teacher_strategy_use"]
           for p in ("pull_out", "push_in", "push_in_collaborative")}
    assert 0 < use["pull_out"] < use["push_in"] < use["push_in_collaborative"]
    without = run(small, seed=4, policy="pull_out", weeks=20,
                  mechanisms=set(MECHANISMS) - {"consultation"})
    assert without.summary["teacher_strategy_use"] == 0.0
    booked = run(small, seed=4, policy="pull_out", weeks=3).therapists["consultation_minutes"]
    assert (booked == 3 * P.consultation_minutes).all()
    assert (without.therapists["consultation_minutes"] == 0).all()


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
    # a second adult in every core lesson all year gives spillover_sd_per_year, even at the top
    # of its range within F3's bound
    core_week = np.array([900.0])
    full_year = spillover.second_adult_rate(core_week, np.ones(1), P) * 900.0 * 36
    assert full_year[0] == pytest.approx(P.spillover_sd_per_year)
    assert PARAMETERS["spillover_sd_per_year"].high <= 0.15
    result = run(default_school, seed=1, policy="push_in_collaborative")
    assert 0.0 < result.summary["peer_spillover_sd"] <= 0.15
    weak = result.students[~result.students.has_iep & (result.students.baseline_sd < -1)]
    strong = result.students[~result.students.has_iep & (result.students.baseline_sd > 0)]
    pushed = result.students[result.students.spillover_sd > 0]
    assert len(pushed) > 0
    assert weak.spillover_sd.mean() > strong.spillover_sd.mean()


def test_pulling_students_out_of_a_core_lesson_leaves_a_smaller_class(small):
    """Classmates gain from the smaller class, in proportion to the student-minutes out."""
    rate = spillover.smaller_class_rate(np.array([900.0]), np.ones(1), P)
    assert rate[0] * 900 * 36 == pytest.approx(P.smaller_class_sd_per_year)
    on = run(small, seed=2, policy="pull_out", weeks=6, scheduling="greedy")
    off = run(small, seed=2, policy="pull_out", weeks=6, scheduling="greedy",
              parameters={"smaller_class_sd_per_year": 0.0})
    peers_on = on.students[~on.students.has_iep]
    assert peers_on.spillover_sd.max() > 0
    assert (on.students[on.students.has_iep].spillover_sd == 0).all()
    assert off.students.spillover_sd.max() == 0


def test_students_leaving_disrupt_the_lesson(small):
    calm = run(small, seed=2, policy="pull_out", weeks=4, scheduling="greedy",
               parameters={"pull_out_disruption_minutes": 0.0, "smaller_class_sd_per_year": 0.0})
    busy = run(small, seed=2, policy="pull_out", weeks=4, scheduling="greedy",
               parameters={"pull_out_disruption_minutes": 3.0, "smaller_class_sd_per_year": 0.0})
    assert busy.summary["peer_academic_growth_sd"] < calm.summary["peer_academic_growth_sd"]


# -- stigma ---------------------------------------------------------------------------------------
def test_visible_support_stigmatises_equally_by_default_and_more_when_older():
    s = np.zeros(4)
    grade = np.array([0, 0, 5, 5])
    stigma.raise_stigma(s, grade, np.array([0, 2]), P.stigma_per_removal, P)
    stigma.raise_stigma(s, grade, np.array([1, 3]), P.stigma_per_push_in, P)
    assert s[0] == s[1] > 0 and s[2] > s[0] and s[2] == s[3]
    stigma.raise_stigma(s, grade, np.array([1]), 0.02, P)
    assert s[1] > s[0]
    assert s[0] == pytest.approx(P.stigma_per_removal)
    before = s.copy()
    stigma.fade(s, P)
    np.testing.assert_allclose(s, before * (1 - P.stigma_fade))
    belonging, engagement = stigma.belonging_and_engagement(np.array([0.0, 0.5]),
                                                            np.array([0.9, 0.9]), P)
    assert belonging[1] < belonging[0] and engagement[1] < engagement[0]


# -- parameters of earlier versions ---------------------------------------------------------------
@pytest.mark.parametrize("old", ["skill_gap_drag", "push_in_lesson_share", "spillover_sd_per_hour"])
def test_an_old_parameter_gets_told_what_replaced_it(old):
    from inclusion_sim import InputError
    from inclusion_sim.base.params import REMOVED

    with pytest.raises(InputError) as caught:
        Params({old: 0.5})
    assert REMOVED[old] in str(caught.value)
    assert "in 0.2" in str(caught.value)
