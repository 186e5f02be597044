"""An optimizing weekly scheduler: the greedy's problem, solved with OR-Tools CP-SAT.

`schedule_week_optimal` solves the problem `inclusion_sim.delivery.scheduling.schedule_week` solves
greedily, under exactly the same hard rules, and returns the same dataclasses. Unlike the greedy
it chooses the groups itself instead of cutting each grade or class into fixed chunks, so it can
mix students with different numbers of weekly sessions or different group limits. It also
proves how far from the best possible week its answer is, which the greedy cannot.

Formulation. Each student's mandate under the policy becomes one *requirement* per setting
(hybrid splits a mandate into pulled-out and pushed-in sessions). Requirements that may share a
session form a *pool*: same service, setting and session length, and the same place (the class
for push-in; the grade, or two adjacent grades with ``adjacent_grades``, for pull-out and
after-school). For every pool, therapist of the discipline and slot the rules allow, a Boolean
``z`` says a session is held there, and for every member allowed in that slot a Boolean ``y``
says the member attends. The hard rules are:

* a member attends only a held session, and a held session has a member;
* a session has no more members than the smallest IEP group limit among them;
* a therapist holds at most one session at a time, and only on days on site: a slot's time is
  its period in the bell of the pool's class or grade, and one at-most-one constraint per set of
  slots that overlap by the clock (`_therapist_cliques`) is, with one bell, one per slot;
* a student is in at most one session a slot, across all services;
* a student gets at most the mandated number of sessions of each service and setting;
* a therapist's direct minutes, travel per pushed-in session and co-planning once per
  (therapist, class) pair with a co-taught session stay within the contracted minutes (a
  redundant constraint, a therapist's sessions in a class at most their possible number times
  the class's indicator, tightens the linear relaxation of co-planning);
* allowed slots: pushed-in sessions only in lessons relevant to the service (or, when the policy
  allows, in any lesson except lunch and recess), pulled-out sessions never in lunch and recess
  and not in core lessons when the policy avoids them, after-school sessions only in the
  after-school slots; a session never longer than its period.

Decomposition. Services are coupled only through students who receive several of them (a
student is in one place at a time); everything else, including the objective below, is separate
per service. The week is therefore solved one service at a time, largest mandate first, each
around the sessions already placed for earlier services and the greedy's sessions of later
services (so the greedy's own sessions of every later service stay possible, and the result is
never worse than the greedy's). A service's bound must hold for any week, not only for those
around the other services' sessions: it is the relaxation's (below) when the week found comes
within the gap of it, and otherwise that of a short solve without the other services' sessions
(`_solve_blocked`). A service whose model would be too large (`SolverOptions.max_variables`,
very large schools) keeps the greedy's sessions and is placed first.

Objective of each service, in two lexicographic solves so that a bound on minutes is honest:

1. Maximize the mandated minutes scheduled, and nothing else. The solver's proven objective
   bound of this solve is a bound on the service's minutes. A second bound comes from a small
   relaxation that only counts sessions per pool and therapist (`_aggregate_bound`: therapist
   minutes with co-planning, slots, group limits and mandates kept; when sessions happen
   dropped), which is what proves bounds when therapist minutes are the limit. Where that
   relaxation's solution breaks a rule every timetable keeps (a therapist's sessions within the
   slots its pools may use, one at a time; a group no larger than its smallest member's limit),
   a tighter form of it is solved too (`_relaxed_model`). Its bound stops the search (a solution
   callback) instead of entering the model as a constraint, which would change the search's
   path: the week found is the one the search finds without it, only sooner. The smaller of
   the bounds bounds the service, and `SolverReport.upper_bound_minutes` is their sum over services
   (the coupling between services is dropped, so it is a relaxation's bound: no timetable under
   these rules can deliver more; a greedily scheduled service counts its mandated minutes).
2. Keep at least the minutes found in step 1 and maximize, with integer weights ordered by
   magnitude: minutes (`W_MINUTES`, in case step 2 finds more); spreading a shortfall over
   students (`W_SPREAD` times a concave reward: the j-th delivered session of a student's service
   is worth ``n_max + 1 - j``, so taking a session from a student who has many to give one to a
   student who has few always pays); a student's sessions of a service on different days
   (`W_SAME_DAY` per extra session on one day); pulled-out sessions outside core lessons
   (`W_CORE` per student-session in a core lesson); pushed-in sessions in relevant lessons
   (`W_NOT_RELEVANT` per session outside one, which only happens when the policy allows it);
   fewer classrooms per therapist (`W_CLASSROOM` per therapist-class pair, less travel and
   co-planning); fewer sessions for the same students (`W_SESSION` per session: a group split
   without need costs therapist time, which the staff cost counts).

   Step 2 starts from step 1's schedule. A service with pushed-in sessions is solved whole
   only while that proves optimal within a small budget (the small services); otherwise its
   schedule is improved one neighbourhood at a time, one grade's sessions with everything
   else fixed (`_neighbourhood_search`), which reaches a better
   schedule in a fraction of the time the whole model needs. Pull-out-only and after-school
   services are solved whole. Either way the result is the best found, not proven optimal for
   step 2 (``SolverReport.secondary_status``); step 1's minutes and bound are unaffected.

The solver runs single-threaded with a fixed seed and a deterministic-time limit (never a
wall-clock limit), shared between the services in proportion to their model sizes, so the same
inputs give the same schedule on any machine. The starting hint is the better of the greedy's
schedule and a timetable built by placing the aggregate relaxation's sessions slot by slot
(`_constructed`); when it already reaches a service's bound, that service is not searched at all.

`explain_unmet` re-solves with one rule relaxed at a time (more therapist minutes, more days on
site, pushed-in sessions outside relevant lessons, larger groups, and optionally a staggered
master schedule) and names, for every unmet session, the first change that schedules it: what an
administrator would need to change.

Known limitation: where neither the relaxation nor the search closes, the search stops when its
deterministic budget runs out and ``SolverReport`` gives the week with its bound. On the shipped
schools' own rosters that is only K-8's co-taught push-in (11,805 minutes against a bound of
11,835, a quarter of a point of the mandate); other rosters of the same schools can be further
apart (K-8's first replicate's co-taught push-in: 13,305 against 13,515, 1.4 points).

OR-Tools is imported inside the functions: the import takes most of a second and the rest of the
package does not need it.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from inclusion_sim.base.params import Params
from inclusion_sim.delivery.indirect import reserved_minutes
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.delivery.scheduling import (
    AFTER_SCHOOL_MINUTES,
    Session,
    SolverReport,
    TherapistLoad,
    Unmet,
    WeeklySchedule,
    merge_unmet,
    schedule_week,
    therapist_load,
)
from inclusion_sim.school.world import CORE_SUBJECTS, MAIN_BELL, RELEVANT_SUBJECTS, School

__all__ = ["SolverOptions", "SolverReport", "Relaxation", "RELAXATIONS", "schedule_week_optimal",
           "explain_unmet", "with_explained_unmet"]

#: Objective weights of the second solve, ordered by magnitude (see the module docstring).
W_MINUTES = 100_000
W_SPREAD = 1_000
W_SAME_DAY = 100
W_CORE = 10
W_NOT_RELEVANT = 10
W_CLASSROOM = 1
W_SESSION = 1

#: Deterministic budgets of the two solves of the relaxation that bounds each part
#: (`_aggregate_bound`): the second, only when the first did not prove its bound, with
#: co-planning therapists' sessions rounded to whole ones (what keeps the first from closing
#: on co-taught weeks).
AGGREGATE_TIME = (0.1, 0.4)
#: The first of those solves when the part has co-planning therapists, whose bound the second,
#: rounded solve proves. On the shipped schools and their replicate rosters, where the first did
#: not close within 0.1 units it had found its last solution within 0.001, so the rest only
#: delayed the second (0.2-0.3 s of CPU per co-taught service here).
COPLANNED_FIRST_TIME = 0.01
#: Deterministic budget of the tighter relaxation (`_relaxed_model` with ``tight``), solved only
#: when the first relaxation's solution breaks a rule the tighter one adds. It is small and closes
#: in a few hundredths of a unit on the shipped schools where it is solved at all.
TIGHT_BOUND_TIME = 0.1
#: Deterministic budget of the solve that proves a part's bound when its schedule around other
#: services' sessions is not within the gap of the relaxation's bound (`_solve_blocked`): the
#: root of the search, where that solve's bound comes from on the shipped schools.
BOUND_SOLVE_TIME = 0.2
#: A starting week that is short of the relaxation's bound by at most this share of the part's
#: mandated minutes is first re-solved one therapist at a time around the students it leaves
#: short (`_around_the_short`), within `SHORT_REPAIR_TIME` units in all: on the K-8 school that
#: finds the last sessions of pushed-in services without a search of the whole model. Further
#: from the bound (after-school weeks, a service whose sessions largely do not fit) the whole
#: model's search is what helps, and the repair would only take its time.
SHORT_REPAIR_SHARE = 0.05
SHORT_REPAIR_TIME = 0.3
#: Deterministic budget of the whole-model second step of a part with pushed-in sessions before
#: it falls back to the neighbourhood search (`_polish`): enough to prove the small services.
POLISH_PROBE_TIME = 0.05
#: The same for a part that also pulls students out (a hybrid's): where its pulled-out sessions
#: fall is decided across grades (a therapist's free periods), which one grade at a time cannot
#: reach, so the whole model gets longer. It proves the small school's hybrids optimal (8 and 4
#: pulled-out student-sessions in core lessons, where the neighbourhoods stop at 20 and 17).
MIXED_PROBE_TIME = 0.3
#: Models with more variables than these skip that whole-model try. On the shipped schools the
#: short try never proved a pushed-in model above about 1,000 variables optimal; the longer try
#: proved the small school's hybrid models (up to 1,530 variables) but not K-8's OT (1,613).
PROBE_MAX_VARIABLES = 1_000
MIXED_PROBE_MAX_VARIABLES = 1_600
#: Deterministic budget of one neighbourhood's solve in the second step's neighbourhood search.
NEIGHBOURHOOD_TIME = 0.05
#: Solver parameters of a neighbourhood's solve: each is small once its fixed variables are
#: presolved away, so a light presolve and the first linearization level cost least per solve.
NEIGHBOURHOOD_PARAMETERS = {"linearization_level": 1, "max_presolve_iterations": 1,
                            "symmetry_level": 0, "cp_model_probing_level": 0}
#: Most rounds over a part's neighbourhoods in the second step's neighbourhood search. Each
#: solve also costs a fixed 50-100 ms of CPU for loading and presolving the whole model, which
#: its units do not show; a second round improved little for that (docs/performance.md).
NEIGHBOURHOOD_ROUNDS = 1

@dataclass(frozen=True)
class SolverOptions:
    """Settings of the optimizing scheduler.

    Budgets are in the solver's deterministic work units, which do not depend on machine load
    (seconds would), so a budget that runs out still gives the same schedule everywhere.

    Attributes:
        deterministic_time: Budget of the first solves (mandated minutes), shared by the
            services. Each stops earlier once its schedule is within `gap` of its bound.
        polish_time: Budget of the second solves (spreading sessions, days, lessons, rooms).
        gap: Stop the first solve once the minutes found are within this share of the mandated
            minutes of the proven bound (0 proves optimality).
        seed: The solver's random seed.
        adjacent_grades: Let pulled-out and after-school groups mix two adjacent grades.
        hint: Start from the better of the greedy schedule (which also guarantees a result at
            least as good) and the aggregate relaxation's sessions placed slot by slot.
        linearization_level: The solver's linear relaxation: 2 is tighter and proves better
            bounds, 1 is cheaper per search step.
        neighbourhood_search: In the second step, improve a service with pushed-in sessions one
            grade at a time once a short whole-model try does not prove it optimal (fast), rather
            than searching the whole model with the whole `polish_time` (several times slower on
            the default and K-8 schools, better on the small one, where it proves the best week).
        max_variables: A service whose model would have more session and attendance variables
            than this (very large schools) keeps the greedy's sessions, and its bound is its
            mandated minutes; `SolverReport.greedy_services` names it. Keeps memory bounded.
    """

    deterministic_time: float = 3.0
    polish_time: float = 0.5
    gap: float = 0.01
    seed: int = 0
    adjacent_grades: bool = False
    hint: bool = True
    linearization_level: int = 2
    neighbourhood_search: bool = True
    max_variables: int = 200_000


@dataclass(frozen=True)
class Relaxation:
    """One rule loosened to find out what it would take to schedule unmet sessions.

    Attributes:
        reason: The reason key (in `UNMET_REASONS`) of sessions this relaxation schedules.
        more_minutes: Therapists' contracted minutes are unlimited.
        all_days: Therapists are on site every school day.
        any_lesson: Pushed-in sessions may use any lesson except lunch and recess.
        larger_groups: IEP group limits are lifted.
        school: A function returning a changed school with the same students and staff, e.g. one
            with a staggered master schedule.
    """

    reason: str
    more_minutes: bool = False
    all_days: bool = False
    any_lesson: bool = False
    larger_groups: bool = False
    school: Callable[[School], School] | None = None


#: The relaxations `explain_unmet` tries, in order (the first one that schedules a session names
#: its reason). The first entry relaxes nothing: it finds sessions the given schedule left out
#: although a different timetable under the same rules would fit them.
RELAXATIONS: tuple[Relaxation, ...] = (
    Relaxation("fits_another_timetable"),
    Relaxation("needs_non_relevant_lessons", any_lesson=True),
    Relaxation("needs_larger_groups", larger_groups=True),
    Relaxation("needs_more_days_on_site", all_days=True),
    Relaxation("needs_more_therapist_time", more_minutes=True),
)


@dataclass
class _Req:
    """A student's sessions of one service in one setting."""

    student: int
    service: str
    setting: str
    sessions: int
    minutes: int
    max_group: int
    slots: frozenset[tuple[int, int]]
    pools: list[int]


