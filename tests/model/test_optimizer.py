"""The optimizing scheduler keeps every rule, beats or equals the greedy, and is reproducible."""

import dataclasses
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_sim import Params
from inclusion_sim.base.seeds import make_streams
from inclusion_sim.delivery.optimize import (
    AGGREGATE_TIME,
    SolverOptions,
    _aggregate_bound,
    _Instance,
    explain_unmet,
    schedule_week_optimal,
)
from inclusion_sim.delivery.policies import POLICY_PRESETS, Policy, ServicePolicy, uniform
from inclusion_sim.delivery.schedule_check import check_schedule
from inclusion_sim.delivery.scheduling import Session, Unmet, schedule_week
from inclusion_sim.school.world import (
    ClassRecord,
    Mandate,
    School,
    StudentRecord,
    TeacherRecord,
    TherapistRecord,
    Timetable,
)

pytest.importorskip("ortools")

ROOT = Path(__file__).resolve().parents[2]
QUICK = SolverOptions(deterministic_time=0.2, polish_time=0.05)


def rng():
    return np.random.default_rng(0)


def build(scenario):
    return scenario.build_school(make_streams(scenario.seed)["roster"])


def school_of(subjects, students, therapists, minutes=45):
    """A school from class subjects {class: [[day's subjects]]}, (class, grade, mandates) students."""
    classes = [ClassRecord(c, grade, f"T{c}") for c, grade in subjects]
    days, periods = len(next(iter(subjects.values()))), len(next(iter(subjects.values()))[0])
    return School("tiny", classes, [TeacherRecord(f"T{c.id}", c.id) for c in classes],
                  therapists,
                  [StudentRecord(f"S{n}", c, g, tuple(m)) for n, (c, g, m) in enumerate(students)],
                  Timetable(np.full((days, periods), minutes),
                            {c: s for (c, _), s in subjects.items()}))


# -- every schedule the tests make is valid ------------------------------------------------------
@pytest.mark.parametrize("name", ["small_elementary", "default_elementary"])
def test_greedy_and_optimal_schedules_pass_the_check(name, request):
    scenario = request.getfixturevalue("small" if name.startswith("small") else "default_school")
    school, params = build(scenario), scenario.params()
    policies = dict(POLICY_PRESETS)
    policies["scenario"] = scenario.policy()
    for policy in policies.values():
        greedy = schedule_week(school, policy, params, rng())
        assert check_schedule(school, policy, params, greedy) == []
        best = schedule_week_optimal(school, policy, params, rng(), options=QUICK)
        assert check_schedule(school, policy, params, best) == [], policy.name
        report = best.solver
        assert report.scheduled_minutes >= report.mandated_minutes - greedy.unmet_minutes()
        assert report.scheduled_minutes <= report.upper_bound_minutes <= report.mandated_minutes
        assert report.scheduled_minutes == report.mandated_minutes - best.unmet_minutes()


@pytest.mark.parametrize(("name", "policy_name"), [
    ("small", "push_in_collaborative"), ("small", "pull_out"),
    ("default_school", "hybrid"),  # the default school's hybrid shares pools between therapists
    ("k8", "push_in_collaborative")])  # two bells, and sessions moved to make room
def test_the_timetable_built_from_the_relaxation_keeps_every_rule(name, policy_name, request):
    """The starting timetable placed from the bound's relaxation is a valid week of its own.

    Its minutes can never exceed the relaxation's bound (a member attending more sessions than
    the relaxation gave it, e.g. when two therapists share a pool, would break this), and the
    independent checker finds nothing wrong with it.
    """
    from inclusion_sim.delivery import optimize as opt
    from inclusion_sim.delivery.scheduling import WeeklySchedule, therapist_load

    scenario = request.getfixturevalue(name)
    school, params = build(scenario), scenario.params()
    policy = POLICY_PRESETS[policy_name]
    inst = opt._Instance(school, policy, params, SolverOptions())
    bound, _, relaxed, _ = opt._aggregate_bound(inst, opt.AGGREGATE_TIME, 0)
    sessions = opt._constructed(inst, relaxed, set())
    delivered = opt._delivered_from(inst, sessions)
    minutes = sum(d * req.minutes for d, req in zip(delivered, inst.reqs, strict=True))
    assert 0.5 * inst.mandated < minutes <= bound <= inst.mandated
    load, pairs = therapist_load(school, sessions, inst.travel, inst.coplan)
    unmet = opt._unmet(inst, delivered, ["no_therapist_time"] * len(inst.reqs))
    week = WeeklySchedule(sessions, unmet, load, inst.periods, inst.periods + inst.after, pairs)
    assert check_schedule(school, policy, params, week) == []


