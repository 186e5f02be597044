"""`SchoolModel.location` is the one answer to "where is this student?", and it is right."""

import pytest

from inclusion_sim import POLICY_PRESETS, SchoolModel

PLACE_OF_SETTING = {"pull_out": "therapy_room", "push_in": "class", "after_school": "after_school"}


def expected_whereabouts(model, student, day, slot):
    """Read straight from the scheduler's sessions, not from the weekly plan."""
    for s in model.schedule.sessions:
        if (s.day, s.slot) == (day, slot) and student in s.students:
            return PLACE_OF_SETTING[s.setting], s.therapist, s.service
    return ("class" if slot < model.schedule.periods else "home"), None, ""


@pytest.mark.parametrize("policy", list(POLICY_PRESETS))
def test_location_agrees_with_the_schedule_in_every_slot(small, policy):
    model = SchoolModel.from_scenario(small, policy=policy, seed=1, weeks=1)
    assert model.schedule.sessions, "a policy with no sessions would make this test vacuous"
    checked = in_session = 0
    for day in range(model.school.timetable.days):
        for slot in range(model.slots_per_day):
            for student in range(len(model.school.students)):
                here = model.location(student, day, slot)
                place, therapist, service = expected_whereabouts(model, student, day, slot)
                assert (here.place, here.therapist, here.service) == (place, therapist, service)
                checked += 1
                in_session += here.in_session
    assert in_session > 0 and checked == len(model.school.students) * model.slots_per_week


def test_student_location_follows_the_clock(small):
    """`Student.location` says where the student is in the slot about to run, all week long."""
    model = SchoolModel.from_scenario(small, policy="pull_out", seed=1, weeks=1)
    pulled = {i for s in model.schedule.sessions for i in s.students}
    agents = [model.student_agents[i] for i in sorted(pulled)]
    seen_out = 0
    while not model.finished:
        for agent in agents:
            expected = expected_whereabouts(model, agent.index, model.day, model.slot)[0]
            assert agent.location == expected
            seen_out += agent.location == "therapy_room"
        model.step()
    assert seen_out == sum(len(s.students) for s in model.schedule.sessions)


def test_location_reports_make_ups_in_the_week_they_were_held(small):
    """A make-up is not in the weekly plan: `location` shows it in its own week and slot only."""
    from dataclasses import replace

    from inclusion_sim import Policy
    from inclusion_sim.school.world import SERVICES

    preset = POLICY_PRESETS["pull_out"]
    policy = Policy("makeups", {s: replace(preset.for_service(s), makeup="same_week")
                                for s in SERVICES})
    model = SchoolModel.from_scenario(small, policy=policy, seed=7, weeks=3, scheduling="greedy",
                                      disruptions=True)
    # booked at the start of a week, before the make-up is held
    model.step()
    slot, booked = min(model.makeups.items())
    day, period = divmod(slot, model.slots_per_day)
    student = int(booked.student[0])
    ahead = model.location(student, day, period)
    assert ahead.makeup and ahead.place == "therapy_room"
    assert ahead.therapist == int(booked.therapist[0])
    result = model.run()
    held = refused = elsewhere = 0
    for week, in_week, booked, no in model.makeup_log:
        day, period = divmod(in_week, model.slots_per_day)
        for k, student in enumerate(booked.student.tolist()):
            here = model.location(student, day, period, week=week)
            if no[k]:
                refused += 1
                assert not here.makeup and here.place == "class"  # they stayed in the lesson
                continue
            held += 1
            assert (here.place, here.setting, here.makeup) == ("therapy_room", "pull_out", True)
            assert here.therapist == int(booked.therapist[k])
            assert here.service == SERVICES[int(booked.domain[k])]
            # the repeating plan is unchanged: the week before shows no make-up there
            other = [w for w in range(model.weeks) if w != week
                     and not any(w == w2 and in_week == s2 and student in b2.student
                                 for w2, s2, b2, _ in model.makeup_log)]
            assert not any(model.location(student, day, period, week=w).makeup for w in other)
            elsewhere += len(other)
    assert held > 0 and elsewhere > 0
    # the run's make-ups table lists the same sessions, by week, therapist, student and slot
    table = result.makeups
    assert len(table) == held + refused and int(table["held"].sum()) == held
    first_week, first_slot, first, _ = model.makeup_log[0]
    row = table.iloc[0]
    assert row["school_week"] == first_week + 1
    assert (row["day"], row["period"]) == (("Mon", "Tue", "Wed", "Thu", "Fri")[
        first_slot // model.slots_per_day], first_slot % model.slots_per_day + 1)
    assert row["student_id"] == model.school.students[int(first.student[0])].id
    assert row["therapist_id"] == model.school.therapists[int(first.therapist[0])].id
    assert set(table["kind"]) == {"same week"}
