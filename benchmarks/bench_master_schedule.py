"""How the master schedule spreads the lessons a pushed-in session can join.

For the default elementary school and the K-8 school, with the old aligned layout and with the
default staggered one, prints per service the peak concurrency (the largest number of classes
with a relevant lesson at the same time: in the same period, or by the clock when the K-8
school's middle grades ring their own bell) and how many of the week's (day, period) slots carry
a relevant lesson. Then schedules one week under the ``push_in`` preset and prints the share of
mandated minutes the greedy scheduler placed, per service and in total.

    python benchmarks/bench_master_schedule.py [--seeds 1 2 3]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {"default": ROOT / "scenarios" / "default_elementary.toml",
             "k8": ROOT / "scenarios" / "k8_school.toml"}
LAYOUTS = ("aligned", "staggered")


def school_for(path: Path, layout: str, seed: int):
    """The seed's school under a layout, with the same students under either layout."""
    from inclusion_sim.experiments.knobs import MASTER_SCHEDULES
    from inclusion_sim.scenario import load_scenario

    scenario = load_scenario(path).with_master_schedule(
        MASTER_SCHEDULES[0 if layout == "aligned" else 1])
    return scenario, scenario.school_for_seed(seed)


def scheduled_share(scenario, school, seed: int) -> dict[str, float]:
    from inclusion_sim.base.seeds import make_streams
    from inclusion_sim.delivery.policies import POLICY_PRESETS
    from inclusion_sim.delivery.scheduling import schedule_week
    from inclusion_sim.school.world import SERVICES

    week = schedule_week(school, POLICY_PRESETS["push_in"], scenario.params(),
                         make_streams(seed)["schedule"])
    mandated = school.mandated_minutes_by_service()
    placed = week.scheduled_minutes(len(school.students)).sum(axis=0)
    shares = {s: placed[i] / mandated[s] if mandated[s] else float("nan")
              for i, s in enumerate(SERVICES)}
    shares["all"] = placed.sum() / sum(mandated.values())
    return shares


def main() -> None:
    from inclusion_sim.school.master_schedule import relevant_overlap
    from inclusion_sim.school.world import SERVICES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    for name, path in SCENARIOS.items():
        print(f"\n== {name} school ({path.name}), seeds {args.seeds}")
        print(f"{'service':<11}" + "".join(f"{layout + ' peak/slots':>24}" for layout in LAYOUTS))
        rows = {layout: [] for layout in LAYOUTS}
        shares = {layout: [] for layout in LAYOUTS}
        for layout in LAYOUTS:
            for seed in args.seeds:
                scenario, school = school_for(path, layout, seed)
                rows[layout].append(relevant_overlap(school))
                shares[layout].append(scheduled_share(scenario, school, seed))
        for service in SERVICES:
            cells = []
            for layout in LAYOUTS:
                peak = np.mean([r[service].peak for r in rows[layout]])
                slots = np.mean([r[service].slots for r in rows[layout]])
                cells.append(f"{peak:>14.1f} / {slots:>5.1f}")
            print(f"{service:<11}" + "".join(f"{c:>24}" for c in cells))
        n_classes = len(school.classes)
        tt = school.timetable
        slots = tt.days * tt.periods * len(tt.bell_names())
        print(f"({n_classes} classes, {slots} slots a week in {len(tt.bell_names())} bell(s))")
        print(f"\npush_in preset, % of mandated minutes scheduled\n{'service':<11}"
              + "".join(f"{layout:>12}" for layout in LAYOUTS))
        for service in (*SERVICES, "all"):
            print(f"{service:<11}" + "".join(
                f"{100 * np.nanmean([s[service] for s in shares[layout]]):>11.1f}%"
                for layout in LAYOUTS))


if __name__ == "__main__":
    main()