@dataclass
class _Pool:
    """Requirements that may share a session."""

    service: str
    setting: str
    place: int
    minutes: int
    collaboration: str
    members: list[int]
    bell: str = MAIN_BELL


class _Instance:
    """The scheduling problem as plain data: requirements, pools, therapists, slots."""

    def __init__(self, school: School, policy: Policy, params: Params, options: SolverOptions,
                 relax: Relaxation | None = None):
        relax = relax or Relaxation("")
        if relax.school is not None:
            school = relax.school(school)
        self.school = school
        self.policy = policy
        tt = school.timetable
        self.days, self.periods = tt.days, tt.periods
        self.after = int(params.after_school_slots)
        self.travel = int(params.push_in_travel_minutes)
        self.coplan = int(params.coplanning_minutes)
        class_of = school.class_index()
        self.student_class = [class_of[s.class_id] for s in school.students]
        self.subjects = [tt.subjects[c.id] for c in school.classes]
        # Each class follows a bell (one, in most schools): a slot (day, period) means the
        # period's minutes and clock time in the bell of the students' class.
        self.tt = tt
        self.bells = tt.bell_names()
        # Clock-time lookups, asked for the same slots many times when building the models of
        # a school with two bells; a part shares them (same timetable).
        self._clashes: dict[tuple[str, int, int], list[tuple[str, int]]] = {}
        self._intervals: dict[tuple[str, int, int], tuple[int, int]] = {}
        self.class_bell = [tt.bell_for(c.id) for c in school.classes]
        self.bell_minutes = {}
        for bell in self.bells:
            minutes = np.zeros((self.days, self.periods + self.after), dtype=np.int64)
            minutes[:, :self.periods] = tt.bell_minutes(bell)
            minutes[:, self.periods:] = AFTER_SCHOOL_MINUTES
            self.bell_minutes[bell] = minutes
        self.slot_minutes = self.bell_minutes[MAIN_BELL]
        grade_bell = {s.grade: self.class_bell[self.student_class[i]]
                      for i, s in enumerate(school.students)}
        n_students = len(school.students)
        # Consultation as a service and supervision are kept out of the contract first.
        self.reserved = reserved_minutes(school, policy, params.assistant_supervision_share)
        self.capacity = [10**7 if relax.more_minutes else int(t.minutes_per_week) - c - v
                         for t, c, v in zip(school.therapists, *self.reserved, strict=True)]
        self.on_site = [tuple(range(self.days)) if relax.all_days else
                        tuple(sorted(d for d in set(t.days_on_site) if 0 <= d < self.days))
                        for t in school.therapists]
        self.therapists_of: dict[str, list[int]] = defaultdict(list)
        for t, th in enumerate(school.therapists):
            self.therapists_of[th.discipline].append(t)

        self.reqs: list[_Req] = []
        self.pools: list[_Pool] = []
        self.pool_index: dict[tuple, int] = {}
        self.req_index: dict[tuple[int, str, str], int] = {}
        grades = sorted({s.grade for s in school.students})
        for i, student in enumerate(school.students):
            for mandate in student.mandates:
                sp = policy.for_service(mandate.service)
                settings = sp.settings_for(mandate.sessions_per_week)
                for setting in sorted(set(settings)):
                    slots = self._allowed(i, mandate.service, setting, mandate.minutes_per_session,
                                          relax.any_lesson)
                    max_group = n_students if relax.larger_groups else int(mandate.max_group)
                    r = len(self.reqs)
                    self.reqs.append(_Req(i, mandate.service, setting, settings.count(setting),
                                          mandate.minutes_per_session, max(1, max_group),
                                          frozenset(slots), []))
                    self.req_index[(i, mandate.service, setting)] = r
                    if setting == "push_in":
                        places = [self.student_class[i]]
                    elif options.adjacent_grades:
                        # Two adjacent grades share a group only when they share a bell.
                        places = [g for g in (student.grade - 1, student.grade) if g in grades
                                  and grade_bell.get(g) == grade_bell[student.grade]]
                    else:
                        places = [student.grade]
                    collaboration = sp.collaboration if setting == "push_in" else ""
                    for place in places:
                        key = (mandate.service, setting, place, mandate.minutes_per_session)
                        if key not in self.pool_index:
                            self.pool_index[key] = len(self.pools)
                            self.pools.append(_Pool(*key, collaboration, [],
                                                    self.class_bell[self.student_class[i]]))
                        p = self.pool_index[key]
                        self.pools[p].members.append(r)
                        self.reqs[r].pools.append(p)
        self.mandated = sum(r.sessions * r.minutes for r in self.reqs)

    def _allowed(self, i: int, service: str, setting: str, minutes: int,
                 any_lesson: bool) -> list[tuple[int, int]]:
        """Slots (day, slot) where student i may have a session of this kind."""
        subjects = self.subjects[self.student_class[i]]
        slot_minutes = self.bell_minutes[self.class_bell[self.student_class[i]]]
        sp = self.policy.for_service(service)
        out = []
        for d in range(self.days):
            if setting == "after_school":
                out += [(d, k) for k in range(self.periods, self.periods + self.after)
                        if slot_minutes[d, k] >= minutes]
                continue
            for k in range(self.periods):
                if slot_minutes[d, k] < minutes:
                    continue
                subject = subjects[d][k]
                if setting == "push_in":
                    relevant = subject in RELEVANT_SUBJECTS[service]
                    ok = relevant or (not (sp.relevant_only and not any_lesson)
                                      and subject != "lunch_recess")
                else:
                    ok = subject != "lunch_recess" and not (sp.avoid_core and subject in CORE_SUBJECTS)
                if ok:
                    out.append((d, k))
        return out

    def part(self, services: Sequence[str]) -> _Instance:
        """The same problem restricted to the requirements of some services.

        Students, therapists and slots keep their indices; requirements and pools are renumbered.
        """
        part = object.__new__(_Instance)
        part.__dict__.update(self.__dict__)
        keep = [r for r, req in enumerate(self.reqs) if req.service in services]
        new = {r: n for n, r in enumerate(keep)}
        part.reqs = [replace(self.reqs[r], pools=[]) for r in keep]
        part.req_index = {key: new[r] for key, r in self.req_index.items() if r in new}
        part.pools, part.pool_index = [], {}
        for key, p in self.pool_index.items():
            pool = self.pools[p]
            if pool.service not in services:
                continue
            part.pool_index[key] = len(part.pools)
            for r in pool.members:
                part.reqs[new[r]].pools.append(len(part.pools))
            part.pools.append(replace(pool, members=[new[r] for r in pool.members]))
        part.therapists_of = {k: v for k, v in self.therapists_of.items() if k in services}
        part.mandated = sum(r.sessions * r.minutes for r in part.reqs)
        return part

    def clashes(self, bell: str, d: int, k: int) -> list[tuple[str, int]]:
        """(bell, slot) pairs of day d that overlap slot k of `bell` in clock time."""
        key = (bell, d, k)
        if key not in self._clashes:
            self._clashes[key] = [(b, j) for b in self.bells
                                  for j in self.tt.overlapping(bell, d, k, b)]
        return self._clashes[key]

    def session_bell(self, s: Session) -> str:
        """The bell a session's time is read in: its students' class's."""
        return self.class_bell[self.student_class[s.students[0]]]

    def interval(self, bell: str, d: int, k: int) -> tuple[int, int]:
        """(start, end) clock minutes of slot k of day d in `bell`."""
        key = (bell, d, k)
        if key not in self._intervals:
            self._intervals[key] = self.tt.interval(bell, d, k)
        return self._intervals[key]

    def session_cost(self, p: int) -> int:
        """Therapist minutes of one session of pool p, without co-planning."""
        pool = self.pools[p]
        return pool.minutes + (self.travel if pool.setting == "push_in" else 0)

    def relevant(self, p: int, d: int, k: int) -> bool:
        """True when a pushed-in session of pool p at (d, k) is in a relevant lesson."""
        pool = self.pools[p]
        return self.subjects[pool.place][d][k] in RELEVANT_SUBJECTS[pool.service]


