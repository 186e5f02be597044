"""Per-student and per-teacher numeric state as arrays (structure of arrays).

The mechanisms update whole arrays per period; agents read and write the same numbers through
properties. Skills are in [0, 1] per service domain; academic growth is in standard-deviation
units accumulated over the run; minutes are minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inclusion_sim.model.mechanisms.disruptions import CAUSES
from inclusion_sim.school.world import SERVICES, School

D = len(SERVICES)



@dataclass
class StudentState:
    """Arrays of per-student state; row i is ``school.students[i]``.

    Attributes:
        class_index: Homeroom class of each student.
        grade: Grade (0 = kindergarten).
        need: (n, services) True where the student has a mandate in that domain.
        baseline: Academic standing at the start, in SD units (0 = average).
        mastery: (n, services) mastery of the IEP goal in the session.
        carryover: (n, services) use of the skill in the classroom (the outcome that matters).
        academic_growth: Growth in SD units since the start of the run.
        spillover_growth: The part of academic growth that came from pushed-in therapists
            (spill-over) or from a smaller class while students are pulled out.
        backlog: Minutes of missed core material not yet caught up.
        stigma: Felt stigma in [0, 1].
        belonging_base: Belonging with no stigma (from friendships).
        belonging: Current belonging in [0, 1].
        engagement: Current engagement in [0, 1].
        cancelled: (n, services) session minutes cancelled by disruptions (absences, events,
            duties), cumulative.
        made_up: (n, services) minutes of make-up sessions (also in ``delivered``).
        makeup_refused: (n, services) minutes of make-up sessions the student refused (the
            session they replace is already counted as lost, with its cause).
        absent_core, absent_other: (n,) core and other lesson minutes missed by being absent
            from school (not counted as lesson time missed for therapy).
        lost_sessions: (n, services, causes) sessions lost, by cause (see
            `inclusion_sim.model.mechanisms.disruptions.CAUSES`).
    """

    class_index: np.ndarray
    grade: np.ndarray
    need: np.ndarray
    baseline: np.ndarray
    mastery: np.ndarray
    carryover: np.ndarray
    academic_growth: np.ndarray
    spillover_growth: np.ndarray
    backlog: np.ndarray
    stigma: np.ndarray
    belonging_base: np.ndarray
    belonging: np.ndarray
    engagement: np.ndarray
    # ledger (minutes, cumulative)
    mandated: np.ndarray
    scheduled: np.ndarray
    delivered: np.ndarray
    wasted: np.ndarray
    absent: np.ndarray
    practice: np.ndarray
    core_missed: np.ndarray
    other_missed: np.ndarray
    refusals: np.ndarray
    sessions_attended: np.ndarray
    cancelled: np.ndarray | None = None
    made_up: np.ndarray | None = None
    lost_sessions: np.ndarray | None = None
    makeup_refused: np.ndarray | None = None
    absent_core: np.ndarray | None = None
    absent_other: np.ndarray | None = None

    def __post_init__(self) -> None:
        n, d = self.need.shape
        if self.makeup_refused is None:
            self.makeup_refused = np.zeros((n, d))
        if self.absent_core is None:
            self.absent_core = np.zeros(n)
        if self.absent_other is None:
            self.absent_other = np.zeros(n)
        if self.cancelled is None:
            self.cancelled = np.zeros((n, d))
        if self.made_up is None:
            self.made_up = np.zeros((n, d))
        if self.lost_sessions is None:
            self.lost_sessions = np.zeros((n, d, len(CAUSES)))

    @property
    def n(self) -> int:
        """Number of students."""
        return int(self.class_index.shape[0])

    @property
    def has_iep(self) -> np.ndarray:
        """True for students with at least one mandate."""
        return self.need.any(axis=1)

    def skill_gap(self) -> np.ndarray:
        """Mean shortfall of classroom carry-over over each student's needed domains."""
        needed = self.need.sum(axis=1)
        gap = ((1.0 - self.carryover) * self.need).sum(axis=1)
        return np.divide(gap, needed, out=np.zeros(self.n), where=needed > 0)