def test_moving_one_session_makes_room_for_the_relaxations_last_one(k8, monkeypatch):
    """On the K-8 school's co-taught week every SETSS session of the relaxation fits around the
    other services' (greedy) sessions once one session may move to free its therapist; without
    the move one does not fit."""
    from inclusion_sim.delivery import optimize as opt

    school, params = build(k8), k8.params()
    policy = POLICY_PRESETS["push_in_collaborative"]
    inst = opt._Instance(school, policy, params, SolverOptions())
    part = inst.part(["setss"])
    others = schedule_week(school, policy, params, make_streams(k8.seed)["schedule"]).sessions
    busy = {(i, x.day, x.slot) for x in others if x.service != "setss" for i in x.students}
    bound, proven, relaxed, _ = opt._aggregate_bound(part, opt.AGGREGATE_TIME, 0)
    assert proven
    assert opt._minutes_of(part, opt._constructed(part, relaxed, busy)) == bound
    monkeypatch.setattr(opt, "_after_one_move", lambda *args: None)
    assert opt._minutes_of(part, opt._constructed(part, relaxed, busy)) < bound


def test_adjacent_grades_mix_only_neighbouring_grades(small):
    school, params = build(small), small.params()
    policy = POLICY_PRESETS["pull_out"]
    options = dataclasses.replace(QUICK, adjacent_grades=True)
    best = schedule_week_optimal(school, policy, params, rng(), options=options)
    assert check_schedule(school, policy, params, best, adjacent_grades=True) == []


# -- the check catches each kind of broken schedule ---------------------------------------------
SPEECH = Mandate("speech", 2, 30, 2)


@pytest.fixture
def valid():
    subjects = {("A", 1): [["ela", "lunch_recess", "math"]] * 2,
                ("B", 2): [["math", "lunch_recess", "ela"]] * 2}
    students = [("A", 1, [SPEECH]), ("A", 1, [SPEECH]), ("B", 2, [SPEECH])]
    school = school_of(subjects, students, [TherapistRecord("SLP", "speech", 600, (0, 1)),
                                            TherapistRecord("OT", "ot", 600, (0, 1))])
    policy = uniform("pull_out", "pull_out")
    schedule = schedule_week_optimal(school, policy, Params(), rng(), options=QUICK)
    assert check_schedule(school, policy, Params(), schedule) == []
    assert schedule.unmet == []
    return school, policy, schedule


def broken(schedule, n=0, **changes):
    sessions = list(schedule.sessions)
    sessions[n] = dataclasses.replace(sessions[n], **changes)
    return dataclasses.replace(schedule, sessions=sessions)


def complaint(valid, schedule, policy=None):
    school, default_policy, _ = valid
    return " | ".join(check_schedule(school, policy or default_policy, Params(), schedule))


def test_check_catches_a_therapist_off_site(valid):
    school, policy, schedule = valid
    bad = dataclasses.replace(school, therapists=[dataclasses.replace(school.therapists[0],
                                                                      days_on_site=(5,)),
                                                  school.therapists[1]])
    assert "not at the school" in " ".join(check_schedule(bad, policy, Params(), schedule))


def test_check_catches_the_wrong_discipline(valid):
    assert "is a ot therapist" in complaint(valid, broken(valid[2], therapist=1))


def test_check_catches_a_therapist_in_two_places(valid):
    s = valid[2].sessions
    first = s[0]
    other = next(x for x in s if x.students != first.students and (x.day, x.slot) !=
                 (first.day, first.slot))
    n = s.index(other)
    assert "has 2 sessions at day" in complaint(valid, broken(valid[2], n, day=first.day,
                                                               slot=first.slot))


def test_check_catches_a_student_in_two_places(valid):
    school, policy, schedule = valid
    extra = dataclasses.replace(schedule.sessions[0], therapist=1, service="speech")
    bad = dataclasses.replace(schedule, sessions=schedule.sessions + [extra])
    school, policy, _ = valid
    assert any(m.startswith("student S") and "sessions at day" in m
               for m in check_schedule(school, policy, Params(), bad))


