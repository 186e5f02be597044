"""Make-up sessions and the 3:1 model: what they deliver, and that nobody is booked twice."""

from dataclasses import replace

import numpy as np
import pytest
from test_invariants import check_slot

from inclusion_sim import InputError, Policy, SchoolModel, run
from inclusion_sim.delivery.policies import POLICY_PRESETS, ServicePolicy
from inclusion_sim.scenario import from_dict
from inclusion_sim.school.world import SERVICES


def policy_with(name, base="pull_out", **changes):
    preset = POLICY_PRESETS[base]
    return Policy(name, {s: replace(preset.for_service(s), **changes) for s in SERVICES})


def _check_bookings(model):
    """No therapist or student is in two places in any slot with a make-up.

    Several students with one therapist in one slot are one group: the members of one lost
    session (same service, same period of the timetable), within every member's IEP limit.
    """
    direct = model.direct_plans[0]
    grouped = 0
    for slot, booked in model.makeups.items():
        plan = model.plans[slot]
        held_t, held_s = set(plan.member_therapist.tolist()), set(plan.member.tolist())
        assert not held_t & set(booked.therapist.tolist()), "therapist double-booked"
        assert not held_s & set(booked.student.tolist()), "student double-booked"
        assert len(set(booked.student.tolist())) == len(booked.student)
        for t in set(booked.therapist.tolist()):
            mine = booked.therapist == t
            students = booked.student[mine]
            assert len(set(booked.domain[mine].tolist())) == 1, "two services at once"
            assert len(set(booked.origin[mine].tolist())) == 1, "two lost sessions at once"
            domain, origin = int(booked.domain[mine][0]), int(booked.origin[mine][0])
            lost = direct[origin]
            group = set(lost.member[(lost.member_therapist == t)
                                    & (lost.member_domain == domain)].tolist())
            assert set(students.tolist()) <= group, "made up with students of another session"
            assert len(students) <= model.max_group[students, domain].min(), "group too large"
            grouped += len(students) > 1
    return grouped


@pytest.mark.parametrize("makeup", ["same_week", "makeup_week"])
def test_make_ups_never_double_book_and_keep_the_ledger(small, makeup):
    cycle = "three_one" if makeup == "makeup_week" else "weekly"
    policy = policy_with(makeup, "hybrid", makeup=makeup, cycle=cycle)
    model = SchoolModel.from_scenario(small, policy=policy, seed=7, weeks=4,
                                      scheduling="greedy", disruptions=True)
    booked = grouped = 0
    while not model.finished:
        model.step()
        if model.slot_in_week == 1:
            grouped += _check_bookings(model)
            booked += sum(len(b.student) for b in model.makeups.values())
        check_slot(model)
    assert booked > 0
    assert grouped > 0, "no lost group was made up together"
    st = model.state
    assert st.made_up.sum() > 0
    assert (st.made_up <= st.cancelled + 1e-9).all(), "made up more than was cancelled"


def test_same_week_make_ups_recover_lost_minutes(small):
    plain = run(small, seed=4, policy="pull_out", weeks=6, scheduling="greedy",
                disruptions=True)
    made_up = run(small, seed=4, policy=policy_with("makeups", makeup="same_week"), weeks=6,
                  scheduling="greedy", disruptions=True)
    # the same disruptions hit both
    assert (made_up.year_summary["sessions_lost_student_absent"]
            == plain.year_summary["sessions_lost_student_absent"])
    recovered = made_up.year["made_up_minutes"].sum()
    assert recovered > 0.2 * plain.year["cancelled_minutes"].sum()
    assert made_up.summary["mandate_compliance"] > plain.summary["mandate_compliance"] + 0.02
    assert made_up.year_summary["share_full_services"] >= plain.year_summary[
        "share_full_services"]


