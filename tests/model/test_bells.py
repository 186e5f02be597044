"""A K-8 school's middle grades ring their own bell: therapists are scheduled by clock time.

The greedy, the optimizer and the independent check all read a session's time in the bell of
its students' class; a therapist who serves both bells is never in two places at once, and a
middle-grade student's lesson minutes are its own bell's.
"""

import numpy as np
import pytest

from inclusion_sim import Params
from inclusion_sim.base.seeds import make_streams
from inclusion_sim.delivery.optimize import SolverOptions, schedule_week_optimal
from inclusion_sim.delivery.plan import build_week_plan
from inclusion_sim.delivery.policies import POLICY_PRESETS, uniform
from inclusion_sim.delivery.schedule_check import check_schedule
from inclusion_sim.delivery.scheduling import (
    AFTER_SCHOOL_MINUTES,
    Session,
    WeeklySchedule,
    schedule_week,
    therapist_load,
)
from inclusion_sim.school.generate import SchoolSettings, StaffGroup, generate_school
from inclusion_sim.school.master_schedule import MasterScheduleSettings
from inclusion_sim.school.world import (
    Bell,
    ClassRecord,
    Mandate,
    School,
    StudentRecord,
    TeacherRecord,
    TherapistRecord,
    Timetable,
)

pytest.importorskip("ortools")

QUICK = SolverOptions(deterministic_time=0.3, polish_time=0.05)
STAFF = (StaffGroup("speech", 1, 900), StaffGroup("setss", 1, 1200), StaffGroup("ot", 1, 600))


def k8_like(middle_bell: str = "own") -> School:
    """Grades 5-7, one class each: grade 5 elementary, grades 6 and 7 departmentalized."""
    settings = SchoolSettings(grades=(5, 6, 7), classes_per_grade=1, class_size=12,
                              iep_prevalence=0.6, staff=STAFF,
                              master_schedule=MasterScheduleSettings(middle_bell=middle_bell))
    return generate_school(settings, np.random.default_rng(4))


def clock_intervals(school: School, schedule: WeeklySchedule) -> dict:
    """Per (therapist, day), each session's (start, end) read straight from the bell arrays."""
    tt = school.timetable
    by_class = {c.id: c for c in school.classes}
    starts = {"main": tt.period_starts if tt.period_starts is not None else
              8 * 60 + 30 + np.concatenate([np.zeros((tt.days, 1), int),
                                            np.cumsum(tt.period_minutes, axis=1)[:, :-1]], axis=1)}
    minutes = {"main": tt.period_minutes}
    for name, bell in tt.bells.items():
        starts[name], minutes[name] = bell.starts, bell.minutes
    out: dict = {}
    for s in schedule.sessions:
        klass = by_class[school.students[s.students[0]].class_id].id
        bell = tt.bell_of.get(klass, "main")
        if s.slot < tt.periods:
            a = int(starts[bell][s.day, s.slot])
            b = a + int(minutes[bell][s.day, s.slot])
        else:  # after school: after the last bell of the day
            end = max(int(starts[x][s.day, -1] + minutes[x][s.day, -1]) for x in starts)
            a = end + (s.slot - tt.periods) * AFTER_SCHOOL_MINUTES
            b = a + AFTER_SCHOOL_MINUTES
        out.setdefault((s.therapist, s.day), []).append((a, b))
    return out


def test_middle_grades_ring_a_bell_whose_periods_do_not_line_up():
    school = k8_like()
    tt = school.timetable
    middle = {c.id for c in school.classes if c.grade in (6, 7)}
    assert set(tt.bell_of) == middle and not tt.single_bell
    elementary = next(c.id for c in school.classes if c.grade == 5)
    main_bounds = {tt.interval("main", 0, k)[0] for k in range(tt.periods)}
    mid_bounds = {tt.interval("middle", 0, k)[0] for k in range(tt.periods)}
    assert not main_bounds & mid_bounds  # no period starts at the same time in both bells
    assert tt.minutes_of(elementary).tolist() == tt.period_minutes.tolist()
    assert (tt.minutes_of(next(iter(middle))) == 48).all()
    # Lessons are laid out as under one bell; only their times and lengths differ.
    shared = k8_like("shared")
    assert shared.timetable.subjects == tt.subjects and shared.timetable.single_bell
    assert [s.mandates for s in shared.students] == [s.mandates for s in school.students]