def test_check_catches_a_group_over_the_iep_limit(valid):
    bad = broken(valid[2], students=(0, 1, 2))
    assert "allows groups of 2" in complaint(valid, bad)


def test_check_catches_more_sessions_than_mandated(valid):
    school, policy, schedule = valid
    extra = dataclasses.replace(schedule.sessions[0], slot=1)
    bad = dataclasses.replace(schedule, sessions=schedule.sessions + [extra])
    assert "2 mandated" in complaint(valid, bad)


def test_check_catches_a_pull_out_during_lunch(valid):
    assert "pulled out of lunch" in complaint(valid, broken(valid[2], slot=1))


def test_check_catches_a_pull_out_from_core_when_avoided(valid):
    avoid = uniform("avoid", "pull_out", avoid_core=True)
    assert "avoids core lessons" in complaint(valid, valid[2], avoid)


def test_check_catches_a_push_in_outside_relevant_lessons(valid):
    s = valid[2].sessions[0]
    klass = {0: 0, 1: 0, 2: 1}[s.students[0]]
    math_slot = 2 if klass == 0 else 0
    bad = broken(valid[2], setting="push_in", collaboration="parallel", class_index=klass,
                 slot=math_slot, relevant=False)
    assert "not relevant to speech" in complaint(valid, bad, uniform("push", "push_in"))


def test_check_catches_a_push_in_into_another_class(valid):
    s = valid[2].sessions[0]
    other = 1 - {0: 0, 1: 0, 2: 1}[s.students[0]]
    bad = broken(valid[2], setting="push_in", collaboration="parallel", class_index=other)
    assert "not in the session's class" in complaint(valid, bad, uniform("push", "push_in"))


def test_check_catches_after_school_in_the_day(valid):
    bad = broken(valid[2], setting="after_school")
    assert "wrong part of the day" in complaint(valid, bad, uniform("after", "after_school"))


def test_check_catches_a_session_longer_than_its_period(valid):
    school, policy, schedule = valid
    short = dataclasses.replace(school, timetable=Timetable(
        np.full((2, 3), 20), school.timetable.subjects))
    assert "do not fit" in " ".join(check_schedule(short, policy, Params(), schedule))


def test_check_catches_mixed_grades(valid):
    bad = broken(valid[2], students=(0, 2))
    assert "grades [1, 2] in one group" in complaint(valid, bad)


def test_check_catches_overcommitted_therapists(valid):
    school, policy, schedule = valid
    tight = dataclasses.replace(school, therapists=[dataclasses.replace(school.therapists[0],
                                                                        minutes_per_week=30),
                                                    school.therapists[1]])
    assert "contracted 30" in " ".join(check_schedule(tight, policy, Params(), schedule))


def test_check_catches_a_load_that_does_not_match(valid):
    schedule = valid[2]
    load = [dataclasses.replace(x) for x in schedule.load]
    load[0].direct += 30
    assert "reported load" in complaint(valid, dataclasses.replace(schedule, load=load))


def test_check_catches_lost_minutes(valid):
    schedule = valid[2]
    dropped = dataclasses.replace(schedule, sessions=schedule.sessions[1:])
    assert "mandated" in complaint(valid, dropped)
    extra = dataclasses.replace(schedule, unmet=[Unmet("S0", "speech", "pull_out", 1, 30,
                                                        "students_busy")])
    assert "30 unmet minutes, 60 mandated" in complaint(valid, extra)


def test_check_catches_collaborative_sessions_without_coplanning(valid):
    school, _, schedule = valid
    policy = uniform("co", "push_in", "collaborative")
    s = schedule.sessions[0]
    klass = {0: 0, 1: 0, 2: 1}[s.students[0]]
    slot = 0 if klass == 0 else 2
    bad = broken(schedule, setting="push_in", collaboration="collaborative", class_index=klass,
                 slot=slot, relevant=True)
    assert "co-planning pairs" in complaint(valid, bad, policy)


