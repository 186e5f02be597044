"""An independent check of a weekly schedule against every scheduling rule.

Both schedulers (the greedy `inclusion_sim.delivery.scheduling` and the optimizing
`inclusion_sim.delivery.optimize`) promise the same hard rules. This module re-derives each rule
from the school's timetable, the IEP mandates and the policy, without using either scheduler's
code, so a bug in a scheduler is not repeated in its check. It also checks that nothing is lost:
for every student and service, scheduled plus unmet minutes equal the mandated minutes.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from inclusion_sim.base.params import Params
from inclusion_sim.delivery.policies import Policy
from inclusion_sim.delivery.scheduling import AFTER_SCHOOL_MINUTES, UNMET_REASONS, WeeklySchedule
from inclusion_sim.school.world import CORE_SUBJECTS, RELEVANT_SUBJECTS, School


def check_schedule(school: School, policy: Policy, params: Params, schedule: WeeklySchedule, *,
                   adjacent_grades: bool = False) -> list[str]:
    """List every way the schedule breaks a scheduling rule.

    Args:
        school: The school the schedule is for.
        policy: The delivery policy it should follow.
        params: Parameters (travel, co-planning, after-school slots).
        schedule: The schedule to check.
        adjacent_grades: Accept pulled-out and after-school groups of two adjacent grades.

    Returns:
        Plain-language descriptions of the violations; empty when the schedule is valid.
    """
    problems: list[str] = []
    tt = school.timetable
    days, periods = tt.period_minutes.shape
    class_bell = [tt.bell_for(c.id) for c in school.classes]
    after = int(params.after_school_slots)
    travel = int(params.push_in_travel_minutes)
    coplan = int(params.coplanning_minutes)
    classes = {c.id: n for n, c in enumerate(school.classes)}
    mandate = {(i, m.service): m for i, s in enumerate(school.students) for m in s.mandates}
    therapist_at: dict[tuple[int, int], list[tuple[int, int, int, int]]] = defaultdict(list)
    student_at: Counter = Counter()
    count: Counter = Counter()
    direct: Counter = Counter()
    travel_used: Counter = Counter()
    pairs: set[tuple[int, int]] = set()

    for n, s in enumerate(schedule.sessions):
        where = f"session {n + 1} ({s.service} {s.setting}, day {s.day}, slot {s.slot})"
        if not 0 <= s.therapist < len(school.therapists):
            problems.append(f"{where}: no therapist number {s.therapist}")
            continue
        th = school.therapists[s.therapist]
        if th.discipline != s.service:
            problems.append(f"{where}: {th.id} is a {th.discipline} therapist")
        if not 0 <= s.day < days or s.day not in th.days_on_site:
            problems.append(f"{where}: {th.id} is not at the school that day")
        if not 0 <= s.slot < periods + after:
            problems.append(f"{where}: the day has no such slot")
            continue
        if not s.students or len(set(s.students)) != len(s.students):
            problems.append(f"{where}: no students, or a student listed twice")
            continue
        if list(s.students) != sorted(s.students):
            problems.append(f"{where}: students are not in order")
        # The session's clock time is its period in the bell of its students' class.
        bells = {class_bell[classes[school.students[i].class_id]] for i in s.students
                 if 0 <= i < len(school.students)}
        if len(bells) > 1:
            problems.append(f"{where}: students of different bells ({', '.join(sorted(bells))}) "
                            f"in one session")
        bell = min(bells) if bells else "main"
        slot_minutes = (tt.bell_minutes(bell)[s.day][s.slot] if s.slot < periods
                        else AFTER_SCHOOL_MINUTES)
        if s.minutes > slot_minutes:
            problems.append(f"{where}: {s.minutes} minutes do not fit a {slot_minutes}-minute slot")
        start = (int(tt.bell_starts(bell)[s.day][s.slot]) if s.slot < periods
                 else _after_school_start(tt, s.day) + (s.slot - periods) * AFTER_SCHOOL_MINUTES)
        length = slot_minutes
        therapist_at[(s.therapist, s.day)].append((start, start + int(length), s.slot, n))
        sp = policy.for_service(s.service)
        limits, grades = [], set()
        for i in s.students:
            student = school.students[i]
            m = mandate.get((i, s.service))
            if m is None:
                problems.append(f"{where}: student {student.id} has no {s.service} mandate")
                continue
            limits.append(m.max_group)
            grades.add(student.grade)
            student_at[(i, s.day, s.slot)] += 1
            count[(i, s.service, s.setting)] += 1
            if m.minutes_per_session != s.minutes:
                problems.append(f"{where}: student {student.id} is mandated "
                                f"{m.minutes_per_session}-minute sessions")
            if s.setting not in sp.settings_for(m.sessions_per_week):
                problems.append(f"{where}: the policy gives student {student.id} no {s.setting} "
                                f"{s.service} sessions")
            subject = (tt.subjects[student.class_id][s.day][s.slot] if s.slot < periods
                       else "after_school")
            if s.setting == "push_in":
                if classes[student.class_id] != s.class_index:
                    problems.append(f"{where}: student {student.id} is not in the session's class")
            elif s.setting == "pull_out":
                if subject == "lunch_recess":
                    problems.append(f"{where}: student {student.id} is pulled out of lunch/recess")
                if sp.avoid_core and subject in CORE_SUBJECTS:
                    problems.append(f"{where}: student {student.id} is pulled out of core "
                                    f"{subject} although the policy avoids core lessons")
        if limits and len(s.students) > min(limits):
            problems.append(f"{where}: {len(s.students)} students but an IEP allows groups of "
                            f"{min(limits)}")
        if s.setting == "push_in":
            if s.slot >= periods:
                problems.append(f"{where}: a pushed-in session after school")
            elif 0 <= s.class_index < len(school.classes):
                subject = tt.subjects[school.classes[s.class_index].id][s.day][s.slot]
                relevant = subject in RELEVANT_SUBJECTS[s.service]
                if sp.relevant_only and not relevant:
                    problems.append(f"{where}: pushed into {subject}, not relevant to {s.service}")
                if not relevant and subject == "lunch_recess":
                    problems.append(f"{where}: pushed into lunch/recess")
                if s.relevant != relevant:
                    problems.append(f"{where}: marked relevant={s.relevant} in {subject}")
            else:
                problems.append(f"{where}: no class number {s.class_index}")
            if s.collaboration != sp.collaboration:
                problems.append(f"{where}: collaboration {s.collaboration!r}, the policy says "
                                f"{sp.collaboration!r}")
            travel_used[s.therapist] += travel
            if s.collaboration == "collaborative":
                pairs.add((s.therapist, s.class_index))
        else:
            if s.class_index != -1 or s.collaboration:
                problems.append(f"{where}: a {s.setting} session with a class or collaboration")
            if (s.setting == "after_school") != (s.slot >= periods):
                problems.append(f"{where}: {s.setting} session in the wrong part of the day")
            if grades and (max(grades) - min(grades) > (1 if adjacent_grades else 0)):
                problems.append(f"{where}: students of grades {sorted(grades)} in one group")
        direct[s.therapist] += s.minutes

    for (t, d), times in sorted(therapist_at.items()):
        # One place at a time by the clock: any two of a therapist's sessions that day overlap
        # when one starts before the other ends (with one bell: the same period).
        times.sort()
        for a in range(len(times)):
            for b in range(a + 1, len(times)):
                if times[b][0] >= times[a][1]:
                    break
                problems.append(
                    f"therapist {school.therapists[t].id} has 2 sessions at day {d} at the same "
                    f"time: session {times[a][3] + 1} (slot {times[a][2]}, "
                    f"{_clock(times[a][0])}-{_clock(times[a][1])}) and session {times[b][3] + 1} "
                    f"(slot {times[b][2]}, {_clock(times[b][0])}-{_clock(times[b][1])})")
    for (i, d, k), n in sorted(student_at.items()):
        if n > 1:
            problems.append(f"student {school.students[i].id} has {n} sessions at day {d}, slot {k}")
    for (i, service, setting), n in sorted(count.items()):
        m = mandate.get((i, service))
        allowed = policy.for_service(service).settings_for(m.sessions_per_week).count(setting)
        if n > allowed:
            problems.append(f"student {school.students[i].id} has {n} {service} {setting} "
                            f"sessions, {allowed} mandated")
    indirect = _indirect_minutes(school, policy, params)
    for t, th in enumerate(school.therapists):
        coplanning = coplan * sum(1 for p in pairs if p[0] == t)
        owed = min(indirect[t], th.minutes_per_week)  # the contract holds no more
        used = direct[t] + travel_used[t] + coplanning + owed
        if used > th.minutes_per_week + 1:  # + 1: indirect time is rounded to whole minutes
            problems.append(f"therapist {th.id} is committed {used:.0f} minutes (consultation "
                            f"and supervision {owed:.0f}), contracted {th.minutes_per_week}")
        if t < len(schedule.load):
            load = schedule.load[t]
            if load.consultation + load.supervision < owed - 1:
                problems.append(f"therapist {th.id}: {load.consultation + load.supervision} "
                                f"minutes kept for consultation and supervision, {owed:.0f} owed")
            if (load.direct, load.travel, load.coplanning) != (direct[t], travel_used[t], coplanning):
                problems.append(f"therapist {th.id}: reported load ({load.direct}, {load.travel}, "
                                f"{load.coplanning}) differs from the sessions ({direct[t]}, "
                                f"{travel_used[t]}, {coplanning})")
    if len(schedule.load) != len(school.therapists):
        problems.append("the load lists a different number of therapists than the school has")
    if set(schedule.coplanning_pairs) != pairs:
        problems.append("the co-planning pairs do not match the co-taught sessions")

    ids = {s.id: i for i, s in enumerate(school.students)}
    unmet: Counter = Counter()
    for u in schedule.unmet:
        if u.reason not in UNMET_REASONS:
            problems.append(f"unmet {u.service} of student {u.student_id}: unknown reason {u.reason!r}")
        if u.student_id not in ids:
            problems.append(f"unmet minutes for unknown student {u.student_id}")
            continue
        unmet[(ids[u.student_id], u.service)] += u.minutes
    scheduled: dict[tuple[int, str], int] = defaultdict(int)
    for s in schedule.sessions:
        for i in s.students:
            scheduled[(i, s.service)] += s.minutes
    for key in sorted(set(mandate) | set(unmet) | set(scheduled)):
        i, service = key
        m = mandate.get(key)
        expected = m.sessions_per_week * m.minutes_per_session if m else 0
        if scheduled[key] + unmet[key] != expected:
            problems.append(f"student {school.students[i].id}, {service}: {scheduled[key]} scheduled "
                            f"+ {unmet[key]} unmet minutes, {expected} mandated")
    return problems


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _after_school_start(tt, day: int) -> int:
    """After school starts when the last class of the school is dismissed (every bell)."""
    return max(int(tt.bell_starts(b)[day][-1] + tt.bell_minutes(b)[day][-1])
               for b in tt.bell_names())


def _indirect_minutes(school: School, policy: Policy, params: Params) -> list[float]:
    """Per therapist, weekly minutes owed to consultation as a service and to supervision.

    Re-derived from the policy and the staff list: each class with a student on a service's
    caseload gets the service's consultation minutes, shared by the discipline's staff; the
    licensed therapists share the supervision of their discipline's assistants.
    """
    classes = {(s.class_id, m.service) for s in school.students for m in s.mandates}
    out = []
    for th in school.therapists:
        same = [o for o in school.therapists if o.discipline == th.discipline]
        owed = policy.for_service(th.discipline).consultation_minutes * sum(
            1 for _, service in classes if service == th.discipline) / len(same)
        if th.role != "assistant":
            licensed = sum(o.role != "assistant" for o in same)
            owed += params.assistant_supervision_share * sum(
                o.minutes_per_week for o in same if o.role == "assistant") / licensed
        out.append(owed)
    return out