@pytest.mark.parametrize("policy_name", ["pull_out", "push_in", "hybrid", "after_school"])
def test_schedules_keep_every_therapist_in_one_place_by_the_clock(policy_name):
    school, params = k8_like(), Params()
    policy = POLICY_PRESETS[policy_name]
    greedy = schedule_week(school, policy, params, np.random.default_rng(0))
    optimal = schedule_week_optimal(school, policy, params, np.random.default_rng(0),
                                    options=QUICK)
    bells_used = set()
    for schedule in (greedy, optimal):
        assert check_schedule(school, policy, params, schedule) == []
        for times in clock_intervals(school, schedule).values():
            times.sort()
            assert all(b[0] >= a[1] for a, b in zip(times, times[1:], strict=False)), times
        bells_used |= {school.timetable.bell_for(school.students[s.students[0]].class_id)
                       for s in schedule.sessions}
        assert schedule.sessions
    if policy_name != "after_school":
        assert bells_used == {"main", "middle"}


def test_a_shared_bell_schedule_would_clash_under_the_middle_bell():
    """The same sessions by period index are no longer a valid week once the bells differ."""
    own, shared = k8_like(), k8_like("shared")
    policy, params = POLICY_PRESETS["push_in"], Params()
    week = schedule_week_optimal(shared, policy, params, np.random.default_rng(0), options=QUICK)
    assert check_schedule(shared, policy, params, week) == []
    clashes = [p for p in check_schedule(own, policy, params, week) if "same time" in p]
    assert clashes


def test_a_middle_grade_student_misses_its_own_bells_minutes():
    school, params = k8_like(), Params()
    policy = POLICY_PRESETS["pull_out"]
    schedule = schedule_week(school, policy, params, np.random.default_rng(0))
    class_of = school.class_index()
    class_index = np.array([class_of[s.class_id] for s in school.students])
    iep = np.flatnonzero([s.has_iep for s in school.students])
    need = np.ones((len(school.students), 5), dtype=bool)
    plans = build_week_plan(school, schedule, class_index, iep, need, params)
    seen = {"main": 0, "middle": 0}
    for plan in plans:
        if not plan.in_school:
            continue
        for k, i in enumerate(plan.member):
            klass = school.students[i].class_id
            bell = school.timetable.bell_for(klass)
            period = int(school.timetable.minutes_of(klass)[plan.day, plan.slot])
            assert plan.student_minutes[i] == period
            expected = min(period, plan.member_minutes[k] + 2 * params.transition_minutes)
            assert plan.member_missed_minutes[k] == expected
            seen[bell] += 1
    assert seen["main"] and seen["middle"]
    # A 45-minute SETSS session and the walk take the whole 48-minute middle-grade period.
    middle_setss = [plan.member_missed_minutes[k] for plan in plans if plan.in_school
                    for k, i in enumerate(plan.member)
                    if school.timetable.bell_for(school.students[i].class_id) == "middle"
                    and plan.member_minutes[k] == 45]
    assert middle_setss and set(middle_setss) == {48}