def _therapist_cliques(inst: _Instance, by_slot: dict[tuple[int, int, str, int], list]
                       ) -> list[list]:
    """A therapist's session variables that may not be held together: one place at a time.

    Keys are (therapist, day, bell, slot). Sessions overlap when their periods overlap in clock
    time; for intervals on a line, the sets of mutually overlapping ones are the periods
    covering each period's start, so one at-most-one per key's start covers every overlap. With
    one bell each set is that key's own variables, in the same order as the keys: the same
    constraints as "one session per therapist and slot".
    """
    if len(inst.bells) == 1:
        return list(by_slot.values())
    by_day: dict[tuple[int, int], list] = defaultdict(list)
    for key in by_slot:
        by_day[key[:2]].append(key)
    out, seen = [], set()
    for key in by_slot:
        t, d, bell, k = key
        start, _ = inst.interval(bell, d, k)
        covering = []
        for other in by_day[(t, d)]:
            a, b = inst.interval(other[2], d, other[3])
            if a <= start < b:
                covering.append(other)
        members = frozenset(covering)
        if members in seen:
            continue
        seen.add(members)
        out.append([z for other in covering for z in by_slot[other]])
    return out


def _stop_at(target: int):
    """A solution callback that stops the search once the objective reaches `target`.

    `target` is a bound proven elsewhere; the callback's ``reached`` says whether it stopped.
    """
    from ortools.sat.python import cp_model

    class StopAt(cp_model.CpSolverSolutionCallback):
        reached = False

        def on_solution_callback(self) -> None:
            if self.objective_value >= target - 1e-6:
                self.reached = True
                self.stop_search()

    return StopAt()


class _Model:
    """The CP-SAT model of one instance, with the variables needed to read a schedule."""

    def __init__(self, inst: _Instance, lower: Sequence[int] | None = None):
        from ortools.sat.python import cp_model

        self.inst = inst
        #: A bound on the minutes proven elsewhere (objective units), at which the first step's
        #: searches stop (`solve`); None when the model's own constraint is the best bound known.
        self.stop_at: int | None = None
        m = self.model = cp_model.CpModel()
        self.z: dict[tuple[int, int, int, int], object] = {}
        self.y: dict[tuple[int, int, int, int, int], object] = {}
        by_req: dict[int, list] = defaultdict(list)
        by_student_slot: dict[tuple[int, int, int], list] = defaultdict(list)
        by_therapist_slot: dict[tuple[int, int, str, int], list] = defaultdict(list)
        cost_terms: dict[int, list] = defaultdict(list)
        self.rooms: dict[tuple[int, int], object] = {}
        self.limits: list[tuple[object, list]] = []
        self.spread_vars: list[tuple[list, list[int]]] = []
        self.same_day_vars: list[tuple[object, list]] = []

        for p, pool in enumerate(inst.pools):
            members = pool.members
            union = sorted(set().union(*(inst.reqs[r].slots for r in members)))
            limits = sorted({inst.reqs[r].max_group for r in members})
            top = min(limits[-1], len(members))
            for t in inst.therapists_of.get(pool.service, []):
                days = set(inst.on_site[t])
                for d, k in union:
                    if d not in days:
                        continue
                    z = m.new_bool_var(f"z{p}_{t}_{d}_{k}")
                    self.z[(p, t, d, k)] = z
                    by_therapist_slot[(t, d, pool.bell, k)].append(z)
                    cost_terms[t].append((z, inst.session_cost(p)))
                    ys = []
                    for r in members:
                        req = inst.reqs[r]
                        if (d, k) not in req.slots:
                            continue
                        y = m.new_bool_var(f"y{r}_{p}_{t}_{d}_{k}")
                        self.y[(r, p, t, d, k)] = y
                        m.add_implication(y, z)
                        ys.append((r, y))
                        by_req[r].append(y)
                        by_student_slot[(req.student, d, k)].append(y)
                    m.add_bool_or([y for _, y in ys]).only_enforce_if(z)
                    if len(ys) > top:
                        m.add(sum(y for _, y in ys) <= top * z)
                    for g in limits:
                        limited = [y for r, y in ys if inst.reqs[r].max_group == g]
                        if g >= top or not limited or len(ys) <= g:
                            continue
                        h = m.new_bool_var("")
                        self.limits.append((h, limited))
                        for y in limited:
                            m.add_implication(y, h)
                        m.add(sum(y for _, y in ys) + (top - g) * h <= top)
                    if pool.setting == "push_in":
                        key = (t, pool.place)
                        if key not in self.rooms:
                            self.rooms[key] = m.new_bool_var(f"c{t}_{pool.place}")
                            if pool.collaboration == "collaborative":
                                cost_terms[t].append((self.rooms[key], inst.coplan))
                        m.add_implication(z, self.rooms[key])
        room_z: dict[tuple[int, int], list] = defaultdict(list)
        room_n: dict[tuple[int, int], int] = defaultdict(int)
        for (p, t, _d, _k), z in self.z.items():
            if inst.pools[p].setting == "push_in":
                room_z[(t, inst.pools[p].place)].append(z)
        for pool in inst.pools:
            if pool.setting == "push_in":
                for t in inst.therapists_of.get(pool.service, []):
                    room_n[(t, pool.place)] += sum(inst.reqs[r].sessions for r in pool.members)
        for key, zs in room_z.items():
            n = min(len(zs), room_n[key])
            m.add(sum(zs) <= n * self.rooms[key])
        for zs in _therapist_cliques(inst, by_therapist_slot):
            if len(zs) > 1:
                m.add_at_most_one(zs)
        for ys in by_student_slot.values():
            if len(ys) > 1:
                m.add_at_most_one(ys)
        self.delivered = []
        for r, req in enumerate(inst.reqs):
            ys = by_req.get(r, [])
            expr = sum(ys) if ys else 0
            if len(ys) > req.sessions:
                m.add(expr <= req.sessions)
            if lower is not None and lower[r] > 0:
                m.add(expr >= min(lower[r], req.sessions))
            self.delivered.append(expr)
        for t, terms in cost_terms.items():
            if sum(c for _, c in terms) > inst.capacity[t]:
                m.add(sum(c * v for v, c in terms) <= inst.capacity[t])
        minutes = [req.minutes for req in inst.reqs]
        self.unit = math.gcd(*minutes) if minutes else 1
        self.minutes_units = sum(req.minutes // self.unit * self.delivered[r]
                                 for r, req in enumerate(inst.reqs) if by_req.get(r))
        self.by_req = by_req
        self.by_student_slot = by_student_slot

    def block(self, busy: set[tuple[int, int, int]]):
        """Forbid sessions of the model's students at these (student, day, slot).

        Returns:
            The constraint's proto, so that `unblock` can lift it again, or None when no
            variable is blocked.
        """
        off = [y for key in sorted(busy) for y in self.by_student_slot.get(key, [])]
        if not off:
            return None
        return self.model.add_bool_and([~y for y in off]).proto

    @staticmethod
    def unblock(blocked) -> None:
        """Lift a `block` (the constraint stays in the model, empty and always true)."""
        if blocked is not None:
            blocked.clear_bool_and()

    def hint(self, sessions: Sequence[Session] | None) -> int:
        """Hint a schedule; returns how many of its sessions have no variables here."""
        self.model.clear_hints()
        if sessions is None:
            return 0
        on_z, on_y, missing = set(), set(), 0
        inst = self.inst
        for s in sessions:
            place = s.class_index if s.setting == "push_in" else inst.school.students[s.students[0]].grade
            p = inst.pool_index.get((s.service, s.setting, place, s.minutes))
            key = (p, s.therapist, s.day, s.slot)
            if key not in self.z:
                missing += 1
                continue
            on_z.add(key)
            for i in s.students:
                r = inst.req_index.get((i, s.service, s.setting))
                if (r, *key) in self.y:
                    on_y.add((r, *key))
        value = {}
        for key, z in self.z.items():
            value[z.index] = key in on_z
        for key, y in self.y.items():
            value[y.index] = key in on_y
        visited = {(k[1], inst.pools[k[0]].place) for k in on_z
                   if inst.pools[k[0]].setting == "push_in"}
        for key, v in self.rooms.items():
            value[v.index] = key in visited
        for h, limited in self.limits:
            value[h.index] = any(value[y.index] for y in limited)
        delivered = defaultdict(int)
        for key in on_y:
            delivered[key[0]] += 1
        for u, rs in self.spread_vars:
            total = sum(delivered[r] for r in rs)
            for j, v in enumerate(u):
                value[v.index] = j < total
        for e, ys in self.same_day_vars:
            value[e.index] = max(0, sum(value[y.index] for y in ys) - 1)
        order = [*self.z.values(), *self.y.values(), *self.rooms.values(),
                 *(h for h, _ in self.limits), *(v for u, _ in self.spread_vars for v in u),
                 *(e for e, _ in self.same_day_vars)]
        hint = self.model.proto.solution_hint  # in one go: one `add_hint` per variable is slow
        hint.vars.extend([v.index for v in order])
        hint.values.extend([int(value[v.index]) for v in order])
        return missing

    def hint_solution(self, solver) -> None:
        """Hint the solver's solution, every variable at its value."""
        values = list(solver.response_proto.solution)
        hint = self.model.proto.solution_hint
        hint.vars.clear()
        hint.values.clear()
        hint.vars.extend(range(len(values)))
        hint.values.extend(values)

    def solve(self, options: SolverOptions, budget: float, gap_units: int = 0,
              light_presolve: bool = False, stop_at: int | None = None):
        """Solve the model as it stands (deterministic, single-threaded).

        `stop_at` (units of the objective) is a bound proven elsewhere, at which the search stops
        with the status OPTIMAL: given to the model as a constraint it would change the search's
        path, and with it the week found, where that bound is only needed to stop.

        Returns:
            The solver, with the status name set as its ``status`` attribute.
        """
        solver = _solver(options.seed, budget)
        # The second linearization level gives a much tighter bound on these models and, with
        # it, better schedules sooner. A gap limit is deterministic on one worker.
        solver.parameters.linearization_level = int(options.linearization_level)
        solver.parameters.absolute_gap_limit = float(gap_units)
        if light_presolve:  # the polish starts from a good schedule; presolve would eat its budget
            solver.parameters.max_presolve_iterations = 1
            solver.parameters.symmetry_level = 0
        if stop_at is None:
            solver.status = solver.status_name(solver.solve(self.model))
            return solver
        stop = _stop_at(stop_at)
        solver.status = solver.status_name(solver.solve(self.model, stop))
        if stop.reached:
            solver.status = "OPTIMAL"
        return solver

    def secondary_objective(self, min_units: int):
        """Add the minutes floor and set the second solve's objective (module docstring)."""
        inst, m = self.inst, self.model
        m.add(self.minutes_units >= min_units)
        n_max = max((r.sessions for r in inst.reqs), default=1)
        spread, same_day = [], []
        per_service: dict[tuple[int, str], list[int]] = defaultdict(list)
        for r, req in enumerate(inst.reqs):
            per_service[(req.student, req.service)].append(r)
        # Attendance variables per requirement, in model order (one pass instead of one per
        # student and service: the model's constraints, and so the search, stay the same).
        ys_of: dict[int, list[tuple[int, int, object]]] = defaultdict(list)
        for n, ((r, _p, _t, d, _k), y) in enumerate(self.y.items()):
            ys_of[r].append((n, d, y))
        for (_i, _service), rs in sorted(per_service.items()):
            n = sum(inst.reqs[r].sessions for r in rs)
            total = sum(self.delivered[r] for r in rs)
            if not any(self.by_req.get(r) for r in rs):
                continue
            if n == 1:
                spread.append(n_max * total)
            else:
                u = [m.new_bool_var("") for _ in range(n)]
                for a, b in zip(u, u[1:], strict=False):
                    m.add_implication(b, a)
                m.add(sum(u) == total)
                self.spread_vars.append((u, rs))
                spread += [(n_max + 1 - j) * u[j - 1] for j in range(1, n + 1)]
                by_day: dict[int, list] = defaultdict(list)
                for _n, d, y in sorted((x for r in rs for x in ys_of[r]), key=lambda x: x[0]):
                    by_day[d].append(y)
                for ys in by_day.values():
                    if len(ys) > 1:
                        e = m.new_int_var(0, n - 1, "")
                        m.add(e >= sum(ys) - 1)
                        same_day.append(e)
                        self.same_day_vars.append((e, ys))
        core = []
        for (r, _p, _t, d, k), y in self.y.items():
            req = inst.reqs[r]
            if req.setting == "pull_out" and \
                    inst.subjects[inst.student_class[req.student]][d][k] in CORE_SUBJECTS:
                core.append(y)
        not_relevant = [z for (p, _t, d, k), z in self.z.items()
                        if inst.pools[p].setting == "push_in" and not inst.relevant(p, d, k)]
        m.clear_objective()
        m.maximize(W_MINUTES * self.minutes_units + W_SPREAD * sum(spread)
                   - W_SAME_DAY * sum(same_day) - W_CORE * sum(core)
                   - W_NOT_RELEVANT * sum(not_relevant) - W_CLASSROOM * sum(self.rooms.values())
                   - W_SESSION * sum(self.z.values()))

    def read(self, solver) -> tuple[list[Session], list[int]]:
        """Sessions of the solver's solution and the sessions delivered per requirement."""
        inst = self.inst
        members: dict[tuple, list[int]] = defaultdict(list)
        delivered = [0] * len(inst.reqs)
        for (r, p, t, d, k), y in self.y.items():
            if solver.boolean_value(y):
                members[(p, t, d, k)].append(inst.reqs[r].student)
                delivered[r] += 1
        sessions = []
        for (p, t, d, k), z in self.z.items():
            if not solver.boolean_value(z):
                continue
            pool = inst.pools[p]
            push = pool.setting == "push_in"
            sessions.append(Session(
                therapist=t, service=pool.service, students=tuple(sorted(members[(p, t, d, k)])),
                day=d, slot=k, setting=pool.setting, collaboration=pool.collaboration,
                class_index=pool.place if push else -1, minutes=pool.minutes,
                relevant=inst.relevant(p, d, k) if push else False))
        sessions.sort(key=lambda s: (s.therapist, s.day, s.slot, s.service, s.setting, s.students))
        return sessions, delivered


