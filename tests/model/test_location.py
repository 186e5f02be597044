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