# -- exact on tiny schools -----------------------------------------------------------------------
def brute_force(school, policy, params):
    """Most mandated minutes by trying every group in every (therapist, day, period).

    A co-taught session costs its therapist co-planning minutes too, once per class.
    """
    tt = school.timetable
    days, periods = tt.period_minutes.shape
    sp = policy.for_service("speech")
    positions = [(t, d, k) for t, th in enumerate(school.therapists)
                 for d in th.days_on_site for k in range(periods)]
    need = {i: s.mandates[0].sessions_per_week for i, s in enumerate(school.students)}

    def allowed(i, d, k):
        subject = tt.subjects[school.students[i].class_id][d][k]
        if sp.model == "push_in":
            return subject in ("ela", "social_studies")
        return subject != "lunch_recess"

    def place(i):
        student = school.students[i]
        return student.class_id if sp.model == "push_in" else student.grade

    groups = {}
    for d, k in {(d, k) for _, d, k in positions}:
        ok = [i for i in need if allowed(i, d, k)]
        groups[(d, k)] = [g for n in range(1, len(ok) + 1) for g in itertools.combinations(ok, n)
                          if len(g) <= min(school.students[i].mandates[0].max_group for i in g)
                          and len({place(i) for i in g}) == 1]
    cost = 30 + (params.push_in_travel_minutes if sp.model == "push_in" else 0)
    coplan = params.coplanning_minutes if sp.collaboration == "collaborative" else 0
    best = 0

    def go(n, left, busy, capacity, served, pairs):
        nonlocal best
        best = max(best, served)
        if n == len(positions) or served + 30 * sum(left.values()) <= best:
            return
        t, d, k = positions[n]
        go(n + 1, left, busy, capacity, served, pairs)
        for g in groups[(d, k)]:
            pair = (t, place(g[0]))
            extra = cost + (coplan if coplan and pair not in pairs else 0)
            if capacity[t] >= extra and all(left[i] > 0 and (i, d, k) not in busy for i in g):
                for i in g:
                    left[i] -= 1
                capacity[t] -= extra
                go(n + 1, left, busy | {(i, d, k) for i in g}, capacity, served + 30 * len(g),
                   pairs | {pair} if coplan else pairs)
                capacity[t] += extra
                for i in g:
                    left[i] += 1

    go(0, dict(need), frozenset(), [th.minutes_per_week for th in school.therapists], 0,
       frozenset())
    return best


@st.composite
def tiny_schools(draw):
    days = 2
    periods = draw(st.integers(2, 3))
    subject = st.sampled_from(["ela", "math", "lunch_recess", "social_studies"])
    subjects = {(c, 1): [[draw(subject) for _ in range(periods)] for _ in range(days)]
                for c in ("A", "B")[:draw(st.integers(1, 2))]}
    students = [(draw(st.sampled_from(sorted(c for c, _ in subjects))), 1,
                 [Mandate("speech", draw(st.integers(1, 2)), 30, draw(st.integers(1, 3)))])
                for _ in range(draw(st.integers(2, 4)))]
    therapists = [TherapistRecord(f"SLP{t}", "speech",
                                  draw(st.sampled_from([30, 60, 90, 120, 150, 300])),
                                  tuple(draw(st.sets(st.integers(0, 1), min_size=1))))
                  for t in range(draw(st.integers(1, 2)))]
    setting = draw(st.sampled_from([("pull_out", "parallel"), ("push_in", "parallel"),
                                    ("push_in", "collaborative")]))
    return school_of(subjects, students, therapists), setting


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_schools())
def test_optimal_equals_brute_force_and_beats_greedy(case):
    school, (model, collaboration) = case
    policy, params = uniform(model, model, collaboration), Params()
    best = schedule_week_optimal(school, policy, params, rng(), options=SolverOptions())
    greedy = schedule_week(school, policy, params, rng())
    mandated = sum(m.weekly_minutes for s in school.students for m in s.mandates)
    assert check_schedule(school, policy, params, best) == []
    assert best.solver.scheduled_minutes == brute_force(school, policy, params)
    assert best.solver.status == "OPTIMAL"
    assert best.solver.upper_bound_minutes == best.solver.scheduled_minutes
    assert best.solver.scheduled_minutes >= mandated - greedy.unmet_minutes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_schools())
