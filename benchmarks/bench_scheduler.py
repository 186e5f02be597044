"""Greedy against optimizing scheduler: share of the weekly mandate scheduled, and solve cost.

For each shipped school and every preset policy prints the greedy's share of the mandated
minutes, the optimizer's share, the proven upper bound, the solver status, CPU seconds of the
optimizing scheduler (including the greedy hint and model building, not the one-off import of
OR-Tools) and the solver's deterministic time.

    python benchmarks/bench_scheduler.py [--schools default small] [--deterministic-time 5]
    python benchmarks/bench_scheduler.py --large [--scale 100] [--policy pull_out]
    python benchmarks/bench_scheduler.py --phases [--schools default]
    python benchmarks/bench_scheduler.py --quality [--schools default k8] [--repeat 3]

``--phases`` prints, per policy, where the optimizer's CPU time goes: building the instance and the
model, the greedy hint, the bound's relaxation, the placed relaxation (``constructed``), hints,
the first solve (mandated minutes, including the repair around other services), the second
solve (``polish``: spreading, days, lessons, rooms) and reading the solution; with each solve's
deterministic units.

``--quality`` prints, per policy, the second step's measures of a week besides its minutes: CPU
seconds and deterministic units, scheduled share and bound, pulled-out student-sessions in core
lessons, extra sessions of one student's service on the same day, pushed-in sessions outside
relevant lessons, therapist-classroom pairs, and how a shortfall is spread (student-services
short of their mandate, the most sessions any one of them is short, and the second step's
spreading reward: the j-th delivered session of a student's service is worth ``n + 1 - j``, with
``n`` the most sessions of any student's mandate of that service; higher is better).

``--large`` schedules the default school scaled up (``--scale`` times the classes and staff, about
50,000 students at 100) in a fresh process and prints its CPU seconds and peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = {"default": "default_elementary.toml", "small": "small_elementary.toml",
           "k8": "k8_school.toml", "csv": "example_300_csv.toml"}


def large(scale: int, policy_name: str) -> dict:
    """Schedule the default school scaled by `scale`; CPU seconds and peak memory of this process."""
    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.delivery.optimize import schedule_week_optimal
    from inclusion_sim.delivery.policies import POLICY_PRESETS
    from inclusion_sim.scenario import load_scenario

    base = load_scenario(ROOT / "scenarios" / SCHOOLS["default"])
    staff = [dict(s) for s in base.spec.model_dump()["staff"]]
    for s in staff:
        s["count"] = s["count"] * scale
    scenario = base.with_changes({"school.classes_per_grade": 4 * scale, "staff": staff})
    school = scenario.build_school(make_streams(scenario.seed)["roster"])
    start = time.process_time()
    week = schedule_week_optimal(school, POLICY_PRESETS[policy_name], scenario.params(),
                                 make_streams(scenario.seed)["schedule"])
    r = week.solver
    return {"students": len(school.students), "policy": policy_name,
            "cpu_s": round(time.process_time() - start, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "status": r.status, "greedy_services": list(r.greedy_services),
            "scheduled_pct": round(100 * r.scheduled_minutes / r.mandated_minutes, 1),
            "bound_pct": round(100 * r.upper_bound_minutes / r.mandated_minutes, 1)}


def phases(school_names: list[str], options) -> None:
    """CPU seconds (and deterministic units) of each phase of one optimal week per policy."""
    import functools
    from collections import defaultdict

    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.delivery import optimize
    from inclusion_sim.delivery.policies import POLICY_PRESETS
    from inclusion_sim.scenario import load_scenario

    cpu: dict[str, float] = defaultdict(float)
    units: dict[str, float] = defaultdict(float)

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        @functools.wraps(inner)
        def wrapper(*args, **kwargs):
            key = "polish" if kwargs.get("light_presolve") else label
            start = time.process_time()
            out = inner(*args, **kwargs)
            cpu[key] += time.process_time() - start
            if name == "solve":
                units[key] += out.deterministic_time
            elif name == "_aggregate_bound":
                units[key] += out[3]
            elif name == "_neighbourhood_search":
                units[key] += out[1]
            return out

        setattr(owner, name, wrapper)

    for owner, name, label in (
            (optimize._Instance, "__init__", "instance"), (optimize._Model, "__init__", "model"),
            (optimize, "schedule_week", "greedy"), (optimize, "_aggregate_bound", "bound"),
            (optimize, "_constructed", "constructed"), (optimize._Model, "hint", "hints"),
            (optimize._Model, "solve", "first solve"),
            (optimize, "_neighbourhood_search", "polish"),
            (optimize._Model, "secondary_objective", "polish model"),
            (optimize._Model, "read", "read")):
        timed(owner, name, label)
    labels = ("instance", "model", "greedy", "bound", "constructed", "hints", "first solve",
              "polish model", "polish", "read")
    print("| school | policy | CPU s | " + " | ".join(labels) + " | other |")
    print("|---|---|---:|" + "---:|" * (len(labels) + 1))
    for school_name in school_names:
        scenario = load_scenario(ROOT / "scenarios" / SCHOOLS[school_name])
        school = scenario.build_school(make_streams(scenario.seed)["roster"])
        for policy_name, policy in POLICY_PRESETS.items():
            cpu.clear()
            units.clear()
            start = time.process_time()
            optimize.schedule_week_optimal(school, policy, scenario.params(),
                                           make_streams(scenario.seed)["schedule"],
                                           options=options)
            total = time.process_time() - start
            cells = [f"{cpu[k]:.2f}" + (f" ({units[k]:.2f} u)" if units.get(k) else "")
                     for k in labels]
            other = total - sum(cpu[k] for k in labels)
            print(f"| {school_name} | {policy_name} | {total:.2f} | " + " | ".join(cells)
                  + f" | {other:.2f} |", flush=True)


def quality_of(school, policy, params, week) -> dict:
    """The second step's measures of one week (see ``--quality``), counted from its sessions."""
    from collections import Counter

    from inclusion_sim.school.world import CORE_SUBJECTS

    subjects = school.timetable.subjects
    core = sum(1 for x in week.sessions if x.setting == "pull_out"
               for i in x.students
               if subjects[school.students[i].class_id][x.day][x.slot] in CORE_SUBJECTS)
    per_day = Counter((i, x.service, x.day) for x in week.sessions for i in x.students)
    same_day = sum(n - 1 for n in per_day.values() if n > 1)
    not_relevant = sum(1 for x in week.sessions if x.setting == "push_in" and not x.relevant)
    pairs = len({(x.therapist, x.class_index) for x in week.sessions if x.setting == "push_in"})
    short: Counter = Counter()
    for u in week.unmet:
        short[(u.student_id, u.service)] += u.sessions
    owed: Counter = Counter()
    n_max: Counter = Counter()
    for student in school.students:
        for m in student.mandates:
            sessions = policy.for_service(m.service).settings_for(m.sessions_per_week)
            owed[(student.id, m.service)] += len(sessions)
            n_max[m.service] = max(n_max[m.service], *Counter(sessions).values())
    got = Counter((school.students[i].id, x.service) for x in week.sessions for i in x.students)
    spread = 0
    for (student, service), n in owed.items():
        top, d = n_max[service], got[(student, service)]
        spread += top * d if n == 1 else sum(top + 1 - j for j in range(1, d + 1))
    r = week.solver
    return {"scheduled_pct": 100 * r.scheduled_minutes / r.mandated_minutes,
            "bound_pct": 100 * r.upper_bound_minutes / r.mandated_minutes,
            "units": r.deterministic_time, "core": core, "same_day": same_day,
            "not_relevant": not_relevant, "pairs": pairs, "short": len(short),
            "max_short": max(short.values(), default=0), "spread": spread}


