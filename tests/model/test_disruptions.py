"""Disruptions of the school year: each one's direction and size, and common random numbers."""

import numpy as np
import pytest

from inclusion_sim import InputError, Params, SchoolModel, run
from inclusion_sim.base.params import DISRUPTIONS
from inclusion_sim.model.mechanisms import disruptions
from inclusion_sim.scenario import from_dict


def _lost_share(result, cause):
    year = result.year
    scheduled_sessions = year["scheduled_minutes"].sum()
    return year["cancelled_minutes"].sum() / scheduled_sessions, \
        result.year_summary[f"sessions_lost_{cause}"]


def _run(small, only, weeks=6, **parameters):
    return run(small, seed=3, policy="pull_out", weeks=weeks, scheduling="greedy",
               disruptions=[only], parameters=parameters or None)


# ----------------------------------------------------------------------- the mechanism's rules


def test_chronic_group_size_and_rates():
    p = Params()
    rates = disruptions.chronic_group(np.random.default_rng(0).random(20000), p)
    chronic = rates == p.chronic_absence_rate
    assert chronic.mean() == pytest.approx(p.chronic_absence_share, abs=0.01)
    days = disruptions.student_absent_days(rates, np.random.default_rng(1).random((50, 20000)))
    assert days[:, chronic].mean() == pytest.approx(p.chronic_absence_rate, abs=0.005)
    assert days[:, ~chronic].mean() == pytest.approx(p.student_absence_rate, abs=0.003)
    # chronically absent: at least 10% of days missed, on average
    assert days[:, chronic].mean() >= 0.10


def test_substitutes_cover_a_subset_of_the_same_absences():
    u = np.random.default_rng(2).random((200, 50))
    none = disruptions.therapist_out_days(u, Params())
    half = disruptions.therapist_out_days(u, Params({"therapist_substitute_share": 0.5}))
    every = disruptions.therapist_out_days(u, Params({"therapist_substitute_share": 1.0}))
    assert none.mean() == pytest.approx(Params().therapist_absence_rate, abs=0.005)
    assert (half <= none).all() and half.mean() == pytest.approx(none.mean() / 2, abs=0.005)
    assert not every.any()


def test_event_days_per_year():
    u = np.random.default_rng(4).random(180 * 200)
    days = disruptions.event_days(u, Params({"school_event_days": 10}))
    assert days.sum() / 200 == pytest.approx(10, abs=0.5)


def test_duties_take_only_the_hours_above_the_average():
    u = np.random.default_rng(5).random(100000)
    p = Params()
    factor = disruptions.duty_factor(u, p)
    assert factor.mean() == pytest.approx(1.0, abs=0.01)
    assert factor.std() == pytest.approx(p.duty_variation, abs=0.01)
    steady = disruptions.duty_factor(u, Params({"duty_variation": 0.0}))
    np.testing.assert_allclose(steady, 1.0)
    direct = np.full(u.shape, 1200.0)
    # a therapist whose timetable fills the contract: every excess minute comes off sessions
    chance = disruptions.duty_cancel_chance(factor, 2 * direct, 2 * direct, direct, p)
    expected = np.maximum(factor - 1, 0) * p.duty_hours_per_week * 60 * 2400 / 1320 / 1200
    np.testing.assert_allclose(chance, expected.clip(0, 1))
    # a full-time therapist with a full timetable loses about 5% of sessions at the defaults
    full = disruptions.duty_cancel_chance(factor, direct, direct, direct, p).mean()
    assert 0.02 < full < 0.08
    # free contracted time absorbs a heavy week first
    slack = disruptions.duty_cancel_chance(factor, direct, direct - 60, direct, p)
    assert 0 < slack.mean() < full
    np.testing.assert_allclose(slack, (np.maximum(factor - 1, 0) * p.duty_hours_per_week * 60
                                       * 1200 / 1320 - 60).clip(0) / 1200)
    assert not disruptions.duty_cancel_chance(steady, direct, direct, direct, p).any()
    assert not disruptions.duty_cancel_chance(factor, direct, direct, np.zeros_like(direct),
                                              p).any()


def test_causes_are_booked_in_order_of_precedence():
    pos, therapist = np.array([0, 1, 2, 3]), np.array([0, 1, 1, 0])
    student_out = np.array([[True, True, False, False]])
    duty = np.array([[False, True]])
    out = np.array([[False, False]])
    cause = disruptions.session_causes(0, 0, pos, therapist, None, out, duty, student_out)
    assert cause.tolist() == [disruptions.STUDENT_ABSENT, disruptions.DUTIES,
                              disruptions.DUTIES, 0]
    cause = disruptions.session_causes(0, 0, pos, therapist, np.array([True]), out, duty,
                                       student_out)
    assert (cause == disruptions.EVENT).all()


# ----------------------------------------------------------------------- in the model