# -- two bells by hand ------------------------------------------------------------------------
def two_bell_school(open_periods: tuple[int, int] = (0, 1, 2)) -> School:
    """One elementary class E (8:30, 45-minute periods back to back) and one middle class M
    (7:45, 45-minute periods with 5 minutes' passing), one speech therapist.

    `open_periods` are the periods (of E, of M) a student may be pulled out of; the others are
    lunch. Periods: E 8:30-9:15, 9:15-10:00, 10:00-10:45; M 7:45-8:30, 8:35-9:20, 9:25-10:10.
    """
    days, periods = 1, 3
    main = np.full((days, periods), 45)
    middle = Bell("Middle", np.full((days, periods), 45), np.array([[465, 515, 565]]))
    classes = [ClassRecord("E", 5, "TE"), ClassRecord("M", 6, "TM")]
    speech = (Mandate("speech", 1, 30, 1),)
    students = [StudentRecord("S1", "E", 5, speech), StudentRecord("S2", "M", 6, speech)]
    subjects = {c: [["specials" if k == p else "lunch_recess" for k in range(periods)]]
                for c, p in zip("EM", open_periods, strict=False)}
    return School("two bells", classes, [TeacherRecord("TE", "E"), TeacherRecord("TM", "M")],
                  [TherapistRecord("SLP", "speech", 600, (0,))], students,
                  Timetable(main, subjects, bells={"middle": middle}, bell_of={"M": "middle"}))


def week_of(school: School, elementary: int, middle: int) -> WeeklySchedule:
    """The therapist sees E's student in period `elementary` and M's in period `middle`."""
    sessions = [Session(0, "speech", (i,), 0, k, "pull_out", "", -1, 30)
                for i, k in enumerate((elementary, middle))]
    load, pairs = therapist_load(school, sessions, 0, 0)
    return WeeklySchedule(sessions, [], load, 3, 3, pairs)


def test_check_catches_an_overlap_across_bells_with_no_shared_period():
    school, policy = two_bell_school((0, 1)), uniform("pull_out", "pull_out")
    # E's period 1 (8:30-9:15) and M's period 2 (8:35-9:20).
    problems = check_schedule(school, policy, Params(), week_of(school, 0, 1))
    assert len(problems) == 1 and "same time" in problems[0] and "8:30-9:15" in problems[0]


def test_check_accepts_back_to_back_sessions_across_bells():
    school, policy = two_bell_school((0, 0)), uniform("pull_out", "pull_out")
    # M's period 1 (7:45-8:30), then E's period 1 (8:30-9:15): the same period number.
    assert check_schedule(school, policy, Params(), week_of(school, 0, 0)) == []


@pytest.mark.parametrize(("open_periods", "fits"), [((0, 0), 2), ((0, 1), 1)])
def test_schedulers_go_by_the_clock_not_the_period_number(open_periods, fits):
    """Same period number, back to back: both sessions fit. Different period numbers that
    overlap: only one does (a scheduler going by period numbers would get both wrong)."""
    school = two_bell_school(open_periods)
    policy, params = uniform("pull_out", "pull_out"), Params()
    for schedule in (schedule_week(school, policy, params, np.random.default_rng(0)),
                     schedule_week_optimal(school, policy, params, np.random.default_rng(0),
                                           options=QUICK)):
        assert check_schedule(school, policy, params, schedule) == []
        assert len(schedule.sessions) == fits
        assert schedule.unmet_minutes() == 30 * (2 - fits)


def test_scenario_k8_runs_with_two_bells():
    from pathlib import Path

    from inclusion_sim.scenario import load_scenario

    root = Path(__file__).resolve().parents[2]
    scenario = load_scenario(root / "scenarios" / "k8_school.toml")
    school = scenario.build_school(make_streams(scenario.seed)["roster"])
    assert school.timetable.bell_names() == ["main", "middle"]
    assert {c.grade for c in school.classes if c.id in school.timetable.bell_of} == {6, 7, 8}


