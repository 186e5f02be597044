"""The school model: a Mesa model whose step is one timetable slot.

It takes one resolved `RunConfig` (school, policy, parameters, mechanisms, weeks, seed) and never
reads a scenario. What happens in a step is the step table of `inclusion_sim.model.steps`; the
model only keeps the state, runs the table's rows phase by phase, and moves the clock.

Order of operations (generated from `inclusion_sim.model.steps.STEPS`):

    Once, when the model is built:

    1. setting_efficacy: Sessions get their setting's focus and in-class generalization (without it
       every setting gets 1). (switch: setting_efficacy)
    2. missed_instruction: Pulled-out students miss the session and the walk; pushed-in students
       miss the share of the lesson spent on the therapist's task, smaller when co-taught (without
       it nobody misses lesson time). (switch: missed_instruction)
    3. lesson_disruption: A therapist working in a core lesson disrupts it for the whole class; so
       do students leaving for, and coming back from, a pull-out session. (switch: spillover)
    4. weekly_plan: The weekly schedule becomes a plan of every slot: who is in which session, who
       is out of class, which lessons are relevant to which service.
    5. chronic_absence: Some students with IEPs are drawn into the chronically absent group, once.
       (switch: student_absence)

    At the start of every week:

    6. cycle_week: Under a 3:1 service, every fourth week is its indirect week: the service's
       sessions are not held, nor mandated.
    7. book_week: The week's mandated and scheduled minutes are booked in the minutes ledger.
    8. draw_uniforms: One refusal and one attendance draw per student with an IEP and slot, whether
       or not a session happens, so every policy meets the same draws.
    9. staff_time: Therapists' session, travel and co-planning minutes and teachers' co-planning
       minutes are booked.
    10. consultation: Every therapist consults the teachers of the classes with students on their
        caseload, whatever the policy; teachers learn the strategies discussed. (switch:
        consultation)
    11. student_absence: Each student with an IEP is absent on some days of the week (more often in
        the chronically absent group); their sessions those days are lost. (switch: student_absence)
    12. therapist_absence: Each therapist is out on some days; without a substitute their sessions
        those days are cancelled. (switch: therapist_absence)
    13. school_events: Some days are school-wide events or testing days on which no session is held.
        (switch: school_events)
    14. therapist_duties: Each therapist's evaluations, IEP meetings and paperwork vary by week; the
        hours above the average are taken from that week's sessions. (switch: therapist_duties)
    15. consultation_service: Where the policy makes consultation with the teacher a service, the
        therapist spends its minutes with each teacher on the caseload; with feedback on the
        teacher's practice, strategies enter use faster.
    16. indirect_week: In a 3:1 indirect week the service's therapists spend part of the freed time
        consulting the teachers of the classes on their caseload.
    17. plan_makeups: Sessions this week's disruptions cancel are booked for make-up where the
        service's policy says so: later in the week where therapist and student are free, or in the
        3:1 indirect week.

    Every slot (a timetable period or an after-school slot):

    18. attendance: Session members attend; after-school sessions can be missed altogether.
    19. cancel_sessions: Sessions hit by this week's disruptions are cancelled and booked as lost,
        with the cause (does nothing when every disruption is off).
    20. refusal: Present members may refuse, more often with stigma or in a favourite period, in any
        setting; a refused session is lost and the student stays in the lesson. (switch: resistance)
    21. take_part: Members who attend and do not refuse leave the room or work with the therapist;
        the lesson minutes they miss, the relevant lessons they are in and who is seen getting help
        follow.
    22. makeup_refusal: A make-up session booked for this slot may be refused like any pull-out
        session (its own random stream); a refused make-up is not made up again. (switch:
        resistance)
    23. make_up: Make-up sessions booked for this slot are held in the therapy room, as pull-out
        sessions that may be refused; minutes held are delivered and counted as made up, and the
        student misses the lesson.
    24. absent_lessons: Students absent that day miss the lesson too: no growth, practice or peer
        modelling in it; its minutes are booked as lessons missed by absence, apart from lessons
        missed for therapy. (switch: student_absence)
    25. therapy: Delivered minutes, weighted by the setting's focus and the student's engagement,
        raise goal mastery and classroom carry-over.
    26. session_ledger: Delivered, wasted, absent and cancelled session minutes, and sessions lost
        by cause, are booked.
    27. instruction: Students in a core lesson grow academically at their grade's benchmark rate,
        slowed by disengagement.
    28. missed_lessons: Lesson minutes missed are counted, and missed core minutes join the backlog
        instead of giving growth.
    29. teacher_practice: Teachers who use a strategy give embedded practice in relevant lessons
        they teach. (switch: teacher_practice)
    30. peer_modeling: Skilled classmates model the skill in relevant lessons, more for students who
        belong. (switch: peer_modeling)
    31. teacher_observation: Teachers present at a pushed-in session learn the therapist's
        strategies. (switch: teacher_learning)
    32. spillover: Classmates without an IEP gain from a therapist working in their core lesson.
        (switch: spillover)
    33. smaller_class: Classmates without an IEP gain from a smaller class while students are out
        for a pull-out session during a core lesson. (switch: spillover)
    34. stigma: Visible support (leaving the room, a therapist at the desk) raises felt stigma, more
        in older grades. (switch: stigma)

    At the end of every school day:

    35. belonging_engagement: Belonging and engagement follow stigma.

    At the end of every week:

    36. catch_up: Part of the backlog of missed core material is caught up, and gives the growth it
        would have given in the lesson.
    37. stigma_fade: Felt stigma fades. (switch: stigma)
    38. belonging_engagement: Belonging and engagement follow the faded stigma.
    39. teacher_adoption: Teachers adopt strategies they know and saw reinforced (fastest when co-
        teaching), and drop those no therapist reinforced that week. (switch: teacher_learning)

(End of the generated order of operations.)

The weekly time series is recorded after each week's last row, and at the start.
"""