def test_the_relaxation_with_whole_sessions_still_bounds_every_timetable(case):
    school, (model, collaboration) = case
    policy, params = uniform(model, model, collaboration), Params()
    inst = _Instance(school, policy, params, SolverOptions())
    bound, proven, _, _ = _aggregate_bound(inst, (1.0,), 0, rounded_from=0)
    assert proven
    assert bound >= brute_force(school, policy, params)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_schools())
def test_the_tighter_relaxation_still_bounds_every_timetable(case):
    """Usable slots and group-limit classes, solved on every tiny school (not only where the
    first relaxation's solution breaks them), never bound below a timetable found by search."""
    from inclusion_sim.delivery import optimize as opt

    school, (model, collaboration) = case
    policy, params = uniform(model, model, collaboration), Params()
    inst = _Instance(school, policy, params, SolverOptions())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opt, "_breaks_tight_rules", lambda *args: True)
        bound, proven, _, _ = _aggregate_bound(inst, (1.0,), 0, rounded_from=0)
    assert proven
    assert bound >= brute_force(school, policy, params)


def test_group_limit_classes_bound_the_example_schools_after_school_week(example_csv):
    """After school the example school's SETSS teacher has ten slots a week, and a grade's group
    is only as large as its smallest member limit allows: 53 attendances of 45 minutes at most,
    worked out by hand (four groups of the six third graders with a limit of 8, five of five
    kindergartners, one more third-grade group of four). The first relaxation alone allows the
    whole mandate."""
    from inclusion_sim.delivery import optimize as opt

    school = example_csv.build_school(make_streams(example_csv.seed)["roster"])
    inst = _Instance(school, POLICY_PRESETS["after_school"], example_csv.params(), SolverOptions())
    part = inst.part(["setss"])
    bound, proven, _, _ = _aggregate_bound(part, AGGREGATE_TIME, 0)
    assert (bound, proven) == (53 * 45, True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opt, "_breaks_tight_rules", lambda *args: False)
        assert _aggregate_bound(part, AGGREGATE_TIME, 0)[0] == part.mandated


def test_a_bound_proven_elsewhere_stops_the_search_at_the_week_it_would_end_with(example_csv):
    """Without the bound the search of the example school's after-school SETSS runs its whole
    budget (it cannot prove 53 attendances best); told the bound, it stops at the same week."""
    from inclusion_sim.delivery import optimize as opt

    school = example_csv.build_school(make_streams(example_csv.seed)["roster"])
    inst = _Instance(school, POLICY_PRESETS["after_school"], example_csv.params(), SolverOptions())
    part = inst.part(["setss"])

    def solve(stop_at):
        model = opt._Model(part)
        model.model.maximize(model.minutes_units)
        found = model.solve(SolverOptions(), 0.5, stop_at=stop_at)
        return model.read(found)[0], found.status, found.deterministic_time

    searched, status, spent = solve(None)
    assert (opt._minutes_of(part, searched), status) == (53 * 45, "FEASIBLE")
    stopped, status, stopped_after = solve(53)
    assert stopped == searched and status == "OPTIMAL"
    assert stopped_after < spent / 4


def test_whole_sessions_prove_the_co_taught_bounds_of_the_default_school(default_school):
    """Without the rounding the first co-taught service's bound is not proven in the budget."""
    school = default_school.build_school(make_streams(default_school.seed)["roster"])
    inst = _Instance(school, POLICY_PRESETS["push_in_collaborative"], default_school.params(),
                     SolverOptions())
    parts = [inst.part([x]) for x in sorted({req.service for req in inst.reqs})]
    for part in parts:
        _, proven, _, spent = _aggregate_bound(part, AGGREGATE_TIME, 0)
        assert proven, part.reqs[0].service
        assert spent < sum(AGGREGATE_TIME)
    unrounded = [_aggregate_bound(part, AGGREGATE_TIME, 0, rounded_from=2)[1] for part in parts]
    assert not all(unrounded)