def test_every_disruption_lowers_delivery_by_about_its_rate(small):
    base = run(small, seed=3, policy="pull_out", weeks=6, scheduling="greedy")
    delivered = base.year["delivered_minutes"].sum()
    assert base.year["cancelled_minutes"].sum() == 0
    expected = {  # share of scheduled sessions each one cancels, roughly
        "student_absence": 0.7 * 0.04 + 0.3 * 0.15,
        "therapist_absence": 0.05,
        "school_events": 8 / 180,
        "therapist_duties": 0.1,
    }
    cause = {"student_absence": "student_absent", "therapist_absence": "therapist_absent",
             "school_events": "school_event", "therapist_duties": "therapist_duties"}
    # the small school's therapists have free contracted time, which absorbs an average heavy
    # week: only the heaviest weeks (high variation) reach their sessions
    heavy = {"therapist_duties": {"duty_variation": 1.0, "duty_hours_per_week": 15.0}}
    for name in DISRUPTIONS:
        result = _run(small, name, **heavy.get(name, {}))
        share, sessions = _lost_share(result, cause[name])
        assert 0 < share < 3 * expected[name] + 0.03, name
        assert sessions > 0, name
        assert result.year["delivered_minutes"].sum() < delivered, name
        others = [c for c in cause.values() if c != cause[name]]
        assert all(result.year_summary[f"sessions_lost_{c}"] == 0 for c in others), name


def test_more_of_a_disruption_loses_more(small):
    few = _run(small, "school_events", weeks=8, school_event_days=2)
    many = _run(small, "school_events", weeks=8, school_event_days=20)
    assert (many.year_summary["sessions_lost_school_event"]
            > few.year_summary["sessions_lost_school_event"])
    alone = _run(small, "therapist_absence", weeks=8)
    covered = _run(small, "therapist_absence", weeks=8, therapist_substitute_share=1.0)
    assert alone.year_summary["sessions_lost_therapist_absent"] > 0
    assert covered.year_summary["sessions_lost_therapist_absent"] == 0
    steady = _run(small, "therapist_duties", weeks=8, duty_variation=0.0,
                  duty_hours_per_week=15.0)
    assert steady.year_summary["sessions_lost_therapist_duties"] == 0
    heavy = _run(small, "therapist_duties", weeks=8, duty_variation=1.0,
                 duty_hours_per_week=15.0)
    assert heavy.year_summary["sessions_lost_therapist_duties"] > 0


def _week_draws(model):
    """The disruption draws of every week of a model's run."""
    draws = []
    while not model.finished:
        model.step()
        if model.slot_in_week == 1:
            draws.append((model.student_out.copy(), model.therapist_out.copy(),
                          model.events.copy()))
    return draws


def test_same_seed_same_absences_under_every_policy(small):
    models = [SchoolModel.from_scenario(small, policy=policy, seed=11, weeks=3,
                                        scheduling="greedy", disruptions=True)
              for policy in ("pull_out", "push_in_collaborative")]
    first, second = (_week_draws(m) for m in models)
    for a, b in zip(first, second, strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)
    assert any(week[0].any() for week in first)



def test_disruptions_leave_the_other_draws_alone(small):
    plain, disrupted = (SchoolModel.from_scenario(small, policy="pull_out", seed=11, weeks=1,
                                                  scheduling="greedy", disruptions=on)
                        for on in (False, True))
    plain.step()
    disrupted.step()
    np.testing.assert_array_equal(plain.u_refusal, disrupted.u_refusal)
    np.testing.assert_array_equal(plain.u_attendance, disrupted.u_attendance)
    np.testing.assert_array_equal(plain.state.baseline, disrupted.state.baseline)


def test_unknown_disruption_is_located(tmp_path):
    with pytest.raises(InputError) as info:
        from_dict({"disruptions": {"student_absense": True}}, source="year.toml")
    message = str(info.value)
    assert "[disruptions] key 'student_absense'" in message
    assert "did you mean 'student_absence'?" in message
    with pytest.raises(InputError, match="argument 'disruptions'"):
        run(from_dict({"scenario": {"weeks": 1}}), disruptions=["events"])


def test_the_year_view_adds_up(small):
    from inclusion_sim import POLICY_PRESETS
    from inclusion_sim.analysis.year_view import year_text, year_view
    from inclusion_sim.base.seeds import make_streams

    school = small.build_school(make_streams(1)["roster"])
    policies = {name: POLICY_PRESETS[name] for name in ("pull_out", "push_in")}
    table = year_view(school, policies, small.params(), 1, small.scheduling().__class__(
        "greedy"), weeks=4)
    assert list(table["policy"]) == ["pull_out", "push_in"]
    assert (table["delivered_hours"] <= table["scheduled_hours"] + 1e-9).all()
    assert (table["scheduled_hours"] <= table["mandated_hours"] + 1e-9).all()
    assert (table["cancelled_hours"] > 0).all()
    shares = table[["share_full_services", "share_partial_services", "share_no_services"]]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    text = year_text(table, 4, DISRUPTIONS)
    assert "Sessions lost: student absent" in text and "Pull-out" in text
    from inclusion_sim.faces.present import terminal_problems

    assert not terminal_problems(text)  # policies by name, 100 columns
    # refusals, an estimated rate, are said in words below the table with their counts
    refused = table.set_index("policy")["sessions_lost_refusal"]
    assert refused["pull_out"] > 0
    said = " ".join(text.split("\n\n")[-1].split())
    assert said.startswith("Sessions lost to students' refusals (sessions in the year, all "
                           f"students): {refused['pull_out']:,.0f} with Pull-out, "
                           f"{refused['push_in']:,.0f} with ")
    assert "(5% of pull-out sessions, 5% of pushed-in sessions" in said
    assert "is an estimate, not a measurement: no figure found" in said
    doubled = year_text(table, 4, DISRUPTIONS, {"pull_out_refusal_rate": 0.1})
    assert "(10% of pull-out sessions" in doubled
    none = table.assign(sessions_lost_refusal=0.0)
    assert "refusals" not in year_text(none, 4, DISRUPTIONS)
