"""The step table: every mechanism of the model, in the order it runs, with its on/off switch.

`SchoolModel` has no hand-written sequence of mechanisms. It runs the rows of `STEPS` phase by
phase: ``setup`` once when the model is built, ``week_start`` before a week's first slot,
``slot`` every slot, ``day_end`` after a day's last slot and ``week_end`` after a week's last
slot. A row whose switch is off is dropped once, in `active_steps`; that is the only place a
switch is read. The model docstring, `docs/ODD.md`'s schedule, the dashboard's About page and
the parameter reference are generated from this table (``make docs`` rewrites them; a test fails
when one is stale).

Each row's function takes the model and, for ``slot`` rows, the slot's `SlotPlan`. The functions
here only fetch arrays and hand them to the pure mechanism functions in
`inclusion_sim.model.mechanisms`; what a mechanism *does* is written there.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from inclusion_sim.base.params import DISRUPTIONS, MECHANISMS, markdown_table
from inclusion_sim.delivery.plan import FAVOURITE_SUBJECTS, SETTING_CODES, SlotPlan
from inclusion_sim.model import asymmetries
from inclusion_sim.model.mechanisms import (
    disruptions,
    instruction,
    ledger,
    makeup,
    peer_modeling,
    resistance,
    spillover,
    stigma,
    teacher_learning,
    teacher_practice,
    therapy,
)

if TYPE_CHECKING:
    from inclusion_sim.model.school_model import SchoolModel

PHASES: tuple[str, ...] = ("setup", "week_start", "slot", "day_end", "week_end")


@dataclass(frozen=True)
class Step:
    """One row of the step table.

    Attributes:
        name: Short name, unique within its phase.
        phase: One of `PHASES`.
        switch: The mechanism switch (from `inclusion_sim.base.params.MECHANISMS`) that turns
            the row off, or None for rows that always run.
        run: ``run(model)`` for setup, week and day rows; ``run(model, plan)`` for slot rows.
        doc: What the row does, in one sentence, for the generated documentation.
        module: The mechanism module that holds the rule (for the documentation).
    """

    name: str
    phase: str
    switch: str | None
    run: Callable
    doc: str
    module: str = ""


# --------------------------------------------------------------------------- setup rows


def _setting_efficacy(model: SchoolModel) -> None:
    model.focus, model.generalization = therapy.setting_factors(model.params, True)


def _plan_missed_instruction(model: SchoolModel) -> None:
    model.plan_options["missed_instruction"] = True


def _plan_disruption(model: SchoolModel) -> None:
    model.plan_options["disruption"] = True


def _weekly_plan(model: SchoolModel) -> None:
    model.build_plans()


def _chronic_absence(model: SchoolModel) -> None:
    u = model.streams["student_absence"].random(len(model.iep))
    model.absence_rates = disruptions.chronic_group(u, model.params)


# --------------------------------------------------------------------------- week rows


def _cycle_week(model: SchoolModel) -> None:
    if model.three_one.any():
        model.start_cycle_week()


def _book_week(model: SchoolModel) -> None:
    st = model.state
    ledger.book_week(st.mandated, st.scheduled, model.this_week_mandate,
                     model.this_week_scheduled)


def _draw_uniforms(model: SchoolModel) -> None:
    shape = (model.slots_per_week, len(model.iep))
    model.u_refusal = model.streams["refusal"].random(shape)
    model.u_attendance = model.streams["attendance"].random(shape)


def _staff_time(model: SchoolModel) -> None:
    # In a 3:1 indirect week the service's therapists hold no sessions (see indirect_week).
    off = model.three_one[model.therapist_domain] if model.indirect_week else None
    for index, load in enumerate(model.schedule.load):
        if off is not None and off[index]:
            continue
        model.therapist_minutes["direct"][index] += load.direct
        model.therapist_minutes["travel"][index] += load.travel
        model.therapist_minutes["coplanning"][index] += load.coplanning
    for therapist, klass in model.schedule.coplanning_pairs:
        if off is not None and off[therapist]:
            continue
        model.teacher_state.coplanning[klass] += model.params.coplanning_minutes


def _consultation(model: SchoolModel) -> None:
    teacher_learning.consult(model.teacher_state.knowledge, model.consulted,
                             model.consultation_per_class, model.params)
    model.therapist_minutes["consultation"] += model.params.consultation_minutes


def _student_absence(model: SchoolModel) -> None:
    u = model.streams["student_absence"].random((model.school.timetable.days, len(model.iep)))
    model.student_out = disruptions.student_absent_days(model.absence_rates, u)
    # Per day, the absent students' positions among students with IEPs (read every slot).
    model.absent_by_day = [np.flatnonzero(day) for day in model.student_out]


def _therapist_absence(model: SchoolModel) -> None:
    u = model.streams["therapist_absence"].random((model.school.timetable.days,
                                                   len(model.school.therapists)))
    model.therapist_out = disruptions.therapist_out_days(u, model.params)


def _school_events(model: SchoolModel) -> None:
    u = model.streams["school_events"].random(model.school.timetable.days)
    model.events = disruptions.event_days(u, model.params)


def _therapist_duties(model: SchoolModel) -> None:
    rng, n = model.streams["therapist_duties"], len(model.school.therapists)
    factor = disruptions.duty_factor(rng.random(n), model.params)
    u = rng.random((model.slots_per_week, n))
    chance = disruptions.duty_cancel_chance(factor, model.contracted_per_week,
                                            model.used_per_week, model.direct_per_week,
                                            model.params)
    model.duty_cancel = u < chance[None, :]


def _consultation_service(model: SchoolModel) -> None:
    if model.service_consultation is None:
        return
    teacher_learning.consult(model.teacher_state.knowledge, model.consulted,
                             model.service_consultation, model.params)
    if model.coached is not None:
        model.coached |= model.service_feedback
    model.therapist_minutes["consultation_service"] += model.service_consultation_by_therapist


def _indirect_week(model: SchoolModel) -> None:
    if not model.indirect_week:
        return
    minutes = np.array([load.direct + load.travel for load in model.schedule.load], float)
    minutes *= model.params.indirect_consultation_share * model.three_one[model.therapist_domain]
    per_service = np.bincount(model.therapist_domain, weights=minutes, minlength=len(model.three_one))
    served = np.maximum(model.class_needs.sum(axis=0), 1)
    teacher_learning.consult(model.teacher_state.knowledge, model.consulted,
                             model.class_needs * (per_service / served), model.params)
    model.therapist_minutes["consultation"] += minutes


def _plan_makeups(model: SchoolModel) -> None:
    model.makeups = {}
    if not model.disrupted or not (model.same_week.any() or model.makeup_week.any()):
        return
    # One draw per student with an IEP and slot from its own stream, whatever is booked, so
    # two make-up policies meet the same draws and no other stream moves.
    model.u_makeup_refusal = model.streams["makeup_refusal"].random(
        (model.slots_per_week, len(model.iep)))
    week = makeup.WeekDisruptions(model.events, model.therapist_out, model.duty_cancel,
                                  model.student_out)
    if model.indirect_week and model.makeup_week.any():
        owed = model.state.lost_sessions[:, :, :-1].sum(axis=2) - model.cycle_start_lost
        model.makeups = makeup.plan_makeup_week(model.direct_plans[0], owed, model.makeup_week,
                                                model.iep_position, week)
    if model.same_week.any():
        lost = makeup.lost_sessions(model.plans, model.iep_position, model.same_week, week)
        same = makeup.plan_same_week(model.plans, lost, model.iep_position,
                                     model.state.class_index, model.on_site, model.avoid_core,
                                     week, model.max_group, taken=model.makeups,
                                     clock=model.bell_clock)
        model.makeups = makeup.merge(model.makeups, same)


# --------------------------------------------------------------------------- slot rows


def _attendance(model: SchoolModel, plan: SlotPlan) -> None:
    if not len(plan.member):
        model.session = None
        model.presence = Presence.everyone(plan)
        return
    model.session_pos = model.iep_position[plan.member]
    model.session = resistance.attend(plan.member_setting, plan.member_minutes,
                                      model.u_attendance[model.slot_in_week, model.session_pos],
                                      model.params)


def _cancel_sessions(model: SchoolModel, plan: SlotPlan) -> None:
    if model.session is None or not model.disrupted:
        return
    cause = disruptions.session_causes(plan.day, model.slot_in_week, model.session_pos,
                                       plan.member_therapist, model.events, model.therapist_out,
                                       model.duty_cancel, model.student_out)
    if cause.any():
        disruptions.cancel(model.session, cause, plan.member_minutes)


def _refusal(model: SchoolModel, plan: SlotPlan) -> None:
    if model.session is None:
        return
    resistance.refuse(model.session, plan.member_setting, plan.member_minutes,
                      model.state.stigma[plan.member], plan.member_favourite,
                      model.u_refusal[model.slot_in_week, model.session_pos], model.params)


@dataclass
class Presence:
    """Who took part in this slot's sessions, and what that means for the lessons.

    The slot plan says where everybody would be if every member took part; a member who refuses
    (or misses an after-school session) stays where they were, so the lesson minutes they miss,
    the stigma of being seen and the relevant lessons they are in are settled here, once per slot.
    """

    instruction_minutes: np.ndarray
    missed: np.ndarray
    missed_minutes: np.ndarray
    missed_core: np.ndarray
    removed_visibly: np.ndarray
    supported_in_class: np.ndarray
    iep_relevant: np.ndarray
    iep_teacher_relevant: np.ndarray
    out_core_minutes: np.ndarray

    @classmethod
    def everyone(cls, plan: SlotPlan) -> Presence:
        """Nobody in a session: the plan as it stands."""
        return cls(plan.instruction_minutes, _NO_STUDENTS, _NO_MINUTES, _NO_FLAGS, _NO_STUDENTS,
                   _NO_STUDENTS, plan.iep_relevant, plan.iep_teacher_relevant, _NO_MINUTES)


# Shared empty arrays for slots without sessions (never written to).
_NO_STUDENTS = np.zeros(0, np.int64)
_NO_MINUTES = np.zeros(0)
_NO_FLAGS = np.zeros(0, bool)


def _take_part(model: SchoolModel, plan: SlotPlan) -> None:
    session = model.session
    if session is None:
        return
    taking = session.attended & ~session.refused
    pulled = plan.member_setting == SETTING_CODES["pull_out"]
    pushed = plan.member_setting == SETTING_CODES["push_in"]
    losing = taking & (plan.member_missed_minutes > 0)
    missed, missed_minutes = plan.member[losing], plan.member_missed_minutes[losing]
    missed_core = plan.member_missed_core[losing]
    instruction_minutes = plan.instruction_minutes
    if missed_core.any():
        # A core lesson already shortened by disruption cannot lose more than it had.
        instruction_minutes = instruction_minutes.copy()
        missed_minutes = np.where(missed_core, np.minimum(missed_minutes,
                                                          instruction_minutes[missed]),
                                  missed_minutes)
        instruction_minutes[missed] -= missed_minutes * missed_core
    iep_relevant, iep_teacher_relevant = plan.iep_relevant, plan.iep_teacher_relevant
    stayed = plan.member[~taking] if plan.in_school else np.zeros(0, np.int64)
    if len(stayed):
        # A student who refuses is in the lesson, with its peers and its teacher.
        pos = model.iep_position[stayed]
        klass = model.state.class_index[stayed]
        iep_relevant, iep_teacher_relevant = iep_relevant.copy(), iep_teacher_relevant.copy()
        iep_relevant[pos] = plan.relevant[klass] & model.state.need[stayed]
        iep_teacher_relevant[pos] = iep_relevant[pos] & plan.teacher_present[klass, None]
    out = taking & pulled & plan.member_missed_core if plan.in_school else np.zeros(0, bool)
    out_minutes = np.zeros(0)
    if out.any():
        time_out = np.minimum(plan.student_minutes[plan.member[out]], plan.member_minutes[out]
                              + 2 * model.params.transition_minutes)
        out_minutes = np.bincount(model.state.class_index[plan.member[out]], weights=time_out,
                                  minlength=len(model.school.classes))
    model.presence = Presence(
        instruction_minutes, missed, missed_minutes, missed_core,
        plan.member[taking & pulled] if plan.in_school else np.zeros(0, np.int64),
        plan.member[taking & pushed], iep_relevant, iep_teacher_relevant, out_minutes)


def _makeup_refusal(model: SchoolModel, plan: SlotPlan) -> None:
    booked = model.makeups.get(model.slot_in_week) if model.makeups else None
    if booked is None:
        return
    # A make-up is a pull-out session: refused at the pull-out rate, as in `_refusal`.
    klass = model.state.class_index[booked.student]
    favourite = (np.isin(plan.subject[klass], list(FAVOURITE_SUBJECTS)) if plan.in_school
                 else np.zeros(len(booked.student), dtype=bool))
    pos = model.iep_position[booked.student]
    model.makeup_refused = makeup.refusals(model.state.stigma[booked.student], favourite,
                                           model.u_makeup_refusal[model.slot_in_week, pos],
                                           model.params)


def _make_up(model: SchoolModel, plan: SlotPlan) -> None:
    booked = model.makeups.get(model.slot_in_week) if model.makeups else None
    if booked is None:
        return
    st, p = model.state, model.params
    pull_out = SETTING_CODES["pull_out"]
    klass = st.class_index[booked.student]
    refused = model.makeup_refused
    model.makeup_refused = None
    if refused is None:
        refused = np.zeros(len(booked.student), dtype=bool)
    model.makeup_log.append((model.week, model.slot_in_week, booked, refused))
    if refused.any():
        st.makeup_refused[booked.student[refused], booked.domain[refused]] += \
            booked.minutes[refused]
        st.refusals[booked.student[refused]] += 1
    held = ~refused
    student, domain, minutes = booked.student[held], booked.domain[held], booked.minutes[held]
    if not len(student):
        return
    hours = minutes * model.focus[pull_out] * st.engagement[student] / 60.0
    if model.provider_efficacy is not None:
        hours = hours * model.provider_efficacy[booked.therapist[held]]
    st.mastery[student, domain], st.carryover[student, domain] = therapy.dose(
        st.mastery[student, domain], st.carryover[student, domain], hours,
        model.generalization[pull_out], p)
    ledger.record_made_up(st.delivered, st.made_up, student, domain, minutes)
    if not plan.in_school:
        return
    core = np.isin(plan.subject[klass[held]], list(makeup.CORE_SUBJECTS))
    missed = np.zeros(len(student))
    if model.plan_options["missed_instruction"]:
        missed = np.minimum(plan.student_minutes[student], minutes + 2 * p.transition_minutes)
    model.presence = makeup.out_of_class(model.presence, student, missed, core,
                                         model.iep_position[student])


def _absent_lessons(model: SchoolModel, plan: SlotPlan) -> None:
    pos = model.absent_by_day[plan.day]
    if not plan.in_school or not len(pos):
        return
    st = model.state
    student = model.iep[pos]
    core = model.core_lesson[model.slot_in_week, st.class_index[student]]
    # Booked apart from the lessons missed for therapy (their sessions were cancelled, so
    # `take_part` took nothing off for them).
    st.absent_core[student] += plan.student_minutes[student] * core
    st.absent_other[student] += plan.student_minutes[student] * ~core
    instruction.away_from_school(model.presence, student, pos)


def _therapy(model: SchoolModel, plan: SlotPlan) -> None:
    if model.session is None:
        return
    st, member, domain, setting = model.state, plan.member, plan.member_domain, plan.member_setting
    hours = model.session.delivered * model.focus[setting] * st.engagement[member] / 60.0
    if model.provider_efficacy is not None:
        hours = hours * model.provider_efficacy[plan.member_therapist]
    st.mastery[member, domain], st.carryover[member, domain] = therapy.dose(
        st.mastery[member, domain], st.carryover[member, domain], hours,
        model.generalization[setting], model.params)


def _session_ledger(model: SchoolModel, plan: SlotPlan) -> None:
    if model.session is None:
        return
    st = model.state
    ledger.record_sessions(st.delivered, st.wasted, st.absent, st.refusals,
                           st.sessions_attended, plan.member, plan.member_domain, model.session)
    ledger.record_losses(st.cancelled, st.lost_sessions, plan.member, plan.member_domain,
                         model.session)


def _instruction(model: SchoolModel, plan: SlotPlan) -> None:
    if not model.any_core[model.slot_in_week]:
        return
    st = model.state
    rate = instruction.learning_multiplier(st.engagement, model.engagement_base)
    st.academic_growth += model.presence.instruction_minutes * model.growth_rate * rate


def _missed_lessons(model: SchoolModel, plan: SlotPlan) -> None:
    presence = model.presence
    if not len(presence.missed):
        return
    st = model.state
    instruction.add_missed(st.backlog, st.core_missed, st.other_missed, presence.missed,
                           presence.missed_minutes, presence.missed_core)


def _teacher_practice(model: SchoolModel, plan: SlotPlan) -> None:
    if not model.any_relevant[model.slot_in_week]:
        return
    st, iep = model.state, model.iep
    use = model.teacher_state.use[st.class_index[iep]]
    hours = teacher_practice.practice_hours(use, model.presence.iep_teacher_relevant,
                                            st.engagement[iep], model.params)
    if hours.any():
        st.mastery[iep], st.carryover[iep] = therapy.dose(
            st.mastery[iep], st.carryover[iep], hours, model.in_class_generalization,
            model.params)
        st.practice[iep] += hours * 60.0


def _peer_modeling(model: SchoolModel, plan: SlotPlan) -> None:
    if not model.any_relevant[model.slot_in_week]:
        return
    st, iep = model.state, model.iep
    exposure = peer_modeling.modeling_hours(model.presence.iep_relevant, model.peer_share,
                                            st.belonging[iep],
                                            plan.student_minutes[iep][:, None], model.params)
    st.carryover[iep] = peer_modeling.apply(st.mastery[iep], st.carryover[iep], exposure)


def _teacher_observation(model: SchoolModel, plan: SlotPlan) -> None:
    if not plan.pushins:
        return
    ts = model.teacher_state
    teacher_learning.observe(ts.knowledge, ts.observed, model.reinforced, model.collaborative,
                             plan.pushins, model.params)


def _spillover(model: SchoolModel, plan: SlotPlan) -> None:
    if not len(plan.spill):
        return
    st = model.state
    gain = plan.spill_minutes * model.spill_rate[plan.spill]
    st.academic_growth[plan.spill] += gain
    st.spillover_growth[plan.spill] += gain


def _smaller_class(model: SchoolModel, plan: SlotPlan) -> None:
    out_minutes = model.presence.out_core_minutes
    if not len(out_minutes):
        return
    st = model.state
    gain = spillover.smaller_class_gain(out_minutes[st.class_index], model.smaller_class_rate)
    gain[st.has_iep] = 0.0
    st.academic_growth += gain
    st.spillover_growth += gain


def _stigma(model: SchoolModel, plan: SlotPlan) -> None:
    st, p, presence = model.state, model.params, model.presence
    stigma.raise_stigma(st.stigma, st.grade, presence.removed_visibly, p.stigma_per_removal, p)
    stigma.raise_stigma(st.stigma, st.grade, presence.supported_in_class, p.stigma_per_push_in, p)


# --------------------------------------------------------------------------- day and week ends


def _belonging_engagement(model: SchoolModel) -> None:
    st = model.state
    st.belonging, st.engagement = stigma.belonging_and_engagement(st.stigma, st.belonging_base,
                                                                  model.params)


def _catch_up(model: SchoolModel) -> None:
    st = model.state
    recovered = instruction.catch_up(st.backlog, model.params)
    rate = instruction.learning_multiplier(st.engagement, model.engagement_base)
    st.academic_growth += recovered * model.growth_rate * rate


def _stigma_fade(model: SchoolModel) -> None:
    stigma.fade(model.state.stigma, model.params)


def _teacher_adoption(model: SchoolModel) -> None:
    ts = model.teacher_state
    teacher_learning.adopt_and_fade(ts.knowledge, ts.use, model.reinforced, model.collaborative,
                                    model.consulted, model.params, model.coached)
    if model.coached is not None:
        model.coached[:] = False
    model.reinforced[:] = False
    model.collaborative[:] = False
    model.consulted[:] = False


#: The model, row by row. Order within a phase is the order of execution.
STEPS: tuple[Step, ...] = (
    Step("setting_efficacy", "setup", "setting_efficacy", _setting_efficacy,
         "Sessions get their setting's focus and in-class generalization (without it every "
         "setting gets 1).", "therapy"),
    Step("missed_instruction", "setup", "missed_instruction", _plan_missed_instruction,
         "Pulled-out students miss the session and the walk; pushed-in students miss the share "
         "of the lesson spent on the therapist's task, smaller when co-taught (without it nobody "
         "misses lesson time).", "instruction"),
    Step("lesson_disruption", "setup", "spillover", _plan_disruption,
         "A therapist working in a core lesson disrupts it for the whole class; so do students "
         "leaving for, and coming back from, a pull-out session.", "spillover"),
    Step("weekly_plan", "setup", None, _weekly_plan,
         "The weekly schedule becomes a plan of every slot: who is in which session, who is out "
         "of class, which lessons are relevant to which service.", "delivery.plan"),
    Step("chronic_absence", "setup", "student_absence", _chronic_absence,
         "Some students with IEPs are drawn into the chronically absent group, once.",
         "disruptions"),
    Step("cycle_week", "week_start", None, _cycle_week,
         "Under a 3:1 service, every fourth week is its indirect week: the service's sessions "
         "are not held, nor mandated.", "school_model"),
    Step("book_week", "week_start", None, _book_week,
         "The week's mandated and scheduled minutes are booked in the minutes ledger.", "ledger"),
    Step("draw_uniforms", "week_start", None, _draw_uniforms,
         "One refusal and one attendance draw per student with an IEP and slot, whether or not a "
         "session happens, so every policy meets the same draws.", "resistance"),
    Step("staff_time", "week_start", None, _staff_time,
         "Therapists' session, travel and co-planning minutes and teachers' co-planning minutes "
         "are booked.", "ledger"),
    Step("consultation", "week_start", "consultation", _consultation,
         "Every therapist consults the teachers of the classes with students on their caseload, "
         "whatever the policy; teachers learn the strategies discussed.", "teacher_learning"),
    Step("student_absence", "week_start", "student_absence", _student_absence,
         "Each student with an IEP is absent on some days of the week (more often in the "
         "chronically absent group); their sessions those days are lost.", "disruptions"),
    Step("therapist_absence", "week_start", "therapist_absence", _therapist_absence,
         "Each therapist is out on some days; without a substitute their sessions those days "
         "are cancelled.", "disruptions"),
    Step("school_events", "week_start", "school_events", _school_events,
         "Some days are school-wide events or testing days on which no session is held.",
         "disruptions"),
    Step("therapist_duties", "week_start", "therapist_duties", _therapist_duties,
         "Each therapist's evaluations, IEP meetings and paperwork vary by week; the hours above "
         "the average are taken from that week's sessions.", "disruptions"),
    Step("consultation_service", "week_start", None, _consultation_service,
         "Where the policy makes consultation with the teacher a service, the therapist spends "
         "its minutes with each teacher on the caseload; with feedback on the teacher's "
         "practice, strategies enter use faster.", "teacher_learning"),
    Step("indirect_week", "week_start", None, _indirect_week,
         "In a 3:1 indirect week the service's therapists spend part of the freed time "
         "consulting the teachers of the classes on their caseload.", "teacher_learning"),
    Step("plan_makeups", "week_start", None, _plan_makeups,
         "Sessions this week's disruptions cancel are booked for make-up where the service's "
         "policy says so: later in the week where therapist and student are free, or in the 3:1 "
         "indirect week.", "makeup"),
    Step("attendance", "slot", None, _attendance,
         "Session members attend; after-school sessions can be missed altogether.", "resistance"),
    Step("cancel_sessions", "slot", None, _cancel_sessions,
         "Sessions hit by this week's disruptions are cancelled and booked as lost, with the "
         "cause (does nothing when every disruption is off).", "disruptions"),
    Step("refusal", "slot", "resistance", _refusal,
         "Present members may refuse, more often with stigma or in a favourite period, in any "
         "setting; a refused session is lost and the student stays in the lesson.", "resistance"),
    Step("take_part", "slot", None, _take_part,
         "Members who attend and do not refuse leave the room or work with the therapist; the "
         "lesson minutes they miss, the relevant lessons they are in and who is seen getting "
         "help follow.", "delivery.plan"),
    Step("makeup_refusal", "slot", "resistance", _makeup_refusal,
         "A make-up session booked for this slot may be refused like any pull-out session (its "
         "own random stream); a refused make-up is not made up again.", "makeup"),
    Step("make_up", "slot", None, _make_up,
         "Make-up sessions booked for this slot are held in the therapy room, as pull-out "
         "sessions that may be refused; minutes held are delivered and counted as made up, and "
         "the student misses the lesson.", "makeup"),
    Step("absent_lessons", "slot", "student_absence", _absent_lessons,
         "Students absent that day miss the lesson too: no growth, practice or peer modelling "
         "in it; its minutes are booked as lessons missed by absence, apart from lessons missed "
         "for therapy.", "instruction"),
    Step("therapy", "slot", None, _therapy,
         "Delivered minutes, weighted by the setting's focus and the student's engagement, raise "
         "goal mastery and classroom carry-over.", "therapy"),
    Step("session_ledger", "slot", None, _session_ledger,
         "Delivered, wasted, absent and cancelled session minutes, and sessions lost by cause, "
         "are booked.", "ledger"),
    Step("instruction", "slot", None, _instruction,
         "Students in a core lesson grow academically at their grade's benchmark rate, slowed by "
         "disengagement.", "instruction"),
    Step("missed_lessons", "slot", None, _missed_lessons,
         "Lesson minutes missed are counted, and missed core minutes join the backlog instead of "
         "giving growth.", "instruction"),
    Step("teacher_practice", "slot", "teacher_practice", _teacher_practice,
         "Teachers who use a strategy give embedded practice in relevant lessons they teach.",
         "teacher_practice"),
    Step("peer_modeling", "slot", "peer_modeling", _peer_modeling,
         "Skilled classmates model the skill in relevant lessons, more for students who belong.",
         "peer_modeling"),
    Step("teacher_observation", "slot", "teacher_learning", _teacher_observation,
         "Teachers present at a pushed-in session learn the therapist's strategies.",
         "teacher_learning"),
    Step("spillover", "slot", "spillover", _spillover,
         "Classmates without an IEP gain from a therapist working in their core lesson.",
         "spillover"),
    Step("smaller_class", "slot", "spillover", _smaller_class,
         "Classmates without an IEP gain from a smaller class while students are out for a "
         "pull-out session during a core lesson.", "spillover"),
    Step("stigma", "slot", "stigma", _stigma,
         "Visible support (leaving the room, a therapist at the desk) raises felt stigma, more "
         "in older grades.", "stigma"),
    Step("belonging_engagement", "day_end", None, _belonging_engagement,
         "Belonging and engagement follow stigma.", "stigma"),
    Step("catch_up", "week_end", None, _catch_up,
         "Part of the backlog of missed core material is caught up, and gives the growth it "
         "would have given in the lesson.", "instruction"),
    Step("stigma_fade", "week_end", "stigma", _stigma_fade,
         "Felt stigma fades.", "stigma"),
    Step("belonging_engagement", "week_end", None, _belonging_engagement,
         "Belonging and engagement follow the faded stigma.", "stigma"),
    Step("teacher_adoption", "week_end", "teacher_learning", _teacher_adoption,
         "Teachers adopt strategies they know and saw reinforced (fastest when co-teaching), and "
         "drop those no therapist reinforced that week.", "teacher_learning"),
)


def active_steps(mechanisms: Iterable[str]) -> dict[str, tuple[Step, ...]]:
    """The rows that run with these mechanisms switched on, by phase, in order.

    This is the only place a mechanism switch is read.
    """
    on = frozenset(mechanisms)
    return {phase: tuple(s for s in STEPS if s.phase == phase
                         and (s.switch is None or s.switch in on)) for phase in PHASES}


# --------------------------------------------------------------------------- documentation

_PHASE_TITLES = {
    "setup": "Once, when the model is built",
    "week_start": "At the start of every week",
    "slot": "Every slot (a timetable period or an after-school slot)",
    "day_end": "At the end of every school day",
    "week_end": "At the end of every week",
}


def schedule_text(markdown: bool = True, width: int = 100) -> str:
    """The step table as numbered lists per phase (Markdown, or plain text for a docstring)."""
    lines: list[str] = []
    n = 0
    for phase in PHASES:
        lines.append(f"**{_PHASE_TITLES[phase]}**" if markdown else f"{_PHASE_TITLES[phase]}:")
        lines.append("")
        for step in (s for s in STEPS if s.phase == phase):
            n += 1
            name = f"`{step.name}`" if markdown else step.name
            switch = f" *(switch: `{step.switch}`)*" if markdown and step.switch else (
                f" (switch: {step.switch})" if step.switch else "")
            item = f"{n}. {name}: {step.doc}{switch}"
            lines.extend(textwrap.wrap(item, width, subsequent_indent=" " * (len(str(n)) + 2)))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def switches_table() -> str:
    """Markdown: each switch, the rows it turns off, and the parameters of those mechanisms."""
    rows = ["| switch | default | rows it turns off |", "|---|---|---|"]
    for switch in MECHANISMS + DISRUPTIONS:
        names = [f"`{s.phase}: {s.name}`" for s in STEPS if s.switch == switch]
        default = "off (`[disruptions]`)" if switch in DISRUPTIONS else "on (`[mechanisms]`)"
        rows.append(f"| `{switch}` | {default} | {', '.join(names)} |")
    return "\n".join(rows) + "\n"


BEGIN = "<!-- BEGIN GENERATED: step table -->"
END = "<!-- END GENERATED: step table -->"
ASYM_BEGIN = "<!-- BEGIN GENERATED: asymmetries -->"
ASYM_END = "<!-- END GENERATED: asymmetries -->"
DOC_BEGIN = "Order of operations (generated from `inclusion_sim.model.steps.STEPS`):"
DOC_END = "(End of the generated order of operations.)"


def _replace_between(text: str, begin: str, end: str, body: str, where: str) -> str:
    try:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
    except ValueError:
        raise ValueError(f"{where}: markers {begin!r} ... {end!r} not found") from None
    return f"{head}{begin}\n{body}{end}{tail}"


def parameters_reference() -> str:
    """`docs/parameters.md`: the parameter reference, then which rows each switch turns off."""
    return (markdown_table().rstrip() + "\n\n## Mechanism switches\n\n"
            "Each switch (scenario files: `[mechanisms] name = false`) drops these rows of the step "
            "table (`docs/ODD.md`, section 3). The disruptions of the school year are off unless "
            "a scenario turns them on (`[disruptions] name = true`):\n\n" + switches_table())


def generated_files(root: Path) -> dict[Path, str]:
    """Every generated file or block, and its up-to-date text."""
    odd = root / "docs" / "ODD.md"
    model = root / "src" / "inclusion_sim" / "model" / "school_model.py"
    body = "\n" + schedule_text() + "\n" + switches_table() + "\n"
    odd_text = _replace_between(odd.read_text(), BEGIN, END, body, str(odd))
    odd_text = _replace_between(odd_text, ASYM_BEGIN, ASYM_END,
                                "\n" + asymmetries.markdown_table() + "\n", str(odd))
    out = {odd: odd_text,
           root / "docs" / "parameters.md": parameters_reference()}
    indented = "\n".join(("    " + line) if line else ""
                         for line in schedule_text(False, 96).splitlines())
    out[model] = _replace_between(model.read_text(), DOC_BEGIN, DOC_END, "\n" + indented + "\n\n",
                                  str(model))
    return out


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated files (``--check`` only reports stale ones; ``--root DIR``)."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[args.index("--root") + 1]) if "--root" in args else Path.cwd()
    stale = []
    for path, text in generated_files(root).items():
        if path.read_text() != text:
            stale.append(path)
            if "--check" not in args:
                path.write_text(text)
    for path in stale:
        print(f"{'stale' if '--check' in args else 'rewrote'}: {path.relative_to(root)}")
    return 1 if stale and "--check" in args else 0
