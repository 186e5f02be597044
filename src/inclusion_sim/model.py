"""The school model: a Mesa model whose step is one timetable slot.

Order of operations in `SchoolModel.step` (fixed; see `inclusion_sim.mechanisms`):

1. sessions and locations (read from the weekly plan);
2. resistance: refusals and after-school absences;
3. therapy dose: mastery and carry-over of session members;
4. instruction: growth in core lessons, missed minutes and backlog;
5. teacher practice in relevant lessons;
6. teacher learning from pushed-in sessions observed;
7. peer modeling in relevant lessons;
8. spill-over of a pushed-in therapist to classmates;
9. stigma from visible support;
10. ledger of minutes.

The first step of each week books the week's mandated and scheduled minutes and draws its
uniforms. At the end of each day belonging and engagement are recomputed from stigma; at the end
of each week the backlog is partly caught up, stigma fades, teachers adopt or drop strategies,
and the weekly time series is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import mesa
import numpy as np

from .agents import Student, Teacher, Therapist
from .mechanisms import (
    instruction,
    ledger,
    peer_modeling,
    resistance,
    spillover,
    stigma,
    teacher_learning,
    teacher_practice,
    therapy,
)
from .mechanisms.sessions import SETTING_CODES, build_week_plan
from .outcomes import RunResult, collect, student_snapshot, weekly_row
from .params import MECHANISMS, Params
from .policies import Policy, preset
from .school.scheduling import WeeklySchedule, schedule_week
from .school.world import CORE_SUBJECTS, SERVICES, School
from .seeds import STREAMS, make_streams  # noqa: F401  (re-exported)
from .state import LOCATIONS, initial_students, initial_teachers, make_friendships

if TYPE_CHECKING:
    from .scenario import Scenario


class SchoolModel(mesa.Model):
    """A school under a delivery policy, stepped one timetable slot at a time.

    Args:
        scenario: A loaded scenario; supplies the school, policy, parameters and weeks unless
            they are given explicitly.
        school: A ready school (overrides the scenario's).
        policy: A `Policy` or a preset name (overrides the scenario's).
        params: Parameter values (overrides the scenario's).
        seed: The run's seed; the same seed gives the same school and the same draws under
            every policy.
        weeks: School weeks to run with `run`.
        mechanisms: Mechanisms switched on (default: all of `inclusion_sim.params.MECHANISMS`,
            minus those the scenario switches off).
    """

    def __init__(self, scenario: Scenario | None = None, *, school: School | None = None,
                 policy: Policy | str | None = None, params: Params | None = None,
                 seed: int | None = None, weeks: int | None = None,
                 mechanisms: Iterable[str] | None = None):
        if seed is None:
            seed = scenario.seed if scenario is not None else 0
        super().__init__(rng=seed)
        self.seed = int(seed)
        streams = make_streams(self.seed)
        if school is None:
            if scenario is None:
                raise ValueError("SchoolModel needs a scenario or a school")
            school = scenario.build_school(streams["roster"])
        if isinstance(policy, str):
            policy = preset(policy)
        if policy is None:
            policy = scenario.policy() if scenario is not None else preset("pull_out")
        if params is None:
            params = scenario.params() if scenario is not None else Params()
        if mechanisms is None:
            mechanisms = scenario.mechanisms() if scenario is not None else MECHANISMS
        self.school = school
        self.policy = policy
        self.params = params
        self.mechanisms = frozenset(mechanisms)
        self.weeks = int(weeks if weeks is not None else (scenario.weeks if scenario else 36))

        friends = make_friendships(school, streams["friendships"])
        self.state = initial_students(school, streams["initial_state"], friends)
        self.teacher_state = initial_teachers(len(school.classes))
        self.schedule: WeeklySchedule = schedule_week(school, policy, params, streams["schedule"])
        self._refusal_stream = streams["refusal"]
        self._attendance_stream = streams["attendance"]
        self._build_derived()
        self._create_agents(friends)

        self.week = 0
        self.day = 0
        self.slot = 0
        self.days_elapsed = 0
        self._slot_in_week = 0
        self.weekly: dict[str, list[float]] = {}
        self.history: dict[str, list[np.ndarray]] = {}
        self._record_week()

    # -- construction -----------------------------------------------------------------------
    def _build_derived(self) -> None:
        st, school, p = self.state, self.school, self.params
        self.iep = np.flatnonzero(st.has_iep)
        self.iep_position = np.full(st.n, -1, dtype=np.int64)
        self.iep_position[self.iep] = np.arange(len(self.iep))
        self.plans = build_week_plan(school, self.schedule, st.class_index, self.iep, st.need, p,
                                     self.mechanisms)
        self.slots_per_day = self.schedule.slots_per_day
        self.slots_per_week = len(self.plans)
        self._any_relevant = [bool(plan.iep_relevant.any()) for plan in self.plans]
        self._any_core = [bool(plan.instruction_minutes.any()) for plan in self.plans]

        tt = school.timetable
        core_week = np.zeros(len(school.classes))
        for c, klass in enumerate(school.classes):
            subjects = np.asarray(tt.subjects[klass.id], dtype=object)
            core_week[c] = (tt.period_minutes * np.isin(subjects, list(CORE_SUBJECTS))).sum()
        self.growth_rate = instruction.growth_per_minute(core_week[st.class_index], st.has_iep, p)
        class_size = np.bincount(st.class_index, minlength=len(school.classes)).astype(float)
        class_need = np.zeros((len(school.classes), len(SERVICES)))
        np.add.at(class_need, st.class_index, st.need)
        others = np.maximum(class_size[st.class_index] - 1, 1)[:, None]
        skilled = class_size[st.class_index][:, None] - class_need[st.class_index]
        self.peer_share = (skilled / others)[self.iep]
        self.class_needs = class_need > 0
        self.spill_weight = spillover.weakness_weight(st.baseline, p)
        self.focus, self.generalization = therapy.setting_factors(
            p, "setting_efficacy" in self.mechanisms)
        self.in_class_generalization = self.generalization[SETTING_CODES["push_in"]]
        st.belonging, st.engagement = stigma.belonging_and_engagement(st.stigma,
                                                                      st.belonging_base, p)
        self.engagement_base = st.engagement.copy()
        self.weekly_mandate = np.zeros((st.n, len(SERVICES)))
        for i, s in enumerate(school.students):
            for m in s.mandates:
                self.weekly_mandate[i, SERVICES.index(m.service)] += m.weekly_minutes
        self.weekly_scheduled = self.schedule.scheduled_minutes(st.n)
        self.reinforced = np.zeros_like(self.teacher_state.use, dtype=bool)
        self.collaborative = np.zeros_like(self.reinforced)
        self.therapist_minutes = {k: np.zeros(len(school.therapists))
                                  for k in ("direct", "travel", "coplanning")}

    def _create_agents(self, friends: list[list[int]]) -> None:
        school = self.school
        self.student_agents = [Student(self, i, rec) for i, rec in enumerate(school.students)]
        for agent, links in zip(self.student_agents, friends, strict=True):
            agent.friends = [self.student_agents[j] for j in links]
        self.teacher_agents = [Teacher(self, c, rec) for c, rec in enumerate(school.teachers)]
        self.therapist_agents = [Therapist(self, t, rec)
                                 for t, rec in enumerate(school.therapists)]

    # -- the clock --------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one slot (a timetable period or an after-school slot)."""
        k = self._slot_in_week
        if k == 0:
            self._start_week()
        plan = self.plans[k]
        st, p, on = self.state, self.params, self.mechanisms

        if len(plan.member):
            member, domain, setting = plan.member, plan.member_domain, plan.member_setting
            pos = self.iep_position[member]
            minutes = resistance.resolve_sessions(
                setting, plan.member_minutes, st.stigma[member], plan.member_favourite,
                self._u_refusal[k, pos], self._u_attendance[k, pos], p, "resistance" in on)
            hours = minutes.delivered * self.focus[setting] * st.engagement[member] / 60.0
            st.mastery[member, domain], st.carryover[member, domain] = therapy.dose(
                st.mastery[member, domain], st.carryover[member, domain], hours,
                self.generalization[setting], p)
            ledger.record_sessions(st.delivered, st.wasted, st.absent, st.refusals,
                                   st.sessions_attended, member, domain, minutes)

        if self._any_core[k]:
            rate = instruction.learning_multiplier(
                st.engagement, self.engagement_base, st.skill_gap(), st.initial_gap, st.backlog, p)
            st.academic_growth += plan.instruction_minutes * self.growth_rate * rate
        if len(plan.missed):
            instruction.add_missed(st.backlog, st.core_missed, st.other_missed, plan.missed,
                                   plan.missed_minutes, plan.missed_core)

        if self._any_relevant[k]:
            self._practice_in_lessons(plan)

        if plan.pushins and "teacher_learning" in on:
            ts = self.teacher_state
            teacher_learning.observe(ts.knowledge, ts.observed, self.reinforced,
                                     self.collaborative, plan.pushins, p)

        if len(plan.spill) and "spillover" in on:
            gain = spillover.gain(plan.spill_minutes, self.spill_weight[plan.spill], p)
            st.academic_growth[plan.spill] += gain
            st.spillover_growth[plan.spill] += gain

        if "stigma" in on:
            stigma.raise_stigma(st.stigma, st.grade, plan.removed_visibly,
                                p.stigma_per_removal, p)
            stigma.raise_stigma(st.stigma, st.grade, plan.supported_in_class,
                                p.stigma_per_push_in, p)

        self._advance_clock()

    def _practice_in_lessons(self, plan) -> None:
        """Teacher practice (mechanism 5) and peer modeling (mechanism 7) for IEP students."""
        st, p, on, iep = self.state, self.params, self.mechanisms, self.iep
        relevant = plan.iep_relevant
        mastery, carryover = st.mastery[iep], st.carryover[iep]
        if "teacher_practice" in on:
            use = self.teacher_state.use[st.class_index[iep]]
            hours = teacher_practice.practice_hours(use, plan.iep_teacher_relevant,
                                                    st.engagement[iep], p)
            if hours.any():
                mastery, carryover = therapy.dose(mastery, carryover, hours,
                                                  self.in_class_generalization, p)
                st.practice[iep] += hours * 60.0
        if "peer_modeling" in on:
            exposure = peer_modeling.modeling_hours(relevant, self.peer_share, st.belonging[iep],
                                                    plan.minutes, p)
            carryover = peer_modeling.apply(mastery, carryover, exposure)
        st.mastery[iep], st.carryover[iep] = mastery, carryover

    def _advance_clock(self) -> None:
        self._slot_in_week += 1
        self.slot += 1
        if self.slot == self.slots_per_day:
            self.slot = 0
            self.day += 1
            self.days_elapsed += 1
            st = self.state
            st.belonging, st.engagement = stigma.belonging_and_engagement(
                st.stigma, st.belonging_base, self.params)
        if self._slot_in_week == self.slots_per_week:
            self._end_week()

    def _start_week(self) -> None:
        """Book the week's minutes and draw its uniforms (one per IEP student and slot).

        Called by the week's first step, so a model paused between weeks (or collected after
        `run(weeks=k)`) has booked exactly the weeks it ran.
        """
        st = self.state
        ledger.book_week(st.mandated, st.scheduled, self.weekly_mandate, self.weekly_scheduled)
        shape = (self.slots_per_week, len(self.iep))
        self._u_refusal = self._refusal_stream.random(shape)
        self._u_attendance = self._attendance_stream.random(shape)
        for load_index, load in enumerate(self.schedule.load):
            self.therapist_minutes["direct"][load_index] += load.direct
            self.therapist_minutes["travel"][load_index] += load.travel
            self.therapist_minutes["coplanning"][load_index] += load.coplanning
        for _, klass in self.schedule.coplanning_pairs:
            self.teacher_state.coplanning[klass] += self.params.coplanning_minutes

    def _end_week(self) -> None:
        st, ts, p = self.state, self.teacher_state, self.params
        instruction.catch_up(st.backlog, p)
        if "stigma" in self.mechanisms:
            stigma.fade(st.stigma, p)
        st.belonging, st.engagement = stigma.belonging_and_engagement(st.stigma,
                                                                      st.belonging_base, p)
        if "teacher_learning" in self.mechanisms:
            teacher_learning.adopt_and_fade(ts.knowledge, ts.use, self.reinforced,
                                            self.collaborative, p)
        self.reinforced[:] = False
        self.collaborative[:] = False
        self.week += 1
        self.day = 0
        self._slot_in_week = 0
        self._record_week()

    def _record_week(self) -> None:
        """Append this week's school-level row and per-student snapshot."""
        for key, value in weekly_row(self).items():
            self.weekly.setdefault(key, []).append(value)
        for key, value in student_snapshot(self).items():
            self.history.setdefault(key, []).append(value)

    # -- helpers for people ------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        """True once `weeks` weeks have run."""
        return self.week >= self.weeks

    def run_day(self) -> None:
        """Run to the end of the current school day (including after-school slots)."""
        target = self.days_elapsed + 1
        while self.days_elapsed < target and not self.finished:
            self.step()

    def run_week(self) -> None:
        """Run to the end of the current week."""
        week = self.week
        while self.week == week and not self.finished:
            self.step()

    def run(self, weeks: int | None = None) -> RunResult:
        """Run `weeks` weeks (default: to the end of the scenario's year) and collect outcomes."""
        target = self.weeks if weeks is None else min(self.week + weeks, self.weeks)
        while self.week < target:
            self.run_week()
        return collect(self)

    def where(self, student: int, day: int, slot: int) -> str:
        """Where a student is in a slot of the (repeating) week."""
        return LOCATIONS[int(self.plans[day * self.slots_per_day + slot].location[student])]