@dataclass
class TeacherState:
    """Per-class teacher state, shape (classes, services).

    Attributes:
        knowledge: How much of the therapists' strategies the teacher knows.
        use: How often the teacher uses them in lessons.
        observed: Sessions observed (cumulative).
        coplanning: Co-planning minutes (cumulative).
    """

    knowledge: np.ndarray
    use: np.ndarray
    observed: np.ndarray
    coplanning: np.ndarray


def initial_students(school: School, rng: np.random.Generator,
                     friends: list[list[int]]) -> StudentState:
    """Draw each student's starting skills and standing from the initial-state stream.

    Students with a mandate start with low mastery (0.1-0.4) and lower carry-over (half to
    all of their mastery); others are at the top of the scale. Students with IEPs start one SD
    below average on average. Belonging rises with the number of friends in the class.
    """
    n = len(school.students)
    class_of = school.class_index()
    need = np.zeros((n, D), dtype=bool)
    for i, s in enumerate(school.students):
        for m in s.mandates:
            need[i, SERVICES.index(m.service)] = True
    has_iep = need.any(axis=1)
    baseline = rng.normal(0.0, 1.0, n) - 1.0 * has_iep
    start_mastery = rng.uniform(0.1, 0.4, (n, D))
    start_share = rng.uniform(0.5, 1.0, (n, D))
    mastery = np.where(need, start_mastery, 1.0)
    carryover = np.where(need, start_mastery * start_share, 1.0)
    n_friends = np.array([len(f) for f in friends], dtype=float)
    belonging_base = np.clip(0.55 + 0.1 * n_friends + rng.normal(0, 0.05, n), 0.3, 1.0)
    zeros = np.zeros(n)
    zeros_d = np.zeros((n, D))
    state = StudentState(
        class_index=np.array([class_of[s.class_id] for s in school.students], dtype=np.int64),
        grade=np.array([s.grade for s in school.students], dtype=np.int64),
        need=need,
        baseline=baseline,
        mastery=mastery,
        carryover=carryover,
        academic_growth=zeros.copy(),
        spillover_growth=zeros.copy(),
        backlog=zeros.copy(),
        stigma=zeros.copy(),
        belonging_base=belonging_base,
        belonging=belonging_base.copy(),
        engagement=np.ones(n),
        mandated=zeros_d.copy(),
        scheduled=zeros_d.copy(),
        delivered=zeros_d.copy(),
        wasted=zeros_d.copy(),
        absent=zeros_d.copy(),
        practice=zeros_d.copy(),
        core_missed=zeros.copy(),
        other_missed=zeros.copy(),
        refusals=zeros.copy(),
        sessions_attended=zeros.copy(),
    )
    return state


def initial_teachers(n_classes: int) -> TeacherState:
    """Teachers start knowing and using none of the therapists' strategies."""
    return TeacherState(
        knowledge=np.zeros((n_classes, D)),
        use=np.zeros((n_classes, D)),
        observed=np.zeros((n_classes, D)),
        coplanning=np.zeros(n_classes),
    )


def make_friendships(school: School, rng: np.random.Generator, per_student: int = 3) -> list[list[int]]:
    """Link each student to up to `per_student` classmates; links are mutual.

    Because links go both ways, a student can end up with one more friend than they chose
    (at most ``per_student + 1``).
    """
    by_class: dict[str, list[int]] = {}
    for i, s in enumerate(school.students):
        by_class.setdefault(s.class_id, []).append(i)
    friends: list[set[int]] = [set() for _ in school.students]
    for members in by_class.values():
        if len(members) < 2:
            continue
        for i in members:
            others = [j for j in members if j != i]
            k = min(per_student, len(others))
            for j in rng.choice(others, size=k, replace=False):
                if len(friends[i]) < per_student + 1 and len(friends[int(j)]) < per_student + 1:
                    friends[i].add(int(j))
                    friends[int(j)].add(i)
    return [sorted(f) for f in friends]