def test_services_close_to_their_bound_need_no_search_of_the_whole_model(monkeypatch):
    """On the K-8 school under push-in, SETSS and speech students are busy with each other's
    sessions, and the timetable built from the relaxation leaves a few of them short. Solving
    around the other services at once, one therapist's week at a time, reaches the relaxation's
    bound: the whole model is never searched for them (it was searched twice for each)."""
    from inclusion_sim import load_scenario
    from inclusion_sim.delivery import optimize

    scenario = load_scenario(ROOT / "scenarios" / "k8_school.toml")
    school = scenario.build_school(make_streams(scenario.seed)["roster"])
    solves, repairs = [], []
    inner, repair = optimize._Model.solve, optimize._around_the_short

    def counted(self, *args, **kwargs):
        if not kwargs.get("light_presolve"):
            solves.append(self.inst.reqs[0].service)
        return inner(self, *args, **kwargs)

    def counted_repair(model, *args, **kwargs):
        repairs.append(model.inst.reqs[0].service)
        return repair(model, *args, **kwargs)

    monkeypatch.setattr(optimize._Model, "solve", counted)
    monkeypatch.setattr(optimize, "_around_the_short", counted_repair)
    policy = POLICY_PRESETS["push_in"]
    week = schedule_week_optimal(school, policy, scenario.params(),
                                 make_streams(scenario.seed)["schedule"],
                                 options=SolverOptions(polish_time=0.0))
    assert check_schedule(school, policy, scenario.params(), week) == []
    assert {"setss", "speech"} <= set(repairs)
    assert "setss" not in solves and "speech" not in solves, solves
    assert week.solver.scheduled_minutes >= 0.99 * week.solver.upper_bound_minutes


# -- reproducible ---------------------------------------------------------------------------------
SCRIPT = """
import numpy as np
from inclusion_sim import load_scenario
from inclusion_sim.delivery.policies import POLICY_PRESETS
from inclusion_sim.delivery.optimize import SolverOptions, schedule_week_optimal
from inclusion_sim.base.seeds import make_streams
scenario = load_scenario({path!r})
school = scenario.build_school(make_streams(scenario.seed)["roster"])
week = schedule_week_optimal(school, POLICY_PRESETS["hybrid"], scenario.params(),
                             np.random.default_rng(0),
                             options=SolverOptions(deterministic_time=0.3, polish_time=0.1))
print(week.sessions, sorted(week.unmet, key=repr), week.solver.upper_bound_minutes)
"""


def test_same_inputs_give_the_same_schedule_in_two_processes():
    code = SCRIPT.format(path=str(ROOT / "scenarios" / "small_elementary.toml"))
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    outputs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env=env, cwd=ROOT).stdout for _ in range(2)]
    assert outputs[0] == outputs[1] and "Session(" in outputs[0]


# -- unmet reasons come from the relaxation that fixes them ---------------------------------------
def reasons(school, policy):
    schedule = schedule_week_optimal(school, policy, Params(), rng(), options=QUICK)
    assert schedule.unmet
    explained = explain_unmet(school, policy, Params(), schedule, QUICK)
    assert sum(u.minutes for u in explained) == schedule.unmet_minutes()
    return {u.reason for u in explained}


ONE = Mandate("speech", 1, 30, 1)


def test_unmet_for_lack_of_minutes_needs_more_therapist_time():
    subjects = {("A", 1): [["ela", "math"]] * 5, ("B", 2): [["ela", "math"]] * 5}
    school = school_of(subjects, [("A", 1, [ONE]), ("B", 2, [ONE])],
                       [TherapistRecord("SLP", "speech", 30)])
    assert reasons(school, uniform("p", "pull_out")) == {"needs_more_therapist_time"}


def test_unmet_for_lack_of_relevant_lessons_needs_other_lessons():
    subjects = {("A", 1): [["ela", "math", "math"]] * 5}
    two = Mandate("speech", 2, 30, 3)
    school = school_of(subjects, [("A", 1, [two])], [TherapistRecord("SLP", "speech", 600, (0,))])
    assert reasons(school, uniform("q", "push_in")) == {"needs_non_relevant_lessons"}


def test_unmet_for_group_limits_needs_larger_groups():
    subjects = {("A", 1): [["ela", "lunch_recess"]] * 5}
    school = school_of(subjects, [("A", 1, [ONE]), ("A", 1, [ONE])],
                       [TherapistRecord("SLP", "speech", 600, (0,))])
    assert reasons(school, uniform("p", "pull_out")) == {"needs_larger_groups"}


def test_unmet_for_too_few_days_needs_more_days_on_site():
    subjects = {("A", 1): [["ela", "math"]] * 5}
    three = Mandate("speech", 3, 30, 1)
    school = school_of(subjects, [("A", 1, [three])], [TherapistRecord("SLP", "speech", 600, (0,))])
    assert reasons(school, uniform("p", "pull_out")) == {"needs_more_days_on_site"}