def test_timetables_people_read_show_clock_times_in_time_order():
    from inclusion_sim.faces.timetables import class_week, therapist_timetable, timetables_html

    school = two_bell_school((0, 0))
    policy, params = uniform("pull_out", "pull_out"), Params()
    week = schedule_week(school, policy, params, np.random.default_rng(0))
    rows = therapist_timetable(school, week)
    # Both sessions are "period 1"; the middle one (7:45) comes first, with its bell named.
    assert rows["period"].tolist() == [1, 1]
    assert rows["period_label"].tolist() == ["Period 1, 7:45–8:30, middle",
                                             "Period 1, 8:30–9:15, school bell"]
    classes = class_week(school, week)
    m = classes[classes["class"] == "M"]
    assert m["period_label"].tolist()[:3] == ["Period 1, 7:45–8:30, middle",
                                              "Period 2, 8:35–9:20, middle",
                                              "Period 3, 9:25–10:10, middle"]
    page = timetables_html(school, week)
    assert "7:45–8:30" in page and page.index("7:45–8:30") < page.index("8:30–9:15")
    # One bell: no clock times (the school's files give lengths, not times).
    single = k8_like("shared")
    plain = therapist_timetable(single, schedule_week(single, policy, params,
                                                      np.random.default_rng(0)))
    assert plain["period_label"].str.fullmatch(r"Period \d+").all()


def test_same_week_make_ups_find_therapists_free_by_the_clock():
    """A make-up is booked only where its therapist has no session at that clock time.

    (Booked by period number instead, 26 of this run's 94 make-ups would overlap another
    session of their therapist.)
    """
    from inclusion_sim.model.school_model import SchoolModel
    from inclusion_sim.scenario import from_dict

    scenario = from_dict({
        "scenario": {"seed": 1, "weeks": 10},
        "school": {"grades": [5, 6, 7], "classes_per_grade": 2, "class_size": 14,
                   "iep_prevalence": 0.6},
        "staff": [{"discipline": "speech", "minutes_per_week": 1500},
                  {"discipline": "setss", "minutes_per_week": 1500},
                  {"discipline": "ot", "minutes_per_week": 900}],
        "policy": {"preset": "pull_out", "makeup": "same_week"},
        "disruptions": {"student_absence": True, "therapist_duties": True,
                        "therapist_absence": True},
    })
    model = SchoolModel.from_scenario(scenario, scheduling="greedy")
    assert model.bell_clock is not None
    model.run()
    school, tt = model.school, model.school.timetable
    per_day = model.slots_per_day

    def span(slot_in_week: int, student: int) -> tuple[int, int, int]:
        day, period = divmod(slot_in_week, per_day)
        return (day, *tt.interval(tt.bell_for(school.students[student].class_id), day, period))

    weekly = [(s.therapist, span(s.day * per_day + s.slot, s.students[0]))
              for s in model.schedule.sessions]
    checked = 0
    by_week: dict = {}
    for week, slot, booked, _ in model.makeup_log:
        for t, student in zip(booked.therapist.tolist(), booked.student.tolist(), strict=True):
            by_week.setdefault(week, set()).add((t, span(slot, student)))
    for made in by_week.values():
        for t, (day, a, b) in made:
            others = [x for u, x in weekly if u == t] + [x for u, x in made
                                                        if u == t and x != (day, a, b)]
            clashes = [(d, a2, b2) for d, a2, b2 in others if d == day and a2 < b and a < b2]
            assert not clashes, (t, day, a, b, clashes)
            checked += 1
    assert checked > 0


def test_unmet_reasons_are_found_with_two_bells():
    """Relaxing one rule at a time (including a restaggered timetable) works on two bells."""
    from inclusion_sim.delivery.optimize import explain_unmet, with_explained_unmet
    from inclusion_sim.school.master_schedule import restaggered

    school, params = k8_like(), Params()
    policy = POLICY_PRESETS["push_in_collaborative"]
    week = schedule_week_optimal(school, policy, params, np.random.default_rng(0), options=QUICK)
    assert week.unmet_minutes() > 0
    unmet = explain_unmet(school, policy, params, week, QUICK,
                          stagger=lambda s: restaggered(s, seed=1))
    assert sum(u.minutes for u in unmet) == week.unmet_minutes()
    assert check_schedule(school, policy, params, with_explained_unmet(week, unmet)) == []
    assert restaggered(school).timetable.bell_of == school.timetable.bell_of