def quality(school_names: list[str], options, repeat: int = 1) -> None:
    """The second step's measures (``--quality``) of one optimal week per school and policy.

    With ``repeat`` above 1 each week is solved that many times (the same week every time) and
    the least CPU time is shown, which is the figure least inflated by other jobs on the machine.
    """
    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.delivery.optimize import schedule_week_optimal
    from inclusion_sim.delivery.policies import POLICY_PRESETS
    from inclusion_sim.delivery.schedule_check import check_schedule
    from inclusion_sim.scenario import load_scenario

    print("| school | policy | CPU s | det. units | scheduled % | bound % | core | same day | "
          "not relevant | pairs | short | max short | spread |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for school_name in school_names:
        scenario = load_scenario(ROOT / "scenarios" / SCHOOLS[school_name])
        school = scenario.build_school(make_streams(scenario.seed)["roster"])
        params = scenario.params()
        for policy_name, policy in POLICY_PRESETS.items():
            seconds = math.inf
            for _ in range(max(repeat, 1)):
                start = time.process_time()
                week = schedule_week_optimal(school, policy, params,
                                             make_streams(scenario.seed)["schedule"],
                                             options=options)
                seconds = min(seconds, time.process_time() - start)
            problems = check_schedule(school, policy, params, week)
            if problems:
                raise SystemExit(f"{school_name} {policy_name}: {problems[:3]}")
            q = quality_of(school, policy, params, week)
            print(f"| {school_name} | {policy_name} | {seconds:.2f} | {q['units']:.2f} | "
                  f"{q['scheduled_pct']:.1f} | {q['bound_pct']:.1f} | {q['core']} | "
                  f"{q['same_day']} | {q['not_relevant']} | {q['pairs']} | {q['short']} | "
                  f"{q['max_short']} | {q['spread']} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", nargs="+", default=list(SCHOOLS), choices=list(SCHOOLS))
    parser.add_argument("--deterministic-time", type=float, default=None)
    parser.add_argument("--large", action="store_true",
                        help="schedule a scaled-up default school and report peak memory")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--policy", default="pull_out")
    parser.add_argument("--phases", action="store_true",
                        help="where each policy's CPU time goes (instance, model, solves)")
    parser.add_argument("--quality", action="store_true",
                        help="the second step's measures per policy (core lessons, days, rooms)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="with --quality: solve each week this many times, show the least CPU")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(large(args.scale, args.policy)))
        return
    if args.large:
        out = subprocess.run([sys.executable, __file__, "--child", "--scale", str(args.scale),
                              "--policy", args.policy], capture_output=True, text=True, check=True)
        print(out.stdout.strip().splitlines()[-1])
        return

    from ortools.sat.python import cp_model  # noqa: F401  (import once, outside the timings)

    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.delivery.optimize import SolverOptions, schedule_week_optimal
    from inclusion_sim.delivery.policies import POLICY_PRESETS
    from inclusion_sim.delivery.schedulers import SchedulingOptions
    from inclusion_sim.delivery.scheduling import schedule_week
    from inclusion_sim.scenario import load_scenario

    # The budgets a model run uses (`[scheduling]` defaults), so the figures are what runs pay.
    defaults = SchedulingOptions()
    options = SolverOptions(deterministic_time=defaults.deterministic_time,
                            polish_time=defaults.polish_time)
    if args.deterministic_time is not None:
        options = SolverOptions(deterministic_time=args.deterministic_time,
                                polish_time=defaults.polish_time)
    if args.phases:
        phases(args.schools, options)
        return
    if args.quality:
        quality(args.schools, options, args.repeat)
        return
    print("| school | policy | greedy % | optimal % | bound % | status | CPU s | det. time |")
    print("|---|---|---|---|---|---|---|---|")
    for school_name in args.schools:
        scenario = load_scenario(ROOT / "scenarios" / SCHOOLS[school_name])
        school = scenario.build_school(make_streams(scenario.seed)["roster"])
        params = scenario.params()
        for policy_name, policy in POLICY_PRESETS.items():
            greedy = schedule_week(school, policy, params, make_streams(scenario.seed)["schedule"])
            start = time.process_time()
            best = schedule_week_optimal(school, policy, params,
                                         make_streams(scenario.seed)["schedule"], options=options)
            seconds = time.process_time() - start
            r = best.solver
            mandated = r.mandated_minutes
            share = 100 * (mandated - greedy.unmet_minutes()) / mandated
            print(f"| {school_name} | {policy_name} | {share:.1f} | "
                  f"{100 * r.scheduled_minutes / mandated:.1f} | "
                  f"{100 * r.upper_bound_minutes / mandated:.1f} | {r.status} | {seconds:.1f} | "
                  f"{r.deterministic_time:.2f} |", flush=True)


if __name__ == "__main__":
    main()