def test_greedy_shortfalls_that_fit_another_timetable_are_named():
    subjects = {("A", 1): [["ela", "math"]]}
    school = school_of(subjects, [("A", 1, [ONE]), ("A", 1, [ONE])],
                       [TherapistRecord("SLP", "speech", 600, (0,))])
    policy = Policy("p", {"speech": ServicePolicy("pull_out")})
    empty = dataclasses.replace(schedule_week(school, policy, Params(), rng()), sessions=[],
                                unmet=[Unmet(f"S{i}", "speech", "pull_out", 1, 30, "students_busy")
                                       for i in range(2)])
    explained = explain_unmet(school, policy, Params(), empty, QUICK)
    assert {u.reason for u in explained} == {"fits_another_timetable"}


def test_solver_report_summary_names_the_bound(small):
    school = build(small)
    week = schedule_week_optimal(school, POLICY_PRESETS["push_in"], small.params(), rng(),
                                 options=QUICK)
    text = week.solver.summary()
    assert f"{week.solver.mandated_minutes:,} mandated minutes" in text
    assert all(isinstance(s, Session) for s in week.sessions)


# -- the second step's neighbourhood search -------------------------------------------------------
def objective_of(proto, values):
    """The model's objective (as maximized) at a full assignment."""
    obj = proto.objective
    total = sum(c * values[v] for v, c in zip(obj.vars, obj.coeffs, strict=True))
    return -total if obj.scaling_factor < 0 else total


@pytest.mark.parametrize("policy_name", ["hybrid", "push_in_collaborative"])
def test_neighbourhood_search_improves_the_week_and_keeps_its_minutes(small, policy_name):
    """From the greedy's week, one round of neighbourhoods raises the second step's objective.

    Minutes never drop (the floor holds), the budget is kept to within one neighbourhood's
    limit, the fixing constraint is lifted afterwards, and a whole week whose second step runs
    the search passes the independent checker.
    """
    from inclusion_sim.delivery import optimize as opt

    school, params = build(small), small.params()
    policy = POLICY_PRESETS[policy_name]
    inst = opt._Instance(school, policy, params, SolverOptions())
    service = max({r.service for r in inst.reqs},
                  key=lambda x: sum(r.sessions * r.minutes for r in inst.reqs if r.service == x))
    part = inst.part([service])
    greedy = [x for x in schedule_week(school, policy, params, rng()).sessions
              if x.service == service]
    model = opt._Model(part)
    model.secondary_objective(opt._minutes_of(part, greedy) // model.unit)
    model.hint(greedy)
    proto = model.model.proto
    start = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
    found, spent = opt._neighbourhood_search(model, SolverOptions(), 1.0)
    assert found is not None and spent <= 1.0 + opt.NEIGHBOURHOOD_TIME
    assert objective_of(proto, found.values) > objective_of(proto, start)
    sessions, _ = model.read(found)
    assert opt._minutes_of(part, sessions) >= opt._minutes_of(part, greedy)
    week = schedule_week_optimal(school, policy, params, rng(), options=QUICK)
    assert check_schedule(school, policy, params, week) == []
    last = proto.constraints[len(proto.constraints) - 1]
    assert len(last.bool_and.literals) == 0  # the fixing is lifted afterwards


def test_the_whole_model_second_step_can_still_be_chosen(small):
    """With the neighbourhood search off, the small school's hybrid week is proven best.

    Both ways keep the first step's minutes and bound; only the second step differs.
    """
    school, params = build(small), small.params()
    policy = POLICY_PRESETS["hybrid"]
    fast = schedule_week_optimal(school, policy, params, rng(),
                                 options=SolverOptions(polish_time=2.0))
    whole = schedule_week_optimal(school, policy, params, rng(),
                                  options=SolverOptions(polish_time=2.0, neighbourhood_search=False))
    for week in (fast, whole):
        assert check_schedule(school, policy, params, week) == []
    assert fast.solver.scheduled_minutes == whole.solver.scheduled_minutes
    assert fast.solver.upper_bound_minutes == whole.solver.upper_bound_minutes
    assert whole.solver.secondary_status == "OPTIMAL"
    assert fast.solver.secondary_status == "FEASIBLE"