def test_three_one_delivers_the_iep_minutes_over_a_four_week_cycle(one_class_per_grade):
    policy = policy_with("3:1", cycle="three_one")
    mechanisms = {"setting_efficacy", "missed_instruction", "teacher_practice",
                  "teacher_learning", "consultation", "peer_modeling", "spillover", "stigma"}
    weekly = SchoolModel.from_scenario(one_class_per_grade, policy="pull_out", seed=1, weeks=4,
                                       scheduling="greedy", mechanisms=mechanisms)
    model = SchoolModel.from_scenario(one_class_per_grade, policy=policy, seed=1, weeks=4,
                                      scheduling="greedy", mechanisms=mechanisms)
    np.testing.assert_allclose(model.weekly_scheduled, model.weekly_mandate)  # staffed
    weekly.run()
    delivered_by_week = []
    while not model.finished:
        before = model.state.delivered.copy()
        model.run_week()
        delivered_by_week.append(model.state.delivered - before)
    st = model.state
    # three direct weeks deliver the IEP's weekly minutes; the fourth holds no session
    np.testing.assert_allclose(st.delivered, 3 * model.weekly_mandate)
    np.testing.assert_allclose(st.mandated, 3 * model.weekly_mandate)
    assert delivered_by_week[3].sum() == 0
    np.testing.assert_allclose(delivered_by_week[0], model.weekly_mandate)
    # the indirect week's time goes partly to consulting teachers
    assert model.therapist_minutes["consultation"].sum() > weekly.therapist_minutes[
        "consultation"].sum()
    assert (model.teacher_state.knowledge.sum() > weekly.teacher_state.knowledge.sum())
    assert model.therapist_minutes["direct"].sum() == pytest.approx(
        0.75 * weekly.therapist_minutes["direct"].sum())


def test_make_up_week_needs_the_three_one_cycle(tmp_path):
    with pytest.raises(InputError) as info:
        from_dict({"policy": {"preset": "pull_out",
                              "services": {"speech": {"model": "pull_out",
                                                      "makeup": "makeup_week"}}}},
                  source="year.toml")
    message = str(info.value)
    assert "[policy.services.speech] key 'makeup'" in message and "three_one" in message
    with pytest.raises(InputError, match="makeup"):
        ServicePolicy(makeup="makeup_week")
    with pytest.raises(InputError, match="did you mean 'three_one'"):
        ServicePolicy(cycle="three_ones")
    ok = from_dict({"policy": {"preset": "pull_out", "cycle": "three_one",
                               "makeup": "makeup_week"}})
    assert ok.policy().for_service("ot").makeup == "makeup_week"
    assert "3:1" in ok.policy().name


def test_consultation_as_a_service_gives_knowledge_and_with_feedback_use(small):
    def teachers(policy):
        model = SchoolModel.from_scenario(small, policy=policy, seed=2, weeks=8,
                                          scheduling="greedy")
        result = model.run()
        return model.teacher_state, result

    plain, plain_result = teachers(POLICY_PRESETS["pull_out"])
    talk, talk_result = teachers(policy_with("talk", consultation_minutes=30))
    coach, coach_result = teachers(policy_with("coach", consultation_minutes=30,
                                               consultation_feedback=True))
    assert talk.knowledge.sum() > plain.knowledge.sum()
    np.testing.assert_allclose(talk.knowledge, coach.knowledge)  # same minutes, same knowledge
    # discussion alone: use grows no faster than with routine consultation's rate
    assert coach.use.sum() > 2 * talk.use.sum()
    # the service's time is paid for
    assert talk_result.summary["cost_usd"] > plain_result.summary["cost_usd"]
    assert talk_result.therapists["consultation_service_minutes"].sum() == pytest.approx(
        8 * 30 * SchoolModel.from_scenario(small, policy="pull_out", seed=2, weeks=1,
                                           scheduling="greedy").class_needs.sum())


def test_make_ups_are_refused_at_the_pull_out_rate(small):
    """A make-up is a pull-out session: the pull-out rate, not the push-in one, refuses it."""
    policy = policy_with("makeups", "hybrid", makeup="same_week")

    def year(**rates):
        model = SchoolModel.from_scenario(small, policy=policy, seed=7, weeks=3,
                                          scheduling="greedy", disruptions=True,
                                          parameters=rates)
        model.run()
        booked = [(w, s, tuple(b.student)) for w, s, b, _ in model.makeup_log]
        refused = sum(int(r.sum()) for *_, r in model.makeup_log)
        return model, booked, refused

    none, booked, refused = year(pull_out_refusal_rate=0.0, push_in_refusal_rate=0.0)
    assert refused == 0 and len(booked) > 0
    sessions = sum(len(b) for *_, b in booked)
    pushed, same, refused_push = year(pull_out_refusal_rate=0.0, push_in_refusal_rate=0.2)
    assert same == booked and refused_push == 0  # same make-ups; push-in's rate is not theirs
    many, same, refused_many = year(pull_out_refusal_rate=0.2, push_in_refusal_rate=0.0)
    assert same == booked  # the same make-ups are booked (cancellations are not refusals)
    # at least the base rate refuses (stigma and favourite periods only raise it)
    assert 0.2 * sessions * 0.6 < refused_many < 0.7 * sessions
    assert many.state.makeup_refused.sum() > 0
    assert many.state.made_up.sum() < none.state.made_up.sum()
    assert (many.state.made_up + many.state.makeup_refused
            == pytest.approx(none.state.made_up))
