"""The weekly plan: who is where, in which lesson, with whom, in every slot of the week.

The schedule repeats every week, so everything about *where* students and therapists are can
be worked out once per weekly slot: who is in a session, who is out of class, which lessons
are relevant to which service, which classrooms have a second adult. The model then only
reads the plan of the current slot, and `locate` answers "where is this student?" from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inclusion_sim.base.params import Params
from inclusion_sim.delivery.scheduling import AFTER_SCHOOL_MINUTES, WeeklySchedule
from inclusion_sim.school.world import CORE_SUBJECTS, RELEVANT_SUBJECTS, SERVICES, School

#: Where a student can be in a slot (`SlotPlan.location` holds indices into this tuple).
LOCATIONS: tuple[str, ...] = ("class", "therapy_room", "after_school", "home")
IN_CLASS, THERAPY_ROOM, AFTER_SCHOOL, HOME = range(4)

SETTING_CODES = {"pull_out": 0, "push_in": 1, "after_school": 2}
FAVOURITE_SUBJECTS = frozenset({"specials", "lunch_recess"})

#: Periods the homeroom teacher does not teach: they neither watch pushed-in sessions nor give
#: embedded practice there.
NO_HOMEROOM_TEACHER = frozenset({"specials", "lunch_recess"})


@dataclass
class SlotPlan:
    """Everything fixed about one slot of the week.

    Attributes:
        day: Weekday index.
        slot: Slot of the day (periods first, then after-school slots).
        in_school: True for a timetable period, False for an after-school slot.
        minutes: Length of the slot in minutes in the main bell.
        student_minutes: (students,) length of the slot for each student: the period of its
            class's bell (`inclusion_sim.school.world.Timetable.minutes_of`). Every per-student
            quantity (lesson minutes, minutes missed) uses it.
        subject: (classes,) subject name of each class this slot ("" after school).
        member: Students in a session this slot (one entry per student).
        member_domain: Service domain index of each member's session.
        member_setting: Setting code of each member's session (see `SETTING_CODES`).
        member_minutes: Session minutes of each member.
        member_therapist: Therapist (index into ``school.therapists``) of each member's session.
        member_collaborative: True where the session is collaborative push-in.
        member_favourite: True where the session falls in a favourite period of the member's
            class (specials, lunch or recess), in school, whatever the setting.
        member_missed_minutes: Lesson minutes each member misses by taking part: a pulled-out
            student the session plus the walk each way, a pushed-in student the share of the
            lesson spent on the therapist's task (``1 - parallel_lesson_share`` or
            ``1 - cotaught_lesson_share``); 0 after school. A member who refuses misses none.
        member_missed_core: True where that lesson is a core subject.
        location: (students,) where each student is this slot if every member takes part.
        out: Students out of class this slot during a lesson (pulled out).
        instruction_minutes: (students,) core-lesson minutes each student would receive if
            nobody were in a session, after disruption (members' missed minutes are taken off
            in the slot, once refusals are known).
        pushins: (class, domain, collaborative) of each pushed-in session held while the
            homeroom teacher is in the room (not in specials or lunch/recess): what teachers see.
        spill: Classmates without an IEP, not in a session, sharing a core lesson with a
            pushed-in therapist.
        spill_minutes: Minutes of therapist presence in that lesson.
        iep_relevant: (iep students, services) True where the student is in class and not in a
            session, in a lesson relevant to a domain they need (where peers model the skill).
        iep_teacher_relevant: The same, restricted to lessons the homeroom teacher teaches
            (where the teacher can give embedded practice).
        relevant: (classes, services) True where the class's lesson is relevant to a domain.
        teacher_present: (classes,) True where the homeroom teacher teaches the lesson.
        removed_visibly: Members who leave the room for a pull-out session during school.
        supported_in_class: Members pushed into their class's lesson.
    """

    day: int
    slot: int
    in_school: bool
    minutes: float
    subject: np.ndarray
    member: np.ndarray
    member_domain: np.ndarray
    member_setting: np.ndarray
    member_minutes: np.ndarray
    member_therapist: np.ndarray
    member_collaborative: np.ndarray
    member_favourite: np.ndarray
    member_missed_minutes: np.ndarray
    member_missed_core: np.ndarray
    location: np.ndarray
    out: np.ndarray
    instruction_minutes: np.ndarray
    pushins: list[tuple[int, int, bool]]
    spill: np.ndarray
    spill_minutes: np.ndarray
    iep_relevant: np.ndarray
    iep_teacher_relevant: np.ndarray
    relevant: np.ndarray
    teacher_present: np.ndarray
    removed_visibly: np.ndarray
    supported_in_class: np.ndarray
    student_minutes: np.ndarray | None = None


def build_week_plan(school: School, schedule: WeeklySchedule, class_index: np.ndarray,
                    iep: np.ndarray, need: np.ndarray, params: Params, *,
                    missed_instruction: bool = True, disruption: bool = True) -> list[SlotPlan]:
    """Precompute the plan of every slot of the week.

    Args:
        school: The school.
        schedule: The weekly schedule.
        class_index: (students,) homeroom class of each student.
        iep: Indices of students with an IEP.
        need: (students, services) needs.
        params: Model parameters.
        missed_instruction: When false, pulled-out and pushed-in students still receive the
            whole lesson (the ``missed_instruction`` switch).
        disruption: When false, neither a pushed-in therapist nor students leaving for a
            pull-out session disrupt the lesson for the class (part of the ``spillover`` switch).
    """
    tt = school.timetable
    n = class_index.shape[0]
    n_classes = len(school.classes)
    transition = params.transition_minutes
    by_slot: dict[tuple[int, int], list] = {}
    for s in schedule.sessions:
        by_slot.setdefault((s.day, s.slot), []).append(s)
    class_ids = [c.id for c in school.classes]
    # Slot lengths per class: its own bell's (one bell in most schools).
    class_minutes = np.stack([tt.minutes_of(c) for c in class_ids]).astype(float) \
        if class_ids else np.zeros((0, tt.days, tt.periods))
    plans = []
    for day in range(tt.days):
        for slot in range(schedule.slots_per_day):
            in_school = slot < schedule.periods
            minutes = float(tt.period_minutes[day, slot]) if in_school else AFTER_SCHOOL_MINUTES
            own = (class_minutes[:, day, slot] if in_school
                   else np.full(n_classes, float(AFTER_SCHOOL_MINUTES)))
            student_minutes = own[class_index]
            subject = np.array([tt.subjects[c][day][slot] if in_school else ""
                                for c in class_ids], dtype=object)
            core = np.isin(subject, list(CORE_SUBJECTS))
            relevant = np.stack([np.isin(subject, list(RELEVANT_SUBJECTS[d])) for d in SERVICES],
                                axis=1) if in_school else np.zeros((n_classes, len(SERVICES)), bool)
            sessions = by_slot.get((day, slot), [])
            member, dom, setting, mins, collab, therapist = [], [], [], [], [], []
            for s in sessions:
                for i in s.students:
                    member.append(i)
                    dom.append(SERVICES.index(s.service))
                    setting.append(SETTING_CODES[s.setting])
                    mins.append(s.minutes)
                    collab.append(s.collaboration == "collaborative")
                    therapist.append(s.therapist)
            member_a = np.array(member, dtype=np.int64)
            setting_a = np.array(setting, dtype=np.int64)
            collab_a = np.array(collab, dtype=bool)
            mins_a = np.array(mins, dtype=float)
            location = np.full(n, IN_CLASS if in_school else HOME, dtype=np.int8)
            pulled_member = setting_a == SETTING_CODES["pull_out"]
            pushed_member = setting_a == SETTING_CODES["push_in"]
            pulled = member_a[pulled_member]
            location[pulled] = THERAPY_ROOM
            location[member_a[setting_a == SETTING_CODES["after_school"]]] = AFTER_SCHOOL
            favourite = np.zeros(len(member), dtype=bool)
            member_core = np.zeros(len(member), dtype=bool)
            if in_school and len(member):
                member_subject = subject[class_index[member_a]]
                favourite = np.isin(member_subject, list(FAVOURITE_SUBJECTS))
                member_core = np.isin(member_subject, list(CORE_SUBJECTS))
            teacher_present = ~np.isin(subject, list(NO_HOMEROOM_TEACHER)) & in_school
            instruction = (np.where(core[class_index], student_minutes, 0.0) if in_school
                           else np.zeros(n))

            # Lesson minutes a member misses by taking part: a pulled-out student the session and
            # the walk; a pushed-in student the share of the lesson spent on the therapist's task.
            lesson_share = np.where(collab_a, params.cotaught_lesson_share,
                                    params.parallel_lesson_share)
            member_missed = np.where(pulled_member,
                                     np.minimum(student_minutes[member_a], mins_a + 2 * transition),
                                     np.where(pushed_member, (1.0 - lesson_share) * mins_a, 0.0))
            if not in_school or not missed_instruction:
                member_missed = np.zeros(len(member))

            push_sessions = [s for s in sessions if s.setting == "push_in"]
            pushins = [(s.class_index, SERVICES.index(s.service),
                        s.collaboration == "collaborative")
                       for s in push_sessions if teacher_present[s.class_index]]
            spill, spill_minutes = np.zeros(0, np.int64), np.zeros(0)
            pushed_classes = sorted({s.class_index for s in push_sessions if core[s.class_index]})
            if pushed_classes:
                in_room = np.isin(class_index, pushed_classes)
                if disruption:
                    instruction[in_room] *= 1.0 - params.push_in_disruption
                in_room[member_a] = False
                in_room[iep] = False
                spill = np.flatnonzero(in_room)
                session_minutes: dict[int, float] = {}
                for s in push_sessions:
                    session_minutes[s.class_index] = session_minutes.get(s.class_index, 0) + s.minutes
                spill_minutes = np.array([min(student_minutes[i], session_minutes[class_index[i]])
                                          for i in spill], float)
            exit_classes = np.unique(class_index[pulled]) if in_school else np.zeros(0, np.int64)
            exit_classes = exit_classes[core[exit_classes]]
            if disruption and len(exit_classes):
                in_left_room = np.isin(class_index, exit_classes)
                lost = 2.0 * params.pull_out_disruption_minutes
                instruction[in_left_room] = np.maximum(instruction[in_left_room] - lost, 0.0)
            # Members are with their therapist: the session, not the lesson around it, is their
            # practice this slot (in any setting).
            present = location == IN_CLASS
            present[member_a] = False
            iep_relevant = relevant[class_index[iep]] & need[iep] & present[iep, None]
            iep_teacher_relevant = iep_relevant & teacher_present[class_index[iep], None]
            plans.append(SlotPlan(
                day=day, slot=slot, in_school=in_school, minutes=minutes, subject=subject,
                member=member_a, member_domain=np.array(dom, dtype=np.int64),
                member_setting=setting_a, member_minutes=mins_a,
                member_therapist=np.array(therapist, dtype=np.int64),
                member_collaborative=collab_a, member_favourite=favourite,
                member_missed_minutes=member_missed, member_missed_core=member_core,
                location=location, out=pulled, instruction_minutes=instruction, pushins=pushins, spill=spill,
                spill_minutes=spill_minutes, iep_relevant=iep_relevant,
                iep_teacher_relevant=iep_teacher_relevant, relevant=relevant,
                teacher_present=teacher_present,
                removed_visibly=pulled if in_school else np.zeros(0, np.int64),
                supported_in_class=member_a[pushed_member],
                student_minutes=student_minutes,
            ))
    return plans


@dataclass(frozen=True)
class Whereabouts:
    """Where one student is in one slot of the week, and with whom.

    Attributes:
        place: One of `LOCATIONS`: ``class``, ``therapy_room``, ``after_school`` or ``home``.
        therapist: Index into ``school.therapists`` of the therapist the student is with, or
            None outside a session. A pushed-in student is in ``class`` *with* a therapist.
        service: The service of that session ("" outside a session).
        setting: ``pull_out``, ``push_in`` or ``after_school`` ("" outside a session).
        subject: The class's subject in that slot ("" after school).
        minutes: Session minutes (0 outside a session).
        collaboration: ``parallel`` or ``collaborative`` for a pushed-in session, else "".
        makeup: True for a make-up session: not in the weekly plan, held in that week only
            (`inclusion_sim.model.mechanisms.makeup`).
    """

    place: str
    therapist: int | None = None
    service: str = ""
    setting: str = ""
    subject: str = ""
    minutes: int = 0
    collaboration: str = ""
    makeup: bool = False

    @property
    def in_session(self) -> bool:
        """True when the student is in a therapy session this slot."""
        return self.therapist is not None


_SETTING_NAMES = {code: name for name, code in SETTING_CODES.items()}


def locate(plan: SlotPlan, student: int, class_of_student: int) -> Whereabouts:
    """Where `student` (homeroom `class_of_student`) is in the slot `plan` describes."""
    place = LOCATIONS[int(plan.location[student])]
    subject = str(plan.subject[class_of_student]) if plan.in_school else ""
    hits = np.flatnonzero(plan.member == student)
    if not hits.size:
        return Whereabouts(place, subject=subject)
    k = int(hits[0])
    setting = _SETTING_NAMES[int(plan.member_setting[k])]
    collaboration = "" if setting != "push_in" else (
        "collaborative" if plan.member_collaborative[k] else "parallel")
    return Whereabouts(place, int(plan.member_therapist[k]), SERVICES[int(plan.member_domain[k])],
                       setting, subject, int(plan.member_minutes[k]), collaboration)