def _delivered_from(inst: _Instance, sessions: Sequence[Session]) -> list[int]:
    """Sessions per requirement in a schedule."""
    out = [0] * len(inst.reqs)
    for s in sessions:
        for i in s.students:
            r = inst.req_index.get((i, s.service, s.setting))
            if r is not None:
                out[r] += 1
    return out


def _reason(inst: _Instance, r: int, sessions: Sequence[Session], load: list[TherapistLoad],
            pairs: set[tuple[int, int]]) -> str:
    """A best-effort reason (greedy vocabulary) why requirement r is short of sessions."""
    req = inst.reqs[r]
    sp = inst.policy.for_service(req.service)
    therapists = inst.therapists_of.get(req.service, [])
    if not therapists:
        return "no_therapist"
    suitable = [(t, d, k) for t in therapists for d, k in sorted(req.slots) if d in inst.on_site[t]]
    if not suitable:
        if req.setting == "push_in":
            return "no_relevant_lesson" if sp.relevant_only else "no_suitable_lesson"
        if req.setting == "pull_out":
            return "no_non_core_lesson" if sp.avoid_core else "no_suitable_lesson"
        return "no_after_school_slot"
    pool_place = inst.pools[req.pools[0]].place
    bell = inst.pools[req.pools[0]].bell
    busy_t = {(s.therapist, s.day, b, j) for s in sessions
              for b, j in inst.clashes(inst.session_bell(s), s.day, s.slot)}
    busy_i = {(s.day, s.slot) for s in sessions if req.student in s.students}
    for s in sessions:
        if (s.service, s.setting, s.minutes) == (req.service, req.setting, req.minutes) \
                and (s.day, s.slot) not in busy_i and (s.day, s.slot) in req.slots \
                and (s.class_index if req.setting == "push_in" else
                     inst.school.students[s.students[0]].grade) == pool_place:
            return "group_limit"

    def has_time(t: int) -> bool:
        cost = req.minutes + (inst.travel if req.setting == "push_in" else 0)
        if sp.collaboration == "collaborative" and req.setting == "push_in" \
                and (t, pool_place) not in pairs:
            cost += inst.coplan
        sessions_time = load[t].used - load[t].consultation - load[t].supervision
        return inst.capacity[t] - sessions_time >= cost

    timed = [(t, d, k) for t, d, k in suitable if has_time(t)]
    if not timed:
        return "no_therapist_time"
    if all((t, d, bell, k) in busy_t for t, d, k in timed):
        return "therapist_busy"
    return "students_busy"


def _unmet(inst: _Instance, delivered: Sequence[int], reasons: Sequence[str]) -> list[Unmet]:
    """Unmet rows per requirement, merged like the greedy's."""
    rows = []
    for r, req in enumerate(inst.reqs):
        short = req.sessions - delivered[r]
        if short > 0:
            rows.append(Unmet(inst.school.students[req.student].id, req.service, req.setting,
                              short, short * req.minutes, reasons[r]))
    return merge_unmet(rows)


def schedule_week_optimal(school: School, policy: Policy, params: Params,
                          rng: np.random.Generator, *,
                          options: SolverOptions | None = None) -> WeeklySchedule:
    """Build the weekly timetable of every therapist with an exact solver.

    Args:
        school: The school, with mandates, staff and timetable.
        policy: Where each service's sessions happen.
        params: Model parameters (travel, co-planning, after-school slots).
        rng: The scheduling stream, as for `schedule_week`; it only feeds the greedy schedule
            used as the solver's starting hint.
        options: Solver settings (deterministic-time budget, seed, grade mixing).

    Returns:
        The same kind of schedule as the greedy's, with `WeeklySchedule.solver` describing the
        solve and a proven upper bound on the mandated minutes any schedule can deliver.
    """
    import ortools

    options = options or SolverOptions()
    start = time.perf_counter()
    inst = _Instance(school, policy, params, options)
    greedy = schedule_week(school, policy, params, rng)
    services = sorted({req.service for req in inst.reqs},
                      key=lambda x: (-sum(r.sessions * r.minutes for r in inst.reqs
                                          if r.service == x), x))
    parts = [inst.part([x]) for x in services]
    sizes = [_size(part) for part in parts]
    # Parts too large to model keep the greedy's sessions and go first; the others fit around them.
    large = [size > options.max_variables for size in sizes]
    order = sorted(range(len(parts)), key=lambda n: not large[n])
    parts, sizes, services = ([seq[n] for n in order] for seq in (parts, sizes, services))
    fallback = tuple(x for n, x in zip(order, services, strict=True) if large[n])
    budget, polish = options.deterministic_time, options.polish_time
    left = sum(size for size in sizes if size <= options.max_variables)
    sessions: list[Session] = []
    busy: set[tuple[int, int, int]] = set()
    bound_minutes, used, statuses, secondaries = 0, 0.0, [], []
    for n, (part, size) in enumerate(zip(parts, sizes, strict=True)):
        if services[n] in fallback:
            mine = [x for x in greedy.sessions if x.service == services[n]]
            sessions += mine
            busy |= {(i, x.day, x.slot) for x in mine for i in x.students}
            bound_minutes += part.mandated
            continue
        share = size / left if left else 1.0
        left -= size
        budget, polish = max(budget, 0.0), max(polish, 0.0)
        hint = [x for x in greedy.sessions if x.service == part.reqs[0].service] \
            if options.hint else None
        later = {(i, x.day, x.slot) for x in greedy.sessions if x.service in services[n + 1:]
                 for i in x.students} if options.hint else set()
        out = _solve_part(part, options, budget * share, polish * share, hint, busy | later)
        budget -= out.used_minutes
        polish -= out.used_polish
        used += out.used_minutes + out.used_polish
        bound_minutes += out.bound_minutes
        statuses.append(out.status)
        secondaries.append(out.secondary)
        sessions += out.sessions
        busy |= {(i, x.day, x.slot) for x in out.sessions for i in x.students}
    sessions.sort(key=lambda x: (x.therapist, x.day, x.slot, x.service, x.setting, x.students))
    delivered = _delivered_from(inst, sessions)
    scheduled = sum(d * req.minutes for d, req in zip(delivered, inst.reqs, strict=True))
    if scheduled < inst.mandated - greedy.unmet_minutes():  # the parts' coupling cost too much
        sessions = list(greedy.sessions)
        delivered = _delivered_from(inst, sessions)
        scheduled = inst.mandated - greedy.unmet_minutes()
        secondaries = []
    bound = max(scheduled, min(bound_minutes, inst.mandated))
    status = "OPTIMAL" if scheduled == bound else "FEASIBLE"
    if fallback and len(fallback) == len(parts) and scheduled < bound:
        status = "GREEDY"
    load, pairs = therapist_load(school, sessions, inst.travel, inst.coplan, inst.reserved)
    reasons = [_reason(inst, r, sessions, load, pairs) if delivered[r] < req.sessions else ""
               for r, req in enumerate(inst.reqs)]
    secondary = ""
    if secondaries:
        secondary = "OPTIMAL" if all(x == "OPTIMAL" for x in secondaries) else \
            "FEASIBLE" if all(x in ("OPTIMAL", "FEASIBLE") for x in secondaries) else \
            next(x for x in secondaries if x not in ("OPTIMAL", "FEASIBLE"))
    report = SolverReport(
        status=status, scheduled_minutes=scheduled, mandated_minutes=inst.mandated,
        upper_bound_minutes=bound,
        deterministic_time=round(used, 3), wall_seconds=round(time.perf_counter() - start, 3),
        ortools_version=ortools.__version__, secondary_status=secondary, greedy_services=fallback)
    return WeeklySchedule(sessions, _unmet(inst, delivered, reasons), load, inst.periods,
                          inst.periods + inst.after, pairs, report)