from __future__ import annotations

from dataclasses import replace

import mesa
import numpy as np

from inclusion_sim.base.seeds import make_streams
from inclusion_sim.delivery import indirect
from inclusion_sim.delivery.equal_dose import equal_dose_schedule, withheld_minutes
from inclusion_sim.delivery.plan import (
    SETTING_CODES,
    SlotPlan,
    Whereabouts,
    build_week_plan,
    locate,
)
from inclusion_sim.delivery.schedulers import make_schedule
from inclusion_sim.delivery.scheduling import WeeklySchedule
from inclusion_sim.model.agents import Student, Teacher, Therapist
from inclusion_sim.model.mechanisms import instruction, makeup, spillover, stigma, therapy
from inclusion_sim.model.outcomes import (
    RunResult,
    collect,
    practice_cells,
    student_snapshot,
    weekly_row,
)
from inclusion_sim.model.state import initial_students, initial_teachers, make_friendships
from inclusion_sim.model.steps import active_steps
from inclusion_sim.scenario.config import RunConfig, resolve
from inclusion_sim.school.world import CORE_SUBJECTS, SERVICES


class SchoolModel(mesa.Model):
    """A school under a delivery policy, stepped one timetable slot at a time.

    Args:
        config: The resolved run (see `inclusion_sim.scenario.resolve`): school, policy,
            parameters, mechanisms switched on, weeks and seed. The same seed gives the same
            draws under every policy.
    """

    def __init__(self, config: RunConfig):
        super().__init__(rng=config.seed)
        self.config = config
        self.seed = config.seed
        self.school = config.school
        self.policy = config.policy
        self.params = config.params
        self.mechanisms = config.mechanisms
        self.disruptions = config.disruptions
        self.weeks = config.weeks
        self.streams = make_streams(self.seed)
        self.step_table = active_steps(self.mechanisms | self.disruptions)

        friends = make_friendships(self.school, self.streams["friendships"])
        self.state = initial_students(self.school, self.streams["initial_state"], friends)
        self.teacher_state = initial_teachers(len(self.school.classes))
        if config.equal_dose:
            self.schedule: WeeklySchedule = equal_dose_schedule(
                self.school, self.policy, self.params, config.equal_dose,
                lambda: make_streams(self.seed)["schedule"], config.scheduling)
        else:
            self.schedule = make_schedule(self.school, self.policy, self.params,
                                          self.streams["schedule"], config.scheduling)
        self._build_derived()
        for row in self.step_table["setup"]:
            row.run(self)
        self.in_class_generalization = self.generalization[SETTING_CODES["push_in"]]
        self._create_agents(friends)

        self.week = 0
        self.day = 0
        self.slot = 0
        self.days_elapsed = 0
        self.slot_in_week = 0
        self.session = None
        self.presence = None
        self.weekly: dict[str, list[float]] = {}
        self.history: dict[str, list[np.ndarray]] = {}
        self.ledger_weeks: list[tuple[np.ndarray, np.ndarray]] = []
        self._record_week()

    @classmethod
    def from_scenario(cls, scenario, **choices) -> SchoolModel:
        """A model of a scenario, with any of `inclusion_sim.scenario.resolve`'s choices.

        ``SchoolModel.from_scenario(scenario, policy="push_in", seed=3)`` is
        ``SchoolModel(resolve(scenario, policy="push_in", seed=3))``.
        """
        return cls(resolve(scenario, **choices))

    # -- construction -----------------------------------------------------------------------
    def _build_derived(self) -> None:
        """Arrays fixed for the whole run, computed once."""
        st, school, p = self.state, self.school, self.params
        self.iep = np.flatnonzero(st.has_iep)
        self.iep_position = np.full(st.n, -1, dtype=np.int64)
        self.iep_position[self.iep] = np.arange(len(self.iep))
        self.slots_per_day = self.schedule.slots_per_day
        self.slots_per_week = school.timetable.days * self.slots_per_day
        self.plan_options = {"missed_instruction": False, "disruption": False}
        self.plans: list[SlotPlan] = []

        tt = school.timetable
        # With several bells, make-ups find a therapist free by the clock, not by period.
        self.bell_clock = None if tt.single_bell else makeup.BellClock(
            [tt.bell_for(s.class_id) for s in school.students],
            lambda bell, day, period: [(other, k) for other in tt.bell_names()
                                       for k in tt.overlapping(bell, day, period, other)])
        core_week = np.zeros(len(school.classes))
        for c, klass in enumerate(school.classes):
            subjects = np.asarray(tt.subjects[klass.id], dtype=object)
            core_week[c] = (tt.minutes_of(klass.id)
                            * np.isin(subjects, list(CORE_SUBJECTS))).sum()
        own_core_week = core_week[st.class_index]
        self.growth_rate = instruction.growth_per_minute(own_core_week, st.grade, st.has_iep, p)
        class_size = np.bincount(st.class_index, minlength=len(school.classes)).astype(float)
        class_need = np.zeros((len(school.classes), len(SERVICES)))
        np.add.at(class_need, st.class_index, st.need)
        others = np.maximum(class_size[st.class_index] - 1, 1)[:, None]
        skilled = class_size[st.class_index][:, None] - class_need[st.class_index]
        self.peer_share = (skilled / others)[self.iep]
        self.class_needs = class_need > 0
        self.practice_cells = practice_cells(school, self.class_needs)
        weight = spillover.weakness_weight(st.baseline, p)
        self.spill_rate = spillover.second_adult_rate(own_core_week, weight, p)
        self.smaller_class_rate = spillover.smaller_class_rate(own_core_week, weight, p)
        therapists = np.bincount([SERVICES.index(t.discipline) for t in school.therapists],
                                 minlength=len(SERVICES))
        classes_served = np.maximum(self.class_needs.sum(axis=0), 1)
        self.consultation_per_class = self.class_needs * (
            therapists * p.consultation_minutes / classes_served)
        self.focus, self.generalization = therapy.setting_factors(p, False)
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
        self.consulted = np.zeros_like(self.reinforced)
        self.therapist_minutes = {k: np.zeros(len(school.therapists))
                                  for k in ("direct", "travel", "coplanning", "consultation",
                                            "consultation_service")}
        # Disruptions of the week (None: that disruption is off; see mechanisms.disruptions).
        self.disrupted = bool(self.disruptions)
        self.absence_rates: np.ndarray | None = None
        self.student_out: np.ndarray | None = None
        self.absent_by_day: list[np.ndarray] = []
        self.therapist_out: np.ndarray | None = None
        self.events: np.ndarray | None = None
        self.duty_cancel: np.ndarray | None = None
        self.direct_per_week = np.array([load.direct for load in self.schedule.load], float)
        self.used_per_week = np.array([load.used for load in self.schedule.load], float)
        self.contracted_per_week = np.array([t.minutes_per_week for t in school.therapists],
                                            float)
        self._build_year_policy()

    def _build_year_policy(self) -> None:
        """What the policy says about the weeks of the year: the 3:1 cycle and make-ups."""
        school, policy = self.school, self.policy
        per_service = [policy.for_service(s) for s in SERVICES]
        self.three_one = np.array([sp.cycle == "three_one" for sp in per_service])
        self.same_week = np.array([sp.makeup == "same_week" for sp in per_service])
        self.makeup_week = np.array([sp.makeup == "makeup_week" for sp in per_service])
        self.avoid_core = np.array([sp.avoid_core for sp in per_service])
        self.therapist_domain = np.array([SERVICES.index(t.discipline) for t in school.therapists],
                                         dtype=np.int64)
        self.on_site = np.zeros((len(school.therapists), school.timetable.days), dtype=bool)
        for t, th in enumerate(school.therapists):
            self.on_site[t, [d for d in th.days_on_site if d < school.timetable.days]] = True
        self.makeups: dict = {}
        self.makeup_refused: np.ndarray | None = None
        self.u_makeup_refusal: np.ndarray | None = None
        # (week, slot of the week, bookings, refused) of every make-up held or refused.
        self.makeup_log: list[tuple[int, int, object, np.ndarray]] = []
        self.max_group = np.zeros((self.state.n, len(SERVICES)), dtype=np.int64)
        for i, s in enumerate(school.students):
            for m in s.mandates:
                self.max_group[i, SERVICES.index(m.service)] = m.max_group
        self.indirect_week = False
        assistant = np.array([t.role == "assistant" for t in school.therapists], dtype=bool)
        self.provider_efficacy = (np.where(assistant, self.params.assistant_efficacy, 1.0)
                                  if assistant.any() else None)
        minutes = np.array([sp.consultation_minutes for sp in per_service])
        self.service_consultation = self.coached = None
        if minutes.any():
            # (classes, services) weekly minutes of consultation as a service, and each
            # therapist's share of their discipline's total.
            self.service_consultation = self.class_needs * minutes
            feedback = np.array([sp.consultation_feedback for sp in per_service])
            self.service_feedback = (self.service_consultation > 0) & feedback
            self.coached = np.zeros_like(self.service_feedback)
            # Each therapist's share of their discipline's minutes (kept out of the schedule).
            self.service_consultation_by_therapist = indirect.consultation_minutes(school,
                                                                                   policy)
        self.this_week_mandate = self.weekly_mandate
        self.this_week_scheduled = self.weekly_scheduled
        self.cycle_start_lost = np.zeros(self.weekly_mandate.shape)
        if self.three_one.any():
            held = [s for s in self.schedule.sessions
                    if not self.three_one[SERVICES.index(s.service)]]
            self.indirect_schedule = replace(self.schedule, sessions=held)
            self.indirect_mandate = self.weekly_mandate * ~self.three_one
            self.indirect_scheduled = self.indirect_schedule.scheduled_minutes(self.state.n)

    def build_plans(self) -> None:
        """Build the weekly plan (the ``weekly_plan`` setup row), honouring the plan options.

        A policy with a 3:1 service also gets the plan of its indirect week, in which that
        service's sessions are not held.
        """
        st = self.state

        def plans_of(schedule: WeeklySchedule) -> tuple[list[SlotPlan], list[bool], list[bool]]:
            plans = build_week_plan(self.school, schedule, st.class_index, self.iep, st.need,
                                    self.params, **self.plan_options)
            return (plans, [bool(plan.iep_relevant.any()) for plan in plans],
                    [bool(plan.instruction_minutes.any()) for plan in plans])

        self.direct_plans = plans_of(self.schedule)
        self.plans, self.any_relevant, self.any_core = self.direct_plans
        # (slots of the week, classes) True where the class has a core lesson (every week alike)
        self.core_lesson = np.array([np.isin(plan.subject, list(CORE_SUBJECTS))
                                     for plan in self.plans], dtype=bool)
        if self.three_one.any():
            self.indirect_plans = plans_of(self.indirect_schedule)

    def start_cycle_week(self) -> None:
        """Point the week at the direct or the indirect plan (the 3:1 model's weeks)."""
        self.indirect_week = self.week % 4 == 3
        if self.indirect_week:
            self.plans, self.any_relevant, self.any_core = self.indirect_plans
            self.this_week_mandate, self.this_week_scheduled = (self.indirect_mandate,
                                                                self.indirect_scheduled)
        else:
            self.plans, self.any_relevant, self.any_core = self.direct_plans
            self.this_week_mandate, self.this_week_scheduled = (self.weekly_mandate,
                                                                self.weekly_scheduled)
        if self.week % 4 == 0:
            self.cycle_start_lost = self.state.lost_sessions[:, :, :-1].sum(axis=2)

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
        if self.slot_in_week == 0:
            for row in self.step_table["week_start"]:
                row.run(self)
        plan = self.plans[self.slot_in_week]
        for row in self.step_table["slot"]:
            row.run(self, plan)
        self._advance_clock()

    def _advance_clock(self) -> None:
        self.slot_in_week += 1
        self.slot += 1
        if self.slot == self.slots_per_day:
            self.slot = 0
            self.day += 1
            self.days_elapsed += 1
            for row in self.step_table["day_end"]:
                row.run(self)
        if self.slot_in_week == self.slots_per_week:
            for row in self.step_table["week_end"]:
                row.run(self)
            self.week += 1
            self.day = 0
            self.slot_in_week = 0
            self._record_week()

    def _record_week(self) -> None:
        """Append this week's school-level row and per-student snapshot."""
        for key, value in weekly_row(self).items():
            self.weekly.setdefault(key, []).append(value)
        for key, value in student_snapshot(self).items():
            self.history.setdefault(key, []).append(value)
        iep = self.iep
        self.ledger_weeks.append((self.state.mandated[iep], self.state.delivered[iep]))

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
        """Run `weeks` weeks (default: to the end of the year) and collect outcomes."""
        target = self.weeks if weeks is None else min(self.week + weeks, self.weeks)
        while self.week < target:
            self.run_week()
        result = collect(self)
        result.meta["scenario"] = self.config.scenario_name
        result.meta["scenario_hash"] = self.config.scenario_hash
        result.meta.update(self.schedule_meta())
        return result

    def schedule_meta(self) -> dict[str, object]:
        """How the week was scheduled: scheduler, and the solver's status, bound and version.

        In an equal-dose run also the compared policies and the weekly minutes withheld to
        equalize the dose (they are among the unmet minutes, with the reason ``equal_dose``).
        """
        meta: dict[str, object] = {"scheduler": self.config.scheduling.scheduler}
        if self.config.equal_dose:
            meta.update(equal_dose=", ".join(p.name for p in self.config.equal_dose),
                        equal_dose_withheld_minutes_per_week=withheld_minutes(self.schedule))
        report = self.schedule.solver
        if report is not None:
            meta.update(solver_status=report.status,
                        scheduled_minutes_per_week=report.scheduled_minutes,
                        schedulable_bound_minutes_per_week=report.upper_bound_minutes,
                        mandated_minutes_per_week=report.mandated_minutes,
                        ortools_version=report.ortools_version,
                        schedule_summary=report.summary())
        return meta

    def location(self, student: int, day: int | None = None, slot: int | None = None,
                 week: int | None = None) -> Whereabouts:
        """Where a student is in a slot of a week, with whom, in which lesson.

        The one answer to "where is this student?": agents, the dashboard's Classroom and
        Student pages and the notebooks all ask here. The weekly plan repeats; a make-up
        session (`inclusion_sim.model.mechanisms.makeup`) is not in it, and is reported in the
        week it was held (or, in the current week, booked), unless the student refused it.

        Args:
            student: Index into ``school.students``.
            day: Weekday index (default: the day the clock points at).
            slot: Slot of the day (default: the slot the clock points at, the next to run).
            week: School week, counted from 0 (default: the week the clock points at). Weeks
                not yet run show the plan: their make-ups are not booked yet.
        """
        day = self.day if day is None else day
        slot = self.slot if slot is None else slot
        week = self.week if week is None else week
        in_week = day * self.slots_per_day + slot
        plans = self.plans
        if self.three_one.any() and week != self.week:
            plans = self.indirect_plans[0] if week % 4 == 3 else self.direct_plans[0]
        plan = plans[in_week]
        klass = int(self.state.class_index[student])
        made_up = self._makeup_at(student, week, in_week)
        if made_up is not None:
            therapist, service, minutes = made_up
            return Whereabouts("therapy_room", therapist, service, "pull_out",
                               str(plan.subject[klass]) if plan.in_school else "", minutes,
                               makeup=True)
        return locate(plan, student, klass)

    def _makeup_at(self, student: int, week: int, in_week: int) -> tuple[int, str, int] | None:
        """(therapist, service, minutes) of a make-up the student has in that slot, if any."""
        for held_week, held_slot, booked, refused in reversed(self.makeup_log):
            if held_week < week:
                break
            if (held_week, held_slot) == (week, in_week):
                hit = np.flatnonzero((booked.student == student) & ~refused)
                return None if not hit.size else self._made_up_session(booked, int(hit[0]))
        if week == self.week and in_week >= self.slot_in_week and self.makeups:
            booked = self.makeups.get(in_week)
            hit = np.flatnonzero(booked.student == student) if booked is not None else []
            if len(hit):
                return self._made_up_session(booked, int(hit[0]))
        return None

    @staticmethod
    def _made_up_session(booked, k: int) -> tuple[int, str, int]:
        return (int(booked.therapist[k]), SERVICES[int(booked.domain[k])],
                int(round(booked.minutes[k])))

    def where(self, student: int, day: int, slot: int) -> str:
        """The place alone (``class``, ``therapy_room``, ``after_school`` or ``home``)."""
        return self.location(student, day, slot).place
