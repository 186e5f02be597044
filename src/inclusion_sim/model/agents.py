"""The model's agents: students, teachers and therapists.

Agents carry identity and relationships (class, friends, caseload) and are what notebooks and
the dashboard touch. Their numbers live in the model's arrays (`inclusion_sim.model.state`): every
numeric attribute below is a view, so ``student.stigma`` and ``model.state.stigma[i]`` are the
same number, and writing one writes the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from inclusion_sim.school.world import SERVICES, StudentRecord, TeacherRecord, TherapistRecord

if TYPE_CHECKING:
    from inclusion_sim.model.school_model import SchoolModel


def _student_array(name: str, doc: str) -> property:
    def get(self: Student):
        return getattr(self.model.state, name)[self.index]

    def set_(self: Student, value) -> None:
        getattr(self.model.state, name)[self.index] = value

    return property(get, set_, doc=doc)


def _teacher_array(name: str, doc: str) -> property:
    def get(self: Teacher):
        return getattr(self.model.teacher_state, name)[self.index]

    def set_(self: Teacher, value) -> None:
        getattr(self.model.teacher_state, name)[self.index] = value

    return property(get, set_, doc=doc)


class Student(mesa.Agent):
    """A student: a class, a grade, mandates, friends, and numeric state held in arrays.

    Per-domain attributes (``mastery``, ``carryover``, ...) are arrays with one entry per
    service in `inclusion_sim.school.world.SERVICES` order; use `skill` for one domain by name.
    """

    stigma = _student_array("stigma", "Felt stigma in [0, 1].")
    belonging = _student_array("belonging", "Belonging (peer acceptance) in [0, 1].")
    engagement = _student_array("engagement", "Engagement in [0, 1].")
    academic_growth = _student_array("academic_growth", "Academic growth so far (SD units).")
    backlog = _student_array("backlog", "Minutes of missed core material not yet caught up.")
    core_minutes_missed = _student_array("core_missed", "Core lesson minutes missed so far.")
    other_minutes_missed = _student_array("other_missed",
                                          "Other (non-core) lesson minutes missed so far.")
    mastery = _student_array("mastery", "Goal mastery per service domain.")
    carryover = _student_array("carryover", "Classroom use of the skill per service domain.")
    delivered_minutes = _student_array("delivered", "Therapy minutes delivered per service.")

    def __init__(self, model: SchoolModel, index: int, record: StudentRecord):
        super().__init__(model)
        self.index = index
        self.record = record
        self.student_id = record.id
        self.friends: list[Student] = []

    @property
    def has_iep(self) -> bool:
        """True when the student has related-service mandates."""
        return self.record.has_iep

    @property
    def location(self) -> str:
        """Where the student is in the slot the clock points at (the next one to run).

        One of ``class``, ``therapy_room``, ``after_school`` or ``home``; see
        `SchoolModel.location` for the therapist and lesson as well.
        """
        return self.model.location(self.index).place

    def whereabouts(self, day: int, slot: int):
        """Where the student is in a slot of the (repeating) week, with whom and in which lesson."""
        return self.model.location(self.index, day, slot)

    def history(self):
        """This student's weekly record (week 0 = the start) as a DataFrame.

        Kept for students with IEPs: mean mastery and carry-over over their needed domains,
        academic growth, core hours missed, stigma and belonging. Empty for other students.
        """
        import pandas as pd

        row = int(self.model.iep_position[self.index])
        if row < 0:
            return pd.DataFrame()
        table = {name: [week[row] for week in weeks] for name, weeks in self.model.history.items()}
        return pd.DataFrame({"week": range(len(next(iter(table.values())))), **table})

    def needs(self, service: str) -> bool:
        """True when the student's IEP mandates `service` (e.g. ``"speech"``)."""
        return bool(self.model.state.need[self.index, SERVICES.index(service)])

    def skill(self, service: str) -> tuple[float, float]:
        """(mastery, carry-over) in one domain, each on a 0-1 scale.

        A student without a mandate for the service is taken to have the skill already: the
        model starts them at the top of the scale and never moves it, so this returns
        ``(1.0, 1.0)``. Ask `needs` first to tell the two apart.
        """
        d = SERVICES.index(service)
        return float(self.mastery[d]), float(self.carryover[d])


class Teacher(mesa.Agent):
    """A classroom teacher; knows and uses therapists' strategies per domain."""

    knowledge = _teacher_array("knowledge", "Knowledge of each domain's strategies, in [0, 1].")
    strategy_use = _teacher_array("use", "Use of each domain's strategies in lessons, in [0, 1].")

    def __init__(self, model: SchoolModel, index: int, record: TeacherRecord):
        super().__init__(model)
        self.index = index
        self.record = record
        self.class_id = record.class_id


class Therapist(mesa.Agent):
    """A related-service provider with a weekly timetable of sessions."""

    def __init__(self, model: SchoolModel, index: int, record: TherapistRecord):
        super().__init__(model)
        self.index = index
        self.record = record
        self.discipline = record.discipline

    @property
    def sessions(self) -> list:
        """This therapist's weekly sessions."""
        return [s for s in self.model.schedule.sessions if s.therapist == self.index]

    @property
    def caseload(self) -> list[Student]:
        """Students this therapist sees."""
        seen = sorted({i for s in self.sessions for i in s.students})
        return [self.model.student_agents[i] for i in seen]

    @property
    def minutes(self) -> dict[str, float]:
        """Direct, travel and co-planning minutes so far."""
        return {k: float(v[self.index]) for k, v in self.model.therapist_minutes.items()}


__all__ = ["Student", "Teacher", "Therapist"]