def _size(inst: _Instance) -> int:
    """About how many Boolean variables the model of an instance has (sessions and attendance)."""
    total = 0
    for pool in inst.pools:
        union = set().union(*(inst.reqs[r].slots for r in pool.members))
        for t in inst.therapists_of.get(pool.service, []):
            days = set(inst.on_site[t])
            total += sum(1 for d, _k in union if d in days) * (1 + len(pool.members))
    return total


@dataclass
class _PartResult:
    sessions: list[Session]
    bound_minutes: int
    status: str
    secondary: str
    used_minutes: float
    used_polish: float


def _minutes_of(inst: _Instance, sessions: Sequence[Session]) -> int:
    return sum(d * req.minutes for d, req in zip(_delivered_from(inst, sessions), inst.reqs,
                                                  strict=True))


def _solve_part(inst: _Instance, options: SolverOptions, budget: float, polish: float,
                hint: Sequence[Session] | None, busy: set[tuple[int, int, int]]) -> _PartResult:
    """Schedule one part (one service) around the students' sessions already placed (`busy`).

    The part's bound must hold for any schedule, not only for those around `busy`: it is the
    relaxation's (`_aggregate_bound`), or the proven bound of a solve that ignores `busy`.
    """
    model = _Model(inst)
    unit = model.unit
    agg, _, relaxed, bound_time = _aggregate_bound(inst, AGGREGATE_TIME, options.seed)
    # The model is given the first relaxation's bound; a tighter one only stops its search.
    loose = relaxed.first_bound if relaxed is not None else agg
    model.stop_at = agg // unit if agg < loose else None
    m = model.model
    if loose < inst.mandated:
        m.add(model.minutes_units <= loose // unit)
    if relaxed is not None and hint is not None:
        # The relaxation's sessions placed slot by slot, around the other services' students.
        built = _constructed(inst, relaxed, busy)
        if hint is None or _minutes_of(inst, built) > _minutes_of(inst, hint):
            hint = built
    model.hint(hint)
    m.maximize(model.minutes_units)
    gap_units = int(options.gap * inst.mandated) // unit
    students = {req.student for req in inst.reqs}
    busy = {key for key in busy if key[0] in students}
    if hint is not None and _minutes_of(inst, hint) >= agg:  # the hint is proven best already
        sessions, bound, status, used = list(hint), agg, "OPTIMAL", bound_time
        sessions, used = _around(model, options, sessions, busy, budget, used, gap_units)
    elif not busy:
        first = model.solve(options, budget, gap_units, stop_at=model.stop_at)
        used = bound_time + first.deterministic_time
        if first.status not in ("OPTIMAL", "FEASIBLE"):  # cannot happen: no sessions is feasible
            return _PartResult([], inst.mandated, first.status, "", used, 0.0)
        sessions, _ = model.read(first)
        bound = min(agg, _bound_minutes(first, unit))
        status = first.status
    else:
        sessions, bound, status, used = _solve_blocked(model, options, budget, (loose, agg),
                                                       gap_units, busy, hint)
        used += bound_time
    units = _minutes_of(inst, sessions) // unit
    secondary, polished = "", 0.0
    if polish > 0:
        model.secondary_objective(units)
        model.hint(sessions)
        sessions, secondary, polished = _polish(model, options, polish, sessions)
    return _PartResult(sessions, bound, status, secondary, used, polished)


def _around(model: _Model, options: SolverOptions, sessions: list[Session],
            busy: set[tuple[int, int, int]], budget: float, used: float, gap_units: int
            ) -> tuple[list[Session], float]:
    """Repair a schedule that clashes with `busy`: drop the clashing students, then re-solve.

    Returns:
        The repaired sessions (never fewer minutes than the schedule without its clashing
        students) and the deterministic time spent so far.
    """
    inst = model.inst
    model.block(busy)
    kept = _without(sessions, busy)
    if kept == sessions:
        return sessions, used
    model.hint(kept)
    again = model.solve(options, budget - used, gap_units, stop_at=model.stop_at)
    used += again.deterministic_time
    if again.status in ("OPTIMAL", "FEASIBLE"):
        found, _ = model.read(again)
        if _minutes_of(inst, found) >= _minutes_of(inst, kept):
            return found, used
    return kept, used


def _without(sessions: Sequence[Session], busy: set[tuple[int, int, int]]) -> list[Session]:
    """The sessions without the students who are busy elsewhere then (empty sessions dropped)."""
    kept = [replace(x, students=tuple(i for i in x.students if (i, x.day, x.slot) not in busy))
            for x in sessions]
    return [x for x in kept if x.students]


def _solve_blocked(model: _Model, options: SolverOptions, budget: float,
                   bounds: tuple[int, int], gap_units: int, busy: set[tuple[int, int, int]],
                   hint: Sequence[Session] | None) -> tuple[list[Session], int, str, float]:
    """The first step of a part whose students already have sessions elsewhere (`busy`).

    Solves around `busy` at once. When that schedule comes within the gap of the relaxation's
    bound, the bound holds for any schedule and one solve is enough: on the K-8 school this
    halves the pushed-in services' first step, which used to solve without `busy` for a bound
    and then again to move the clashing sessions. Otherwise a short solve that ignores `busy`
    (`BOUND_SOLVE_TIME`, kept back from the budget), started from the schedule found, proves
    the part's bound; a better schedule it finds is kept only if it clashes with nothing in
    `busy`.

    `bounds` are the first relaxation's bound, which the model has, and the tighter one, which
    only stops the search (`_Model.stop_at`).

    Returns:
        The sessions, the part's bound in minutes, the status and the deterministic time spent.
    """
    inst, unit = model.inst, model.unit
    loose, agg = bounds

    def close(sessions: Sequence[Session]) -> bool:
        """Within the gap of the first relaxation's bound, or at the tighter one."""
        found = _minutes_of(inst, sessions)
        return (loose - found) // unit <= gap_units or found >= agg

    blocked = model.block(busy)
    reserve = min(BOUND_SOLVE_TIME, budget / 2)
    used = 0.0
    if hint is not None:
        start = _without(hint, busy)
        model.hint(start)
        if not close(start) and \
                loose - _minutes_of(inst, start) <= SHORT_REPAIR_SHARE * inst.mandated:
            found_values, spent = _around_the_short(model, options, start,
                                                    min(SHORT_REPAIR_TIME, budget / 4))
            used += spent
            if found_values is not None:
                start, _ = model.read(found_values)
                if close(start):
                    return start, agg, "OPTIMAL", used
                model.hint(start)
    first = model.solve(options, budget - reserve - used, gap_units, stop_at=model.stop_at)
    used += first.deterministic_time
    sessions: list[Session] = []
    if first.status in ("OPTIMAL", "FEASIBLE"):
        sessions, _ = model.read(first)
    if close(sessions):
        return sessions, agg, "OPTIMAL", used
    found = _minutes_of(inst, sessions)
    model.unblock(blocked)
    model.hint(sessions)
    free = model.solve(options, max(reserve, budget - used), gap_units, stop_at=model.stop_at)
    used += free.deterministic_time
    model.block(busy)
    if free.status not in ("OPTIMAL", "FEASIBLE"):
        return sessions, agg, "FEASIBLE", used
    bound = min(agg, _bound_minutes(free, unit))
    better, _ = model.read(free)
    if _minutes_of(inst, better) > found and _without(better, busy) == better:
        sessions, found = better, _minutes_of(inst, better)
    status = "OPTIMAL" if (bound - found) // unit <= gap_units else "FEASIBLE"
    return sessions, bound, status, used


def _around_the_short(model: _Model, options: SolverOptions, sessions: list[Session],
                      budget: float) -> tuple[_Values | None, float]:
    """Re-solve a week one therapist at a time around the students it leaves short.

    Each neighbourhood frees one therapist's week who could serve a pool with a member short of
    their mandate, and fixes everything else: a small model that can move that therapist's
    sessions to make room for a short student's.
    """
    inst = model.inst
    delivered = _delivered_from(inst, sessions)
    short = {p for p, pool in enumerate(inst.pools)
             if any(delivered[r] < inst.reqs[r].sessions for r in pool.members)}
    staff = sorted({t for (p, t, _d, _k) in model.z if p in short})
    if not staff:
        return None, 0.0
    of = _variables_by(model, lambda _p, t: t)
    rest = [of[t] for t in of if t not in staff]
    groups = [of[t] for t in staff]
    if rest:
        groups.append(np.sort(np.concatenate(rest)))
    return _neighbourhood_search(model, options, budget, groups, visit=len(staff),
                                 time_limit=budget / len(staff))


def _polish(model: _Model, options: SolverOptions, budget: float, sessions: list[Session]
            ) -> tuple[list[Session], str, float]:
    """The second step of one part: the secondary objective, from the first step's schedule.

    The model holds the secondary objective and its hint (the first step's schedule). With
    `SolverOptions.neighbourhood_search` off, every part is solved whole. A part with no
    pushed-in sessions is solved whole: on the shipped schools that model closes, or comes
    closest, within the budget, and the neighbourhood search measured worse there (more
    pulled-out sessions in core lessons on the default school, more same-day sessions after
    school on K-8). Any other part with a small model (`PROBE_MAX_VARIABLES`) is first solved
    whole with a small budget (`POLISH_PROBE_TIME`, at most half the part's), which proves the
    small services optimal; a part that pulls students out too gets a longer try on a larger
    model (`MIXED_PROBE_TIME`, `MIXED_PROBE_MAX_VARIABLES`). Where that does not prove
    optimality, and at once for the larger models, the schedule is improved one neighbourhood
    at a time (`_neighbourhood_search`), which on the pushed-in models reaches a better
    secondary objective than the whole model searched for several times as long.

    Returns:
        The sessions, the status of the step (OPTIMAL only when the whole model was proven
        optimal) and the deterministic time spent.
    """
    pushed = options.neighbourhood_search and \
        any(pool.setting == "push_in" for pool in model.inst.pools)
    groups = _neighbourhoods(model) if pushed else []
    pushed = len(groups) > 1  # one grade: the whole model is the only neighbourhood
    mixed = any(pool.setting != "push_in" for pool in model.inst.pools)
    largest = MIXED_PROBE_MAX_VARIABLES if mixed else PROBE_MAX_VARIABLES
    if pushed and len(model.model.proto.variables) > largest:
        found, spent = _neighbourhood_search(model, options, budget, groups)
        if found is None:
            return sessions, "UNKNOWN", spent
        sessions, _ = model.read(found)
        return sessions, "FEASIBLE", spent
    probe = MIXED_PROBE_TIME if mixed else POLISH_PROBE_TIME
    whole = model.solve(options, min(budget / 2, probe) if pushed else budget,
                        light_presolve=True)
    spent = whole.deterministic_time
    if whole.status in ("OPTIMAL", "FEASIBLE"):
        sessions, _ = model.read(whole)
        if whole.status == "OPTIMAL" or not pushed:
            return sessions, whole.status, spent
        model.hint_solution(whole)
    found, search_time = _neighbourhood_search(model, options, budget - spent, groups)
    spent += search_time
    if found is None:
        return sessions, whole.status if whole.status == "FEASIBLE" else "UNKNOWN", spent
    sessions, _ = model.read(found)
    return sessions, "FEASIBLE", spent


class _Values:
    """A full assignment of a model's variables, read like a solver's solution."""

    def __init__(self, values):
        self.values = values

    def boolean_value(self, var) -> bool:
        return bool(self.values[var.index])


def _neighbourhoods(model: _Model) -> list[np.ndarray]:
    """Proto indices of the session and attendance variables of each grade's sessions.

    A pushed-in session belongs to its class's grade, a pulled-out or after-school one to its
    group's grade. Freeing one grade lets the solver regroup and re-time that grade's students
    around every other grade's timetable, which is where the second step's defects are (a
    pulled-out group in a core lesson, two sessions on one day, a class seen by two
    therapists). One therapist's sessions at a time, or two grades at a time, measured worse
    for their time (docs/performance.md).
    """
    inst = model.inst

    def grade(p: int) -> int:
        pool = inst.pools[p]
        return inst.school.classes[pool.place].grade if pool.setting == "push_in" else pool.place

    groups = _variables_by(model, lambda p, _t: grade(p))
    if len(groups) < 2:  # one grade: the whole model, which the first try already searched
        return []
    return [groups[g] for g in sorted(groups)]


def _variables_by(model: _Model, key: Callable[[int, int], int]) -> dict[int, np.ndarray]:
    """Proto indices of the session and attendance variables, grouped by key(pool, therapist)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for (p, t, _d, _k), z in model.z.items():
        groups[key(p, t)].append(z.index)
    for (_r, p, t, _d, _k), y in model.y.items():
        groups[key(p, t)].append(y.index)
    return {g: np.array(sorted(idx), dtype=np.int64) for g, idx in groups.items()}


def _neighbourhood_search(model: _Model, options: SolverOptions, budget: float,
                          groups: list[np.ndarray] | None = None, visit: int | None = None,
                          time_limit: float = NEIGHBOURHOOD_TIME
                          ) -> tuple[_Values | None, float]:
    """Improve the hinted schedule one neighbourhood at a time (large neighbourhood search).

    Each step frees one grade's session and attendance variables (`_neighbourhoods`),
    fixes every other one at its current value and solves the whole model from the current
    schedule within `NEIGHBOURHOOD_TIME`; presolve removes the fixed variables, so each step is a
    small model. Fixing is one Boolean "and" on the model's proto, rewritten for each step, and
    the hint is the current assignment written in one go: building each small model from Python
    would cost more than solving it. Neighbourhoods are visited in grade order for at most
    `NEIGHBOURHOOD_ROUNDS` rounds, stopping early once each has been proven optimal with the
    rest of the schedule as it is now (a local optimum) or when the budget runs out.
    Deterministic: fixed order, one worker, fixed seed, deterministic-time limits.

    Args:
        model: The model, with its objective and a complete hint.
        options: Solver settings (the seed).
        budget: Deterministic units for all steps together.
        groups: Proto indices of each neighbourhood's variables (default: one per grade); the
            variables of all groups together are the ones fixed outside a neighbourhood.
        visit: Solve only the first this many groups (the others are only ever fixed).
        time_limit: Deterministic units of one step.

    Returns:
        The best assignment found (None when no step found one) and the deterministic time
        spent.
    """
    proto = model.model.proto
    n_vars = len(proto.variables)
    current = np.zeros(n_vars, dtype=np.int64)
    current[np.array(list(proto.solution_hint.vars), dtype=np.int64)] = \
        np.array(list(proto.solution_hint.values), dtype=np.int64)
    groups = _neighbourhoods(model) if groups is None else groups
    if not groups:
        return None, 0.0
    every = np.sort(np.concatenate(groups))
    every = every[np.r_[True, every[1:] != every[:-1]]]
    fixed = [np.setdiff1d(every, g, assume_unique=True) for g in groups]
    fix = proto.constraints.add()
    spent, best, found = 0.0, None, None
    version, proven = 0, [-1] * len(groups)
    try:
        for _round in range(NEIGHBOURHOOD_ROUNDS):
            if spent >= budget - 1e-3 or all(v == version for v in proven):
                break
            for n, out in enumerate(fixed[:visit]):
                if spent >= budget - 1e-3:
                    break
                if proven[n] == version:
                    continue
                fix.clear_bool_and()
                fix.bool_and.literals.extend(np.where(current[out] == 1, out, -out - 1).tolist())
                proto.solution_hint.vars.clear()
                proto.solution_hint.values.clear()
                proto.solution_hint.vars.extend(range(n_vars))
                proto.solution_hint.values.extend(current.tolist())
                solver = _solver(options.seed, min(time_limit, budget - spent), least=0.001)
                for key, value in NEIGHBOURHOOD_PARAMETERS.items():
                    setattr(solver.parameters, key, value)
                status = solver.status_name(solver.solve(model.model))
                spent += solver.deterministic_time
                if status not in ("OPTIMAL", "FEASIBLE"):
                    continue
                if best is not None and solver.objective_value > best + 0.5:
                    version += 1
                if best is None or solver.objective_value >= best:
                    best = solver.objective_value
                    current = np.array(solver.response_proto.solution, dtype=np.int64)
                    found = _Values(current)
                if status == "OPTIMAL":
                    proven[n] = version
    finally:
        fix.clear_bool_and()
    return found, spent


def explain_unmet(school: School, policy: Policy, params: Params, schedule: WeeklySchedule,
                  options: SolverOptions | None = None, *,
                  stagger: Callable[[School], School] | None = None,
                  relaxations: Sequence[Relaxation] = RELAXATIONS) -> list[Unmet]:
    """Say, for every unmet session, which single change would let it be scheduled.

    Each relaxation is solved on its own (one rule loosened, everything else as it is), keeping
    every session each student already has and maximizing the mandated minutes. A student's
    unmet sessions are attributed to the relaxations in order: the first relaxation that
    schedules more of a requirement names the reason of that many sessions. Sessions no
    relaxation schedules keep the reason "not_schedulable". Solves are deterministic, so are the
    reasons.

    Args:
        school: The school the schedule was made for.
        policy: The policy the schedule was made under.
        params: The parameters the schedule was made with.
        schedule: The schedule to explain (greedy or optimal).
        options: Solver settings; each relaxation gets the full deterministic-time budget.
        stagger: Optional function returning the school with a staggered master schedule
            (same students, classes and staff); tried last, as "needs_staggered_schedule".
        relaxations: The relaxations to try, in order.

    Returns:
        The schedule's unmet sessions with reasons from the relaxations, merged per student,
        service, setting and reason.
    """
    options = options or SolverOptions()
    base = _Instance(school, policy, params, options)
    delivered = _delivered_from(base, schedule.sessions)
    remaining = [req.sessions - delivered[r] for r, req in enumerate(base.reqs)]
    tries = list(relaxations)
    if stagger is not None:
        tries.append(Relaxation("needs_staggered_schedule", school=stagger))
    rows = []
    for relax in tries:
        if not any(x > 0 for x in remaining):
            break
        if relax.any_lesson and not any(policy.for_service(r.service).relevant_only
                                        for r in base.reqs if r.setting == "push_in"):
            continue
        inst = _Instance(school, policy, params, options, relax)
        model = _Model(inst, lower=None if relax.school else delivered)
        model.hint(schedule.sessions)
        model.model.maximize(model.minutes_units)
        solver = model.solve(options, options.deterministic_time)
        if solver.status not in ("OPTIMAL", "FEASIBLE"):
            continue
        _, more = model.read(solver)
        for r, req in enumerate(base.reqs):
            gained = min(max(more[r] - delivered[r], 0), remaining[r])
            if gained:
                remaining[r] -= gained
                rows.append(Unmet(school.students[req.student].id, req.service, req.setting,
                                  gained, gained * req.minutes, relax.reason))
    for r, req in enumerate(base.reqs):
        if remaining[r] > 0:
            rows.append(Unmet(school.students[req.student].id, req.service, req.setting,
                              remaining[r], remaining[r] * req.minutes, "not_schedulable"))
    return merge_unmet(rows)


def with_explained_unmet(schedule: WeeklySchedule, unmet: list[Unmet]) -> WeeklySchedule:
    """A copy of the schedule whose unmet sessions carry the reasons of `explain_unmet`."""
    return replace(schedule, unmet=unmet)


def _aggregate_bound(inst: _Instance, budget: Sequence[float], seed: int, *,
                     rounded_from: int = 1
                     ) -> tuple[int, bool, _AggregateSolution | None, float]:
    """An upper bound on schedulable minutes from a relaxation that forgets when sessions happen.

    Counts sessions per (pool, therapist) instead of placing them in slots: a therapist's
    contracted minutes (with travel and co-planning once per class), the number of slots each
    pool and therapist can use, group limits and mandated sessions are kept; who meets whom in
    which slot is dropped. Every schedule maps to a solution of this model with the same minutes
    (count its sessions), so the model's proven bound bounds the schedule's minutes. It is small
    and solves exactly in a fraction of the full model's time; it is what proves bounds when
    therapist minutes with co-planning (a knapsack the full model's linear relaxation is weak
    on) are the limit.

    A pool never needs more sessions than its most demanding member has, or than its members'
    sessions divided by the group size, whichever is more: any solution of the relaxation keeps
    its minutes with that many sessions and no more therapist time. Capping the sessions there
    (instead of at the members' total) tightens the linear relaxation of co-planning. The model
    is solved twice at most (`budget`), both times with the second linearization level: as it
    stands, then, if that did not close, with co-planning therapists' sessions rounded to whole
    ones (`_whole_sessions`), which proves the co-taught bounds on the shipped schools in a
    fraction of the time the solver's full symmetry handling took, where that proved them at
    all. The first solve's timetable is kept when the second finds none better: it is the one
    `_constructed` places best on the shipped schools. The smaller bound counts. Where therapists
    co-plan, the first solve gets at most `COPLANNED_FIRST_TIME`, since the second proves the bound.
    `rounded_from` is the first solve with the rounding (for tests). Where the solution found
    breaks a rule of the tighter relaxation (`_breaks_tight_rules`), that is solved too, within
    `TIGHT_BOUND_TIME`, and the smaller bound counts; the solution returned stays the first
    relaxation's (the start `_constructed` builds from), with that relaxation's bound as its
    ``first_bound``.

    Returns:
        The bound in minutes, whether it was proven optimal for the relaxation, and the best
        solution of the relaxation found (how many sessions of each pool each therapist holds
        and how many each member attends), from which `_constructed` builds a timetable, and
        the deterministic time spent.
    """
    relaxed = _relaxed_model(inst)
    bound, proven, best, found, spent = inst.mandated, False, -1, None, 0.0
    for attempt, limit in enumerate(budget):
        if attempt == 0 and relaxed.planned and len(budget) > rounded_from:
            limit = min(limit, COPLANNED_FIRST_TIME)
        if attempt == rounded_from:
            _round_coplanning(inst, relaxed)
        solver = _solver(seed, limit)
        solver.parameters.linearization_level = 2
        status = solver.status_name(solver.solve(relaxed.model))
        spent += solver.deterministic_time
        if status in ("OPTIMAL", "FEASIBLE"):
            bound = min(bound, _bound_minutes(solver, relaxed.unit))
            proven = status == "OPTIMAL"
            if solver.objective_value > best:
                best = solver.objective_value
                found = _AggregateSolution(
                    {key: int(solver.value(v)) for key, v in relaxed.held.items()
                     if solver.value(v)},
                    {key: int(solver.value(v)) for key, v in relaxed.attend.items()
                     if solver.value(v)})
        if proven:
            break
    if found is not None:
        found.first_bound = bound
    if found is not None and _breaks_tight_rules(inst, found, relaxed.usable):
        tight = _relaxed_model(inst, tight=True)
        _round_coplanning(inst, tight)
        solver = _solver(seed, TIGHT_BOUND_TIME)
        solver.parameters.linearization_level = 2
        status = solver.status_name(solver.solve(tight.model))
        spent += solver.deterministic_time
        if status in ("OPTIMAL", "FEASIBLE"):
            tight_bound = _bound_minutes(solver, tight.unit)
            if tight_bound < bound:
                bound, proven = tight_bound, status == "OPTIMAL"
    return bound, proven, found, spent


def _solver(seed: int, limit: float, least: float = 0.01):
    """A deterministic CP-SAT solver: one worker, a fixed seed, a deterministic-time limit."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(seed)
    solver.parameters.max_deterministic_time = max(float(limit), least)
    return solver


def _bound_minutes(solver, unit: int) -> int:
    """The solver's proven bound on the objective, in minutes (the objective counts units)."""
    return int(math.floor(solver.best_objective_bound + 1e-6)) * unit


def _round_coplanning(inst: _Instance, relaxed: _RelaxedModel) -> None:
    """Add `_whole_sessions` for every co-planning therapist of the relaxation."""
    for t, rooms_of_t in relaxed.planned.items():
        _whole_sessions(relaxed.model, relaxed.per_therapist[t], rooms_of_t, inst.capacity[t],
                        inst.coplan, relaxed.cheapest[t])


@dataclass
class _RelaxedModel:
    """The relaxation's CP-SAT model and the variables read from it.

    Attributes:
        held: Sessions of a pool held by a therapist, by (pool, therapist).
        attend: Sessions of a pool a member attends, by (requirement, pool).
        per_therapist: A therapist's `held` variables.
        planned: A therapist's co-planning Booleans (one per co-taught class).
        cheapest: A therapist's cheapest session in minutes, without co-planning.
        usable: The (day, bell, slot)s a therapist's pools may use.
        unit: Minutes per unit of the objective.
    """

    model: object
    held: dict[tuple[int, int], object]
    attend: dict[tuple[int, int], object]
    per_therapist: dict[int, list]
    planned: dict[int, list]
    cheapest: dict[int, int]
    usable: dict[int, set[tuple[int, str, int]]]
    unit: int


def _relaxed_model(inst: _Instance, tight: bool = False) -> _RelaxedModel:
    """Build the relaxation `_aggregate_bound` solves, or with `tight` its tighter form.

    The tighter form adds two rules every timetable keeps. A therapist holds at most as many
    sessions as the slots its pools may use allow, one at a time (after school, two slots a day
    rather than every slot of the day). A pool whose members have different IEP group limits
    splits its sessions by the smallest limit among their members (`_limit_classes`): a member
    attends only sessions of a class it may join, and a class's sessions each hold at most the
    class's size. Its pools' session caps are then the sum of their classes' caps, since fewer
    sessions of one class no longer carry the same attendances as fewer sessions of the pool.
    """
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    n: dict[tuple[int, int], object] = {}
    att_of: dict[tuple[int, int], object] = {}
    rooms: dict[tuple[int, int], object] = {}
    cost: dict[int, list] = defaultdict(list)
    per_therapist: dict[int, list] = defaultdict(list)
    usable: dict[int, set[tuple[int, str, int]]] = defaultdict(set)
    planned: dict[int, list] = defaultdict(list)
    cheapest: dict[int, int] = {}
    att: dict[int, list] = defaultdict(list)
    objective = []
    minutes = [req.minutes for req in inst.reqs]
    unit = math.gcd(*minutes) if minutes else 1
    for p, pool in enumerate(inst.pools):
        members = pool.members
        union = set().union(*(inst.reqs[r].slots for r in members))
        need = sum(inst.reqs[r].sessions for r in members)
        top = min(max(inst.reqs[r].max_group for r in members), len(members))
        need = min(need, max(max(inst.reqs[r].sessions for r in members), -(-need // top)))
        classes = _limit_classes(inst, members) if tight else []
        if len(classes) > 1:
            need = sum(most for _size, most, _eligible in classes)
        held = []
        for t in inst.therapists_of.get(pool.service, []):
            days = set(inst.on_site[t])
            slots = sum(1 for d, _k in union if d in days)
            if not slots:
                continue
            usable[t] |= {(d, pool.bell, k) for d, k in union if d in days}
            v = m.new_int_var(0, min(slots, need), "")
            n[(p, t)] = v
            held.append(v)
            per_therapist[t].append(v)
            session = inst.session_cost(p)
            cost[t].append((v, session))
            cheapest[t] = min(cheapest.get(t, session), session)
            if pool.setting == "push_in":
                key = (t, pool.place)
                if key not in rooms:
                    rooms[key] = m.new_bool_var("")
                    if pool.collaboration == "collaborative":
                        cost[t].append((rooms[key], inst.coplan))
                        planned[t].append(rooms[key])
                m.add(v <= min(slots, need) * rooms[key])
        if not held:
            continue
        attend = []
        for r in members:
            req = inst.reqs[r]
            a = m.new_int_var(0, min(req.sessions, len(req.slots)), "")
            m.add(a <= sum(held))
            att[r].append(a)
            att_of[(r, p)] = a
            attend.append(a)
            objective.append(req.minutes // unit * a)
        m.add(sum(attend) <= top * sum(held))
        if len(classes) > 1:
            _split_by_limit(m, inst, classes, held, {r: att_of[(r, p)] for r in members})
    for r, req in enumerate(inst.reqs):
        if len(att[r]) > 1:
            m.add(sum(att[r]) <= req.sessions)
    for t, terms in cost.items():
        m.add(sum(c * v for v, c in terms) <= inst.capacity[t])
    # Interchangeable therapists (same discipline, minutes and days): any solution stays one
    # when they swap, so only solutions whose loads fall in their order need to be searched.
    for ts in inst.therapists_of.values():
        for a, b in zip(ts, ts[1:], strict=False):
            if (inst.capacity[a], inst.on_site[a]) == (inst.capacity[b], inst.on_site[b]) \
                    and cost.get(a) and cost.get(b):
                m.add(sum(c * v for v, c in cost[a]) >= sum(c * v for v, c in cost[b]))
    # A therapist holds at most one session at a time.
    for t, held_by in per_therapist.items():
        if tight:
            m.add(sum(held_by) <= _disjoint_usable(inst, usable[t]))
        else:
            on_site_slots = int(sum(_disjoint_slots(inst, d) for d in inst.on_site[t]))
            m.add(sum(held_by) <= on_site_slots)
    m.maximize(sum(objective))
    return _RelaxedModel(m, n, att_of, per_therapist, planned, cheapest, usable, unit)


def _limit_classes(inst: _Instance, members: Sequence[int]) -> list[tuple[int, int, list[int]]]:
    """A pool's sessions classed by the smallest IEP group limit among their members.

    A session whose smallest member limit is g holds at most g students, all with a limit of at
    least g. For each distinct limit g of the pool's members this gives the most students such a
    session can hold (g, or fewer when fewer members may join), the most such sessions a solution
    needs and the members who may join them. No solution needs more sessions of a class than its
    most demanding eligible member has, or than its eligible members' sessions divided by the
    class's size: fewer sessions of the class carry the same attendances.
    """
    out = []
    for g in sorted({inst.reqs[r].max_group for r in members}):
        eligible = [r for r in members if inst.reqs[r].max_group >= g]
        size = min(g, len(eligible))
        sessions = [inst.reqs[r].sessions for r in eligible]
        out.append((size, max(max(sessions), -(-sum(sessions) // size)), eligible))
    return out


def _split_by_limit(m, inst: _Instance, classes: list[tuple[int, int, list[int]]], held: list,
                    attend: dict[int, object]) -> None:
    """Add to the relaxation that a pool's sessions split into its limit classes."""
    counts = [m.new_int_var(0, most, "") for _size, most, _eligible in classes]
    m.add(sum(counts) == sum(held))
    joins: dict[int, list] = defaultdict(list)
    for count, (size, most, eligible) in zip(counts, classes, strict=True):
        seats = []
        for r in eligible:
            x = m.new_int_var(0, min(inst.reqs[r].sessions, most), "")
            m.add(x <= count)
            seats.append(x)
            joins[r].append(x)
        m.add(sum(seats) <= size * count)
    for r, xs in joins.items():
        m.add(attend[r] == sum(xs))


def _breaks_tight_rules(inst: _Instance, agg: _AggregateSolution,
                        usable: dict[int, set[tuple[int, str, int]]]) -> bool:
    """True when the relaxation's solution breaks a rule the tighter relaxation adds.

    Either a therapist holds more sessions than the slots its pools may use allow, or a pool's
    attendances do not fit its sessions at the size of its smallest limit class (whether another
    split fits is left to the tighter relaxation). Otherwise the tighter relaxation would find
    the same optimum, so it is not solved.
    """
    held: dict[int, int] = defaultdict(int)
    sessions: dict[int, int] = defaultdict(int)
    for (p, t), count in agg.held.items():
        held[t] += count
        sessions[p] += count
    if any(count > _disjoint_usable(inst, usable[t]) for t, count in held.items()):
        return True
    for p, count in sessions.items():
        members = inst.pools[p].members
        if len({inst.reqs[r].max_group for r in members}) > 1:
            seats = _limit_classes(inst, members)[0][0]
            if sum(agg.attend.get((r, p), 0) for r in members) > seats * count:
                return True
    return False


def _whole_sessions(m, held: list, planned: list, capacity: int, coplan: int,
                    cheapest: int) -> None:
    """Add that a therapist who co-plans for k classes holds only whole sessions in the rest.

    That is at most (capacity - k co-planning) // the cheapest session's minutes. The capacity
    constraint says so in minutes already, but its linear relaxation lets a therapist hold
    fractions of a session; that rounding is what separates the relaxation's bound from its
    optimum on co-taught weeks, which the solver otherwise proves only by search. One Boolean
    per possible k makes the rounding part of the linear relaxation. Every solution of the
    relaxation satisfies it, so the bound stays valid.
    """
    if coplan <= 0 or cheapest <= 0:
        return
    counts = range(len(planned) + 1)
    which = [m.new_bool_var("") for _ in counts]
    m.add_exactly_one(which)
    m.add(sum(planned) == sum(k * b for k, b in zip(counts, which, strict=True)))
    m.add(sum(held) <= sum(max(capacity - k * coplan, 0) // cheapest * b
                           for k, b in zip(counts, which, strict=True)))


@dataclass
class _AggregateSolution:
    """Sessions per (pool, therapist) and attendances per (requirement, pool) of the relaxation.

    `first_bound` is the bound of the relaxation this solution is of, before the tighter one.
    """

    held: dict[tuple[int, int], int]
    attend: dict[tuple[int, int], int]
    first_bound: int = 0


def _disjoint_slots(inst: _Instance, d: int) -> int:
    """Most sessions a therapist can hold on day d.

    The most slots of any bells that do not overlap in clock time (with one bell, its slots of
    a positive length): a valid bound on a therapist's sessions that day.
    """
    if len(inst.bells) == 1:
        return sum(1 for k in range(inst.periods + inst.after) if inst.slot_minutes[d, k] > 0)
    return _most_disjoint({inst.interval(b, d, k) for b in inst.bells
                           for k in range(inst.periods + inst.after)
                           if inst.bell_minutes[b][d, k] > 0})


def _disjoint_usable(inst: _Instance, slots: set[tuple[int, str, int]]) -> int:
    """Most sessions a therapist can hold in these (day, bell, slot)s, one at a time."""
    by_day: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for d, b, k in slots:
        if inst.bell_minutes[b][d, k] > 0:
            by_day[d].add(inst.interval(b, d, k))
    return sum(_most_disjoint(intervals) for intervals in by_day.values())


def _most_disjoint(intervals: set[tuple[int, int]]) -> int:
    """The most (start, end) clock intervals that do not overlap: earliest end first."""
    count, end = 0, -1
    for a, b in sorted(intervals, key=lambda x: (x[1], x[0])):
        if a >= end:
            count, end = count + 1, b
    return count


def _constructed(inst: _Instance, agg: _AggregateSolution,
                 busy: set[tuple[int, int, int]]) -> list[Session]:
    """A timetable that places the relaxation's sessions slot by slot, as far as they fit.

    The relaxation says how many sessions each therapist holds for each pool and how many of
    them each member attends, within the therapists' minutes; only the slots are missing. They
    are chosen greedily: each session goes to the slot, among the therapist's free ones, that
    seats the most members still owed sessions (members on a day they have no session yet
    first), never where a member is already busy (`busy`, and sessions placed here). A session
    with no such slot may take one where its members are free but its therapist holds another
    session, if that session can move to a free slot of the therapist where all its members
    are free too (one move). Therapist minutes hold because the relaxation's do and a session
    that does not fit is dropped. When every session fits, the timetable reaches the
    relaxation's bound and no search is needed.
    """
    therapist_busy: Counter[tuple[int, int, str, int]] = Counter()
    student_busy = set(busy)
    days_of: dict[int, set[int]] = defaultdict(set)
    placed: list[list] = []  # [pool, therapist, day, slot, members]
    owed_of: dict[int, dict[int, int]] = {}
    usable = {(p, t): sorted((d, k) for d, k in set().union(
                  *(inst.reqs[r].slots for r in inst.pools[p].members)) if d in inst.on_site[t])
              for p, t in agg.held}
    # How many of a therapist's pools could use each slot: take the least wanted slots first.
    wanted: dict[tuple[int, int, int], int] = defaultdict(int)
    for (_p, t), slots in usable.items():
        for d, k in slots:
            wanted[(t, d, k)] += 1

    def seats(p: int, d: int, k: int) -> list[int]:
        owed, chosen = owed_of[p], []
        for r in sorted(owed, key=lambda x: (-owed[x], d in days_of[x],
                                             -inst.reqs[x].max_group, x)):
            req = inst.reqs[r]
            if owed[r] <= 0 or (d, k) not in req.slots or (req.student, d, k) in student_busy:
                continue
            if len(chosen) < min([inst.reqs[x].max_group for x in chosen] + [req.max_group]):
                chosen.append(r)
        return chosen

    def hold(session: list, sign: int) -> None:
        p, t, d, k, members = session
        for b, j in inst.clashes(inst.pools[p].bell, d, k):
            therapist_busy[(t, d, b, j)] += sign
        for r in members:
            key = (inst.reqs[r].student, d, k)
            if sign > 0:
                student_busy.add(key)
            else:
                student_busy.discard(key)

    def moved(other: list, avoid: set[tuple[int, str, int]]) -> bool:
        """Move a placed session to a free slot of its therapist where its members are free.

        `avoid` holds the (day, bell, slot)s the therapist is about to need.
        """
        p, t, d0, k0, members = other
        bell = inst.pools[p].bell
        hold(other, -1)
        for d, k in usable[(p, t)]:
            if (d, k) != (d0, k0) and not therapist_busy[(t, d, bell, k)] and all(
                    (d, b, j) not in avoid for b, j in inst.clashes(bell, d, k)) and all(
                    (d, k) in inst.reqs[r].slots and (inst.reqs[r].student, d, k)
                    not in student_busy for r in members):
                other[2:4] = [d, k]
                hold(other, 1)
                return True
        hold(other, 1)
        return False

    # Pools with the fewest usable slots go first: they have the least room to move.
    for (p, t), count in sorted(agg.held.items(), key=lambda x: (len(usable[x[0]]), x[0])):
        pool = inst.pools[p]
        if p not in owed_of:  # a pool's attendances are shared by its therapists' sessions
            owed_of[p] = {r: agg.attend.get((r, p), 0) for r in pool.members}
        for _ in range(count):
            best, best_score = None, None
            for d, k in usable[(p, t)]:
                if therapist_busy[(t, d, pool.bell, k)]:
                    continue
                chosen = seats(p, d, k)
                if not chosen:
                    continue
                score = (len(chosen), sum(d not in days_of[r] for r in chosen),
                         -wanted[(t, d, k)])
                if best_score is None or score > best_score:
                    best, best_score = (d, k, chosen), score
            if best is None:
                best = _after_one_move(inst, p, t, usable, placed, seats, moved)
            if best is None:
                break
            d, k, chosen = best
            session = [p, t, d, k, chosen]
            hold(session, 1)
            placed.append(session)
            for r in chosen:
                owed_of[p][r] -= 1
                days_of[r].add(d)
    sessions = []
    for p, t, d, k, members in placed:
        pool = inst.pools[p]
        push = pool.setting == "push_in"
        sessions.append(Session(
            therapist=t, service=pool.service,
            students=tuple(sorted(inst.reqs[r].student for r in members)), day=d, slot=k,
            setting=pool.setting, collaboration=pool.collaboration,
            class_index=pool.place if push else -1, minutes=pool.minutes,
            relevant=inst.relevant(p, d, k) if push else False))
    return sessions


def _after_one_move(inst: _Instance, p: int, t: int, usable, placed: list[list], seats, moved
                    ) -> tuple[int, int, list[int]] | None:
    """A slot for a session of pool p with therapist t once one of t's sessions has moved.

    Tries the slots where the pool's members are free, in order, and the one session of t
    that overlaps each; the first that `moved` can move elsewhere frees it.
    """
    bell = inst.pools[p].bell
    for d, k in usable[(p, t)]:
        chosen = seats(p, d, k)
        if not chosen:
            continue
        overlap = {(b, j) for b, j in inst.clashes(bell, d, k)}
        blocking = [s for s in placed if s[1] == t and s[2] == d and
                    (inst.pools[s[0]].bell, s[3]) in overlap]
        if len(blocking) == 1 and moved(blocking[0], {(d, b, j) for b, j in overlap}):
            return d, k, seats(p, d, k)
    return None
